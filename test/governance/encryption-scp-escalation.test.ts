/**
 * Issue 13: the ways an administrator of a member account got around the guardrails, as IAM
 * simulation rows under the synthesized EncryptionScp (and, for whole-table copies, the
 * synthesized PrivacyTable resource policy): each attack denied, the exempt pipeline and
 * break-glass principals and the privacy workflows still allowed.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DsrWorkflow, EncryptionScp, PrivacyTable, TenancyModel, TenantSessionPrincipal } from '../../lib';
import { allowPolicy, arnPrincipal, IamSimulator, PolicyDocumentJson, SimRequest, SimResult, templateRole } from '../kit/iam-sim';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const ALL = [allowPolicy('*')];
const role = (name: string, tags?: Record<string, string>) => arnPrincipal(arn(`role/${name}`), { identityPolicies: ALL, tags });

const admin = role('Admin');
const breakGlass = role('cdk-ccpa-break-glass');
const cfnExec = role(`cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`);
const deployRole = role(`cdk-hnb659fds-deploy-role-${ACCOUNT}-${REGION}`);
const otherQualifierExec = role(`cdk-evil12345-cfn-exec-role-${ACCOUNT}-${REGION}`);
const pipeline = role('release-pipeline');
const PIPELINE_ARN = arn('role/release-pipeline');
const backupRole = role('plan-backup-role', { 'privacy:workflow': 'backup', 'privacy:access': 'sensitive' });
const dsrRole = role('dsr-handler-role', { 'privacy:workflow': 'dsr' });
const tenantSession = role('TenantApp', { 'privacy:access': 'personal', 'tenant': 'a' });

const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/customers`;
const BUCKET = 'arn:aws:s3:::customer-documents';
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:dsr-requests`;
const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dsr-requests`;
const STACK = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/DataPlane/0f0e0d0c-0b0a-0908-0706-050403020100`;
const KEY_POLICY: PolicyDocumentJson = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'kms:*', Resource: '*' }] };

const tagged = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
const PERSONAL = tagged({ 'privacy:classification': 'personal' });
const NON_PERSONAL = tagged({ 'privacy:classification': 'non-personal' });
const DSR_TAGGED = tagged({ 'privacy:workflow': 'dsr' });
const ACCESS_TAGGED = tagged({ 'privacy:access': 'personal' });

type Row = [string, SimRequest, SimResult];

function scpSimulator(props: ConstructorParameters<typeof EncryptionScp>[2]): { sim: IamSimulator; scp: EncryptionScp } {
  const stack = new Stack(new App(), 'Org', { env: { account: ACCOUNT, region: REGION } });
  const scp = new EncryptionScp(stack, 'Guardrails', props);
  return { scp, sim: IamSimulator.fromStack(stack, { scps: scp.documents.map((d) => JSON.parse(d)) }) };
}

const { sim, scp } = scpSimulator({ deployerPrincipalArns: [PIPELINE_ARN] });

function runRows(rows: Row[], simulator: IamSimulator = sim): void {
  test.each(rows)('%s', async (_name, req, expected) => {
    await simulator.expectDecision({ resourcePolicy: null, ...req }, expected);
  });
}

test('the defaults fit Organizations: at most 4 SCPs (FullAWSAccess is the 5th), each within 5,120 characters', () => {
  expect(scp.documents.length).toBeLessThanOrEqual(4);
  for (const d of scp.documents) expect(d.length).toBeLessThanOrEqual(5120);
  expect(scpSimulator({}).scp.documents.length).toBe(scp.documents.length);
});

describe('1. case variants of the privacy tag keys', () => {
  const rows: Row[] = [];
  for (const key of ['Privacy:Access', 'PRIVACY:WORKFLOW', 'privacy:Access', 'Privacy:Classification']) {
    rows.push(
      [`iam:TagRole ${key} denied`, { principal: admin, action: 'iam:TagRole', resource: arn('role/Admin'), context: { 'aws:TagKeys': [key] } }, 'ExplicitlyDenied'],
      [`iam:CreateRole with ${key} denied`, { principal: admin, action: 'iam:CreateRole', resource: arn('role/Sneaky'), context: { 'aws:TagKeys': ['team', key] } }, 'ExplicitlyDenied'],
      [`iam:TagUser ${key} denied`, { principal: admin, action: 'iam:TagUser', resource: arn('user/sneaky'), context: { 'aws:TagKeys': [key] } }, 'ExplicitlyDenied'],
      [`sts:TagSession ${key} denied`, { principal: admin, action: 'sts:TagSession', resource: arn('role/Admin'), context: { 'aws:TagKeys': [key] } }, 'ExplicitlyDenied'],
    );
  }
  for (const [action, resource, extra] of [
    ['dynamodb:TagResource', TABLE, {}], ['dynamodb:UntagResource', TABLE, {}], ['s3:TagResource', BUCKET, {}], ['s3:UntagResource', BUCKET, {}],
    ['kms:TagResource', KEY, { resourcePolicy: KEY_POLICY }], ['lambda:TagResource', FUNCTION, {}], ['lambda:UntagResource', FUNCTION, {}],
    ['states:TagResource', MACHINE, {}], ['states:UntagResource', MACHINE, {}],
  ] as Array<[string, string, Partial<SimRequest>]>) {
    rows.push([`${action} Privacy:Classification denied`, { principal: admin, action, resource, ...extra, context: { 'aws:TagKeys': ['Privacy:Classification'] } }, 'ExplicitlyDenied']);
  }
  rows.push(
    ['an administrator cannot create a SAML provider (whose assertions would carry privacy session tags)', { principal: admin, action: 'iam:CreateSAMLProvider', resource: arn('saml-provider/mine') }, 'ExplicitlyDenied'],
    ['nor an OIDC provider', { principal: admin, action: 'iam:CreateOpenIDConnectProvider', resource: arn('oidc-provider/idp.example.com') }, 'ExplicitlyDenied'],
    ['the pipeline creates identity providers', { principal: cfnExec, action: 'iam:CreateOpenIDConnectProvider', resource: arn('oidc-provider/token.actions.githubusercontent.com') }, 'Allowed'],
    ['lambda:CreateFunction tagged PRIVACY:WORKFLOW denied', { principal: admin, action: 'lambda:CreateFunction', resource: FUNCTION, context: { 'aws:TagKeys': ['PRIVACY:WORKFLOW'] } }, 'ExplicitlyDenied'],
    ['other tags are fine (iam:TagRole team)', { principal: admin, action: 'iam:TagRole', resource: arn('role/Admin'), context: { 'aws:TagKeys': ['team'] } }, 'Allowed'],
    ['other session tags are fine (sts:TagSession team)', { principal: admin, action: 'sts:TagSession', resource: arn('role/Admin'), context: { 'aws:TagKeys': ['team'] } }, 'Allowed'],
    ['dynamodb:TagResource with a team tag is fine', { principal: admin, action: 'dynamodb:TagResource', resource: TABLE, context: { 'aws:TagKeys': ['team'] } }, 'Allowed'],
    ['the pipeline\'s CloudFormation role still tags roles', { principal: cfnExec, action: 'iam:TagRole', resource: arn('role/Reader'), context: { 'aws:TagKeys': ['privacy:access'] } }, 'Allowed'],
    ['break-glass still tags tables', { principal: breakGlass, action: 'dynamodb:TagResource', resource: TABLE, context: { 'aws:TagKeys': ['Privacy:Classification'] } }, 'Allowed'],
  );
  runRows(rows);
});

describe('2. taking over the roles, users and functions that carry the tags', () => {
  const roleActions = ['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'iam:PassRole', 'iam:DeleteRole'];
  const rows: Row[] = [];
  for (const action of roleActions) {
    rows.push(
      [`${action} on a privacy:workflow=dsr role denied`, { principal: admin, action, resource: arn('role/dsr-handler-role'), context: DSR_TAGGED }, 'ExplicitlyDenied'],
      [`${action} on a privacy:access role denied`, { principal: admin, action, resource: arn('role/TenantApp'), context: ACCESS_TAGGED }, 'ExplicitlyDenied'],
      [`${action} on an untagged role allowed`, { principal: admin, action, resource: arn('role/app-reader') }, 'Allowed'],
      [`${action} on a dsr role allowed to the pipeline's CloudFormation role`, { principal: cfnExec, action, resource: arn('role/dsr-handler-role'), context: DSR_TAGGED }, 'Allowed'],
      [`${action} on a dsr role allowed to break-glass`, { principal: breakGlass, action, resource: arn('role/dsr-handler-role'), context: DSR_TAGGED }, 'Allowed'],
    );
  }
  for (const action of ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:PutUserPolicy', 'iam:AttachUserPolicy']) {
    rows.push([`${action} on a privacy:access user denied`, { principal: admin, action, resource: arn('user/analyst'), context: ACCESS_TAGGED }, 'ExplicitlyDenied']);
  }
  for (const action of ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:AddPermission', 'lambda:DeleteFunction']) {
    rows.push(
      [`${action} on a DSR handler denied`, { principal: admin, action, resource: FUNCTION, context: DSR_TAGGED }, 'ExplicitlyDenied'],
      [`${action} on another function allowed`, { principal: admin, action, resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:web` }, 'Allowed'],
      [`${action} on a DSR handler allowed to the pipeline's CloudFormation role`, { principal: cfnExec, action, resource: FUNCTION, context: DSR_TAGGED }, 'Allowed'],
    );
  }
  rows.push(
    ['lambda:UpdateFunctionCode of a function tagged privacy:access (an app reading personal data) denied', { principal: admin, action: 'lambda:UpdateFunctionCode', resource: FUNCTION, context: ACCESS_TAGGED }, 'ExplicitlyDenied'],
    ['states:UpdateStateMachine of the DSR workflow denied', { principal: admin, action: 'states:UpdateStateMachine', resource: MACHINE, context: DSR_TAGGED }, 'ExplicitlyDenied'],
    ['states:UpdateStateMachine of the DSR workflow allowed to break-glass', { principal: breakGlass, action: 'states:UpdateStateMachine', resource: MACHINE, context: DSR_TAGGED }, 'Allowed'],
  );
  runRows(rows);
});

describe('2. GIVEN a synthesized DsrWorkflow', () => {
  const stack = new Stack(new App(), 'Dsr', { env: { account: ACCOUNT, region: REGION } });
  const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'Customers')] });
  const dsrSim = IamSimulator.fromStack(stack, { scps: scp.documents.map((d) => JSON.parse(d)) });
  const template = Template.fromStack(stack).toJSON() as any;
  const functions = Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Type === 'AWS::Lambda::Function');

  test('THEN every handler carries privacy:workflow=dsr, like its role', () => {
    expect(functions.length).toBeGreaterThanOrEqual(6);
    for (const [, r] of functions as Array<[string, any]>) {
      expect(r.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'privacy:workflow', Value: 'dsr' }]));
    }
  });

  const requests = { logicalId: stack.getLogicalId(dsr.requestsFunction.node.defaultChild as any) };
  const requestsRole = { logicalId: stack.getLogicalId(dsr.requestsFunction.role!.node.defaultChild as any) };
  runRows([
    ['an administrator cannot replace the Requests function\'s code', { principal: admin, action: 'lambda:UpdateFunctionCode', resource: requests }, 'ExplicitlyDenied'],
    ['nor let another principal invoke it', { principal: admin, action: 'lambda:AddPermission', resource: requests }, 'ExplicitlyDenied'],
    ['nor change its role\'s trust', { principal: admin, action: 'iam:UpdateAssumeRolePolicy', resource: requestsRole }, 'ExplicitlyDenied'],
    ['nor pass its role to a function of its own', { principal: admin, action: 'iam:PassRole', resource: requestsRole }, 'ExplicitlyDenied'],
    ['the pipeline\'s CloudFormation role updates the code', { principal: cfnExec, action: 'lambda:UpdateFunctionCode', resource: requests }, 'Allowed'],
  ], dsrSim);
});

describe('3. whole-table copies of a pooled table', () => {
  const stack = new Stack(new App(), 'Data', { env: { account: ACCOUNT, region: REGION } });
  const table = new PrivacyTable(stack, 'Profiles', { tenancy: TenancyModel.POOLED });
  const tableSim = IamSimulator.fromStack(stack, { scps: scp.documents.map((d) => JSON.parse(d)) });
  const ref = { logicalId: stack.getLogicalId(table.table.node.defaultChild as any) };
  const copies = ['dynamodb:ExportTableToPointInTime', 'dynamodb:RestoreTableToPointInTime', 'dynamodb:CreateBackup', 'dynamodb:StartAwsBackupJob'];
  const rows: Row[] = [];
  for (const action of copies) {
    rows.push(
      [`${action} by a tenant session with dynamodb:* denied`, { principal: tenantSession, action, resource: ref }, 'ExplicitlyDenied'],
      [`${action} by an administrator denied`, { principal: admin, action, resource: ref }, 'ExplicitlyDenied'],
      [`${action} by the backup plan's role (AWS Backup) allowed`, { principal: backupRole, action, resource: ref }, 'Allowed'],
      [`${action} by a DSR role allowed`, { principal: dsrRole, action, resource: ref }, 'Allowed'],
    );
  }
  for (const action of copies.filter((a) => a !== 'dynamodb:StartAwsBackupJob')) {
    rows.push(
      [`${action} without the SCP (no Organizations): the table policy alone denies the tenant session`, { principal: tenantSession, action, resource: ref, scps: [] }, 'ExplicitlyDenied'],
      [`${action} without the SCP: the table policy still lets the backup plan's role copy`, { principal: backupRole, action, resource: ref, scps: [] }, 'Allowed'],
    );
  }
  for (const action of copies) {
    rows.push([`${action} without the table policy: the SCP alone denies the tenant session`, { principal: tenantSession, action, resource: ref, resourcePolicy: null }, 'ExplicitlyDenied']);
  }
  rows.push(
    ['RestoreTableFromBackup of a backup denied to an administrator (SCP)', { principal: admin, action: 'dynamodb:RestoreTableFromBackup', resource: `${TABLE}/backup/01700000000000-abcdef12`, resourcePolicy: null }, 'ExplicitlyDenied'],
    ['EnableKinesisStreamingDestination (a copy of every change) denied', { principal: admin, action: 'dynamodb:EnableKinesisStreamingDestination', resource: TABLE, resourcePolicy: null, context: PERSONAL }, 'ExplicitlyDenied'],
    ['CreateBackup of a table classified non-personal allowed (SCP)', { principal: admin, action: 'dynamodb:CreateBackup', resource: TABLE, resourcePolicy: null, context: NON_PERSONAL }, 'Allowed'],
  );
  test.each(rows)('%s', async (_name, req, expected) => {
    await tableSim.expectDecision(req, expected);
  });
});

describe('4. removing the resource policies', () => {
  const rows: Row[] = [];
  for (const action of ['s3:DeleteBucketPolicy', 's3:PutBucketPolicy']) {
    rows.push(
      [`${action} on a personal bucket denied`, { principal: admin, action, resource: BUCKET, context: PERSONAL, s3BucketAbacEnabled: true }, 'ExplicitlyDenied'],
      [`${action} on a bucket whose tags IAM cannot see (ABAC off) denied: fail closed`, { principal: admin, action, resource: BUCKET }, 'ExplicitlyDenied'],
      [`${action} on a bucket classified non-personal (ABAC on) allowed`, { principal: admin, action, resource: BUCKET, context: NON_PERSONAL, s3BucketAbacEnabled: true }, 'Allowed'],
      [`${action} allowed to the pipeline's CloudFormation role`, { principal: cfnExec, action, resource: BUCKET }, 'Allowed'],
    );
  }
  for (const action of ['dynamodb:DeleteResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:UpdateTimeToLive', 'dynamodb:UpdateTable']) {
    rows.push(
      [`${action} on a personal table denied`, { principal: admin, action, resource: TABLE, context: PERSONAL }, 'ExplicitlyDenied'],
      [`${action} on the DSR audit table (classified personal) denied`, { principal: admin, action, resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Dsr-AuditTable`, context: PERSONAL }, 'ExplicitlyDenied'],
      [`${action} on an untagged table denied (fail closed)`, { principal: admin, action, resource: TABLE }, 'ExplicitlyDenied'],
      [`${action} on a non-personal table allowed`, { principal: admin, action, resource: TABLE, context: NON_PERSONAL }, 'Allowed'],
      [`${action} allowed to break-glass`, { principal: breakGlass, action, resource: TABLE, context: PERSONAL }, 'Allowed'],
    );
  }
  runRows(rows);
});

describe('5. the CDK deployment exemption is scoped to one bootstrap qualifier and declared deployers', () => {
  const execArn = arn(`role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`);
  const deployArn = arn(`role/cdk-hnb659fds-deploy-role-${ACCOUNT}-${REGION}`);
  const rows: Row[] = [
    ['a CloudFormation role of another qualifier is not exempt', { principal: otherQualifierExec, action: 'iam:TagRole', resource: arn('role/x'), context: { 'aws:TagKeys': ['privacy:access'] } }, 'ExplicitlyDenied'],
    ['an administrator cannot assume the deploy role', { principal: admin, action: 'sts:AssumeRole', resource: deployArn }, 'ExplicitlyDenied'],
    ['the declared pipeline assumes the deploy role', { principal: pipeline, action: 'sts:AssumeRole', resource: deployArn }, 'Allowed'],
    ['break-glass assumes the deploy role', { principal: breakGlass, action: 'sts:AssumeRole', resource: deployArn }, 'Allowed'],
    ['an administrator cannot pass the CloudFormation execution role', { principal: admin, action: 'iam:PassRole', resource: execArn }, 'ExplicitlyDenied'],
    ['the deploy role passes the CloudFormation execution role', { principal: deployRole, action: 'iam:PassRole', resource: execArn }, 'Allowed'],
    ['the pipeline passes the CloudFormation execution role', { principal: pipeline, action: 'iam:PassRole', resource: execArn }, 'Allowed'],
    ['an administrator cannot create a change set run by the execution role', { principal: admin, action: 'cloudformation:CreateChangeSet', resource: STACK, context: { 'cloudformation:RoleArn': execArn } }, 'ExplicitlyDenied'],
    ['an administrator cannot update a stack without naming a role (CloudFormation would reuse the stack\'s role)', { principal: admin, action: 'cloudformation:UpdateStack', resource: STACK }, 'ExplicitlyDenied'],
    ['an administrator cannot create a change set without naming a role', { principal: admin, action: 'cloudformation:CreateChangeSet', resource: STACK }, 'ExplicitlyDenied'],
    ['an administrator cannot delete a stack without naming a role', { principal: admin, action: 'cloudformation:DeleteStack', resource: STACK }, 'ExplicitlyDenied'],
    ['an administrator updates a stack with its own role', { principal: admin, action: 'cloudformation:UpdateStack', resource: STACK, context: { 'cloudformation:RoleArn': arn('role/ops-cfn') } }, 'Allowed'],
    ['an administrator creates a new stack with its own credentials', { principal: admin, action: 'cloudformation:CreateStack', resource: STACK }, 'Allowed'],
    ['the deploy role creates the change set run by the execution role', { principal: deployRole, action: 'cloudformation:CreateChangeSet', resource: STACK, context: { 'cloudformation:RoleArn': execArn } }, 'Allowed'],
    ['the pipeline updates a stack', { principal: pipeline, action: 'cloudformation:UpdateStack', resource: STACK }, 'Allowed'],
    ['an administrator cannot take over the pipeline role', { principal: admin, action: 'iam:UpdateAssumeRolePolicy', resource: PIPELINE_ARN }, 'ExplicitlyDenied'],
    ['an administrator cannot take over the deploy role', { principal: admin, action: 'iam:PutRolePolicy', resource: deployArn }, 'ExplicitlyDenied'],
  ];
  runRows(rows);

  describe('GIVEN another qualifier', () => {
    const custom = scpSimulator({ cdkBootstrapQualifier: 'corp2026', deployerPrincipalArns: [PIPELINE_ARN] }).sim;
    runRows([
      ['its CloudFormation role is exempt', { principal: role(`cdk-corp2026-cfn-exec-role-${ACCOUNT}-${REGION}`), action: 'iam:TagRole', resource: arn('role/x'), context: { 'aws:TagKeys': ['privacy:access'] } }, 'Allowed'],
      ['the default qualifier\'s is not', { principal: cfnExec, action: 'iam:TagRole', resource: arn('role/x'), context: { 'aws:TagKeys': ['privacy:access'] } }, 'ExplicitlyDenied'],
      ['its deploy role is kept to the pipeline', { principal: admin, action: 'sts:AssumeRole', resource: arn(`role/cdk-corp2026-deploy-role-${ACCOUNT}-${REGION}`) }, 'ExplicitlyDenied'],
    ], custom);
  });
});

describe('6. the tenant tag and the newer tagging APIs', () => {
  runRows([
    ['an administrator cannot re-tag a role tenant', { principal: admin, action: 'iam:TagRole', resource: arn('role/TenantApp'), context: { 'aws:TagKeys': ['tenant'] } }, 'ExplicitlyDenied'],
    ['nor with Tenant', { principal: admin, action: 'iam:TagRole', resource: arn('role/TenantApp'), context: { 'aws:TagKeys': ['Tenant'] } }, 'ExplicitlyDenied'],
    ['nor remove it', { principal: admin, action: 'iam:UntagRole', resource: arn('role/TenantApp'), context: { 'aws:TagKeys': ['tenant'] } }, 'ExplicitlyDenied'],
    ['nor create a user with it', { principal: admin, action: 'iam:CreateUser', resource: arn('user/x'), context: { 'aws:TagKeys': ['TENANT'] } }, 'ExplicitlyDenied'],
    ['a tenant tag on a table (not a principal) is the owner\'s business', { principal: admin, action: 'dynamodb:TagResource', resource: TABLE, context: { 'aws:TagKeys': ['tenant'] } }, 'Allowed'],
    ['the pipeline tags tenant roles', { principal: cfnExec, action: 'iam:TagRole', resource: arn('role/TenantApp'), context: { 'aws:TagKeys': ['tenant'] } }, 'Allowed'],
  ]);

  describe('TenantSessionPrincipal: the broker may tag sessions with tenant and nothing else', () => {
    const stack = new Stack(new App(), 'Tenants', { env: { account: ACCOUNT, region: REGION } });
    const broker = new iam.Role(stack, 'Broker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const tenantRole = new iam.Role(stack, 'TenantRole', { assumedBy: new TenantSessionPrincipal(broker) });
    const trustSim = IamSimulator.fromStack(stack, { scps: scp.documents.map((d) => JSON.parse(d)) });
    const trust = trustSim.resolve((stack.resolve((tenantRole.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument))) as PolicyDocumentJson;
    const target = trustSim.arnOf({ logicalId: stack.getLogicalId(tenantRole.node.defaultChild as iam.CfnRole) });
    const brokerSession = templateRole(stack.getLogicalId(broker.node.defaultChild as iam.CfnRole), { extraIdentityPolicies: [allowPolicy(['sts:AssumeRole', 'sts:TagSession'])] });
    const other = arnPrincipal(arn('role/Admin'), { identityPolicies: ALL });
    const rows: Row[] = [
      ['the broker assumes the role with a tenant tag', { principal: brokerSession, action: 'sts:AssumeRole', resource: target, context: { 'aws:RequestTag/tenant': 'a', 'aws:TagKeys': ['tenant'] } }, 'Allowed'],
      ['the broker tags the session tenant', { principal: brokerSession, action: 'sts:TagSession', resource: target, context: { 'aws:RequestTag/tenant': 'a', 'aws:TagKeys': ['tenant'] } }, 'Allowed'],
      ['the broker cannot assume the role without a tenant tag', { principal: brokerSession, action: 'sts:AssumeRole', resource: target }, 'ImplicitlyDenied'],
      ['the broker cannot add privacy:access to the session', { principal: brokerSession, action: 'sts:TagSession', resource: target, context: { 'aws:RequestTag/tenant': 'a', 'aws:TagKeys': ['tenant', 'privacy:access'] } }, 'ExplicitlyDenied'],
      ['the broker cannot add another tag', { principal: brokerSession, action: 'sts:TagSession', resource: target, context: { 'aws:RequestTag/tenant': 'a', 'aws:TagKeys': ['tenant', 'team'] } }, 'ImplicitlyDenied'],
      ['the broker cannot use a case variant (Tenant) to override the role\'s tag', { principal: brokerSession, action: 'sts:TagSession', resource: target, context: { 'aws:RequestTag/Tenant': 'b', 'aws:TagKeys': ['Tenant'] } }, 'ImplicitlyDenied'],
      ['another principal cannot assume the role', { principal: other, action: 'sts:AssumeRole', resource: target, context: { 'aws:RequestTag/tenant': 'a', 'aws:TagKeys': ['tenant'] } }, 'ImplicitlyDenied'],
    ];
    test.each(rows)('%s', async (_name, req, expected) => {
      await trustSim.expectDecision({ resourcePolicy: trust, ...req }, expected);
    });
  });
});

describe('7. break-glass name squatting', () => {
  runRows([
    ['CreateRole CDK-CCPA-BREAK-GLASS denied', { principal: admin, action: 'iam:CreateRole', resource: arn('role/CDK-CCPA-BREAK-GLASS') }, 'ExplicitlyDenied'],
    ['CreateRole Cdk-Ccpa-Break-Glass denied', { principal: admin, action: 'iam:CreateRole', resource: arn('role/Cdk-Ccpa-Break-Glass') }, 'ExplicitlyDenied'],
    ['CreateRole under a path denied', { principal: admin, action: 'iam:CreateRole', resource: arn('role/ops/cdk-ccpa-break-glass') }, 'ExplicitlyDenied'],
    ['CreateRole of a case variant of the pipeline role denied', { principal: admin, action: 'iam:CreateRole', resource: arn('role/Release-Pipeline') }, 'ExplicitlyDenied'],
    ['CreateRole app-reader allowed', { principal: admin, action: 'iam:CreateRole', resource: arn('role/app-reader') }, 'Allowed'],
    ['the case variant is not exempt: a squatter gains nothing', { principal: role('CDK-CCPA-BREAK-GLASS'), action: 'cloudtrail:StopLogging', resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org` }, 'ExplicitlyDenied'],
  ]);
});
