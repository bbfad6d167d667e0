/**
 * Issue 20 item 2: the MFA statement of EncryptionScp (11 CCR § 7123(c)(1)) under IAM simulation:
 * people without MFA denied (console sessions and access keys), MFA enrolment left open, and the
 * exemptions it needs (workload roles, service-linked roles, break-glass, the deployment roles).
 */
import { App, Stack } from 'aws-cdk-lib';
import { CyberAuditEvidence, EncryptionScp } from '../../lib';
import { MFA_SELF_SERVICE_ACTIONS } from '../../lib/governance/private/scp-statements';
import { expectCompliant } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';
import { allowPolicy, arnPrincipal, IamSimulator, SimRequest, SimResult } from '../kit/iam-sim';

const ACCOUNT = '111111111111';
const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const ALL = [allowPolicy('*')];
const BUCKET = 'arn:aws:s3:::customer-documents/a.txt';

function newStack(): Stack {
  return new Stack(new App(), 'Org', { env: { account: ACCOUNT, region: 'us-east-1' } });
}

function simulatorOf(props: ConstructorParameters<typeof EncryptionScp>[2]): { sim: IamSimulator; scp: EncryptionScp; stack: Stack } {
  const stack = newStack();
  const scp = new EncryptionScp(stack, 'Guardrails', props);
  return { stack, scp, sim: IamSimulator.fromStack(stack, { scps: scp.documents.map((d) => JSON.parse(d)) }) };
}

const alice = arnPrincipal(arn('user/alice'), { identityPolicies: ALL });
const admins = arnPrincipal(arn('role/HumanAdmins'), { identityPolicies: ALL });
const workload = arnPrincipal(arn('role/OrdersFunctionRole'), { identityPolicies: ALL });
const breakGlass = arnPrincipal(arn('role/cdk-ccpa-break-glass'), { identityPolicies: ALL });
const cfnExec = arnPrincipal(arn(`role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`), { identityPolicies: ALL });
const serviceLinked = arnPrincipal(arn('role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForHumanAdminsOps'), { identityPolicies: ALL });

const NO_MFA = { 'aws:MultiFactorAuthPresent': 'false' };
const MFA = { 'aws:MultiFactorAuthPresent': 'true' };

describe('EncryptionScp requireMfaForHumans', () => {
  const { sim, scp } = simulatorOf({ requireMfaForHumans: true, humanPrincipalArns: ['arn:*:iam::*:user/*', 'arn:*:iam::*:role/*HumanAdmins*'] });
  const withoutMfa = simulatorOf({}).sim;

  type Row = [string, SimRequest, SimResult];
  const rows: Row[] = [
    ['an IAM user in a console session without MFA is denied', { principal: alice, action: 's3:GetObject', resource: BUCKET, context: NO_MFA }, 'ExplicitlyDenied'],
    ['an IAM user with long-term access keys (no MFA key at all) is denied', { principal: alice, action: 's3:GetObject', resource: BUCKET, omitContextKeys: ['aws:MultiFactorAuthPresent'] }, 'ExplicitlyDenied'],
    ['an IAM user signed in with MFA is allowed', { principal: alice, action: 's3:GetObject', resource: BUCKET, context: MFA }, 'Allowed'],
    ['an IAM user without MFA may still enrol an MFA device', { principal: alice, action: 'iam:EnableMFADevice', resource: arn('user/alice'), context: NO_MFA }, 'Allowed'],
    ['an IAM user without MFA may get an MFA session', { principal: alice, action: 'sts:GetSessionToken', resource: '*', context: NO_MFA }, 'Allowed'],
    ['an IAM user without MFA cannot create access keys', { principal: alice, action: 'iam:CreateAccessKey', resource: arn('user/alice'), context: NO_MFA }, 'ExplicitlyDenied'],
    ['a named human role without MFA is denied', { principal: admins, action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/customers`, context: NO_MFA }, 'ExplicitlyDenied'],
    ['a named human role with MFA is allowed', { principal: admins, action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/customers`, context: MFA }, 'Allowed'],
    ['a service acting for the person (aws:ViaAWSService) is not denied again', { principal: alice, action: 's3:GetObject', resource: BUCKET, context: { ...NO_MFA, 'aws:ViaAWSService': 'true' } }, 'Allowed'],
    ['a workload role (never MFA) is not matched', { principal: workload, action: 's3:GetObject', resource: BUCKET, context: NO_MFA }, 'Allowed'],
    ['a service-linked role matching a human pattern is exempt', { principal: serviceLinked, action: 's3:GetObject', resource: BUCKET, context: NO_MFA }, 'Allowed'],
    ['the break-glass role is exempt', { principal: breakGlass, action: 's3:GetObject', resource: BUCKET, context: NO_MFA }, 'Allowed'],
    ['the CDK CloudFormation execution role is exempt', { principal: cfnExec, action: 's3:GetObject', resource: BUCKET, context: NO_MFA }, 'Allowed'],
  ];
  test.each(rows)('%s', async (_name, req, expected) => {
    await sim.expectDecision({ resourcePolicy: null, ...req }, expected);
  });

  test('GIVEN no requireMfaForHumans THEN the same request without MFA is allowed (the statement is what denies it)', async () => {
    await withoutMfa.expectDecision({ principal: alice, action: 's3:GetObject', resource: BUCKET, context: NO_MFA, resourcePolicy: null }, 'Allowed');
  });

  test('the statement: NotAction MFA enrolment, BoolIfExists MFA and ViaAWSService, exemptions include service-linked roles', () => {
    const s = scp.documents.flatMap((d) => JSON.parse(d).Statement).find((x: any) => x.Sid === 'RequireMfaForHumans');
    expect(s).toEqual({
      Sid: 'RequireMfaForHumans',
      Effect: 'Deny',
      NotAction: MFA_SELF_SERVICE_ACTIONS,
      Resource: '*',
      Condition: {
        BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false', 'aws:ViaAWSService': 'false' },
        ArnLike: { 'aws:PrincipalARN': ['arn:*:iam::*:user/*', 'arn:*:iam::*:role/*HumanAdmins*'] },
        ArnNotLike: { 'aws:PrincipalARN': [...EncryptionScp.defaultExemptPrincipalArns(), 'arn:*:iam::*:role/aws-service-role/*'] },
      },
    });
    for (const d of scp.documents) expect(d.length).toBeLessThanOrEqual(EncryptionScp.MAX_POLICY_CHARACTERS);
  });

  test('the default human principals are IAM users; without the prop no statement', () => {
    const { scp: byDefault } = simulatorOf({ requireMfaForHumans: true });
    const s = byDefault.documents.flatMap((d) => JSON.parse(d).Statement).find((x: any) => x.Sid === 'RequireMfaForHumans');
    expect(s.Condition.ArnLike).toEqual({ 'aws:PrincipalARN': ['arn:*:iam::*:user/*'] });
    expect(simulatorOf({}).scp.documents.join('')).not.toContain('MultiFactorAuthPresent');
  });

  test('GIVEN human principals that would catch workload roles, or none, or no requireMfaForHumans THEN refused with codes', () => {
    expect(validationErrorOf(() => new EncryptionScp(newStack(), 'G', { requireMfaForHumans: true, humanPrincipalArns: ['arn:*:iam::*:role/*'] })))
      .toMatch(/\[HumanPrincipalArnTooBroad\] humanPrincipalArns entry "arn:\*:iam::\*:role\/\*" matches every role/);
    expect(validationErrorOf(() => new EncryptionScp(newStack(), 'G', { requireMfaForHumans: true, humanPrincipalArns: [] })))
      .toMatch(/\[HumanPrincipalsEmpty\]/);
    expect(validationErrorOf(() => new EncryptionScp(newStack(), 'G', { humanPrincipalArns: ['arn:*:iam::*:user/*'] })))
      .toMatch(/\[HumanPrincipalsWithoutMfa\] humanPrincipalArns is set but requireMfaForHumans is not/);
    expect(validationErrorOf(() => new EncryptionScp(newStack(), 'G', { requireMfaForHumans: true, humanPrincipalArns: ['alice'] })))
      .toMatch(/humanPrincipalArns entry "alice" is not an IAM or STS principal ARN/);
  });

  test('the compliance kit finds nothing, and the evidence sees MFA for humans', () => {
    const stack = newStack();
    new EncryptionScp(stack, 'Guardrails', { requireMfaForHumans: true });
    expectCompliant(stack);
    const evidence = JSON.parse(CyberAuditEvidence.of(stack).renderJson());
    const mfa = evidence.components.find((c: any) => c.number === 1).requirements.find((r: any) => r.id === 'mfa-for-humans');
    expect(mfa.met).toBe(true);
    const without = newStack();
    new EncryptionScp(without, 'Guardrails');
    const none = JSON.parse(CyberAuditEvidence.of(without).renderJson()).components.find((c: any) => c.number === 1).requirements.find((r: any) => r.id === 'mfa-for-humans');
    expect(none.met).toBe(false);
  });
});
