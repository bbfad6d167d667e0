/**
 * Deadline warnings and tombstone replay, locally: requests submitted through the real Requests
 * function, the real DeadlineCheck handler and the synthesized replay state machine
 * (aws-local-stepfunctions, tasks bound to the real handlers) against dynalite and s3rver on
 * 127.0.0.1, with the KMS/EventBridge/Step Functions stand-ins.
 */
import { BatchWriteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalDsr, SUBJECTS } from './local/environment';
import { INDEX_SHARDS } from '../../lib/dsr/handlers/shared/model';

const [ALICE, BOB, GLOBEX_ALICE] = SUBJECTS;
const DAY = 86_400_000;
let env: LocalDsr;

beforeAll(async () => { env = await LocalDsr.start({ fillerItems: 2_000, itemsPerSubject: 120, objectsPerSubject: 15 }); }, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());

async function auditWhere(pk: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.pk === pk);
}

describe('deadline check', () => {
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  let result: Awaited<ReturnType<LocalDsr['checkDeadlines']>>;
  let warnings: any[];
  let requests: Record<string, number>;
  let auditPuts: number;

  beforeAll(async () => {
    env.logLines = [];
    // submitted (recorded, their executions started) and still open: the stand-in's executions are never run here
    const open = async (requestId: string, days: number, who: { tenant: string; subject: string } = BOB, type = 'ACCESS') => {
      const submitted = await env.submit({ requestId, type, ...who, receivedAt: ago(days) });
      expect(submitted.started?.name).toBe(`${requestId}_r1`);
      // know/delete/correct: the business's notifier confirmed receipt (what CONFIRM records), at once
      if (type === 'ACCESS') {
        await env.ddb.send(new UpdateItemCommand({
          TableName: env.tables.ledger,
          Key: { pk: { S: `REQUEST#${requestId}` }, sk: { S: 'REQUEST' } },
          UpdateExpression: 'SET confirmedAt = :t',
          ExpressionAttributeValues: { ':t': { S: ago(days) } },
        }));
      }
    };
    await open('dl-fresh', 2);
    await open('dl-approaching', 42); // due in 3 days
    await open('dl-passed', 50); // due 5 days ago
    await open('dl-extended', 50); // extended: due in 40 days
    await open('dl-extended-near', 87, GLOBEX_ALICE); // extended: due in 3 days
    await open('dl-unconfirmed', 10, ALICE); // receipt not confirmed: 10 business days run out within the window
    await open('dl-optout-near', 17, ALICE, 'OPT_OUT'); // 15 business days (19 to 21 calendar days) run out in 2 to 4 days
    await open('dl-limit-later', 10, BOB, 'LIMIT'); // due in 10 or 11 days: read, not warned, and no confirmation owed
    const set = (requestId: string, expression: string, values?: Record<string, any>) => env.ddb.send(new UpdateItemCommand({
      TableName: env.tables.ledger, Key: { pk: { S: `REQUEST#${requestId}` }, sk: { S: 'REQUEST' } }, UpdateExpression: expression, ExpressionAttributeValues: values,
    }));
    // extensions recorded 40 days ago, while the requests were within their 45 days (EXTEND refuses them now)
    await set('dl-extended', 'SET extendedAt = :t', { ':t': { S: ago(40) } });
    await set('dl-extended-near', 'SET extendedAt = :t', { ':t': { S: ago(40) } });
    await set('dl-unconfirmed', 'REMOVE confirmedAt');
    // a completed request long past its deadline is not open: the sparse index does not hold it
    const done = await env.run({ requestId: 'dl-completed', type: 'OPT_OUT', ...BOB, receivedAt: ago(60) });
    expect(done.status).toBe('SUCCEEDED');
    expect((await auditWhere('REQUEST#dl-completed')).map((r) => `${r.step}:${r.outcome}`).sort()).toEqual(['Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED']);
    // and 500 closed requests and tombstones the check must never read
    const closed = Array.from({ length: 500 }, (_, i) => {
      const Item = {
        pk: { S: i % 2 ? `REQUEST#closed-${i}` : 'TOMBSTONE#acme' },
        sk: { S: i % 2 ? 'REQUEST' : `pseudonym-${i}` },
        status: { S: 'COMPLETED' },
        receivedAt: { S: ago(100) },
        dueBy: { S: ago(55) },
        subjectId: { S: `pseudonym-${i}` },
      };
      return { PutRequest: { Item } };
    });
    for (let i = 0; i < closed.length; i += 25) {
      await env.ddb.send(new BatchWriteItemCommand({ RequestItems: { [env.tables.ledger]: closed.slice(i, i + 25) } }));
    }

    env.ddbProxy.reset();
    env.s3Proxy.reset();
    env.aws.events.length = 0;
    result = await env.checkDeadlines();
    requests = { ...env.ddbProxy.counts };
    auditPuts = env.s3Proxy.puts.filter((p) => p.path.startsWith(`/${env.tables.audit}/`)).length;
    warnings = env.aws.events.filter((e: any) => String(e.DetailType).startsWith('DSR Deadline'));
  });

  test('GIVEN open requests at various deadlines WHEN the check runs THEN exactly the ones within the window or past it are warned', () => {
    const byRequest = Object.fromEntries(warnings.map((e: any) => [e.Detail.requestId, [e.DetailType, e.Detail.deadline]]));
    expect(byRequest).toEqual({
      'dl-approaching': ['DSR Deadline Approaching', 'RESPONSE'],
      'dl-passed': ['DSR Deadline Passed', 'RESPONSE'],
      'dl-extended-near': ['DSR Deadline Approaching', 'EXTENDED_RESPONSE'],
      'dl-unconfirmed': ['DSR Deadline Approaching', 'CONFIRMATION'],
      'dl-optout-near': ['DSR Deadline Approaching', 'HONOR'],
    });
    expect(result).toEqual({ checked: 7, approaching: 4, passed: 1, atRisk: 5, eventsDelivered: 0, eventsPending: 0, restarted: 0, notStarted: 0 });
  });

  test('THEN each event names the request and pseudonym only, on the workflow\'s bus', () => {
    for (const e of warnings) {
      expect(e).toMatchObject({ Source: 'cdk-ccpa.dsr', EventBusName: env.config.eventBusName });
      expect(Object.keys(e.Detail).sort()).toEqual(['deadline', 'dueAt', 'hoursLeft', 'pseudonym', 'requestId', 'type']);
      expect(e.Detail.pseudonym).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(warnings.find((e: any) => e.Detail.requestId === 'dl-approaching').Detail.hoursLeft).toBeGreaterThanOrEqual(71);
  });

  test('THEN every warning is audited, after the submission\'s record, and the summary line the metric filter reads carries the count', async () => {
    for (const id of ['dl-approaching', 'dl-passed', 'dl-extended-near', 'dl-unconfirmed', 'dl-optout-near']) {
      const records = await auditWhere(`REQUEST#${id}`);
      expect([id, records.map((r) => `${r.step}:${r.outcome}`)]).toEqual([id, ['Submit:RECEIVED', 'DeadlineCheck:WARNED']]);
    }
    for (const id of ['dl-fresh', 'dl-extended', 'dl-limit-later']) {
      expect([id, (await auditWhere(`REQUEST#${id}`)).map((r) => `${r.step}:${r.outcome}`)]).toEqual([id, ['Submit:RECEIVED']]);
    }
    const summary = env.logLines.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).filter((l) => l.message === 'dsr deadline check');
    expect(summary).toEqual([expect.objectContaining({ atRisk: 5, workflow: env.config.workflow })]);
  });

  test('THEN the ledger is read with one Query of the sparse index per value (each shard and the legacy value of open requests, then of pending events; the restarts reuse the first): never a Scan, never the 500 closed items', () => {
    // GetItem: the 8 backdated requests still RECEIVED (their executions never ran here) are checked
    // for a restart, attributes limited, and left alone: recorded minutes ago, their executions may be starting
    expect(requests).toEqual({ Query: 2 * (INDEX_SHARDS + 1), GetItem: 8 });
    expect(auditPuts).toBe(5); // the 5 audit records (objects in the audit bucket)
  });

  test('THEN no raw identifier appears in events, audit records, log lines or execution inputs', async () => {
    const audit = JSON.stringify(await env.scan(env.tables.audit));
    expect(env.sfn.calls.length).toBe(9);
    for (const c of env.sfn.calls) expect(c.input).toBe(JSON.stringify({ requestId: c.name.replace(/_r1$/, '') }));
    for (const { subject } of SUBJECTS) {
      expect(JSON.stringify(warnings)).not.toContain(subject);
      expect(audit).not.toContain(subject);
      expect(env.logLines.join('\n')).not.toContain(subject);
    }
  });

  test('WHEN the window is one hour THEN only the passed deadline is at risk, and the summary line is written all the same (missing data means the check did not run)', async () => {
    env.applyEnv({ deadlineWarningSeconds: 3_600 });
    env.logLines = [];
    const quiet = await env.checkDeadlines();
    expect(quiet).toMatchObject({ passed: 1, atRisk: 1 }); // only the one past its deadline
    expect(env.logLines.some((l) => l.includes('"dsr deadline check"'))).toBe(true);
  });
});

describe('tombstone replay after a restore', () => {
  let replay: Awaited<ReturnType<LocalDsr['runReplay']>>;
  let deletedAt: string;

  beforeAll(async () => {
    for (const who of [ALICE, GLOBEX_ALICE]) {
      const run = await env.run({ requestId: `rp-delete-${who.tenant}`, type: 'DELETE', ...who });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.started?.input).toBe(JSON.stringify({ requestId: `rp-delete-${who.tenant}` }));
      expect(await env.itemsOf(who.tenant, who.subject)).toBe(0);
    }
    deletedAt = new Date().toISOString();
    // a restore from backup brings the deleted subjects' items and objects back
    for (const who of [ALICE, GLOBEX_ALICE]) await env.seedSubject(who.tenant, who.subject, 120, 15);
    expect(await env.itemsOf(ALICE.tenant, ALICE.subject)).toBe(120);
    env.logLines = [];
    env.aws.events.length = 0;
    env.ddbProxy.reset();
    replay = await env.runReplay({ replayId: 'restore-1' });
  });

  test('GIVEN deleted subjects restored from a backup WHEN the replay runs THEN they are gone again', async () => {
    expect(replay.status).toBe('SUCCEEDED');
    for (const who of [ALICE, GLOBEX_ALICE]) {
      expect(await env.itemsOf(who.tenant, who.subject)).toBe(0);
      expect(await env.objectsOf(who.tenant, who.subject)).toBe(0);
    }
    expect(env.ddbProxy.counts.Scan).toBeUndefined();
  });

  test('THEN every other subject is untouched', async () => {
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(120);
    expect(await env.objectsOf(BOB.tenant, BOB.subject)).toBe(15);
    expect((await env.scan(env.tables.customers)).length).toBe(2_000 + 120);
  });

  test('THEN the replay is audited under REPLAY#<replayId>: start, each store of each tombstone, each tombstone, completion', async () => {
    const records = await auditWhere('REPLAY#restore-1');
    const steps = records.map((r) => `${r.step}:${r.outcome}${r.store ? `:${r.store}` : ''}`).sort();
    expect(steps).toEqual([
      'Delete:SUCCEEDED:Local/Customers', 'Delete:SUCCEEDED:Local/Customers',
      'Delete:SUCCEEDED:Local/Documents', 'Delete:SUCCEEDED:Local/Documents',
      'Replay:COMPLETED', 'Replay:REPLAYED', 'Replay:REPLAYED', 'Replay:STARTED',
      'Verify:VERIFIED:Local/Customers', 'Verify:VERIFIED:Local/Customers',
      'Verify:VERIFIED:Local/Documents', 'Verify:VERIFIED:Local/Documents',
    ]);
    expect(records.filter((r) => r.outcome === 'REPLAYED').map((r) => r.requestId).sort()).toEqual(['rp-delete-acme', 'rp-delete-globex']);
    expect(records.find((r) => r.outcome === 'COMPLETED')?.detail).toEqual({ replayed: 2, failed: 0 });
    expect(records.filter((r) => r.step === 'Delete').every((r) => r.detail.records > 0)).toBe(true);
    expect(env.aws.events.map((e: any) => [e.DetailType, e.Detail])).toEqual([['DSR Replay Completed', { replayId: 'restore-1', replayed: 2, failed: 0 }]]);
  });

  test('THEN no raw identifier appears in state payloads, audit records, log lines or events', async () => {
    const audit = JSON.stringify(await auditWhere('REPLAY#restore-1'));
    for (const who of [ALICE, GLOBEX_ALICE]) {
      for (const e of replay.events.filter((ev) => ev.state)) {
        expect(JSON.stringify(e.state.input ?? null)).not.toContain(who.subject);
        expect(JSON.stringify(e.state.output ?? null)).not.toContain(who.subject);
      }
      expect(audit).not.toContain(who.subject);
      expect(env.logLines.join('\n')).not.toContain(who.subject);
      expect(JSON.stringify(env.aws.events)).not.toContain(who.subject);
    }
  });

  test('WHEN the same replay runs again THEN it completes and deletes nothing (idempotent)', async () => {
    env.ddbProxy.reset();
    const again = await env.runReplay({ replayId: 'restore-1' });
    expect(again.status).toBe('SUCCEEDED');
    expect(env.ddbProxy.counts.BatchWriteItem).toBeUndefined();
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(120);
  });

  test('WHEN a replay is limited to tombstones since a later restore point, or to one tenant and store THEN only those are re-applied', async () => {
    await env.seedSubject(ALICE.tenant, ALICE.subject, 3, 2);
    await env.seedSubject(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject, 3, 2);
    const later = await env.runReplay({ replayId: 'restore-later', since: new Date(Date.now() + 60_000).toISOString() });
    expect(later.status).toBe('SUCCEEDED');
    expect(await env.itemsOf(ALICE.tenant, ALICE.subject)).toBe(3);
    const scoped = await env.runReplay({ replayId: 'restore-acme-table', since: new Date(Date.parse(deletedAt) - 3_600_000).toISOString(), tenant: 'acme', stores: ['Local/Customers'] });
    expect(scoped.status).toBe('SUCCEEDED');
    expect(await env.itemsOf(ALICE.tenant, ALICE.subject)).toBe(0);
    expect(await env.objectsOf(ALICE.tenant, ALICE.subject)).toBe(2); // the bucket was not selected
    expect(await env.itemsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(3); // another tenant
    expect((await auditWhere('REPLAY#restore-acme-table')).filter((r) => r.step === 'Delete').map((r) => r.store)).toEqual(['Local/Customers']);
  });

  test('WHEN a replay names an unknown store THEN it fails, recorded and announced, having deleted nothing', async () => {
    env.aws.events.length = 0;
    const bad = await env.runReplay({ replayId: 'restore-bad', stores: ['Local/Nope'] });
    expect(bad.status).toBe('FAILED');
    expect((await auditWhere('REPLAY#restore-bad')).map((r) => [r.step, r.outcome, r.detail.error])).toEqual([['Replay', 'FAILED', 'DsrInvalidRequestError']]);
    expect(env.aws.events.map((e: any) => e.DetailType)).toEqual(['DSR Replay Failed']);
    expect(await env.itemsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(3);
    expect((await env.runReplay({ since: 'x' })).status).toBe('FAILED');
  });
});
