import { randomUUID } from 'crypto';
import { clearCursor, loadCursor, saveCursor } from './shared/cursor';
import { keyDigest, loadDeleted, recordDeleted } from './shared/deletion-record';
import { correctItems, deleteKeys, getItems, Page, queryPage } from './shared/dynamodb-store';
import { writePage } from './shared/manifest';
import { DsrVerificationError, Phase, safeErrorName, StoreConfig, storeServesTenant, StoreStepState } from './shared/model';
import { LedgerRequest, loadRequest } from './shared/request';
import { audit, Runtime, runtime } from './shared/runtime';
import { deleteObjects, listPage, S3Cursor, S3Page, subjectPrefix } from './shared/s3-store';

/** How often re-discovery may find records after deletion (index lag) before the store fails. */
const MAX_VERIFY_ATTEMPTS = 3;

type Cursor = S3Cursor | Record<string, unknown>;

/**
 * StoreStep: one bounded slice of work on one store for one request; the state machine loops
 * until `done`. DELETE pages through the subject's records deleting each page, then VERIFY
 * re-discovers and must find nothing. ACCESS (EXPORT) writes each page to the export bucket.
 * CORRECT updates the subject's DynamoDB items. A catch in the state machine sends failures to
 * `failed: true`, which records them (see `recordFailure`).
 */
export async function handler(state: StoreStepState & { error?: { Error?: string } }): Promise<StoreStepState> {
  const rt = runtime();
  const store = rt.stores.find((s) => s.id === state.store);
  if (!store) throw new Error(`unknown store id ${state.store}`);
  if (state.failed) return recordFailure(rt, store, state);
  const request = await loadRequest(rt, state.requestId);
  if (!storeServesTenant(store, request.tenant)) return refuseOtherTenantsStore(rt, store, state);
  const phase: Phase = state.phase === 'START' ? firstPhase(state) : state.phase;
  // an export attempt starts with the first invocation; its retries and later invocations continue it
  const attempt = phase === 'EXPORT' ? (state.phase === 'START' || !state.attempt ? randomUUID() : state.attempt) : undefined;
  if (attempt !== undefined && attempt !== state.attempt) state = { ...state, attempt };
  if (phase === 'CORRECT' && store.kind === 's3-bucket') {
    await audit(rt, { ...who(state), step: 'Correct', outcome: 'SKIPPED', store: store.path, detail: { reason: 'objects are opaque documents; corrections apply to table attributes' } });
    return { ...state, phase, cursor: null, done: true };
  }
  if (phase === 'VERIFY') return verify(rt, store, state, request);

  const cursorSlot = cursorSlotOf(state, store);
  let cursor = await loadCursor<Cursor>(rt, state.requestId, cursorSlot, state.cursor);
  let count = state.count ?? 0;
  let page = state.page ?? 0;
  for (let i = 0; i < rt.maxPagesPerInvocation; i++) {
    const { n, next } = await onePage(rt, store, request, state, phase, cursor);
    count += n;
    page++;
    cursor = next;
    if (!cursor) break;
  }
  const step = phase === 'DELETE' ? 'Delete' : phase === 'EXPORT' ? 'Export' : 'Correct';
  if (cursor) {
    const marker = await saveCursor(rt, state.requestId, cursorSlot, cursor);
    await audit(rt, { ...who(state), step, outcome: 'PROGRESS', store: store.path, detail: { records: count, pages: page } });
    return { ...state, phase, cursor: marker, count, page, done: false };
  }
  if (state.cursor) await clearCursor(rt, state.requestId, cursorSlot);
  await audit(rt, { ...who(state), step, outcome: 'SUCCEEDED', store: store.path, detail: { records: count, pages: page } });
  // deletion is verified by re-discovery before the store counts as done
  return phase === 'DELETE'
    ? { ...state, phase: 'VERIFY', cursor: null, count, page, done: false }
    : { ...state, phase, cursor: null, count, page, done: true };
}

/**
 * A silo store of another tenant: never touched (Intake does not list it; an execution started
 * with a crafted Map item or a replay of another tenant's tombstone ends here), and audited.
 */
async function refuseOtherTenantsStore(rt: Runtime, store: StoreConfig, state: StoreStepState): Promise<StoreStepState> {
  await audit(rt, { ...who(state), step: 'Store', outcome: 'REFUSED', store: store.path, detail: { reason: 'the store belongs to another tenant' } });
  return { ...state, cursor: null, done: true };
}

/** Who an audit record is about: the request (and pseudonym), and the replay re-applying its tombstone, if any. */
function who(state: StoreStepState): { requestId: string; pseudonym: string; replayId?: string } {
  return { requestId: state.requestId, pseudonym: state.pseudonym, ...(state.replayId !== undefined ? { replayId: state.replayId } : {}) };
}

/** A replay keeps its own page cursor, so it never resumes from (or clears) the request's own. */
function cursorSlotOf(state: StoreStepState, store: StoreConfig): string {
  return state.replayId !== undefined ? `${store.id}#REPLAY#${state.replayId}` : store.id;
}

function firstPhase(state: StoreStepState): Phase {
  return state.type === 'DELETE' ? 'DELETE' : state.type === 'ACCESS' ? 'EXPORT' : 'CORRECT';
}

async function onePage(
  rt: Runtime, store: StoreConfig, request: LedgerRequest, state: StoreStepState, phase: Phase, cursor: Cursor | undefined,
): Promise<{ n: number; next?: Cursor }> {
  const part = {
    requestId: request.requestId, pseudonym: request.subjectId, attempt: state.attempt!, store: store.id, storePath: store.path, kind: store.kind,
  };
  if (store.kind === 's3-bucket') {
    const prefix = subjectPrefix(store, request.tenant, request.subject);
    // an export reads current objects; a deletion removes every version and delete marker
    const versioned = phase === 'DELETE' && store.versioned === true;
    const p: S3Page = await listPage(rt, store, prefix, versioned, cursor as S3Cursor | undefined, rt.s3PageSize);
    if (phase === 'DELETE') return { n: await deleteObjects(rt, store, await deletable(rt, state, store, p.objects, (o) => keyDigest(store.id, o.Key!))), next: p.next };
    // references only: Finalize streams each document's body into the report (never read whole here)
    const records = p.objects.map((o) => ({ $object: { bucket: store.name, key: o.Key!, prefix } }));
    await writePage(rt, part, cursor, p.next, records);
    return { n: records.length, next: p.next };
  }
  const p: Page = await queryPage(rt, store, request.tenant, request.subject, cursor as Page['next'], rt.dynamoPageSize);
  if (phase === 'DELETE') return { n: await deleteKeys(rt, store, await deletable(rt, state, store, p.keys, (k) => keyDigest(store.id, k, store.keyAttributes))), next: p.next };
  if (phase === 'CORRECT') return { n: await correctItems(rt, store, p.keys, request.corrections ?? {}), next: p.next };
  const records = await getItems(rt, store, p.keys);
  await writePage(rt, part, cursor, p.next, records);
  return { n: records.length, next: p.next };
}

/**
 * The records of a page to delete. A request records their digests first (a crash after the
 * deletes cannot lose the record); a replay of a tombstone whose request recorded them deletes
 * only those: records created after the deletion (a returning consumer's) are not the deleted ones.
 */
async function deletable<T>(rt: Runtime, state: StoreStepState, store: StoreConfig, records: T[], digest: (r: T) => string): Promise<T[]> {
  if (state.replayId === undefined) {
    await recordDeleted(rt, state.requestId, store.id, records.map(digest));
    return records;
  }
  if (state.keysRecorded !== true) return records;
  const recorded = await loadDeleted(rt, state.requestId, store.id);
  return records.filter((r) => recorded.has(digest(r)));
}

/** A replay of a recorded deletion: re-discovery must find none of the recorded records (others may stay). */
async function verifyRecorded(rt: Runtime, store: StoreConfig, state: StoreStepState, request: LedgerRequest): Promise<StoreStepState> {
  const recorded = await loadDeleted(rt, state.requestId, store.id);
  let left = 0;
  let cursor: Cursor | undefined;
  do {
    if (store.kind === 's3-bucket') {
      const prefix = subjectPrefix(store, request.tenant, request.subject);
      const p = await listPage(rt, store, prefix, store.versioned === true, cursor as S3Cursor | undefined, rt.s3PageSize);
      left += p.objects.filter((o) => recorded.has(keyDigest(store.id, o.Key!))).length;
      cursor = p.next;
    } else {
      const p = await queryPage(rt, store, request.tenant, request.subject, cursor as Page['next'], rt.dynamoPageSize);
      left += p.keys.filter((k) => recorded.has(keyDigest(store.id, k, store.keyAttributes))).length;
      cursor = p.next;
    }
  } while (cursor && left === 0);
  const attempts = (state.verifyAttempts ?? 0) + 1;
  if (left === 0) {
    await audit(rt, { ...who(state), step: 'Verify', outcome: 'VERIFIED', store: store.path, detail: { attempts } });
    return { ...state, phase: 'VERIFY', verifyAttempts: attempts, done: true };
  }
  await audit(rt, { ...who(state), step: 'Verify', outcome: 'FAILED', store: store.path, detail: { attempts, found: true } });
  if (attempts >= MAX_VERIFY_ATTEMPTS) throw new DsrVerificationError(`re-discovery still finds deleted records after ${attempts} deletion passes`);
  return { ...state, phase: 'DELETE', cursor: null, verifyAttempts: attempts, done: false };
}

async function verify(rt: Runtime, store: StoreConfig, state: StoreStepState, request: LedgerRequest): Promise<StoreStepState> {
  if (state.replayId !== undefined && state.keysRecorded === true) return verifyRecorded(rt, store, state, request);
  let left: number;
  if (store.kind === 's3-bucket') {
    const p = await listPage(rt, store, subjectPrefix(store, request.tenant, request.subject), store.versioned === true, undefined, 1);
    left = p.objects.length;
  } else {
    left = (await queryPage(rt, store, request.tenant, request.subject, undefined, 1)).keys.length;
  }
  const attempts = (state.verifyAttempts ?? 0) + 1;
  if (left === 0) {
    await audit(rt, { ...who(state), step: 'Verify', outcome: 'VERIFIED', store: store.path, detail: { attempts } });
    return { ...state, phase: 'VERIFY', verifyAttempts: attempts, done: true };
  }
  await audit(rt, { ...who(state), step: 'Verify', outcome: 'FAILED', store: store.path, detail: { attempts, found: true } });
  if (attempts >= MAX_VERIFY_ATTEMPTS) throw new DsrVerificationError(`re-discovery still finds records after ${attempts} deletion passes`);
  // new records (written meanwhile) or index lag: delete again
  return { ...state, phase: 'DELETE', cursor: null, verifyAttempts: attempts, done: false };
}

async function recordFailure(rt: Runtime, store: StoreConfig, state: StoreStepState & { error?: { Error?: string } }): Promise<StoreStepState> {
  await audit(rt, {
    ...who(state),
    step: 'StoreStep',
    outcome: 'FAILED',
    store: store.path,
    detail: { phase: state.phase, error: safeErrorName(state.error?.Error) },
  });
  const { requestId, type, tenant, pseudonym, phase, replayId } = state;
  return { requestId, type, tenant, pseudonym, store: state.store, phase, done: true, failed: true, ...(replayId !== undefined ? { replayId } : {}) };
}
