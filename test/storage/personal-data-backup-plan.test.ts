import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import {
  DataClassification, PersonalDataBackupPlan, PersonalDataBackupPlanProps, PersonalDataBucket, PrivacyKey,
  PrivacyTable, TenancyModel,
} from '../../lib';
import { ComplianceReport, runComplianceKit, auditedStack } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';

function make(props?: PersonalDataBackupPlanProps) {
  const stack = new Stack(new App(), 'S');
  const plan = new PersonalDataBackupPlan(stack, 'Backups', props);
  return { stack, plan, template: Template.fromStack(stack) };
}

describe('PersonalDataBackupPlan', () => {
  describe('GIVEN no props', () => {
    const { stack, plan, template } = make();

    test('THEN the vault is encrypted with a sensitive PrivacyKey usable through AWS Backup, S3 and DynamoDB', () => {
      const keyId = stack.getLogicalId(plan.encryptionKey.node.defaultChild as any);
      template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      expect(plan.encryptionKey.classification).toBe(DataClassification.SENSITIVE);
      expect(plan.encryptionKey.viaServices).toEqual(['backup', 's3', 'dynamodb']);
      template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    });

    test('THEN recovery points are kept 35 days and the vault is not locked', () => {
      template.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 35 }, ScheduleExpression: 'cron(0 5 * * ? *)' })] },
      });
      template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: Match.absent() });
    });

    test('THEN it selects nothing by tag (only stores added with addStore), with a role tagged privacy:access=sensitive and privacy:workflow=backup', () => {
      template.resourceCountIs('AWS::Backup::BackupSelection', 0);
      expect(plan.selectsByTag).toBe(false);
      template.hasResourceProperties('AWS::IAM::Role', {
        Tags: Match.arrayWith([{ Key: 'privacy:access', Value: 'sensitive' }, { Key: 'privacy:workflow', Value: 'backup' }]),
      });
    });
  });

  test('GIVEN selectByTag THEN it also selects resources tagged with the plan\'s classifications', () => {
    const { template } = make({ selectByTag: true, classifications: [DataClassification.SENSITIVE] });
    template.resourceCountIs('AWS::Backup::BackupSelection', 1);
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        ListOfTags: [{ ConditionKey: 'privacy:classification', ConditionType: 'STRINGEQUALS', ConditionValue: 'sensitive' }],
      }),
    });
  });

  test('GIVEN selectByTag with the default classifications THEN personal and sensitive resources are selected by tag', () => {
    const { template } = make({ selectByTag: true });
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        ListOfTags: [
          { ConditionKey: 'privacy:classification', ConditionType: 'STRINGEQUALS', ConditionValue: 'personal' },
          { ConditionKey: 'privacy:classification', ConditionType: 'STRINGEQUALS', ConditionValue: 'sensitive' },
        ],
      }),
    });
  });

  test('GIVEN stores added THEN one selection per store names its ARN, and no selection names a tag or the access-log bucket', () => {
    const stack = new Stack(new App(), 'S');
    const plan = new PersonalDataBackupPlan(stack, 'Backups');
    const bucket = new PersonalDataBucket(stack, 'Documents');
    plan.addStore(bucket);
    plan.addStore(bucket);
    new PrivacyTable(stack, 'Orders', { backupPlan: plan });
    const selections = Object.values(Template.fromStack(stack).findResources('AWS::Backup::BackupSelection')).map((r: any) => r.Properties.BackupSelection);
    const id = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
    expect(selections.map((sel) => sel.ListOfTags)).toEqual([undefined, undefined]);
    expect(selections.map((sel) => sel.Resources)).toEqual([
      [{ 'Fn::GetAtt': [id(bucket.bucket), 'Arn'] }],
      [{ 'Fn::GetAtt': [expect.stringMatching(/^OrdersTable/), 'Arn'] }],
    ]);
    expect(JSON.stringify(selections)).not.toContain(id(bucket.accessLogsBucket));
  });

  test('GIVEN a plan for personal stores only WHEN a sensitive store is added THEN a ValidationError names the store and the reason', () => {
    const stack = new Stack(new App(), 'S');
    const plan = new PersonalDataBackupPlan(stack, 'Backups', { classifications: [DataClassification.PERSONAL], encryptionKey: new PrivacyKey(stack, 'K') });
    const thrown = validationErrorOf(() => new PrivacyTable(stack, 'Patients', { classification: DataClassification.SENSITIVE, backupPlan: plan }));
    expect(thrown).toMatch(/\[StoreClassificationNotBackedUp\] addStore\(S\/Patients\): the store is classified "sensitive" but the plan backs up "personal" only: add "sensitive" to the plan's classifications \(with a SENSITIVE encryptionKey\)/);
  });

  test('GIVEN vaultLock, retention, classifications and a key THEN a compliance-mode lock bounded by the retention', () => {
    const stack = new Stack(new App(), 'S');
    const key = new PrivacyKey(stack, 'K');
    new PersonalDataBackupPlan(stack, 'B', {
      vaultLock: true,
      vaultLockChangeableFor: Duration.days(5),
      retention: Duration.days(14),
      classifications: [DataClassification.PERSONAL],
      encryptionKey: key,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 1, MaxRetentionDays: 14, ChangeableForDays: 5 } });
    t.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 14 } })] } });
    t.resourceCountIs('AWS::KMS::Key', 1);
  });

  test.each<[string, PersonalDataBackupPlanProps, RegExp]>([
    ['retention above 35 days', { retention: Duration.days(90) }, /\[RetentionTooLong\] retention 90 days is above the maximum of 35.*Duration.days\(35\)/],
    ['retention below a day', { retention: Duration.hours(12) }, /\[RetentionNotWholeDays\] retention 0.5 days is not a whole number of days of at least 1/],
    ['a vault lock changeable for 1 day', { vaultLock: true, vaultLockChangeableFor: Duration.days(1) }, /\[ChangeableForTooShort\] vaultLockChangeableFor 1 days is below the 3 days/],
    ['non-personal', { classifications: [DataClassification.NON_PERSONAL] }, /\[NonPersonalClassification\] classifications includes "non-personal"/],
    ['no classification', { classifications: [] }, /\[ClassificationsEmpty\] classifications is empty/],
    ['a grace time without a lock', { vaultLockChangeableFor: Duration.days(5) }, /\[ChangeableForWithoutLock\] vaultLockChangeableFor is set but vaultLock is not true/],
  ])('%s is refused with a ValidationError', (_n, props, message) => {
    const thrown = validationErrorOf(() => make(props));
    expect(thrown).toMatch(message);
  });

  test('a personal vault key for sensitive stores is refused', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new PersonalDataBackupPlan(stack, 'B', { encryptionKey: new PrivacyKey(stack, 'K') })).toThrow(/\[KeyBelowPlanClassification\] encryptionKey S\/K is classified "personal" but the plan selects sensitive stores/);
  });
});

describe('PersonalDataBackupPlan backup role', () => {
  function planWithStores() {
    // the member account's stores are audited by the organization trail
    const stack = auditedStack('S');
    const app = stack.node.root as App;
    const plan = new PersonalDataBackupPlan(stack, 'Backups');
    const table = new PrivacyTable(stack, 'Orders', { backupPlan: plan });
    const bucket = new PersonalDataBucket(stack, 'Documents', { tenancy: TenancyModel.POOLED });
    plan.addStore(bucket);
    return { app, stack, plan, table, bucket };
  }

  describe('GIVEN a plan with a PrivacyTable and a PersonalDataBucket', () => {
    const { stack, plan, table, bucket } = planWithStores();
    const template = Template.fromStack(stack);
    const id = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
    const tableArn = { 'Fn::GetAtt': [id(table.table), 'Arn'] };
    const bucketArn = { 'Fn::GetAtt': [id(bucket.bucket), 'Arn'] };
    const suffixed = (arn: object, suffix: string) => ({ 'Fn::Join': ['', [arn, suffix]] });
    const keyArn = (c: IConstruct) => ({ 'Fn::GetAtt': [id(c), 'Arn'] });

    test('THEN the role has no AWS managed policy, only its customer-managed policy', () => {
      const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] }) } });
      expect(Object.keys(roles)).toEqual([id(plan.role)]);
      expect(JSON.stringify(roles)).not.toMatch(/arn:.*:iam::aws:policy/);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      const selections = template.findResources('AWS::Backup::BackupSelection');
      expect(Object.values(selections).map((s: any) => s.Properties.BackupSelection.IamRoleArn)).toEqual(Array(2).fill({ 'Fn::GetAtt': [id(plan.role), 'Arn'] }));
    });

    test('THEN the policy grants exactly the backup and restore actions on the stores, their backups and their keys', () => {
      const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0] as any;
      expect(policy.Properties.Roles).toEqual([{ Ref: id(plan.role) }]);
      const statements = policy.Properties.PolicyDocument.Statement;
      expect(statements).toEqual([
        { Sid: 'BackUpThePlansTables', Effect: 'Allow', Action: ['dynamodb:CreateBackup', 'dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource', 'dynamodb:StartAwsBackupJob'], Resource: tableArn },
        { Sid: 'ManageTheTablesBackups', Effect: 'Allow', Action: ['dynamodb:DeleteBackup', 'dynamodb:DescribeBackup', 'dynamodb:RestoreTableFromBackup'], Resource: suffixed(tableArn, '/backup/*') },
        {
          Sid: 'RestoreTablesUnderTheirRestoreName',
          Effect: 'Allow',
          Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query',
            'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:RestoreTableFromBackup', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
          Resource: suffixed(tableArn, '-restore*'),
        },
        {
          Sid: 'UseTheTablesKeysThroughDynamoDB',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
          Resource: keyArn(table.encryptionKey),
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } },
        },
        {
          Sid: 'BackUpThePlansBuckets',
          Effect: 'Allow',
          Action: ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketNotification', 's3:GetBucketOwnershipControls', 's3:GetBucketTagging',
            's3:GetBucketVersioning', 's3:GetInventoryConfiguration', 's3:ListBucket', 's3:ListBucketVersions', 's3:ListTagsForResource',
            's3:PutBucketNotification', 's3:PutInventoryConfiguration'],
          Resource: bucketArn,
        },
        {
          Sid: 'BackUpAndRestoreTheBucketsObjects',
          Effect: 'Allow',
          Action: ['s3:DeleteObject', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging', 's3:ListMultipartUploadParts', 's3:PutObject', 's3:PutObjectAcl', 's3:PutObjectTagging', 's3:PutObjectVersionAcl'],
          Resource: suffixed(bucketArn, '/*'),
        },
        {
          Sid: 'UseTheBucketsKeysThroughS3',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
          Resource: keyArn(bucket.encryptionKey),
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } },
        },
        {
          Sid: 'ManageAwsBackupManagedEventRules',
          Effect: 'Allow',
          Action: ['events:DeleteRule', 'events:DescribeRule', 'events:DisableRule', 'events:EnableRule', 'events:ListTargetsByRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets'],
          Resource: 'arn:*:events:*:*:rule/AwsBackupManagedRule*',
          Condition: { StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' }, 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
        },
        {
          Sid: 'TagRecoveryPoints',
          Effect: 'Allow',
          Action: 'backup:TagResource',
          Resource: 'arn:*:backup:*:*:recovery-point:*',
          Condition: { StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' }, 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
        },
        { Sid: 'ListRulesAndBucketMetrics', Effect: 'Allow', Action: ['cloudwatch:GetMetricData', 'events:ListRules'], Resource: '*' },
        {
          Sid: 'CreateKeyGrantsForAwsResourcesOnly',
          Effect: 'Allow',
          Action: ['kms:CreateGrant', 'kms:DescribeKey'],
          Resource: [keyArn(plan.encryptionKey), keyArn(table.encryptionKey), keyArn(bucket.encryptionKey)],
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      ]);
      // no wildcard action anywhere
      expect(statements.flatMap((s: any) => [s.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
    });
  });

  test('GIVEN a plan without stores THEN the policy only lets AWS Backup create grants on the vault key', () => {
    const { stack, plan } = make();
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0] as any;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'CreateKeyGrantsForAwsResourcesOnly',
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:DescribeKey'],
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(plan.encryptionKey.node.defaultChild as CfnElement), 'Arn'] },
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }]);
  });

  describe('GIVEN the compliance kit', () => {
    let bare: ComplianceReport;
    let withStores: ComplianceReport;
    beforeAll(() => {
      bare = runComplianceKit(make().stack);
      withStores = runComplianceKit(planWithStores().stack);
    });

    test('THEN a plan without props passes with no acknowledgement', () => {
      expect(bare.errors).toEqual([]);
      expect(bare.acknowledgementsUsed).toEqual([]);
    });

    test('THEN a plan with stores passes, acknowledging only the role policy\'s wildcard resources on its L1', () => {
      expect(withStores.errors).toEqual([]);
      const onPolicy = withStores.acknowledgementsUsed.filter((a) => a.path === 'S/Backups/RolePolicy').map((a) => a.id).sort();
      expect(onPolicy).toEqual([
        'AwsSolutions-IAM5[Resource::*]',
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<DocumentsBucket[0-9A-F]+\.Arn>\/\*\]$/),
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<OrdersTable[0-9A-F]+\.Arn>-restore\*\]$/),
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<OrdersTable[0-9A-F]+\.Arn>\/backup\/\*\]$/),
        'AwsSolutions-IAM5[Resource::arn:*:backup:*:*:recovery-point:*]',
        'AwsSolutions-IAM5[Resource::arn:*:events:*:*:rule/AwsBackupManagedRule*]',
      ]);
      expect(withStores.acknowledgementsUsed.filter((a) => a.path.startsWith('S/Backups')).every((a) => a.path === 'S/Backups/RolePolicy')).toBe(true);
      expect(withStores.unusedAcknowledgements).toEqual([]);
    });
  });
});
