import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataCategory } from '../../lib/classification/data-category';
import { PrivacyClassification } from '../../lib/classification/privacy-classification';
import { PrivacyPrincipal } from '../../lib/classification/privacy-principal';
import { DataClassification } from '../../lib/classification/privacy-tag-keys';
import { PrivacyKey } from '../../lib/encryption/privacy-key';
import { PseudonymizationKey } from '../../lib/encryption/pseudonymization-key';
import { ConfigRulePack, ConfigRulePackDeployment } from '../../lib/governance/config-rule-pack';
import { EncryptionScp } from '../../lib/governance/encryption-scp';
import { OrganizationTrailCoverage } from '../../lib/nag/organization-trail-coverage';
import { PrivateProcessingNetwork } from '../../lib/network/private-processing-network';

/** Each validation error path of the keys, the tag model, governance, the network and the org trail declaration throws under its own code, `[code] message`. */
function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
}

function codesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    return [...(e as Error).message.matchAll(/^(?:\(\d+\) )?\[(\w+)\] /gm)].map((m) => m[1]);
  }
  return [];
}

describe('validation error codes', () => {
  test.each<[string, string, () => unknown]>([
    ['PrivacyKey alias empty', 'AliasEmpty', () => new PrivacyKey(stack(), 'K', { alias: ' ' })],
    ['PrivacyKey alias invalid', 'AliasInvalid', () => new PrivacyKey(stack(), 'K', { alias: 'a b' })],
    ['PrivacyKey alias reserved', 'AliasReserved', () => new PrivacyKey(stack(), 'K', { alias: 'aws/x' })],
    ['PrivacyKey alias too long', 'AliasTooLong', () => new PrivacyKey(stack(), 'K', { alias: 'a'.repeat(260) })],
    ['PrivacyKey pending window short', 'PendingWindowTooShort', () => new PrivacyKey(stack(), 'K', { pendingWindow: Duration.days(7) })],
    ['PrivacyKey pending window long', 'PendingWindowTooLong', () => new PrivacyKey(stack(), 'K', { pendingWindow: Duration.days(31) })],
    ['PrivacyKey non-personal', 'NonPersonalKey', () => new PrivacyKey(stack(), 'K', { classification: DataClassification.NON_PERSONAL })],
    ['PrivacyKey no via service', 'ViaServicesEmpty', () => new PrivacyKey(stack(), 'K', { viaServices: [] })],
    ['PrivacyKey bad via service', 'ViaServiceInvalid', () => new PrivacyKey(stack(), 'K', { viaServices: ['S3!'] })],
    ['PrivacyKey state machine ARN', 'StateMachineArnInvalid', () => new PrivacyKey(stack(), 'K').allowStepFunctions('nope')],
    ['PrivacyKey trail ARN', 'TrailArnInvalid', () => new PrivacyKey(stack(), 'K').allowCloudTrail('nope')],
    ['PseudonymizationKey alias reserved', 'AliasReserved', () => new PseudonymizationKey(stack(), 'P', { alias: 'aws/x' })],
    ['PseudonymizationKey pending window', 'PendingWindowTooShort', () => new PseudonymizationKey(stack(), 'P', { pendingWindow: Duration.days(7) })],
    ['classification owner', 'OwnerInvalid', () => PrivacyClassification.apply(stack(), { owner: 'a\u0000b' })],
    ['classification personal with sensitive', 'SensitiveCategoriesNotSensitive', () => PrivacyClassification.apply(stack(), {
      classification: DataClassification.PERSONAL, categories: [DataCategory.custom('custom.health', { sensitive: true, ccpaReference: '1798.140(ae)(2)(B)' })],
    })],
    ['classification non-personal with categories', 'NonPersonalWithCategories', () => PrivacyClassification.apply(stack(), {
      classification: DataClassification.NON_PERSONAL, categories: [DataCategory.custom('custom.x', { sensitive: false, ccpaReference: '1798.140(v)(1)(A)' })],
    })],
    ['principal two workflows', 'TwoWorkflows', () => {
      const s = stack();
      PrivacyPrincipal.tag(new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }), { dsrWorkflow: true, backupWorkflow: true });
    }],
    ['ConfigRulePack retention short', 'MinLogRetentionTooShort', () => new ConfigRulePack(stack(), 'C', { minLogRetentionDays: 90 })],
    ['ConfigRulePack retention not accepted', 'MinLogRetentionNotAccepted', () => new ConfigRulePack(stack(), 'C', { minLogRetentionDays: 366 })],
    ['ConfigRulePack pack name', 'ConformancePackNameInvalid', () => new ConfigRulePack(stack(), 'C', { deployment: ConfigRulePackDeployment.CONFORMANCE_PACK, conformancePackName: '1 bad' })],
    ['ConfigRulePack excluded accounts ignored', 'ExcludedAccountsIgnored', () => new ConfigRulePack(stack(), 'C', { excludedAccounts: ['444455556666'] })],
    ['ConfigRulePack excluded account invalid', 'ExcludedAccountInvalid', () => new ConfigRulePack(stack(), 'C', { deployment: ConfigRulePackDeployment.ORGANIZATION_CONFORMANCE_PACK, excludedAccounts: ['12'] })],
    ['ConfigRulePack remediation needs rules', 'RemediationNeedsRules', () => new ConfigRulePack(stack(), 'C', { deployment: ConfigRulePackDeployment.CONFORMANCE_PACK, automaticRemediation: true })],
    ['ConfigRulePack remediation role ignored', 'RemediationRoleIgnored', () => new ConfigRulePack(stack(), 'C', { remediationRoleName: 'r' })],
    ['ConfigRulePack remediation role invalid', 'RemediationRoleNameInvalid', () => new ConfigRulePack(stack(), 'C', { automaticRemediation: true, remediationRoleName: 'a b' })],
    ['EncryptionScp no exempt principal', 'ExemptPrincipalsEmpty', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: [] })],
    ['EncryptionScp principal invalid', 'PrincipalArnInvalid', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: ['deployer'] })],
    ['EncryptionScp principal too broad', 'PrincipalArnTooBroad', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/*'] })],
    ['EncryptionScp qualifier', 'BootstrapQualifierInvalid', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/deployer'], cdkBootstrapQualifier: 'not-valid!' })],
    ['EncryptionScp target', 'TargetIdInvalid', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/deployer'], targetIds: ['x'] })],
    ['EncryptionScp attached', 'PoliciesAlreadyAttachedInvalid', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/deployer'], policiesAlreadyAttached: 1.5 })],
    ['EncryptionScp policy name', 'PolicyNameInvalid', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/deployer'], policyName: 'a b' })],
    ['EncryptionScp too many policies', 'TooManyPolicies', () => new EncryptionScp(stack(), 'E', { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/deployer'], targetIds: ['r-abcd'], policiesAlreadyAttached: 5 })],
    ['network vpc without isolated subnets', 'VpcWithoutIsolatedSubnets', () => {
      const s = stack();
      return new PrivateProcessingNetwork(s, 'N', { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2 }) });
    }],
    ['network prop ignored with vpc', 'PropIgnoredWithVpc', () => {
      const s = stack();
      return new PrivateProcessingNetwork(s, 'N', { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2 }), flowLogRetention: logs.RetentionDays.ONE_YEAR });
    }],
    ['network flow log retention', 'FlowLogRetentionTooShort', () => new PrivateProcessingNetwork(stack(), 'N', { flowLogRetention: logs.RetentionDays.SIX_MONTHS })],
    ['network prefix list alone', 'PrefixListIdAlone', () => new PrivateProcessingNetwork(new Stack(new App(), 'Agnostic'), 'N', { s3PrefixListId: 'pl-63a5400a' })],
    ['network lookup without env', 'PrefixListLookupNeedsEnv', () => new PrivateProcessingNetwork(new Stack(new App(), 'Agnostic'), 'N', { lookUpPrefixLists: true })],
    ['network prefix list invalid', 'PrefixListIdInvalid', () => new PrivateProcessingNetwork(stack(), 'N', { s3PrefixListId: 'sg-1' })],
    ['network endpoint duplicate', 'InterfaceEndpointDuplicate', () => new PrivateProcessingNetwork(stack(), 'N', {
      interfaceEndpointServices: [ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.KMS],
    })],
    ['org trail coverage ARN', 'TrailArnInvalid', () => new OrganizationTrailCoverage(stack(), 'O', { trailArn: 'trail' })],
    ['org trail coverage nothing', 'CoversNothing', () => new OrganizationTrailCoverage(stack(), 'O', {
      trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org', s3DataEvents: false, dynamoDbDataEvents: false,
    })],
  ])('%s throws [%s]', (_name, code, fn) => {
    expect(codesOf(fn)).toContain(code);
  });
});
