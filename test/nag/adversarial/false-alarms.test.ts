import { CfnOutput, CfnResource, Fn, NestedStack, Stack, Stage, Tags } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AdversarialCase, findingsFor, runCases, templateFile } from './kit';
import { IsolatedAuditTrail, PersonalDataBucket, PrivacyKey, PrivacyPrincipal, PrivacyTable } from '../../../lib';

const ALL_S3 = ['S3BucketCustomerManagedKey', 'S3BucketTlsOnly', 'S3BucketPublicAccessBlocked', 'S3BucketAccessAudited', 'CloudTrailDataEventCoverage'];
const COVERAGE = ['CloudTrailDataEventCoverage', 'S3BucketAccessAudited'];

/** Compliant apps that must not fail synth. */
const cases: AdversarialCase[] = [
  {
    name: 'GIVEN a PersonalDataBucket and a PrivacyTable in a NestedStack and the trail that logs them in the parent THEN no finding',
    rules: COVERAGE,
    build: (s) => {
      const nested = new NestedStack(s, 'Data');
      const bucket = new PersonalDataBucket(nested, 'Customers');
      const table = new PrivacyTable(nested, 'Orders');
      const trail = new cloudtrail.Trail(s, 'Trail', { encryptionKey: new PrivacyKey(s, 'TrailKey') });
      trail.addS3EventSelector([{ bucket: bucket.bucket }]);
      trail.addEventSelector('AWS::DynamoDB::Table' as cloudtrail.DataResourceType, [table.table.tableArn]);
    },
    expect: [],
  },
  {
    name: 'GIVEN the trail in a NestedStack and the bucket in the parent (passed as a parameter) THEN no finding',
    rules: COVERAGE,
    build: (s) => {
      const bucket = new s3.Bucket(s, 'Raw');
      const nested = new NestedStack(s, 'Audit');
      const trail = new cloudtrail.Trail(nested, 'Trail');
      trail.addS3EventSelector([{ bucket }]);
    },
    expect: [],
  },
  {
    name: 'GIVEN the IsolatedAuditTrail in the parent and two nested stacks of stores THEN no finding',
    rules: COVERAGE,
    build: (s) => {
      const a = new PersonalDataBucket(new NestedStack(s, 'A'), 'Docs');
      const b = new PersonalDataBucket(new NestedStack(s, 'B'), 'Photos');
      const trail = new cloudtrail.Trail(s, 'Trail');
      trail.addS3EventSelector([{ bucket: a.bucket }, { bucket: b.bucket }]);
    },
    expect: [],
  },
  {
    name: 'GIVEN a raw CfnResource AWS::S3::Bucket whose Tags property classifies it non-personal THEN no finding',
    rules: ALL_S3,
    build: (s) => {
      new CfnResource(s, 'Artifacts', { type: 'AWS::S3::Bucket', properties: { Tags: [{ Key: 'privacy:classification', Value: 'non-personal' }] } });
    },
    expect: [],
  },
  {
    name: 'GIVEN a raw CfnResource AWS::SNS::Topic tagged non-personal in its properties THEN no finding',
    rules: ['SNSCustomerManagedKey'],
    build: (s) => {
      new CfnResource(s, 'Builds', { type: 'AWS::SNS::Topic', properties: { Tags: [{ Key: 'privacy:classification', Value: 'non-personal' }] } });
    },
    expect: [],
  },
  {
    name: 'GIVEN a JSON template (CfnInclude) whose bucket is tagged non-personal THEN no finding',
    rules: ALL_S3,
    build: (s) => {
      new CfnInclude(s, 'Legacy', {
        templateFile: templateFile('legacy.json', JSON.stringify({
          Resources: { Logs: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'privacy:classification', Value: 'non-personal' }] } } },
        })),
      });
    },
    expect: [],
  },
  {
    name: 'GIVEN a key exported as ${AWS::StackName}-KeyArn from a stack of the app and imported by a topic THEN no [CannotVerify]',
    rules: ['SNSCustomerManagedKey'],
    build: (s, app) => {
      const key = new PrivacyKey(s, 'Key');
      new CfnOutput(s, 'KeyArn', { value: key.keyArn, exportName: Fn.sub('${AWS::StackName}-KeyArn') });
      new sns.CfnTopic(new Stack(app, 'Consumer'), 'Topic', { kmsMasterKeyId: Fn.importValue('Test-KeyArn') });
    },
    expect: [],
  },
  {
    name: 'GIVEN an export named with Fn::Join of AWS::StackName inside a Stage THEN the import resolves',
    rules: ['SNSCustomerManagedKey'],
    build: (_s, app) => {
      const stage = new Stage(app, 'Prod');
      const keys = new Stack(stage, 'Keys', { stackName: 'prod-keys' });
      const key = new PrivacyKey(keys, 'Key');
      new CfnOutput(keys, 'KeyArn', { value: key.keyArn, exportName: Fn.join('-', [keys.stackName, 'KeyArn']) });
      new sns.CfnTopic(new Stack(stage, 'Consumer'), 'Topic', { kmsMasterKeyId: Fn.importValue('prod-keys-KeyArn') });
    },
    expect: [],
  },
  {
    name: 'GIVEN an import that no stack of the app exports THEN [CannotVerify] naming it',
    rules: ['SNSCustomerManagedKey'],
    build: (s) => { new sns.CfnTopic(s, 'Topic', { kmsMasterKeyId: Fn.importValue('KeyAliasName') }); },
    expect: ['CCPA-SNSCustomerManagedKey[CannotVerify] at Test/Topic'],
  },
];

describe('False alarms: compliant apps', () => runCases(cases));

describe('False alarms: privacy tags with values the pack does not know', () => {
  test('GIVEN a free-form privacy:categories value on a PersonalDataBucket THEN synth succeeds, no [CannotVerify], and a warning on each tagged resource names the tag and the allowed form', () => {
    const findings = findingsFor({
      build: (s) => {
        const b = new PersonalDataBucket(s, 'Customers');
        Tags.of(b).add('privacy:categories', 'Email, Phone numbers');
        new IsolatedAuditTrail(s, 'Trail');
      },
    });
    expect(findings.filter((f) => f.id.endsWith('[CannotVerify]'))).toEqual([]);
    const tagFindings = findings.filter((f) => f.id === 'CCPA-PrivacyTagsValid');
    // Tags.of(construct) tags the bucket and its key
    expect(tagFindings.map((f) => [f.path, f.severity]).sort()).toEqual([['Test/Customers/Bucket/Resource', 'warning'], ['Test/Customers/Key/Resource', 'warning']]);
    expect(tagFindings[0].description).toMatch(/privacy:categories = "Email, Phone numbers".*user\.contact/);
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.id} at ${f.path}`)).toEqual([]);
  });

  test('GIVEN privacy:classification=Non-Personal (wrong case) THEN a warning names the tag and the allowed values, and the store is checked as personal', () => {
    const findings = findingsFor({ build: (s) => { Tags.of(new s3.Bucket(s, 'B')).add('privacy:classification', 'Non-Personal'); } });
    const warning = findings.find((f) => f.id === 'CCPA-PrivacyTagsValid');
    expect(warning?.description).toMatch(/privacy:classification = "Non-Personal".*personal, sensitive, non-personal/);
    expect(findings.map((f) => f.id)).toContain('CCPA-S3BucketCustomerManagedKey');
  });

  test('GIVEN valid privacy tags THEN no PrivacyTagsValid finding', () => {
    const findings = findingsFor({ build: (s) => { new PersonalDataBucket(s, 'Customers'); new PrivacyTable(s, 'Orders'); } });
    expect(findings.filter((f) => f.id.startsWith('CCPA-PrivacyTagsValid'))).toEqual([]);
  });
});

const FUNCTIONS = ['LambdaFunctionUrlAuthorization', 'LambdaDsrAsyncFailureDestination', 'LambdaDsrFailureDestination'];

function lambdaFn(s: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(s, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), ...props });
}

/** The on-failure destinations Lambda offers (S3 aside), each for a DSR function behind every asynchronous source. */
const ON_FAILURE: Record<string, (s: Stack) => lambda.IDestination> = {
  SQS: (s) => new destinations.SqsDestination(new sqs.Queue(s, 'Failures')),
  SNS: (s) => new destinations.SnsDestination(new sns.Topic(s, 'Failures')),
  EventBridge: (s) => new destinations.EventBridgeDestination(new events.EventBus(s, 'Failures')),
  Lambda: (s) => new destinations.LambdaDestination(lambdaFn(s, 'Failures'), { responseOnly: true }),
};

/** Compliant functions: authenticated URLs, asynchronous DSR invocations with a failure path on every side. */
const functionCases: AdversarialCase[] = [
  {
    name: 'GIVEN an in-scope function with a URL using AWS_IAM and a role granted grantInvokeUrl THEN no finding',
    rules: FUNCTIONS,
    build: (s) => {
      const f = lambdaFn(s, 'Export');
      f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
      f.grantInvokeUrl(new iam.Role(s, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
    },
    expect: [],
  },
  ...Object.entries(ON_FAILURE).map(([kind, destination]): AdversarialCase => ({
    name: `GIVEN a DSR function with an on-failure destination to ${kind}, invoked by an EventBridge rule (target DLQ), an SNS subscription (DLQ), an S3 notification and a Logs subscription THEN no finding`,
    rules: FUNCTIONS,
    build: (s) => {
      const f = lambdaFn(s, 'Erase', { onFailure: destination(s) });
      PrivacyPrincipal.tag(f, { dsrWorkflow: true });
      new events.Rule(s, 'Requests', { eventPattern: { source: ['com.example.dsr'] }, targets: [new targets.LambdaFunction(f, { deadLetterQueue: new sqs.Queue(s, 'RuleDlq') })] });
      new sns.Topic(s, 'Erasures').addSubscription(new subs.LambdaSubscription(f, { deadLetterQueue: new sqs.Queue(s, 'SubscriptionDlq') }));
      new s3.Bucket(s, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(f));
      new logs.SubscriptionFilter(s, 'Filter', { logGroup: new logs.LogGroup(s, 'Group'), destination: new logsDestinations.LambdaDestination(f), filterPattern: logs.FilterPattern.allEvents() });
    },
    expect: [],
  })),
  {
    name: 'GIVEN a DSR function invoked through its alias, with the alias\'s on-failure destination and a target DLQ THEN no finding',
    rules: FUNCTIONS,
    build: (s) => {
      const f = lambdaFn(s, 'Erase');
      PrivacyPrincipal.tag(f, { dsrWorkflow: true });
      const live = new lambda.Alias(s, 'Live', { aliasName: 'live', version: f.currentVersion, onFailure: ON_FAILURE.SQS(s) });
      new events.Rule(s, 'Requests', { eventPattern: { source: ['com.example.dsr'] }, targets: [new targets.LambdaFunction(live, { deadLetterQueue: new sqs.Queue(s, 'RuleDlq') })] });
    },
    expect: [],
  },
];

describe('False alarms: compliant functions', () => runCases(functionCases));
