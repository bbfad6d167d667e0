import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IPersonalDataStore } from './personal-data-store';
import { PrivacyPrincipal } from '../classification/privacy-principal';
import { DataClassification, PrivacyAccessLevel, PrivacyTagKeys } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { PrivacyInventory } from '../inventory/privacy-inventory';
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
   * The classifications whose stores the plan selects, by their `privacy:classification` tag.
   * `NON_PERSONAL` is refused (use `backup.BackupPlan`).
   *
   * @default [DataClassification.PERSONAL, DataClassification.SENSITIVE]
   */
  readonly classifications?: DataClassification[];

  /**
   * The key the vault encrypts recovery points under (for resource types AWS Backup encrypts
   * itself). It must be `SENSITIVE` when the plan selects sensitive stores.
   *
   * @default - a new SENSITIVE PrivacyKey usable through AWS Backup, S3 and DynamoDB
   */
  readonly vaultKey?: PrivacyKey;

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
 * AWS Backup for personal data: a vault encrypted with a PrivacyKey, a daily rule whose retention
 * is bounded (35 days by default) so that deleted data ages out of backups, an optional
 * compliance-mode vault lock, and a selection of every resource tagged
 * `privacy:classification=personal|sensitive` (plus stores added with `addStore`).
 *
 * The backup role is tagged `privacy:access=sensitive`: the bucket and table policies of
 * PersonalDataBucket and PrivacyTable deny untagged principals, AWS Backup included.
 *
 * After a restore, replay deletion tombstones before the data is used again (11 CCR § 7022(d)).
 */
export class PersonalDataBackupPlan extends Construct {
  /** The backup plan. */
  public readonly plan: backup.BackupPlan;
  /** The vault. */
  public readonly vault: backup.BackupVault;
  /** The key of the vault. */
  public readonly vaultKey: PrivacyKey;
  /** How long recovery points are kept. */
  public readonly retention: Duration;

  private readonly role: iam.IRole;
  private storeCount = 0;

  constructor(scope: Construct, id: string, props: PersonalDataBackupPlanProps = {}) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(MAX_RETENTION_DAYS);
    const classifications = props.classifications ?? [DataClassification.PERSONAL, DataClassification.SENSITIVE];
    const changeableFor = props.vaultLockChangeableFor ?? Duration.days(MIN_CHANGEABLE_FOR_DAYS);

    const v = new PropsValidator(this, 'InvalidPersonalDataBackupPlanProps');
    const days = retention.toDays({ integral: false });
    if (!Token.isUnresolved(days)) {
      v.check(days < 1 || !Number.isInteger(days), `retention ${days} days: a backup rule keeps whole days, at least 1`);
      v.check(days > MAX_RETENTION_DAYS,
        `retention ${days} days is above the maximum of ${MAX_RETENTION_DAYS}: backups keep deleted personal information until they expire (11 CCR 7022(d)), so they must age out within the 45-day response period of Cal. Civ. Code 1798.130(a)(2)`);
    }
    v.check(classifications.length === 0, 'classifications is empty: the plan would select nothing');
    v.check(classifications.includes(DataClassification.NON_PERSONAL),
      'classifications includes "non-personal": this plan bounds the retention of personal information; back up non-personal data with backup.BackupPlan');
    const selectsSensitive = classifications.includes(DataClassification.SENSITIVE);
    v.check(props.vaultKey !== undefined && selectsSensitive && props.vaultKey.classification !== DataClassification.SENSITIVE,
      `vaultKey ${props.vaultKey?.node.path} is classified "${props.vaultKey?.classification}" but the plan selects sensitive stores: principals tagged privacy:access=personal could decrypt sensitive recovery points (Cal. Civ. Code 1798.140(ae))`);
    const changeableDays = changeableFor.toDays({ integral: false });
    v.check(props.vaultLockChangeableFor !== undefined && !props.vaultLock,
      'vaultLockChangeableFor is set but vaultLock is not true');
    v.check(!Token.isUnresolved(changeableDays) && changeableDays < MIN_CHANGEABLE_FOR_DAYS,
      `vaultLockChangeableFor ${changeableDays} days is below ${MIN_CHANGEABLE_FOR_DAYS}: AWS Backup requires at least 3 days of grace before a compliance-mode lock becomes immutable, and a mistaken lock would keep personal information beyond a deletion request`);
    v.throwIfInvalid();

    this.retention = retention;
    this.vaultKey = props.vaultKey ?? new PrivacyKey(this, 'VaultKey', {
      classification: DataClassification.SENSITIVE,
      viaServices: ['backup', 's3', 'dynamodb'],
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.vaultKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lockConfiguration: props.vaultLock ? { minRetention: Duration.days(1), maxRetention: retention, changeableFor } : undefined,
    });
    this.plan = new backup.BackupPlan(this, 'Plan', { backupVault: this.vault });
    this.plan.addRule(new backup.BackupPlanRule({
      ruleName: `Daily${days}DayRetention`,
      scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
      deleteAfter: retention,
    }));
    const selection = this.plan.addSelection('PersonalData', {
      resources: [
        ...classifications.map((c) => backup.BackupResource.fromTag(PrivacyTagKeys.CLASSIFICATION, c)),
      ],
    });
    this.role = selection.grantPrincipal as iam.IRole;
    // the bucket and table policies deny principals without privacy:access; AWS Backup reads as this role
    PrivacyPrincipal.tag(selection, { access: PrivacyAccessLevel.SENSITIVE });
    PrivacyInventory.of(this).registerBackupPlan({
      path: this.node.path,
      classifications: classifications.map(String),
      retentionDays: days,
      account: Stack.of(this).account,
      region: Stack.of(this).region,
    });
  }

  /** Select a store explicitly (in addition to the tag selection), e.g. so that rule packs that look for an explicit selection find it. */
  public addStore(store: IPersonalDataStore): void {
    this.plan.addSelection(`Store${++this.storeCount}`, {
      resources: [backup.BackupResource.fromArn(store.describePersonalData().arn)],
      role: this.role,
    });
  }
}
