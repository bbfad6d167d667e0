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
});
