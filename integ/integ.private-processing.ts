/**
 * Integ test: DsrWorkflow with its handlers in a PrivateProcessingNetwork (isolated subnets, no
 * internet gateway or NAT, VPC endpoints only), as deployed.
 *
 * Against a real account the assertions
 * 1. describe the VPC's endpoints: S3 and DynamoDB gateway endpoints, and KMS, STS, Step Functions,
 *    CloudWatch Logs and EventBridge interface endpoints with private DNS, all available;
 * 2. seed one item of a subject, submit a DELETE request to the workflow's Requests function
 *    (its handlers reach DynamoDB, S3, KMS, EventBridge and Step Functions through the endpoints
 *    only), wait until its status reads COMPLETED and check the item is gone.
 * The test runs in us-east-1 only, because the handlers' security group names that region's S3 and
 * DynamoDB prefix lists (pl-63a5400a, pl-02cd2c6b). Here CI synthesizes it into
 * integ/integ.private-processing.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { deleteRemovesItem } from './dsr-delete-check';
import { DsrWorkflow, PersonalDataBucket, PrivacyKey, PrivacyTable, PrivateProcessingNetwork } from '../lib';

const app = new App();
// environment-agnostic like the assertion stack (a cross-environment reference would not synthesize);
// `regions` below runs it in us-east-1 only, the region of the two prefix lists
const stack = new Stack(app, 'CcpaPrivateProcessingInteg');

const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const network = new PrivateProcessingNetwork(stack, 'Network', {
  encryptionKey: key,
  s3PrefixListId: 'pl-63a5400a',
  dynamoDbPrefixListId: 'pl-02cd2c6b',
});
const customers = new PrivacyTable(stack, 'Customers', { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
const documents = new PersonalDataBucket(stack, 'Documents', { encryptionKey: key });
const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], encryptionKey: key, network });

const integ = new IntegTest(app, 'PrivateProcessingTest', { testCases: [stack], regions: ['us-east-1'] });
// the assertion functions act as a DSR principal: the table policy and the key policy admit only tagged roles
Tags.of(integ.assertions as unknown as Stack).add('privacy:workflow', 'dsr', { includeResourceTypes: ['AWS::IAM::Role'] });

const endpoint = (service: string, type: string) => Match.objectLike({
  ServiceName: `com.amazonaws.us-east-1.${service}`,
  VpcEndpointType: type,
  State: 'available',
  ...(type === 'Interface' ? { PrivateDnsEnabled: true } : {}),
});
const endpoints = integ.assertions.awsApiCall('EC2', 'describeVpcEndpoints', {
  Filters: [{ Name: 'vpc-id', Values: [network.vpc.vpcId] }],
}).expect(ExpectedResult.objectLike({
  VpcEndpoints: Match.arrayWith([
    endpoint('s3', 'Gateway'), endpoint('dynamodb', 'Gateway'),
    endpoint('kms', 'Interface'), endpoint('sts', 'Interface'), endpoint('states', 'Interface'),
    endpoint('logs', 'Interface'), endpoint('events', 'Interface'),
  ]),
}));

const { first } = deleteRemovesItem(integ, { dsr, table: customers, key, requestId: 'integ-private-delete-1' });
endpoints.next(first);

app.synth();
