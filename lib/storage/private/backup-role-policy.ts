import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { viaServiceName } from '../../private/via-service';
import { PersonalDataStoreDescription, PersonalDataStoreKind } from '../personal-data-store';

/**
 * The least-privilege replacement of the AWS managed policies `AWSBackupServiceRolePolicyForBackup`,
 * `AWSBackupServiceRolePolicyForRestores`, `AWSBackupServiceRolePolicyForS3Backup` and
 * `AWSBackupServiceRolePolicyForS3Restore`, reduced to the DynamoDB, S3, KMS, EventBridge and
 * CloudWatch statements that concern the stores of this library, and scoped to the stores of one
 * plan (their ARNs and keys) instead of every table, bucket and key of every account.
 *
 * Actions are listed explicitly (no wildcard actions). Wildcard resources are only:
 * - `<table ARN>/backup/*`: DynamoDB backup ARNs carry a generated backup name;
 * - `<table ARN>-restore*`: restores create a new table (DynamoDB cannot restore in place), named
 *   after the store with a `-restore` suffix;
 * - `<bucket ARN>/*`: every object of the store is backed up;
 * - `arn:*:events:*:*:rule/AwsBackupManagedRule*` and `arn:*:backup:*:*:recovery-point:*`, held to
 *   this account and region by `aws:ResourceAccount` / `aws:RequestedRegion`;
 * - `*` for `cloudwatch:GetMetricData` and `events:ListRules`, which have no resource-level permissions.
 */
export function backupRoleStatements(scope: Stack, stores: PersonalDataStoreDescription[], vaultKeyArn: string): iam.PolicyStatement[] {
  const tables = stores.filter((s) => s.kind === PersonalDataStoreKind.DYNAMODB_TABLE);
  const buckets = stores.filter((s) => s.kind === PersonalDataStoreKind.S3_BUCKET);
  const inThisAccount = { StringEquals: { 'aws:ResourceAccount': scope.account, 'aws:RequestedRegion': scope.region } };
  const statements: iam.PolicyStatement[] = [];
  const keysOf = (list: PersonalDataStoreDescription[]) => [...new Set(list.map((s) => s.encryptionKey.keyArn))];

  if (tables.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: BackupPolicySid.BACK_UP_TABLES,
        // CreateBackup and DescribeTable: on-demand DynamoDB backups; StartAwsBackupJob and
        // ListTagsOfResource: AWS Backup's advanced DynamoDB backups (recovery points in the vault)
        actions: ['dynamodb:CreateBackup', 'dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource', 'dynamodb:StartAwsBackupJob'],
        resources: tables.map((t) => t.arn),
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.MANAGE_TABLE_BACKUPS,
        // expire (DeleteBackup) and restore the table's own DynamoDB backups
        actions: ['dynamodb:DeleteBackup', 'dynamodb:DescribeBackup', 'dynamodb:RestoreTableFromBackup'],
        resources: tables.map((t) => `${t.arn}/backup/*`),
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.RESTORE_TABLES,
        // a restore creates a new table; it may only be named <store table>-restore...
        actions: [
          'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem',
          'dynamodb:Query', 'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:RestoreTableFromBackup', 'dynamodb:Scan', 'dynamodb:UpdateItem',
        ],
        resources: tables.map((t) => `${t.arn}${RESTORED_TABLE_SUFFIX}*`),
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.TABLE_KEYS_THROUGH_DYNAMODB,
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
        resources: keysOf(tables),
        conditions: { StringEquals: { 'kms:ViaService': viaServiceName(scope, 'dynamodb') } },
      }),
    );
  }

  if (buckets.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: BackupPolicySid.BACK_UP_BUCKETS,
        // read the bucket's configuration; Put{Inventory,Bucket}Notification: AWS Backup lists large
        // buckets with S3 Inventory and tracks changes through EventBridge notifications
        actions: [
          's3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketNotification', 's3:GetBucketOwnershipControls', 's3:GetBucketTagging',
          's3:GetBucketVersioning', 's3:GetInventoryConfiguration', 's3:ListBucket', 's3:ListBucketVersions', 's3:ListTagsForResource',
          's3:PutBucketNotification', 's3:PutInventoryConfiguration',
        ],
        resources: buckets.map((b) => b.arn),
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.BACK_UP_AND_RESTORE_OBJECTS,
        // read every version of every object (backup) and write them back (restore into the bucket)
        actions: [
          's3:DeleteObject', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectVersionAcl',
          's3:GetObjectVersionTagging', 's3:ListMultipartUploadParts', 's3:PutObject', 's3:PutObjectAcl', 's3:PutObjectTagging',
          's3:PutObjectVersionAcl',
        ],
        resources: buckets.map((b) => `${b.arn}/*`),
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.BUCKET_KEYS_THROUGH_S3,
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        resources: keysOf(buckets),
        conditions: { StringEquals: { 'kms:ViaService': viaServiceName(scope, 's3') } },
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.MANAGED_EVENT_RULES,
        actions: [
          'events:DeleteRule', 'events:DescribeRule', 'events:DisableRule', 'events:EnableRule', 'events:ListTargetsByRule',
          'events:PutRule', 'events:PutTargets', 'events:RemoveTargets',
        ],
        resources: [MANAGED_RULES_ARN],
        conditions: inThisAccount,
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.TAG_RECOVERY_POINTS,
        actions: ['backup:TagResource'],
        resources: [RECOVERY_POINTS_ARN],
        conditions: inThisAccount,
      }),
      new iam.PolicyStatement({
        sid: BackupPolicySid.LIST_RULES_AND_METRICS,
        // no resource-level permissions: read-only rule names and bucket size metrics
        actions: ['cloudwatch:GetMetricData', 'events:ListRules'],
        resources: ['*'],
      }),
    );
  }

  // AWS services that store data under a key (a restored table, a recovery point) create a grant for it
  statements.push(
    new iam.PolicyStatement({
      sid: BackupPolicySid.GRANTS_FOR_AWS_RESOURCES,
      actions: ['kms:CreateGrant', 'kms:DescribeKey'],
      resources: [...new Set([vaultKeyArn, ...keysOf(stores)])],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  );
  return statements;
}

/** The suffix a restored DynamoDB table's name must start with after the store's table name. */
export const RESTORED_TABLE_SUFFIX = '-restore';
/** The EventBridge rules AWS Backup manages for S3 backups. */
export const MANAGED_RULES_ARN = 'arn:*:events:*:*:rule/AwsBackupManagedRule*';
/** Recovery points (AWS Backup tags the S3 recovery points it creates). */
export const RECOVERY_POINTS_ARN = 'arn:*:backup:*:*:recovery-point:*';

/** `Sid`s of the backup role's policy. */
export const BackupPolicySid = {
  BACK_UP_TABLES: 'BackUpThePlansTables',
  MANAGE_TABLE_BACKUPS: 'ManageTheTablesBackups',
  RESTORE_TABLES: 'RestoreTablesUnderTheirRestoreName',
  TABLE_KEYS_THROUGH_DYNAMODB: 'UseTheTablesKeysThroughDynamoDB',
  BACK_UP_BUCKETS: 'BackUpThePlansBuckets',
  BACK_UP_AND_RESTORE_OBJECTS: 'BackUpAndRestoreTheBucketsObjects',
  BUCKET_KEYS_THROUGH_S3: 'UseTheBucketsKeysThroughS3',
  MANAGED_EVENT_RULES: 'ManageAwsBackupManagedEventRules',
  TAG_RECOVERY_POINTS: 'TagRecoveryPoints',
  LIST_RULES_AND_METRICS: 'ListRulesAndBucketMetrics',
  GRANTS_FOR_AWS_RESOURCES: 'CreateKeyGrantsForAwsResourcesOnly',
} as const;
