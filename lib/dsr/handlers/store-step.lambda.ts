import { randomUUID } from 'crypto';
import { clearCursor, loadCursor, saveCursor } from './shared/cursor';
import { keyDigest, loadDeleted, recordDeleted } from './shared/deletion-record';
import { correctionPlan, correctItems, deleteKeys, EMPTY_TALLY, getItems, liveKeys, Page, queryPage } from './shared/dynamodb-store';
import { writePage } from './shared/manifest';
import { DsrCorrectionConflictError, DsrVerificationError, Phase, safeErrorName, StoreConfig, storeServesTenant, StoreStepState } from './shared/model';
import { LedgerRequest, loadRequest } from './shared/request';
import { audit, Runtime, runtime } from './shared/runtime';
import { deleteObjects, listPage, S3Cursor, S3Page, subjectPrefix } from './shared/s3-store';
import { splitKeys, splitObjects } from './shared/tenant-scope';

/** Re-discovery passes after deletion, at most (the waits between them add up to a few minutes). */
const MAX_VERIFY_PASSES = 8;
/** Passes in a row that must find nothing live before a store counts as deleted. */
const STABLE_PASSES = 2;
/** The wait after a clean pass before the confirming one: longer than a subject index's usual lag. */
const VERIFY_SETTLE_SECONDS = 5;
/** The longest wait after a pass that found (and deleted) live records; the waits double from 2 s. */
const VERIFY_MAX_WAIT_SECONDS = 60;

type Cursor = S3Cursor | Record<string, unknown>;

/**
 * StoreStep: one bounded slice of work on one store for one request; the state machine loops
 * until `done`. DELETE pages through the subject's records deleting each page, then VERIFY
 * re-discovers and must find nothing. ACCESS (EXPORT) writes each page to the export bucket.
 * CORRECT updates the subject's DynamoDB items. A catch in the state machine sends failures to
 * `failed: true`, which records them (see `recordFailure`).
 */
export async function handler(input: StoreStepState & { error?: { Error?: string } }): Promise<StoreStepState> {
  const rt = runtime();
  // a wait the state machine has done is not carried on
  let { waitSeconds: _waited, ...state } = input;
  const store = rt.stores.find((s) => s.id === state.store);
  if (!store) throw new Error(`unknown store id ${state.store}`);
  if (state.failed) return recordFailure(rt, store, state);
  const request = await loadRequest(rt, state.requestId);
  if (!storeServesTenant(store, request.tenant)) return refuseOtherTenantsStore(rt, store, state);
  const phase: Phase = state.phase === 'START' ? firstPhase(state) : state.phase;
  // an export attempt starts with the first invocation; its retries and later invocations continue it
  const attempt = phase === 'EXPORT' ? (state.phase === 'START' || !state.attempt ? randomUUID() : state.attempt) : undefined;
  if (attempt !== undefined && attempt !== state.attempt) state = { ...state, attempt };
  if (phase === 'CORRECT') return correct(rt, store, state, request);
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
    ? { ...state, phase: 'VERIFY', cursor: null, count, page, verifyPasses: 0, cleanPasses: 0, done: false }
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
    const objects = splitObjects(store, request.tenant, p.objects);
    if (objects.foreign > 0) await auditForeign(rt, store, state, phase, objects.foreign);
    if (phase === 'DELETE') return { n: await deleteObjects(rt, store, await deletable(rt, state, store, objects.own, (o) => keyDigest(store.id, o.Key!))), next: p.next };
    // references only: Finalize streams each document's body into the report (never read whole here)
    const records = objects.own.map((o) => ({ $object: { bucket: store.name, key: o.Key!, prefix } }));
    await writePage(rt, part, cursor, p.next, records);
    return { n: records.length, next: p.next };
  }
  const p: Page = await queryPage(rt, store, request.tenant, request.subject, cursor as Page['next'], rt.dynamoPageSize);
  const keys = splitKeys(store, request.tenant, p.keys);
  if (keys.foreign > 0) await auditForeign(rt, store, state, phase, keys.foreign);
  if (phase === 'DELETE') return { n: await deleteKeys(rt, store, await deletable(rt, state, store, keys.own, (k) => keyDigest(store.id, k, store.keyAttributes))), next: p.next };
  const records = await getItems(rt, store, keys.own);
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
  if (attempts >= MAX_VERIFY_PASSES) throw new DsrVerificationError(`re-discovery still finds deleted records after ${attempts} deletion passes`);
  return { ...state, phase: 'DELETE', cursor: null, verifyAttempts: attempts, done: false };
}

/** Why an S3 store is not corrected by the workflow (answered in the request's status and audit). */
export const S3_NOT_CORRECTABLE = 'objects are documents the workflow does not edit: correct them in the application that wrote them';

/**
 * CORRECT on one store. An S3 store is answered as not correctable (with the reason). On a table,
 * the attributes the store refuses (keys, the subject attribute, undeclared ones) are answered
 * with the reason; the others are changed on the items that have them (see correctItems), each
 * change under a condition on the value read. The audit names attributes and counts, with a hash
 * of the changes, never a value. Conflicting concurrent writes fail the store once every page is
 * done (DsrCorrectionConflictError, recorded): re-running the request applies what is left.
 */
async function correct(rt: Runtime, store: StoreConfig, state: StoreStepState, request: LedgerRequest): Promise<StoreStepState> {
  if (store.kind === 's3-bucket') {
    await audit(rt, { ...who(state), step: 'Correct', outcome: 'NOT_CORRECTABLE', store: store.path, detail: { reason: S3_NOT_CORRECTABLE } });
    return { ...state, phase: 'CORRECT', cursor: null, notCorrectable: S3_NOT_CORRECTABLE, done: true };
  }
  const corrections = request.corrections ?? {};
  const { allowed, refused } = correctionPlan(store, corrections);
  let cursor = await loadCursor<Cursor>(rt, state.requestId, store.id, state.cursor);
  let tally = state.correction ?? EMPTY_TALLY;
  let count = state.count ?? 0;
  let page = state.page ?? 0;
  for (let i = 0; i < rt.maxPagesPerInvocation && allowed.length > 0; i++) {
    const p: Page = await queryPage(rt, store, request.tenant, request.subject, cursor as Page['next'], rt.dynamoPageSize);
    const keys = splitKeys(store, request.tenant, p.keys);
    if (keys.foreign > 0) await auditForeign(rt, store, state, 'CORRECT', keys.foreign);
    tally = await correctItems(rt, store, keys.own, allowed, tally, request.requestId);
    count += p.keys.length;
    page++;
    cursor = p.next;
    if (!cursor) break;
  }
  const attributes = (t: Record<string, number>) => Object.keys(t).sort().join(' ');
  if (cursor && allowed.length > 0) {
    const marker = await saveCursor(rt, state.requestId, store.id, cursor);
    await audit(rt, { ...who(state), step: 'Correct', outcome: 'PROGRESS', store: store.path, detail: { records: count, pages: page } });
    return { ...state, phase: 'CORRECT', cursor: marker, count, page, correction: tally, done: false };
  }
  if (state.cursor) await clearCursor(rt, state.requestId, store.id);
  // an allowed attribute no record of the subject has is refused too: only attributes a record has are corrected
  const absent = allowed.filter(([a, v]) => (tally.present[a] ?? 0) === 0 && !(v === null && store.correctableAttributes?.includes(a)))
    .map(([attribute]) => ({ attribute, reason: store.correctableAttributes?.includes(attribute) ? 'no record of the subject to set it on' : 'no record of the subject has this attribute, and the store does not declare it correctable' }));
  const allRefused = [...refused, ...absent];
  const detail = {
    records: count,
    changed: Object.values(tally.changed).reduce((a, b) => a + b, 0),
    attributes: attributes(tally.changed),
    refused: allRefused.map((r) => r.attribute).sort().join(' '),
    conflicts: tally.conflicts,
    hash: tally.hash,
  };
  if (allRefused.length > 0) {
    await audit(rt, { ...who(state), step: 'Correct', outcome: 'REFUSED', store: store.path, detail: { refused: allRefused.map((r) => `${r.attribute}: ${r.reason}`).join('; ') } });
  }
  if (tally.conflicts > 0) {
    await audit(rt, { ...who(state), step: 'Correct', outcome: 'CONFLICT', store: store.path, detail });
    throw new DsrCorrectionConflictError(`${tally.conflicts} record(s) changed by a concurrent write during the correction; re-run the request`);
  }
  await audit(rt, { ...who(state), step: 'Correct', outcome: 'SUCCEEDED', store: store.path, detail });
  return { ...state, phase: 'CORRECT', cursor: null, count, page, correction: tally, refused: allRefused, done: true };
}

/**
 * VERIFY: re-discovery passes until two passes in a row find nothing live, with a wait between
 * passes (a Wait state of the state machine: `waitSeconds`), at most MAX_VERIFY_PASSES passes.
 * A subject index is eventually consistent: what it lists is checked against the base table with
 * consistent reads (a deleted item it still lists is stale, not left), and what it does not list
 * yet (an item the application wrote while the deletion ran) shows up by a later pass, which
 * deletes it and counts it (`deletedDuringVerification`). S3 listings are strongly consistent.
 */
async function verify(rt: Runtime, store: StoreConfig, state: StoreStepState, request: LedgerRequest): Promise<StoreStepState> {
  if (state.replayId !== undefined && state.keysRecorded === true) return verifyRecorded(rt, store, state, request);
  const slot = `${cursorSlotOf(state, store)}#VERIFY`;
  let cursor = await loadCursor<Cursor>(rt, state.requestId, slot, state.cursor);
  let live = state.passLive ?? 0;
  let stale = state.verifyStale ?? 0;
  for (let i = 0; i < rt.maxPagesPerInvocation; i++) {
    const page = await verifyPage(rt, store, state, request, cursor);
    live += page.live;
    stale += page.stale;
    cursor = page.next;
    if (!cursor) break;
  }
  if (cursor) {
    const marker = await saveCursor(rt, state.requestId, slot, cursor);
    return { ...state, phase: 'VERIFY', cursor: marker, passLive: live, verifyStale: stale, done: false };
  }
  if (state.cursor) await clearCursor(rt, state.requestId, slot);
  const passes = (state.verifyPasses ?? 0) + 1;
  const clean = live === 0 ? (state.cleanPasses ?? 0) + 1 : 0;
  const deleted = (state.verifyDeleted ?? 0) + live;
  const next = { ...state, phase: 'VERIFY' as const, cursor: null, verifyPasses: passes, cleanPasses: clean, passLive: 0, verifyDeleted: deleted, verifyStale: stale };
  if (clean >= STABLE_PASSES) {
    await audit(rt, { ...who(state), step: 'Verify', outcome: 'VERIFIED', store: store.path, detail: { passes, deletedDuringVerification: deleted, stale } });
    return { ...next, done: true };
  }
  if (live > 0) await audit(rt, { ...who(state), step: 'Verify', outcome: 'FOUND', store: store.path, detail: { passes, deleted: live } });
  if (passes >= MAX_VERIFY_PASSES) {
    throw new DsrVerificationError(`re-discovery still found live records after ${passes} passes: the application keeps writing the subject's records`);
  }
  // after a clean pass, settle (longer than the index lag); after a pass that found records, back off
  return { ...next, done: false, waitSeconds: live === 0 ? VERIFY_SETTLE_SECONDS : Math.min(VERIFY_MAX_WAIT_SECONDS, 2 ** passes) };
}

/** One page of re-discovery: what is live is deleted (and counted), index entries of deleted items counted as stale. */
async function verifyPage(
  rt: Runtime, store: StoreConfig, state: StoreStepState, request: LedgerRequest, cursor: Cursor | undefined,
): Promise<{ live: number; stale: number; next?: Cursor }> {
  // records planted under another tenant's scope are neither deleted nor counted as left; what a
  // pass deletes is recorded like any deleted page, so a replay after a restore deletes it too
  if (store.kind === 's3-bucket') {
    const prefix = subjectPrefix(store, request.tenant, request.subject);
    const p = await listPage(rt, store, prefix, store.versioned === true, cursor as S3Cursor | undefined, rt.s3PageSize);
    const own = splitObjects(store, request.tenant, p.objects).own;
    const live = await deletable(rt, state, store, own, (o) => keyDigest(store.id, o.Key!));
    return { live: await deleteObjects(rt, store, live), stale: 0, next: p.next };
  }
  const p = await queryPage(rt, store, request.tenant, request.subject, cursor as Page['next'], rt.dynamoPageSize);
  const own = splitKeys(store, request.tenant, p.keys).own;
  const keys = await liveKeys(rt, store, own);
  const live = await deletable(rt, state, store, keys, (k) => keyDigest(store.id, k, store.keyAttributes));
  return { live: await deleteKeys(rt, store, live), stale: own.length - keys.length, next: p.next };
}

/**
 * Records found for the subject whose keys are outside the request tenant's scope (planted by
 * another tenant under its own keys): skipped, never read, changed or deleted, and audited as a
 * count (no key, no identifier).
 */
async function auditForeign(rt: Runtime, store: StoreConfig, state: StoreStepState, phase: Phase, records: number): Promise<void> {
  await audit(rt, {
    ...who(state),
    step: 'Store',
    outcome: 'SKIPPED_FOREIGN',
    store: store.path,
    detail: { phase, records, reason: 'records outside the tenant\'s keys were found for the subject' },
  });
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
