/**
 * The ledger's sharded sparse indexes (issue 14 finding 11), locally: open requests and tombstones
 * written by the real handlers spread over INDEX_SHARDS values; the deadline check (one read of the
 * open-requests index a run) and the replay find requests, pending events and tombstones in every
 * shard and under the legacy unsharded values; a throttled shard is retried, nothing is missed.
 */
import { AttributeValue, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalDsr } from './local/environment';
import { INDEX_SHARDS, indexShard, indexValues, shardedIndexValue } from '../../lib/dsr/handlers/shared/model';

const DAY = 86_400_000;
let env: LocalDsr;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 10, itemsPerSubject: 2, objectsPerSubject: 1 });
}, 120_000);
afterAll(async () => {
  await env?.close();
});
afterEach(() => env.reset());

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** `count` request ids, at least one in each shard, in order. */
function idsCoveringEveryShard(prefix: string, count: number): string[] {
  const ids: string[] = [];
  const seen = new Set<number>();
  for (let i = 0; ids.length < count || seen.size < INDEX_SHARDS; i++) {
    const id = `${prefix}-${i}`;
    if (ids.length < count || !seen.has(indexShard(id))) {
      ids.push(id);
      seen.add(indexShard(id));
    }
  }
  return ids;
}

async function putLedger(items: Array<Record<string, AttributeValue>>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await env.ddb.send(new BatchWriteItemCommand({ RequestItems: { [env.tables.ledger]: batch } }));
  }
}

/** Queries of the open-requests index per index value, counted by the proxy (never intercepted). */
function countQueries(indexName: string): Map<string, number> {
  const byValue = new Map<string, number>();
  env.ddbProxy.inject({
    operation: 'Query',
    kind: 'throttle',
    times: Number.MAX_SAFE_INTEGER,
    match: (body) => {
      const q = JSON.parse(body);
      if (q.IndexName === indexName) {
        const v = q.ExpressionAttributeValues[':shard'].S;
        byValue.set(v, (byValue.get(v) ?? 0) + 1);
      }
      return false;
    },
  });
  return byValue;
}

describe('shard of an id', () => {
  test('GIVEN 16,000 request ids WHEN sharded THEN every shard holds 1/16 of them within 10%', () => {
    const counts = Array(INDEX_SHARDS).fill(0);
    for (let i = 0; i < 16_000; i++) counts[indexShard(`req-${i}`)]++;
    expect(Math.min(...counts)).toBeGreaterThan(900);
    expect(Math.max(...counts)).toBeLessThan(1100);
    expect(indexValues('OPEN')).toEqual(['OPEN', ...Array.from({ length: INDEX_SHARDS }, (_, n) => `OPEN#${n}`)]);
  });
});

describe('writers', () => {
  test('GIVEN 160 submissions WHEN recorded THEN their open-requests values spread over the 16 shards, none on the bare OPEN', async () => {
    const written: string[] = [];
    env.ddbProxy.inject({
      operation: 'PutItem',
      kind: 'throttle',
      times: Number.MAX_SAFE_INTEGER,
      match: (body) => {
        const put = JSON.parse(body);
        if (put.TableName === env.tables.ledger && put.Item.open) written.push(put.Item.open.S);
        return false;
      },
    });
    for (let i = 0; i < 160; i++) await env.submit({ requestId: `spread-${i}`, type: 'ACCESS', tenant: 'acme', subject: `spread-${i}@example.com` });
    expect(written).toHaveLength(160);
    const perValue = new Map<string, number>();
    for (const v of written) perValue.set(v, (perValue.get(v) ?? 0) + 1);
    expect([...perValue.keys()].sort()).toEqual(indexValues('OPEN').slice(1).sort());
    // the busiest value takes at most 2.5x its fair share (10 of 160): no hot key
    expect(Math.max(...perValue.values())).toBeLessThanOrEqual(25);
    const ledger = (await env.scan(env.tables.ledger)).filter((r) => String(r.pk).startsWith('REQUEST#spread-'));
    for (const r of ledger) expect(r.open).toBe(shardedIndexValue('OPEN', r.requestId));
  }, 120_000);

  test('GIVEN a DELETE WHEN it completes THEN its tombstone carries the sharded value, and the open value is gone', async () => {
    const run = await env.run({ requestId: 'shard-delete-1', type: 'DELETE', tenant: 'acme', subject: 'bob@example.com' });
    expect(run.status).toBe('SUCCEEDED');
    const ledger = await env.scan(env.tables.ledger);
    const tombstone = ledger.find((r) => String(r.pk).startsWith('TOMBSTONE#') && r.requestId === 'shard-delete-1');
    expect(tombstone?.tombstone).toBe(shardedIndexValue('TOMBSTONE', 'shard-delete-1'));
    const request = ledger.find((r) => r.pk === 'REQUEST#shard-delete-1' && r.sk === 'REQUEST');
    expect(request?.status).toBe('COMPLETED');
    expect(request?.open).toBeUndefined();
  }, 120_000);
});

describe('deadline check over every shard and the legacy values', () => {
  const old = idsCoveringEveryShard('old', 40);
  const received = idsCoveringEveryShard('recv', 20);
  const outbox = idsCoveringEveryShard('outbox', 20);
  const legacy = ['legacy-old-1', 'legacy-old-2'];
  const expected = { checked: old.length + legacy.length, restarted: received.length + 1, eventsDelivered: outbox.length + 1 };

  beforeAll(async () => {
    const request = (requestId: string, open: string, extra: Record<string, AttributeValue>): Record<string, AttributeValue> => ({
      pk: { S: `REQUEST#${requestId}` },
      sk: { S: 'REQUEST' },
      requestId: { S: requestId },
      type: { S: 'ACCESS' },
      tenant: { S: 'acme' },
      subjectId: { S: `pseudonym-${requestId}` },
      open: { S: open },
      executions: { N: '1' },
      ...extra,
    });
    // 44 days old, confirmed: the response is due within the warning window
    const overdue = (id: string, open: string) => request(id, open, {
      status: { S: 'RUNNING' },
      receivedAt: { S: ago(44 * DAY) },
      recordedAt: { S: ago(44 * DAY) },
      confirmedAt: { S: ago(44 * DAY) },
      confirmBy: { S: ago(30 * DAY) },
      dueBy: { S: ago(-DAY) },
      extendedDueBy: { S: ago(-46 * DAY) },
    });
    // recorded 10 minutes ago and still RECEIVED: its execution never started
    const notStarted = (id: string, open: string) => request(id, open, {
      status: { S: 'RECEIVED' }, receivedAt: { S: ago(600_000) }, recordedAt: { S: ago(600_000) }, dueBy: { S: ago(-45 * DAY) }, extendedDueBy: { S: ago(-90 * DAY) },
    });
    // completed with its completion event still pending
    const pending = (id: string, open: string) => request(id, open, {
      status: { S: 'COMPLETED' }, receivedAt: { S: ago(DAY) }, outbox: { S: JSON.stringify({ detailType: 'DSR Request Completed', detail: { requestId: id, pseudonym: `pseudonym-${id}` } }) },
    });
    await putLedger([
      ...old.map((id) => overdue(id, shardedIndexValue('OPEN', id))),
      ...legacy.map((id) => overdue(id, 'OPEN')),
      ...received.map((id) => notStarted(id, shardedIndexValue('OPEN', id))),
      notStarted('legacy-recv', 'OPEN'),
      ...outbox.map((id) => pending(id, shardedIndexValue('OUTBOX', id))),
      pending('legacy-outbox', 'OUTBOX'),
    ]);
  }, 60_000);

  test('GIVEN open requests, never-started requests and pending events in every shard and under the legacy values WHEN the check runs THEN it finds them all, reading each index value once', async () => {
    const queries = countQueries(env.config.openRequestsIndex);
    env.aws.events.length = 0;
    const calls = env.sfn.calls.length;
    const result = await env.checkDeadlines();
    expect(result).toMatchObject({
      ...expected, approaching: expected.checked, atRisk: expected.checked, passed: 0, notStarted: 0, eventsPending: 0,
    });
    const warned = env.aws.events.filter((e: any) => e.DetailType === 'DSR Deadline Approaching').map((e: any) => e.Detail.requestId).sort();
    expect(warned).toEqual([...old, ...legacy].sort());
    const delivered = env.aws.events.filter((e: any) => e.DetailType === 'DSR Request Completed').map((e: any) => e.Detail.requestId).sort();
    expect(delivered).toEqual([...outbox, 'legacy-outbox'].sort());
    const restarted = env.sfn.calls.slice(calls).filter((c) => c.outcome === 'STARTED').map((c) => c.name).sort();
    expect(restarted).toEqual([...received, 'legacy-recv'].map((id) => `${id}_r1`).sort());
    // one Query of each open value (the deadlines and the restarts share it) and of each outbox value
    expect([...queries.keys()].sort()).toEqual([...indexValues('OPEN'), ...indexValues('OUTBOX')].sort());
    expect([...queries.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  test('GIVEN one shard throttled past the SDK\'s retries WHEN the check runs THEN the page is retried and nothing is missed', async () => {
    const shard = shardedIndexValue('OPEN', old[0]);
    const queries = countQueries(env.config.openRequestsIndex);
    // DSR_SDK_MAX_ATTEMPTS is 3 here: 4 throttles fail the first SDK call, and the second needs a retry of its own
    env.ddbProxy.inject({ operation: 'Query', kind: 'throttle', times: 4, match: (body) => body.includes(`"${shard}"`) });
    env.aws.events.length = 0;
    const result = await env.checkDeadlines();
    expect(env.ddbProxy.injected).toBe(4);
    expect(queries.get(shard)).toBe(5);
    expect(result).toMatchObject({ checked: expected.checked, approaching: expected.checked });
    const warned = env.aws.events.filter((e: any) => e.DetailType === 'DSR Deadline Approaching').map((e: any) => e.Detail.requestId).sort();
    expect(warned).toEqual([...old, ...legacy].sort());
  }, 120_000);

  test('GIVEN one shard that keeps failing WHEN the check runs THEN it fails (no summary line, so the alarm fires) instead of reporting part of the index', async () => {
    const shard = shardedIndexValue('OPEN', old[1]);
    env.ddbProxy.inject({ operation: 'Query', kind: 'throttle', times: 1_000, match: (body) => body.includes(`"${shard}"`) });
    env.logLines = [];
    await expect(env.checkDeadlines()).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(env.logLines.join('\n')).not.toContain('dsr deadline check');
  }, 120_000);
});

describe('replay over every shard and the legacy value', () => {
  const since = '2031-01-01T00:00:00.000Z';
  const sharded = idsCoveringEveryShard('tomb', 30);
  const legacy = ['tomb-legacy-1', 'tomb-legacy-2', 'tomb-legacy-3'];

  beforeAll(async () => {
    const tombstone = (requestId: string, i: number, value: string): Record<string, AttributeValue> => ({
      pk: { S: 'TOMBSTONE#acme' },
      sk: { S: `pseudonym-${requestId}` },
      subjectId: { S: `pseudonym-${requestId}` },
      subject: { S: `${requestId}@example.com` },
      tenant: { S: 'acme' },
      requestId: { S: requestId },
      deletedAt: { S: new Date(Date.parse(since) + i * 1000).toISOString() },
      tombstone: { S: value },
      keysRecorded: { BOOL: true },
    });
    // the requests the tombstones name, as the Requests function records them (StoreStep reads them)
    const request = (requestId: string): Record<string, AttributeValue> => ({
      pk: { S: `REQUEST#${requestId}` },
      sk: { S: 'REQUEST' },
      requestId: { S: requestId },
      type: { S: 'DELETE' },
      tenant: { S: 'acme' },
      subject: { S: `${requestId}@example.com` },
      subjectId: { S: `pseudonym-${requestId}` },
      status: { S: 'COMPLETED' },
    });
    await putLedger([
      ...[...sharded, ...legacy].map(request),
      ...sharded.map((id, i) => tombstone(id, i, shardedIndexValue('TOMBSTONE', id))),
      ...legacy.map((id, i) => tombstone(id, sharded.length + i, 'TOMBSTONE')),
    ]);
  }, 60_000);

  const replayed = async (replayId: string) => {
    const records = (await env.scan(env.tables.audit)).filter((r) => r.pk === `REPLAY#${replayId}` && r.step === 'Replay' && r.outcome === 'REPLAYED');
    const times = new Map<string, number>();
    for (const r of records) times.set(r.requestId, (times.get(r.requestId) ?? 0) + 1);
    return times;
  };

  test('GIVEN tombstones in every shard and under the legacy value WHEN replayed in pages of 4 THEN each is replayed once', async () => {
    env.applyEnv({ replayPageSize: 4, replayPagesPerExecution: 3 });
    const runs = await env.runReplayChain({ replayId: 'shard-replay-1', since });
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    const times = await replayed('shard-replay-1');
    expect([...times.keys()].sort()).toEqual([...sharded, ...legacy].sort());
    expect([...times.values()].every((n) => n === 1)).toBe(true);
  }, 300_000);

  test('GIVEN a replay saved mid-way before the sharding (its cursor a key of the bare TOMBSTONE value) WHEN resumed THEN it continues there and then replays every shard', async () => {
    env.applyEnv({ replayPageSize: 4, replayPagesPerExecution: 3 });
    const first = legacy[0];
    // what the replay saved before this release: the tombstones index's LastEvaluatedKey after the first legacy tombstone
    const cursor = {
      pk: { S: 'TOMBSTONE#acme' },
      sk: { S: `pseudonym-${first}` },
      tombstone: { S: 'TOMBSTONE' },
      deletedAt: { S: new Date(Date.parse(since) + sharded.length * 1000).toISOString() },
    };
    await putLedger([{
      pk: { S: 'REPLAY#shard-replay-legacy' },
      sk: { S: 'REPLAY' },
      selection: { S: JSON.stringify({ since }) },
      status: { S: 'RUNNING' },
      cursor: { S: JSON.stringify(cursor) },
      replayed: { N: '1' },
      failed: { N: '0' },
      seq: { N: '1' },
    }]);
    const runs = await env.runReplayChain({ replayId: 'shard-replay-legacy' });
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    const times = await replayed('shard-replay-legacy');
    expect([...times.keys()].sort()).toEqual([...sharded, ...legacy.slice(1)].sort());
    expect([...times.values()].every((n) => n === 1)).toBe(true);
    const completed = (await env.scan(env.tables.audit)).filter((r) => r.pk === 'REPLAY#shard-replay-legacy' && r.outcome === 'COMPLETED');
    expect(completed.map((r) => r.detail)).toEqual([{ replayed: sharded.length + legacy.length, failed: 0 }]);
  }, 300_000);

  test('GIVEN one shard throttled past the SDK\'s retries WHEN replayed THEN the page is retried and nothing is missed', async () => {
    env.applyEnv({ replayPageSize: 8, replayPagesPerExecution: 3 });
    const shard = shardedIndexValue('TOMBSTONE', sharded[0]);
    env.ddbProxy.inject({ operation: 'Query', kind: 'throttle', times: 4, match: (body) => body.includes(`"${shard}"`) });
    const runs = await env.runReplayChain({ replayId: 'shard-replay-2', since });
    expect(env.ddbProxy.injected).toBe(4);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    const times = await replayed('shard-replay-2');
    expect([...times.keys()].sort()).toEqual([...sharded, ...legacy].sort());
    expect([...times.values()].every((n) => n === 1)).toBe(true);
  }, 300_000);
});
