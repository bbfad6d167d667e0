import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { PrivacyPrincipal } from '../../../lib/classification';
import { OrganizationTrailCoverage } from '../../../lib/nag';
import { check, outcome } from '../helpers';

describe('LogsRetentionTwelveMonths', () => {
  test('GIVEN an L2 log group of 6 months THEN non-compliant; the L2 default (2 years) and explicit INFINITE THEN compliant', () => {
    const findings = check((s) => {
      new logs.LogGroup(s, 'Short', { retention: logs.RetentionDays.SIX_MONTHS });
      new logs.LogGroup(s, 'Default');
      new logs.LogGroup(s, 'Forever', { retention: logs.RetentionDays.INFINITE });
    });
    expect(outcome(findings, 'LogsRetentionTwelveMonths', 'Test/Short/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'LogsRetentionTwelveMonths', 'Test/Default/Resource')).toBe('clean');
    expect(outcome(findings, 'LogsRetentionTwelveMonths', 'Test/Forever/Resource')).toBe('clean');
  });
  test('GIVEN an L1 log group without RetentionInDays (never expires, not chosen) THEN non-compliant; 400 days THEN compliant', () => {
    const findings = check((s) => {
      new logs.CfnLogGroup(s, 'Unset');
      new logs.CfnLogGroup(s, 'Set', { retentionInDays: 400 });
    });
    expect(outcome(findings, 'LogsRetentionTwelveMonths', 'Test/Unset')).toBe('non-compliant');
    expect(outcome(findings, 'LogsRetentionTwelveMonths', 'Test/Set')).toBe('clean');
  });
});

describe('LogsDsrRetention24Months', () => {
  function dsrStateMachine(s: Stack, retention: logs.RetentionDays): void {
    const sm = new sfn.StateMachine(s, 'Dsr', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'Step')),
      logs: { destination: new logs.LogGroup(s, 'DsrLogs', { retention }), level: sfn.LogLevel.ALL },
    });
    PrivacyPrincipal.tag(sm.role, { dsrWorkflow: true });
  }
  test('GIVEN the log group of a DSR state machine kept one year THEN non-compliant; two years THEN compliant', () => {
    expect(outcome(check((s) => dsrStateMachine(s, logs.RetentionDays.ONE_YEAR)), 'LogsDsrRetention24Months', 'Test/DsrLogs/Resource')).toBe('non-compliant');
    expect(outcome(check((s) => dsrStateMachine(s, logs.RetentionDays.TWO_YEARS)), 'LogsDsrRetention24Months', 'Test/DsrLogs/Resource')).toBe('clean');
  });
  test('GIVEN an L1 log group tagged privacy:workflow=dsr with 400 days THEN non-compliant; untagged THEN n/a', () => {
    const findings = check((s) => {
      new logs.CfnLogGroup(s, 'Tagged', { retentionInDays: 400, tags: [{ key: 'privacy:workflow', value: 'dsr' }] });
      new logs.CfnLogGroup(s, 'Plain', { retentionInDays: 400 });
    });
    expect(outcome(findings, 'LogsDsrRetention24Months', 'Test/Tagged')).toBe('non-compliant');
    expect(outcome(findings, 'LogsDsrRetention24Months', 'Test/Plain')).toBe('clean');
  });
});

const pk = { name: 'id', type: dynamodb.AttributeType.STRING };

describe('CloudTrailDataEventCoverage', () => {
  test('GIVEN no trail THEN a bucket and a table are non-compliant', () => {
    const findings = check((s) => {
      new s3.Bucket(s, 'Bucket');
      new dynamodb.Table(s, 'Table', { partitionKey: pk });
    });
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Table/Resource')).toBe('non-compliant');
  });
  test('GIVEN an L2 trail with basic selectors for one bucket (and all tables) THEN that bucket and the table are covered, another bucket is not', () => {
    const findings = check((s) => {
      const bucket = new s3.Bucket(s, 'Bucket');
      new s3.Bucket(s, 'Other');
      new dynamodb.Table(s, 'Table', { partitionKey: pk });
      const trail = new cloudtrail.Trail(s, 'Trail');
      trail.addS3EventSelector([{ bucket }]);
      trail.addEventSelector('AWS::DynamoDB::Table' as cloudtrail.DataResourceType, ['arn:aws:dynamodb']);
    });
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('clean');
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Other/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Table/Resource')).toBe('clean');
  });
  test('GIVEN a read-only selector THEN not covered', () => {
    const findings = check((s) => {
      const bucket = new s3.Bucket(s, 'Bucket');
      new cloudtrail.Trail(s, 'Trail').addS3EventSelector([{ bucket }], { readWriteType: cloudtrail.ReadWriteType.READ_ONLY });
    });
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('non-compliant');
  });
  test('GIVEN an L1 trail with advanced selectors (StartsWith bucket ARN/, Equals table ARN) THEN covered; NotStartsWith the bucket THEN not', () => {
    const build = (exclude: boolean) => (s: Stack) => {
      const bucket = new s3.Bucket(s, 'Bucket');
      const table = new dynamodb.Table(s, 'Table', { partitionKey: pk });
      new cloudtrail.CfnTrail(s, 'Trail', {
        isLogging: true,
        s3BucketName: 'trail-bucket',
        advancedEventSelectors: [
          {
            fieldSelectors: [
              { field: 'eventCategory', equalTo: ['Data'] },
              { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
              exclude
                ? { field: 'resources.ARN', notStartsWith: [`${bucket.bucketArn}/`] }
                : { field: 'resources.ARN', startsWith: [`${bucket.bucketArn}/`] },
            ],
          },
          {
            fieldSelectors: [
              { field: 'eventCategory', equalTo: ['Data'] },
              { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
              { field: 'resources.ARN', equalTo: [table.tableArn] },
            ],
          },
        ],
      });
    };
    const covered = check(build(false));
    expect(outcome(covered, 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('clean');
    expect(outcome(covered, 'CloudTrailDataEventCoverage', 'Test/Table/Resource')).toBe('clean');
    expect(outcome(check(build(true)), 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('non-compliant');
  });
  test('GIVEN a trail in another stack whose selector imports the bucket ARN THEN covered', () => {
    const findings = check((s, app) => {
      const bucket = new s3.Bucket(s, 'Bucket');
      new cloudtrail.Trail(new Stack(app, 'Audit'), 'Trail').addS3EventSelector([{ bucket }]);
    });
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('clean');
  });
  test('GIVEN a selector value that is a parameter THEN cannot verify', () => {
    const findings = check((s) => {
      new s3.Bucket(s, 'Bucket');
      const arn = new CfnParameter(s, 'Arn').valueAsString;
      new cloudtrail.CfnTrail(s, 'Trail', {
        isLogging: true,
        s3BucketName: 'x',
        eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: [arn] }] }],
      });
    });
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('cannot-verify');
  });
  test('GIVEN an OrganizationTrailCoverage on the stack THEN covered; on another stack THEN not', () => {
    const findings = check((s, app) => {
      new OrganizationTrailCoverage(s, 'Org', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org' });
      new s3.Bucket(s, 'Bucket');
      new s3.Bucket(new Stack(app, 'Elsewhere'), 'Bucket');
    });
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Test/Bucket/Resource')).toBe('clean');
    expect(outcome(findings, 'CloudTrailDataEventCoverage', 'Elsewhere/Bucket/Resource')).toBe('non-compliant');
  });
  test('GIVEN an OrganizationTrailCoverage with a malformed ARN THEN a ValidationError', () => {
    expect(() => check((s) => { new OrganizationTrailCoverage(s, 'Org', { trailArn: 'org-trail' }); })).toThrow(/not a CloudTrail trail ARN/);
  });
});

describe('CloudTrail trail settings', () => {
  test('GIVEN an L2 trail with defaults THEN not encrypted (non-compliant), validation on and multi-region (compliant)', () => {
    const findings = check((s) => { new cloudtrail.Trail(s, 'Trail'); });
    expect(outcome(findings, 'CloudTrailEncrypted', 'Test/Trail/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'CloudTrailLogFileValidation', 'Test/Trail/Resource')).toBe('clean');
    expect(outcome(findings, 'CloudTrailMultiRegion', 'Test/Trail/Resource')).toBe('clean');
  });
  test('GIVEN an L2 trail with a key, validation off, single region THEN encrypted compliant, the two others non-compliant', () => {
    const findings = check((s) => {
      new cloudtrail.Trail(s, 'Trail', { encryptionKey: new kms.Key(s, 'Key'), enableFileValidation: false, isMultiRegionTrail: false });
    });
    expect(outcome(findings, 'CloudTrailEncrypted', 'Test/Trail/Resource')).toBe('clean');
    expect(outcome(findings, 'CloudTrailLogFileValidation', 'Test/Trail/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'CloudTrailMultiRegion', 'Test/Trail/Resource')).toBe('non-compliant');
  });
  test('GIVEN an L1 trail with the settings unset THEN all three non-compliant', () => {
    const findings = check((s) => { new cloudtrail.CfnTrail(s, 'L1', { isLogging: true, s3BucketName: 'x' }); });
    for (const rule of ['CloudTrailEncrypted', 'CloudTrailLogFileValidation', 'CloudTrailMultiRegion']) {
      expect(outcome(findings, rule, 'Test/L1')).toBe('non-compliant');
    }
  });
});
