/**
 * Integ test: PrivacyTable as deployed (silo and pooled).
 *
 * Against a real account the assertions check what DynamoDB reports: encryption with the
 * PrivacyKey, point-in-time recovery with a 35-day window, deletion protection, the subject index,
 * TTL. Creating the tables also proves that the PrivacyKey policy lets CloudFormation's role create
 * a table under the key (kms:CreateGrant for an AWS resource, kms:DescribeKey). Here CI
 * synthesizes it into integ/integ.privacy-table.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PrivacyKey, PrivacyTable, TenancyModel } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaPrivacyTableInteg');

const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
// deletion protection off and DESTROY so that the test cleans up after itself
const silo = new PrivacyTable(stack, 'Orders', { encryptionKey: key, deletionProtection: false, removalPolicy: RemovalPolicy.DESTROY });
const pooled = new PrivacyTable(stack, 'Profiles', {
  encryptionKey: key, tenancy: TenancyModel.POOLED, deletionProtection: false, removalPolicy: RemovalPolicy.DESTROY,
});

const integ = new IntegTest(app, 'PrivacyTableTest', { testCases: [stack] });

for (const table of [silo, pooled]) {
  integ.assertions
    .awsApiCall('DynamoDB', 'describeTable', { TableName: table.table.tableName })
    .expect(ExpectedResult.objectLike({
      Table: {
        SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: key.keyArn },
        GlobalSecondaryIndexes: [{ IndexName: 'subject-index', Projection: { ProjectionType: 'KEYS_ONLY' } }],
      },
    }));
  integ.assertions
    .awsApiCall('DynamoDB', 'describeContinuousBackups', { TableName: table.table.tableName })
    .expect(ExpectedResult.objectLike({
      ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 } },
    }));
  integ.assertions
    .awsApiCall('DynamoDB', 'describeTimeToLive', { TableName: table.table.tableName })
    .expect(ExpectedResult.objectLike({ TimeToLiveDescription: { AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' } }));
}

app.synth();
