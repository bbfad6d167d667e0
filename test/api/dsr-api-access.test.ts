/**
 * DsrApi access: IAM simulation of the API resource policy with caller identity policies, and the
 * synthesized request model validated against sample bodies (ajv, draft 4 as API Gateway uses).
 */
// ajv 6 validates draft-04 schemas, the dialect of API Gateway models
import Ajv from 'ajv';
import * as draft04 from 'ajv/lib/refs/json-schema-draft-04.json';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DsrApi, DsrWorkflow, PersonalDataBucket, PrivacyTable } from '../../lib';
import { arnPrincipal, IamSimulator, PolicyDocumentJson, templateRole } from '../kit/iam-sim';

const ENV = { account: '111111111111', region: 'us-east-1' };

function scenario(withVpc = false) {
  const stack = new Stack(new App(), 'S', { env: ENV });
  const workflow = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'Customers'), new PersonalDataBucket(stack, 'Documents')] });
  const vpcEndpoint = withVpc ? ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Vpce', { vpcEndpointId: 'vpce-0aaaaaaaaaaaaaaaa', port: 443 }) : undefined;
  const api = new DsrApi(stack, 'Api', { workflow, vpcEndpoint });
  const caller = new iam.Role(stack, 'TenantApp', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantSubmit(caller);
  api.grantReadStatus(caller);
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
  return { stack, api, workflow, sim, resourcePolicy, arn, callerId: stack.getLogicalId(caller.node.defaultChild as any), stage };
}

describe('GIVEN a DsrApi (IAM) and a tenant application role granted submit and read', () => {
  const { sim, resourcePolicy, arn, callerId, stage } = scenario();
  const invoke = (principal: Parameters<IamSimulator['simulate']>[0]['principal'], method: string, path: string, context?: Record<string, string>) =>
    sim.simulate({ principal, action: 'execute-api:Invoke', resource: arn(method, path), resourcePolicy, ...(context ? { context } : {}) });

  test('THEN the stage name used in the ARNs is the deployed stage', () => {
    expect(stage).toBe('v1');
  });

  test('WHEN tenant a submits and reads its own request THEN both are allowed', async () => {
    const a = templateRole(callerId, { sessionTags: { tenant: 'a' } });
    expect((await invoke(a, 'POST', '/tenants/a/requests')).result).toBe('Allowed');
    expect((await invoke(a, 'GET', '/tenants/a/requests/req-1')).result).toBe('Allowed');
  });

  test('WHEN tenant a submits for or reads the status of tenant b THEN the resource policy denies it', async () => {
    const a = templateRole(callerId, { sessionTags: { tenant: 'a' } });
    expect((await invoke(a, 'GET', '/tenants/b/requests/req-1')).result).toBe('ExplicitlyDenied');
    expect((await invoke(a, 'POST', '/tenants/b/requests')).result).toBe('ExplicitlyDenied');
    // a prefix of another tenant is another tenant
    expect((await invoke(a, 'GET', '/tenants/ab/requests/req-1')).result).toBe('ExplicitlyDenied');
  });

  describe('the integration role and the encrypted state machine', () => {
    const { api: a, workflow: wf, stack: st, sim: s } = scenario();
    const role = templateRole(st.getLogicalId(a.integrationRole.node.defaultChild as any));
    const key = { logicalId: st.getLogicalId(wf.encryptionKey.node.defaultChild as any) };
    const smArn = `arn:aws:states:us-east-1:111111111111:stateMachine:${(wf.stateMachine.node.defaultChild as any).stateMachineName}`;
    const viaStates = { 'kms:ViaService': 'states.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:states:stateMachineArn': smArn };

    test('WHEN API Gateway starts an execution THEN StartExecution and the KMS calls Step Functions makes for it are allowed', async () => {
      await s.expectDecision({ principal: role, action: 'states:StartExecution', resource: smArn, resourcePolicy: null }, 'Allowed');
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        await s.expectDecision({ principal: role, action, resource: key, context: viaStates }, 'Allowed');
      }
    });

    test('WHEN it reads a status THEN DescribeExecution is allowed and it cannot read the execution history', async () => {
      const execution = `arn:aws:states:us-east-1:111111111111:execution:${(wf.stateMachine.node.defaultChild as any).stateMachineName}:acme_r-1`;
      await s.expectDecision({ principal: role, action: 'states:DescribeExecution', resource: execution, resourcePolicy: null }, 'Allowed');
      await s.expectDecision({ principal: role, action: 'states:GetExecutionHistory', resource: execution, resourcePolicy: null }, 'ImplicitlyDenied');
    });

    test('WHEN it calls KMS directly or for another state machine THEN it is denied', async () => {
      await s.expectDecision({ principal: role, action: 'kms:Decrypt', resource: key }, 'ImplicitlyDenied');
      await s.expectDecision({ principal: role, action: 'kms:Decrypt', resource: key, context: { ...viaStates, 'kms:EncryptionContext:aws:states:stateMachineArn': `${smArn.replace(/-Requests$/, '-Replay')}` } }, 'ImplicitlyDenied');
      await s.expectDecision({ principal: role, action: 'states:StartExecution', resource: smArn.replace(/-Requests$/, '-Replay'), resourcePolicy: null }, 'ImplicitlyDenied');
    });
  });

  test('WHEN the same role has no tenant tag THEN every call is denied', async () => {
    const untagged = templateRole(callerId);
    expect((await invoke(untagged, 'POST', '/tenants/a/requests')).result).toBe('ExplicitlyDenied');
    expect((await invoke(untagged, 'GET', '/tenants/a/requests/req-1')).result).toBe('ExplicitlyDenied');
  });

  test('WHEN a tagged principal of the account has execute-api:Invoke on * THEN it still reads only its own tenant', async () => {
    const admin = arnPrincipal('arn:aws:iam::111111111111:role/Admin', {
      tags: { tenant: 'a' },
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:*', Resource: '*' }] }],
    });
    expect((await invoke(admin, 'GET', '/tenants/a/requests/req-1')).result).toBe('Allowed');
    expect((await invoke(admin, 'GET', '/tenants/b/requests/req-1')).result).toBe('ExplicitlyDenied');
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
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(draft04);
  const validate = ajv.compile(model.Properties.Schema);
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
    ['a subject with a quote (template injection)', { ...ok, subject: 'jane","tenant":"b' }],
    ['a subject that is not a string', { ...ok, subject: 12345 }],
    ['a requestId of 49 characters (execution names are at most 80)', { ...ok, requestId: 'r'.repeat(49) }],
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
