import { createHash } from 'crypto';
import { AttributeValue, BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, QueryCommand, UpdateItemCommand, WriteRequest } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DsrRetryableError, fillTemplate, StoreConfig } from './model';
import { Runtime } from './runtime';

type Key = Record<string, AttributeValue>;

/** One page of a subject's items, found with Query on the subject index (never Scan). */
export interface Page {
  readonly keys: Key[];
  readonly next?: Key;
}

const PAGE_SIZE = 500;
const BATCH = 25;
const UNPROCESSED_ATTEMPTS = 6;
/** Keys per BatchGetItem (the API's limit). */
const BATCH_GET = 100;

export async function queryPage(
  rt: Runtime, store: StoreConfig, tenant: string, subject: string, start: Key | undefined, limit = PAGE_SIZE,
): Promise<Page> {
  const out = await rt.ddb.send(new QueryCommand({
    TableName: store.name,
    IndexName: store.indexName,
    KeyConditionExpression: '#s = :v',
    ExpressionAttributeNames: { '#s': store.subjectAttribute! },
    ExpressionAttributeValues: { ':v': { S: fillTemplate(store.valueTemplate!, tenant, subject) } },
    ExclusiveStartKey: start,
    Limit: limit,
  }));
  const keyAttributes = store.keyAttributes ?? [];
  const keys = (out.Items ?? []).map((item) => Object.fromEntries(keyAttributes.map((a) => [a, item[a]])));
  return { keys, next: out.LastEvaluatedKey };
}

/**
 * Delete keys with BatchWriteItem, 25 at a time, re-sending UnprocessedItems with exponential
 * backoff and full jitter; what is still unprocessed after that fails the invocation with a
 * retryable error (the state machine retries it, and deleting again is harmless).
 */
export async function deleteKeys(rt: Runtime, store: StoreConfig, keys: Key[]): Promise<number> {
  for (let i = 0; i < keys.length; i += BATCH) {
    let pending: WriteRequest[] = keys.slice(i, i + BATCH).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= UNPROCESSED_ATTEMPTS) throw new DsrRetryableError(`${pending.length} deletes left unprocessed after ${UNPROCESSED_ATTEMPTS} attempts`);
      if (attempt > 0) await sleep(Math.random() * Math.min(2_000, 50 * 2 ** attempt));
      const out = await rt.ddb.send(new BatchWriteItemCommand({ RequestItems: { [store.name]: pending } }));
      pending = out.UnprocessedItems?.[store.name] ?? [];
    }
  }
  return keys.length;
}

/**
 * Read the full items behind keys with BatchGetItem, 100 keys a request (strongly consistent),
 * re-sending UnprocessedKeys with exponential backoff and full jitter: ⌈n/100⌉ requests for n
 * items when nothing is throttled. The items come back in the order of `keys`.
 */
export async function getItems(rt: Runtime, store: StoreConfig, keys: Key[]): Promise<Record<string, unknown>[]> {
  const keyAttributes = store.keyAttributes ?? [];
  const id = (k: Key) => JSON.stringify(keyAttributes.map((a) => k[a] ?? null));
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < keys.length; i += BATCH_GET) {
    let pending: Key[] = keys.slice(i, i + BATCH_GET);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= UNPROCESSED_ATTEMPTS) throw new DsrRetryableError(`${pending.length} reads left unprocessed after ${UNPROCESSED_ATTEMPTS} attempts`);
      if (attempt > 0) await sleep(Math.random() * Math.min(2_000, 50 * 2 ** attempt));
      const out = await rt.ddb.send(new BatchGetItemCommand({ RequestItems: { [store.name]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of out.Responses?.[store.name] ?? []) found.set(id(item), unmarshall(item));
      pending = (out.UnprocessedKeys?.[store.name]?.Keys ?? []) as Key[];
    }
  }
  return keys.map((k) => found.get(id(k))).filter((item): item is Record<string, unknown> => item !== undefined);
}

/**
 * The keys among `keys` whose items exist in the base table, read with ConsistentRead (GetItem,
 * 10 at a time, keys only): a subject index is eventually consistent and can list an item that is
 * already deleted (or miss one just written); the base table answers what is really there.
 */
export async function liveKeys(rt: Runtime, store: StoreConfig, keys: Key[]): Promise<Key[]> {
  const live: Key[] = [];
  const names = Object.fromEntries((store.keyAttributes ?? []).map((a, i) => [`#k${i}`, a]));
  for (let i = 0; i < keys.length; i += 10) {
    const outs = await Promise.all(keys.slice(i, i + 10).map(async (Key) => {
      const out = await rt.ddb.send(new GetItemCommand({
        TableName: store.name, Key, ConsistentRead: true, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names,
      }));
      return out.Item ? Key : undefined;
    }));
    for (const k of outs) if (k) live.push(k);
  }
  return live;
}

/** What one store answers to a correction request: refused attributes with their reason. */
export interface CorrectionRefusal {
  readonly attribute: string;
  readonly reason: string;
}

/** The running tally of a CORRECT on one store (carried between invocations; names and counts only, no values). */
export interface CorrectionTally {
  /** attribute -> items whose value was changed. */
  readonly changed: Record<string, number>;
  /** attribute -> items that have the attribute (changed or already correct). */
  readonly present: Record<string, number>;
  /** Items a concurrent write changed between the read and the conditional update. */
  readonly conflicts: number;
  /** SHA-256 chained over each change (item key, attribute, old and new value): proves what changed to whoever holds the values, reveals none. */
  readonly hash: string;
}

export const EMPTY_TALLY: CorrectionTally = { changed: {}, present: {}, conflicts: 0, hash: '' };

/**
 * Which corrections a table accepts: never a key attribute (an item cannot be re-keyed) or the
 * subject attribute (it ties the item to its subject); with declared correctable attributes,
 * only those. The others are refused with the reason.
 */
export function correctionPlan(
  store: StoreConfig, corrections: Record<string, string | number | boolean | null>,
): { allowed: Array<[string, string | number | boolean | null]>; refused: CorrectionRefusal[] } {
  const keys = new Set(store.keyAttributes ?? []);
  const allowed: Array<[string, string | number | boolean | null]> = [];
  const refused: CorrectionRefusal[] = [];
  for (const [a, v] of Object.entries(corrections)) {
    if (keys.has(a)) refused.push({ attribute: a, reason: 'a key attribute of the table: records are not re-keyed by a correction' });
    else if (a === store.subjectAttribute || (store.protectedAttributes ?? []).includes(a)) refused.push({ attribute: a, reason: 'an index key attribute (it ties the record to its data subject or an index): not correctable by this workflow' });
    else if (store.correctableAttributes !== undefined && !store.correctableAttributes.includes(a)) refused.push({ attribute: a, reason: 'not among the correctable attributes the store declares' });
    else allowed.push([a, v]);
  }
  return { allowed, refused };
}

/**
 * Correct the items behind `keys`: each item is read (consistently), and only the attributes it
 * already has are changed (an attribute the store declares correctable may be added), each under
 * the condition that it still holds the value read. A concurrent write makes that item's update
 * fail: counted as a conflict, never overwritten. An item deleted meanwhile is skipped.
 */
export async function correctItems(
  rt: Runtime, store: StoreConfig, keys: Key[], allowed: Array<[string, string | number | boolean | null]>, tally: CorrectionTally, salt: string,
): Promise<CorrectionTally> {
  const changed = { ...tally.changed };
  const present = { ...tally.present };
  let conflicts = tally.conflicts;
  let hash = tally.hash;
  if (allowed.length === 0) return tally;
  const names: Record<string, string> = { '#k0': store.keyAttributes![0] };
  allowed.forEach(([a], i) => { names[`#a${i}`] = a; });
  const declared = new Set(store.correctableAttributes ?? []);
  for (let i = 0; i < keys.length; i += 10) {
    const outcomes = await Promise.all(keys.slice(i, i + 10).map(async (Key) => {
      const got = await rt.ddb.send(new GetItemCommand({
        TableName: store.name, Key, ConsistentRead: true, ExpressionAttributeNames: names, ProjectionExpression: Object.keys(names).join(', '),
      }));
      const item = got.Item;
      if (!item) return undefined;
      const set: string[] = [];
      const remove: string[] = [];
      const conditions = ['attribute_exists(#k0)'];
      const values: Record<string, AttributeValue> = {};
      const changes: Array<[string, unknown, unknown]> = [];
      const usedNames: Record<string, string> = { '#k0': names['#k0'] };
      allowed.forEach(([a, v], j) => {
        const old = item[a];
        if (old === undefined && (v === null || !declared.has(a))) return;
        present[a] = (present[a] ?? 0) + 1;
        const next = v === null ? undefined : toAttributeValue(v);
        if (JSON.stringify(old) === JSON.stringify(next)) return;
        usedNames[`#a${j}`] = a;
        if (next === undefined) {
          remove.push(`#a${j}`);
        } else {
          values[`:v${j}`] = next;
          set.push(`#a${j} = :v${j}`);
        }
        if (old === undefined) {
          conditions.push(`attribute_not_exists(#a${j})`);
        } else {
          values[`:o${j}`] = old;
          conditions.push(`#a${j} = :o${j}`);
        }
        changes.push([a, old ?? null, next ?? null]);
      });
      if (changes.length === 0) return undefined;
      const update = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' ');
      try {
        await rt.ddb.send(new UpdateItemCommand({
          TableName: store.name,
          Key,
          UpdateExpression: update,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: usedNames,
          ExpressionAttributeValues: values,
        }));
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
        return 'conflict' as const;
      }
      return { Key, changes };
    }));
    for (const o of outcomes) {
      if (o === 'conflict') {
        conflicts++;
      } else if (o) {
        for (const [a, old, next] of o.changes) {
          changed[a] = (changed[a] ?? 0) + 1;
          hash = createHash('sha256').update(`${hash}|${salt}|${JSON.stringify(o.Key)}|${a}|${JSON.stringify(old)}|${JSON.stringify(next)}`).digest('hex');
        }
      }
    }
  }
  return { changed, present, conflicts, hash };
}

function toAttributeValue(v: string | number | boolean): AttributeValue {
  return typeof v === 'string' ? { S: v } : typeof v === 'number' ? { N: String(v) } : { BOOL: v };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
