/**
 * The key-policy matrix: simulated KMS requests against the policies PrivacyKey and
 * PseudonymizationKey synthesize, evaluated with identity policies and tags taken from the same
 * template (test/kit/iam-sim.ts on @cloud-copilot/iam-simulate).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataClassification, PrivacyAccessLevel, PrivacyKey, PrivacyPrincipal, PseudonymizationKey } from '../../lib';
import {
  allowPolicy, arnPrincipal, IamSimulator, servicePrincipal, SimRequest, SimResult, templateRole,
} from '../kit/iam-sim';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const S3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
const DYNAMODB = { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` };
const SQS = { 'kms:ViaService': `sqs.${REGION}.amazonaws.com` };
const KMS_STAR = [allowPolicy('kms:*')];
const SM_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dsr-requests`;
const STATES = { 'kms:ViaService': `states.${REGION}.amazonaws.com`, 'kms:EncryptionContext:aws:states:stateMachineArn': SM_ARN };
const STATES_VIA_CFN = { ...STATES, 'aws:CalledVia': ['cloudformation.amazonaws.com'] };

function buildStack(): { stack: Stack; ids: Record<string, string> } {
  const stack = new Stack(new App(), 'Matrix', { env: { account: ACCOUNT, region: REGION } });
  const key = new PrivacyKey(stack, 'PersonalKey');
  const sensitiveKey = new PrivacyKey(stack, 'SensitiveKey', { classification: DataClassification.SENSITIVE });
  const hmac = new PseudonymizationKey(stack, 'Pseudonyms');
  key.allowCloudWatchLogs('/cdk-ccpa/dsr/*');
  key.allowStepFunctions(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dsr-requests`);

  const lambda = new iam.ServicePrincipal('lambda.amazonaws.com');
  // a reader gets its tag from the grant, as a user of the library would
  const reader = new iam.Role(stack, 'Reader', { assumedBy: lambda });
  new s3.Bucket(stack, 'Customers', { encryptionKey: key }).grantRead(reader);
  new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  }).grantReadData(reader);

  const clinician = new iam.Role(stack, 'Clinician', { assumedBy: lambda });
  sensitiveKey.grantDecrypt(clinician);

  const dsr = new iam.Role(stack, 'DsrHandler', { assumedBy: lambda });
  key.grantToDsrWorkflow(dsr);
  sensitiveKey.grantToDsrWorkflow(dsr);
  hmac.grantGenerateMac(dsr);

  const logger = new iam.Role(stack, 'Logger', { assumedBy: lambda });
  PrivacyPrincipal.tag(logger, { access: PrivacyAccessLevel.PERSONAL });
  hmac.grantGenerateMac(logger);

  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
  return {
    stack,
    ids: {
      key: id(key),
      sensitiveKey: id(sensitiveKey),
      hmac: id(hmac),
      reader: id(reader),
      clinician: id(clinician),
      dsr: id(dsr),
      logger: id(logger),
    },
  };
}

const { stack, ids } = buildStack();
const sim = IamSimulator.fromStack(stack);
const root = sim.root();
const untaggedAdmin = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/ops-admin`, { identityPolicies: KMS_STAR });
const otherAccountReader = arnPrincipal('arn:aws:iam::444455556666:role/reader', {
  tags: { 'privacy:access': 'sensitive' }, identityPolicies: KMS_STAR,
});
const personalKey = { logicalId: ids.key };
const sensitiveKey = { logicalId: ids.sensitiveKey };
const hmacKey = { logicalId: ids.hmac };

const matrix: Array<[string, SimRequest, SimResult]> = [
  // the account root: administers, never uses
  ['root (untagged) cannot Decrypt directly', { principal: root, action: 'kms:Decrypt', resource: personalKey }, 'ImplicitlyDenied'],
  ['root (untagged) cannot Decrypt through S3', { principal: root, action: 'kms:Decrypt', resource: personalKey, context: S3 }, 'ImplicitlyDenied'],
  ['root cannot GenerateDataKey', { principal: root, action: 'kms:GenerateDataKey', resource: personalKey, context: S3 }, 'ImplicitlyDenied'],
  ['root cannot ReEncrypt', { principal: root, action: 'kms:ReEncryptFrom', resource: personalKey }, 'ImplicitlyDenied'],
  ['root can PutKeyPolicy', { principal: root, action: 'kms:PutKeyPolicy', resource: personalKey }, 'Allowed'],
  ['root can ScheduleKeyDeletion', { principal: root, action: 'kms:ScheduleKeyDeletion', resource: personalKey }, 'Allowed'],
  ['root can EnableKeyRotation', { principal: root, action: 'kms:EnableKeyRotation', resource: personalKey }, 'Allowed'],
  ['root can DescribeKey', { principal: root, action: 'kms:DescribeKey', resource: personalKey }, 'Allowed'],
  ['root cannot CreateGrant for itself', { principal: root, action: 'kms:CreateGrant', resource: personalKey, context: { 'kms:GrantIsForAWSResource': 'false' } }, 'ExplicitlyDenied'],
  ['root can CreateGrant for an AWS resource (DynamoDB table creation)', { principal: root, action: 'kms:CreateGrant', resource: personalKey, context: { 'kms:GrantIsForAWSResource': 'true', ...DYNAMODB } }, 'Allowed'],

  // principals tagged privacy:access, through the services that hold the data
  ['reader (tagged personal by bucket.grantRead) can Decrypt through S3', { principal: templateRole(ids.reader), action: 'kms:Decrypt', resource: personalKey, context: S3 }, 'Allowed'],
  ['reader can Decrypt through DynamoDB', { principal: templateRole(ids.reader), action: 'kms:Decrypt', resource: personalKey, context: DYNAMODB }, 'Allowed'],
  ['reader cannot Decrypt directly', { principal: templateRole(ids.reader), action: 'kms:Decrypt', resource: personalKey }, 'ImplicitlyDenied'],
  ['reader cannot Decrypt through a service not in viaServices', { principal: templateRole(ids.reader), action: 'kms:Decrypt', resource: personalKey, context: SQS }, 'ImplicitlyDenied'],
  ['reader with kms:* cannot use the sensitive key', { principal: templateRole(ids.reader, { extraIdentityPolicies: KMS_STAR }), action: 'kms:Decrypt', resource: sensitiveKey, context: S3 }, 'ImplicitlyDenied'],
  ['reader cannot administer the key without an identity policy', { principal: templateRole(ids.reader), action: 'kms:PutKeyPolicy', resource: personalKey }, 'ImplicitlyDenied'],
  ['clinician (tagged sensitive) can Decrypt the sensitive key through S3', { principal: templateRole(ids.clinician), action: 'kms:Decrypt', resource: sensitiveKey, context: S3 }, 'Allowed'],
  ['clinician with kms:* can also use the personal key (sensitive implies personal)', { principal: templateRole(ids.clinician, { extraIdentityPolicies: KMS_STAR }), action: 'kms:Decrypt', resource: personalKey, context: DYNAMODB }, 'Allowed'],
  ['a session tag cannot lower a role below its grant: clinician with session tag personal is denied the sensitive key', { principal: templateRole(ids.clinician, { sessionTags: { 'privacy:access': 'personal' } }), action: 'kms:Decrypt', resource: sensitiveKey, context: S3 }, 'ImplicitlyDenied'],

  // the DSR workflow
  ['DSR role can Decrypt directly', { principal: templateRole(ids.dsr), action: 'kms:Decrypt', resource: personalKey }, 'Allowed'],
  ['DSR role can GenerateDataKey through S3 (exports)', { principal: templateRole(ids.dsr), action: 'kms:GenerateDataKey', resource: personalKey, context: S3 }, 'Allowed'],
  ['DSR role can Decrypt the sensitive key', { principal: templateRole(ids.dsr), action: 'kms:Decrypt', resource: sensitiveKey, context: DYNAMODB }, 'Allowed'],
  ['DSR role cannot administer the key', { principal: templateRole(ids.dsr), action: 'kms:ScheduleKeyDeletion', resource: personalKey }, 'ImplicitlyDenied'],

  // untagged and foreign principals with broad identity policies
  ['untagged role with kms:* on * cannot Decrypt through S3', { principal: untaggedAdmin, action: 'kms:Decrypt', resource: personalKey, context: S3 }, 'ImplicitlyDenied'],
  ['untagged role with kms:* on * cannot Decrypt directly', { principal: untaggedAdmin, action: 'kms:Decrypt', resource: personalKey }, 'ImplicitlyDenied'],
  ['untagged role with kms:* on * cannot GenerateMac', { principal: untaggedAdmin, action: 'kms:GenerateMac', resource: hmacKey }, 'ImplicitlyDenied'],
  ['untagged role with kms:* on * cannot CreateGrant for itself', { principal: untaggedAdmin, action: 'kms:CreateGrant', resource: personalKey, context: { 'kms:GrantIsForAWSResource': 'false' } }, 'ExplicitlyDenied'],
  ['untagged role with kms:* on * can administer (root delegates administration to IAM)', { principal: untaggedAdmin, action: 'kms:DisableKeyRotation', resource: personalKey }, 'Allowed'],
  ['a tagged role of another account with kms:* cannot Decrypt', { principal: otherAccountReader, action: 'kms:Decrypt', resource: personalKey, context: S3 }, 'ImplicitlyDenied'],

  // Step Functions (a state machine encrypted with the key: its execution history holds the raw input)
  ['untagged role with kms:* cannot Decrypt through Step Functions (execution history)', { principal: untaggedAdmin, action: 'kms:Decrypt', resource: personalKey, context: STATES }, 'ImplicitlyDenied'],
  ['root cannot Decrypt through Step Functions', { principal: root, action: 'kms:Decrypt', resource: personalKey, context: STATES }, 'ImplicitlyDenied'],
  ['reader (tagged personal) cannot Decrypt through Step Functions (states is not in viaServices)', { principal: templateRole(ids.reader, { extraIdentityPolicies: KMS_STAR }), action: 'kms:Decrypt', resource: personalKey, context: STATES }, 'ImplicitlyDenied'],
  ['DSR role can Decrypt through Step Functions', { principal: templateRole(ids.dsr), action: 'kms:Decrypt', resource: personalKey, context: STATES }, 'Allowed'],
  ['untagged deployer with kms:* can Decrypt when CloudFormation calls Step Functions for the state machine', { principal: untaggedAdmin, action: 'kms:Decrypt', resource: personalKey, context: STATES_VIA_CFN }, 'Allowed'],
  ['untagged deployer with kms:* can GenerateDataKey when CloudFormation calls Step Functions for the state machine', { principal: untaggedAdmin, action: 'kms:GenerateDataKey', resource: personalKey, context: STATES_VIA_CFN }, 'Allowed'],
  ['untagged deployer cannot ReEncrypt through CloudFormation', { principal: untaggedAdmin, action: 'kms:ReEncryptFrom', resource: personalKey, context: STATES_VIA_CFN }, 'ImplicitlyDenied'],
  ['untagged deployer cannot Decrypt through CloudFormation for another state machine', {
    principal: untaggedAdmin,
    action: 'kms:Decrypt',
    resource: personalKey,
    context: { ...STATES_VIA_CFN, 'kms:EncryptionContext:aws:states:stateMachineArn': `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:other` },
  }, 'ImplicitlyDenied'],
  ['untagged deployer cannot Decrypt directly with the CloudFormation chain but no Step Functions', {
    principal: untaggedAdmin,
    action: 'kms:Decrypt',
    resource: personalKey,
    context: { 'aws:CalledVia': ['cloudformation.amazonaws.com'], 'kms:EncryptionContext:aws:states:stateMachineArn': SM_ARN },
  }, 'ImplicitlyDenied'],
  ['a tagged role of another account cannot Decrypt through CloudFormation and Step Functions', { principal: otherAccountReader, action: 'kms:Decrypt', resource: personalKey, context: STATES_VIA_CFN }, 'ImplicitlyDenied'],
  ['CloudWatch Logs delivery can Decrypt what Step Functions encrypted for this account\'s logs', {
    principal: servicePrincipal('delivery.logs.amazonaws.com'),
    action: 'kms:Decrypt',
    resource: personalKey,
    context: { 'kms:EncryptionContext:SourceArn': `arn:aws:logs:${REGION}:${ACCOUNT}:*` },
  }, 'Allowed'],
  ['CloudWatch Logs delivery cannot Decrypt execution history', { principal: servicePrincipal('delivery.logs.amazonaws.com'), action: 'kms:Decrypt', resource: personalKey, context: STATES }, 'ImplicitlyDenied'],

  // the pseudonymization key
  ['DSR role can GenerateMac', { principal: templateRole(ids.dsr), action: 'kms:GenerateMac', resource: hmacKey }, 'Allowed'],
  ['logger (tagged personal) can GenerateMac', { principal: templateRole(ids.logger), action: 'kms:GenerateMac', resource: hmacKey }, 'Allowed'],
  ['logger cannot VerifyMac without a grant for it', { principal: templateRole(ids.logger), action: 'kms:VerifyMac', resource: hmacKey }, 'ImplicitlyDenied'],
  ['root cannot GenerateMac', { principal: root, action: 'kms:GenerateMac', resource: hmacKey }, 'ImplicitlyDenied'],

  // AWS services
  ['CloudWatch Logs can encrypt a matching log group', {
    principal: servicePrincipal(`logs.${REGION}.amazonaws.com`),
    action: 'kms:GenerateDataKey',
    resource: personalKey,
    context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/cdk-ccpa/dsr/requests` },
  }, 'Allowed'],
  ['CloudWatch Logs cannot encrypt another log group', {
    principal: servicePrincipal(`logs.${REGION}.amazonaws.com`),
    action: 'kms:GenerateDataKey',
    resource: personalKey,
    context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/app/debug` },
  }, 'ImplicitlyDenied'],
];

describe('key-policy matrix', () => {
  test('has at least 12 requests', () => {
    expect(matrix.length).toBeGreaterThanOrEqual(12);
  });

  test.each(matrix)('%s', async (_name, request, expected) => {
    const decision = await sim.simulate(request);
    expect(decision.result).toBe(expected);
  });
});
