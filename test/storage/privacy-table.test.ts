import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  DataCategory, DataClassification, DsrCoverage, PersonalDataBackupPlan, PersonalDataStoreKind, PrivacyKey, PrivacyTable,
  PrivacyTableProps, TenancyModel,
} from '../../lib';
import { ComplianceReport, expectCompliant, runComplianceKit, auditedStack } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';

function make(props?: PrivacyTableProps) {
  const stack = new Stack(new App(), 'S');
  const table = new PrivacyTable(stack, 'Orders', props);
  return { stack, table, template: Template.fromStack(stack) };
}

function tableResource(template: Template): any {
  const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
  expect(tables).toHaveLength(1);
  return tables[0];
}

describe('PrivacyTable', () => {
  describe('GIVEN no props', () => {
    const { stack, table, template } = make();
    const t = tableResource(template);

    test('THEN it is an AWS::DynamoDB::Table (not a GlobalTable) encrypted with its own PrivacyKey', () => {
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
      template.resourceCountIs('AWS::KMS::Key', 1);
      expect(t.Properties.SSESpecification).toEqual({
        SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey.node.defaultChild as any), 'Arn'] },
      });
    });

    test('THEN PITR is on with a 35-day window, deletion protection on, RETAIN, on-demand, TTL expiresAt', () => {
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
      expect(t.Properties.DeletionProtectionEnabled).toBe(true);
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
      expect(t.Properties.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    });

    test('THEN a keys-only subject index on subjectId finds a subject without a Scan', () => {
      expect(t.Properties.GlobalSecondaryIndexes).toEqual([{
        IndexName: 'subject-index', KeySchema: [{ AttributeName: 'subjectId', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' },
      }]);
    });

    test('THEN the resource policy denies data access and whole-table copies without privacy:access, and has no tenant statements', () => {
      const statements = t.Properties.ResourcePolicy.PolicyDocument.Statement;
      expect(statements).toHaveLength(2);
      // a whole-table copy only by AWS services, the backup plan's role and DSR roles (privacy:access is not enough)
      expect(statements[1]).toEqual({
        Sid: 'DenyWholeTableCopiesOutsideTheWorkflows',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Action: ['dynamodb:CreateBackup', 'dynamodb:ExportTableToPointInTime', 'dynamodb:RestoreTableToPointInTime'],
        Condition: {
          StringNotEquals: { 'aws:PrincipalTag/privacy:workflow': ['dsr', 'backup'] },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      });
      expect(statements[0]).toEqual(expect.objectContaining({
        Sid: 'DenyDataAccessWithoutPrivacyAccessTag',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Action: expect.arrayContaining([
          'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:PartiQLSelect',
          'dynamodb:CreateBackup', 'dynamodb:ExportTableToPointInTime', 'dynamodb:RestoreTableToPointInTime',
        ]),
        Condition: {
          StringNotEquals: { 'aws:PrincipalTag/privacy:workflow': 'dsr', 'aws:PrincipalTag/privacy:access': ['personal', 'sensitive'] },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }));
    });

    test('THEN it is tagged personal, silo, covered and acknowledges the backup-plan rules with its reason', () => {
      expect(t.Properties.Tags).toEqual(expect.arrayContaining([
        { Key: 'privacy:classification', Value: 'personal' }, { Key: 'privacy:tenancy', Value: 'silo' }, { Key: 'privacy:dsr', Value: 'covered' },
      ]));
      expect(table.backupPlan).toBeUndefined();
    });

    test('THEN it describes the subject index for a DsrWorkflow', () => {
      const d = table.describePersonalData();
      expect(d.kind).toBe(PersonalDataStoreKind.DYNAMODB_TABLE);
      expect([d.subjectIndexName, d.subjectAttribute, d.subjectValueTemplate]).toEqual(['subject-index', 'subjectId', '{subject}']);
      expect(d.deletionLatency.toDays()).toBe(35);
      expect(d.timeToLiveAttribute).toBe('expiresAt');
      expect(d.accessLogRetention).toBeUndefined();
    });
  });

  describe('GIVEN every prop', () => {
    const stack = new Stack(new App(), 'S');
    const key = new PrivacyKey(stack, 'K', { classification: DataClassification.SENSITIVE });
    const plan = new PersonalDataBackupPlan(stack, 'Backups');
    const table = new PrivacyTable(stack, 'Patients', {
      encryptionKey: key,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      classification: DataClassification.SENSITIVE,
      categories: [DataCategory.HEALTH],
      tenancy: TenancyModel.POOLED,
      dsr: DsrCoverage.COVERED,
      owner: 'team-care',
      partitionKey: { name: 'tenantKey', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'record', type: dynamodb.AttributeType.STRING },
      subjectAttribute: 'patient',
      subjectIndexName: 'by-patient',
      pointInTimeRecovery: true,
      pointInTimeRecoveryWindow: Duration.days(7),
      timeToLiveAttribute: 'ttl',
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
      backupPlan: plan,
    });
    const template = Template.fromStack(stack);
    const t = (Object.entries(template.findResources('AWS::DynamoDB::Table'))[0][1]) as any;

    test('THEN key, schema, index, PITR window, TTL, protection and removal policy follow the props', () => {
      template.resourceCountIs('AWS::KMS::Key', 2); // the table's key and the vault key
      expect(t.Properties.KeySchema).toEqual([{ AttributeName: 'tenantKey', KeyType: 'HASH' }, { AttributeName: 'record', KeyType: 'RANGE' }]);
      expect(t.Properties.GlobalSecondaryIndexes[0].IndexName).toBe('by-patient');
      expect(t.Properties.PointInTimeRecoverySpecification.RecoveryPeriodInDays).toBe(7);
      expect(t.Properties.TimeToLiveSpecification.AttributeName).toBe('ttl');
      expect(t.Properties.DeletionProtectionEnabled).toBe(false);
      expect(t.DeletionPolicy).toBe('Delete');
      expect(t.Properties.Tags).toEqual(expect.arrayContaining([
        { Key: 'privacy:classification', Value: 'sensitive' }, { Key: 'privacy:categories', Value: 'user.health' },
        { Key: 'privacy:tenancy', Value: 'pooled' }, { Key: 'privacy:owner', Value: 'team-care' },
      ]));
    });

    test('THEN the pooled statements limit items to the tenant\'s leading keys and deny Scan and untagged sessions', () => {
      const statements = t.Properties.ResourcePolicy.PolicyDocument.Statement;
      const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
      expect(bySid.DenyDataAccessWithoutPrivacyAccessTag.Condition.StringNotEquals['aws:PrincipalTag/privacy:access']).toEqual(['sensitive']);
      expect(bySid.DenyItemAccessWithoutTenantTag.Condition.Null).toEqual({ 'aws:PrincipalTag/tenant': 'true' });
      expect(bySid.DenyItemAccessWithoutLeadingKeys.Condition.Null).toEqual({ 'dynamodb:LeadingKeys': 'true' });
      expect(bySid.DenyItemsOfOtherTenants.Condition['ForAnyValue:StringNotLike']).toEqual({ 'dynamodb:LeadingKeys': '${aws:PrincipalTag/tenant}#*' });
    });

    test('THEN the backup plan selects the table explicitly', () => {
      template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [stack.getLogicalId(table.table.node.defaultChild as any), 'Arn'] }] }),
      });
      expect(table.backupPlan).toBe(plan);
    });

    test('THEN pooled subject values are tenant-prefixed', () => {
      expect(table.describePersonalData().subjectValueTemplate).toBe('{tenant}#{subject}');
    });
  });

  describe('grants', () => {
    const READ = ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'];
    const WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
    const KEY_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];
    const sorted = (...lists: string[][]) => [...new Set(lists.flat())].sort();
    describe.each<[string, TenancyModel, (t: PrivacyTable, r: iam.Role) => iam.Grant, string[], string[] | undefined, string[]]>([
      // name, tenancy, grant, table actions, index actions (reads only), key actions
      ['grantReadData', TenancyModel.SILO, (t, r) => t.grantReadData(r), sorted(READ, ['dynamodb:Scan']), ['dynamodb:Query', 'dynamodb:Scan'], KEY_READ],
      ['grantReadData', TenancyModel.POOLED, (t, r) => t.grantReadData(r), READ, ['dynamodb:Query'], KEY_READ],
      ['grantWriteData', TenancyModel.SILO, (t, r) => t.grantWriteData(r), WRITE, undefined, KEY_WRITE],
      ['grantWriteData', TenancyModel.POOLED, (t, r) => t.grantWriteData(r), WRITE, undefined, KEY_WRITE],
      ['grantReadWriteData', TenancyModel.SILO, (t, r) => t.grantReadWriteData(r), sorted(READ, WRITE, ['dynamodb:Scan']), ['dynamodb:Query', 'dynamodb:Scan'], KEY_WRITE],
      ['grantReadWriteData', TenancyModel.POOLED, (t, r) => t.grantReadWriteData(r), sorted(READ, WRITE), ['dynamodb:Query'], KEY_WRITE],
    ])('GIVEN %s on a %s table with an extra GSI and an LSI', (_n, tenancy, grant, tableActions, indexActions, keyActions) => {
      const stack = new Stack(new App(), 'S');
      const table = new PrivacyTable(stack, 'T', { tenancy });
      table.table.addGlobalSecondaryIndex({ indexName: 'by-email', partitionKey: { name: 'email', type: dynamodb.AttributeType.STRING } });
      table.table.addLocalSecondaryIndex({ indexName: 'by-date', sortKey: { name: 'date', type: dynamodb.AttributeType.STRING } });
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      grant(table, role);
      const t = Template.fromStack(stack);
      const statements = (Object.values(t.findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement;
      const arn = { 'Fn::GetAtt': [stack.getLogicalId(table.table.node.defaultChild as any), 'Arn'] };
      const index = (name: string) => ({ 'Fn::Join': ['', [arn, `/index/${name}`]] });

      test('THEN the role is tagged privacy:access', () => {
        t.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:access', Value: 'personal' }] });
      });

      test('THEN it is allowed exactly the pinned actions on the table, on each index by name, and the key actions', () => {
        const pooled = tenancy === TenancyModel.POOLED;
        // pooled: item actions only with the tenant's leading keys (and some leading key: ForAllValues
        // passes without one); DescribeTable, which has no leading key, on its own
        const tenant = pooled ? { Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenant}#*'] }, 'Null': { 'dynamodb:LeadingKeys': 'false' } } } : {};
        const itemActions = pooled ? tableActions.filter((a) => a !== 'dynamodb:DescribeTable') : tableActions;
        expect(statements).toEqual([
          { Effect: 'Allow', Action: itemActions, Resource: arn, ...tenant },
          ...(pooled ? [{ Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: arn }] : []),
          ...(indexActions ? [{
            Effect: 'Allow',
            Action: indexActions.length === 1 ? indexActions[0] : indexActions,
            Resource: [index('subject-index'), index('by-email'), index('by-date')],
            ...tenant,
          }] : []),
          { Effect: 'Allow', Action: keyActions, Resource: { 'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey.node.defaultChild as any), 'Arn'] } },
        ]);
      });

      test('THEN no granted action or resource is a wildcard', () => {
        expect(statements.flatMap((st: any) => [st.Action].flat()).filter((a: string) => /[*?]/.test(a))).toEqual([]);
        expect(JSON.stringify(statements)).not.toMatch(/index\/\*|"\*"/);
      });
    });

    test('GIVEN grantDsrAccess THEN Query on the subject index, Get/Update/Delete on the table, key use, dsr tag; nothing on *', () => {
      const stack = new Stack(new App(), 'S');
      const table = new PrivacyTable(stack, 'T');
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
      table.grantDsrAccess(role);
      const t = Template.fromStack(stack);
      const id = stack.getLogicalId(table.table.node.defaultChild as any);
      t.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:workflow', Value: 'dsr' }] });
      const statements = (Object.values(t.findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement;
      expect(statements.slice(0, 2)).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/index/subject-index']] } },
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], Resource: { 'Fn::GetAtt': [id, 'Arn'] } },
      ]);
      expect(JSON.stringify(statements)).not.toContain('"Resource":"*"');
    });
  });

  describe('refused props', () => {
    test.each<[string, PrivacyTableProps, RegExp]>([
      ['PITR off', { pointInTimeRecovery: false }, /\[PointInTimeRecoveryOff\] pointInTimeRecovery false would leave/],
      ['a recovery window of 40 days', { pointInTimeRecoveryWindow: Duration.days(40) }, /\[PointInTimeRecoveryWindowOutOfRange\] pointInTimeRecoveryWindow 40 days is outside the 1 to 35 whole days/],
      ['a recovery window of 0 days', { pointInTimeRecoveryWindow: Duration.days(0) }, /\[PointInTimeRecoveryWindowOutOfRange\] pointInTimeRecoveryWindow 0 days/],
      ['an AWS owned key', { encryption: dynamodb.TableEncryption.DEFAULT }, /\[EncryptionNotCustomerManaged\] encryption AWS_OWNED .*customer-managed PrivacyKey/],
      ['an AWS managed key', { encryption: dynamodb.TableEncryption.AWS_MANAGED }, /\[EncryptionNotCustomerManaged\] encryption AWS_MANAGED/],
      ['non-personal', { classification: DataClassification.NON_PERSONAL }, /\[NonPersonalStore\] classification "non-personal" is refused for a personal data store: use dynamodb.Table/],
      ['a numeric partition key in a pooled table', { tenancy: TenancyModel.POOLED, partitionKey: { name: 'id', type: dynamodb.AttributeType.NUMBER } }, /\[PooledPartitionKeyNotString\] partitionKey id of type N in a pooled table/],
      ['an empty subject attribute', { subjectAttribute: ' ' }, /\[SubjectAttributeEmpty\] subjectAttribute is empty/],
      ['an empty subject index name', { subjectIndexName: '' }, /\[SubjectIndexNameEmpty\] subjectIndexName is empty/],
      ['the partition key as subject attribute', { subjectAttribute: 'pk' }, /\[SubjectAttributeIsPartitionKey\] subjectAttribute "pk" is the table's partition key/],
      ['a key as correctable attribute', { correctableAttributes: ['phone', 'sk'] }, /\[CorrectableAttributeIsKey\] correctableAttributes contains "sk", a key or the subject attribute/],
      ['the subject attribute as correctable attribute', { correctableAttributes: ['subjectId'] }, /\[CorrectableAttributeIsKey\] correctableAttributes contains "subjectId"/],
      ['an invalid correctable attribute name', { correctableAttributes: ['a b'] }, /\[CorrectableAttributeInvalid\] correctableAttributes contains "a b"/],
    ])('%s throws a ValidationError naming prop, value and reason', (_n, props, message) => {
      const thrown = validationErrorOf(() => make(props));
      expect(thrown).toMatch(message);
    });

    test('a personal key on a sensitive table is refused', () => {
      const stack = new Stack(new App(), 'S');
      expect(() => new PrivacyTable(stack, 'T', { encryptionKey: new PrivacyKey(stack, 'K'), classification: DataClassification.SENSITIVE }))
        .toThrow(/\[KeyBelowStoreClassification\] encryptionKey S\/K is classified "personal" but the store is "sensitive"/);
    });
  });

  describe('compliance kit', () => {
    let report: ComplianceReport;
    let pooled: ComplianceReport;
    beforeAll(() => {
      // each stack declares the organization trail that audits its data events, as a member account would
      const stack = auditedStack('Default');
      new PrivacyTable(stack, 'Orders');
      report = runComplianceKit(stack);
      const stack2 = auditedStack('Pooled');
      new PrivacyTable(stack2, 'Profiles', { tenancy: TenancyModel.POOLED, classification: DataClassification.SENSITIVE, retention: Duration.days(365) });
      pooled = runComplianceKit(stack2);
    });

    test('GIVEN no props THEN no unacknowledged error', () => {
      expectCompliant(report);
    });

    test('GIVEN pooled and sensitive THEN no unacknowledged error', () => {
      expectCompliant(pooled);
    });

    test('THEN the only acknowledgements are the backup-plan rules, on the table\'s L1', () => {
      expect(report.acknowledgementsUsed.map((a) => `${a.id} @ ${a.path}`).sort()).toEqual([
        'HIPAA.Security-DynamoDBInBackupPlan @ Default/Orders/Table/Resource',
        'NIST.800.53.R5-DynamoDBInBackupPlan @ Default/Orders/Table/Resource',
      ]);
      expect(report.unusedAcknowledgements).toEqual([]);
    });
  });
});

describe('PrivacyTable correctableAttributes (issue 14, finding 9)', () => {
  test('are described for the DsrWorkflow; undeclared by default', () => {
    expect(make({ correctableAttributes: ['phone', 'email'] }).table.describePersonalData().correctableAttributes).toEqual(['phone', 'email']);
    expect(make().table.describePersonalData().correctableAttributes).toBeUndefined();
  });
});
