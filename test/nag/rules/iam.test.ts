import { Stack, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PrivacyClassification, PrivacyPrincipal, TenancyModel } from '../../../lib/classification';
import { PersonalDataBackupPlan, PersonalDataBucket, PrivacyTable } from '../../../lib/storage';
import { check, outcome } from '../helpers';

function role(s: Stack, id = 'Role'): iam.Role {
  return new iam.Role(s, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe('IAMDataAccessResourceScoped', () => {
  test('GIVEN s3:GetObject on * (L2 policy statement) THEN non-compliant', () => {
    const findings = check((s) => {
      role(s).addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    });
    expect(outcome(findings, 'IAMDataAccessResourceScoped', 'Test/Role/DefaultPolicy/Resource')).toBe('non-compliant');
  });
  test('GIVEN a grant on one bucket THEN compliant; a whole-service ARN THEN non-compliant; a condition THEN compliant', () => {
    const findings = check((s) => {
      new s3.Bucket(s, 'Bucket').grantRead(role(s, 'Scoped'));
      role(s, 'Whole').addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: [`arn:${s.partition}:dynamodb:*:*:table/*`] }));
      role(s, 'Tagged').addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'aws:ResourceTag/privacy:classification': 'personal' } } }));
    });
    expect(outcome(findings, 'IAMDataAccessResourceScoped', 'Test/Scoped/DefaultPolicy/Resource')).toBe('clean');
    expect(outcome(findings, 'IAMDataAccessResourceScoped', 'Test/Whole/DefaultPolicy/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'IAMDataAccessResourceScoped', 'Test/Tagged/DefaultPolicy/Resource')).toBe('clean');
  });
  test('GIVEN an L1 managed policy with NotAction on * THEN non-compliant; an inline role policy with s3:ListAllMyBuckets on * THEN compliant', () => {
    const findings = check((s) => {
      new iam.CfnManagedPolicy(s, 'Managed', { policyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } });
      new iam.CfnRole(s, 'Inline', {
        assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        policies: [{ policyName: 'list', policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] } }],
      });
    });
    expect(outcome(findings, 'IAMDataAccessResourceScoped', 'Test/Managed')).toBe('non-compliant');
    expect(outcome(findings, 'IAMDataAccessResourceScoped', 'Test/Inline')).toBe('clean');
  });
});

describe('IAMDsrRoleNotAdmin', () => {
  test('GIVEN a DSR role with AdministratorAccess THEN non-compliant; without THEN compliant; a non-DSR admin THEN n/a', () => {
    const findings = check((s) => {
      const admin = role(s, 'Admin');
      admin.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
      PrivacyPrincipal.tag(admin, { dsrWorkflow: true });
      const ok = role(s, 'Ok');
      PrivacyPrincipal.tag(ok, { dsrWorkflow: true });
      new s3.Bucket(s, 'B').grantDelete(ok);
      role(s, 'Other').addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    });
    expect(outcome(findings, 'IAMDsrRoleNotAdmin', 'Test/Admin/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'IAMDsrRoleNotAdmin', 'Test/Ok/Resource')).toBe('clean');
    expect(outcome(findings, 'IAMDsrRoleNotAdmin', 'Test/Other/Resource')).toBe('clean');
  });
  test('GIVEN a DSR role with an attached L1 policy allowing *:* THEN non-compliant', () => {
    const findings = check((s) => {
      const r = new iam.CfnRole(s, 'L1', { assumeRolePolicyDocument: { Statement: [] }, tags: [{ key: 'privacy:workflow', value: 'dsr' }] });
      new iam.CfnPolicy(s, 'Star', { policyName: 'star', roles: [r.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] } });
    });
    expect(outcome(findings, 'IAMDsrRoleNotAdmin', 'Test/L1')).toBe('non-compliant');
  });
});

describe('IAMPooledStoreTenantCondition', () => {
  function pooledTable(s: Stack): dynamodb.Table {
    const t = new dynamodb.Table(s, 'Pooled', { partitionKey: { name: 'tenant', type: dynamodb.AttributeType.STRING } });
    PrivacyClassification.apply(t, { tenancy: TenancyModel.POOLED });
    return t;
  }
  test('GIVEN grantReadData on a pooled table THEN non-compliant (no LeadingKeys condition)', () => {
    const findings = check((s) => { pooledTable(s).grantReadData(role(s)); });
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Role/DefaultPolicy/Resource')).toBe('non-compliant');
  });
  test('GIVEN ForAllValues LeadingKeys without Null THEN non-compliant; with Null THEN compliant; a silo table THEN n/a', () => {
    const statement = (table: dynamodb.Table, withNull: boolean) => new iam.PolicyStatement({
      actions: ['dynamodb:Query', 'dynamodb:GetItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenant}'] },
        ...(withNull ? { Null: { 'dynamodb:LeadingKeys': 'false' } } : {}),
      },
    });
    const findings = check((s) => {
      const t = pooledTable(s);
      role(s, 'NoNull').addToPolicy(statement(t, false));
      role(s, 'WithNull').addToPolicy(statement(t, true));
      const silo = new dynamodb.Table(s, 'Silo', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      silo.grantReadData(role(s, 'SiloReader'));
    });
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/NoNull/DefaultPolicy/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/WithNull/DefaultPolicy/Resource')).toBe('clean');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/SiloReader/DefaultPolicy/Resource')).toBe('clean');
  });
  test('GIVEN grantReadData on a pooled table to roles tagged privacy:workflow=dsr or backup THEN compliant; to an ordinary role, or to a policy shared with one, THEN non-compliant', () => {
    const findings = check((s) => {
      const t = pooledTable(s);
      const dsr = role(s, 'Dsr');
      PrivacyPrincipal.tag(dsr, { dsrWorkflow: true });
      t.grantReadData(dsr);
      const backup = role(s, 'Backup');
      PrivacyPrincipal.tag(backup, { backupWorkflow: true });
      t.grantReadData(backup);
      t.grantReadData(role(s, 'Ordinary'));
      // one managed policy attached to a backup role and to an ordinary role
      const shared = new iam.ManagedPolicy(s, 'Shared', { statements: [new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [t.tableArn] })] });
      const sharedBackup = role(s, 'SharedBackup');
      PrivacyPrincipal.tag(sharedBackup, { backupWorkflow: true });
      sharedBackup.addManagedPolicy(shared);
      role(s, 'SharedOrdinary').addManagedPolicy(shared);
      // the same managed policy shape attached to backup roles only
      const backupOnly = new iam.ManagedPolicy(s, 'BackupOnly', { statements: [new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [t.tableArn] })] });
      sharedBackup.addManagedPolicy(backupOnly);
    });
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Dsr/DefaultPolicy/Resource')).toBe('clean');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Backup/DefaultPolicy/Resource')).toBe('clean');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Ordinary/DefaultPolicy/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Shared/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/BackupOnly/Resource')).toBe('clean');
  });
  test('GIVEN a PersonalDataBackupPlan with a pooled PersonalDataBucket and PrivacyTable THEN its role policy is compliant (the role is tagged privacy:workflow=backup)', () => {
    const findings = check((s) => {
      const plan = new PersonalDataBackupPlan(s, 'Plan');
      new PrivacyTable(s, 'Profiles', { tenancy: TenancyModel.POOLED, backupPlan: plan });
      plan.addStore(new PersonalDataBucket(s, 'Documents', { tenancy: TenancyModel.POOLED }));
    });
    expect(findings.filter((f) => f.path === 'Test/Plan/RolePolicy')).toEqual([]);
    expect(findings.filter((f) => f.id.startsWith('CCPA-IAMPooledStoreTenantCondition'))).toEqual([]);
  });
  test('GIVEN an L1 policy naming a backup-tagged L1 role and a role the app does not define THEN non-compliant', () => {
    const findings = check((s) => {
      const b = new s3.CfnBucket(s, 'L1');
      Tags.of(b).add('privacy:tenancy', 'pooled');
      const r = new iam.CfnRole(s, 'L1Role', { assumeRolePolicyDocument: { Statement: [] }, tags: [{ key: 'privacy:workflow', value: 'backup' }] });
      const doc = { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${b.attrArn}/*` }] };
      new iam.CfnPolicy(s, 'Tagged', { policyName: 'tagged', roles: [r.ref], policyDocument: doc });
      new iam.CfnPolicy(s, 'Mixed', { policyName: 'mixed', roles: [r.ref, 'someone-elses-role'], policyDocument: doc });
    });
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Tagged')).toBe('clean');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Mixed')).toBe('non-compliant');
  });
  test('GIVEN a pooled bucket (L1 tags) read on bucket/* THEN non-compliant; on bucket/${aws:PrincipalTag/tenant}/* THEN compliant', () => {
    const findings = check((s) => {
      const b = new s3.CfnBucket(s, 'L1');
      Tags.of(b).add('privacy:tenancy', 'pooled');
      new iam.CfnPolicy(s, 'Any', { policyName: 'any', roles: ['r'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${b.attrArn}/*` }] } });
      new iam.CfnPolicy(s, 'Tenant', { policyName: 'tenant', roles: ['r'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${b.attrArn}/\${aws:PrincipalTag/tenant}/*` }] } });
    });
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Any')).toBe('non-compliant');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Tenant')).toBe('clean');
  });
  describe('GIVEN statements on a pooled table with each form of tenant condition', () => {
    const T = '${aws:PrincipalTag/tenant}';
    const REQUIRED = { Null: { 'dynamodb:LeadingKeys': 'false' } };
    const forms: Array<[string, Record<string, Record<string, unknown>>, 'clean' | 'non-compliant']> = [
      ['ForAllValues:StringLike <tenant>#* with Null', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${T}#*`] }, ...REQUIRED }, 'clean'],
      ['ForAllValues:StringEquals <tenant> with Null', { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [T] }, ...REQUIRED }, 'clean'],
      ['ForAllValues:StringLike <tenant> (exact) with Null', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': T }, ...REQUIRED }, 'clean'],
      ['ForAllValues:StringLike <tenant>#* without Null (a Scan has no leading key and passes)', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${T}#*`] } }, 'non-compliant'],
      ['ForAllValues:StringEquals <tenant> without Null', { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [T] } }, 'non-compliant'],
      ['ForAllValues:StringLike <tenant>#* with a Null check on another key', {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${T}#*`] }, 'Null': { 'aws:PrincipalTag/tenant': 'false' },
      }, 'non-compliant'],
      ['ForAllValues:StringLike <tenant>#* with Null true', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${T}#*`] }, 'Null': { 'dynamodb:LeadingKeys': 'true' } }, 'non-compliant'],
      ['ForAnyValue:StringLike <tenant>#* with Null (one own key lets a batch through)', { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${T}#*`] }, ...REQUIRED }, 'non-compliant'],
      ['StringLike <tenant>#* without a set operator', { StringLike: { 'dynamodb:LeadingKeys': `${T}#*` }, ...REQUIRED }, 'non-compliant'],
      ['ForAllValues:StringLike <tenant>* (tenant "a" reaches "ab")', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${T}*`] }, ...REQUIRED }, 'non-compliant'],
      ['ForAllValues:StringEquals <tenant>#* (a literal "*" is no tenant form)', { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${T}#*`] }, ...REQUIRED }, 'non-compliant'],
      ['ForAllValues:StringLike with a literal tenant', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['acme#*'] }, ...REQUIRED }, 'non-compliant'],
      ['ForAllValues:StringLike <tenant>#* plus a literal tenant', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${T}#*`, 'acme#*'] }, ...REQUIRED }, 'non-compliant'],
      ['ForAllValues:StringEqualsIgnoreCase <tenant>', { 'ForAllValues:StringEqualsIgnoreCase': { 'dynamodb:LeadingKeys': [T] }, ...REQUIRED }, 'non-compliant'],
      ['the tenant variable on another key (dynamodb:Attributes)', { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': [T] }, ...REQUIRED }, 'non-compliant'],
    ];
    let findings: ReturnType<typeof check>;
    beforeAll(() => {
      findings = check((s) => {
        const t = pooledTable(s);
        forms.forEach(([, conditions], i) => {
          role(s, `Form${i}`).addToPolicy(new iam.PolicyStatement({
            actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [t.tableArn, `${t.tableArn}/index/by-tenant`], conditions,
          }));
        });
      });
    });
    test.each(forms.map(([name, , expected], i) => [name, expected, i] as const))('WHEN %s THEN %s', (_name, expected, i) => {
      expect(outcome(findings, 'IAMPooledStoreTenantCondition', `Test/Form${i}/DefaultPolicy/Resource`)).toBe(expected);
    });
  });

  describe('GIVEN statements on a pooled bucket (L1 tags) with each form of tenant prefix', () => {
    const T = '${aws:PrincipalTag/tenant}';
    const forms: Array<[string, (arn: string) => iam.PolicyStatement, 'clean' | 'non-compliant']> = [
      ['objects on bucket/tenants/<tenant>/*', (arn) => new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [`${arn}/tenants/${T}/*`] }), 'clean'],
      ['objects on bucket/<tenant>/reports/*', (arn) => new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${arn}/${T}/reports/*`] }), 'clean'],
      ['objects on bucket/*', (arn) => new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${arn}/*`] }), 'non-compliant'],
      ['objects on bucket/tenants/<tenant>* (tenant "a" reaches "ab")', (arn) => new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${arn}/tenants/${T}*`] }), 'non-compliant'],
      ['objects on bucket/*/<tenant>/* (a wildcard before the tenant)', (arn) => new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${arn}/*/${T}/*`] }), 'non-compliant'],
      ['objects on bucket/tenants/acme/* (a literal tenant)', (arn) => new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${arn}/tenants/acme/*`] }), 'non-compliant'],
      ['objects on bucket/* with the tenant variable in a condition on another key', (arn) => new iam.PolicyStatement({
        actions: ['s3:GetObject'], resources: [`${arn}/*`], conditions: { StringEquals: { 'aws:ResourceTag/tenant': T } },
      }), 'non-compliant'],
      ['ListBucket with StringLike s3:prefix tenants/<tenant>/*', (arn) => new iam.PolicyStatement({
        actions: ['s3:ListBucket'], resources: [arn], conditions: { StringLike: { 's3:prefix': `tenants/${T}/*` } },
      }), 'clean'],
      ['ListBucket without a condition', (arn) => new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [arn] }), 'non-compliant'],
      ['ListBucket with StringLike s3:prefix tenants/<tenant>*', (arn) => new iam.PolicyStatement({
        actions: ['s3:ListBucket'], resources: [arn], conditions: { StringLike: { 's3:prefix': `tenants/${T}*` } },
      }), 'non-compliant'],
      ['ListBucket with StringLikeIfExists s3:prefix (no prefix lists the whole bucket)', (arn) => new iam.PolicyStatement({
        actions: ['s3:ListBucket'], resources: [arn], conditions: { StringLikeIfExists: { 's3:prefix': `tenants/${T}/*` } },
      }), 'non-compliant'],
      ['ListBucket with the tenant variable in a condition on another key', (arn) => new iam.PolicyStatement({
        actions: ['s3:ListBucket'], resources: [arn], conditions: { StringLike: { 's3:delimiter': `${T}/` } },
      }), 'non-compliant'],
      ['s3:* on the bucket ARN and on bucket/tenants/<tenant>/* without an s3:prefix condition', (arn) => new iam.PolicyStatement({
        actions: ['s3:*'], resources: [arn, `${arn}/tenants/${T}/*`],
      }), 'non-compliant'],
    ];
    let findings: ReturnType<typeof check>;
    beforeAll(() => {
      findings = check((s) => {
        const b = new s3.CfnBucket(s, 'L1');
        Tags.of(b).add('privacy:tenancy', 'pooled');
        forms.forEach(([, statement], i) => role(s, `Form${i}`).addToPolicy(statement(b.attrArn)));
      });
    });
    test.each(forms.map(([name, , expected], i) => [name, expected, i] as const))('WHEN %s THEN %s', (_name, expected, i) => {
      expect(outcome(findings, 'IAMPooledStoreTenantCondition', `Test/Form${i}/DefaultPolicy/Resource`)).toBe(expected);
    });
  });

  test('GIVEN the read/write/delete grants of a pooled PersonalDataBucket and PrivacyTable THEN compliant; the same grants of aws-cdk-lib on the same L1s THEN non-compliant', () => {
    const findings = check((s) => {
      const bucket = new PersonalDataBucket(s, 'Documents', { tenancy: TenancyModel.POOLED });
      const table = new PrivacyTable(s, 'Profiles', { tenancy: TenancyModel.POOLED });
      const ours = role(s, 'Ours');
      bucket.grantReadWrite(ours);
      bucket.grantDelete(ours, 'subjects/*');
      table.grantReadWriteData(ours);
      const theirs = role(s, 'Theirs');
      bucket.bucket.grantReadWrite(theirs);
      table.table.grantReadWriteData(theirs);
    });
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Ours/DefaultPolicy/Resource')).toBe('clean');
    expect(outcome(findings, 'IAMPooledStoreTenantCondition', 'Test/Theirs/DefaultPolicy/Resource')).toBe('non-compliant');
  });
});
