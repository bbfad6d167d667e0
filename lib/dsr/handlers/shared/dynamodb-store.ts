import { AttributeValue, BatchGetItemCommand, BatchWriteItemCommand, QueryCommand, UpdateItemCommand, WriteRequest } from '@aws-sdk/client-dynamodb';
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

/** Apply corrections to each item (never to key attributes or the subject attribute; never creating an item). */
export async function correctItems(
  rt: Runtime, store: StoreConfig, keys: Key[], corrections: Record<string, string | number | boolean | null>,
): Promise<number> {
  const protectedAttributes = new Set([...(store.keyAttributes ?? []), store.subjectAttribute]);
  const entries = Object.entries(corrections).filter(([a]) => !protectedAttributes.has(a));
  if (entries.length === 0 || keys.length === 0) return 0;
  const names: Record<string, string> = { '#k0': store.keyAttributes![0] };
  const values: Record<string, AttributeValue> = {};
  const set: string[] = [];
  const remove: string[] = [];
  entries.forEach(([a, v], i) => {
    names[`#a${i}`] = a;
    if (v === null) {
      remove.push(`#a${i}`);
    } else {
      values[`:v${i}`] = typeof v === 'string' ? { S: v } : typeof v === 'number' ? { N: String(v) } : { BOOL: v };
      set.push(`#a${i} = :v${i}`);
    }
  });
  const update = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' ');
  for (let i = 0; i < keys.length; i += 10) {
    await Promise.all(keys.slice(i, i + 10).map((Key) => rt.ddb.send(new UpdateItemCommand({
      TableName: store.name,
      Key,
      UpdateExpression: update,
      ConditionExpression: 'attribute_exists(#k0)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
    })).catch((e: Error) => {
      // the item was deleted meanwhile: nothing to correct
      if (e.name !== 'ConditionalCheckFailedException') throw e;
    })));
  }
  return keys.length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
