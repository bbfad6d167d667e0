/**
 * DsrApi access: IAM simulation of the API resource policy with caller identity policies, of the
 * Requests function's resource policy (the invoke permissions API Gateway gets), and the synthesized
 * request, extension and status models validated against sample bodies (ajv, draft 4 as API Gateway uses).
 */
// ajv 6 validates draft-04 schemas, the dialect of API Gateway models
import Ajv from 'ajv';
import * as draft04 from 'ajv/lib/refs/json-schema-draft-04.json';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DsrApi, DsrWorkflow, PersonalDataBucket, PrivacyTable, TenancyModel } from '../../lib';
import type { RequestStatus } from '../../lib/dsr/handlers/requests.lambda';
import { arnPrincipal, IamSimulator, PolicyDocumentJson, servicePrincipal, templateRole } from '../kit/iam-sim';

const ENV = { account: '111111111111', region: 'us-east-1' };

/** A draft-4 validator, as API Gateway validates models. */
function draft4(schema: object) {
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(draft04);
  return ajv.compile(schema);
}

function scenario(withVpc = false) {
  const stack = new Stack(new App(), 'S', { env: ENV });
  const workflow = new DsrWorkflow(stack, 'Dsr', {
    stores: [new PrivacyTable(stack, 'Customers', { tenancy: TenancyModel.POOLED }), new PersonalDataBucket(stack, 'Documents', { tenancy: TenancyModel.POOLED })],
  });
  const vpcEndpoint = withVpc ? ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Vpce', { vpcEndpointId: 'vpce-0aaaaaaaaaaaaaaaa', port: 443 }) : undefined;
  const api = new DsrApi(stack, 'Api', { workflow, vpcEndpoint });
  const caller = new iam.Role(stack, 'TenantApp', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantSubmit(caller);
  api.grantReadStatus(caller);
  api.grantExtend(caller);
  // a tenant application that may submit and read, not extend
  const reader = new iam.Role(stack, 'TenantReader', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantSubmit(reader);
  api.grantReadStatus(reader);
  // the business's notifier (confirms receipt) and its web tier (forwards opt-out preference signals)
  const notifier = new iam.Role(stack, 'Notifier', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantConfirm(notifier);
  const web = new iam.Role(stack, 'WebTier', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantRecordOptOutSignals(web);
  const template = Template.fromStack(stack).toJSON();
  const apiId = stack.getLogicalId(api.api.node.defaultChild as any);
  const stageId = stack.getLogicalId(api.stage.node.defaultChild as any);
  // the simulator cannot derive the ids API Gateway assigns: name them
  const sim = IamSimulator.fromStack(stack, { overrides: { resources: { [apiId]: { ref: 'a1b2c3d4e5' }, [stageId]: { ref: 'v1' } } } });
  // API Gateway expands `execute-api:/...` to the API's own ARN when it stores the policy; so does the test
  const resourcePolicy = JSON.parse(JSON.stringify(sim.resolve((template.Resources as any)[apiId].Properties.Policy))
    .split('"execute-api:/').join('"arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/')) as PolicyDocumentJson;
  const restApiId = sim.ref(apiId);
  const stage = sim.ref(stageId);
  const arn = (method: string, path: string) => `arn:aws:execute-api:us-east-1:111111111111:${restApiId}/${stage}/${method}${path}`;
  return {
    stack,
    api,
    workflow,
    sim,
    resourcePolicy,
    arn,
    stage,
    template,
    callerId: stack.getLogicalId(caller.node.defaultChild as any),
    readerId: stack.getLogicalId(reader.node.defaultChild as any),
    notifierId: stack.getLogicalId(notifier.node.defaultChild as any),
    webId: stack.getLogicalId(web.node.defaultChild as any),
  };
}

describe('GIVEN a notifier granted grantConfirm and a web tier granted grantRecordOptOutSignals', () => {
  const { sim, resourcePolicy, arn, notifierId, webId } = scenario();
  const invoke = (principal: Parameters<IamSimulator['simulate']>[0]['principal'], method: string, path: string) =>
    sim.simulate({ principal, action: 'execute-api:Invoke', resource: arn(method, path), resourcePolicy });
  const notifier = (tenant?: string) => templateRole(notifierId, tenant ? { sessionTags: { tenant } } : {});
  const web = (tenant?: string) => templateRole(webId, tenant ? { sessionTags: { tenant } } : {});

  test.each([
    ['the notifier confirms its own tenant\'s request', notifier('a'), 'POST', '/tenants/a/requests/req-1/confirmation', 'Allowed'],
    ['the notifier cannot confirm another tenant\'s', notifier('a'), 'POST', '/tenants/b/requests/req-1/confirmation', 'ExplicitlyDenied'],
    ['an untagged notifier confirms nothing', notifier(), 'POST', '/tenants/a/requests/req-1/confirmation', 'ExplicitlyDenied'],
    ['the notifier cannot submit', notifier('a'), 'POST', '/tenants/a/requests', 'ImplicitlyDenied'],
    ['the web tier records its own tenant\'s signals', web('a'), 'POST', '/tenants/a/opt-out-signals', 'Allowed'],
    ['the web tier cannot record another tenant\'s', web('a'), 'POST', '/tenants/b/opt-out-signals', 'ExplicitlyDenied'],
    ['tenant "a" cannot reach tenant "ab"', web('a'), 'POST', '/tenants/ab/opt-out-signals', 'ExplicitlyDenied'],
    ['an untagged web tier records nothing', web(), 'POST', '/tenants/a/opt-out-signals', 'ExplicitlyDenied'],
    ['the web tier cannot read statuses', web('a'), 'GET', '/tenants/a/requests/req-1', 'ImplicitlyDenied'],
  ] as const)('%s', async (_name, principal, method, path, expected) => {
    expect((await invoke(principal, method, path)).result).toBe(expected);
  });
});

describe('GIVEN a DsrApi (IAM) and a tenant application role granted submit, read and extend', () => {
  const { sim, resourcePolicy, arn, callerId, readerId, stage } = scenario();
  const invoke = (principal: Parameters<IamSimulator['simulate']>[0]['principal'], method: string, path: string, context?: Record<string, string>) =>
    sim.simulate({ principal, action: 'execute-api:Invoke', resource: arn(method, path), resourcePolicy, ...(context ? { context } : {}) });

  test('THEN the stage name used in the ARNs is the deployed stage', () => {
    expect(stage).toBe('v1');
  });

  const ownPaths: Array<[string, string]> = [['POST', '/tenants/a/requests'], ['GET', '/tenants/a/requests/req-1'], ['POST', '/tenants/a/requests/req-1/extension']];

  test('WHEN tenant a submits, reads and extends its own request THEN all three are allowed', async () => {
    const a = templateRole(callerId, { sessionTags: { tenant: 'a' } });
    for (const [method, path] of ownPaths) expect([method, path, (await invoke(a, method, path)).result]).toEqual([method, path, 'Allowed']);
  });

  test.each(['b', 'ab', 'A'])('WHEN tenant %s calls tenant a\'s three paths THEN the resource policy denies every one', async (tenant) => {
    // "ab" starts with "a" and "A" differs in case only: another tenant either way
    const other = templateRole(callerId, { sessionTags: { tenant } });
    for (const [method, path] of ownPaths) expect([method, path, (await invoke(other, method, path)).result]).toEqual([method, path, 'ExplicitlyDenied']);
    // and its own paths stay open to it
    expect((await invoke(other, 'POST', `/tenants/${tenant}/requests/req-1/extension`)).result).toBe('Allowed');
  });

  test('WHEN tenant a submits for, reads or extends a request of tenant b THEN the resource policy denies it', async () => {
    const a = templateRole(callerId, { sessionTags: { tenant: 'a' } });
    expect((await invoke(a, 'GET', '/tenants/b/requests/req-1')).result).toBe('ExplicitlyDenied');
    expect((await invoke(a, 'POST', '/tenants/b/requests')).result).toBe('ExplicitlyDenied');
    expect((await invoke(a, 'POST', '/tenants/b/requests/req-1/extension')).result).toBe('ExplicitlyDenied');
    // a prefix of another tenant is another tenant
    expect((await invoke(a, 'GET', '/tenants/ab/requests/req-1')).result).toBe('ExplicitlyDenied');
    expect((await invoke(a, 'POST', '/tenants/ab/requests/req-1/extension')).result).toBe('ExplicitlyDenied');
  });

  test('WHEN a role granted submit and read only extends its own request THEN it is not allowed (grantExtend is needed)', async () => {
    const a = templateRole(readerId, { sessionTags: { tenant: 'a' } });
    expect((await invoke(a, 'GET', '/tenants/a/requests/req-1')).result).toBe('Allowed');
    expect((await invoke(a, 'POST', '/tenants/a/requests/req-1/extension')).result).toBe('ImplicitlyDenied');
  });

  test('WHEN the same role has no tenant tag THEN every call is denied', async () => {
    const untagged = templateRole(callerId);
    for (const [method, path] of ownPaths) expect([method, path, (await invoke(untagged, method, path)).result]).toEqual([method, path, 'ExplicitlyDenied']);
  });

  test('WHEN a tagged principal of the account has execute-api:Invoke on * THEN it still reads only its own tenant', async () => {
    const admin = arnPrincipal('arn:aws:iam::111111111111:role/Admin', {
      tags: { tenant: 'a' },
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:*', Resource: '*' }] }],
    });
    expect((await invoke(admin, 'GET', '/tenants/a/requests/req-1')).result).toBe('Allowed');
    expect((await invoke(admin, 'POST', '/tenants/a/requests/req-1/extension')).result).toBe('Allowed');
    expect((await invoke(admin, 'GET', '/tenants/b/requests/req-1')).result).toBe('ExplicitlyDenied');
    expect((await invoke(admin, 'POST', '/tenants/b/requests/req-1/extension')).result).toBe('ExplicitlyDenied');
  });

  test('WHEN a principal has no identity policy (no grant) THEN it is not allowed, even with the right tag', async () => {
    const nobody = arnPrincipal('arn:aws:iam::111111111111:role/Nobody', { tags: { tenant: 'a' } });
    expect((await invoke(nobody, 'POST', '/tenants/a/requests')).result).toBe('ImplicitlyDenied');
  });

  test('WHEN a role of another account calls with the right tag and its own grant THEN it is not allowed (cross-account needs the resource policy)', async () => {
    const other = arnPrincipal('arn:aws:iam::222222222222:role/Partner', {
      tags: { tenant: 'a' },
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
    });
    expect((await invoke(other, 'POST', '/tenants/a/requests')).result).not.toBe('Allowed');
  });

  test('WHEN a tenant calls a method the API does not have THEN it is denied', async () => {
    const a = templateRole(callerId, { sessionTags: { tenant: 'a' } });
    expect((await invoke(a, 'DELETE', '/tenants/a/requests/req-1')).result).toBe('ExplicitlyDenied');
    expect((await invoke(a, 'GET', '/tenants/a/requests')).result).toBe('ExplicitlyDenied');
    expect((await invoke(a, 'PUT', '/tenants/a/requests/req-1/extension')).result).toBe('ExplicitlyDenied');
  });
});

describe('GIVEN the Requests function\'s resource policy (the permissions LambdaIntegration adds)', () => {
  const { sim, stack, workflow, template, arn } = scenario();
  const fnId = stack.getLogicalId(workflow.requestsFunction.node.defaultChild as any);
  const fnArn = sim.getAtt(fnId, 'Arn');
  // Lambda keeps AWS::Lambda::Permission as statements of the function's policy
  const statements = Object.values(template.Resources as Record<string, any>)
    .filter((r) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }))
    .map((r) => ({
      Effect: 'Allow',
      Principal: { Service: r.Properties.Principal },
      Action: r.Properties.Action,
      Resource: fnArn,
      ...(r.Properties.SourceArn ? { Condition: { ArnLike: { 'AWS:SourceArn': sim.resolve(r.Properties.SourceArn) } } } : {}),
    }));
  const functionPolicy: PolicyDocumentJson = { Version: '2012-10-17', Statement: statements };
  const apiGatewayInvokes = (sourceArn: string) => sim.simulate({
    principal: servicePrincipal('apigateway.amazonaws.com'),
    action: 'lambda:InvokeFunction',
    resource: fnArn,
    resourcePolicy: functionPolicy,
    context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': '111111111111' },
  });
  const testInvoke = (method: string, path: string) => arn(method, path).replace('/v1/', '/test-invoke-stage/');

  test('THEN every permission names API Gateway with a source ARN', () => {
    expect(statements).toHaveLength(5);
    for (const s of statements) expect(s.Condition?.ArnLike['AWS:SourceArn']).toMatch(/^arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5\//);
  });

  test('WHEN API Gateway invokes it for one of this API\'s three methods on its stage THEN it is allowed', async () => {
    for (const [method, path] of [['POST', '/tenants/a/requests'], ['GET', '/tenants/a/requests/req-1'], ['POST', '/tenants/a/requests/req-1/extension']]) {
      expect([method, path, (await apiGatewayInvokes(arn(method, path))).result]).toEqual([method, path, 'Allowed']);
    }
  });

  // issue 12, finding 2: TestInvokeMethod skips the authorizer and the resource policy, so anyone
  // allowed apigateway:POST on the API (PowerUserAccess) could call for any tenant path
  test('ATTACK: WHEN API Gateway test-invokes one of the methods (console TestInvokeMethod) THEN the function policy does not allow it', async () => {
    for (const [method, path] of [['POST', '/tenants/a/requests'], ['GET', '/tenants/b/requests/req-1'], ['POST', '/tenants/b/requests/req-1/extension']]) {
      expect([method, path, (await apiGatewayInvokes(testInvoke(method, path))).result]).toEqual([method, path, 'ImplicitlyDenied']);
    }
  });

  test('WHEN API Gateway invokes it for another API, stage or method THEN it is not allowed', async () => {
    expect((await apiGatewayInvokes('arn:aws:execute-api:us-east-1:111111111111:zzzzzzzzzz/v1/POST/tenants/a/requests')).result).toBe('ImplicitlyDenied');
    expect((await apiGatewayInvokes('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/v2/POST/tenants/a/requests')).result).toBe('ImplicitlyDenied');
    expect((await apiGatewayInvokes(arn('DELETE', '/tenants/a/requests/req-1'))).result).toBe('ImplicitlyDenied');
    expect((await apiGatewayInvokes(arn('GET', '/tenants/a/requests'))).result).toBe('ImplicitlyDenied');
  });
});

describe('GIVEN a private DsrApi', () => {
  const { sim, resourcePolicy, arn, callerId } = scenario(true);
  const a = templateRole(callerId, { sessionTags: { tenant: 'a' } });

  test('WHEN tenant a calls through the API\'s VPC endpoint THEN it is allowed', async () => {
    const d = await sim.simulate({ principal: a, action: 'execute-api:Invoke', resource: arn('POST', '/tenants/a/requests'), resourcePolicy, context: { 'aws:SourceVpce': 'vpce-0aaaaaaaaaaaaaaaa' } });
    expect(d.result).toBe('Allowed');
  });

  test('WHEN it calls through another endpoint or not from a VPC endpoint THEN it is denied', async () => {
    const other = await sim.simulate({ principal: a, action: 'execute-api:Invoke', resource: arn('POST', '/tenants/a/requests'), resourcePolicy, context: { 'aws:SourceVpce': 'vpce-0bbbbbbbbbbbbbbbb' } });
    expect(other.result).toBe('ExplicitlyDenied');
    const none = await sim.simulate({ principal: a, action: 'execute-api:Invoke', resource: arn('POST', '/tenants/a/requests'), resourcePolicy });
    expect(none.result).toBe('ExplicitlyDenied');
  });
});

describe('GIVEN the synthesized request model', () => {
  const { stack, api } = scenario();
  const model = (Template.fromStack(stack).toJSON().Resources as any)[stack.getLogicalId(api.requestModel.node.defaultChild as any)];
  const validate = draft4(model.Properties.Schema);
  const ok = { requestId: 'req-2026-0001', type: 'DELETE', subject: 'jane.doe+test@example.com' };

  test('THEN it is a draft-4 schema for application/json', () => {
    expect(model.Properties.ContentType).toBe('application/json');
    expect(model.Properties.Schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  });

  test.each([
    ['a DELETE', ok],
    ['an ACCESS with receivedAt', { ...ok, type: 'ACCESS', receivedAt: '2026-11-02T10:00:00.000Z' }],
    ['an OPT_OUT', { ...ok, type: 'OPT_OUT' }],
    ['a LIMIT', { ...ok, type: 'LIMIT' }],
    ['a CORRECT with corrections', { ...ok, type: 'CORRECT', corrections: { email: 'new@example.com', age: 41, marketing: false, nickname: null } }],
    ['a subject of 256 characters', { ...ok, subject: 'x'.repeat(256) }],
    ['a requestId of 64 characters (the workflow\'s limit)', { ...ok, requestId: 'r'.repeat(64) }],
    ['a UUID requestId', { ...ok, requestId: '3f2b8c1e-4d5a-4e6f-9a7b-0c1d2e3f4a5b' }],
  ])('WHEN the body is %s THEN it is accepted', (_name, body) => {
    expect([validate(body), validate.errors]).toEqual([true, null]);
  });

  test.each([
    ['an unknown type', { ...ok, type: 'SELL' }],
    ['a lower-case type', { ...ok, type: 'delete' }],
    ['no type', { requestId: ok.requestId, subject: ok.subject }],
    ['no subject', { requestId: ok.requestId, type: 'DELETE' }],
    ['no requestId', { type: 'DELETE', subject: ok.subject }],
    ['an empty subject', { ...ok, subject: '' }],
    ['an oversized subject (257 characters)', { ...ok, subject: 'x'.repeat(257) }],
    ['a subject with "/" (an S3 prefix escape)', { ...ok, subject: '../other/jane' }],
    ['a subject with "#" (a composite key)', { ...ok, subject: 'jane#1' }],
    ['a subject with a quote (JSON injection downstream)', { ...ok, subject: 'jane","tenant":"b' }],
    ['a subject that is not a string', { ...ok, subject: 12345 }],
    ['a requestId of 65 characters (the workflow accepts at most 64)', { ...ok, requestId: 'r'.repeat(65) }],
    ['an empty requestId', { ...ok, requestId: '' }],
    ['a requestId with "."', { ...ok, requestId: 'req.1' }],
    ['a tenant in the body', { ...ok, tenant: 'b' }],
    ['an unknown field', { ...ok, note: 'hello' }],
    ['a receivedAt that is not ISO 8601 UTC', { ...ok, receivedAt: 'yesterday' }],
    ['a CORRECT without corrections', { ...ok, type: 'CORRECT' }],
    ['a CORRECT with empty corrections', { ...ok, type: 'CORRECT', corrections: {} }],
    ['corrections with a DELETE', { ...ok, corrections: { email: 'x@example.com' } }],
    ['a correction of an object value', { ...ok, type: 'CORRECT', corrections: { address: { city: 'x' } } }],
    ['a correction with a bad attribute name', { ...ok, type: 'CORRECT', corrections: { 'a b': 'x' } }],
    ['a correction value over 1,024 characters', { ...ok, type: 'CORRECT', corrections: { bio: 'x'.repeat(1025) } }],
    ['51 corrections', { ...ok, type: 'CORRECT', corrections: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, 'x'])) }],
    ['an array', [ok]],
  ])('WHEN the body has %s THEN it is rejected', (_name, body) => {
    expect(validate(body)).toBe(false);
  });
});

describe('GIVEN the synthesized extension model', () => {
  const { stack, api } = scenario();
  const model = (Template.fromStack(stack).toJSON().Resources as any)[stack.getLogicalId(api.extensionModel.node.defaultChild as any)];
  const validate = draft4(model.Properties.Schema);

  test('THEN it is a draft-4 schema for application/json', () => {
    expect(model.Properties.ContentType).toBe('application/json');
    expect(model.Properties.Schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  });

  test.each([
    ['a short reason', { reason: 'We need more time to locate records across systems.' }],
    ['a reason of 1,000 characters', { reason: 'x'.repeat(1000) }],
    ['a reason with accents and punctuation', { reason: 'Vérification en cours — 2 systèmes; merci (45 jours).' }],
  ])('WHEN the body is %s THEN it is accepted', (_name, body) => {
    expect([validate(body), validate.errors]).toEqual([true, null]);
  });

  test.each([
    ['no reason', {}],
    ['an empty reason', { reason: '' }],
    ['a reason of 1,001 characters', { reason: 'x'.repeat(1001) }],
    ['a reason with a newline', { reason: 'line one\nline two' }],
    ['a reason with a tab', { reason: 'a\treason' }],
    ['a reason with a NUL', { reason: 'a\u0000reason' }],
    ['a reason with DEL', { reason: 'a\u007freason' }],
    ['a reason that is not a string', { reason: 45 }],
    ['a reason of null', { reason: null }],
    ['an unknown field', { reason: 'more time', days: 90 }],
    ['a tenant in the body', { reason: 'more time', tenant: 'b' }],
    ['an array', [{ reason: 'more time' }]],
    ['a string', 'more time'],
  ])('WHEN the body has %s THEN it is rejected', (_name, body) => {
    expect(validate(body)).toBe(false);
  });
});

describe('GIVEN the synthesized status model', () => {
  const { stack, api } = scenario();
  const statusModel = api.api.node.findChild('RequestStatus').node.defaultChild as any;
  const model = (Template.fromStack(stack).toJSON().Resources as any)[stack.getLogicalId(statusModel)];
  const validate = draft4(model.Properties.Schema);
  // what the Requests function answers (typed by the handler: a new field or status fails to compile here or below)
  const answer: RequestStatus = {
    requestId: 'req-1',
    type: 'ACCESS',
    status: 'COMPLETED',
    receivedAt: '2026-11-02T10:00:00.000Z',
    confirmBy: '2026-11-16T10:00:00.000Z',
    dueBy: '2027-02-15T10:00:00.000Z',
    extended: true,
    completedAt: '2026-11-03T10:00:00.000Z',
    execution: 'req-1_r1',
    report: { url: 'https://example.com/report', expiresAt: '2026-11-03T11:00:00.000Z' },
  };
  const statuses: Record<RequestStatus['status'], true> = { RECEIVED: true, IN_PROGRESS: true, AWAITING_RECIPIENTS: true, COMPLETED: true, FAILED: true };
  const types: Record<RequestStatus['type'], true> = { ACCESS: true, DELETE: true, CORRECT: true, OPT_OUT: true, LIMIT: true, OPT_IN: true, UNLIMIT: true };

  test('THEN it accepts every answer of the Requests function, with and without the optional fields', () => {
    expect([validate(answer), validate.errors]).toEqual([true, null]);
    const { completedAt: _c, execution: _e, report: _r, ...minimal } = answer;
    expect([validate(minimal), validate.errors]).toEqual([true, null]);
    for (const status of Object.keys(statuses)) expect([status, validate({ ...answer, status })]).toEqual([status, true]);
    for (const type of Object.keys(types)) expect([type, validate({ ...answer, type })]).toEqual([type, true]);
  });

  test.each([
    ['no dueBy', (({ dueBy: _d, ...rest }) => rest)(answer)],
    ['no extended', (({ extended: _x, ...rest }) => rest)(answer)],
    ['an unknown status', { ...answer, status: 'SUCCEEDED' }],
    ['a subject', { ...answer, subject: 'jane@example.com' }],
    ['corrections', { ...answer, corrections: { email: 'x@example.com' } }],
    ['a report without its expiry', { ...answer, report: { url: 'https://example.com/report' } }],
  ])('WHEN an answer has %s THEN it does not match', (_name, body) => {
    expect(validate(body)).toBe(false);
  });
});
