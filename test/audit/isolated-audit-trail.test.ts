import { App, Stack, Token } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AuditLogArchive, DataClassification, DataEventScope, IsolatedAuditTrail, PrivacyClassification,
} from '../../lib';
import { ComplianceReport, runComplianceKit } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';
import { IamSimulator } from '../kit/iam-sim';

const ENV = { account: '111122223333', region: 'us-east-1' };

function newStack(app = new App(), id = 'Workload', env = ENV): Stack {
  return new Stack(app, id, { env });
}

function trailOf(stack: Stack): any {
  return Object.values(Template.fromStack(stack).findResources('AWS::CloudTrail::Trail'))[0];
}

const MANAGEMENT = { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };

describe('IsolatedAuditTrail defaults', () => {
  let stack: Stack;
  let trail: IsolatedAuditTrail;
  let report: ComplianceReport;
  beforeAll(() => {
    stack = newStack();
    trail = new IsolatedAuditTrail(stack, 'Trail');
    report = runComplianceKit(stack);
  });

  test('GIVEN no props THEN a logging, multi-region, validated, KMS-encrypted trail with a CloudWatch Logs copy', () => {
    const t = trailOf(stack);
    const id = (c: any) => stack.getLogicalId(c.node.defaultChild);
    expect(t.Properties).toEqual({
      TrailName: trail.trailName,
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      S3BucketName: { Ref: id(trail.archive!.bucket) },
      KMSKeyId: { 'Fn::GetAtt': [id(trail.archive!.encryptionKey), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [id(trail.logGroup), 'Arn'] },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [id(trail.logsRole), 'Arn'] },
      AdvancedEventSelectors: [MANAGEMENT],
    });
    expect(trail.trailArn).toBe(`arn:${stack.partition}:cloudtrail:us-east-1:111122223333:trail/${trail.trailName}`);
    expect(trail.trailName).toMatch(/^Workload-Trail-[0-9A-F]{8}$/);
  });

  test('the log group is kept 18 months, encrypted, retained and classified personal', () => {
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        LogGroupName: `/cdk-ccpa/cloudtrail/${trail.trailName}`,
        RetentionInDays: 545,
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(trail.logGroupEncryptionKey.node.defaultChild as any), 'Arn'] },
        Tags: [{ Key: 'privacy:classification', Value: 'personal' }],
      },
    });
  });

  test('CloudTrail alone assumes the logs role, for this trail only, and may write to this log group only', () => {
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceArn': Match.anyValue() } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(trail.logGroup.node.defaultChild as any), 'Arn'] },
        }],
      },
    });
  });

  test('without an archive in another account THEN a warning says what the same-account archive gives up', () => {
    AssertAnnotations.fromStack(stack).hasWarning('/Workload/Trail', Match.stringLikeRegexp('same account as the trail.*can stop the trail'));
  });

  test('the archive: Object Lock COMPLIANCE 731 days, versioned, KMS, no public access, no ACLs, access logs, EventBridge', () => {
    const template = Template.fromStack(stack);
    const id = (c: any) => stack.getLogicalId(c.node.defaultChild);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 731 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [id(trail.archive!.encryptionKey), 'Arn'] } } }],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: id(trail.archive!.accessLogsBucket) }, LogFilePrefix: 'archive/' },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 731, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' })] },
        Tags: Match.arrayWith([{ Key: 'privacy:audit', Value: 'cloudtrail-archive' }, { Key: 'privacy:classification', Value: 'personal' }]),
      },
    });
  });

  test('the archive bucket policy: TLS only; CloudTrail writes AWSLogs/<account>/ with bucket-owner-full-control, for this trail only', () => {
    const sim = IamSimulator.fromStack(stack);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'))
      .map((p: any) => sim.resolve(p.Properties.PolicyDocument.Statement) as any[])
      .find((statements) => statements.some((s) => /^CloudTrail/.test(s.Sid ?? '')))!;
    const bucketArn = sim.arnOf(stack.getLogicalId(trail.archive!.bucket.node.defaultChild as any));
    const trailArn = `arn:aws:cloudtrail:us-east-1:111122223333:trail/${trail.trailName}`;
    expect(policy.find((s) => s.Sid === 'CloudTrailAclCheck')).toEqual({
      Sid: 'CloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
    });
    expect(policy.find((s) => s.Sid === 'CloudTrailWrite')).toEqual({
      Sid: 'CloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/AWSLogs/111122223333/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    });
    expect(policy.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });

  test('simulated: CloudTrail may deliver for this trail, not for another trail, and not outside AWSLogs/<account>/', async () => {
    const sim = IamSimulator.fromStack(stack);
    const bucket = stack.getLogicalId(trail.archive!.bucket.node.defaultChild as any);
    const trailArn = `arn:aws:cloudtrail:us-east-1:111122223333:trail/${trail.trailName}`;
    const put = (objectKey: string, sourceArn: string) => sim.simulate({
      principal: { kind: 'service', service: 'cloudtrail.amazonaws.com' },
      action: 's3:PutObject',
      resource: { logicalId: bucket, objectKey },
      context: { 'aws:SourceArn': sourceArn, 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
    expect((await put('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/x.json.gz', trailArn)).result).toBe('Allowed');
    expect((await put('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/x.json.gz', 'arn:aws:cloudtrail:us-east-1:444455556666:trail/evil')).result).toBe('ImplicitlyDenied');
    expect((await put('elsewhere/x.json.gz', trailArn)).result).toBe('ImplicitlyDenied');
  });

  test('the archive key lets CloudTrail encrypt for this trail', () => {
    const sim = IamSimulator.fromStack(stack);
    const key = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))
      .map((k: any) => sim.resolve(k.Properties.KeyPolicy.Statement) as any[])
      .find((statements) => statements.some((s) => s.Sid === 'AllowCloudTrailEncryptLogs'))!;
    expect(key.find((s) => s.Sid === 'AllowCloudTrailEncryptLogs').Condition.StringEquals['aws:SourceArn'])
      .toBe(`arn:aws:cloudtrail:us-east-1:111122223333:trail/${trail.trailName}`);
  });

  test('GIVEN the default trail THEN the compliance kit reports no error, with only the documented acknowledgements', () => {
    expect(report.errors).toEqual([]);
    expect(report.acknowledgementsUsed.map((a) => `${a.id} @ ${a.path}`).sort()).toEqual([
      'HIPAA.Security-S3BucketReplicationEnabled @ Workload/Trail/Archive/AccessLogs/Resource',
      'HIPAA.Security-S3BucketReplicationEnabled @ Workload/Trail/Archive/Bucket/Resource',
      'NIST.800.53.R5-S3BucketReplicationEnabled @ Workload/Trail/Archive/AccessLogs/Resource',
      'NIST.800.53.R5-S3BucketReplicationEnabled @ Workload/Trail/Archive/Bucket/Resource',
      'PCI.DSS.321-S3BucketReplicationEnabled @ Workload/Trail/Archive/AccessLogs/Resource',
      'PCI.DSS.321-S3BucketReplicationEnabled @ Workload/Trail/Archive/Bucket/Resource',
      'cdk-validator-cfnguard::s3_bucket_logging_enabled_check @ Workload/Trail/Archive/AccessLogs/Resource',
      'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check @ Workload/Trail/Archive/AccessLogs/Resource',
    ]);
    expect(report.unusedAcknowledgements).toEqual([]);
  });
});

describe('IsolatedAuditTrail data event selectors', () => {
  test('GIVEN an untagged bucket, a personal table and a non-personal bucket THEN the two in-scope stores are selected, the archive is not', () => {
    const stack = newStack();
    const raw = new s3.Bucket(stack, 'Uploads');
    const table = new dynamodb.Table(stack, 'Customers', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    PrivacyClassification.apply(table, { classification: DataClassification.PERSONAL });
    const assets = new s3.Bucket(stack, 'PublicAssets');
    PrivacyClassification.apply(assets, { classification: DataClassification.NON_PERSONAL });
    const trail = new IsolatedAuditTrail(stack, 'Trail');

    expect(trailOf(stack).Properties.AdvancedEventSelectors).toEqual([
      MANAGEMENT,
      {
        Name: 'S3 object data events of in-scope buckets',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'resources.ARN', StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(raw.node.defaultChild as any), 'Arn'] }, '/']] }] },
        ],
      },
      {
        Name: 'DynamoDB data events of in-scope tables',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'resources.ARN', Equals: [{ 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as any), 'Arn'] }] },
        ],
      },
    ]);
    expect(trail.coveredStorePaths()).toEqual(['Workload/Uploads/Resource', 'Workload/Customers/Resource']);
  });

  test('GIVEN a store added after the trail THEN it is selected too (found at synth)', () => {
    const stack = newStack();
    new IsolatedAuditTrail(stack, 'Trail');
    const late = new s3.Bucket(stack, 'Late');
    const selectors = trailOf(stack).Properties.AdvancedEventSelectors;
    expect(JSON.stringify(selectors)).toContain(stack.getLogicalId(late.node.defaultChild as any));
  });

  test('GIVEN ALL_STORES THEN every S3 object and DynamoDB table is selected without ARN conditions', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Uploads');
    new IsolatedAuditTrail(stack, 'Trail', { dataEvents: DataEventScope.ALL_STORES });
    expect(trailOf(stack).Properties.AdvancedEventSelectors).toEqual([
      MANAGEMENT,
      { Name: 'S3 object data events of every bucket', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] },
      { Name: 'DynamoDB data events of every table', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }] },
    ]);
  });

  test('GIVEN a store in another stack of the same environment THEN it is selected through a cross-stack reference', () => {
    const app = new App();
    const data = newStack(app, 'Data');
    new s3.Bucket(data, 'Uploads');
    const audit = newStack(app, 'Audit');
    new IsolatedAuditTrail(audit, 'Trail');
    expect(JSON.stringify(trailOf(audit).Properties.AdvancedEventSelectors)).toMatch(/Fn::ImportValue/);
  });

  test('GIVEN stores in another account THEN literal names are selected by ARN and a generated name fails synth', () => {
    const app = new App();
    const member = newStack(app, 'Member', { account: '444455556666', region: 'us-west-2' });
    new s3.Bucket(member, 'Named', { bucketName: 'acme-member-uploads' });
    new dynamodb.Table(member, 'NamedTable', { tableName: 'customers', partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const management = newStack(app, 'Management');
    const trail = new IsolatedAuditTrail(management, 'Trail', { organizationId: 'o-abcdefghij' });

    const selectors = JSON.stringify(trailOf(management).Properties.AdvancedEventSelectors);
    expect(selectors).toContain('":s3:::acme-member-uploads/"');
    expect(selectors).toContain('":dynamodb:us-west-2:444455556666:table/customers"');
    expect(trail.coveredStorePaths()).toEqual(['Member/Named/Resource', 'Member/NamedTable/Resource']);

  });

  test('GIVEN a store with a generated name in another account THEN synth fails naming it', () => {
    const app = new App();
    const member = newStack(app, 'Member', { account: '444455556666', region: 'us-west-2' });
    new s3.Bucket(member, 'Generated');
    new IsolatedAuditTrail(newStack(app, 'Management'), 'Trail', { organizationId: 'o-abcdefghij' });
    expect(() => app.synth()).toThrow(/Member\/Generated\/Resource \(AWS::S3::Bucket\) holds personal data .* cannot name it/);
  });

  test('GIVEN storeSearchScope THEN only stores below it are selected', () => {
    const app = new App();
    const a = newStack(app, 'A');
    new s3.Bucket(a, 'InA');
    const b = newStack(app, 'B');
    new s3.Bucket(b, 'InB');
    const trail = new IsolatedAuditTrail(b, 'Trail', { storeSearchScope: b });
    expect(trail.coveredStorePaths()).toEqual(['B/InB/Resource']);
  });

  /** `n` named buckets in two member stacks (a stack holds at most 500 resources), and a trail. */
  function manyBuckets(n: number): Stack {
    const app = new App();
    for (let part = 0; part < 2; part++) {
      const member = newStack(app, `Member${part}`, { account: '444455556666', region: 'us-west-2' });
      for (let i = part; i < n; i += 2) new s3.Bucket(member, `B${i}`, { bucketName: `acme-bucket-${i}` });
    }
    const management = newStack(app, 'Management');
    new IsolatedAuditTrail(management, 'Trail');
    return management;
  }

  test('GIVEN more than 500 condition values THEN synth fails naming the count and the way out', () => {
    // 1 (Management) + 2 (Data, AWS::S3::Object) + 498 bucket prefixes = 501
    const stack = manyBuckets(498);
    expect(() => Template.fromStack(stack)).toThrow(/use 501 condition values .* at most 500\. Use dataEvents: DataEventScope.ALL_STORES/);
  });

  test('GIVEN exactly 500 condition values THEN synth succeeds', () => {
    const stack = manyBuckets(497);
    expect(trailOf(stack).Properties.AdvancedEventSelectors[1].FieldSelectors[2].StartsWith).toHaveLength(497);
  });

  test('GIVEN additional selectors beyond 5 in total THEN synth fails naming them', () => {
    const stack = newStack();
    new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    new s3.Bucket(stack, 'B');
    const lambda = (n: number) => ({ name: `Lambda ${n}`, fieldSelectors: [{ field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::Lambda::Function'] }] });
    new IsolatedAuditTrail(stack, 'Trail', { additionalEventSelectors: [lambda(1), lambda(2), lambda(3)] });
    expect(() => Template.fromStack(stack)).toThrow(/6 advanced event selectors \(Management events, .*Lambda 3\); CloudTrail accepts at most 5/);
  });
});

describe('IsolatedAuditTrail with an archive in a log-archive account', () => {
  let app: App;
  let archiveStack: Stack;
  let workload: Stack;
  let archive: AuditLogArchive;
  let trail: IsolatedAuditTrail;
  beforeAll(() => {
    app = new App();
    archiveStack = newStack(app, 'LogArchive', { account: '999988887777', region: 'us-east-1' });
    archive = new AuditLogArchive(archiveStack, 'Archive');
    workload = newStack(app, 'Workload');
    trail = new IsolatedAuditTrail(workload, 'Trail', { archive, trailName: 'privacy-audit' });
  });

  test('THEN the trail names the archive bucket by its physical name and the key by its alias ARN', () => {
    const t = trailOf(workload).Properties;
    expect(typeof t.S3BucketName).toBe('string');
    const archiveBucketId = archiveStack.getLogicalId(archive.bucket.node.defaultChild as any);
    expect(t.S3BucketName).toBe(Template.fromStack(archiveStack).toJSON().Resources[archiveBucketId].Properties.BucketName);
    const aliasName = (Object.values(Template.fromStack(archiveStack).findResources('AWS::KMS::Alias'))[0] as any).Properties.AliasName;
    expect(aliasName).toMatch(/^alias\/privacy\/LogArchive-Key-[0-9A-F]{8}$/);
    // a literal string: Control Tower's CT.CLOUDTRAIL.PR.1 sees no key in a Fn::Join with Ref AWS::Partition
    expect(t.KMSKeyId).toBe(`arn:aws:kms:us-east-1:999988887777:${aliasName}`);
    expect(trail.archive).toBe(archive);
  });

  test('THEN the trail has its own log-group key and no same-account warning', () => {
    expect(trail.logGroupEncryptionKey).not.toBe(archive.encryptionKey);
    AssertAnnotations.fromStack(workload).hasNoWarning('*', Match.anyValue());
  });

  test('THEN the archive bucket policy and key policy name the trail of the workload account', () => {
    const sim = IamSimulator.fromStack(archiveStack, { env: { account: '999988887777' } });
    const statements = Object.values(Template.fromStack(archiveStack).findResources('AWS::S3::BucketPolicy'))
      .flatMap((p: any) => sim.resolve(p.Properties.PolicyDocument.Statement) as any[]);
    const write = statements.find((s) => s.Sid === 'CloudTrailWrite');
    expect(write.Resource).toMatch(/\/AWSLogs\/111122223333\/\*$/);
    expect(write.Condition.StringEquals['aws:SourceArn']).toBe('arn:aws:cloudtrail:us-east-1:111122223333:trail/privacy-audit');
  });

  test('GIVEN a trail stack without an account THEN the cross-account archive is refused', () => {
    const a = new App();
    const arch = new AuditLogArchive(newStack(a, 'LogArchive', { account: '999988887777', region: 'us-east-1' }), 'Archive');
    const agnostic = new Stack(a, 'Agnostic');
    expect(validationErrorOf(() => new IsolatedAuditTrail(agnostic, 'Trail', { archive: arch }))).toMatch(/\[TrailAccountUnknown\] archive is in account 999988887777 but this trail's stack has no explicit account/);
  });
});

describe('IsolatedAuditTrail organization trail and existing archive', () => {
  test('GIVEN organizationId THEN an organization trail whose archive accepts AWSLogs/<org id>/', () => {
    const stack = newStack();
    const trail = new IsolatedAuditTrail(stack, 'Trail', { organizationId: 'o-abcdefghij' });
    expect(trailOf(stack).Properties.IsOrganizationTrail).toBe(true);
    const sim = IamSimulator.fromStack(stack);
    const write = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'))
      .flatMap((p: any) => sim.resolve(p.Properties.PolicyDocument.Statement) as any[])
      .find((s) => s.Sid === 'CloudTrailWrite');
    expect(write.Resource.map((r: string) => r.replace(/^.*\/AWSLogs/, 'AWSLogs'))).toEqual(['AWSLogs/111122223333/*', 'AWSLogs/o-abcdefghij/*']);
    expect(trail.archive).toBeDefined();
  });

  test('GIVEN existingArchive THEN the trail delivers there and creates no archive', () => {
    const stack = newStack();
    const trail = new IsolatedAuditTrail(stack, 'Trail', {
      existingArchive: { bucketName: 'org-log-archive', keyArn: 'arn:aws:kms:us-east-1:999988887777:alias/org-trail' },
    });
    expect(trail.archive).toBeUndefined();
    const t = trailOf(stack).Properties;
    expect([t.S3BucketName, t.KMSKeyId]).toEqual(['org-log-archive', 'arn:aws:kms:us-east-1:999988887777:alias/org-trail']);
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 0);
  });
});

describe('IsolatedAuditTrail refused props', () => {
  test('GIVEN every invalid prop at once THEN one ValidationError names each prop, value and reason', () => {
    const stack = newStack();
    const archive = new AuditLogArchive(stack, 'Archive');
    const message = validationErrorOf(() => new IsolatedAuditTrail(stack, 'Trail', {
      archive,
      existingArchive: { bucketName: 'b', keyArn: 'alias/aws/s3' },
      trailName: 'a--b',
      organizationId: 'org-1',
      logRetention: logs.RetentionDays.SIX_MONTHS,
    }));
    expect(message).toContain('[TwoArchives] archive and existingArchive are both set');
    expect(message).toContain('[TrailNameInvalid] trailName "a--b" is not a valid trail name');
    expect(message).toContain('[OrganizationIdInvalid] organizationId "org-1" is not an AWS Organizations id');
    expect(message).toMatch(/\[LogRetentionTooShort\] logRetention 180 days is below the 365 days .*choose at least ONE_YEAR/);
    expect(message).toMatch(/\[ArchiveKeyArnInvalid\] existingArchive.keyArn "alias\/aws\/s3" is not the ARN of a KMS key or alias: .*customer-managed key/);
  });

  test('GIVEN logRetention INFINITE THEN it is refused for data minimization', () => {
    expect(validationErrorOf(() => new IsolatedAuditTrail(newStack(), 'Trail', { logRetention: logs.RetentionDays.INFINITE })))
      .toMatch(/\[LogRetentionInfinite\] logRetention INFINITE keeps audit logs longer than needed .*1798.100\(c\)/);
  });

  test('GIVEN logRetention of one year THEN it is accepted', () => {
    const stack = newStack();
    new IsolatedAuditTrail(stack, 'Trail', { logRetention: logs.RetentionDays.ONE_YEAR });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('GIVEN an archive retention under 365 days or a fraction of a day THEN it is refused', () => {
    const { Duration } = jest.requireActual('aws-cdk-lib');
    expect(validationErrorOf(() => new AuditLogArchive(newStack(), 'A', { retention: Duration.days(90) }))).toMatch(/\[RetentionTooShort\] retention 90 days is below the 365 days/);
    expect(validationErrorOf(() => new AuditLogArchive(newStack(), 'A', { retention: Duration.hours(8772) }))).toMatch(/\[RetentionNotWholeDays\] retention 365.5 days is not a whole number of days/);
  });

  test('GIVEN an invalid trail admitted to an archive THEN it is refused', () => {
    const archive = new AuditLogArchive(newStack(), 'A');
    const message = validationErrorOf(() => archive.allowTrail({ trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', account: '1234', organizationId: 'x' }));
    expect(message).toContain('[AccountIdInvalid] allowTrail: account "1234" is not a 12-digit AWS account id');
    expect(message).toContain('[OrganizationIdInvalid] allowTrail: organizationId "x" is not an AWS Organizations id');
  });

  test('GIVEN the same trail admitted twice THEN the policies hold it once', () => {
    const stack = newStack();
    const archive = new AuditLogArchive(stack, 'A');
    const options = { trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', account: '111122223333' };
    archive.allowTrail(options);
    archive.allowTrail(options);
    const policy = JSON.stringify(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'));
    expect(policy.match(/CloudTrailWrite/g)).toHaveLength(1);
    expect(Token.isUnresolved(archive.bucketName)).toBe(true);
  });
});
