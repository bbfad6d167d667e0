import { cite } from '../../private/provisions';

/** One AWS Config managed rule of the pack. */
export interface ManagedRuleSpec {
  /** Rule name in the account (and logical id stem in a conformance pack). */
  readonly name: string;
  /** The managed rule's source identifier. */
  readonly identifier: string;
  /** Resource types for a change-triggered rule; undefined for a periodic rule. */
  readonly resourceTypes?: string[];
  /** Input parameters (all values are strings, as Config takes them). */
  readonly parameters?: Record<string, string>;
  /** Why it matters under the CCPA/CPRA. */
  readonly ccpa: string;
  /**
   * The CcpaChecks rules that catch the same problem at synth time (RULES.md pairs them);
   * empty when the problem only exists at run time.
   */
  readonly synthTimeRules: string[];
  /** Why no CcpaChecks rule pairs with it, when `synthTimeRules` is empty. */
  readonly runTimeOnly?: string;
}

/**
 * The CCPA/CPRA rules. Identifier, trigger type, resource types and parameters of each were
 * checked against its page of the AWS Config Developer Guide
 * (`https://docs.aws.amazon.com/config/latest/developerguide/<rule-name>.html`, e.g.
 * `s3-default-encryption-kms.html`; 2026-11): a rule with `resourceTypes` is documented as
 * triggered by configuration changes and is scoped to exactly the documented types, a rule without
 * is documented as periodic and runs every 24 hours. test/governance/config-rule-pack.test.ts pins
 * the documented values.
 */
export function managedRules(minLogRetentionDays: number): ManagedRuleSpec[] {
  const encryption = `${cite('civ-1798.81.5(b)')}; ${cite('ccr-7123(c)(2)')}: encryption under a key the business controls (a customer-managed key is this library's choice)`;
  const security = `${cite('civ-1798.100(e)')}; ${cite('civ-1798.81.5(b)')}: reasonable security`;
  const auditLogs = `${cite('ccr-7123(c)(7)')}; ${cite('civ-1798.81.5(b)')}: audit-log management`;
  return [
    // the rule's page lists both resource types
    { name: 'ccpa-s3-default-encryption-kms', identifier: 'S3_DEFAULT_ENCRYPTION_KMS', resourceTypes: ['AWS::S3::Bucket', 'AWS::KMS::Key'], ccpa: encryption, synthTimeRules: ['CCPA-S3BucketCustomerManagedKey'] },
    { name: 'ccpa-s3-bucket-ssl-requests-only', identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY', resourceTypes: ['AWS::S3::Bucket'], ccpa: security, synthTimeRules: ['CCPA-S3BucketTlsOnly'] },
    { name: 'ccpa-s3-bucket-logging-enabled', identifier: 'S3_BUCKET_LOGGING_ENABLED', resourceTypes: ['AWS::S3::Bucket'], ccpa: `${auditLogs}: show who accessed personal data`, synthTimeRules: ['CCPA-S3BucketAccessAudited'] },
    { name: 'ccpa-s3-bucket-level-public-access-prohibited', identifier: 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', resourceTypes: ['AWS::S3::Bucket'], ccpa: security, synthTimeRules: ['CCPA-S3BucketPublicAccessBlocked'] },
    { name: 'ccpa-dynamodb-pitr-enabled', identifier: 'DYNAMODB_PITR_ENABLED', resourceTypes: ['AWS::DynamoDB::Table'], ccpa: `${cite('ccr-7123(c)(18)')}; ${cite('civ-1798.81.5(b)')}: backups and recovery (the bounded 35-day window is this library's choice: it bounds how long a deleted item stays restorable)`, synthTimeRules: ['CCPA-DynamoDBTablePointInTimeRecovery'] },
    { name: 'ccpa-dynamodb-table-encrypted-kms', identifier: 'DYNAMODB_TABLE_ENCRYPTED_KMS', resourceTypes: ['AWS::DynamoDB::Table'], ccpa: `${encryption} (no SCP condition key exists for this)`, synthTimeRules: ['CCPA-DynamoDBTableCustomerManagedKey'] },
    { name: 'ccpa-dynamodb-protected-by-backup-plan', identifier: 'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN', ccpa: `${cite('ccr-7123(c)(18)')}: backups and recovery (bounded backup retention is this library's choice, to bound how long a deletion waits in a backup)`, synthTimeRules: [], runTimeOnly: 'a backup plan may select a table by tag from another app or account; CcpaChecks requires PITR, which every PrivacyTable has' },
    { name: 'ccpa-cloudtrail-s3-dataevents-enabled', identifier: 'CLOUDTRAIL_S3_DATAEVENTS_ENABLED', ccpa: `${auditLogs}: record access to personal data`, synthTimeRules: ['CCPA-CloudTrailDataEventCoverage'] },
    {
      name: 'ccpa-cw-loggroup-retention-period-check',
      identifier: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK',
      parameters: { MinRetentionTime: `${minLogRetentionDays}` },
      ccpa: `${auditLogs} (no period is set by law; 365 days is this library's choice)`,
      synthTimeRules: ['CCPA-LogsRetentionTwelveMonths', 'CCPA-LogsDsrRetention24Months'],
    },
    { name: 'ccpa-kms-cmk-not-scheduled-for-deletion', identifier: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION', ccpa: `${encryption}; deleting a key destroys the data`, synthTimeRules: [], runTimeOnly: 'a scheduled deletion is a run-time state; PrivacyKey refuses pending windows under 30 days and EncryptionScp denies ScheduleKeyDeletion on privacy keys' },
    { name: 'ccpa-cmk-backing-key-rotation-enabled', identifier: 'CMK_BACKING_KEY_ROTATION_ENABLED', ccpa: encryption, synthTimeRules: ['CCPA-KMSKeyRotationEnabled'] },
    { name: 'ccpa-iam-policy-no-statements-with-admin-access', identifier: 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', resourceTypes: ['AWS::IAM::Policy'], ccpa: `${security}: least privilege on personal data`, synthTimeRules: ['CCPA-IAMDsrRoleNotAdmin', 'CCPA-IAMDataAccessResourceScoped'] },
    { name: 'ccpa-api-gw-execution-logging-enabled', identifier: 'API_GW_EXECUTION_LOGGING_ENABLED', resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'], ccpa: `${auditLogs}: record calls to the privacy request endpoints`, synthTimeRules: ['CCPA-APIGWStageAccessLogging'] },
    { name: 'ccpa-api-gwv2-authorization-type-configured', identifier: 'API_GWV2_AUTHORIZATION_TYPE_CONFIGURED', ccpa: `${security}: authenticated privacy endpoints`, synthTimeRules: ['CCPA-APIGWMethodAuthorization'] },
    { name: 'ccpa-lambda-inside-vpc', identifier: 'LAMBDA_INSIDE_VPC', resourceTypes: ['AWS::Lambda::Function'], ccpa: `${security}: network segmentation of personal data processing`, synthTimeRules: ['CCPA-LambdaNotInPublicSubnet'] },
    { name: 'ccpa-vpc-default-security-group-closed', identifier: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED', resourceTypes: ['AWS::EC2::SecurityGroup'], ccpa: `${security}: network segmentation`, synthTimeRules: ['CCPA-EC2SecurityGroupOpenIngress'] },
  ];
}

/** Conformance pack template body limit (PutConformancePack TemplateBody), in bytes. */
export const MAX_CONFORMANCE_PACK_TEMPLATE_BYTES = 51200;

/** A conformance pack template (CloudFormation JSON) holding the rules. */
export function conformancePackTemplate(rules: ManagedRuleSpec[]): string {
  const resources: Record<string, unknown> = {};
  for (const r of rules) {
    const logicalId = r.name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
    resources[logicalId] = {
      Type: 'AWS::Config::ConfigRule',
      Properties: {
        ConfigRuleName: r.name,
        Description: r.ccpa,
        Source: { Owner: 'AWS', SourceIdentifier: r.identifier },
        ...(r.resourceTypes ? { Scope: { ComplianceResourceTypes: r.resourceTypes } } : { MaximumExecutionFrequency: 'TwentyFour_Hours' }),
        ...(r.parameters ? { InputParameters: r.parameters } : {}),
      },
    };
  }
  return JSON.stringify({ Resources: resources });
}

/** An automatic remediation of one managed rule with an AWS-managed SSM Automation runbook. */
export interface RemediationSpec {
  /** The managed rule it remediates (`ManagedRuleSpec.identifier`). */
  readonly ruleIdentifier: string;
  /** The AWS-managed runbook (SSM document owned by Amazon). */
  readonly runbook: string;
  /** The runbook parameter that takes the non-compliant resource's id (`RESOURCE_ID`). */
  readonly resourceIdParameter: string;
  /** The CloudFormation type of the resources it remediates. */
  readonly resourceType: string;
  /** The service actions the runbook's steps call (besides the SSM Automation actions). */
  readonly actions: string[];
  /** Service and resource part of the ARN the actions need (Service Authorization Reference). */
  readonly arnService: string;
  readonly arnResource: string;
}

/** Actions every runbook below requires of its AutomationAssumeRole. */
export const AUTOMATION_ACTIONS = ['ssm:StartAutomationExecution', 'ssm:GetAutomationExecution'];

/**
 * The safe cases: each remediation only turns a protection back on and never removes data,
 * access or a control. Runbook names, parameters and required IAM actions as the AWS Systems
 * Manager Automation Runbook Reference documents them (2026-11):
 * - automation-aws-enable-pitr-ddb.html: AWSConfigRemediation-EnablePITRForDynamoDbTable,
 *   parameters TableName and AutomationAssumeRole; ssm:StartAutomationExecution,
 *   ssm:GetAutomationExecution, dynamodb:DescribeContinuousBackups, dynamodb:UpdateContinuousBackups.
 * - automation-aws-cancel-key-deletion.html: AWSConfigRemediation-CancelKeyDeletion, parameters
 *   KeyId and AutomationAssumeRole; ssm:StartAutomationExecution, ssm:GetAutomationExecution,
 *   kms:CancelKeyDeletion, kms:DescribeKey. The key is left Disabled (KMS CancelKeyDeletion):
 *   the data stays recoverable and a person decides whether to enable the key again.
 * Resource types of the actions from the Service Authorization Reference (DynamoDB `table`, KMS `key`).
 */
export const REMEDIATIONS: RemediationSpec[] = [
  {
    ruleIdentifier: 'DYNAMODB_PITR_ENABLED',
    runbook: 'AWSConfigRemediation-EnablePITRForDynamoDbTable',
    resourceIdParameter: 'TableName',
    resourceType: 'AWS::DynamoDB::Table',
    actions: ['dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups'],
    arnService: 'dynamodb',
    arnResource: 'table/*',
  },
  {
    ruleIdentifier: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION',
    runbook: 'AWSConfigRemediation-CancelKeyDeletion',
    resourceIdParameter: 'KeyId',
    resourceType: 'AWS::KMS::Key',
    actions: ['kms:CancelKeyDeletion', 'kms:DescribeKey'],
    arnService: 'kms',
    arnResource: 'key/*',
  },
];
