/**
 * End to end, locally: the synthesized state machine definition runs in aws-local-stepfunctions,
 * its tasks bound to the real handlers, against dynalite and s3rver on 127.0.0.1 (plus KMS and
 * EventBridge stand-ins). 10,360 items, 3 subjects in 2 tenants ("alice" exists in both).
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { LocalDsr, SUBJECTS } from './local/environment';

const [ALICE, BOB, GLOBEX_ALICE] = SUBJECTS;
let env: LocalDsr;

beforeAll(async () => { env = await LocalDsr.start({ fillerItems: 10_000, itemsPerSubject: 120, objectsPerSubject: 15 }); }, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => {
  env.ddbProxy.reset();
  env.s3Proxy.reset();
  env.wrap = (_s, run) => run();
  env.applyEnv();
});

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}

async function ledger(requestId: string): Promise<Record<string, any> | undefined> {
  return (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');
}

/** Nothing after Intake may carry the raw identifier: state payloads, audit records, log lines, events. */
async function expectNoRawIdentifier(run: { events: any[] }, requestId: string, subject: string): Promise<void> {
  const afterIntake = run.events.filter((e) => e.state && !['CheckInput', 'Intake'].includes(e.state.name));
  expect(afterIntake.length).toBeGreaterThan(0);
  for (const e of afterIntake) {
    expect(JSON.stringify(e.state.output ?? null)).not.toContain(subject);
    if (e.state.name !== 'RecordFailure') expect(JSON.stringify(e.state.input)).not.toContain(subject);
  }
  expect(JSON.stringify(await auditOf(requestId))).not.toContain(subject);
  expect(env.logLines.join('\n')).not.toContain(subject);
  expect(JSON.stringify(env.aws.events)).not.toContain(subject);
}

describe('DELETE', () => {
  let run: Awaited<ReturnType<LocalDsr['run']>>;
  beforeAll(async () => {
    env.logLines = [];
    expect(await env.itemsOf(ALICE.tenant, ALICE.subject)).toBe(120);
    run = await env.run({ requestId: 'delete-alice', type: 'DELETE', ...ALICE });
  });

  test('GIVEN a subject with items and objects WHEN DELETE runs THEN nothing of the subject is left', async () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ requestId: 'delete-alice', status: 'COMPLETED', stores: 2 });
    expect(await env.itemsOf(ALICE.tenant, ALICE.subject)).toBe(0);
    expect(await env.objectsOf(ALICE.tenant, ALICE.subject)).toBe(0);
  });

  test('THEN every other subject, the same subject id in another tenant included, is untouched', async () => {
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(120);
    expect(await env.itemsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(120);
    expect(await env.objectsOf(BOB.tenant, BOB.subject)).toBe(15);
    expect(await env.objectsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(15);
    const all = await env.scan(env.tables.customers);
    expect(all.length).toBe(10_000 + 2 * 120);
  });

  test('THEN the audit table has a record for every step, deletion verified per store', async () => {
    const steps = (await auditOf('delete-alice')).map((r) => `${r.step}:${r.outcome}${r.store ? `:${r.store}` : ''}`).sort();
    expect(steps).toEqual([
      'Delete:SUCCEEDED:Local/Customers', 'Delete:SUCCEEDED:Local/Documents',
      'Finalize:COMPLETED', 'Intake:RECEIVED',
      'Verify:VERIFIED:Local/Customers', 'Verify:VERIFIED:Local/Documents',
    ]);
  });

  test('THEN a tombstone (pseudonym, stores, time) is written and the ledger is closed with its deadlines', async () => {
    const items = await env.scan(env.tables.ledger);
    const request = items.find((r) => r.pk === 'REQUEST#delete-alice')!;
    expect(request).toMatchObject({ status: 'COMPLETED', type: 'DELETE', tenant: 'acme' });
    expect(request.open).toBeUndefined();
    expect(Date.parse(request.dueBy) - Date.parse(request.receivedAt)).toBe(45 * 86_400_000);
    expect(Date.parse(request.extendedDueBy) - Date.parse(request.receivedAt)).toBe(90 * 86_400_000);
    const tombstone = items.find((r) => r.pk === 'TOMBSTONE#acme')!;
    expect(tombstone).toMatchObject({ sk: request.subjectId, requestId: 'delete-alice', stores: ['Local/Customers', 'Local/Documents'] });
    expect(items.filter((r) => String(r.sk).startsWith('CURSOR#'))).toEqual([]);
  });

  test('THEN a completion event names the request and pseudonym, for service providers', () => {
    const events = env.aws.events.filter((e: any) => e.Detail.requestId === 'delete-alice');
    expect(events.map((e: any) => [e.Source, e.DetailType])).toEqual([['cdk-ccpa.dsr', 'DSR Request Completed']]);
  });

  test('THEN no raw identifier appears after Intake: state payloads, audit records, log lines, events', async () => {
    await expectNoRawIdentifier(run, 'delete-alice', ALICE.subject);
  });

  test('WHEN the same request runs again THEN it reports completion and repeats nothing', async () => {
    env.ddbProxy.reset();
    const again = await env.run({ requestId: 'delete-alice', type: 'DELETE', ...ALICE });
    expect(again.status).toBe('SUCCEEDED');
    expect(again.output).toMatchObject({ alreadyCompleted: true });
    expect(env.ddbProxy.counts.BatchWriteItem).toBeUndefined();
    expect((await auditOf('delete-alice')).filter((r) => r.outcome === 'ALREADY_COMPLETED')).toHaveLength(1);
  });
});

describe('ACCESS, CORRECT, OPT_OUT, LIMIT', () => {
  test('ACCESS writes one portable report of every store, with an expiring link in the ledger', async () => {
    const run = await env.run({ requestId: 'access-bob', type: 'ACCESS', ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    const request = (await ledger('access-bob'))!;
    expect(request.exportKey).toBe(`exports/${request.subjectId}/access-bob/report.json`);
    expect(request.exportUrl).toMatch(/X-Amz-Expires=3600/);
    const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: request.exportKey }));
    const report = JSON.parse(await got.Body!.transformToString());
    expect(report.format).toBe('cdk-ccpa/dsr-access-report@1');
    const byStore = Object.fromEntries(report.stores.map((s: any) => [s.store, s.records]));
    expect(byStore['Local/Customers']).toHaveLength(120);
    expect(byStore['Local/Customers'].every((r: any) => r.subjectId === 'acme#bob@example.com')).toBe(true);
    expect(byStore['Local/Documents']).toHaveLength(15);
    await expectNoRawIdentifier(run, 'access-bob', BOB.subject);
    // the data itself is untouched
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(120);
  });

  test('CORRECT updates the subject\'s items, never keys or the subject attribute, and skips opaque objects', async () => {
    const run = await env.run({ requestId: 'correct-globex-alice', type: 'CORRECT', ...GLOBEX_ALICE, corrections: { city: 'Berkeley', subjectId: 'x', pk: 'x' } });
    expect(run.status).toBe('SUCCEEDED');
    const items = (await env.scan(env.tables.customers)).filter((i) => i.subjectId === 'globex#alice@example.com');
    expect(items).toHaveLength(120);
    expect(items.every((i) => i.city === 'Berkeley')).toBe(true);
    const others = (await env.scan(env.tables.customers)).filter((i) => i.subjectId === 'acme#bob@example.com');
    expect(others.every((i) => i.city === 'Oakland')).toBe(true);
    const steps = (await auditOf('correct-globex-alice')).map((r) => `${r.step}:${r.outcome}`).sort();
    expect(steps).toEqual(['Correct:SKIPPED', 'Correct:SUCCEEDED', 'Finalize:COMPLETED', 'Intake:RECEIVED']);
  });

  test.each([['OPT_OUT', 'optedOutOfSaleAndSharing'], ['LIMIT', 'limitedUseOfSensitivePI']])('%s records the choice in the consent records, keyed by pseudonym', async (type, attribute) => {
    const run = await env.run({ requestId: `consent-${type}`, type, ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    const request = (await ledger(`consent-${type}`))!;
    const consent = (await env.scan(env.tables.ledger)).find((r) => r.pk === 'CONSENT#acme' && r.sk === request.subjectId)!;
    expect(consent[attribute]).toBe(true);
    expect(JSON.stringify(consent)).not.toContain(BOB.subject);
    expect((await auditOf(`consent-${type}`)).map((r) => r.step).sort()).toEqual(['Finalize', 'Intake']);
  });
});

describe('faults', () => {
  test('GIVEN throttling and BatchWriteItem UnprocessedItems WHEN DELETE runs THEN it still deletes everything', async () => {
    env.applyEnv({ dynamoPageSize: 50, maxPagesPerInvocation: 1 });
    env.ddbProxy.inject(
      { operation: 'Query', times: 4, kind: 'throttle' },
      { operation: 'BatchWriteItem', after: 1, times: 5, kind: 'unprocessed' },
    );
    const run = await env.run({ requestId: 'delete-bob-faults', type: 'DELETE', ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    expect(env.ddbProxy.injected).toBe(9);
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(0);
    expect(await env.objectsOf(BOB.tenant, BOB.subject)).toBe(0);
    const audit = await auditOf('delete-bob-faults');
    // 120 items in pages of 50, one page per invocation: the loop and the ledger cursor are exercised
    expect(audit.filter((r) => r.step === 'Delete' && r.outcome === 'PROGRESS' && r.store === 'Local/Customers').length).toBeGreaterThanOrEqual(2);
    expect(audit.filter((r) => r.outcome === 'VERIFIED')).toHaveLength(2);
  });

  test('GIVEN a handler that crashes mid-way (after its deletes, before replying) THEN the retry completes the request', async () => {
    let crashes = 0;
    env.wrap = async (state, run) => {
      const out = await run();
      if (state === 'StoreStep' && crashes === 0) {
        crashes++;
        throw Object.assign(new Error('the process exited before returning'), { name: 'Runtime.ExitError' });
      }
      return out;
    };
    const run = await env.run({ requestId: 'delete-globex-crash', type: 'DELETE', ...GLOBEX_ALICE });
    expect(crashes).toBe(1);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.events.filter((e) => e.type === 'StateRetried').length).toBeGreaterThanOrEqual(1);
    expect(await env.itemsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(0);
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(0); // deleted above
    expect((await auditOf('delete-globex-crash')).filter((r) => r.outcome === 'VERIFIED')).toHaveLength(2);
  });

  test('GIVEN a store that keeps failing THEN the execution fails, recorded per store and as a request, with a failure event; a re-run completes it', async () => {
    env.ddbProxy.inject({ operation: 'Query', times: 1_000, kind: 'error500' });
    const failed = await env.run({ requestId: 'access-retry', type: 'ACCESS', ...ALICE });
    expect(failed.status).toBe('FAILED');
    expect(failed.events.find((e) => e.type === 'ExecutionFailed')?.Error).toBe('DsrRequestFailed');
    expect((await ledger('access-retry'))!.status).toBe('FAILED');
    const audit = await auditOf('access-retry');
    expect(audit.filter((r) => r.step === 'StoreStep' && r.outcome === 'FAILED').map((r) => r.store)).toEqual(['Local/Customers']);
    expect(audit.filter((r) => r.step === 'Finalize' && r.outcome === 'FAILED')).toHaveLength(1);
    expect(env.aws.events.filter((e: any) => e.Detail.requestId === 'access-retry').map((e: any) => e.DetailType)).toEqual(['DSR Request Failed']);
    expect(JSON.stringify(audit)).not.toContain(ALICE.subject);

    env.ddbProxy.reset();
    const rerun = await env.run({ requestId: 'access-retry', type: 'ACCESS', ...ALICE });
    expect(rerun.status).toBe('SUCCEEDED');
    expect((await ledger('access-retry'))!).toMatchObject({ status: 'COMPLETED', attempts: 2 });
  });

  test('GIVEN an invalid request THEN it fails, is recorded and announced, without echoing the input', async () => {
    const run = await env.run({ requestId: 'bad-1', type: 'DELETE', tenant: 'acme', subject: 'has/slash@example.com' });
    expect(run.status).toBe('FAILED');
    const audit = await auditOf('bad-1');
    expect(audit.map((r) => [r.step, r.outcome, r.detail.error])).toEqual([['Finalize', 'FAILED', 'DsrInvalidRequestError']]);
    expect(JSON.stringify(audit)).not.toContain('has/slash');
    const noId = await env.run({ type: 'DELETE' });
    expect(noId.status).toBe('FAILED');
  });

  test('GIVEN the same request id for a different subject THEN it is refused', async () => {
    const run = await env.run({ requestId: 'delete-alice', type: 'DELETE', ...BOB });
    expect(run.status).toBe('FAILED');
    expect((await ledger('delete-alice'))!.status).toBe('COMPLETED');
  });
});

test('the export parts and report live under the pseudonym prefix only', async () => {
  const out = await env.s3.send(new ListObjectsV2Command({ Bucket: env.config.exportBucket }));
  for (const o of out.Contents ?? []) {
    expect(o.Key).toMatch(/^exports\/[A-Za-z0-9_-]{43}\/[a-z-]+\//);
  }
});
