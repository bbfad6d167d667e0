/**
 * integ/integ.dsr-api.ts, synthesized: the caller that drives its assertions (integ/dsr-api-caller.ts)
 * may do exactly what the assertions need (IAM simulation of the synthesized template), the tenant
 * roles reach their own tenant only, and the stack with the caller passes the compliance kit with
 * acknowledgements on the integ-only resources only. Needs `npx projen bundle` (the caller's asset).
 */
import { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, TENANT_A, TENANT_B } from '../../integ/integ.dsr-api';
import { OrganizationTrailCoverage } from '../../lib';
import { ComplianceReport, expectCompliant, ORG_TRAIL_ARN, runComplianceKit } from '../kit/compliance';
import { allowPolicy, arnPrincipal, IamSimulator, PolicyDocumentJson, SimPrincipal, templateRole } from '../kit/iam-sim';

const API_ID = 'a1b2c3d4e5';
const ACCOUNT = '111111111111';

describe('GIVEN the DsrApi integ app', () => {
  const built = buildApp();
  const { stack, caller, dsrApi } = built;
  const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnResource);
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  const apiId = logicalId(dsrApi.api);
  const stageId = logicalId(dsrApi.stage);
  const callerRoleId = logicalId(caller.role);
  const tenantRoleId = (tenant: string) => logicalId(caller.tenantRole(tenant));
  // the simulator cannot derive the ids API Gateway assigns: name them
  const sim = IamSimulator.fromStack(stack, { overrides: { resources: { [apiId]: { ref: API_ID }, [stageId]: { ref: 'v1' } } } });
  // API Gateway expands `execute-api:/...` to the API's own ARN when it stores the policy; so does the test
  const apiPolicy = JSON.parse(JSON.stringify(sim.resolve(template.Resources[apiId].Properties.Policy))
    .split('"execute-api:/').join(`"arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/`)) as PolicyDocumentJson;
  const trustOf = (roleId: string) => sim.resolve(template.Resources[roleId].Properties.AssumeRolePolicyDocument) as PolicyDocumentJson;
  const invokeArn = (method: string, path: string, api = API_ID) => `arn:aws:execute-api:us-east-1:${ACCOUNT}:${api}/v1/${method}${path}`;
  const invoke = async (principal: SimPrincipal, method: string, path: string, resourcePolicy: PolicyDocumentJson | null = apiPolicy, api = API_ID) =>
    (await sim.simulate({ principal, action: 'execute-api:Invoke', resource: invokeArn(method, path, api), resourcePolicy })).result;

  describe('the caller\'s role', () => {
    const statements = () => sim.identityPoliciesOf(callerRoleId).policies.flatMap((p) => p.policy.Statement as Array<Record<string, any>>);
    const list = (v: unknown) => (Array.isArray(v) ? v : [v]) as string[];

    test('THEN its policies grant exactly: write its own log group, execute-api:Invoke on this API\'s stage, sts:AssumeRole on the two tenant roles', () => {
      const tenantRoleArns = [TENANT_A, TENANT_B].map((t) => sim.resolve({ 'Fn::GetAtt': [tenantRoleId(t), 'Arn'] }));
      const logGroupArn = sim.resolve({ 'Fn::GetAtt': [logicalId(caller.logGroup), 'Arn'] });

      expect(sim.identityPoliciesOf(callerRoleId).skipped).toEqual([]);
      // one policy: the caller's own managed policy (no inline policy, no default policy, no AWS managed policy)
      expect(sim.identityPoliciesOf(callerRoleId).policies.map((p) => p.name)).toEqual([logicalId(caller.policy)]);
      const roleProps = template.Resources[callerRoleId].Properties;
      expect([roleProps.Policies, roleProps.ManagedPolicyArns]).toEqual([undefined, undefined]);
      expect(statements().map((s) => [s.Effect, list(s.Action).sort(), list(s.Resource).sort(), s.Condition ?? null]).sort()).toEqual([
        ['Allow', ['execute-api:Invoke'], [`arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/v1/*/*`], null],
        ['Allow', ['logs:CreateLogStream', 'logs:PutLogEvents'], [logGroupArn], null],
        ['Allow', ['sts:AssumeRole'], [...tenantRoleArns].sort(), null],
      ].sort());
      // no other role or user gets the caller's policy
      const policy = template.Resources[logicalId(caller.policy)].Properties;
      expect([policy.Users, policy.Groups, sim.resolve(policy.Roles)]).toEqual([undefined, undefined, [sim.ref(callerRoleId)]]);
    });

    test('WHEN it invokes this API THEN its own policy allows every method, another API is not allowed', async () => {
      const self = templateRole(callerRoleId);
      expect(await invoke(self, 'POST', '/tenants/integ/requests', null)).toBe('Allowed');
      expect(await invoke(self, 'GET', '/tenants/integ-other/requests/x', null)).toBe('Allowed');
      expect(await invoke(self, 'POST', '/tenants/integ/requests', null, 'zzzzzzzzzz')).toBe('ImplicitlyDenied');
    });

    test('WHEN it invokes this API with the API\'s resource policy THEN it is refused everywhere: it has no tenant tag', async () => {
      const self = templateRole(callerRoleId);
      for (const [method, path] of [['POST', '/tenants/integ/requests'], ['GET', '/tenants/integ/requests/integ-optout-1'], ['POST', '/tenants/integ-other/requests/x/extension']]) {
        expect([method, path, await invoke(self, method, path)]).toEqual([method, path, 'ExplicitlyDenied']);
      }
    });

    test.each([TENANT_A, TENANT_B])('WHEN it assumes tenant %s\'s role THEN identity and trust policy allow it, but not with session tags (sts:TagSession)', async (tenant) => {
      const roleArn = sim.resolve({ 'Fn::GetAtt': [tenantRoleId(tenant), 'Arn'] }) as string;
      const assume = async (action: string, principal: SimPrincipal = templateRole(callerRoleId)) =>
        (await sim.simulate({ principal, action, resource: roleArn, resourcePolicy: trustOf(tenantRoleId(tenant)) })).result;

      expect(await assume('sts:AssumeRole')).toBe('Allowed');
      expect(await assume('sts:TagSession')).toBe('ImplicitlyDenied');
      // another principal of the account, even one allowed sts:* by its own policy: the trust policy names the caller only
      const admin = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/Admin`, { identityPolicies: [allowPolicy('sts:*')] });
      expect(await assume('sts:AssumeRole', admin)).toBe('ImplicitlyDenied');
      expect((trustOf(tenantRoleId(tenant)).Statement as Array<Record<string, any>>)).toEqual([
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: sim.resolve({ 'Fn::GetAtt': [callerRoleId, 'Arn'] }) } },
      ]);
    });

    test('WHEN it assumes any other role THEN it is not allowed', async () => {
      const d = await sim.simulate({ principal: templateRole(callerRoleId), action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/Admin`, resourcePolicy: null });
      expect(d.result).toBe('ImplicitlyDenied');
    });
  });

  describe('the tenant roles (a session carries the role\'s tenant tag)', () => {
    test('THEN each role is tagged with its tenant', () => {
      for (const tenant of [TENANT_A, TENANT_B]) {
        expect(template.Resources[tenantRoleId(tenant)].Properties.Tags).toEqual([{ Key: 'tenant', Value: tenant }]);
      }
    });

    test.each([
      [TENANT_A, 'POST', '/tenants/integ/requests', 'Allowed'],
      [TENANT_A, 'GET', '/tenants/integ/requests/integ-optout-1', 'Allowed'],
      [TENANT_A, 'POST', '/tenants/integ/requests/integ-extend-1/extension', 'Allowed'],
      [TENANT_A, 'GET', '/tenants/integ-other/requests/integ-optout-1', 'ExplicitlyDenied'],
      [TENANT_A, 'POST', '/tenants/integ/requests/integ-extend-1/confirmation', 'ImplicitlyDenied'],
      [TENANT_B, 'GET', '/tenants/integ-other/requests/integ-optout-1', 'Allowed'],
      [TENANT_B, 'POST', '/tenants/integ-other/requests', 'Allowed'],
      [TENANT_B, 'POST', '/tenants/integ/requests', 'ExplicitlyDenied'],
      [TENANT_B, 'GET', '/tenants/integ/requests/integ-optout-1', 'ExplicitlyDenied'],
    ] as const)('WHEN tenant %s calls %s %s THEN %s', async (tenant, method, path, expected) => {
      expect(await invoke(templateRole(tenantRoleId(tenant)), method, path)).toBe(expected);
    });

    test('WHEN a session of tenant A\'s role could carry a session tag naming tenant B THEN it would reach B (which is why sts:TagSession is not granted)', async () => {
      // the attack the missing TagSession permission closes: session tags override role tags
      expect(await invoke(templateRole(tenantRoleId(TENANT_A), { sessionTags: { tenant: TENANT_B } }), 'GET', '/tenants/integ-other/requests/x')).toBe('Allowed');
    });
  });

  describe('the compliance kit', () => {
    let report: ComplianceReport;
    const kit = buildApp();
    beforeAll(() => {
      // the stores' audit coverage, declared as a member account of the organization would
      new OrganizationTrailCoverage(kit.stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
      // a full synth through five packs and cfn-guard: minutes on a loaded 2-core machine
      report = runComplianceKit(kit.stack);
    }, 600_000);

    test('THEN the stack with the caller is compliant', () => {
      expectCompliant(report);
    });

    test('THEN the integ test acknowledges findings on the caller\'s own resources only, each with its reason', () => {
      const integOnly = report.acknowledgementsUsed.filter((a) => a.path.startsWith(`${stack.node.path}/Caller/`));
      expect(integOnly.map((a) => `${a.id} @ ${a.path.replace(stack.node.path + '/', '')}`).sort()).toEqual([
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiId}>/<${stageId}>/*/*] @ Caller/Policy`,
        'HIPAA.Security-LambdaConcurrency @ Caller/Function/Resource',
        'HIPAA.Security-LambdaDLQ @ Caller/Function/Resource',
        'HIPAA.Security-LambdaInsideVPC @ Caller/Function/Resource',
        'NIST.800.53.R5-LambdaConcurrency @ Caller/Function/Resource',
        'NIST.800.53.R5-LambdaDLQ @ Caller/Function/Resource',
        'NIST.800.53.R5-LambdaInsideVPC @ Caller/Function/Resource',
        'PCI.DSS.321-LambdaInsideVPC @ Caller/Function/Resource',
        'cdk-validator-cfnguard::lambda_inside_vpc_check @ Caller/Function/Resource',
      ]);
      for (const a of integOnly) expect(a.reason.length).toBeGreaterThan(60);
      // nothing acknowledged above a resource: no stack- or app-wide acknowledgement
      expect(report.acknowledgementsUsed.filter((a) => a.path === '' || a.path === stack.node.path)).toEqual([]);
      // the tenant roles need none: DsrApi's grants acknowledge their request-id wildcard in its own policy
      expect(report.acknowledgementsUsed.filter((a) => /\/Caller\/Tenant-/.test(a.path))).toEqual([]);
    });

    test('THEN the caller\'s role and the tenant roles have no finding at all, acknowledged or not, but the one wildcard', () => {
      const onRoles = report.findings.filter((f) => /\/Caller\/(Role|Tenant-[^/]+)\//.test(f.path));
      expect(onRoles).toEqual([]);
    });
  });

});
