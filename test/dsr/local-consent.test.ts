/**
 * Choices that take effect, Global Privacy Control, confirmation of receipt and tenant-scoped
 * request ids, on the local harness: the real Requests, Intake, Finalize and DeadlineCheck handlers
 * against dynalite and the KMS/EventBridge/Step Functions stand-ins, with the tables as synthesized.
 *
 * The application's side is `lookUp` below: what the README's "Consent lookup" tells an
 * application granted `DsrWorkflow.grantReadConsent` to do (GenerateMac, then GetItem).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LocalDsr } from './local/environment';

const DAY = 86_400_000;
let env: LocalDsr;
let kms: KMSClient;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 0, itemsPerSubject: 2, objectsPerSubject: 1 });
  kms = new KMSClient({ region: 'us-east-1', endpoint: env.aws.url, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());

/** The README's lookup: the pseudonym of `<tenant>\0<id>` (KMS GenerateMac), then the record `<tenant>#<pseudonym>` / CONSENT. */
async function lookUp(tenant: string, id: string): Promise<{ maySellOrShare: boolean; mayUseSensitivePI: boolean }> {
  const mac = await kms.send(new GenerateMacCommand({
    KeyId: env.config.pseudonymKeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(`${tenant}\u0000${id}`, 'utf8'),
  }));
  const pseudonym = Buffer.from(mac.Mac!).toString('base64url');
  const { Item } = await env.ddb.send(new GetItemCommand({
    TableName: env.tables.consent, Key: { pk: { S: `${tenant}#${pseudonym}` }, sk: { S: 'CONSENT' } },
  }));
  const record = Item ? unmarshall(Item) : {};
  return { maySellOrShare: record.saleAndSharing !== 'OPTED_OUT', mayUseSensitivePI: record.sensitiveUse !== 'LIMITED' };
}

const submit = (request: Record<string, unknown>) => env.submit(request);
const ledgerItems = async () => env.scan(env.tables.ledger);
const auditOf = async (requestId: string) => (await env.scan(env.tables.audit)).filter((r) => r.pk === `REQUEST#${requestId}`);
const status = (tenant: string, requestId: string) => env.requests({ action: 'STATUS', tenant, requestId });
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('item 5: opt-outs and limits that take effect', () => {
  test('GIVEN an OPT_OUT with linked ids THEN a lookup by any of them is denied at once; an OPT_IN by one id allows them all again', async () => {
    const linked = ['device-7f3a', 'cookie-19ce'];
    expect(await lookUp('acme', 'cookie-19ce')).toEqual({ maySellOrShare: true, mayUseSensitivePI: true });
    const out = await submit({ requestId: 'oo-linked', type: 'OPT_OUT', tenant: 'acme', subject: 'carol@example.com', linkedSubjects: linked });
    // in effect when the Requests function answers: before any execution ran
    expect(out.result).toMatchObject({ status: 'RECEIVED', honored: true, display: 'Opt-Out Request Honored' });
    for (const id of ['carol@example.com', ...linked]) expect(await lookUp('acme', id)).toMatchObject({ maySellOrShare: false });
    // per tenant: the same id in another tenant is another consumer
    expect(await lookUp('globex', 'carol@example.com')).toMatchObject({ maySellOrShare: true });

    const back = await submit({ requestId: 'oi-carol', type: 'OPT_IN', tenant: 'acme', subject: 'carol@example.com' });
    expect(back.result).toMatchObject({ honored: true });
    expect(back.result).not.toHaveProperty('display');
    for (const id of ['carol@example.com', ...linked]) expect(await lookUp('acme', id)).toMatchObject({ maySellOrShare: true });
    // recorded and audited, with no identifier: the ledger keeps pseudonyms of the linked ids only
    const request = (await ledgerItems()).find((r) => r.pk === 'REQUEST#oo-linked')!;
    expect(request.linkedSubjectIds).toHaveLength(2);
    expect(JSON.stringify(request.linkedSubjectIds)).not.toMatch(/device|cookie/);
    expect((await auditOf('oi-carol')).find((r) => r.outcome === 'RECEIVED')?.detail).toMatchObject({ type: 'OPT_IN', consentIds: 3, consentSuperseded: 0 });
    const consent = await env.scan(env.tables.consent);
    expect(JSON.stringify(consent)).not.toMatch(/carol@|device-7f3a|cookie-19ce/);
  });

  test('GIVEN a LIMIT then an UNLIMIT THEN sensitive use is limited, then allowed; sale and sharing untouched', async () => {
    await submit({ requestId: 'lim-1', type: 'LIMIT', tenant: 'acme', subject: 'erin@example.com' });
    expect(await lookUp('acme', 'erin@example.com')).toEqual({ maySellOrShare: true, mayUseSensitivePI: false });
    await submit({ requestId: 'unlim-1', type: 'UNLIMIT', tenant: 'acme', subject: 'erin@example.com' });
    expect(await lookUp('acme', 'erin@example.com')).toEqual({ maySellOrShare: true, mayUseSensitivePI: true });
  });

  test('GIVEN an OPT_IN received before an OPT_OUT but applied after it THEN the later OPT_OUT stands', async () => {
    await submit({ requestId: 'late-oo', type: 'OPT_OUT', tenant: 'acme', subject: 'frank@example.com', receivedAt: ago(1) });
    await submit({ requestId: 'early-oi', type: 'OPT_IN', tenant: 'acme', subject: 'frank@example.com', receivedAt: ago(2) });
    expect(await lookUp('acme', 'frank@example.com')).toMatchObject({ maySellOrShare: false });
    expect((await auditOf('early-oi')).find((r) => r.outcome === 'RECEIVED')?.detail).toMatchObject({ consentIds: 1, consentSuperseded: 1 });
  });

  test('GIVEN a link added later THEN the choice reaches the earlier group too (withdrawn by the new id)', async () => {
    await submit({ requestId: 'grp-1', type: 'OPT_OUT', tenant: 'acme', subject: 'gina@example.com', linkedSubjects: ['gina-phone'] });
    await submit({ requestId: 'grp-2', type: 'OPT_OUT', tenant: 'acme', subject: 'gina-laptop', linkedSubjects: ['gina@example.com'] });
    await submit({ requestId: 'grp-3', type: 'OPT_IN', tenant: 'acme', subject: 'gina-laptop' });
    for (const id of ['gina@example.com', 'gina-phone', 'gina-laptop']) expect(await lookUp('acme', id)).toMatchObject({ maySellOrShare: true });
  });

  test('GIVEN the consent write fails after the ledger write THEN the caller\'s retry applies it, audited once', async () => {
    // every SDK attempt of the consent write fails: the function fails after recording the request
    env.ddbProxy.inject({ operation: 'UpdateItem', times: 3, kind: 'error500', match: (body) => body.includes(env.tables.consent) });
    await expect(submit({ requestId: 'retry-oo', type: 'OPT_OUT', tenant: 'acme', subject: 'hank@example.com' })).rejects.toBeDefined();
    expect(await lookUp('acme', 'hank@example.com')).toMatchObject({ maySellOrShare: true });
    expect((await ledgerItems()).find((r) => r.pk === 'REQUEST#retry-oo')).not.toHaveProperty('honoredAt');
    env.ddbProxy.reset();
    const again = await submit({ requestId: 'retry-oo', type: 'OPT_OUT', tenant: 'acme', subject: 'hank@example.com' });
    expect(again.result).toMatchObject({ honored: true });
    expect(await lookUp('acme', 'hank@example.com')).toMatchObject({ maySellOrShare: false });
    expect((await auditOf('retry-oo')).filter((r) => r.outcome === 'RECEIVED')).toEqual([expect.objectContaining({ detail: expect.objectContaining({ consentIds: 1 }) })]);
  });

  test.each([
    ['with ACCESS', { type: 'ACCESS', linkedSubjects: ['x-1'] }, /linkedSubjects are only accepted with types/],
    ['repeated', { type: 'OPT_OUT', linkedSubjects: ['x-1', 'x-1'] }, /must not repeat/],
    ['with a "#"', { type: 'OPT_OUT', linkedSubjects: ['a#b'] }, /each linkedSubjects entry/],
    ['too many', { type: 'OPT_OUT', linkedSubjects: Array.from({ length: 21 }, (_, i) => `id-${i}`) }, /at most 20/],
  ])('GIVEN linkedSubjects %s THEN refused, nothing recorded', async (_what, extra, message) => {
    const before = (await ledgerItems()).length;
    await expect(submit({ requestId: 'bad-linked', tenant: 'acme', subject: 'ivy@example.com', ...extra })).rejects.toMatchObject({ name: 'DsrInvalidRequestError', message: expect.stringMatching(message) });
    expect((await ledgerItems()).length).toBe(before);
  });

  test('GIVEN the execution of a choice runs THEN it completes with nothing more to do, and the choice still stands', async () => {
    const run = await env.run({ requestId: 'oo-run', type: 'OPT_OUT', tenant: 'acme', subject: 'jack@example.com' });
    expect(run.status).toBe('SUCCEEDED');
    expect(await status('acme', 'oo-run')).toMatchObject({ status: 'COMPLETED', honored: true, display: 'Opt-Out Request Honored' });
    expect(await lookUp('acme', 'jack@example.com')).toMatchObject({ maySellOrShare: false });
  });
});

describe('item 4: Global Privacy Control', () => {
  const IAM = { identity: { userArn: 'arn:aws:sts::111111111111:assumed-role/acme-web/session' } };
  const signal = (tenant: string, body: unknown, headers: Record<string, string> = {}) => ({
    httpMethod: 'POST', resource: '/tenants/{tenant}/opt-out-signals', pathParameters: { tenant }, requestContext: IAM, headers, body: JSON.stringify(body),
  });

  test('GIVEN Sec-GPC: 1 for a browser id THEN an OPT_OUT is recorded without verification, honored, due in 15 business days; the same id again is the same request', async () => {
    const res = await env.requests(signal('acme', { subject: 'browser-5c1d' }, { 'Sec-GPC': '1' }));
    expect(res.statusCode).toBe(202);
    const answer = JSON.parse(res.body);
    expect(answer).toMatchObject({ type: 'OPT_OUT', honored: true, display: 'Opt-Out Request Honored', extended: false });
    expect(answer.requestId).toMatch(/^gpc-[A-Za-z0-9_-]{43}$/);
    expect(answer).not.toHaveProperty('confirmBy');
    expect(res.body).not.toContain('browser-5c1d');
    expect(await lookUp('acme', 'browser-5c1d')).toMatchObject({ maySellOrShare: false });
    const items = () => ledgerItems().then((all) => all.filter((r) => r.pk === `REQUEST#${answer.requestId}`));
    expect(await items()).toEqual([expect.objectContaining({ source: 'GPC', type: 'OPT_OUT' })]);
    expect((await auditOf(answer.requestId)).find((r) => r.outcome === 'RECEIVED')?.detail).toMatchObject({ source: 'GPC', consentIds: 1 });

    const again = await env.requests(signal('acme', { subject: 'browser-5c1d' }, { 'sec-gpc': '1' }));
    expect(JSON.parse(again.body)).toMatchObject({ requestId: answer.requestId, receivedAt: answer.receivedAt });
    expect(await items()).toHaveLength(1);
    // STATUS answers whether it was honored (11 CCR 7025(c))
    const get = { httpMethod: 'GET', resource: '/tenants/{tenant}/requests/{requestId}', pathParameters: { tenant: 'acme', requestId: answer.requestId }, requestContext: IAM, body: null };
    expect(JSON.parse((await env.requests(get)).body)).toMatchObject({ honored: true, display: 'Opt-Out Request Honored' });
  });

  test('GIVEN a signal the caller forwards ({ gpc: true }) THEN recorded; GIVEN no signal THEN 400, nothing recorded', async () => {
    expect(await env.requests(signal('acme', { subject: 'browser-77aa', gpc: true }))).toMatchObject({ statusCode: 202 });
    const before = (await ledgerItems()).length;
    expect(await env.requests(signal('acme', { subject: 'browser-88bb' }))).toMatchObject({ statusCode: 400 });
    expect(await env.requests(signal('acme', { subject: 'browser-88bb' }, { 'Sec-GPC': '0' }))).toMatchObject({ statusCode: 400 });
    expect(await env.requests(signal('acme', { subject: 'bad/id', gpc: true }))).toMatchObject({ statusCode: 400 });
    expect((await ledgerItems()).length).toBe(before);
  });

  test('GIVEN the same browser id in two tenants THEN two requests, one per tenant', async () => {
    const a = JSON.parse((await env.requests(signal('acme', { subject: 'browser-dual', gpc: true }))).body);
    const g = JSON.parse((await env.requests(signal('globex', { subject: 'browser-dual', gpc: true }))).body);
    expect(a.requestId).not.toBe(g.requestId);
  });
});

describe('item 3: confirmation that means something', () => {
  const dueEvents = () => env.aws.events.filter((e) => e.DetailType === 'DSR Confirmation Due');

  test('GIVEN a know/delete/correct request THEN "DSR Confirmation Due" says what to tell the consumer, no identifier; confirmedAt waits for the notifier', async () => {
    const before = dueEvents().length;
    const submitted = await submit({ requestId: 'conf-1', type: 'DELETE', tenant: 'acme', subject: 'kate@example.com' });
    expect(submitted.result).not.toHaveProperty('confirmedAt');
    const events = dueEvents().slice(before);
    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({
      requestId: 'conf-1',
      tenant: 'acme',
      type: 'DELETE',
      confirmBy: submitted.result.confirmBy,
      respondBy: submitted.result.dueBy,
      processing: expect.stringMatching(/verifies the consumer's identity.*deletes/),
    });
    expect(JSON.stringify(events[0])).not.toContain('kate@example.com');
    expect((await ledgerItems()).find((r) => r.pk === 'REQUEST#conf-1')).not.toHaveProperty('confirmedAt');

    const confirmed = await env.requests({ action: 'CONFIRM', tenant: 'acme', requestId: 'conf-1' });
    expect(Date.parse(confirmed.confirmedAt)).toBeGreaterThan(0);
    const again = await env.requests({ action: 'CONFIRM', tenant: 'acme', requestId: 'conf-1' });
    expect(again.confirmedAt).toBe(confirmed.confirmedAt);
    expect((await auditOf('conf-1')).filter((r) => r.step === 'Confirm')).toEqual([expect.objectContaining({ outcome: 'CONFIRMED', detail: expect.objectContaining({ late: false }) })]);
    // another tenant cannot confirm it: the answer of a missing request
    await expect(env.requests({ action: 'CONFIRM', tenant: 'globex', requestId: 'conf-1' })).rejects.toMatchObject({ name: 'DsrNotFoundError' });
  });

  test('GIVEN an unconfirmed request near business day 10 THEN the deadline check warns; once confirmed THEN it does not', async () => {
    await submit({ requestId: 'conf-late', type: 'ACCESS', tenant: 'acme', subject: 'liam@example.com', receivedAt: ago(11) });
    const warned = async () => {
      const from = env.aws.events.length;
      await env.checkDeadlines();
      return env.aws.events.slice(from).filter((e) => (e.Detail as any).requestId === 'conf-late').map((e) => (e.Detail as any).deadline);
    };
    expect(await warned()).toContain('CONFIRMATION');
    await env.requests({ action: 'CONFIRM', tenant: 'acme', requestId: 'conf-late' });
    expect(await warned()).not.toContain('CONFIRMATION');
  });

  test('GIVEN an OPT_OUT THEN no confirmation event, and CONFIRM is refused (no confirmation step)', async () => {
    const before = dueEvents().length;
    await submit({ requestId: 'conf-oo', type: 'OPT_OUT', tenant: 'acme', subject: 'mia@example.com' });
    expect(dueEvents().length).toBe(before);
    await expect(env.requests({ action: 'CONFIRM', tenant: 'acme', requestId: 'conf-oo' })).rejects.toMatchObject({ name: 'DsrConflictError', message: expect.stringMatching(/no confirmation step/) });
  });

  test('GIVEN the API route THEN POST .../confirmation records it', async () => {
    await submit({ requestId: 'conf-api', type: 'CORRECT', tenant: 'acme', subject: 'noah@example.com', corrections: { city: 'Fresno' } });
    const res = await env.requests({
      httpMethod: 'POST',
      resource: '/tenants/{tenant}/requests/{requestId}/confirmation',
      pathParameters: { tenant: 'acme', requestId: 'conf-api' },
      requestContext: { identity: { userArn: 'arn:aws:sts::111111111111:assumed-role/acme-notifier/s' } },
      body: null,
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).confirmedAt).toBeDefined();
  });
});

describe('issue 12 finding 6: request ids are scoped per tenant', () => {
  test('GIVEN an id acme used WHEN globex submits the same id THEN a new request of globex, answered like an unused id; each tenant sees its own', async () => {
    const a = await submit({ requestId: 'shared-id', type: 'DELETE', tenant: 'acme', subject: 'olga@example.com' });
    const unused = await submit({ requestId: 'fresh-id', type: 'ACCESS', tenant: 'globex', subject: 'pete@example.com' });
    const events = env.aws.events.length;
    const g = await submit({ requestId: 'shared-id', type: 'ACCESS', tenant: 'globex', subject: 'pete@example.com' });
    // the business's notifier still finds its own id: the event names both
    expect(env.aws.events.slice(events).map((e) => e.Detail)).toEqual([
      expect.objectContaining({ requestId: expect.stringMatching(/^[A-Za-z0-9_-]{72}$/), clientRequestId: 'shared-id', tenant: 'globex' }),
    ]);
    expect(g.result).toMatchObject({ requestId: 'shared-id', type: 'ACCESS', status: 'RECEIVED', execution: 'shared-id_r1' });
    expect(Object.keys(g.result).sort()).toEqual(Object.keys(unused.result).sort());
    expect(g.started).toBeDefined();
    expect(await status('acme', 'shared-id')).toMatchObject({ type: 'DELETE', receivedAt: a.result.receivedAt });
    expect(await status('globex', 'shared-id')).toMatchObject({ type: 'ACCESS', receivedAt: g.result.receivedAt });
    // globex again: idempotent, the same request
    const again = await submit({ requestId: 'shared-id', type: 'ACCESS', tenant: 'globex', subject: 'pete@example.com' });
    expect(again.result.receivedAt).toBe(g.result.receivedAt);
    expect((await ledgerItems()).filter((r) => r.type && (r.clientRequestId ?? r.requestId) === 'shared-id')).toHaveLength(2);
    // a different request of globex under its id: 409 about globex's own request only
    await expect(submit({ requestId: 'shared-id', type: 'DELETE', tenant: 'globex', subject: 'pete@example.com' })).rejects.toMatchObject({ name: 'DsrConflictError' });
    // the scoped execution runs end to end
    const run = await env.runExecution(g.started!.name);
    expect(run.status).toBe('SUCCEEDED');
    expect(await status('globex', 'shared-id')).toMatchObject({ status: 'COMPLETED' });
    expect(await status('acme', 'shared-id')).toMatchObject({ status: 'RECEIVED' });
  });

  test('GIVEN the API THEN another tenant reusing an id gets 202, never 409', async () => {
    const IAM = { identity: { userArn: 'arn:aws:sts::111111111111:assumed-role/portal/session' } };
    const post = (tenant: string, body: unknown) => ({ httpMethod: 'POST', resource: '/tenants/{tenant}/requests', pathParameters: { tenant }, requestContext: IAM, body: JSON.stringify(body) });
    expect(await env.requests(post('acme', { requestId: 'api-shared', type: 'OPT_OUT', subject: 'quinn@example.com' }))).toMatchObject({ statusCode: 202 });
    const other = await env.requests(post('globex', { requestId: 'api-shared', type: 'DELETE', subject: 'rose@example.com' }));
    expect(other.statusCode).toBe(202);
    expect(JSON.parse(other.body)).toMatchObject({ requestId: 'api-shared', type: 'DELETE' });
  });
});
