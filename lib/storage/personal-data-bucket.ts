import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PersonalDataStoreDescription, IPersonalDataStore, PersonalDataStoreKind } from './personal-data-store';
import { accessTagStatement, encryptionStatements, pooledTenancyStatements, TENANTS_PREFIX } from './private/bucket-policy';
import {
  BUCKET_READ_ACTIONS, grantBucketToDsrWorkflow, KEY_READ_ACTIONS, KEY_WRITE_ACTIONS, OBJECT_DELETE_ACTIONS, OBJECT_READ_ACTIONS,
  OBJECT_WRITE_ACTIONS, TENANT_OBJECT_PREFIX, tenantListConditions,
} from './private/grant-actions';
import { checkKey, checkSiloTenant, classificationOf, classifyStore } from './private/store-props';
import { validateTemplate } from './private/subject-prefix';
import { SUBJECT_PLACEHOLDER, TENANT_PLACEHOLDER, placeholdersToWildcards } from './subject-key-layout';
import { accessLevelsFor } from '../classification/access-levels';
import { DataCategory } from '../classification/data-category';
import { DataPurpose } from '../classification/data-purpose';
import { MAX_EXPIRING_RETENTION_DAYS, PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage, TenancyModel } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { acknowledgeAll, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../private/acknowledgements';
import { ensureAppSingletons } from '../private/app-singletons';
import { CFN_GUARD_PLUGIN, expectExemption } from '../private/expected-exemptions';
import { grantInLibraryPolicy, LibraryGrant } from '../private/library-grants';
import { PropsValidator } from '../private/validation';

/** The longest noncurrent-version expiration accepted (see `noncurrentVersionExpiration`). */
const MAX_NONCURRENT_DAYS = 30;
/** The shortest access log retention accepted: 365 days, this library's choice for security logs (11 CCR § 7123(c)(7) sets no period). */
const MIN_ACCESS_LOG_DAYS = 365;
/** The prefix of server access log objects in the log bucket. */
const ACCESS_LOG_PREFIX = 'access-logs/';

/** Props of a PersonalDataBucket. */
export interface PersonalDataBucketProps {
  /**
   * The customer-managed key objects (and access logs) are encrypted under. Its classification
   * must be at least the bucket's: a `PERSONAL` key on a `SENSITIVE` bucket is refused.
   *
   * @default - a new PrivacyKey of the bucket's classification
   */
  readonly encryptionKey?: PrivacyKey;

  /**
   * The classification of the data held. `NON_PERSONAL` is refused: use `s3.Bucket` and tag it.
   *
   * @default DataClassification.PERSONAL
   */
  readonly classification?: DataClassification;

  /**
   * The categories of personal information held (tagged `privacy:categories`, listed in the inventory).
   *
   * @default - none declared
   */
  readonly categories?: DataCategory[];

  /**
   * The tenancy model. `POOLED` limits each session to `tenants/${aws:PrincipalTag/tenant}/` in
   * the bucket policy and denies sessions without a `tenant` tag.
   *
   * @default TenancyModel.SILO
   */
  readonly tenancy?: TenancyModel;

  /**
   * SILO only: the one tenant whose data the bucket holds (a tenant id: 1 to 64 letters, digits, `_`
   * or `-`). A DsrWorkflow then serves the bucket only for that tenant's requests. Without it a SILO
   * bucket belongs to the organization, and a DsrWorkflow over it cannot be fronted by a DsrApi.
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
   * The accountable team (tag `privacy:owner`).
   *
   * @default - no owner tag
   */
  readonly owner?: string;

  /**
   * Why the data is held (tag `privacy:purposes`, listed in the inventory).
   *
   * @default - none declared
   */
  readonly purposes?: DataPurpose[];

  /**
   * How long an object is kept (Cal. Civ. Code 1798.100(a)(3)): a bucket-wide lifecycle rule
   * expires current versions this many days after they were written, and noncurrent versions
   * expire after the shorter of this and `noncurrentVersionExpiration`; delete markers left
   * behind are cleaned up. Tagged `privacy:retention-days`. Whole days, at most ten years unless
   * `indefiniteRetentionReason` says why.
   *
   * @default - none declared: objects never expire (CcpaChecks warns, and fails a sensitive bucket)
   */
  readonly retention?: Duration;

  /**
   * Why objects are kept without an expiration (without `retention`) or longer than ten years,
   * in AWS tag characters (tag `privacy:retention-reason`, shown in the inventory).
   *
   * @default - none
   */
  readonly indefiniteRetentionReason?: string;

  /**
   * How long a noncurrent (overwritten or deleted) object version is kept before S3 expires it:
   * the deletion latency of an ordinary delete, since deleted data lives on in old versions until
   * then. At most 30 days, so that a deletion completes within the 45-day response period of
   * Cal. Civ. Code 1798.130(a)(2). (A DsrWorkflow deletes every version at once.)
   *
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * How long server access logs are kept. At least 365 days, this library's choice: no law
   * sets the period (11 CCR § 7123(c)(7)), and a year of logs shows who accessed the data when a
   * breach or a complaint is investigated.
   *
   * @default Duration.days(365)
   */
  readonly accessLogsRetention?: Duration;

  /**
   * Where one data subject's objects live: a key prefix with a `{subject}` placeholder (and in
   * pooled buckets a leading `tenants/{tenant}/`), ending with `/`. A DsrWorkflow lists exactly
   * this prefix, so discovery grows with the subject's data, not the bucket.
   *
   * @default - `tenants/{tenant}/subjects/{subject}/` when pooled, `subjects/{subject}/` otherwise
   */
  readonly subjectPrefixTemplate?: string;

  /**
   * Overrides of the underlying `s3.Bucket` (e.g. `bucketName`, `lifecycleRules`, `cors`,
   * `eventBridgeEnabled`). Settings that would break compliance are refused: Object Lock, public
   * access, encryption other than SSE-KMS with `encryptionKey`, versioning off, TLS not enforced,
   * object ACLs, server access logging settings (the construct owns its log bucket), auto-delete.
   *
   * @default - none
   */
  readonly bucketProps?: s3.BucketProps;
}

/**
 * An S3 bucket for personal information, compliant with no props: SSE-KMS under a PrivacyKey,
 * TLS only, versioning with bounded noncurrent versions, access logs, and a bucket policy that
 * requires `privacy:access` (pooled: the tenant's prefix).
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#personaldatabucket).
 */
export class PersonalDataBucket extends Construct implements IPersonalDataStore {
  /** The data bucket. */
  public readonly bucket: s3.Bucket;
  /** The bucket that receives the data bucket's server access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The key objects and access logs are encrypted under. */
  public readonly encryptionKey: PrivacyKey;
  /** The classification of the data held. */
  public readonly classification: DataClassification;
  /** The tenancy model. */
  public readonly tenancy: TenancyModel;
  /** SILO: the one tenant the bucket belongs to (undefined: the organization's, or POOLED). */
  public readonly siloTenant?: string;
  /** The key prefix of one subject's objects, with `{tenant}` and `{subject}` placeholders. */
  public readonly subjectPrefixTemplate: string;
  /** How long noncurrent object versions are kept (the deletion latency). */
  public readonly noncurrentVersionExpiration: Duration;
  /** How long server access logs are kept. */
  public readonly accessLogsRetention: Duration;
  /** How long objects are kept before they expire, if declared. */
  public readonly retention?: Duration;

  private readonly dsrCoverage: DsrCoverage;

  constructor(scope: Construct, id: string, props: PersonalDataBucketProps = {}) {
    super(scope, id);
    const classification = props.classification ?? DataClassification.PERSONAL;
    const tenancy = props.tenancy ?? TenancyModel.SILO;
    const requestedNoncurrent = props.noncurrentVersionExpiration ?? Duration.days(MAX_NONCURRENT_DAYS);
    const noncurrent = shorterOf(requestedNoncurrent, props.retention);
    const logRetention = props.accessLogsRetention ?? Duration.days(MIN_ACCESS_LOG_DAYS);
    const template = props.subjectPrefixTemplate
      ?? (tenancy === TenancyModel.POOLED ? `${TENANTS_PREFIX}${TENANT_PLACEHOLDER}/subjects/${SUBJECT_PLACEHOLDER}/` : `subjects/${SUBJECT_PLACEHOLDER}/`);

    const v = new PropsValidator(this, 'InvalidPersonalDataBucketProps');
    classificationOf(v, classification, 's3.Bucket');
    checkKey(v, props.encryptionKey, classification);
    validateDays(v, 'noncurrentVersionExpiration', requestedNoncurrent, 1, MAX_NONCURRENT_DAYS,
      'noncurrent versions keep deleted data, so they must expire within the 45-day response period of Cal. Civ. Code 1798.130(a)(2)');
    validateDays(v, 'accessLogsRetention', logRetention, MIN_ACCESS_LOG_DAYS, undefined,
      'access logs are the security record of who read personal data (Cal. Civ. Code 1798.81.5(b); 365 days is this library\'s minimum)');
    validateTemplate(v, template, tenancy);
    validateBucketProps(v, props.bucketProps ?? {});
    checkSiloTenant(v, tenancy, props.siloTenant);
    v.throwIfInvalid();

    this.classification = classification;
    this.tenancy = tenancy;
    this.siloTenant = props.siloTenant;
    this.subjectPrefixTemplate = template;
    this.noncurrentVersionExpiration = noncurrent;
    this.accessLogsRetention = logRetention;
    this.retention = props.retention;
    this.dsrCoverage = props.dsr ?? DsrCoverage.COVERED;
    this.encryptionKey = props.encryptionKey ?? new PrivacyKey(this, 'Key', { classification });
    const accessLevels = accessLevelsFor(classification);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...secureBucketProps(this.encryptionKey),
      lifecycleRules: [
        { id: 'ExpireAccessLogs', expiration: logRetention, noncurrentVersionExpiration: Duration.days(1) },
        ...hygieneRules(),
      ],
    });
    this.accessLogsBucket.addToResourcePolicy(accessTagStatement(this.accessLogsBucket, accessLevels));
    expectExemption(this.accessLogsBucket, CFN_GUARD_PLUGIN, 's3_bucket_logging_enabled_check',
      'This is the server access log bucket of a PersonalDataBucket (Control Tower CT.S3.PR.2): a log bucket cannot log to itself, and logging it into another bucket would only move the finding there; reads of these logs are recorded by CloudTrail data events.');
    applyDesignDecisions(this.accessLogsBucket);

    const { bucketProps = {} } = props;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...bucketProps,
      ...secureBucketProps(this.encryptionKey),
      removalPolicy: bucketProps.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: noncurrent },
        ...(props.retention ? [{ id: 'ExpireAfterRetention', expiration: props.retention }] : []),
        ...hygieneRules(),
        ...(bucketProps.lifecycleRules ?? []),
      ],
    });
    this.node.defaultChild = this.bucket;
    applyDesignDecisions(this.bucket);
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.loggingConfiguration = {
      destinationBucketName: this.accessLogsBucket.bucketName,
      logFilePrefix: ACCESS_LOG_PREFIX,
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
    };
    // S3 server access logging writes as logging.s3.amazonaws.com, scoped to this bucket and account
    this.accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowServerAccessLogsOfThePersonalDataBucket',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.accessLogsBucket.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': this.bucket.env.account },
      },
    }));
    // ... and encrypts them under the key (aws:SourceAccount: the key policy cannot name the
    // bucket's ARN, which depends on the key)
    this.encryptionKey.grant(new iam.ServicePrincipal('logging.s3.amazonaws.com'), 'kms:GenerateDataKey');

    for (const statement of encryptionStatements(this.bucket, this.encryptionKey.keyArn)) {
      this.bucket.addToResourcePolicy(statement);
    }
    this.bucket.addToResourcePolicy(accessTagStatement(this.bucket, accessLevels));
    if (tenancy === TenancyModel.POOLED) {
      for (const statement of pooledTenancyStatements(this.bucket)) {
        this.bucket.addToResourcePolicy(statement);
      }
    }

    classifyStore(this.bucket, classification, tenancy, this.dsrCoverage, props);
    // access logs hold requester identities and IP addresses and the object keys (which name subjects);
    // they are security records kept under Cal. Civ. Code 1798.105(d)(2), so DSR-exempt
    PrivacyClassification.apply(this.accessLogsBucket, {
      classification,
      categories: [DataCategory.DEVICE, DataCategory.UNIQUE_ID],
      dsr: DsrCoverage.EXEMPT,
      owner: props.owner,
      purposes: [DataPurpose.SECURITY],
      ...declaredLogRetention(logRetention),
    });
    ensureAppSingletons(this); // the privacy inventory, which finds this store at synth
  }

  /**
   * Grant reading objects matching `objectsKeyPattern` and decrypting them through S3; tags the
   * grantee `privacy:access`. Exactly `s3:ListBucket` on the bucket and `s3:GetObject` on the objects
   * (no wildcard action): not old object versions, which hold deleted data until they expire, nor
   * ACLs, tags or bucket settings.
   *
   * In a pooled bucket every grant is limited to the session's tenant, as the bucket policy is:
   * `objectsKeyPattern` is relative to `tenants/${aws:PrincipalTag/tenant}/` (the object ARN is
   * `<bucket>/tenants/${aws:PrincipalTag/tenant}/<objectsKeyPattern>`), and `s3:ListBucket` carries
   * `StringLike` `s3:prefix` `tenants/${aws:PrincipalTag/tenant}/*`. A session without a `tenant`
   * tag reaches nothing (the policy variable of an absent tag matches no request).
   *
   * @param objectsKeyPattern the object keys, relative to the tenant's prefix in a pooled bucket
   */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantS3(grantee, BUCKET_READ_ACTIONS, OBJECT_READ_ACTIONS, objectsKeyPattern, KEY_READ_ACTIONS);
  }

  /**
   * Grant writing objects matching `objectsKeyPattern` and encrypting them through S3; tags the
   * grantee `privacy:access`. Exactly `s3:PutObject`, `s3:PutObjectTagging` and
   * `s3:AbortMultipartUpload` on the objects; in a pooled bucket under the session's tenant prefix
   * (see `grantRead`).
   *
   * @param objectsKeyPattern the object keys, relative to the tenant's prefix in a pooled bucket
   */
  public grantWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantS3(grantee, [], OBJECT_WRITE_ACTIONS, objectsKeyPattern, KEY_WRITE_ACTIONS);
  }

  /**
   * Grant what `grantRead` and `grantWrite` grant; tags the grantee `privacy:access`.
   *
   * @param objectsKeyPattern the object keys, relative to the tenant's prefix in a pooled bucket
   */
  public grantReadWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantS3(grantee, BUCKET_READ_ACTIONS, [...OBJECT_READ_ACTIONS, ...OBJECT_WRITE_ACTIONS].sort(), objectsKeyPattern,
      [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS]);
  }

  /**
   * Grant deleting objects matching `objectsKeyPattern`: exactly `s3:DeleteObject`, which adds a
   * delete marker; the old version expires after `noncurrentVersionExpiration`. Destroying versions
   * at once is a DsrWorkflow's job (`grantDsrAccess`). Tags the grantee `privacy:access` (the bucket
   * policy requires it). In a pooled bucket under the session's tenant prefix (see `grantRead`).
   *
   * @param objectsKeyPattern the object keys, relative to the tenant's prefix in a pooled bucket
   */
  public grantDelete(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    // deleting needs no key use, but the bucket policy denies principals without the tag
    return this.grantS3(grantee, [], OBJECT_DELETE_ACTIONS, objectsKeyPattern, ['kms:Decrypt']);
  }

  /**
   * Grant a DSR workflow role exactly: `s3:ListBucket` and `s3:ListBucketVersions` under subject
   * prefixes (find), `s3:GetObject` and `s3:GetObjectVersion` (export), `s3:PutObject` (correct),
   * `s3:DeleteObject` and `s3:DeleteObjectVersion` (delete every version), on objects matching the
   * subject prefix template only; plus use of the key. Tags the role `privacy:workflow=dsr`.
   */
  public grantDsrAccess(grantee: iam.IGrantable): iam.Grant {
    return grantBucketToDsrWorkflow(grantee, this.bucket, placeholdersToWildcards(this.subjectPrefixTemplate))
      .combine(this.encryptionKey.grantToDsrWorkflow(grantee));
  }

  /**
   * One statement per resource type (bucket, objects), added to the grantee's policy (or to the
   * bucket policy for a principal of another account), plus the key grant, which tags the grantee.
   * In a pooled bucket the object ARN lies under the tenant's prefix and listing carries an
   * `s3:prefix` condition (separate statements: a `s3:prefix` condition on object actions would
   * deny them, their requests have no prefix).
   */
  private grantS3(
    grantee: iam.IGrantable,
    bucketActions: string[],
    objectActions: string[],
    objectsKeyPattern: string,
    keyActions: string[],
  ): iam.Grant {
    const pooled = this.tenancy === TenancyModel.POOLED;
    const statement = (actions: string[], arn: string, conditions?: Record<string, Record<string, unknown>>): LibraryGrant =>
      ({ actions, resourceArns: [arn], ...(conditions ? { conditions } : {}) });
    const statements = [
      ...(bucketActions.length > 0 ? [statement(bucketActions, this.bucket.bucketArn, pooled ? tenantListConditions() : undefined)] : []),
      statement(objectActions, this.bucket.arnForObjects(pooled ? `${TENANT_OBJECT_PREFIX}${objectsKeyPattern}` : objectsKeyPattern)),
    ];
    const reason = `Object keys are chosen at run time: the grant names the exact actions (${objectActions.join(', ')}) on the objects matching ${JSON.stringify(objectsKeyPattern)}${pooled ? ' under the session\'s own tenants/${aws:PrincipalTag/tenant}/ prefix' : ''} of this one bucket, in a policy cdk-ccpa creates for this bucket's grants to this role only.`;
    const objects = grantInLibraryPolicy(this, grantee, statements, reason,
      (g) => iam.Grant.addToPrincipalOrResource({ grantee, ...g, resource: this.bucket }));
    return objects.combine(this.encryptionKey.grant(grantee, ...keyActions));
  }

  /** How a DsrWorkflow finds one subject's objects here, and how the bucket is protected. */
  public describePersonalData(): PersonalDataStoreDescription {
    const c = PrivacyClassification.of(this.bucket);
    return {
      kind: PersonalDataStoreKind.S3_BUCKET,
      constructPath: this.node.path,
      name: this.bucket.bucketName,
      arn: this.bucket.bucketArn,
      classification: this.classification,
      categories: c.categories,
      ...(c.purposes.length > 0 ? { purposes: c.purposes } : {}),
      tenancy: this.tenancy,
      dsrCoverage: this.dsrCoverage,
      ...(this.siloTenant !== undefined ? { siloTenant: this.siloTenant } : {}),
      encryptionKey: this.encryptionKey,
      subjectPrefixTemplate: this.subjectPrefixTemplate,
      deletionLatency: this.noncurrentVersionExpiration,
      accessLogRetention: this.accessLogsRetention,
    };
  }
}

/** Event notifications, and the findings every personal data bucket answers by design (acknowledged on its L1 with the reason). */
function applyDesignDecisions(bucket: s3.Bucket): void {
  // object-level events to EventBridge, for downstream processors that must learn of deletions
  // (11 CCR 7022(b)) and for Control Tower's CT.S3.PR.4; set on the L1, which needs no custom resource
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  const replication = 'Replicating personal information creates a second copy that every deletion request (Cal. Civ. Code 1798.105) must also reach and that a DsrWorkflow does not know about; recovery comes from versioning (bounded by the noncurrent-version expiration) and from PersonalDataBackupPlan, whose retention is bounded so deleted data ages out (11 CCR 7022(d)).';
  acknowledgeAll(bucket.node.defaultChild!, packRuleIds(HIPAA_NIST_PCI_PACKS, 'S3BucketReplicationEnabled'), replication);
  expectExemption(bucket, CFN_GUARD_PLUGIN, 's3_bucket_object_lock_enabled_check',
    'Object Lock is refused on personal data buckets (Control Tower CT.S3.PR.9): it keeps object versions undeletable, so a consumer\'s deletion request under Cal. Civ. Code 1798.105 could not be honoured. Versioning protects against accidental loss instead, with a bounded noncurrent-version expiration.');
}

/** The settings both buckets share (data and access logs). */
function secureBucketProps(key: PrivacyKey): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    publicReadAccess: false,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectLockEnabled: false,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/** The shorter of a duration and an optional bound (both in whole days when resolved). */
function shorterOf(value: Duration, bound: Duration | undefined): Duration {
  if (bound === undefined || bound.isUnresolved() || value.isUnresolved()) return value;
  return bound.toDays({ integral: false }) < value.toDays({ integral: false }) ? bound : value;
}

/** The access logs' retention as a declaration: the log expiration, with a reason when above ten years. */
function declaredLogRetention(logRetention: Duration): { retention?: Duration; indefiniteRetentionReason?: string } {
  if (logRetention.isUnresolved()) return {};
  const days = logRetention.toDays({ integral: false });
  return days > MAX_EXPIRING_RETENTION_DAYS
    ? { retention: logRetention, indefiniteRetentionReason: 'security records: accessLogsRetention chosen by the application' }
    : { retention: logRetention };
}

function hygieneRules(): s3.LifecycleRule[] {
  return [{ id: 'CleanUpDeleteMarkersAndUploads', expiredObjectDeleteMarker: true, abortIncompleteMultipartUploadAfter: Duration.days(7) }];
}

function validateDays(v: PropsValidator, prop: string, value: Duration, min: number, max: number | undefined, reason: string): void {
  const days = value.toDays({ integral: false });
  if (Token.isUnresolved(days)) {
    return;
  }
  const code = prop.charAt(0).toUpperCase() + prop.slice(1);
  v.check(days < min, `${code}TooShort`, `${prop} ${days} days is below the minimum of ${min} days (${reason}): set it to at least Duration.days(${min}).`);
  v.check(max !== undefined && days > max, `${code}TooLong`, `${prop} ${days} days is above the maximum of ${max} days (${reason}): set it to at most Duration.days(${max}).`);
  v.check(!Number.isInteger(days), `${code}NotWholeDays`, `${prop} ${days} days is not a whole number of days: S3 lifecycle rules count whole days, so round it.`);
}

/** Every `bucketProps` setting that would break compliance, with the reason. */
function validateBucketProps(v: PropsValidator, p: s3.BucketProps): void {
  v.check(p.objectLockEnabled === true || p.objectLockDefaultRetention !== undefined, 'ObjectLockRefused',
    `bucketProps.objectLockEnabled ${String(p.objectLockEnabled ?? 'with objectLockDefaultRetention')} would keep versions undeletable against a deletion request (Cal. Civ. Code 1798.105): remove it and keep retained records in a separate bucket.`);
  v.check(p.publicReadAccess === true, 'PublicReadRefused',
    'bucketProps.publicReadAccess true would disclose personal information (a breach to notify under Cal. Civ. Code 1798.82, and the exposure of Cal. Civ. Code 1798.150(a)(1)): remove it.');
  const bpa = p.blockPublicAccess;
  v.check(bpa !== undefined && !(bpa.blockPublicAcls && bpa.blockPublicPolicy && bpa.ignorePublicAcls && bpa.restrictPublicBuckets), 'PublicAccessBlockOff',
    `bucketProps.blockPublicAccess ${JSON.stringify(bpa)}: all four public access blocks must stay on for personal information, so remove the prop.`);
  v.check(p.encryption !== undefined && p.encryption !== s3.BucketEncryption.KMS, 'EncryptionNotCustomerManaged',
    `bucketProps.encryption ${String(p.encryption)} lets any principal with s3:GetObject read the data: remove it, the bucket uses SSE-KMS under a customer-managed PrivacyKey.`);
  v.check(p.encryptionKey !== undefined, 'EncryptionKeyInBucketProps',
    'bucketProps.encryptionKey is refused: pass a PrivacyKey as the encryptionKey prop, so that its key policy follows the tag model.');
  v.check(p.bucketKeyEnabled === false, 'BucketKeyOff', 'bucketProps.bucketKeyEnabled false is refused: remove it, the S3 bucket key cuts KMS calls without weakening the key policy.');
  v.check(p.versioned === false, 'VersioningOff',
    'bucketProps.versioned false would lose data to an accidental overwrite or delete: remove it and bound old versions with noncurrentVersionExpiration.');
  v.check(p.enforceSSL === false, 'TlsNotEnforced', 'bucketProps.enforceSSL false would let personal information travel without TLS: remove it.');
  v.check(p.minimumTLSVersion !== undefined && !Token.isUnresolved(p.minimumTLSVersion) && p.minimumTLSVersion < 1.2, 'TlsBelow12',
    `bucketProps.minimumTLSVersion ${p.minimumTLSVersion} is below TLS 1.2: set it to 1.2 or higher, or remove it.`);
  v.check(p.objectOwnership !== undefined && p.objectOwnership !== s3.ObjectOwnership.BUCKET_OWNER_ENFORCED, 'AclsEnabled',
    `bucketProps.objectOwnership ${String(p.objectOwnership)} would enable ACLs beside the bucket policy and privacy tags: remove it (BUCKET_OWNER_ENFORCED).`);
  v.check(p.accessControl !== undefined && p.accessControl !== s3.BucketAccessControl.PRIVATE, 'AclRefused',
    `bucketProps.accessControl ${String(p.accessControl)} is refused because ACLs are disabled on a personal data bucket: remove it.`);
  v.check(p.serverAccessLogsBucket !== undefined || p.serverAccessLogsPrefix !== undefined, 'AccessLogsInBucketProps',
    'bucketProps.serverAccessLogsBucket/serverAccessLogsPrefix is refused because the construct logs to its own access-log bucket: set accessLogsRetention instead.');
  v.check(p.autoDeleteObjects === true, 'AutoDeleteRefused',
    'bucketProps.autoDeleteObjects true is refused because the bucket policy denies its untagged custom-resource role: erase personal data through a DsrWorkflow or a tagged role.');
}
