import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PersonalDataBackupPlan } from './personal-data-backup-plan';
import { IPersonalDataStore, PersonalDataStoreDescription, PersonalDataStoreKind } from './personal-data-store';
import {
  grantTableToDsrWorkflow, KEY_READ_ACTIONS, KEY_WRITE_ACTIONS, TABLE_METADATA_ACTIONS, TABLE_WRITE_ACTIONS, indexReadActions,
  tableReadActions, tenantLeadingKeysConditions,
} from './private/grant-actions';
import { checkCorrectable, checkKey, checkSiloTenant, classificationOf, classifyStore } from './private/store-props';
import { tablePolicyStatements } from './private/table-policy';
import { SUBJECT_PLACEHOLDER, TENANT_PLACEHOLDER } from './subject-key-layout';
import { accessLevelsFor } from '../classification/access-levels';
import { DataCategory } from '../classification/data-category';
import { DataPurpose } from '../classification/data-purpose';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage, TenancyModel } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { acknowledgeAll, HIPAA_NIST_PACKS, packRuleIds } from '../private/acknowledgements';
import { ensureAppSingletons } from '../private/app-singletons';
import { PropsValidator } from '../private/validation';

/** The longest point-in-time recovery window DynamoDB offers, and the default. */
const MAX_PITR_DAYS = 35;

/** Props of a PrivacyTable. */
export interface PrivacyTableProps {
  /**
   * The customer-managed key the table (and its indexes, streams and backups) is encrypted
   * under. Its classification must be at least the table's.
   *
   * @default - a new PrivacyKey of the table's classification
   */
  readonly encryptionKey?: PrivacyKey;

  /**
   * How the table is encrypted. Only `CUSTOMER_MANAGED` is accepted: with an AWS owned or AWS
   * managed key, any principal allowed `dynamodb:GetItem` reads the data, and the key policy of a
   * PrivacyKey is what limits decryption to tagged principals (Cal. Civ. Code 1798.81.5(b); 11 CCR § 7123(c)(2)).
   *
   * @default dynamodb.TableEncryption.CUSTOMER_MANAGED
   */
  readonly encryption?: dynamodb.TableEncryption;

  /**
   * The classification of the data held. `NON_PERSONAL` is refused: use `dynamodb.Table`.
   *
   * @default DataClassification.PERSONAL
   */
  readonly classification?: DataClassification;

  /**
   * The categories of personal information held.
   *
   * @default - none declared
   */
  readonly categories?: DataCategory[];

  /**
   * The tenancy model. `POOLED` limits every item request, through the table's resource policy,
   * to partition keys (of the table and of its indexes) that start with
   * `${aws:PrincipalTag/tenant}#` (`dynamodb:LeadingKeys`), and denies requests without a
   * partition key (Scan) and sessions without a `tenant` tag.
   *
   * @default TenancyModel.SILO
   */
  readonly tenancy?: TenancyModel;

  /**
   * SILO only: the one tenant whose data the table holds (a tenant id: 1 to 64 letters, digits, `_`
   * or `-`). A DsrWorkflow then serves the table only for that tenant's requests. Without it a SILO
   * table belongs to the organization, and a DsrWorkflow over it cannot be fronted by a DsrApi.
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
   * How long an item is kept (Cal. Civ. Code 1798.100(a)(3)), tagged `privacy:retention-days`.
   * DynamoDB TTL deletes an item once the epoch-seconds value of `timeToLiveAttribute` has
   * passed: whoever writes an item sets it, e.g. `table.expiryOf(new Date())` (now plus the
   * retention). Items without the attribute never expire. Whole days, at most ten years unless
   * `indefiniteRetentionReason` says why.
   *
   * @default - none declared (CcpaChecks warns, and fails a sensitive table)
   */
  readonly retention?: Duration;

  /**
   * Why items are kept without an expiration (without `retention`) or longer than ten years,
   * in AWS tag characters (tag `privacy:retention-reason`, shown in the inventory).
   *
   * @default - none
   */
  readonly indefiniteRetentionReason?: string;

  /**
   * The partition key. In a pooled table its values must be `<tenant>#<rest>`.
   *
   * @default { name: 'pk', type: STRING }
   */
  readonly partitionKey?: dynamodb.Attribute;

  /**
   * The sort key.
   *
   * @default { name: 'sk', type: STRING }
   */
  readonly sortKey?: dynamodb.Attribute;

  /**
   * The attribute that identifies the data subject of an item; the subject index is keyed by it.
   * Its value is `<subject>` in a silo table and `<tenant>#<subject>` in a pooled table, so that
   * a tenant session may query it too.
   *
   * @default 'subjectId'
   */
  readonly subjectAttribute?: string;

  /**
   * The name of the subject index (a global secondary index, keys only).
   *
   * @default 'subject-index'
   */
  readonly subjectIndexName?: string;

  /**
   * The attributes a DsrWorkflow's CORRECT request may set on the subject's items even where an
   * item lacks them. Without it, a correction changes only the attributes an item already has.
   * Key attributes and the subject attribute are never correctable.
   *
   * @default - only attributes an item already has are corrected
   */
  readonly correctableAttributes?: string[];

  /**
   * Whether point-in-time recovery is on. `false` is refused: deleted or corrupted personal data
   * could not be recovered, and deletion requests could not be verified against earlier states.
   *
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;

  /**
   * The point-in-time recovery window (1 to 35 days). It is a deletion latency: a deleted item
   * stays restorable for this long (11 CCR § 7022(d) allows it until the backup is restored or
   * used; replay deletion tombstones after any restore).
   *
   * @default Duration.days(35)
   */
  readonly pointInTimeRecoveryWindow?: Duration;

  /**
   * The attribute DynamoDB TTL expires items by (epoch seconds), for data with a retention period
   * (Cal. Civ. Code 1798.100(a)(3): keep personal information no longer than necessary).
   *
   * @default 'expiresAt'
   */
  readonly timeToLiveAttribute?: string;

  /**
   * Deletion protection. Switching it off is allowed (e.g. to retire a table), and visible in review.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * The backup plan that selects the table (explicitly, besides its classification tag).
   *
   * @default - no AWS Backup plan names the table: its backup is point-in-time recovery (continuous,
   *   `pointInTimeRecoveryWindow`), which keeps no copy beyond the window. A PersonalDataBackupPlan
   *   still selects it by its classification tag if one exists in the account.
   */
  readonly backupPlan?: PersonalDataBackupPlan;

  /**
   * What happens to the table when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A DynamoDB table for personal information, compliant with no props: a PrivacyKey, PITR (35
 * days), deletion protection, a keys-only subject index, and a resource policy that requires
 * `privacy:access` (pooled: the tenant's partition keys).
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#privacytable).
 */
export class PrivacyTable extends Construct implements IPersonalDataStore {
  /** The table. */
  public readonly table: dynamodb.Table;
  /** The key the table is encrypted under. */
  public readonly encryptionKey: PrivacyKey;
  /** The classification of the data held. */
  public readonly classification: DataClassification;
  /** The tenancy model. */
  public readonly tenancy: TenancyModel;
  /** SILO: the one tenant the table belongs to (undefined: the organization's, or POOLED). */
  public readonly siloTenant?: string;
  /** The attribute that identifies an item's data subject. */
  public readonly subjectAttribute: string;
  /** The subject index. */
  public readonly subjectIndexName: string;
  /** The point-in-time recovery window (the deletion latency). */
  public readonly pointInTimeRecoveryWindow: Duration;
  /** The TTL attribute (epoch seconds; DynamoDB deletes the item once it has passed). */
  public readonly timeToLiveAttribute: string;
  /** How long items are kept, if declared. */
  public readonly retention?: Duration;
  /** The backup plan that selects the table explicitly, if any. */
  public readonly backupPlan?: PersonalDataBackupPlan;

  private readonly dsrCoverage: DsrCoverage;
  private readonly keyAttributes: string[];
  private readonly correctableAttributes?: string[];

  constructor(scope: Construct, id: string, props: PrivacyTableProps = {}) {
    super(scope, id);
    const classification = props.classification ?? DataClassification.PERSONAL;
    const tenancy = props.tenancy ?? TenancyModel.SILO;
    const window = props.pointInTimeRecoveryWindow ?? Duration.days(MAX_PITR_DAYS);
    const encryption = props.encryption ?? dynamodb.TableEncryption.CUSTOMER_MANAGED;
    const subjectAttribute = props.subjectAttribute ?? 'subjectId';
    const partitionKey = props.partitionKey ?? { name: 'pk', type: dynamodb.AttributeType.STRING };
    const sortKey = props.sortKey ?? { name: 'sk', type: dynamodb.AttributeType.STRING };

    const v = new PropsValidator(this, 'InvalidPrivacyTableProps');
    classificationOf(v, classification, 'dynamodb.Table');
    checkKey(v, props.encryptionKey, classification);
    v.check(encryption !== dynamodb.TableEncryption.CUSTOMER_MANAGED, 'EncryptionNotCustomerManaged',
      `encryption ${String(encryption)} lets any principal allowed dynamodb:GetItem read the data: remove it, the table is encrypted under a customer-managed PrivacyKey.`);
    v.check(props.pointInTimeRecovery === false, 'PointInTimeRecoveryOff',
      'pointInTimeRecovery false would leave lost or corrupted personal information unrecoverable (Cal. Civ. Code 1798.81.5(b)): remove it.');
    const days = window.toDays({ integral: false });
    if (!Token.isUnresolved(days)) {
      v.check(days < 1 || days > MAX_PITR_DAYS || !Number.isInteger(days), 'PointInTimeRecoveryWindowOutOfRange',
        `pointInTimeRecoveryWindow ${days} days is outside the 1 to ${MAX_PITR_DAYS} whole days DynamoDB keeps (the time a deleted item stays restorable): pick a whole number of days in that range.`);
    }
    v.check(tenancy === TenancyModel.POOLED && partitionKey.type !== dynamodb.AttributeType.STRING, 'PooledPartitionKeyNotString',
      `partitionKey ${partitionKey.name} of type ${partitionKey.type} in a pooled table cannot carry the "<tenant>#..." prefix dynamodb:LeadingKeys matches: make it a STRING.`);
    for (const [prop, value] of [['subjectAttribute', subjectAttribute], ['subjectIndexName', props.subjectIndexName]] as const) {
      v.check(value !== undefined && !Token.isUnresolved(value) && value.trim().length === 0, `${prop.charAt(0).toUpperCase()}${prop.slice(1)}Empty`,
        `${prop} is empty, but the subject index is how a request finds one consumer's items without a Scan: give it a name or leave it out.`);
    }
    const ttl = props.timeToLiveAttribute;
    v.check(ttl !== undefined && !Token.isUnresolved(ttl) && ttl.trim().length === 0, 'TimeToLiveAttributeEmpty',
      'timeToLiveAttribute is empty, but DynamoDB TTL needs an attribute to expire items by (Cal. Civ. Code 1798.100(a)(3)): name one, or leave it out for "expiresAt".');
    v.check(ttl !== undefined && [partitionKey.name, sortKey.name, subjectAttribute].includes(ttl), 'TimeToLiveAttributeIsKey',
      `timeToLiveAttribute "${ttl}" is a key attribute of the table or its subject index, which holds strings, not the epoch seconds TTL reads: choose a separate attribute, e.g. "expiresAt".`);
    v.check(subjectAttribute === partitionKey.name, 'SubjectAttributeIsPartitionKey',
      `subjectAttribute "${subjectAttribute}" is the table's partition key: choose a separate attribute, so that the table key can stay tenant-scoped.`);
    checkSiloTenant(v, tenancy, props.siloTenant);
    checkCorrectable(v, props.correctableAttributes, [partitionKey.name, sortKey.name, subjectAttribute]);
    v.throwIfInvalid();

    this.classification = classification;
    this.tenancy = tenancy;
    this.siloTenant = props.siloTenant;
    this.subjectAttribute = subjectAttribute;
    this.subjectIndexName = props.subjectIndexName ?? 'subject-index';
    this.pointInTimeRecoveryWindow = window;
    this.timeToLiveAttribute = props.timeToLiveAttribute ?? 'expiresAt';
    this.retention = props.retention;
    this.dsrCoverage = props.dsr ?? DsrCoverage.COVERED;
    this.keyAttributes = [partitionKey.name, sortKey.name];
    this.correctableAttributes = props.correctableAttributes;
    this.encryptionKey = props.encryptionKey ?? new PrivacyKey(this, 'Key', { classification });

    const policy = new iam.PolicyDocument({
      statements: tablePolicyStatements(accessLevelsFor(classification), tenancy === TenancyModel.POOLED),
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey,
      sortKey,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: days },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      timeToLiveAttribute: this.timeToLiveAttribute,
      resourcePolicy: policy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: this.subjectIndexName,
      partitionKey: { name: subjectAttribute, type: dynamodb.AttributeType.STRING },
      // keys only: the index finds the subject's items; their content stays in the table
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.node.defaultChild = this.table;

    classifyStore(this.table, classification, tenancy, this.dsrCoverage, props);
    this.backupPlan = props.backupPlan;
    if (this.backupPlan) {
      this.backupPlan.addStore(this);
    } else {
      acknowledgeAll(this.table.node.defaultChild!, packRuleIds(HIPAA_NIST_PACKS, 'DynamoDBInBackupPlan'),
        `The table's backup is point-in-time recovery (continuous, ${days}-day window, encrypted with the table's PrivacyKey). Without a backupPlan prop no AWS Backup plan names it, on purpose: every extra copy of personal information is another place a deletion must reach or wait out (11 CCR 7022(d)). Pass backupPlan: PersonalDataBackupPlan for vault-isolated copies.`);
    }
    ensureAppSingletons(this); // the privacy inventory, which finds this store at synth
  }

  /**
   * The value to write to `timeToLiveAttribute` for an item written at `writtenAt`: epoch seconds
   * `retention` later, so that DynamoDB TTL deletes the item once its retention has passed.
   * Throws when the table declares no retention.
   */
  public expiryOf(writtenAt: Date): number {
    if (this.retention === undefined || this.retention.isUnresolved()) {
      new PropsValidator(this, 'PrivacyTableNoRetention').fail('PrivacyTableNoRetention',
        `expiryOf: retention ${this.retention === undefined ? 'is not declared' : 'is a token'}, so the table has no expiry to write to ${this.timeToLiveAttribute}; set the retention prop to a literal duration (e.g. Duration.days(365)).`).throwIfInvalid();
      return 0;
    }
    return Math.floor(writtenAt.getTime() / 1000) + this.retention.toSeconds();
  }

  /**
   * Grant reading items and decrypting them through DynamoDB; tags the grantee `privacy:access`.
   * Exactly `dynamodb:BatchGetItem`, `GetItem`, `Query`, `DescribeTable` (and `Scan` in a silo
   * table; a pooled table's policy denies it) on the table, and `Query` (and `Scan` in a silo table)
   * on each of its indexes by name: the indexes defined when the grant is made, so add indexes first.
   *
   * In a pooled table the item actions (on the table and on the indexes) carry the tenant condition
   * the table's resource policy enforces: `ForAllValues:StringLike` `dynamodb:LeadingKeys`
   * `${aws:PrincipalTag/tenant}#*` plus `Null` `dynamodb:LeadingKeys` `false`, so the grant alone
   * reaches only the session's tenant, and a session without a `tenant` tag reaches nothing;
   * `DescribeTable` (metadata, no leading key) is a statement of its own.
   */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.grantDynamo(grantee, true, false);
  }

  /**
   * Grant writing items and encrypting them through DynamoDB; tags the grantee `privacy:access`.
   * Exactly `dynamodb:BatchWriteItem`, `ConditionCheckItem`, `DeleteItem`, `DescribeTable`,
   * `PutItem` and `UpdateItem` on the table. In a pooled table the item actions carry the tenant
   * condition described at `grantReadData`.
   */
  public grantWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.grantDynamo(grantee, false, true);
  }

  /** Grant what `grantReadData` and `grantWriteData` grant; tags the grantee `privacy:access`. */
  public grantReadWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.grantDynamo(grantee, true, true);
  }

  /**
   * Grant a DSR workflow role exactly: `dynamodb:Query` on the subject index (find),
   * `dynamodb:GetItem` (export), `dynamodb:UpdateItem` (correct) and `dynamodb:DeleteItem`
   * (delete) on the table; plus use of the key. Tags the role `privacy:workflow=dsr`.
   */
  public grantDsrAccess(grantee: iam.IGrantable): iam.Grant {
    return grantTableToDsrWorkflow(grantee, this.table, this.subjectIndexName)
      .combine(this.encryptionKey.grantToDsrWorkflow(grantee));
  }

  /**
   * The table statement, the index statement (reads) and the key grant, which tags the grantee.
   * In a pooled table, the item statements carry the tenant conditions and `DescribeTable` is a
   * statement of its own. Statements go to the grantee's policy, or to the table's resource policy
   * for a principal of another account.
   */
  private grantDynamo(grantee: iam.IGrantable, read: boolean, write: boolean): iam.Grant {
    const pooled = this.tenancy === TenancyModel.POOLED;
    const conditions = pooled ? tenantLeadingKeysConditions() : undefined;
    const statement = (actions: string[], resourceArns: string[], withConditions?: Record<string, Record<string, unknown>>) =>
      iam.Grant.addToPrincipalOrResource({
        grantee, actions, resourceArns, resource: this.table, ...(withConditions ? { conditions: withConditions } : {}),
      });
    const tableActions = [...new Set([...(read ? tableReadActions(pooled) : []), ...(write ? TABLE_WRITE_ACTIONS : [])])].sort();
    const grants = pooled
      ? [
        statement(tableActions.filter((a) => !TABLE_METADATA_ACTIONS.includes(a)), [this.table.tableArn], conditions),
        statement(TABLE_METADATA_ACTIONS, [this.table.tableArn]),
      ]
      : [statement(tableActions, [this.table.tableArn])];
    const indexes = this.indexNames();
    if (read && indexes.length > 0) {
      grants.push(statement(indexReadActions(pooled), indexes.map((name) => `${this.table.tableArn}/index/${name}`), conditions));
    }
    grants.push(this.encryptionKey.grant(grantee, ...(write ? [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS] : KEY_READ_ACTIONS)));
    return grants.reduce((all, g) => all.combine(g));
  }

  /** The names of the table's global and local secondary indexes, as defined now. */
  private indexNames(): string[] {
    const cfn = this.table.node.defaultChild as dynamodb.CfnTable;
    const stack = Stack.of(this);
    return [cfn.globalSecondaryIndexes, cfn.localSecondaryIndexes]
      .flatMap((indexes) => (stack.resolve(indexes) ?? []) as Array<{ indexName: string }>)
      .map((index) => index.indexName);
  }

  /** How a DsrWorkflow finds one subject's items here, and how the table is protected. */
  public describePersonalData(): PersonalDataStoreDescription {
    const c = PrivacyClassification.of(this.table);
    return {
      kind: PersonalDataStoreKind.DYNAMODB_TABLE,
      constructPath: this.node.path,
      name: this.table.tableName,
      arn: this.table.tableArn,
      classification: this.classification,
      categories: c.categories,
      ...(c.purposes.length > 0 ? { purposes: c.purposes } : {}),
      tenancy: this.tenancy,
      dsrCoverage: this.dsrCoverage,
      ...(this.siloTenant !== undefined ? { siloTenant: this.siloTenant } : {}),
      encryptionKey: this.encryptionKey,
      subjectIndexName: this.subjectIndexName,
      subjectAttribute: this.subjectAttribute,
      subjectValueTemplate: this.tenancy === TenancyModel.POOLED ? `${TENANT_PLACEHOLDER}#${SUBJECT_PLACEHOLDER}` : SUBJECT_PLACEHOLDER,
      tableKeyAttributes: [...this.keyAttributes],
      ...(this.correctableAttributes !== undefined ? { correctableAttributes: [...this.correctableAttributes] } : {}),
      deletionLatency: this.pointInTimeRecoveryWindow,
      timeToLiveAttribute: this.timeToLiveAttribute,
    };
  }
}
