import { Duration, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IPersonalDataStore, PersonalDataStoreDescription, PersonalDataStoreKind } from './personal-data-store';
import { TENANTS_PREFIX } from './private/bucket-policy';
import { AccountCheck, addAccountChecks, checkAccountChecksReach, checkExistingKey, describeKey, grantExistingKeyToDsr, inAppResource, untagRules } from './private/existing-store';
import { grantBucketToDsrWorkflow } from './private/grant-actions';
import { checkSiloTenant, classificationOf } from './private/store-props';
import { validateTemplate } from './private/subject-prefix';
import { placeholdersToWildcards, SUBJECT_PLACEHOLDER, TENANT_PLACEHOLDER } from './subject-key-layout';
import { DataCategory } from '../classification/data-category';
import { DataPurpose } from '../classification/data-purpose';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage, TenancyModel } from '../classification/privacy-tag-keys';
import { ensureAppSingletons } from '../private/app-singletons';
import { PropsValidator } from '../private/validation';

/** The longest noncurrent-version expiration accepted, as for PersonalDataBucket. */
const MAX_NONCURRENT_DAYS = 30;
/** The shortest access log retention accepted, as for PersonalDataBucket. */
const MIN_ACCESS_LOG_DAYS = 365;

/** Props of an ExistingPersonalDataBucket. */
export interface ExistingPersonalDataBucketProps {
  /** The existing bucket, e.g. `s3.Bucket.fromBucketName(this, 'Uploads', 'acme-uploads')`. */
  readonly bucket: s3.IBucket;

  /**
   * The customer-managed key the bucket's objects are encrypted under (SSE-KMS), by its key ARN
   * (`kms.Key.fromKeyArn`), or a PrivacyKey of this app. An alias and an AWS managed key
   * (`aws/s3`) are refused. A grant on an imported key only adds to the DSR role's identity
   * policy: the key policy must let the account's IAM policies allow its use (the default key policy does).
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The classification of the data held. `NON_PERSONAL` is refused.
   *
   * @default DataClassification.PERSONAL
   */
  readonly classification?: DataClassification;

  /**
   * The categories of personal information held (listed in the inventory and in access reports).
   *
   * @default - none declared
   */
  readonly categories?: DataCategory[];

  /**
   * Why the data is held (listed in the inventory and in access reports).
   *
   * @default - none declared
   */
  readonly purposes?: DataPurpose[];

  /**
   * The tenancy model: a POOLED bucket's `subjectPrefixTemplate` must carry `{tenant}`.
   *
   * @default TenancyModel.SILO
   */
  readonly tenancy?: TenancyModel;

  /**
   * SILO only: the one tenant whose data the bucket holds (1 to 64 letters, digits, `_` or `-`).
   *
   * @default - the organization's (no tenant reaches it through a DsrApi)
   */
  readonly siloTenant?: string;

  /**
   * Whether a DsrWorkflow reaches the bucket.
   *
   * @default DsrCoverage.COVERED
   */
  readonly dsr?: DsrCoverage;

  /**
   * The accountable team.
   *
   * @default - none declared
   */
  readonly owner?: string;

  /**
   * How long an object is kept, as the bucket's lifecycle applies it (declared: the construct does
   * not change the bucket's lifecycle).
   *
   * @default - none declared
   */
  readonly retention?: Duration;

  /**
   * Why objects are kept without an expiration or longer than ten years.
   *
   * @default - none
   */
  readonly indefiniteRetentionReason?: string;

  /**
   * Where one subject's objects live: a key prefix with `{subject}` (and, pooled, `{tenant}`),
   * ending with `/`.
   *
   * @default - `tenants/{tenant}/subjects/{subject}/` when pooled, `subjects/{subject}/` otherwise
   */
  readonly subjectPrefixTemplate?: string;

  /**
   * How long the bucket's lifecycle keeps noncurrent versions (1 to 30 days): the deletion latency
   * of an ordinary delete. Declared: synth cannot read an imported bucket's lifecycle.
   *
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * How long the bucket's server access logs are kept (at least 365 days), if it has them
   * (declared; `verifyInAccount` then checks that logging is on).
   *
   * @default - no server access logs declared
   */
  readonly accessLogsRetention?: Duration;

  /**
   * Verify the declared settings in the account with AWS Config managed rules scoped to this
   * bucket: S3_BUCKET_VERSIONING_ENABLED, S3_DEFAULT_ENCRYPTION_KMS with `encryptionKey`,
   * S3_BUCKET_SSL_REQUESTS_ONLY, S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED, and
   * S3_BUCKET_LOGGING_ENABLED when `accessLogsRetention` is declared (they need a configuration
   * recorder). `false` leaves them declared, not verified, which the inventory says.
   *
   * @default true
   */
  readonly verifyInAccount?: boolean;
}

/**
 * An S3 bucket this library did not create, registered as a personal data store: a DsrWorkflow
 * serves it and the privacy inventory lists it. Its settings are declared; synth checks the props,
 * AWS Config rules check the bucket in the account (`verifyInAccount`).
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#existing-stores).
 */
export class ExistingPersonalDataBucket extends Construct implements IPersonalDataStore {
  /** The bucket. */
  public readonly bucket: s3.IBucket;
  /** The key the objects are encrypted under. */
  public readonly encryptionKey: kms.IKey;
  /** The classification of the data held. */
  public readonly classification: DataClassification;
  /** The tenancy model. */
  public readonly tenancy: TenancyModel;
  /** The key prefix of one subject's objects, with `{tenant}` and `{subject}` placeholders. */
  public readonly subjectPrefixTemplate: string;
  /** The AWS Config rules that verify the declared settings (empty when `verifyInAccount` is false). */
  public readonly accountChecks: config.CfnConfigRule[];

  private readonly description: PersonalDataStoreDescription;

  constructor(scope: Construct, id: string, props: ExistingPersonalDataBucketProps) {
    super(scope, id);
    const classification = props.classification ?? DataClassification.PERSONAL;
    const tenancy = props.tenancy ?? TenancyModel.SILO;
    const noncurrent = props.noncurrentVersionExpiration ?? Duration.days(MAX_NONCURRENT_DAYS);
    const template = props.subjectPrefixTemplate
      ?? (tenancy === TenancyModel.POOLED ? `${TENANTS_PREFIX}${TENANT_PLACEHOLDER}/subjects/${SUBJECT_PLACEHOLDER}/` : `subjects/${SUBJECT_PLACEHOLDER}/`);

    const v = new PropsValidator(this, 'InvalidExistingPersonalDataBucketProps');
    classificationOf(v, classification, 'no construct (leave the bucket unregistered)');
    v.check(props.bucket === undefined, 'BucketMissing', 'bucket is missing: pass the existing bucket, e.g. s3.Bucket.fromBucketName(this, \'Uploads\', \'acme-uploads\').');
    checkExistingKey(v, this, props.encryptionKey, classification, 's3');
    validateTemplate(v, template, tenancy, false);
    checkDays(v, 'noncurrentVersionExpiration', noncurrent, 1, MAX_NONCURRENT_DAYS,
      'noncurrent versions keep deleted data, so they must expire within the 45-day response period of Cal. Civ. Code 1798.130(a)(2); add or shorten the bucket\'s NoncurrentVersionExpiration lifecycle rule first');
    if (props.accessLogsRetention !== undefined) {
      checkDays(v, 'accessLogsRetention', props.accessLogsRetention, MIN_ACCESS_LOG_DAYS, undefined,
        'access logs are the security record of who read personal data (Cal. Civ. Code 1798.81.5(b); 365 days is this library\'s minimum)');
    }
    checkSiloTenant(v, tenancy, props.siloTenant);
    if (props.bucket !== undefined) checkAccountChecksReach(v, this, props.bucket, props.bucket.bucketArn, props.verifyInAccount ?? true, 'bucket');
    v.throwIfInvalid();

    this.bucket = props.bucket;
    this.encryptionKey = props.encryptionKey;
    this.classification = classification;
    this.tenancy = tenancy;
    this.subjectPrefixTemplate = template;

    const checks: AccountCheck[] = [
      { id: 'VerifyVersioning', identifier: 'S3_BUCKET_VERSIONING_ENABLED', verifies: 'versioning on' },
      { id: 'VerifyEncryptionKey', identifier: 'S3_DEFAULT_ENCRYPTION_KMS', verifies: 'default encryption SSE-KMS under the declared key', parameters: { kmsKeyArns: this.encryptionKey.keyArn } },
      { id: 'VerifyTlsOnly', identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY', verifies: 'the bucket policy denies requests without TLS' },
      { id: 'VerifyPublicAccessBlocked', identifier: 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', verifies: 'all four public access blocks on' },
      ...(props.accessLogsRetention !== undefined ? [{ id: 'VerifyAccessLogging', identifier: 'S3_BUCKET_LOGGING_ENABLED', verifies: 'server access logging on' }] : []),
    ];
    this.accountChecks = (props.verifyInAccount ?? true) ? addAccountChecks(this, 'AWS::S3::Bucket', this.bucket.bucketName, checks) : [];
    const classificationProps = {
      classification,
      categories: props.categories,
      tenancy,
      dsr: props.dsr ?? DsrCoverage.COVERED,
      owner: props.owner,
      purposes: props.purposes,
      retention: props.retention,
      indefiniteRetentionReason: props.indefiniteRetentionReason,
    };
    const applied = PrivacyClassification.apply(this, classificationProps);
    untagRules(this.accountChecks);
    // a bucket of this app (not an import): tag it, so that CcpaChecks checks it at synth as it checks the library's own
    const inApp = inAppResource(this.bucket);
    if (inApp) PrivacyClassification.apply(this.bucket, classificationProps);

    const declared = [
      ...(inApp ? [`defined in this app (${inApp.node.path}): tagged, CcpaChecks checks its settings at synth`] : []),
      `default encryption SSE-KMS under ${describeKey(this.encryptionKey)}`,
      'versioning on',
      `noncurrent versions expire after ${noncurrent.toDays()} days`,
      'Object Lock off (no managed rule checks it; a locked version makes a DELETE request fail)',
      'TLS only, public access blocked',
      ...(props.accessLogsRetention !== undefined ? [`server access logs kept ${props.accessLogsRetention.toDays()} days`] : []),
      ...(props.retention !== undefined ? [`objects kept ${props.retention.toHumanString()}`] : []),
    ];
    this.description = {
      kind: PersonalDataStoreKind.S3_BUCKET,
      constructPath: this.node.path,
      name: this.bucket.bucketName,
      arn: this.bucket.bucketArn,
      classification,
      categories: applied.categories,
      ...(applied.purposes.length > 0 ? { purposes: applied.purposes } : {}),
      tenancy,
      dsrCoverage: props.dsr ?? DsrCoverage.COVERED,
      ...(props.siloTenant !== undefined ? { siloTenant: props.siloTenant } : {}),
      encryptionKey: this.encryptionKey,
      subjectPrefixTemplate: template,
      deletionLatency: noncurrent,
      ...(props.accessLogsRetention !== undefined ? { accessLogRetention: props.accessLogsRetention } : {}),
      declaredSettings: declared,
      verifiedBy: this.accountChecks.map((r) => r.node.path),
    };
    ensureAppSingletons(this); // the privacy inventory, which finds this store at synth
  }

  /**
   * Grant a DSR workflow role exactly what PersonalDataBucket grants it: `s3:ListBucket` and
   * `s3:ListBucketVersions` under subject prefixes, `s3:GetObject`, `GetObjectVersion`, `PutObject`,
   * `DeleteObject` and `DeleteObjectVersion` on objects under the subject prefix template, and use
   * of the key (a non-PrivacyKey: through S3 only, `kms:ViaService`). Tags the role
   * `privacy:workflow=dsr`. The bucket's own policy must not deny the role.
   */
  public grantDsrAccess(grantee: iam.IGrantable): iam.Grant {
    return grantBucketToDsrWorkflow(grantee, this.bucket, placeholdersToWildcards(this.subjectPrefixTemplate))
      .combine(grantExistingKeyToDsr(this, this.encryptionKey, grantee, 's3'));
  }

  /** How a DsrWorkflow finds one subject's objects here, and what the app declared about the bucket. */
  public describePersonalData(): PersonalDataStoreDescription {
    return { ...this.description, categories: [...this.description.categories] };
  }
}

function checkDays(v: PropsValidator, prop: string, value: Duration, min: number, max: number | undefined, reason: string): void {
  const days = value.toDays({ integral: false });
  if (Token.isUnresolved(days)) return;
  const code = prop.charAt(0).toUpperCase() + prop.slice(1);
  v.check(days < min, `${code}TooShort`, `${prop} ${days} days is below the minimum of ${min} days (${reason}): declare at least Duration.days(${min}).`);
  v.check(max !== undefined && days > max, `${code}TooLong`, `${prop} ${days} days is above the maximum of ${max} days (${reason}): declare at most Duration.days(${max}).`);
  v.check(!Number.isInteger(days), `${code}NotWholeDays`, `${prop} ${days} days is not a whole number of days: S3 lifecycle rules count whole days.`);
}
