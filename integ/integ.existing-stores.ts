/**
 * Integ test: a DsrWorkflow serving an existing table and an existing bucket.
 *
 * The first stack stands for what a team had before cdk-ccpa: a DynamoDB table and an S3 bucket
 * made with aws-cdk-lib alone, each under its own customer-managed kms.Key (default key policy).
 * The second stack imports them by name and key ARN, registers them as ExistingPersonalDataTable /
 * ExistingPersonalDataBucket and serves them with a DsrWorkflow. Against a real account the
 * assertions check that the AWS Config rules scoped to each resource exist and name it; deploying
 * also proves the workflow's grants on imported ARNs are valid policy. Here CI synthesizes it into
 * integ/integ.existing-stores.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DsrWorkflow, ExistingPersonalDataBucket, ExistingPersonalDataTable } from '../lib';

const app = new App();

const TABLE_NAME = 'cdk-ccpa-integ-existing-orders';
const BUCKET_NAME = 'cdk-ccpa-integ-existing-uploads';

// the existing stores, as a team made them before adopting cdk-ccpa
const before = new Stack(app, 'CcpaExistingStoresBefore');
const tableKey = new kms.Key(before, 'TableKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
const bucketKey = new kms.Key(before, 'BucketKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
const table = new dynamodb.Table(before, 'Orders', {
  tableName: TABLE_NAME,
  partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
  encryptionKey: tableKey,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  removalPolicy: RemovalPolicy.DESTROY,
});
table.addGlobalSecondaryIndex({ indexName: 'by-customer', partitionKey: { name: 'customerRef', type: dynamodb.AttributeType.STRING }, projectionType: dynamodb.ProjectionType.KEYS_ONLY });
new s3.Bucket(before, 'Uploads', {
  bucketName: BUCKET_NAME,
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: bucketKey,
  versioned: true,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});

// the app that adopts cdk-ccpa: imports, registers and serves them
const stack = new Stack(app, 'CcpaExistingStoresInteg');
stack.addDependency(before);
const orders = new ExistingPersonalDataTable(stack, 'LegacyOrders', {
  table: dynamodb.Table.fromTableName(stack, 'OrdersRef', TABLE_NAME),
  encryptionKey: kms.Key.fromKeyArn(stack, 'OrdersKey', tableKey.keyArn),
  partitionKeyName: 'PK',
  sortKeyName: 'SK',
  subjectAttribute: 'customerRef',
  subjectIndexName: 'by-customer',
  subjectValueTemplate: 'CUSTOMER#{subject}',
});
const uploads = new ExistingPersonalDataBucket(stack, 'LegacyUploads', {
  bucket: s3.Bucket.fromBucketName(stack, 'UploadsRef', BUCKET_NAME),
  encryptionKey: kms.Key.fromKeyArn(stack, 'UploadsKey', bucketKey.keyArn),
  subjectPrefixTemplate: 'users/{subject}/',
});
new DsrWorkflow(stack, 'Dsr', { stores: [orders, uploads] });

const integ = new IntegTest(app, 'ExistingStoresTest', { testCases: [before, stack] });
for (const [store, type, id] of [[orders, 'AWS::DynamoDB::Table', TABLE_NAME], [uploads, 'AWS::S3::Bucket', BUCKET_NAME]] as const) {
  for (const rule of store.accountChecks) {
    integ.assertions
      .awsApiCall('ConfigService', 'describeConfigRules', { ConfigRuleNames: [rule.ref] })
      .expect(ExpectedResult.objectLike({ ConfigRules: [{ Scope: { ComplianceResourceTypes: [type], ComplianceResourceId: id } }] }));
  }
}

app.synth();
