import { App, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DataCategory, DataClassification, DsrCoverage, PersonalDataBucket, PersonalDataBucketProps, PersonalDataStoreKind,
  PrivacyKey, TenancyModel,
} from '../../lib';
import { ComplianceReport, expectCompliant, runComplianceKit, auditedStack } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';

function make(props?: PersonalDataBucketProps): { stack: Stack; bucket: PersonalDataBucket; template: Template } {
  const stack = new Stack(new App(), 'S');
  const bucket = new PersonalDataBucket(stack, 'Customers', props);
  return { stack, bucket, template: Template.fromStack(stack) };
}

function dataBucket(template: Template): Record<string, any> {
  const buckets = template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
  expect(Object.keys(buckets)).toHaveLength(1);
  return Object.values(buckets)[0] as Record<string, any>;
}

/** The statements of every identity policy in the template: the role's own and the grant policy the bucket creates. */
function grantStatements(t: Template): any[] {
  return ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']
    .flatMap((type) => Object.values(t.findResources(type)).flatMap((r: any) => r.Properties.PolicyDocument.Statement));
}

function policyStatements(template: Template, bucketLogicalId: string): any[] {
  const policies = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketLogicalId } } });
  return (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
}

function expectRefused(props: PersonalDataBucketProps, ...messages: RegExp[]): void {
  const thrown = validationErrorOf(() => make(props));
  for (const m of messages) {
    expect(thrown).toMatch(m);
  }
}

describe('PersonalDataBucket', () => {
  describe('GIVEN no props', () => {
    const { stack, bucket, template } = make();
    const logicalId = stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket);
    const logsId = stack.getLogicalId(bucket.accessLogsBucket.node.defaultChild as s3.CfnBucket);

    test('THEN objects are SSE-KMS with its own PrivacyKey and a bucket key', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      expect(dataBucket(template).Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [stack.getLogicalId(bucket.encryptionKey.node.defaultChild as any), 'Arn'] } },
        }],
      });
    });

    test('THEN public access is blocked, ACLs disabled, versioning on, Object Lock off, RETAIN', () => {
      const b = dataBucket(template);
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.Properties.ObjectLockEnabled).toBe(false);
      expect(b.DeletionPolicy).toBe('Retain');
      expect(b.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    });

    test('THEN noncurrent versions expire after 30 days and uploads/delete markers are cleaned up', () => {
      expect(dataBucket(template).Properties.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
        expect.objectContaining({ ExpiredObjectDeleteMarker: true, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
      ]));
    });

    test('THEN server access logs go to its own log bucket, kept 365 days, under the same key', () => {
      expect(dataBucket(template).Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: 'access-logs/',
        TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
      });
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 365 })]) },
        BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] }),
        Tags: Match.arrayWith([{ Key: 'privacy:dsr', Value: 'exempt' }]),
      });
      const logStatements = policyStatements(template, logsId);
      expect(logStatements).toEqual(expect.arrayContaining([expect.objectContaining({
        Sid: 'AllowServerAccessLogsOfThePersonalDataBucket',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      })]));
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 'kms:GenerateDataKey' })]) },
      });
    });

    test('THEN the bucket policy denies non-TLS, TLS < 1.2, other encryption and untagged principals', () => {
      const sids = policyStatements(template, logicalId).map((s) => s.Sid ?? JSON.stringify(s.Condition));
      expect(sids).toEqual(expect.arrayContaining([
        'DenyPutObjectWithOtherEncryption', 'DenyPutObjectWithOtherKmsKey', 'DenyDataAccessWithoutPrivacyAccessTag',
        JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }), JSON.stringify({ NumericLessThan: { 's3:TlsVersion': 1.2 } }),
      ]));
      expect(sids).not.toContain('DenyObjectsOutsideTheTenantPrefix');
      expect(policyStatements(template, logicalId).find((s) => s.Sid === 'DenyDataAccessWithoutPrivacyAccessTag').Condition).toEqual({
        StringNotEquals: { 'aws:PrincipalTag/privacy:workflow': 'dsr', 'aws:PrincipalTag/privacy:access': ['personal', 'sensitive'] },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      });
    });

    test('THEN it is tagged personal, silo, DSR-covered', () => {
      expect(dataBucket(template).Properties.Tags).toEqual(expect.arrayContaining([
        { Key: 'privacy:classification', Value: 'personal' }, { Key: 'privacy:tenancy', Value: 'silo' }, { Key: 'privacy:dsr', Value: 'covered' },
      ]));
    });

    test('THEN it describes a subject-addressable layout for a DsrWorkflow', () => {
      const d = bucket.describePersonalData();
      expect(d.kind).toBe(PersonalDataStoreKind.S3_BUCKET);
      expect(d.subjectPrefixTemplate).toBe('subjects/{subject}/');
      expect(d.deletionLatency.toDays()).toBe(30);
      expect(d.accessLogRetention?.toDays()).toBe(365);
      expect(d.encryptionKey).toBe(bucket.encryptionKey);
      expect(d.tenancy).toBe(TenancyModel.SILO);
    });
  });

  describe('GIVEN every prop', () => {
    const stack = new Stack(new App(), 'S');
    const key = new PrivacyKey(stack, 'SharedKey', { classification: DataClassification.SENSITIVE });
    const bucket = new PersonalDataBucket(stack, 'Kyc', {
      encryptionKey: key,
      classification: DataClassification.SENSITIVE,
      categories: [DataCategory.GOVERNMENT_ID],
      tenancy: TenancyModel.POOLED,
      dsr: DsrCoverage.EXEMPT,
      owner: 'team-kyc',
      noncurrentVersionExpiration: Duration.days(7),
      accessLogsRetention: Duration.days(400),
      subjectPrefixTemplate: 'tenants/{tenant}/people/{subject}/',
      bucketProps: { bucketName: 'kyc-documents', lifecycleRules: [{ id: 'Tier', transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(0) }] }] },
    });
    const template = Template.fromStack(stack);
    const logicalId = stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket);

    test('THEN the given key is used and no key is created', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      expect(bucket.encryptionKey).toBe(key);
    });

    test('THEN retention, versions, name and extra lifecycle rules are applied', () => {
      const b = dataBucket(template);
      expect(b.Properties.BucketName).toBe('kyc-documents');
      expect(b.Properties.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } }),
        expect.objectContaining({ Id: 'Tier' }),
      ]));
      template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 400 })]) } });
    });

    test('THEN tags say sensitive, pooled, exempt, owner and categories', () => {
      expect(dataBucket(template).Properties.Tags).toEqual(expect.arrayContaining([
        { Key: 'privacy:classification', Value: 'sensitive' }, { Key: 'privacy:tenancy', Value: 'pooled' },
        { Key: 'privacy:dsr', Value: 'exempt' }, { Key: 'privacy:owner', Value: 'team-kyc' }, { Key: 'privacy:categories', Value: 'user.government_id' },
      ]));
    });

    test('THEN the access-tag deny accepts only sensitive, and the pooled statements limit to the tenant prefix', () => {
      const statements = policyStatements(template, logicalId);
      expect(statements.find((s) => s.Sid === 'DenyDataAccessWithoutPrivacyAccessTag').Condition.StringNotEquals['aws:PrincipalTag/privacy:access']).toEqual(['sensitive']);
      expect(statements.find((s) => s.Sid === 'DenyObjectsOutsideTheTenantPrefix').NotResource).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, '/tenants/${aws:PrincipalTag/tenant}/*']],
      });
      expect(statements.find((s) => s.Sid === 'DenyDataAccessWithoutTenantTag').Condition.Null).toEqual({ 'aws:PrincipalTag/tenant': 'true' });
      expect(statements.find((s) => s.Sid === 'DenyListingOutsideTheTenantPrefix').Condition.StringNotLike).toEqual({ 's3:prefix': 'tenants/${aws:PrincipalTag/tenant}/*' });
    });

    test('THEN the description carries the custom template', () => {
      expect(bucket.describePersonalData().subjectPrefixTemplate).toBe('tenants/{tenant}/people/{subject}/');
      expect(bucket.describePersonalData().categories.map((c) => c.key)).toEqual(['user.government_id']);
    });
  });

  describe('GIVEN a pooled bucket with no template', () => {
    test('THEN the subject prefix is tenants/{tenant}/subjects/{subject}/', () => {
      expect(make({ tenancy: TenancyModel.POOLED }).bucket.subjectPrefixTemplate).toBe('tenants/{tenant}/subjects/{subject}/');
    });
  });

  describe('grants', () => {
    test('GIVEN grantRead THEN the role is tagged privacy:access and gets decrypt on the key', () => {
      const stack = new Stack(new App(), 'S');
      const bucket = new PersonalDataBucket(stack, 'B');
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      bucket.grantRead(role);
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:access', Value: 'personal' }] });
      t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'] })]) } });
    });

    describe.each<[string, (b: PersonalDataBucket, r: iam.Role) => iam.Grant, string[], string[], string[]]>([
      // name, grant, actions on the bucket, actions on the objects, key actions
      ['grantRead', (b, r) => b.grantRead(r), ['s3:ListBucket'], ['s3:GetObject'], ['kms:Decrypt', 'kms:DescribeKey']],
      ['grantWrite', (b, r) => b.grantWrite(r), [], ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectTagging'],
        ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt']],
      ['grantReadWrite', (b, r) => b.grantReadWrite(r), ['s3:ListBucket'], ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject', 's3:PutObjectTagging'],
        ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext']],
      ['grantDelete', (b, r) => b.grantDelete(r), [], ['s3:DeleteObject'], ['kms:Decrypt']],
    ])('GIVEN %s to a role', (_n, grant, bucketActions, objectActions, keyActions) => {
      const stack = new Stack(new App(), 'S');
      const bucket = new PersonalDataBucket(stack, 'B');
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      grant(bucket, role);
      const t = Template.fromStack(stack);
      const statements = grantStatements(t);
      const arn = { 'Fn::GetAtt': [stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] };
      const one = (actions: string[]) => (actions.length === 1 ? actions[0] : actions);

      test('THEN the role is tagged privacy:access', () => {
        t.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:access', Value: 'personal' }] });
      });

      test('THEN it is allowed exactly the pinned actions, per resource, and the key actions', () => {
        expect(statements).toEqual([
          ...(bucketActions.length > 0 ? [{ Effect: 'Allow', Action: one(bucketActions), Resource: arn }] : []),
          { Effect: 'Allow', Action: one(objectActions), Resource: { 'Fn::Join': ['', [arn, '/*']] } },
          { Effect: 'Allow', Action: one(keyActions), Resource: { 'Fn::GetAtt': [stack.getLogicalId(bucket.encryptionKey.node.defaultChild as any), 'Arn'] } },
        ]);
      });

      test('THEN no granted action is a wildcard', () => {
        const actions = statements.flatMap((st: any) => [st.Action].flat());
        expect(actions.filter((a: string) => /[*?]/.test(a))).toEqual([]);
      });
    });

    describe.each<[string, (b: PersonalDataBucket, r: iam.Role) => iam.Grant, string[], string[], string]>([
      // name, grant, actions on the bucket, actions on the objects, object pattern below the tenant's prefix
      ['grantRead', (b, r) => b.grantRead(r), ['s3:ListBucket'], ['s3:GetObject'], '*'],
      ['grantWrite', (b, r) => b.grantWrite(r), [], ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectTagging'], '*'],
      ['grantReadWrite', (b, r) => b.grantReadWrite(r), ['s3:ListBucket'], ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject', 's3:PutObjectTagging'], '*'],
      ['grantDelete', (b, r) => b.grantDelete(r), [], ['s3:DeleteObject'], '*'],
      ['grantRead with an objects key pattern', (b, r) => b.grantRead(r, 'subjects/*'), ['s3:ListBucket'], ['s3:GetObject'], 'subjects/*'],
    ])('GIVEN %s on a pooled bucket', (_n, grant, bucketActions, objectActions, pattern) => {
      const stack = new Stack(new App(), 'S');
      const bucket = new PersonalDataBucket(stack, 'B', { tenancy: TenancyModel.POOLED });
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      grant(bucket, role);
      const statements = grantStatements(Template.fromStack(stack));
      const arn = { 'Fn::GetAtt': [stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] };
      const one = (actions: string[]) => (actions.length === 1 ? actions[0] : actions);

      test('THEN objects only under tenants/${aws:PrincipalTag/tenant}/ (the pattern relative to it), and listing only with an s3:prefix there', () => {
        expect(statements.slice(0, -1)).toEqual([
          ...(bucketActions.length > 0 ? [{
            Effect: 'Allow', Action: one(bucketActions), Resource: arn, Condition: { StringLike: { 's3:prefix': 'tenants/${aws:PrincipalTag/tenant}/*' } },
          }] : []),
          { Effect: 'Allow', Action: one(objectActions), Resource: { 'Fn::Join': ['', [arn, `/tenants/\${aws:PrincipalTag/tenant}/${pattern}`]] } },
        ]);
      });
    });

    test('GIVEN grantRead with an objects key pattern THEN the object statement names only that pattern', () => {
      const stack = new Stack(new App(), 'S');
      const bucket = new PersonalDataBucket(stack, 'B');
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      bucket.grantRead(role, 'reports/*');
      const statements = grantStatements(Template.fromStack(stack));
      const arn = { 'Fn::GetAtt': [stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] };
      expect(statements[1]).toEqual({ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [arn, '/reports/*']] } });
    });

    test('GIVEN grantDsrAccess THEN exactly the find/export/correct/delete actions on subject prefixes, the dsr tag, nothing on *', () => {
      const stack = new Stack(new App(), 'S');
      const bucket = new PersonalDataBucket(stack, 'B', { tenancy: TenancyModel.POOLED });
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
      bucket.grantDsrAccess(role);
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:workflow', Value: 'dsr' }] });
      const statements = grantStatements(t);
      const bucketId = stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket);
      expect(statements).toEqual([
        { Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketVersions'], Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] }, Condition: { StringLike: { 's3:prefix': 'tenants/*/subjects/*/*' } } },
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/tenants/*/subjects/*/*']] },
        },
        expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']), Resource: { 'Fn::GetAtt': [stack.getLogicalId(bucket.encryptionKey.node.defaultChild as any), 'Arn'] } }),
      ]);
    });
  });

  describe('refused props', () => {
    test.each<[string, PersonalDataBucketProps, RegExp]>([
      ['Object Lock', { bucketProps: { objectLockEnabled: true } }, /\[ObjectLockRefused\] bucketProps.objectLockEnabled true would keep versions undeletable .* 1798.105/],
      ['Object Lock default retention', { bucketProps: { objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(1)) } }, /\[ObjectLockRefused\] bucketProps.objectLockEnabled with objectLockDefaultRetention/],
      ['public read', { bucketProps: { publicReadAccess: true } }, /\[PublicReadRefused\] bucketProps.publicReadAccess true .* 1798.150/],
      ['public access blocks off', { bucketProps: { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS } }, /\[PublicAccessBlockOff\] bucketProps.blockPublicAccess \{"blockPublicAcls":true,"ignorePublicAcls":true\}: all four/],
      ['S3-managed encryption', { bucketProps: { encryption: s3.BucketEncryption.S3_MANAGED } }, /\[EncryptionNotCustomerManaged\] bucketProps.encryption S3_MANAGED .*customer-managed PrivacyKey/],
      ['AWS-managed KMS', { bucketProps: { encryption: s3.BucketEncryption.KMS_MANAGED } }, /\[EncryptionNotCustomerManaged\] bucketProps.encryption KMS_MANAGED/],
      ['versioning off', { bucketProps: { versioned: false } }, /\[VersioningOff\] bucketProps.versioned false/],
      ['TLS not enforced', { bucketProps: { enforceSSL: false } }, /\[TlsNotEnforced\] bucketProps.enforceSSL false/],
      ['old TLS', { bucketProps: { minimumTLSVersion: 1.1 } }, /\[TlsBelow12\] bucketProps.minimumTLSVersion 1.1/],
      ['object ACLs', { bucketProps: { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER } }, /\[AclsEnabled\] bucketProps.objectOwnership ObjectWriter/],
      ['ACL', { bucketProps: { accessControl: s3.BucketAccessControl.PUBLIC_READ } }, /\[AclRefused\] bucketProps.accessControl PublicRead/],
      ['bucket key off', { bucketProps: { bucketKeyEnabled: false } }, /\[BucketKeyOff\] bucketProps.bucketKeyEnabled false/],
      ['auto-delete', { bucketProps: { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY } }, /\[AutoDeleteRefused\] bucketProps.autoDeleteObjects true/],
      ['non-personal', { classification: DataClassification.NON_PERSONAL }, /\[NonPersonalStore\] classification "non-personal" is refused for a personal data store: use s3.Bucket/],
      ['noncurrent versions kept 31 days', { noncurrentVersionExpiration: Duration.days(31) }, /\[NoncurrentVersionExpirationTooLong\] noncurrentVersionExpiration 31 days is above the maximum of 30 days .*1798.130.*Duration.days\(30\)/],
      ['noncurrent versions kept 0 days', { noncurrentVersionExpiration: Duration.days(0) }, /\[NoncurrentVersionExpirationTooShort\] noncurrentVersionExpiration 0 days is below the minimum of 1/],
      ['access logs kept 90 days', { accessLogsRetention: Duration.days(90) }, /\[AccessLogsRetentionTooShort\] accessLogsRetention 90 days is below the minimum of 365 days .*1798.81.5\(b\)/],
      ['template without subject', { subjectPrefixTemplate: 'customers/' }, /\[SubjectPrefixWithoutSubject\] subjectPrefixTemplate "customers\/" has no \{subject\}/],
      ['template without trailing slash', { subjectPrefixTemplate: 'subjects/{subject}' }, /\[SubjectPrefixWithoutSlash\] subjectPrefixTemplate "subjects\/\{subject\}" must end with "\/"/],
      ['template with wildcard', { subjectPrefixTemplate: 'subjects/*/{subject}/' }, /\[SubjectPrefixPlaceholders\] .* may hold only the placeholders/],
      ['template from a token', { subjectPrefixTemplate: Lazy.string({ produce: () => 'subjects/{subject}/' }) }, /\[SubjectPrefixTemplateToken\] subjectPrefixTemplate is a token: pass a literal string/],
      ['template with a leading slash', { subjectPrefixTemplate: '/subjects/{subject}/' }, /\[SubjectPrefixLeadingSlash\] subjectPrefixTemplate "\/subjects\/\{subject\}\/" must not start with "\/"/],
      ['noncurrent versions kept 1.5 days', { noncurrentVersionExpiration: Duration.hours(36) }, /\[NoncurrentVersionExpirationNotWholeDays\] noncurrentVersionExpiration 1.5 days/],
      ['a key in bucketProps', { bucketProps: { encryptionKey: new kms.Key(new Stack(), 'K') } }, /\[EncryptionKeyInBucketProps\] bucketProps.encryptionKey is refused: pass a PrivacyKey as the encryptionKey prop/],
      ['server access logs in bucketProps', { bucketProps: { serverAccessLogsPrefix: 'logs/' } }, /\[AccessLogsInBucketProps\] .*set accessLogsRetention instead/],
      ['pooled template outside tenants/', { tenancy: TenancyModel.POOLED, subjectPrefixTemplate: 'subjects/{subject}/' }, /\[SubjectPrefixOutsideTenant\] .* of a pooled bucket must start with "tenants\/\{tenant\}\/"/],
      ['siloTenant on a pooled bucket', { tenancy: TenancyModel.POOLED, siloTenant: 'acme' }, /\[SiloTenantOnPooledStore\] siloTenant "acme" is set on a pooled store/],
      ['siloTenant with a separator', { siloTenant: 'acme/eu' }, /\[SiloTenantInvalid\] siloTenant "acme\/eu" is not a tenant id/],
      ['siloTenant with a wildcard', { siloTenant: 'acme*' }, /\[SiloTenantInvalid\]/],
    ])('%s throws a ValidationError naming prop, value and reason', (_name, props, message) => {
      expectRefused(props, message);
    });

    test('a personal key on a sensitive bucket is refused', () => {
      const stack = new Stack(new App(), 'S');
      const key = new PrivacyKey(stack, 'K');
      expect(() => new PersonalDataBucket(stack, 'B', { encryptionKey: key, classification: DataClassification.SENSITIVE }))
        .toThrow(/\[KeyBelowStoreClassification\] encryptionKey S\/K is classified "personal" but the store is "sensitive"/);
    });

    test('every problem is reported at once', () => {
      expectRefused({ bucketProps: { objectLockEnabled: true, publicReadAccess: true }, accessLogsRetention: Duration.days(30) },
        /\(1\) \[AccessLogsRetentionTooShort\] accessLogsRetention 30 days/, /\(2\) \[ObjectLockRefused\]/, /\(3\) \[PublicReadRefused\]/);
    });
  });

  describe('compliance kit', () => {
    let report: ComplianceReport;
    let pooled: ComplianceReport;
    beforeAll(() => {
      // each stack declares the organization trail that audits its data events, as a member account would
      const stack = auditedStack('Default');
      new PersonalDataBucket(stack, 'Customers');
      report = runComplianceKit(stack);
      const stack2 = auditedStack('Pooled');
      new PersonalDataBucket(stack2, 'Documents', { tenancy: TenancyModel.POOLED, classification: DataClassification.SENSITIVE, retention: Duration.days(365) });
      pooled = runComplianceKit(stack2);
    });

    test('GIVEN no props THEN no unacknowledged error', () => {
      expectCompliant(report);
    });

    test('GIVEN pooled and sensitive THEN no unacknowledged error', () => {
      expectCompliant(pooled);
    });

    test('THEN the only acknowledgements are the documented design decisions, on the buckets\' own L1s', () => {
      expect(report.acknowledgementsUsed.map((a) => `${a.id} @ ${a.path}`).sort()).toEqual([
        'HIPAA.Security-S3BucketReplicationEnabled @ Default/Customers/AccessLogs/Resource',
        'HIPAA.Security-S3BucketReplicationEnabled @ Default/Customers/Bucket/Resource',
        'NIST.800.53.R5-S3BucketReplicationEnabled @ Default/Customers/AccessLogs/Resource',
        'NIST.800.53.R5-S3BucketReplicationEnabled @ Default/Customers/Bucket/Resource',
        'PCI.DSS.321-S3BucketReplicationEnabled @ Default/Customers/AccessLogs/Resource',
        'PCI.DSS.321-S3BucketReplicationEnabled @ Default/Customers/Bucket/Resource',
        'cdk-validator-cfnguard::s3_bucket_logging_enabled_check @ Default/Customers/AccessLogs/Resource',
        'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check @ Default/Customers/AccessLogs/Resource',
        'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check @ Default/Customers/Bucket/Resource',
      ]);
      expect(report.unusedAcknowledgements).toEqual([]);
    });
  });
});
