import { AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DsrInvalidRequestError, safeErrorName, StoreStepState, TENANT, TENANT_SYNTAX } from './shared/model';
import { audit, publish, runtime, Runtime } from './shared/runtime';

/** A tombstone as the replay carries it: the original request, tenant and pseudonym, never the identifier. */
export interface ReplayTombstone {
  readonly requestId: string;
  readonly tenant: string;
  readonly pseudonym: string;
}

/**
 * The state of a replay execution. Its input is `{ "replayId", "since"?, "tenant"?, "stores"? }`:
 * `since` (ISO 8601) replays only the tombstones written at or after it (pass the restore point),
 * `tenant` only that tenant's, `stores` (construct paths) only on those registered stores.
 */
export interface ReplayState {
  readonly action?: 'PAGE';
  readonly replayId: string;
  readonly since?: string;
  readonly tenant?: string;
  readonly stores?: string[];
  /** Resolved store ids to re-apply each tombstone on. */
  readonly storeIds?: string[];
  readonly started?: boolean;
  /** The tombstone index's LastEvaluatedKey (tenant and pseudonym only), or null after the last page. */
  readonly cursor?: string | null;
  readonly tombstones?: ReplayTombstone[];
  readonly pageResults?: Array<{ failed: boolean }>;
  readonly replayed?: number;
  readonly failed?: number;
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
/** Tombstones per page: each becomes one Map iteration over the stores (the payload stays small). */
const PAGE_SIZE = 20;

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

async function page(rt: Runtime, state: ReplayState): Promise<ReplayState> {
  let storeIds = state.storeIds;
  if (!state.started) {
    storeIds = validate(rt, state);
    await audit(rt, {
      requestId: state.replayId,
      replayId: state.replayId,
      step: 'Replay',
      outcome: 'STARTED',
      detail: { stores: storeIds.length, ...(state.since ? { since: state.since } : {}), ...(state.tenant ? { tenant: state.tenant } : {}) },
    });
  }
  const results = state.pageResults ?? [];
  const replayed = (state.replayed ?? 0) + results.filter((r) => !r.failed).length;
  const failed = (state.failed ?? 0) + results.filter((r) => r.failed).length;
  const base = { replayId: state.replayId, since: state.since, tenant: state.tenant, storeIds, started: true, replayed, failed };

  if (state.started && !state.cursor) {
    const outcome = failed > 0 ? 'FAILED' : 'COMPLETED';
    await audit(rt, { requestId: state.replayId, replayId: state.replayId, step: 'Replay', outcome, detail: { replayed, failed } });
    await publish(rt, failed > 0 ? 'DSR Replay Failed' : 'DSR Replay Completed', { replayId: state.replayId, replayed, failed });
    if (failed > 0) throw new DsrReplayFailedError(`${failed} tombstone(s) could not be re-applied; recorded, re-run the replay with the same replayId`);
    return { ...base, cursor: null, tombstones: [], done: true };
  }

  const values: Record<string, AttributeValue> = { ':t': { S: 'TOMBSTONE' } };
  if (state.since) values[':since'] = { S: new Date(state.since).toISOString() };
  if (state.tenant) values[':tenant'] = { S: state.tenant };
  const out = await rt.ddb.send(new QueryCommand({
    TableName: rt.ledgerTable,
    IndexName: rt.tombstonesIndex,
    KeyConditionExpression: state.since ? '#tb = :t AND #da >= :since' : '#tb = :t',
    ...(state.tenant ? { FilterExpression: '#tn = :tenant' } : {}),
    ExpressionAttributeNames: { '#tb': 'tombstone', ...(state.since ? { '#da': 'deletedAt' } : {}), ...(state.tenant ? { '#tn': 'tenant' } : {}) },
    ExpressionAttributeValues: values,
    ExclusiveStartKey: state.cursor ? JSON.parse(state.cursor) : undefined,
    Limit: PAGE_SIZE,
  }));
  const tombstones = (out.Items ?? []).map((i) => unmarshall(i)).map((t) => ({
    requestId: String(t.requestId), tenant: String(t.tenant), pseudonym: String(t.subjectId),
  }));
  return { ...base, tombstones, cursor: out.LastEvaluatedKey ? JSON.stringify(out.LastEvaluatedKey) : null, done: false };
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
