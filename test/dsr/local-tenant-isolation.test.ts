/**
 * Tenant isolation of the DSR plane, end to end on the local stand-ins, tried as an attacker with
 * one tenant's credentials would (issue 12). The SaaS layout: a pooled table and a pooled bucket,
 * and a sensitive silo bucket `Kyc` that belongs to tenant `acme` alone (its keys carry no tenant:
 * `subjects/{subject}/`). "alice@example.com" is a subject of both acme and globex.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { LocalDsr, SUBJECTS } from './local/environment';
import { StoreConfig } from '../../lib/dsr/handlers/shared/model';
import { handler as storeStep } from '../../lib/dsr/handlers/store-step.lambda';

const [ALICE, , GLOBEX_ALICE] = SUBJECTS;
let env: LocalDsr;
let kyc: StoreConfig;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 200, itemsPerSubject: 5, objectsPerSubject: 3, kycTenant: 'acme' });
  kyc = env.config.stores.find((s: StoreConfig) => s.path === 'Local/Kyc');
}, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());
beforeEach(async () => {
  // acme's alice's KYC documents (re-seeded: a test may delete them)
  for (let i = 0; i < 4; i++) {
    await env.s3.send(new PutObjectCommand({ Bucket: kyc.name, Key: `subjects/${ALICE.subject}/passport-${i}.json`, Body: '{"doc":"acme kyc"}', ContentType: 'application/json' }));
  }
});

async function kycObjects(): Promise<number> {
  const out = await env.s3.send(new ListObjectsV2Command({ Bucket: kyc.name, Prefix: `subjects/${ALICE.subject}/` }));
  return out.KeyCount ?? 0;
}

async function reportOf(requestId: string): Promise<Record<string, any>> {
  const request = (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST')!;
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: request.exportKey }));
  return JSON.parse(await got.Body!.transformToString());
}

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}

describe('a silo store of one declared tenant (finding 1)', () => {
  test('the construct describes the owner to the handlers', () => {
    expect(kyc).toMatchObject({ tenancy: 'silo', siloTenant: 'acme', prefixTemplate: 'subjects/{subject}/' });
    expect(env.config.stores.filter((s: StoreConfig) => s.path !== 'Local/Kyc').every((s: StoreConfig) => s.tenancy === 'pooled')).toBe(true);
  });

  test('ATTACK: globex ACCESS for a subject id acme also has gets no acme KYC document in its report', async () => {
    const run = await env.run({ requestId: 'globex-access-alice', type: 'ACCESS', ...GLOBEX_ALICE });
    expect(run.status).toBe('SUCCEEDED');
    const report = await reportOf('globex-access-alice');
    const stores = report.stores.map((s: any) => s.store);
    expect(stores).not.toContain('Local/Kyc');
    expect(JSON.stringify(report)).not.toContain('acme kyc');
    expect(JSON.stringify(report)).not.toContain('passport');
    const intake = (await auditOf('globex-access-alice')).find((r) => r.step === 'Intake');
    expect(intake?.detail.stores).toBe(2);
  });

  test('ATTACK: globex DELETE for that subject id leaves acme\'s KYC documents alone', async () => {
    const run = await env.run({ requestId: 'globex-delete-alice', type: 'DELETE', ...GLOBEX_ALICE });
    expect(run.status).toBe('SUCCEEDED');
    expect(await kycObjects()).toBe(4);
    expect(await env.objectsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(0);
    expect(await env.objectsOf(ALICE.tenant, ALICE.subject)).toBe(3);
  });

  test('ATTACK: a StoreStep task on acme\'s silo for a globex request (crafted Map item) is refused and audited', async () => {
    const submitted = await env.submit({ requestId: 'globex-crafted', type: 'DELETE', ...GLOBEX_ALICE });
    const request = (await env.scan(env.tables.ledger)).find((r) => r.pk === 'REQUEST#globex-crafted' && r.sk === 'REQUEST')!;
    expect(submitted.started).toBeDefined();
    const out = await env.capture(() => storeStep({
      requestId: 'globex-crafted', type: 'DELETE', tenant: 'acme', pseudonym: request.subjectId, store: kyc.id, phase: 'START',
    }));
    expect(out).toMatchObject({ done: true });
    expect(await kycObjects()).toBe(4);
    const refused = (await auditOf('globex-crafted')).filter((r) => r.outcome === 'REFUSED');
    expect(refused).toEqual([expect.objectContaining({ step: 'Store', store: 'Local/Kyc' })]);
  });

  test('the owner\'s own requests still reach the silo: ACCESS reports it, DELETE empties it', async () => {
    const access = await env.run({ requestId: 'acme-access-alice', type: 'ACCESS', ...ALICE });
    expect(access.status).toBe('SUCCEEDED');
    const byStore = Object.fromEntries((await reportOf('acme-access-alice')).stores.map((s: any) => [s.store, s.records]));
    expect(byStore['Local/Kyc']).toHaveLength(4);
    const del = await env.run({ requestId: 'acme-delete-alice', type: 'DELETE', ...ALICE });
    expect(del.status).toBe('SUCCEEDED');
    expect(await kycObjects()).toBe(0);
  });
});

describe('the API way in (findings 1, 2)', () => {
  const event = (requestContext: Record<string, unknown>, tenant = 'globex') => ({
    httpMethod: 'GET',
    resource: '/tenants/{tenant}/requests/{requestId}',
    pathParameters: { tenant, requestId: 'acme-access-alice' },
    requestContext,
    body: null,
  });
  const iamCaller = { stage: 'v1', apiId: 'iamapi', identity: { userArn: 'arn:aws:sts::111111111111:assumed-role/TenantApp/s' } };

  test('ATTACK: a console test invocation (test-invoke-stage, no authorizer) is refused', async () => {
    const out = await env.requests(event({ ...iamCaller, stage: 'test-invoke-stage' }, 'acme'));
    expect(out.statusCode).toBe(403);
  });

  test('ATTACK: with a Cognito API in front, a call through it without the tenant claim is refused, never served', async () => {
    const viaCognito = { ...iamCaller, apiId: 'cognitoapi' };
    for (const ids of ['cognitoapi', 'otherapi,cognitoapi', undefined]) {
      env.applyEnv({}, { DSR_TENANT_CLAIM: 'custom:tenant', DSR_COGNITO_API_IDS: ids });
      expect((await env.requests(event(viaCognito, 'acme'))).statusCode).toBe(403);
      expect((await env.requests(event({ ...viaCognito, authorizer: {} }, 'acme'))).statusCode).toBe(403);
      expect((await env.requests(event({ ...viaCognito, authorizer: { claims: null } }, 'acme'))).statusCode).toBe(403);
      expect((await env.requests(event({ ...viaCognito, authorizer: { claims: { 'custom:tenant': 'globex' } } }, 'acme'))).statusCode).toBe(403);
    }
    // claims on a call through the IAM API of the same workflow are not the IAM identity's: refused
    env.applyEnv({}, { DSR_TENANT_CLAIM: 'custom:tenant', DSR_COGNITO_API_IDS: 'cognitoapi' });
    expect((await env.requests(event({ ...iamCaller, identity: {}, authorizer: { claims: { 'custom:tenant': 'acme' } } }, 'acme'))).statusCode).toBe(403);
  });

  test('ATTACK: a tenant path outside the tenant id syntax (nesting, wildcards) is refused', async () => {
    for (const tenant of ['acme/x', 'acme#x', '*', 'a.b', '']) {
      expect((await env.requests(event(iamCaller, tenant))).statusCode).toBe(403);
    }
  });

  test('ATTACK: a workflow with an organization store (SILO, no tenant) answers no API call', async () => {
    env.applyEnv({ stores: env.config.stores.map((s: StoreConfig) => (s.id === kyc.id ? { ...s, siloTenant: undefined } : s)) });
    const out = await env.requests(event({ ...iamCaller, authorizer: undefined }, 'acme'));
    expect(out.statusCode).toBe(403);
  });

  test('the legitimate calls still work: IAM caller, and Cognito caller whose claim is the path tenant', async () => {
    await env.submit({ requestId: 'acme-status', type: 'OPT_OUT', ...ALICE });
    const ok = { ...event(iamCaller, 'acme'), pathParameters: { tenant: 'acme', requestId: 'acme-status' } };
    expect((await env.requests(ok)).statusCode).toBe(200);
    env.applyEnv({}, { DSR_TENANT_CLAIM: 'custom:tenant', DSR_COGNITO_API_IDS: 'cognitoapi' });
    const cognito = { ...ok, requestContext: { stage: 'v1', apiId: 'cognitoapi', identity: {}, authorizer: { claims: { 'custom:tenant': 'acme' } } } };
    expect((await env.requests(cognito)).statusCode).toBe(200);
    // the IAM API in front of the same workflow still serves its callers
    expect((await env.requests(ok)).statusCode).toBe(200);
  });
});
