/**
 * Integ test: IsolatedAuditTrail with its same-account AuditLogArchive and one in-scope table.
 *
 * Against a real account the assertions check that the trail is logging, that its advanced event
 * selectors name the table, and that the archive bucket has Object Lock in COMPLIANCE mode. Here
 * CI synthesizes it into integ/integ.isolated-audit-trail.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DataClassification, IsolatedAuditTrail, PrivacyClassification } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaIsolatedAuditTrailInteg');

const table = new dynamodb.Table(stack, 'Customers', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  removalPolicy: RemovalPolicy.DESTROY,
});
PrivacyClassification.apply(table, { classification: DataClassification.PERSONAL });

const trail = new IsolatedAuditTrail(stack, 'Trail', { trailName: 'cdk-ccpa-integ-audit' });

const integ = new IntegTest(app, 'IsolatedAuditTrailTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('CloudTrail', 'getTrailStatus', { Name: trail.trailName })
  .expect(ExpectedResult.objectLike({ IsLogging: true }));

integ.assertions
  .awsApiCall('CloudTrail', 'getEventSelectors', { TrailName: trail.trailName })
  .expect(ExpectedResult.objectLike({
    AdvancedEventSelectors: [
      { Name: 'Management events' },
      {
        Name: 'DynamoDB data events of in-scope tables',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'resources.ARN', Equals: [table.tableArn] },
        ],
      },
    ],
  }));

integ.assertions
  .awsApiCall('S3', 'getObjectLockConfiguration', { Bucket: trail.archive!.bucket.bucketName })
  .expect(ExpectedResult.objectLike({
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 731 } } },
  }));

app.synth();
