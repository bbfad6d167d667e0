import { randomUUID } from 'crypto';
import { AttributeValue, BatchGetItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DEFAULT_REPLAY_PAGE_SIZE, DEFAULT_REPLAY_PAGES_PER_EXECUTION } from './shared/config';
import { sleep } from './shared/dynamodb-store';
import { queryPage, ShardedQuery, shardQueryInput } from './shared/index-query';
import { DsrInvalidRequestError, DsrRetryableError, indexValues, safeErrorName, StoreStepState, TENANT, TENANT_SYNTAX, TOMBSTONE_INDEX_VALUE } from './shared/model';
import { audit, publish, runtime, Runtime } from './shared/runtime';

/** A tombstone as the replay carries it: the original request, tenant and pseudonym, never the identifier. */
export interface ReplayTombstone {
  readonly requestId: string;
  readonly tenant: string;
  readonly pseudonym: string;
  /** The request recorded what it deleted: only that is deleted again (shared/deletion-record.ts). */
  readonly keysRecorded: boolean;
}

/**
 * The state of a replay execution. Its input is `{ "replayId", "since"?, "tenant"?, "stores"? }`:
 * `since` (ISO 8601) replays only the tombstones written at or after it (pass the restore point),
 * `tenant` only that tenant's, `stores` (construct paths) only on those registered stores.
 * The replay's progress is saved in the ledger (`REPLAY#<replayId>`): an execution continues in a
 * new one every few pages (`continue`), and any execution with the same replayId resumes from the
 * saved cursor, so neither the history limit nor a failure mid-way starts it again from page 1.
 */
export interface ReplayState {
  readonly action?: 'PAGE';
  readonly replayId: string;
  readonly since?: string;
  readonly tenant?: string;
  readonly stores?: string[];
  /** Set by the execution that started this one to continue the replay. */
  readonly continued?: boolean;
  /** Resolved store ids to re-apply each tombstone on. */
  readonly storeIds?: string[];
  readonly started?: boolean;
  /** Where the next page starts (TombstoneCursor, JSON: the index shard and its LastEvaluatedKey, tenant and pseudonym only), or null after the last page. */
  readonly cursor?: string | null;
  readonly tombstones?: ReplayTombstone[];
  readonly pageResults?: Array<{ failed: boolean }>;
  readonly replayed?: number;
  readonly failed?: number;
  /** The saved progress's sequence number this execution continues from (an optimistic lock). */
  readonly seq?: number;
  /** This execution's token: a retried save of its own is recognised. */
  readonly token?: string;
  /** Pages this execution has handed out. */
  readonly pages?: number;
  /** Continue in a new execution, which resumes from the saved cursor. */
  readonly continue?: boolean;
  /** Another execution of this replay saved progress first: this one stops. */
  readonly superseded?: boolean;
  readonly done?: boolean;
}

/** TOMBSTONE: the outcome of one tombstone's stores. */
export interface TombstoneOutcome {
  readonly action: 'TOMBSTONE';
  readonly replayId: string;
  readonly requestId: string;
  readonly pseudonym: string;
  readonly storeResults: StoreStepState[];
}

/** FAILED: a caught error of the replay execution. */
export interface ReplayFailure {
  readonly action: 'FAILED';
  readonly replayId: string;
  readonly error?: { Error?: string };
}

/** The error the replay fails with after its failed tombstones are recorded. */
export class DsrReplayFailedError extends Error {
  public readonly name = 'DsrReplayFailed';
}

const REPLAY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Replay (11 CCR 7022(d)): after a restore from backup or point-in-time recovery, re-apply the
 * deletion tombstones. PAGE validates the input (first call), tallies the previous page, and reads
 * the next page of tombstones from the ledger's sparse tombstones index (Query, `deletedAt >= since`);
 * the state machine re-runs DELETE (StoreStep, with re-discovery) on every selected store for each,
 * and TOMBSTONE records the outcome. After the last page the replay is recorded as completed, or
 * as failed (then it throws, and the execution fails: re-run it with the same replayId).
 */
export async function handler(input: ReplayState | TombstoneOutcome | ReplayFailure): Promise<unknown> {
  const rt = runtime();
  if (input.action === 'TOMBSTONE') return tombstoneReplayed(rt, input);
  if (input.action === 'FAILED') return recordFailure(rt, input);
  return page(rt, input);
}

/** The saved progress of a replay (ledger item `REPLAY#<replayId>`). */
interface SavedReplay {
  readonly selection: string;
  readonly status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  readonly cursor?: string;
  readonly replayed: number;
  readonly failed: number;
  readonly seq: number;
}

function replayKey(replayId: string) {
  return { pk: { S: `REPLAY#${replayId}` }, sk: { S: 'REPLAY' } };
}

async function page(rt: Runtime, state: ReplayState): Promise<ReplayState> {
  if (!state.started) return start(rt, state);
  const results = state.pageResults ?? [];
  const replayed = (state.replayed ?? 0) + results.filter((r) => !r.failed).length;
  const failed = (state.failed ?? 0) + results.filter((r) => r.failed).length;
  const last = !state.cursor;
  const status = !last ? 'RUNNING' : failed > 0 ? 'FAILED' : 'COMPLETED';
  // the page is done: save the next page's start and the counts, unless another execution of this
  // replay saved first (then it carries on and this one stops). A FAILED replay starts over when re-run.
  const seq = state.seq ?? 0;
  const saved = await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: replayKey(state.replayId),
    UpdateExpression: `SET #seq = :next, #token = :token, #status = :status, replayed = :replayed, failed = :failed${status === 'RUNNING' ? ', #cursor = :cursor' : ' REMOVE #cursor'}`,
    ConditionExpression: '#seq = :seq OR (#seq = :next AND #token = :token)',
    ExpressionAttributeNames: { '#seq': 'seq', '#token': 'token', '#status': 'status', '#cursor': 'cursor' },
    ExpressionAttributeValues: {
      ':seq': { N: String(seq) },
      ':next': { N: String(seq + 1) },
      ':token': { S: state.token ?? '' },
      ':status': { S: status },
      ':replayed': { N: String(status === 'FAILED' ? 0 : replayed) },
      ':failed': { N: String(status === 'FAILED' ? 0 : failed) },
      ...(status === 'RUNNING' ? { ':cursor': { S: state.cursor! } } : {}),
    },
  })).then(() => true, (e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
    return false;
  });
  const base = {
    replayId: state.replayId,
    since: state.since,
    tenant: state.tenant,
    storeIds: state.storeIds,
    started: true,
    replayed,
    failed,
    seq: seq + 1,
    token: state.token,
  };
  if (!saved) {
    await audit(rt, { requestId: state.replayId, replayId: state.replayId, step: 'Replay', outcome: 'SKIPPED', detail: { reason: 'another execution of this replay carries on', replayed, failed } });
    return { ...base, cursor: null, tombstones: [], superseded: true, done: true };
  }
  if (last) {
    const outcome = failed > 0 ? 'FAILED' : 'COMPLETED';
    await audit(rt, { requestId: state.replayId, replayId: state.replayId, step: 'Replay', outcome, detail: { replayed, failed } });
    await publish(rt, failed > 0 ? 'DSR Replay Failed' : 'DSR Replay Completed', { replayId: state.replayId, replayed, failed });
    if (failed > 0) throw new DsrReplayFailedError(`${failed} tombstone(s) could not be re-applied; recorded, re-run the replay with the same replayId`);
    return { ...base, cursor: null, tombstones: [], done: true };
  }
  if ((state.pages ?? 0) >= (rt.replayPagesPerExecution ?? DEFAULT_REPLAY_PAGES_PER_EXECUTION)) {
    // a new execution continues from the saved cursor: each execution's history stays bounded
    return { ...base, cursor: state.cursor, tombstones: [], pages: state.pages, continue: true, done: false };
  }
  return readPage(rt, { ...base, pages: state.pages }, state.cursor!);
}

/**
 * The first call of an execution: validate, then start the replay, or resume it from its saved
 * progress (a continuation, or a re-run after a failure), and hand out the first page.
 */
async function start(rt: Runtime, state: ReplayState): Promise<ReplayState> {
  validate(rt, state);
  const got = await rt.ddb.send(new GetItemCommand({ TableName: rt.ledgerTable, Key: replayKey(state.replayId), ConsistentRead: true }));
  const saved = got.Item ? unmarshall(got.Item) as SavedReplay : undefined;
  const given = selectionOf(state);
  if (saved && (state.since !== undefined || state.tenant !== undefined || state.stores !== undefined) && saved.selection !== given) {
    throw new DsrInvalidRequestError('replayId was used with another selection (since, tenant, stores): re-run it with the same one, or use a new replayId');
  }
  const selection = JSON.parse(saved?.selection ?? given) as { since?: string; tenant?: string; stores?: string[] };
  const storeIds = validate(rt, { replayId: state.replayId, ...selection });
  const token = randomUUID();
  const base = { replayId: state.replayId, since: selection.since, tenant: selection.tenant, storeIds, started: true, token };
  if (saved?.status === 'COMPLETED') {
    await audit(rt, { requestId: state.replayId, replayId: state.replayId, step: 'Replay', outcome: 'ALREADY_COMPLETED', detail: { replayed: saved.replayed } });
    return { ...base, replayed: saved.replayed, failed: 0, seq: saved.seq, cursor: null, tombstones: [], done: true };
  }
  if (!saved) {
    await rt.ddb.send(new PutItemCommand({
      TableName: rt.ledgerTable,
      Item: { ...replayKey(state.replayId), selection: { S: given }, status: { S: 'RUNNING' }, replayed: { N: '0' }, failed: { N: '0' }, seq: { N: '0' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  }
  await audit(rt, {
    requestId: state.replayId,
    replayId: state.replayId,
    step: 'Replay',
    outcome: saved ? 'PROGRESS' : 'STARTED',
    detail: {
      stores: storeIds.length,
      ...(selection.since ? { since: selection.since } : {}),
      ...(selection.tenant ? { tenant: selection.tenant } : {}),
      ...(saved ? { resumed: true, replayed: saved.replayed, failed: saved.failed } : {}),
    },
  });
  return readPage(rt, { ...base, replayed: saved?.replayed ?? 0, failed: saved?.failed ?? 0, seq: saved?.seq ?? 0, pages: 0 }, saved?.cursor);
}

/** The selection of a replay, normalized (the saved one must match a re-run's). */
function selectionOf(state: ReplayState): string {
  return JSON.stringify({
    ...(state.since !== undefined ? { since: new Date(state.since).toISOString() } : {}),
    ...(state.tenant !== undefined ? { tenant: state.tenant } : {}),
    ...(state.stores !== undefined ? { stores: [...state.stores].sort() } : {}),
  });
}

/** Where a page of tombstones starts: an index value (a shard, or the legacy unsharded value) and the key after which it continues there. */
interface TombstoneCursor {
  readonly shard: string;
  readonly key?: Record<string, AttributeValue>;
}

/**
 * The cursor saved in the ledger, as JSON. A cursor saved before the tombstones index was sharded
 * is a LastEvaluatedKey of the legacy value (`tombstone = TOMBSTONE`): it resumes there, and the
 * shards follow it, so a replay started before the upgrade still sees every tombstone once.
 */
function parseCursor(cursor: string | undefined): TombstoneCursor {
  const values = indexValues(TOMBSTONE_INDEX_VALUE);
  if (!cursor) return { shard: values[0] };
  const parsed = JSON.parse(cursor) as Partial<TombstoneCursor> | Record<string, AttributeValue>;
  if (typeof parsed.shard === 'string' && values.includes(parsed.shard)) return parsed as TombstoneCursor;
  return { shard: TOMBSTONE_INDEX_VALUE, key: parsed as Record<string, AttributeValue> };
}

/** Queries one page may make at most (empty shards are skipped on the way): the rest is the next page's. */
const MAX_QUERIES_PER_PAGE = 40;

/**
 * Hand out the page of tombstones starting at `cursor` (undefined: the first). The tombstones
 * index is sharded (shared/model.ts indexValues): the legacy value, then `TOMBSTONE#0` .. `#15`,
 * each paged to its end in turn; a page is filled from as many of them as it takes.
 */
async function readPage(rt: Runtime, base: ReplayState, cursor: string | undefined): Promise<ReplayState> {
  const values = indexValues(TOMBSTONE_INDEX_VALUE);
  const pageSize = rt.replayPageSize ?? DEFAULT_REPLAY_PAGE_SIZE;
  const sortKeyValues: Record<string, AttributeValue> = {};
  if (base.since) sortKeyValues[':since'] = { S: new Date(base.since).toISOString() };
  if (base.tenant) sortKeyValues[':tenant'] = { S: base.tenant };
  const query: ShardedQuery = {
    indexName: rt.tombstonesIndex,
    partitionAttribute: 'tombstone',
    value: TOMBSTONE_INDEX_VALUE,
    ...(base.since ? { sortKeyCondition: '#da >= :since' } : {}),
    ...(base.tenant ? { filter: '#tn = :tenant' } : {}),
    names: { ...(base.since ? { '#da': 'deletedAt' } : {}), ...(base.tenant ? { '#tn': 'tenant' } : {}) },
    values: sortKeyValues,
  };
  let at: TombstoneCursor | undefined = parseCursor(cursor);
  const found: Array<Record<string, unknown>> = [];
  for (let queries = 0; at && found.length < pageSize && queries < MAX_QUERIES_PER_PAGE; queries++) {
    const out = await queryPage(rt, { ...shardQueryInput(rt, query, at.shard, at.key), Limit: pageSize - found.length });
    found.push(...(out.Items ?? []).map((i) => unmarshall(i)));
    const next: string | undefined = values[values.indexOf(at.shard) + 1];
    at = out.LastEvaluatedKey ? { shard: at.shard, key: out.LastEvaluatedKey } : next ? { shard: next } : undefined;
  }
  const recorded = await keysRecordedOf(rt, found.map((t) => ({ tenant: String(t.tenant), subjectId: String(t.subjectId) })));
  const tombstones = found.map((t) => ({
    requestId: String(t.requestId), tenant: String(t.tenant), pseudonym: String(t.subjectId), keysRecorded: recorded.has(`${t.tenant}\u0000${t.subjectId}`),
  }));
  return {
    ...base,
    tombstones,
    pages: (base.pages ?? 0) + 1,
    cursor: at ? JSON.stringify(at) : null,
    continue: false,
    done: false,
  };
}

/**
 * The tombstones (tenant, pseudonym) whose requests recorded what they deleted: read from the
 * tombstones themselves (the index projects only requestId, tenant and subjectId), one BatchGetItem a page.
 */
async function keysRecordedOf(rt: Runtime, tombstones: Array<{ tenant: string; subjectId: string }>): Promise<Set<string>> {
  const recorded = new Set<string>();
  let keys = tombstones.map((t) => ({ pk: { S: `TOMBSTONE#${t.tenant}` }, sk: { S: t.subjectId } }));
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt >= 6) throw new DsrRetryableError(`${keys.length} tombstones left unprocessed after ${attempt} attempts`);
    if (attempt > 0) await sleep(Math.random() * Math.min(2_000, 50 * 2 ** attempt));
    const out = await rt.ddb.send(new BatchGetItemCommand({
      RequestItems: { [rt.ledgerTable]: { Keys: keys, ProjectionExpression: 'pk, sk, keysRecorded', ConsistentRead: true } },
    }));
    for (const item of out.Responses?.[rt.ledgerTable] ?? []) {
      if (item.keysRecorded?.BOOL === true) recorded.add(`${item.pk.S!.slice('TOMBSTONE#'.length)}\u0000${item.sk.S}`);
    }
    keys = (out.UnprocessedKeys?.[rt.ledgerTable]?.Keys ?? []) as typeof keys;
  }
  return recorded;
}

/** The selected store ids; throws (not retried) on an input that cannot be replayed, echoing no value. */
function validate(rt: Runtime, state: ReplayState): string[] {
  const problems: string[] = [];
  if (typeof state.replayId !== 'string' || !REPLAY_ID.test(state.replayId)) problems.push('replayId must match [A-Za-z0-9_-]{1,64}');
  if (state.since !== undefined && (typeof state.since !== 'string' || Number.isNaN(Date.parse(state.since)))) problems.push('since must be an ISO 8601 time (the restore point)');
  if (state.tenant !== undefined && (typeof state.tenant !== 'string' || !TENANT.test(state.tenant))) problems.push(`tenant must be ${TENANT_SYNTAX}`);
  let ids = rt.stores.map((s) => s.id);
  if (state.stores !== undefined) {
    if (!Array.isArray(state.stores) || state.stores.length === 0) {
      problems.push('stores must be a non-empty list of store construct paths');
    } else {
      const unknown = state.stores.filter((p) => !rt.stores.some((s) => s.path === p));
      if (unknown.length > 0) problems.push(`stores: ${unknown.length} path(s) name no store of this workflow (known: ${rt.stores.map((s) => s.path).join(', ')})`);
      ids = rt.stores.filter((s) => state.stores!.includes(s.path)).map((s) => s.id);
    }
  }
  if (problems.length > 0) throw new DsrInvalidRequestError(problems.join('; '));
  return ids;
}

async function tombstoneReplayed(rt: Runtime, input: TombstoneOutcome): Promise<{ failed: boolean }> {
  const failedStores = input.storeResults.filter((s) => s.failed).map((s) => rt.stores.find((c) => c.id === s.store)?.path ?? s.store);
  await audit(rt, {
    requestId: input.requestId,
    replayId: input.replayId,
    pseudonym: input.pseudonym,
    step: 'Replay',
    outcome: failedStores.length > 0 ? 'FAILED' : 'REPLAYED',
    detail: { stores: input.storeResults.length, failedStores: failedStores.length },
  });
  return { failed: failedStores.length > 0 };
}

async function recordFailure(rt: Runtime, input: ReplayFailure): Promise<{ replayId: string; status: 'FAILED' }> {
  const replayId = typeof input.replayId === 'string' && REPLAY_ID.test(input.replayId) ? input.replayId : 'invalid';
  const error = safeErrorName(input.error?.Error);
  await audit(rt, { requestId: replayId, replayId, step: 'Replay', outcome: 'FAILED', detail: { error } });
  await publish(rt, 'DSR Replay Failed', { replayId, error });
  return { replayId, status: 'FAILED' };
}
