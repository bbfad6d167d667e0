import { Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IPersonalDataStore, PersonalDataStoreDescription, PersonalDataStoreKind } from './personal-data-store';
import { backupRoleStatements, MANAGED_RULES_ARN, RECOVERY_POINTS_ARN, RESTORED_TABLE_SUFFIX } from './private/backup-role-policy';
import { PrivacyPrincipal } from '../classification/privacy-principal';
import { DataClassification, PrivacyAccessLevel, PrivacyTagKeys } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { ensureAppSingletons } from '../private/app-singletons';
import { flattenForNag } from '../private/nag-ids';
import { PropsValidator } from '../private/validation';

/** The longest backup retention accepted, and the default. */
const MAX_RETENTION_DAYS = 35;
/** The shortest grace time of a compliance-mode vault lock that AWS Backup allows. */
const MIN_CHANGEABLE_FOR_DAYS = 3;

/** Props of a PersonalDataBackupPlan. */
export interface PersonalDataBackupPlanProps {
  /**
   * How long a recovery point is kept (1 to 35 days). Backups keep deleted personal information
   * until they expire (11 CCR § 7022(d)), so the retention is bounded: a deletion reaches every
   * backup within 35 days, inside the 45-day response period (Cal. Civ. Code 1798.130(a)(2)).
   *
   * @default Duration.days(35)
   */
  readonly retention?: Duration;

  /**
   * The classifications the plan backs up: `addStore` refuses a store classified otherwise, and
   * with `selectByTag` they are the `privacy:classification` values selected. `NON_PERSONAL` is
   * refused (use `backup.BackupPlan`).
   *
   * @default [DataClassification.PERSONAL, DataClassification.SENSITIVE]
   */
  readonly classifications?: DataClassification[];

  /**
   * Also select every resource tagged `privacy:classification` with one of `classifications`,
   * beyond the stores added with `addStore`.
   *
   * The backup role can only back up and restore the stores added with `addStore` (its policy is
   * built from them, and the bucket and table policies deny everyone else): a resource found only
   * by its tag fails its backup job, which AWS Backup reports. Turn this on to surface
   * personal-data resources that are missing from the plan; they are not listed as backed up in
   * the privacy inventory. Off by default because tagged resources the plan is not meant to copy
   * would be selected too, such as every PersonalDataBucket's access-log bucket.
   *
   * @default false - the plan selects exactly the stores added with `addStore`
   */
  readonly selectByTag?: boolean;

  /**
   * The key the vault encrypts recovery points under (for resource types AWS Backup encrypts
   * itself). It must be `SENSITIVE` when the plan selects sensitive stores.
   *
   * @default - a new SENSITIVE PrivacyKey usable through AWS Backup, S3 and DynamoDB
   */
  readonly encryptionKey?: PrivacyKey;

  /**
   * Lock the vault in compliance mode: after `changeableFor` nobody, the root user included,
   * can delete recovery points early or shorten their retention. Off by default: a locked vault
   * keeps personal information for the full retention even when a deletion request arrives.
   *
   * @default false
   */
  readonly vaultLock?: boolean;

  /**
   * The grace time before a compliance-mode lock becomes immutable (at least 3 days, as AWS
   * Backup requires; a shorter value would make a mistaken lock permanent).
   *
   * @default Duration.days(3)
   */
  readonly vaultLockChangeableFor?: Duration;

  /**
   * What happens to the vault when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * AWS Backup for personal data: a vault under a PrivacyKey, a daily rule kept at most 35 days,
 * an optional compliance-mode lock, and a role whose one customer-managed policy covers exactly
 * the stores added with `addStore`.
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#personaldatabackupplan).
 */
export class PersonalDataBackupPlan extends Construct {
  /** The backup plan. */
  public readonly plan: backup.BackupPlan;
  /** The vault. */
  public readonly vault: backup.BackupVault;
  /** The key of the vault. */
  public readonly encryptionKey: PrivacyKey;
  /** How long recovery points are kept. */
  public readonly retention: Duration;
  /** The role AWS Backup assumes for the plan's selections. */
  public readonly role: iam.Role;
  /** The customer-managed policy of the backup role (see the class documentation). */
  public readonly rolePolicy: iam.CfnManagedPolicy;

  /** The classifications the plan backs up. */
  public readonly classifications: DataClassification[];
  /** Whether the plan also selects resources by their `privacy:classification` tag. */
  public readonly selectsByTag: boolean;

  private readonly stores: PersonalDataStoreDescription[] = [];
  private storeCount = 0;
  private bucketStatementsAcknowledged = false;

  constructor(scope: Construct, id: string, props: PersonalDataBackupPlanProps = {}) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(MAX_RETENTION_DAYS);
    const classifications = props.classifications ?? [DataClassification.PERSONAL, DataClassification.SENSITIVE];
    const changeableFor = props.vaultLockChangeableFor ?? Duration.days(MIN_CHANGEABLE_FOR_DAYS);

    const v = new PropsValidator(this, 'InvalidPersonalDataBackupPlanProps');
    const days = retention.toDays({ integral: false });
    if (!Token.isUnresolved(days)) {
      v.check(days < 1 || !Number.isInteger(days), 'RetentionNotWholeDays',
        `retention ${days} days is not a whole number of days of at least 1, which a backup rule needs: round it up.`);
      v.check(days > MAX_RETENTION_DAYS, 'RetentionTooLong',
        `retention ${days} days is above the maximum of ${MAX_RETENTION_DAYS}, so deleted data would outlive the 45-day response period in backups: set it to at most Duration.days(${MAX_RETENTION_DAYS}).`);
    }
    v.check(classifications.length === 0, 'ClassificationsEmpty', 'classifications is empty, so the plan would select nothing: leave it out or name PERSONAL or SENSITIVE.');
    v.check(classifications.includes(DataClassification.NON_PERSONAL), 'NonPersonalClassification',
      'classifications includes "non-personal", which this plan does not back up: use backup.BackupPlan for non-personal data.');
    const selectsSensitive = classifications.includes(DataClassification.SENSITIVE);
    v.check(props.encryptionKey !== undefined && selectsSensitive && props.encryptionKey.classification !== DataClassification.SENSITIVE, 'KeyBelowPlanClassification',
      `encryptionKey ${props.encryptionKey?.node.path} is classified "${props.encryptionKey?.classification}" but the plan selects sensitive stores: pass a SENSITIVE PrivacyKey.`);
    const changeableDays = changeableFor.toDays({ integral: false });
    v.check(props.vaultLockChangeableFor !== undefined && !props.vaultLock, 'ChangeableForWithoutLock',
      'vaultLockChangeableFor is set but vaultLock is not true: set vaultLock: true or remove vaultLockChangeableFor.');
    v.check(!Token.isUnresolved(changeableDays) && changeableDays < MIN_CHANGEABLE_FOR_DAYS, 'ChangeableForTooShort',
      `vaultLockChangeableFor ${changeableDays} days is below the ${MIN_CHANGEABLE_FOR_DAYS} days of grace AWS Backup requires before a lock becomes immutable: set at least Duration.days(${MIN_CHANGEABLE_FOR_DAYS}).`);
    v.throwIfInvalid();

    this.retention = retention;
    this.classifications = classifications;
    this.selectsByTag = props.selectByTag ?? false;
    this.encryptionKey = props.encryptionKey ?? new PrivacyKey(this, 'VaultKey', {
      classification: DataClassification.SENSITIVE,
      viaServices: ['backup', 's3', 'dynamodb'],
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lockConfiguration: props.vaultLock ? { minRetention: Duration.days(1), maxRetention: retention, changeableFor } : undefined,
    });
    this.plan = new backup.BackupPlan(this, 'Plan', { backupVault: this.vault });
    this.plan.addRule(new backup.BackupPlanRule({
      ruleName: `Daily${days}DayRetention`,
      scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
      deleteAfter: retention,
    }));
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup role of a PersonalDataBackupPlan: backs up and restores the plan\'s stores only',
    });
    const stack = Stack.of(this);
    this.rolePolicy = new iam.CfnManagedPolicy(this, 'RolePolicy', {
      description: 'What AWS Backup needs to back up and restore the stores of one PersonalDataBackupPlan',
      policyDocument: Lazy.any({
        produce: () => new iam.PolicyDocument({ statements: backupRoleStatements(stack, this.stores, this.encryptionKey.keyArn) }),
      }),
      roles: [this.role.roleName],
    });
    // the bucket and table policies deny principals without privacy:access; AWS Backup reads as this role.
    // privacy:workflow=backup exempts it from the tenant statements of pooled stores (a backup copies
    // every tenant), and tells CcpaChecks that its grants cross tenants by design.
    PrivacyPrincipal.tag(this.role, { access: PrivacyAccessLevel.SENSITIVE, backupWorkflow: true });
    if (this.selectsByTag) {
      this.plan.addSelection('PersonalData', {
        resources: classifications.map((c) => backup.BackupResource.fromTag(PrivacyTagKeys.CLASSIFICATION, c)),
        role: this.role,
        disableDefaultBackupPolicy: true,
      });
    }
    ensureAppSingletons(this); // the privacy inventory, which finds this plan and its stores at synth
  }

  /** Construct paths of the stores added with `addStore`, in the order they were added. */
  public get storePaths(): string[] {
    return this.stores.map((s) => s.constructPath);
  }

  /**
   * Back up a store: select it by its ARN and give the backup role exactly what AWS Backup needs
   * to back it up and restore it. The store's classification must be one of `classifications`.
   */
  public addStore(store: IPersonalDataStore): void {
    const description = store.describePersonalData();
    if (this.stores.some((s) => s.constructPath === description.constructPath)) {
      return;
    }
    new PropsValidator(this, 'InvalidPersonalDataBackupPlanStore')
      .check(!this.classifications.includes(description.classification), 'StoreClassificationNotBackedUp',
        `addStore(${description.constructPath}): the store is classified "${description.classification}" but the plan backs up ${this.classifications.map((c) => `"${c}"`).join(', ')} only: add "${description.classification}" to the plan's classifications${description.classification === DataClassification.SENSITIVE ? ' (with a SENSITIVE encryptionKey)' : ''} or use another plan.`)
      .throwIfInvalid();
    this.stores.push(description);
    this.plan.addSelection(`Store${++this.storeCount}`, {
      resources: [backup.BackupResource.fromArn(description.arn)],
      role: this.role,
      disableDefaultBackupPolicy: true,
    });
    this.acknowledgeWildcards(description);
  }

  /** The wildcard resources of the role policy that a store brings, each with its reason. */
  private acknowledgeWildcards(store: PersonalDataStoreDescription): void {
    const stack = Stack.of(this);
    const arn = flattenForNag(stack.resolve(store.arn));
    const ack = (resource: string, reason: string) => ({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    const acks = store.kind === PersonalDataStoreKind.DYNAMODB_TABLE
      ? [
        ack(`${arn}/backup/*`, `The DynamoDB backups of the table ${store.constructPath}: backup ARNs end in a generated name; the role describes, expires and restores only this table's backups.`),
        ack(`${arn}${RESTORED_TABLE_SUFFIX}*`, `DynamoDB restores into a new table; the role may restore and write only tables named after ${store.constructPath} with the suffix ${RESTORED_TABLE_SUFFIX}, never the live table or any other.`),
      ]
      : [ack(`${arn}/*`, `AWS Backup backs up every object version of the bucket ${store.constructPath} and restores them into it; the role reaches no other bucket.`)];
    if (store.kind === PersonalDataStoreKind.S3_BUCKET && !this.bucketStatementsAcknowledged) {
      this.bucketStatementsAcknowledged = true;
      acks.push(
        ack(MANAGED_RULES_ARN, 'AWS Backup creates and manages the EventBridge rules AwsBackupManagedRule* for S3 backups; their names carry a generated suffix, and aws:ResourceAccount and aws:RequestedRegion hold the statement to this account and region.'),
        ack(RECOVERY_POINTS_ARN, 'AWS Backup tags the S3 recovery points it creates, whose ids are generated; aws:ResourceAccount and aws:RequestedRegion hold the statement to this account and region.'),
        ack('*', 'cloudwatch:GetMetricData (bucket size metrics AWS Backup reads to plan an S3 backup) and events:ListRules have no resource-level permissions in the Service Authorization Reference; both are read-only and return no personal information.'),
      );
    }
    Validations.of(this.rolePolicy).acknowledge(...acks);
  }
}
