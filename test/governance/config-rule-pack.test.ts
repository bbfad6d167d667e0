import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigRulePack, ConfigRulePackDeployment, EncryptionScp } from '../../lib';
import { runComplianceKit } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';

const IDENTIFIERS = [
  'S3_DEFAULT_ENCRYPTION_KMS', 'S3_BUCKET_SSL_REQUESTS_ONLY', 'S3_BUCKET_LOGGING_ENABLED', 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED',
  'DYNAMODB_PITR_ENABLED', 'DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN', 'CLOUDTRAIL_S3_DATAEVENTS_ENABLED',
  'CW_LOGGROUP_RETENTION_PERIOD_CHECK', 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION', 'CMK_BACKING_KEY_ROTATION_ENABLED',
  'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', 'API_GW_EXECUTION_LOGGING_ENABLED', 'API_GWV2_AUTHORIZATION_TYPE_CONFIGURED',
  'LAMBDA_INSIDE_VPC', 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
];

/**
 * What each rule's page of the AWS Config Developer Guide documents (checked 2026-11 at
 * https://docs.aws.amazon.com/config/latest/developerguide/<rule-name>.html): trigger type, resource
 * types of change-triggered rules, and the optional parameters.
 */
const DOCUMENTED: Record<string, { trigger: 'change' | 'periodic'; resourceTypes?: string[]; parameters: string[] }> = {
  S3_DEFAULT_ENCRYPTION_KMS: { trigger: 'change', resourceTypes: ['AWS::S3::Bucket', 'AWS::KMS::Key'], parameters: ['kmsKeyArns'] },
  S3_BUCKET_SSL_REQUESTS_ONLY: { trigger: 'change', resourceTypes: ['AWS::S3::Bucket'], parameters: [] },
  S3_BUCKET_LOGGING_ENABLED: { trigger: 'change', resourceTypes: ['AWS::S3::Bucket'], parameters: ['targetBucket', 'targetPrefix'] },
  S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED: { trigger: 'change', resourceTypes: ['AWS::S3::Bucket'], parameters: ['excludedPublicBuckets'] },
  DYNAMODB_PITR_ENABLED: { trigger: 'change', resourceTypes: ['AWS::DynamoDB::Table'], parameters: [] },
  DYNAMODB_TABLE_ENCRYPTED_KMS: { trigger: 'change', resourceTypes: ['AWS::DynamoDB::Table'], parameters: ['kmsKeyArns'] },
  DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN: {
    trigger: 'periodic',
    parameters: ['resourceTags', 'resourceId', 'crossRegionList', 'crossAccountList', 'maxRetentionDays', 'minRetentionDays', 'backupVaultLockCheck'],
  },
  CLOUDTRAIL_S3_DATAEVENTS_ENABLED: { trigger: 'periodic', parameters: ['S3BucketNames'] },
  CW_LOGGROUP_RETENTION_PERIOD_CHECK: { trigger: 'periodic', parameters: ['LogGroupNames', 'MinRetentionTime'] },
  KMS_CMK_NOT_SCHEDULED_FOR_DELETION: { trigger: 'periodic', parameters: ['kmsKeyIds'] },
  CMK_BACKING_KEY_ROTATION_ENABLED: { trigger: 'periodic', parameters: [] },
  IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS: { trigger: 'change', resourceTypes: ['AWS::IAM::Policy'], parameters: ['excludePermissionBoundaryPolicy'] },
  API_GW_EXECUTION_LOGGING_ENABLED: { trigger: 'change', resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'], parameters: ['loggingLevel'] },
  API_GWV2_AUTHORIZATION_TYPE_CONFIGURED: { trigger: 'periodic', parameters: ['authorizationType'] },
  LAMBDA_INSIDE_VPC: { trigger: 'change', resourceTypes: ['AWS::Lambda::Function'], parameters: ['subnetIds'] },
  VPC_DEFAULT_SECURITY_GROUP_CLOSED: { trigger: 'change', resourceTypes: ['AWS::EC2::SecurityGroup'], parameters: [] },
};

/** Trigger, scope and parameter names of a rule as deployed, in the shape of DOCUMENTED. */
function asDocumented(props: any): { trigger: 'change' | 'periodic'; resourceTypes?: string[]; parameters: string[] } {
  const change = props.Scope?.ComplianceResourceTypes !== undefined;
  // a change-triggered rule has no frequency; a periodic one has no scope
  expect(props.MaximumExecutionFrequency).toBe(change ? undefined : 'TwentyFour_Hours');
  return {
    trigger: change ? 'change' : 'periodic',
    ...(change ? { resourceTypes: props.Scope.ComplianceResourceTypes } : {}),
    parameters: Object.keys(props.InputParameters ?? {}),
  };
}

function newStack(): Stack {
  return new Stack(new App(), 'Governance', { env: { account: '111122223333', region: 'us-east-1' } });
}

describe('ConfigRulePack', () => {
  test('GIVEN no props THEN one managed rule per CCPA control, change-triggered ones scoped to their resource types', () => {
    const stack = newStack();
    const pack = new ConfigRulePack(stack, 'Rules');
    expect(pack.ruleIdentifiers).toEqual(IDENTIFIERS);

    const rules = Object.values(Template.fromStack(stack).findResources('AWS::Config::ConfigRule')) as any[];
    expect(rules.map((r) => r.Properties.Source)).toEqual(IDENTIFIERS.map((SourceIdentifier) => ({ Owner: 'AWS', SourceIdentifier })));
    const byId = Object.fromEntries(rules.map((r) => [r.Properties.Source.SourceIdentifier, r.Properties]));
    expect(byId.S3_DEFAULT_ENCRYPTION_KMS.Scope).toEqual({ ComplianceResourceTypes: ['AWS::S3::Bucket', 'AWS::KMS::Key'] });
    expect(byId.DYNAMODB_TABLE_ENCRYPTED_KMS.Scope).toEqual({ ComplianceResourceTypes: ['AWS::DynamoDB::Table'] });
    expect(byId.CW_LOGGROUP_RETENTION_PERIOD_CHECK).toMatchObject({ InputParameters: { MinRetentionTime: '365' }, MaximumExecutionFrequency: 'TwentyFour_Hours' });
    expect(byId.CW_LOGGROUP_RETENTION_PERIOD_CHECK.Scope).toBeUndefined();
    expect(byId.CLOUDTRAIL_S3_DATAEVENTS_ENABLED.MaximumExecutionFrequency).toBe('TwentyFour_Hours');
    for (const r of rules) {
      // no tag scope: untagged stores are personal (fail closed)
      expect(r.Properties.Scope?.TagKey).toBeUndefined();
      expect(r.Properties.Description).toMatch(/Cal\. Civ\. Code|CCR/);
    }
  });

  test.each([
    ['individual rules', ConfigRulePackDeployment.RULES],
    ['a conformance pack', ConfigRulePackDeployment.CONFORMANCE_PACK],
  ])('GIVEN %s THEN every rule has the trigger, resource types and parameter names its Config Developer Guide page documents', (_, deployment) => {
    const stack = newStack();
    const pack = new ConfigRulePack(stack, 'Rules', { deployment });
    const rules = deployment === ConfigRulePackDeployment.RULES
      ? (Object.values(Template.fromStack(stack).findResources('AWS::Config::ConfigRule')) as any[]).map((r) => r.Properties)
      : Object.values(JSON.parse(pack.templateBody!).Resources).map((r: any) => r.Properties);
    expect(rules.map((r) => r.Source.SourceIdentifier).sort()).toEqual(Object.keys(DOCUMENTED).sort());
    for (const r of rules) {
      const documented = DOCUMENTED[r.Source.SourceIdentifier];
      const deployed = asDocumented(r);
      expect({ id: r.Source.SourceIdentifier, trigger: deployed.trigger, resourceTypes: deployed.resourceTypes })
        .toEqual({ id: r.Source.SourceIdentifier, trigger: documented.trigger, resourceTypes: documented.resourceTypes });
      for (const name of deployed.parameters) expect(documented.parameters).toContain(name);
    }
  });

  test('GIVEN the default pack THEN the compliance kit finds nothing', () => {
    const stack = newStack();
    new ConfigRulePack(stack, 'Rules');
    const report = runComplianceKit(stack);
    expect(report.errors).toEqual([]);
    expect(report.acknowledgementsUsed).toEqual([]);
  });

  test('GIVEN a conformance pack THEN its template holds the same rules and fits 51,200 bytes', () => {
    const stack = newStack();
    const pack = new ConfigRulePack(stack, 'Pack', { deployment: ConfigRulePackDeployment.CONFORMANCE_PACK, minLogRetentionDays: 731 });
    Template.fromStack(stack).resourceCountIs('AWS::Config::ConfigRule', 0);
    Template.fromStack(stack).hasResourceProperties('AWS::Config::ConformancePack', { ConformancePackName: 'cdk-ccpa-privacy', TemplateBody: pack.templateBody });
    const body = JSON.parse(pack.templateBody!);
    expect(Object.values(body.Resources).map((r: any) => r.Properties.Source.SourceIdentifier)).toEqual(IDENTIFIERS);
    expect(body.Resources.CcpaCwLoggroupRetentionPeriodCheck.Properties.InputParameters).toEqual({ MinRetentionTime: '731' });
    expect(Buffer.byteLength(pack.templateBody!)).toBeLessThanOrEqual(51200);
  });

  test('GIVEN an organization conformance pack THEN it excludes the given accounts', () => {
    const stack = newStack();
    const pack = new ConfigRulePack(stack, 'Org', { deployment: ConfigRulePackDeployment.ORGANIZATION_CONFORMANCE_PACK, excludedAccounts: ['444455556666'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Config::OrganizationConformancePack', {
      OrganizationConformancePackName: 'cdk-ccpa-privacy', ExcludedAccounts: ['444455556666'], TemplateBody: pack.templateBody,
    });
    expect(pack.organizationConformancePack).toBeDefined();
  });

  test('GIVEN invalid props THEN one ValidationError names each', () => {
    const message = validationErrorOf(() => new ConfigRulePack(newStack(), 'P', { minLogRetentionDays: 90, conformancePackName: '1bad', excludedAccounts: ['12'] }));
    expect(message).toMatch(/minLogRetentionDays 90 is below the 365 days this library keeps security logs \(11 CCR § 7123\(c\)\(7\)\)/);
    expect(message).toContain('conformancePackName "1bad"');
    expect(message).toContain('excludedAccounts is set but deployment is rules');
    expect(message).toContain('excludedAccounts entry "12"');
    expect(validationErrorOf(() => new ConfigRulePack(newStack(), 'P', { minLogRetentionDays: 500 }))).toMatch(/minLogRetentionDays 500 is not a value/);
  });

  describe('automatic remediation', () => {
    const role = { 'Fn::GetAtt': [expect.stringMatching(/^RulesRemediationRole/), 'Arn'] };
    const remediation = (rule: string, runbook: string, parameter: string, resourceType: string) => ({
      ConfigRuleName: { Ref: expect.stringMatching(new RegExp(`^Rules${rule.replace(/_/g, '')}`)) },
      TargetType: 'SSM_DOCUMENT',
      TargetId: runbook,
      ResourceType: resourceType,
      Parameters: {
        [parameter]: { ResourceValue: { Value: 'RESOURCE_ID' } },
        AutomationAssumeRole: { StaticValue: { Values: [role] } },
      },
      Automatic: true,
      MaximumAutomaticAttempts: 5,
      RetryAttemptSeconds: 60,
    });

    test('GIVEN no props THEN nothing is remediated and no role exists', () => {
      const stack = newStack();
      const pack = new ConfigRulePack(stack, 'Rules');
      Template.fromStack(stack).resourceCountIs('AWS::Config::RemediationConfiguration', 0);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
      expect(pack.remediations).toEqual([]);
      expect(pack.remediationRole).toBeUndefined();
    });

    test('GIVEN automaticRemediation THEN PITR and key-deletion rules run the AWS-managed runbooks, automatically and bounded', () => {
      const stack = newStack();
      const pack = new ConfigRulePack(stack, 'Rules', { automaticRemediation: true });
      const remediations = Object.values(Template.fromStack(stack).findResources('AWS::Config::RemediationConfiguration')) as any[];
      // runbook names and parameters: AWS Systems Manager Automation Runbook Reference,
      // automation-aws-enable-pitr-ddb.html and automation-aws-cancel-key-deletion.html
      expect(remediations.map((r) => r.Properties)).toEqual([
        remediation('DYNAMODB_PITR_ENABLED', 'AWSConfigRemediation-EnablePITRForDynamoDbTable', 'TableName', 'AWS::DynamoDB::Table'),
        remediation('KMS_CMK_NOT_SCHEDULED_FOR_DELETION', 'AWSConfigRemediation-CancelKeyDeletion', 'KeyId', 'AWS::KMS::Key'),
      ]);
      expect(pack.remediations).toHaveLength(2);
      // each remediation names its own rule of the pack
      const rules = Template.fromStack(stack).findResources('AWS::Config::ConfigRule');
      expect(remediations.map((r) => rules[r.Properties.ConfigRuleName.Ref].Properties.Source.SourceIdentifier))
        .toEqual(['DYNAMODB_PITR_ENABLED', 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION']);
    });

    test('GIVEN automaticRemediation THEN one role, assumed by SSM from this account, holds exactly the runbooks\' actions, resource-scoped', () => {
      const stack = newStack();
      new ConfigRulePack(stack, 'Rules', { automaticRemediation: true });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'cdk-ccpa-config-remediation',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'ssm.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }],
        },
      });
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
      const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0] as any;
      expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^RulesRemediationRole/) }]);
      const execution = 'arn:aws:ssm:us-east-1:111122223333:automation-execution/*';
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Sid: 'StartRemediationRunbooks',
          Effect: 'Allow',
          Action: 'ssm:StartAutomationExecution',
          Resource: [
            'arn:aws:ssm:us-east-1:*:document/AWSConfigRemediation-EnablePITRForDynamoDbTable',
            'arn:aws:ssm:us-east-1:*:document/AWSConfigRemediation-CancelKeyDeletion',
            'arn:aws:ssm:us-east-1:*:automation-definition/AWSConfigRemediation-EnablePITRForDynamoDbTable:*',
            'arn:aws:ssm:us-east-1:*:automation-definition/AWSConfigRemediation-CancelKeyDeletion:*',
            execution,
          ],
        },
        { Sid: 'ReadRemediationExecutions', Effect: 'Allow', Action: 'ssm:GetAutomationExecution', Resource: execution },
        {
          Sid: 'EnablePITRForDynamoDbTable',
          Effect: 'Allow',
          Action: ['dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups'],
          Resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/*',
        },
        { Sid: 'CancelKeyDeletion', Effect: 'Allow', Action: ['kms:CancelKeyDeletion', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:key/*' },
      ]);
      // exactly the union of the actions the two runbook pages list; no wildcard action anywhere
      const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat());
      expect([...actions].sort()).toEqual([
        'dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups', 'kms:CancelKeyDeletion', 'kms:DescribeKey',
        'ssm:GetAutomationExecution', 'ssm:StartAutomationExecution',
      ]);
      for (const a of actions) expect(a).not.toContain('*');
    });

    test('GIVEN automaticRemediation THEN the compliance kit finds nothing and every acknowledgement is used', () => {
      const stack = newStack();
      new ConfigRulePack(stack, 'Rules', { automaticRemediation: true });
      const report = runComplianceKit(stack);
      expect(report.errors).toEqual([]);
      expect(report.unusedAcknowledgements).toEqual([]);
      expect(report.acknowledgementsUsed.map((a) => a.id).sort()).toEqual([
        'AwsSolutions-IAM5[Resource::arn:aws:dynamodb:us-east-1:111122223333:table/*]',
        'AwsSolutions-IAM5[Resource::arn:aws:kms:us-east-1:111122223333:key/*]',
        'AwsSolutions-IAM5[Resource::arn:aws:ssm:us-east-1:*:automation-definition/AWSConfigRemediation-CancelKeyDeletion:*]',
        'AwsSolutions-IAM5[Resource::arn:aws:ssm:us-east-1:*:automation-definition/AWSConfigRemediation-EnablePITRForDynamoDbTable:*]',
        'AwsSolutions-IAM5[Resource::arn:aws:ssm:us-east-1:*:document/AWSConfigRemediation-CancelKeyDeletion]',
        'AwsSolutions-IAM5[Resource::arn:aws:ssm:us-east-1:*:document/AWSConfigRemediation-EnablePITRForDynamoDbTable]',
        'AwsSolutions-IAM5[Resource::arn:aws:ssm:us-east-1:111122223333:automation-execution/*]',
      ]);
    });

    test('GIVEN an environment-agnostic stack THEN the policy uses wildcards for what is unknown and synthesizes', () => {
      const stack = new Stack(new App(), 'Agnostic');
      new ConfigRulePack(stack, 'Rules', { automaticRemediation: true });
      const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0] as any;
      expect(policy.Properties.PolicyDocument.Statement[2].Resource).toBe('arn:*:dynamodb:*:*:table/*');
    });

    test('GIVEN a remediationRoleName THEN the role has it and its exempt ARN is accepted by EncryptionScp', () => {
      const stack = newStack();
      new ConfigRulePack(stack, 'Rules', { automaticRemediation: true, remediationRoleName: 'ccpa-remediation-use1' });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'ccpa-remediation-use1' });
      expect(ConfigRulePack.remediationRoleExemptArn()).toBe('arn:*:iam::*:role/cdk-ccpa-config-remediation');
      const exempt = ConfigRulePack.remediationRoleExemptArn('ccpa-remediation-use1');
      const scp = new EncryptionScp(newStack(), 'Scp', { exemptPrincipalArns: [...EncryptionScp.defaultExemptPrincipalArns(), exempt] });
      const tables = scp.documents.map((d) => JSON.parse(d).Statement).flat().find((s: any) => s.Sid === 'ProtectPrivacyStores');
      expect(tables.Action).toContain('dynamodb:UpdateContinuousBackups');
      expect(tables.Condition.ArnNotLike['aws:PrincipalARN']).toContain(exempt);
    });

    test.each([
      ConfigRulePackDeployment.CONFORMANCE_PACK,
      ConfigRulePackDeployment.ORGANIZATION_CONFORMANCE_PACK,
    ])('GIVEN deployment %s with automaticRemediation THEN a ValidationError names the prop and the reason', (deployment) => {
      const message = validationErrorOf(() => new ConfigRulePack(newStack(), 'P', { deployment, automaticRemediation: true }));
      expect(message).toContain(`automaticRemediation is set but deployment is ${deployment}`);
      expect(message).toMatch(/automation role that must exist in every account the pack reaches/);
    });

    test('GIVEN remediationRoleName without remediation or an invalid name THEN a ValidationError names each', () => {
      expect(validationErrorOf(() => new ConfigRulePack(newStack(), 'P', { remediationRoleName: 'r' })))
        .toContain('remediationRoleName is set but automaticRemediation is not');
      expect(validationErrorOf(() => new ConfigRulePack(newStack(), 'P', { automaticRemediation: true, remediationRoleName: 'bad name' })))
        .toContain('remediationRoleName "bad name" is not a valid IAM role name');
    });
  });
});
