/**
 * Existing stores (issue 14 finding 12): a table and a bucket this library did not create,
 * registered as personal data stores. The DSR grants are the library's own stores' grants, on the
 * imported ARNs (IAM-simulated); every prop is validated; what synth cannot check is declared and
 * verified in the account by AWS Config rules, or shown as "declared, not verified".
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DataCategory, DataClassification, DataPurpose, DsrWorkflow, ExistingPersonalDataBucket, ExistingPersonalDataBucketProps,
  ExistingPersonalDataTable, ExistingPersonalDataTableProps, PrivacyInventory, PrivacyKey, TenancyModel,
} from '../../lib';
import { auditedStack, ComplianceReport, expectCompliant, runComplianceKit } from '../kit/compliance';
import { validationProblemsOf } from '../kit/errors';
import { IamSimulator, templateRole } from '../kit/iam-sim';

const ENV = { account: '111111111111', region: 'us-east-1' };
const TABLE_KEY = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const BUCKET_KEY = 'arn:aws:kms:us-east-1:111111111111:key/66666666-7777-8888-9999-000000000000';
const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/legacy-orders';
const BUCKET_ARN = 'arn:aws:s3:::acme-legacy-uploads';
/** The default key policy KMS gives a key created without one: the account's IAM policies decide. */
const DEFAULT_KEY_POLICY: any = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }],
};

function existingStores(
  stack: Stack, tableProps: Partial<ExistingPersonalDataTableProps> = {}, bucketProps: Partial<ExistingPersonalDataBucketProps> = {},
) {
  const orders = new ExistingPersonalDataTable(stack, 'LegacyOrders', {
    table: dynamodb.Table.fromTableArn(stack, 'OrdersRef', TABLE_ARN),
    encryptionKey: kms.Key.fromKeyArn(stack, 'OrdersKey', TABLE_KEY),
    partitionKeyName: 'PK',
    sortKeyName: 'SK',
    subjectAttribute: 'customerRef',
    subjectIndexName: 'by-customer',
    subjectValueTemplate: 'CUSTOMER#{subject}',
    categories: [DataCategory.CONTACT],
    purposes: [DataPurpose.PROVIDE_SERVICE],
    retention: Duration.days(730),
    ...tableProps,
  });
  const uploads = new ExistingPersonalDataBucket(stack, 'LegacyUploads', {
    bucket: s3.Bucket.fromBucketArn(stack, 'UploadsRef', BUCKET_ARN),
    encryptionKey: kms.Key.fromKeyArn(stack, 'UploadsKey', BUCKET_KEY),
    subjectPrefixTemplate: 'users/{subject}/',
    categories: [DataCategory.CONTACT],
    retention: Duration.days(365),
    ...bucketProps,
  });
  return { orders, uploads };
}

describe('GIVEN a DsrWorkflow serving an existing table and an existing bucket', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  const { orders, uploads } = existingStores(stack);
  const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [orders, uploads] });
  const template = Template.fromStack(stack);
  const lid = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
  const storeStep = templateRole(lid(dsr.storeStepFunction.role as any));
  const sim = IamSimulator.fromStack(stack);

  test('THEN the interface takes the imported key: encryptionKey is the kms.IKey passed', () => {
    expect(orders.encryptionKey.keyArn).toBe(TABLE_KEY);
    expect(orders.describePersonalData().encryptionKey.keyArn).toBe(TABLE_KEY);
    expect(uploads.describePersonalData().encryptionKey.keyArn).toBe(BUCKET_KEY);
  });

  test('THEN the workflow is configured with the existing stores\' locators', () => {
    const d = orders.describePersonalData();
    expect([d.name, d.arn, d.subjectIndexName, d.subjectAttribute, d.subjectValueTemplate, d.tableKeyAttributes]).toEqual([
      'legacy-orders', TABLE_ARN, 'by-customer', 'customerRef', 'CUSTOMER#{subject}', ['PK', 'SK'],
    ]);
    expect(uploads.describePersonalData().subjectPrefixTemplate).toBe('users/{subject}/');
    expect(d.purposes?.map((p) => p.key)).toEqual([DataPurpose.PROVIDE_SERVICE.key]);
  });

  test('THEN AWS Config rules scoped to each resource verify what synth cannot read', () => {
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'DYNAMODB_PITR_ENABLED' },
      Scope: { ComplianceResourceTypes: ['AWS::DynamoDB::Table'], ComplianceResourceId: 'legacy-orders' },
    });
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'DYNAMODB_TABLE_ENCRYPTED_KMS' },
      InputParameters: { kmsKeyArns: TABLE_KEY },
      Scope: { ComplianceResourceTypes: ['AWS::DynamoDB::Table'], ComplianceResourceId: 'legacy-orders' },
    });
    for (const id of ['S3_BUCKET_VERSIONING_ENABLED', 'S3_BUCKET_SSL_REQUESTS_ONLY', 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED']) {
      template.hasResourceProperties('AWS::Config::ConfigRule', {
        Source: { Owner: 'AWS', SourceIdentifier: id },
        Scope: { ComplianceResourceTypes: ['AWS::S3::Bucket'], ComplianceResourceId: 'acme-legacy-uploads' },
      });
    }
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'S3_DEFAULT_ENCRYPTION_KMS' }, InputParameters: { kmsKeyArns: BUCKET_KEY },
    });
    // no access logs declared: logging is not checked
    expect(Object.values(template.findResources('AWS::Config::ConfigRule')).map((r: any) => r.Properties.Source.SourceIdentifier))
      .not.toContain('S3_BUCKET_LOGGING_ENABLED');
    // the store's privacy tags stay off the rules (they are no data stores)
    for (const r of Object.values(template.findResources('AWS::Config::ConfigRule')) as any[]) {
      expect((r.Properties.Tags ?? []).filter((t: any) => t.Key.startsWith('privacy:'))).toEqual([]);
    }
  });

  const via = (service: string) => ({ 'Fn::Join': ['', [`${service}.us-east-1.`, { Ref: 'AWS::URLSuffix' }]] });
  test('THEN the StoreStep role gets exactly the stores\' DSR statements and the keys through their services only, tagged privacy:workflow=dsr', () => {
    const policy = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: storeStep.logicalId }] } });
    const statements = Object.values(policy).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([
      { Action: 'dynamodb:Query', Effect: 'Allow', Resource: `${TABLE_ARN}/index/by-customer` },
      { Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], Effect: 'Allow', Resource: TABLE_ARN },
      { Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: TABLE_KEY, Condition: { StringEquals: { 'kms:ViaService': via('dynamodb') } } },
      { Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: BUCKET_KEY, Condition: { StringEquals: { 'kms:ViaService': via('s3') } } },
      { Action: ['s3:ListBucket', 's3:ListBucketVersions'], Effect: 'Allow', Resource: BUCKET_ARN, Condition: { StringLike: { 's3:prefix': 'users/*/*' } } },
    ]));
    expect(statements.filter((s: any) => JSON.stringify(s.Resource).includes('acme-legacy-uploads') || JSON.stringify(s.Resource).includes('legacy-orders'))
      .flatMap((s: any) => [s.Action].flat()).sort()).toEqual([
      'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
      's3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:PutObject',
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      Tags: Match.arrayWith([{ Key: 'privacy:workflow', Value: 'dsr' }]),
    });
  });

  describe('IAM simulation of the StoreStep role', () => {
    const ddb = { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' };
    const viaS3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
    test.each([
      ['dynamodb:Query', `${TABLE_ARN}/index/by-customer`, {}, 'Allowed'],
      ['dynamodb:Query', `${TABLE_ARN}/index/by-email`, {}, 'ImplicitlyDenied'],
      ['dynamodb:Query', TABLE_ARN, {}, 'ImplicitlyDenied'],
      ['dynamodb:Scan', TABLE_ARN, {}, 'ImplicitlyDenied'],
      ['dynamodb:GetItem', TABLE_ARN, {}, 'Allowed'],
      ['dynamodb:DeleteItem', TABLE_ARN, {}, 'Allowed'],
      ['dynamodb:PutItem', TABLE_ARN, {}, 'ImplicitlyDenied'],
      ['dynamodb:DeleteTable', TABLE_ARN, {}, 'ImplicitlyDenied'],
      ['dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111111111111:table/legacy-orders-archive', {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', TABLE_KEY, ddb, 'Allowed'],
      ['kms:Decrypt', TABLE_KEY, {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', TABLE_KEY, viaS3, 'ImplicitlyDenied'],
      ['kms:Decrypt', BUCKET_KEY, viaS3, 'Allowed'],
      ['kms:Decrypt', BUCKET_KEY, ddb, 'ImplicitlyDenied'],
      ['kms:CreateGrant', TABLE_KEY, ddb, 'ImplicitlyDenied'],
      ['s3:GetObject', `${BUCKET_ARN}/users/u-1/doc.pdf`, {}, 'Allowed'],
      ['s3:DeleteObjectVersion', `${BUCKET_ARN}/users/u-1/doc.pdf`, {}, 'Allowed'],
      ['s3:GetObject', `${BUCKET_ARN}/reports/all-users.csv`, {}, 'ImplicitlyDenied'],
      ['s3:DeleteObject', `${BUCKET_ARN}/reports/all-users.csv`, {}, 'ImplicitlyDenied'],
      ['s3:ListBucketVersions', BUCKET_ARN, { 's3:prefix': 'users/u-1/' }, 'Allowed'],
      ['s3:ListBucket', BUCKET_ARN, { 's3:prefix': '' }, 'ImplicitlyDenied'],
      ['s3:ListBucket', BUCKET_ARN, { 's3:prefix': 'reports/' }, 'ImplicitlyDenied'],
      ['s3:PutBucketPolicy', BUCKET_ARN, {}, 'ImplicitlyDenied'],
    ])('%s on %s %j: %s', async (action, resource, context, expected) => {
      // an imported key has the default key policy (the account's IAM policies decide); a table or bucket, none here
      const resourcePolicy = action.startsWith('kms:') ? DEFAULT_KEY_POLICY : null;
      await sim.expectDecision({ principal: storeStep, action, resource, context, resourcePolicy }, expected as any);
    });

    test('THEN a key policy that does not delegate to IAM denies the grant: the identity policy alone cannot open an imported key', async () => {
      const adminOnly = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/KeyAdmin' }, Action: 'kms:*', Resource: '*' }] };
      await sim.expectDecision({ principal: storeStep, action: 'kms:Decrypt', resource: TABLE_KEY, context: ddb, resourcePolicy: adminOnly as any }, 'ImplicitlyDenied');
    });
  });

  test('THEN the inventory lists both stores, their declared settings and the Config rules that verify them', () => {
    app.synth();
    const entries = PrivacyInventory.of(stack).entries();
    const table = entries.find((e) => e.path === 'S/LegacyOrders')!;
    const bucket = entries.find((e) => e.path === 'S/LegacyUploads')!;
    expect(table).toMatchObject({
      kind: 'dynamodb-table',
      managed: true,
      classification: 'personal',
      categories: ['user.contact'],
      retentionDays: 730,
      key: TABLE_KEY,
      deletionLatencyDays: 35,
      subjectLocator: 'index by-customer on customerRef = CUSTOMER#{subject}',
    });
    expect(table.verification).toBe('declared, verified in the account by AWS Config: VerifyPointInTimeRecovery, VerifyEncryptionKey: '
      + `encrypted under the key ${TABLE_KEY}; point-in-time recovery on, 35-day window; subject index by-customer keyed by customerRef, projecting the table keys; items kept 730 days`);
    expect(bucket.verification).toMatch(/^declared, verified in the account by AWS Config: VerifyVersioning, VerifyEncryptionKey, VerifyTlsOnly, VerifyPublicAccessBlocked: /);
    expect(bucket.verification).toContain('Object Lock off (no managed rule checks it');
    // no raw resource of the existing stores is in the template, so none is listed as unmanaged
    expect(entries.filter((e) => !e.managed).map((e) => e.path).filter((p) => p.includes('Legacy'))).toEqual([]);
  });
});

describe('GIVEN existing stores with verifyInAccount false', () => {
  test('THEN no Config rule is added and the inventory says "declared, not verified" (no silent pass)', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    existingStores(stack, { verifyInAccount: false }, { verifyInAccount: false });
    Template.fromStack(stack).resourceCountIs('AWS::Config::ConfigRule', 0);
    const inventory = PrivacyInventory.of(stack);
    const entries = inventory.entries().filter((e) => e.path.includes('Legacy'));
    expect(entries.map((e) => e.verification?.split(':')[0])).toEqual(['declared, not verified', 'declared, not verified']);
    expect(JSON.parse(inventory.renderJson()).summary.declaredNotVerified).toBe(2);
    expect(inventory.renderMarkdown()).toContain('S/LegacyOrders (existing: declared, not verified)');
  });
});

describe('GIVEN an existing bucket with access logs declared', () => {
  test('THEN S3_BUCKET_LOGGING_ENABLED verifies them', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    existingStores(stack, {}, { accessLogsRetention: Duration.days(400) });
    Template.fromStack(stack).hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_LOGGING_ENABLED' },
      Scope: { ComplianceResourceTypes: ['AWS::S3::Bucket'], ComplianceResourceId: 'acme-legacy-uploads' },
    });
  });
});

describe('GIVEN a PrivacyKey of this app as an existing store\'s key', () => {
  test('THEN the DSR role is granted through PrivacyKey.grantToDsrWorkflow (the key policy admits it by its tag)', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const key = new PrivacyKey(stack, 'Key');
    const { orders } = existingStores(stack, { encryptionKey: key });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    orders.grantDsrAccess(role);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const keyStatement = statements.find((s: any) => JSON.stringify(s.Resource).includes(stack.getLogicalId(key.node.defaultChild as any)));
    expect(keyStatement.Condition).toBeUndefined();
    expect(keyStatement.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'privacy:workflow', Value: 'dsr' }]) });
  });

  test('THEN a PERSONAL PrivacyKey on a SENSITIVE existing store is refused', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const key = new PrivacyKey(stack, 'Key');
    const sensitive = { encryptionKey: key, classification: DataClassification.SENSITIVE, categories: [] };
    expect(validationProblemsOf(() => existingStores(stack, sensitive)).codes)
      .toEqual(['KeyBelowStoreClassification']);
  });
});

describe('GIVEN props an existing store cannot honour', () => {
  const stack = () => new Stack(new App(), 'S', { env: ENV });
  const tableCodes = (p: Partial<ExistingPersonalDataTableProps>) => validationProblemsOf(() => existingStores(stack(), p)).codes;
  const bucketCodes = (p: Partial<ExistingPersonalDataBucketProps>) => validationProblemsOf(() => existingStores(stack(), {}, p)).codes;

  test.each<[string, (s: Stack) => kms.IKey, string]>([
    ['an AWS managed key by alias', (s) => kms.Alias.fromAliasName(s, 'A', 'alias/aws/dynamodb'), 'AwsManagedKeyRefused'],
    ['an AWS managed key by alias ARN', (s) => kms.Key.fromKeyArn(s, 'A', 'arn:aws:kms:us-east-1:111111111111:alias/aws/dynamodb'), 'AwsManagedKeyRefused'],
    ['a customer alias (grants on it are dropped)', (s) => kms.Alias.fromAliasName(s, 'A', 'alias/orders'), 'KeyAliasRefused'],
    ['a customer alias ARN', (s) => kms.Key.fromKeyArn(s, 'A', 'arn:aws:kms:us-east-1:111111111111:alias/orders'), 'KeyAliasRefused'],
  ])('%s as the table key: refused with %s', (_, key, code) => {
    const s = stack();
    expect(validationProblemsOf(() => existingStores(s, { encryptionKey: key(s) })).codes).toEqual([code]);
  });

  test('THEN the AWS managed key error says why no grant limits it, that an AWS owned key cannot be granted either, and the fix', () => {
    const s = stack();
    const { message } = validationProblemsOf(() => existingStores(s, {}, { encryptionKey: kms.Alias.fromAliasName(s, 'A', 'alias/aws/s3') }));
    expect(message).toContain('[AwsManagedKeyRefused]');
    expect(message).toContain('cannot be changed, so no grant limits who reads the data');
    expect(message).toContain('an AWS owned key is not in the account at all and cannot be granted per role');
    expect(message).toContain('PutBucketEncryption SSE-KMS');
  });

  test('THEN a missing key is refused (a JavaScript caller can omit it)', () => {
    expect(tableCodes({ encryptionKey: undefined as any })).toEqual(['EncryptionKeyMissing']);
    expect(bucketCodes({ bucket: undefined as any })).toContain('BucketMissing');
  });

  test.each<[Partial<ExistingPersonalDataTableProps>, string[]]>([
    [{ classification: DataClassification.NON_PERSONAL, categories: [], purposes: [], retention: undefined }, ['NonPersonalStore']],
    [{ partitionKeyName: '' }, ['PartitionKeyNameInvalid']],
    [{ sortKeyName: 'a b' }, ['SortKeyNameInvalid']],
    [{ subjectIndexName: '' }, ['SubjectIndexNameInvalid']],
    [{ subjectAttribute: 'PK' }, ['SubjectAttributeIsKey']],
    [{ timeToLiveAttribute: 'customerRef' }, ['TimeToLiveAttributeIsKey']],
    [{ subjectValueTemplate: 'CUSTOMER#' }, ['SubjectValueWithoutSubject']],
    [{ subjectValueTemplate: '{org}#{subject}' }, ['SubjectValuePlaceholders']],
    [{ tenancy: TenancyModel.POOLED }, ['SubjectValueWithoutTenant']],
    [{ pointInTimeRecoveryWindow: Duration.days(36) }, ['PointInTimeRecoveryWindowOutOfRange']],
    [{ pointInTimeRecoveryWindow: Duration.hours(36) }, ['PointInTimeRecoveryWindowOutOfRange']],
    [{ siloTenant: 'a/b' }, ['SiloTenantInvalid']],
    [{ tenancy: TenancyModel.POOLED, subjectValueTemplate: '{tenant}#{subject}', siloTenant: 'acme' }, ['SiloTenantOnPooledStore']],
    [{ correctableAttributes: ['SK'] }, ['CorrectableAttributeIsKey']],
    [{ correctableAttributes: ['customerRef', 'bad name'] }, ['CorrectableAttributeIsKey', 'CorrectableAttributeInvalid']],
  ])('table %j: refused with %j', (props, codes) => {
    expect(tableCodes(props)).toEqual(codes);
  });

  test.each<[Partial<ExistingPersonalDataBucketProps>, string[]]>([
    [{ classification: DataClassification.NON_PERSONAL, categories: [], retention: undefined }, ['NonPersonalStore']],
    [{ subjectPrefixTemplate: 'users/' }, ['SubjectPrefixWithoutSubject']],
    [{ subjectPrefixTemplate: 'users/{subject}' }, ['SubjectPrefixWithoutSlash']],
    [{ subjectPrefixTemplate: 'users/*/{subject}/' }, ['SubjectPrefixPlaceholders']],
    [{ tenancy: TenancyModel.POOLED }, ['SubjectPrefixWithoutTenant']],
    [{ noncurrentVersionExpiration: Duration.days(90) }, ['NoncurrentVersionExpirationTooLong']],
    [{ noncurrentVersionExpiration: Duration.hours(36) }, ['NoncurrentVersionExpirationNotWholeDays']],
    [{ accessLogsRetention: Duration.days(90) }, ['AccessLogsRetentionTooShort']],
    [{ siloTenant: 'a#b' }, ['SiloTenantInvalid']],
    [{ encryptionKey: undefined as any }, ['EncryptionKeyMissing']],
  ])('bucket %j: refused with %j', (props, codes) => {
    expect(bucketCodes(props)).toEqual(codes);
  });

  test('THEN a table of another account or region is refused while the Config rules would run here (they could never evaluate it)', () => {
    const other = (s: Stack, arn: string) => dynamodb.Table.fromTableArn(s, 'Other', arn);
    const s1 = stack();
    expect(validationProblemsOf(() => existingStores(s1, { table: other(s1, 'arn:aws:dynamodb:us-east-1:222222222222:table/orders') })).codes).toEqual(['StoreInAccountElsewhere']);
    const s2 = stack();
    expect(validationProblemsOf(() => existingStores(s2, { table: other(s2, 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders') })).codes).toEqual(['StoreInRegionElsewhere']);
    const s3Stack = stack();
    const b = s3.Bucket.fromBucketAttributes(s3Stack, 'OtherBucket', { bucketName: 'elsewhere', account: '222222222222' });
    expect(validationProblemsOf(() => existingStores(s3Stack, {}, { bucket: b })).codes).toEqual(['StoreInAccountElsewhere']);
    // without the account checks, registered, and the inventory says so
    const s4 = stack();
    const { orders } = existingStores(s4, { table: other(s4, 'arn:aws:dynamodb:us-east-1:222222222222:table/orders'), verifyInAccount: false });
    expect(orders.accountChecks).toEqual([]);
  });

  test('THEN every problem is reported at once, each with its code', () => {
    expect(tableCodes({ partitionKeyName: '', subjectAttribute: 'SK', pointInTimeRecoveryWindow: Duration.days(0) }))
      .toEqual(['PartitionKeyNameInvalid', 'SubjectAttributeIsKey', 'PointInTimeRecoveryWindowOutOfRange']);
  });

  test('THEN a pooled existing table and bucket with {tenant} in their locators are accepted', () => {
    const { orders, uploads } = existingStores(stack(), { tenancy: TenancyModel.POOLED, subjectValueTemplate: '{tenant}#CUSTOMER#{subject}' },
      { tenancy: TenancyModel.POOLED, subjectPrefixTemplate: 'orgs/{tenant}/users/{subject}/' });
    expect([orders.describePersonalData().tenancy, uploads.describePersonalData().tenancy]).toEqual(['pooled', 'pooled']);
  });
});

describe('GIVEN the compliance kit on a DsrWorkflow serving an existing table and bucket', () => {
  let report: ComplianceReport;
  beforeAll(() => {
    const stack = auditedStack('S', { env: ENV });
    const { orders, uploads } = existingStores(stack);
    new DsrWorkflow(stack, 'Dsr', { stores: [orders, uploads] });
    report = runComplianceKit(stack);
  });

  test('THEN CcpaChecks, the cdk-nag packs and cfn-guard report no unacknowledged error', () => {
    expectCompliant(report);
  });

  test('THEN the existing stores\' wildcards are acknowledged by the workflow on its own StoreStep policy only', () => {
    const mine = report.acknowledgementsUsed.filter((a) => a.id.includes('acme-legacy-uploads') || a.id.includes('legacy-orders'));
    expect(mine.map((a) => a.id)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::acme-legacy-uploads/users/*/*]']);
    expect(mine.map((a) => a.path)).toEqual(['S/Dsr/StoreStepRole/DefaultPolicy/Resource']);
  });
});

describe('GIVEN a table and a bucket defined in this app with aws-cdk-lib alone (a brownfield CDK app), registered as existing stores', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  const key = new kms.Key(stack, 'OldKey', { enableKeyRotation: true });
  const table = new dynamodb.Table(stack, 'OldOrders', {
    partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  const bucket = new s3.Bucket(stack, 'OldUploads', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const orders = new ExistingPersonalDataTable(stack, 'Orders', { table: dynamodb.TableV2.fromTableArn(stack, 'Ref', table.tableArn), encryptionKey: key, partitionKeyName: 'PK' });
  const inAppOrders = new ExistingPersonalDataTable(stack, 'OrdersInApp', { table, encryptionKey: key, partitionKeyName: 'PK', categories: [DataCategory.CONTACT] });
  const uploads = new ExistingPersonalDataBucket(stack, 'Uploads', { bucket, encryptionKey: key });
  const template = Template.fromStack(stack);

  test('THEN a TableV2 reference fits, and the raw resources get the privacy tags, so CcpaChecks checks them at synth', () => {
    expect(orders.describePersonalData().kind).toBe('dynamodb-table');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([{ Key: 'privacy:categories', Value: 'user.contact' }, { Key: 'privacy:classification', Value: 'personal' }, { Key: 'privacy:dsr', Value: 'covered' }]),
    });
    template.hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: 'privacy:dsr', Value: 'covered' }]) });
    expect(inAppOrders.describePersonalData().declaredSettings?.[0]).toBe('defined in this app (S/OldOrders/Resource): tagged, CcpaChecks checks its settings at synth');
    expect(uploads.describePersonalData().declaredSettings?.[0]).toMatch(/^defined in this app \(S\/OldUploads\/Resource\)/);
  });

  test('THEN the inventory lists each once, as the registered store, not also as an unmanaged resource', () => {
    const entries = PrivacyInventory.of(stack).entries();
    expect(entries.filter((e) => !e.managed).map((e) => e.path)).toEqual([]);
    expect(entries.map((e) => e.path)).toEqual(['S/Orders', 'S/OrdersInApp', 'S/Uploads']);
  });
});

