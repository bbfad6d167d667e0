/**
 * Integ test: DsrWorkflow over a PrivacyTable and a PersonalDataBucket, as deployed.
 *
 * Against a real account the assertions seed one item of a subject, start a DELETE request,
 * wait for the execution to succeed and check the item is gone. Here CI synthesizes it into
 * integ/integ.dsr-workflow.ts.snapshot and diffs it (the DeployAssert template, salts masked,
 * pins the assertions too).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { DsrWorkflow, PersonalDataBucket, PrivacyKey, PrivacyTable } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaDsrWorkflowInteg');

const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const customers = new PrivacyTable(stack, 'Customers', { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
const documents = new PersonalDataBucket(stack, 'Documents', { encryptionKey: key });
const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], encryptionKey: key });

const integ = new IntegTest(app, 'DsrWorkflowTest', { testCases: [stack] });
// the assertion functions act as a DSR principal: the table policy and the key policy admit only tagged roles
Tags.of(integ.assertions as unknown as Stack).add('privacy:workflow', 'dsr', { includeResourceTypes: ['AWS::IAM::Role'] });

const item = { pk: { S: 'order-1' }, sk: { S: 'ORDER' }, subjectId: { S: 'integ-subject@example.com' } };
const seed = integ.assertions.awsApiCall('DynamoDB', 'putItem', { TableName: customers.table.tableName, Item: item });
seed.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt'], Resource: [key.keyArn] });

const start = integ.assertions.awsApiCall('StepFunctions', 'startExecution', {
  stateMachineArn: dsr.stateMachine.stateMachineArn,
  name: 'integ-delete-1',
  input: JSON.stringify({ requestId: 'integ-delete-1', type: 'DELETE', tenant: 'integ', subject: 'integ-subject@example.com' }),
});

const described = integ.assertions.awsApiCall('StepFunctions', 'describeExecution', { executionArn: start.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) });

const gone = integ.assertions.awsApiCall('DynamoDB', 'getItem', { TableName: customers.table.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true })
  .expect(ExpectedResult.exact({}));
gone.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [key.keyArn] });

seed.next(start).next(described).next(gone);

app.synth();
