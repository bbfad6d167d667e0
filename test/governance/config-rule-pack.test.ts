import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigRulePack, ConfigRulePackDeployment } from '../../lib';
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
    expect(message).toMatch(/minLogRetentionDays 90 is shorter than 365 days: .*1798\.130\(a\)\(2\)\(B\)/);
    expect(message).toContain('conformancePackName "1bad"');
    expect(message).toContain('excludedAccounts is set but deployment is rules');
    expect(message).toContain('excludedAccounts entry "12"');
    expect(validationErrorOf(() => new ConfigRulePack(newStack(), 'P', { minLogRetentionDays: 500 }))).toMatch(/minLogRetentionDays 500 is not a value/);
  });
});
