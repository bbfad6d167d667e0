/**
 * The DsrWorkflow under injected faults (issue 14), locally: the real handlers in the synthesized
 * state machine (aws-local-stepfunctions) against dynalite and s3rver, faults injected into the
 * AWS requests the handlers make (throttled past the SDK's retries, so Step Functions retries the task).
 */
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { LocalDsr, SUBJECTS } from './local/environment';
import { dynamoOperation, FaultProxy } from './local/stand-ins';
import { shardedIndexValue } from '../../lib/dsr/handlers/shared/model';

const [ALICE, BOB, GLOBEX_ALICE] = SUBJECTS;
let env: LocalDsr;
let events: FaultProxy;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 200, itemsPerSubject: 120, objectsPerSubject: 15 });
  events = await new FaultProxy(env.aws.url, dynamoOperation).start();
}, 120_000);
afterAll(async () => {
  await events?.close();
  await env?.close();
});
beforeEach(() => {
  // small pages: a request takes several StoreStep invocations, so a retry can land between them
  env.applyEnv({ dynamoPageSize: 10, maxPagesPerInvocation: 3 });
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = events.url;
});
afterEach(() => {
  events.reset();
  env.reset();
});

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}

async function ledger(requestId: string): Promise<Record<string, any> | undefined> {
  return (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');
}

/** The report of an ACCESS request: per store, the records. */
async function reportOf(requestId: string): Promise<Record<string, any[]>> {
  const request = (await ledger(requestId))!;
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: request.exportKey }));
  const report = JSON.parse(await got.Body!.transformToString());
  return Object.fromEntries(report.stores.map((s: any) => [s.store, s.records]));
}

/** Each record of the subject exactly once: `n` records, `n` distinct keys. */
function expectExactlyOnce(records: any[] | undefined, keyOf: (r: any) => string, n: number): void {
  expect(records).toBeDefined();
  expect(new Set(records!.map(keyOf)).size).toBe(n);
  expect(records).toHaveLength(n);
}

/** An audit record's PutObject of one step, outcome and store (the SDK tries 3 times: `times` 3 reaches the handler once). */
function auditWrite(step: string, outcome: string, store: string) {
  return (body: string) => body.includes(`"step":"${step}","outcome":"${outcome}","store":"${store}"`);
}

const itemKey = (r: any) => `${r.pk}|${r.sk}`;
const objectKey = (r: any) => JSON.stringify(r);

describe('finding 1: an ACCESS report holds every record exactly once, whatever retries happened', () => {
  test('GIVEN the progress audit write is throttled once WHEN StoreStep is retried THEN no page is lost', async () => {
    // the second invocation's progress record: its retry resumes from the cursor saved just before
    env.s3Proxy.inject({ operation: 'PUT Object', after: 1, times: 3, kind: 'throttle', match: auditWrite('Export', 'PROGRESS', 'Local/Customers') });
    const run = await env.run({ requestId: 'access-progress-throttled', type: 'ACCESS', ...ALICE });
    expect(env.s3Proxy.injected).toBe(3);
    expect(run.status).toBe('SUCCEEDED');
    const report = await reportOf('access-progress-throttled');
    expectExactlyOnce(report['Local/Customers'], itemKey, 120);
    expectExactlyOnce(report['Local/Documents'], objectKey, 15);
    const completed = (await auditOf('access-progress-throttled')).filter((r) => r.step === 'Finalize' && r.outcome === 'COMPLETED');
    expect(completed.map((r) => r.detail.records)).toEqual([135]);
  });

  test('GIVEN the last audit write of a store is throttled once WHEN StoreStep is retried THEN no record is duplicated', async () => {
    env.s3Proxy.inject({ operation: 'PUT Object', times: 3, kind: 'throttle', match: auditWrite('Export', 'SUCCEEDED', 'Local/Customers') });
    env.s3Proxy.inject({ operation: 'ListObjects', after: 2, times: 3, kind: 'error500' });
    const run = await env.run({ requestId: 'access-final-throttled', type: 'ACCESS', ...BOB });
    // the 3 throttled attempts at the audit record (the listing fault finds no third listing to hit)
    expect(env.s3Proxy.injected).toBe(3);
    expect(run.status).toBe('SUCCEEDED');
    const report = await reportOf('access-final-throttled');
    expectExactlyOnce(report['Local/Customers'], itemKey, 120);
    expectExactlyOnce(report['Local/Documents'], objectKey, 15);
    const completed = (await auditOf('access-final-throttled')).filter((r) => r.step === 'Finalize' && r.outcome === 'COMPLETED');
    expect(completed.map((r) => r.detail.records)).toEqual([135]);
  });

  test('GIVEN a failed attempt left parts behind AND the subject has fewer records now WHEN re-run THEN the report holds only the records that exist', async () => {
    // the table fails after some pages were exported (the bucket completes)
    env.ddbProxy.inject({ operation: 'Query', after: 4, times: 1_000, kind: 'error500' });
    const failed = await env.run({ requestId: 'access-leftovers', type: 'ACCESS', ...GLOBEX_ALICE });
    expect(failed.status).toBe('FAILED');
    env.ddbProxy.reset();
    // meanwhile, 100 of the subject's 120 items are gone
    for (let i = 20; i < 120; i++) {
      await env.ddb.send(new DeleteItemCommand({
        TableName: env.tables.customers,
        Key: { pk: { S: `globex#alice@example.com#${i}` }, sk: { S: `EVENT#${i}` } },
      }));
    }
    expect(await env.itemsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(20);
    const rerun = await env.run({ requestId: 'access-leftovers', type: 'ACCESS', ...GLOBEX_ALICE });
    expect(rerun.status).toBe('SUCCEEDED');
    const report = await reportOf('access-leftovers');
    expectExactlyOnce(report['Local/Customers'], itemKey, 20);
    expectExactlyOnce(report['Local/Documents'], objectKey, 15);
    const completed = (await auditOf('access-leftovers')).filter((r) => r.step === 'Finalize' && r.outcome === 'COMPLETED');
    expect(completed.map((r) => r.detail.records)).toEqual([35]);
  });
});

describe('finding 2: the completion event is delivered at least once, and ledger and audit agree', () => {
  const completedEvents = (requestId: string) => env.aws.events.filter((e: any) => e.Detail.requestId === requestId && e.DetailType === 'DSR Request Completed');

  test('GIVEN EventBridge throttles the completion event past every retry THEN the request stays COMPLETED with the event pending, and the daily check delivers it once', async () => {
    events.inject({ operation: 'PutEvents', times: 1_000, kind: 'throttle', match: (b) => b.includes('DSR Request Completed') });
    const run = await env.run({ requestId: 'optout-event-lost', type: 'OPT_OUT', ...BOB });
    expect(events.injected).toBeGreaterThan(3);
    expect((await ledger('optout-event-lost'))!).toMatchObject({ status: 'COMPLETED' });
    const audit = await auditOf('optout-event-lost');
    // one completion, no failure: the audit says what the ledger says
    expect(audit.filter((r) => r.step === 'Finalize').map((r) => r.outcome)).toEqual(['COMPLETED']);
    expect(env.aws.events.filter((e: any) => e.Detail.requestId === 'optout-event-lost').map((e: any) => e.DetailType)).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.events.some((e) => e.type === 'StateEntered' && e.state?.name === 'CompletedEventPending')).toBe(true);
    expect((await ledger('optout-event-lost'))!.outbox).toBeDefined();

    events.reset();
    await env.checkDeadlines();
    const delivered = completedEvents('optout-event-lost');
    expect(delivered).toHaveLength(1);
    expect(delivered[0].Detail).toMatchObject({ requestId: 'optout-event-lost', type: 'OPT_OUT', idempotencyKey: 'optout-event-lost#COMPLETED' });
    // the pending event was recorded when the execution gave up, its delivery when the check made it
    expect((await auditOf('optout-event-lost')).filter((r) => r.step === 'Outbox').map((r) => r.outcome).sort()).toEqual(['PUBLISHED', 'WARNED']);
    expect((await ledger('optout-event-lost'))!.outbox).toBeUndefined();
    // drained: the next check sends nothing again
    await env.checkDeadlines();
    expect(completedEvents('optout-event-lost')).toHaveLength(1);
    expect(JSON.stringify(env.aws.events)).not.toContain(BOB.subject);
  });

  test('GIVEN EventBridge throttles once THEN Finalize\'s retry delivers the event, one completion audit record', async () => {
    events.inject({ operation: 'PutEvents', times: 3, kind: 'throttle', match: (b) => b.includes('DSR Request Completed') });
    const run = await env.run({ requestId: 'limit-event-retried', type: 'LIMIT', ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    expect(completedEvents('limit-event-retried')).toHaveLength(1);
    const audit = await auditOf('limit-event-retried');
    expect(audit.filter((r) => r.step === 'Finalize').map((r) => r.outcome)).toEqual(['COMPLETED']);
    expect((await ledger('limit-event-retried'))!.outbox).toBeUndefined();
  });
});

describe('finding 6: a DELETE that fails part-way still leaves a tombstone', () => {
  test('GIVEN the bucket\'s deletes keep failing WHEN DELETE runs THEN the table is emptied, the request fails, and a partial tombstone is recorded for the replay', async () => {
    await env.seedSubject('globex', 'carol@example.com', 30, 3);
    env.s3Proxy.inject({ operation: 'DeleteObjects', times: 1_000, kind: 'error500' });
    const run = await env.run({ requestId: 'delete-partial', type: 'DELETE', tenant: 'globex', subject: 'carol@example.com' });
    expect(run.status).toBe('FAILED');
    expect(await env.itemsOf('globex', 'carol@example.com')).toBe(0);
    expect(await env.objectsOf('globex', 'carol@example.com')).toBe(3);
    const request = (await ledger('delete-partial'))!;
    expect(request.status).toBe('FAILED');
    const tombstone = (await env.scan(env.tables.ledger)).find((r) => r.pk === 'TOMBSTONE#globex' && r.sk === request.subjectId);
    expect(tombstone).toMatchObject({ requestId: 'delete-partial', partial: true, tombstone: shardedIndexValue('TOMBSTONE', 'delete-partial') });
  });
});
