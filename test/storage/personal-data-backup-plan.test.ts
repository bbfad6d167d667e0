import { App, Duration, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataClassification, PersonalDataBackupPlan, PersonalDataBackupPlanProps, PrivacyKey } from '../../lib';

function make(props?: PersonalDataBackupPlanProps) {
  const stack = new Stack(new App(), 'S');
  const plan = new PersonalDataBackupPlan(stack, 'Backups', props);
  return { stack, plan, template: Template.fromStack(stack) };
}

describe('PersonalDataBackupPlan', () => {
  describe('GIVEN no props', () => {
    const { stack, plan, template } = make();

    test('THEN the vault is encrypted with a sensitive PrivacyKey usable through AWS Backup, S3 and DynamoDB', () => {
      const keyId = stack.getLogicalId(plan.vaultKey.node.defaultChild as any);
      template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      expect(plan.vaultKey.classification).toBe(DataClassification.SENSITIVE);
      expect(plan.vaultKey.viaServices).toEqual(['backup', 's3', 'dynamodb']);
      template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    });

    test('THEN recovery points are kept 35 days and the vault is not locked', () => {
      template.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 35 }, ScheduleExpression: 'cron(0 5 * * ? *)' })] },
      });
      template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: Match.absent() });
    });

    test('THEN it selects resources tagged personal or sensitive, with a role tagged privacy:access=sensitive', () => {
      template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({
          ListOfTags: [
            { ConditionKey: 'privacy:classification', ConditionType: 'STRINGEQUALS', ConditionValue: 'personal' },
            { ConditionKey: 'privacy:classification', ConditionType: 'STRINGEQUALS', ConditionValue: 'sensitive' },
          ],
        }),
      });
      template.hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'privacy:access', Value: 'sensitive' }]) });
    });
  });

  test('GIVEN vaultLock, retention, classifications and a key THEN a compliance-mode lock bounded by the retention', () => {
    const stack = new Stack(new App(), 'S');
    const key = new PrivacyKey(stack, 'K');
    new PersonalDataBackupPlan(stack, 'B', {
      vaultLock: true,
      vaultLockChangeableFor: Duration.days(5),
      retention: Duration.days(14),
      classifications: [DataClassification.PERSONAL],
      vaultKey: key,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 1, MaxRetentionDays: 14, ChangeableForDays: 5 } });
    t.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 14 } })] } });
    t.resourceCountIs('AWS::KMS::Key', 1);
  });

  test.each<[string, PersonalDataBackupPlanProps, RegExp]>([
    ['retention above 35 days', { retention: Duration.days(90) }, /retention 90 days is above the maximum of 35: .*7022\(d\)/],
    ['retention below a day', { retention: Duration.hours(12) }, /retention 0.5 days: a backup rule keeps whole days, at least 1/],
    ['a vault lock changeable for 1 day', { vaultLock: true, vaultLockChangeableFor: Duration.days(1) }, /vaultLockChangeableFor 1 days is below 3/],
    ['non-personal', { classifications: [DataClassification.NON_PERSONAL] }, /classifications includes "non-personal"/],
    ['no classification', { classifications: [] }, /classifications is empty/],
  ])('%s is refused with a ValidationError', (_n, props, message) => {
    let error: unknown;
    try {
      make(props);
    } catch (e) {
      error = e;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  test('a personal vault key for sensitive stores is refused', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new PersonalDataBackupPlan(stack, 'B', { vaultKey: new PrivacyKey(stack, 'K') })).toThrow(/vaultKey S\/K is classified "personal" but the plan selects sensitive stores/);
  });
});
