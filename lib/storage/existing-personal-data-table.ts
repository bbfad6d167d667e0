import { Duration, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { IPersonalDataStore, PersonalDataStoreDescription, PersonalDataStoreKind } from './personal-data-store';
import { addAccountChecks, checkAccountChecksReach, checkExistingKey, describeKey, grantExistingKeyToDsr, inAppResource, untagRules } from './private/existing-store';
import { grantTableToDsrWorkflow } from './private/grant-actions';
import { checkCorrectable, checkSiloTenant, classificationOf } from './private/store-props';
import { SUBJECT_PLACEHOLDER, TENANT_PLACEHOLDER } from './subject-key-layout';
import { DataCategory } from '../classification/data-category';
import { DataPurpose } from '../classification/data-purpose';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage, TenancyModel } from '../classification/privacy-tag-keys';
import { ensureAppSingletons } from '../private/app-singletons';
import { PropsValidator } from '../private/validation';

/** The longest point-in-time recovery window DynamoDB offers. */
const MAX_PITR_DAYS = 35;

/** Props of an ExistingPersonalDataTable. */
export interface ExistingPersonalDataTableProps {
  /**
   * The existing table, e.g. `dynamodb.Table.fromTableAttributes(this, 'Orders', { tableName: 'orders' })`
   * (a `dynamodb.TableV2` reference fits too).
   */
  readonly table: dynamodb.ITable;

  /**
   * The customer-managed key the table is encrypted under, by its key ARN
   * (`kms.Key.fromKeyArn`), or a PrivacyKey of this app. An alias and an AWS managed key are
   * refused. A grant on an imported key only adds to the DSR role's identity policy: the key
   * policy must let the account's IAM policies allow its use (the default key policy does).
   */
  readonly encryptionKey: kms.IKey;

  /** The name of the table's partition key attribute. */
  readonly partitionKeyName: string;

  /**
   * The name of the table's sort key attribute.
   *
   * @default - the table has no sort key
   */
  readonly sortKeyName?: string;

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
   * The tenancy model: POOLED tables hold many tenants' items, and `subjectValueTemplate` must
   * then carry `{tenant}`.
   *
   * @default TenancyModel.SILO
   */
  readonly tenancy?: TenancyModel;

  /**
   * SILO only: the one tenant whose data the table holds (1 to 64 letters, digits, `_` or `-`).
   *
   * @default - the organization's (no tenant reaches it through a DsrApi)
   */
  readonly siloTenant?: string;

  /**
   * Whether a DsrWorkflow reaches the table.
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
   * How long an item is kept (Cal. Civ. Code 1798.100(a)(3)), as the table's owners apply it
   * (declared: the construct does not change the table's TTL).
   *
   * @default - none declared
   */
  readonly retention?: Duration;

  /**
   * Why items are kept without an expiration or longer than ten years.
   *
   * @default - none
   */
  readonly indefiniteRetentionReason?: string;

  /**
   * The attribute that identifies an item's data subject: the partition key of `subjectIndexName`.
   *
   * @default 'subjectId'
   */
  readonly subjectAttribute?: string;

  /**
   * The global secondary index keyed by `subjectAttribute` (it must project at least the table's keys).
   *
   * @default 'subject-index'
   */
  readonly subjectIndexName?: string;

  /**
   * The value of `subjectAttribute` for one subject, with `{subject}` (and in a pooled table
   * `{tenant}`) placeholders, e.g. `USER#{subject}`.
   *
   * @default - `{tenant}#{subject}` when pooled, `{subject}` otherwise
   */
  readonly subjectValueTemplate?: string;

  /**
   * The attributes a CORRECT request may set where an item lacks them.
   *
   * @default - only attributes an item already has are corrected
   */
  readonly correctableAttributes?: string[];

  /**
   * The table's point-in-time recovery window (1 to 35 days), the time a deleted item stays
   * restorable. Declared: synth cannot read it from an imported table (the account check verifies
   * that point-in-time recovery is on, not the window).
   *
   * @default Duration.days(35)
   */
  readonly pointInTimeRecoveryWindow?: Duration;

  /**
   * The attribute DynamoDB TTL expires items by, if the table has TTL on (declared).
   *
   * @default - no TTL declared
   */
  readonly timeToLiveAttribute?: string;

  /**
   * Verify the declared settings in the account with AWS Config managed rules scoped to this table:
   * DYNAMODB_PITR_ENABLED, and DYNAMODB_TABLE_ENCRYPTED_KMS with `encryptionKey` (they need a
   * configuration recorder). `false` leaves them declared, not verified, which the inventory says.
   *
   * @default true
   */
  readonly verifyInAccount?: boolean;
}

/**
 * A DynamoDB table this library did not create, registered as a personal data store: a DsrWorkflow
 * serves it and the privacy inventory lists it. Its settings are declared; synth checks the props,
 * AWS Config rules check the table in the account (`verifyInAccount`).
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#existing-stores).
 */
export class ExistingPersonalDataTable extends Construct implements IPersonalDataStore {
  /** The table. */
  public readonly table: dynamodb.ITable;
  /** The key the table is encrypted under. */
  public readonly encryptionKey: kms.IKey;
  /** The classification of the data held. */
  public readonly classification: DataClassification;
  /** The tenancy model. */
  public readonly tenancy: TenancyModel;
  /** The attribute that identifies an item's data subject. */
  public readonly subjectAttribute: string;
  /** The subject index. */
  public readonly subjectIndexName: string;
  /** The AWS Config rules that verify the declared settings (empty when `verifyInAccount` is false). */
  public readonly accountChecks: config.CfnConfigRule[];

  private readonly description: PersonalDataStoreDescription;

  constructor(scope: Construct, id: string, props: ExistingPersonalDataTableProps) {
    super(scope, id);
    const classification = props.classification ?? DataClassification.PERSONAL;
    const tenancy = props.tenancy ?? TenancyModel.SILO;
    const window = props.pointInTimeRecoveryWindow ?? Duration.days(MAX_PITR_DAYS);
    const subjectAttribute = props.subjectAttribute ?? 'subjectId';
    const subjectIndexName = props.subjectIndexName ?? 'subject-index';
    const template = props.subjectValueTemplate
      ?? (tenancy === TenancyModel.POOLED ? `${TENANT_PLACEHOLDER}#${SUBJECT_PLACEHOLDER}` : SUBJECT_PLACEHOLDER);
    const keys = [props.partitionKeyName, ...(props.sortKeyName !== undefined ? [props.sortKeyName] : [])];

    const v = new PropsValidator(this, 'InvalidExistingPersonalDataTableProps');
    classificationOf(v, classification, 'no construct (leave the table unregistered)');
    v.check(props.table === undefined, 'TableMissing', 'table is missing: pass the existing table, e.g. dynamodb.Table.fromTableAttributes(this, \'Orders\', { tableName: \'orders\' }).');
    checkExistingKey(v, this, props.encryptionKey, classification, 'dynamodb');
    for (const [prop, value] of [['partitionKeyName', props.partitionKeyName], ['sortKeyName', props.sortKeyName],
      ['subjectAttribute', subjectAttribute], ['subjectIndexName', subjectIndexName], ['timeToLiveAttribute', props.timeToLiveAttribute]] as const) {
      if (value === undefined && prop !== 'partitionKeyName') continue;
      v.check(value === undefined || Token.isUnresolved(value) || !/^[A-Za-z0-9_.-]{1,255}$/.test(value), `${prop.charAt(0).toUpperCase()}${prop.slice(1)}Invalid`,
        `${prop} ${JSON.stringify(value)} is not an attribute or index name of 1 to 255 letters, digits, _, . or - (without tokens): a DsrWorkflow finds and deletes the subject's items by it, so give the table's literal name.`);
    }
    v.check(keys.includes(subjectAttribute), 'SubjectAttributeIsKey',
      `subjectAttribute "${subjectAttribute}" is a key attribute of the table: the subject index must be a separate attribute, so that a request finds the subject's items by Query, not by the table key.`);
    v.check(props.timeToLiveAttribute !== undefined && [...keys, subjectAttribute].includes(props.timeToLiveAttribute), 'TimeToLiveAttributeIsKey',
      `timeToLiveAttribute "${props.timeToLiveAttribute}" is a key attribute of the table or its subject index, which TTL cannot read as epoch seconds: name the table's TTL attribute, or leave it out.`);
    checkValueTemplate(v, template, tenancy);
    const days = window.toDays({ integral: false });
    if (!Token.isUnresolved(days)) {
      v.check(days < 1 || days > MAX_PITR_DAYS || !Number.isInteger(days), 'PointInTimeRecoveryWindowOutOfRange',
        `pointInTimeRecoveryWindow ${days} days is outside the 1 to ${MAX_PITR_DAYS} whole days DynamoDB keeps (the time a deleted item stays restorable): declare the table's window in whole days.`);
    }
    checkSiloTenant(v, tenancy, props.siloTenant);
    if (props.table !== undefined) checkAccountChecksReach(v, this, props.table, props.table.tableArn, props.verifyInAccount ?? true, 'table');
    checkCorrectable(v, props.correctableAttributes, [...keys, subjectAttribute]);
    v.throwIfInvalid();

    this.table = props.table;
    this.encryptionKey = props.encryptionKey;
    this.classification = classification;
    this.tenancy = tenancy;
    this.subjectAttribute = subjectAttribute;
    this.subjectIndexName = subjectIndexName;

    const verify = props.verifyInAccount ?? true;
    this.accountChecks = verify ? addAccountChecks(this, 'AWS::DynamoDB::Table', this.table.tableName, [
      { id: 'VerifyPointInTimeRecovery', identifier: 'DYNAMODB_PITR_ENABLED', verifies: 'point-in-time recovery on' },
      { id: 'VerifyEncryptionKey', identifier: 'DYNAMODB_TABLE_ENCRYPTED_KMS', verifies: 'encrypted under the declared KMS key', parameters: { kmsKeyArns: this.encryptionKey.keyArn } },
    ]) : [];
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
    // a table of this app (not an import): tag it, so that CcpaChecks checks it at synth as it checks the library's own
    const inApp = inAppResource(this.table);
    if (inApp) PrivacyClassification.apply(this.table, classificationProps);

    const declared = [
      ...(inApp ? [`defined in this app (${inApp.node.path}): tagged, CcpaChecks checks its settings at synth`] : []),
      `encrypted under ${describeKey(this.encryptionKey)}`,
      `point-in-time recovery on, ${days}-day window`,
      `subject index ${subjectIndexName} keyed by ${subjectAttribute}, projecting the table keys`,
      ...(props.timeToLiveAttribute !== undefined ? [`TTL on ${props.timeToLiveAttribute}`] : []),
      ...(props.retention !== undefined ? [`items kept ${props.retention.toHumanString()}`] : []),
    ];
    this.description = {
      kind: PersonalDataStoreKind.DYNAMODB_TABLE,
      constructPath: this.node.path,
      name: this.table.tableName,
      arn: this.table.tableArn,
      classification,
      categories: applied.categories,
      ...(applied.purposes.length > 0 ? { purposes: applied.purposes } : {}),
      tenancy,
      dsrCoverage: props.dsr ?? DsrCoverage.COVERED,
      ...(props.siloTenant !== undefined ? { siloTenant: props.siloTenant } : {}),
      encryptionKey: this.encryptionKey,
      subjectIndexName,
      subjectAttribute,
      subjectValueTemplate: template,
      tableKeyAttributes: keys,
      ...(props.correctableAttributes !== undefined ? { correctableAttributes: [...props.correctableAttributes] } : {}),
      deletionLatency: window,
      ...(props.timeToLiveAttribute !== undefined ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
      declaredSettings: declared,
      verifiedBy: this.accountChecks.map((r) => r.node.path),
    };
    ensureAppSingletons(this); // the privacy inventory, which finds this store at synth
  }

  /**
   * Grant a DSR workflow role exactly what PrivacyTable grants it: `dynamodb:Query` on the subject
   * index, `dynamodb:GetItem`, `UpdateItem` and `DeleteItem` on the table, and use of the key
   * (a non-PrivacyKey: through DynamoDB only, `kms:ViaService`). Tags the role `privacy:workflow=dsr`.
   */
  public grantDsrAccess(grantee: iam.IGrantable): iam.Grant {
    return grantTableToDsrWorkflow(grantee, this.table, this.subjectIndexName)
      .combine(grantExistingKeyToDsr(this, this.encryptionKey, grantee, 'dynamodb'));
  }

  /** How a DsrWorkflow finds one subject's items here, and what the app declared about the table. */
  public describePersonalData(): PersonalDataStoreDescription {
    return { ...this.description, categories: [...this.description.categories] };
  }
}

/** The subject value template: a literal with `{subject}`, only the two placeholders, `{tenant}` when pooled. */
function checkValueTemplate(v: PropsValidator, template: string, tenancy: TenancyModel): void {
  if (Token.isUnresolved(template)) {
    v.fail('SubjectValueTemplateToken', 'subjectValueTemplate is a token: pass a literal string, because the DSR handlers build the subject index value from it.');
    return;
  }
  const shown = JSON.stringify(template);
  v.check(!template.includes(SUBJECT_PLACEHOLDER), 'SubjectValueWithoutSubject',
    `subjectValueTemplate ${shown} has no ${SUBJECT_PLACEHOLDER} placeholder, so every request would look up the same index value: add it, e.g. "USER#${SUBJECT_PLACEHOLDER}".`);
  v.check(/\{(?!tenant\}|subject\})[^}]*\}/.test(template), 'SubjectValuePlaceholders',
    `subjectValueTemplate ${shown} may hold only the placeholders ${TENANT_PLACEHOLDER} and ${SUBJECT_PLACEHOLDER}: remove the others.`);
  v.check(tenancy === TenancyModel.POOLED && !template.includes(TENANT_PLACEHOLDER), 'SubjectValueWithoutTenant',
    `subjectValueTemplate ${shown} of a pooled table has no ${TENANT_PLACEHOLDER} placeholder, so one tenant's request would reach every tenant's items: put it in, e.g. "${TENANT_PLACEHOLDER}#${SUBJECT_PLACEHOLDER}".`);
}
