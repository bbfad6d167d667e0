import { createHash } from 'crypto';
import { AttributeValue, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { Runtime } from './runtime';

/**
 * What a DELETE deleted, so a replay after a restore deletes only that (11 CCR 7022(d)): records a
 * returning consumer created after the deletion have keys the deletion never saw, and survive.
 *
 * Each page StoreStep deletes is recorded, before its deletes are sent, as one ledger item
 * `REQUEST#<requestId>` / `DELETED#<store>#<page digest>` holding a string set of key digests
 * (SHA-256 of the store id and the item's key attributes, or of the object key; 128 bits,
 * base64url): no key or identifier is stored, and a retried page rewrites the same item. The
 * tombstone says `keysRecorded: true` when its request recorded its deletions this way; a replay
 * of an older tombstone deletes every record of the subject, as before.
 *
 * A replay holds the digests of one store of one request in memory: about 60 bytes per deleted
 * record (60 MB for a subject of 1,000,000 records), kept across the invocations of a warm function.
 */
export const DELETED_PREFIX = 'DELETED#';

/** The digest of a DynamoDB item's key (its key attributes, in the store's order) or of an S3 object key. */
export function keyDigest(store: string, key: Record<string, AttributeValue> | string, keyAttributes: readonly string[] = []): string {
  const canonical = typeof key === 'string' ? `o\u0000${key}` : `i\u0000${JSON.stringify(keyAttributes.map((a) => key[a] ?? null))}`;
  return createHash('sha256').update(`${store}\u0000${canonical}`).digest('base64url').slice(0, 22);
}

/** Record the digests of one page about to be deleted (idempotent: the item's key is the digest of the page). */
export async function recordDeleted(rt: Runtime, requestId: string, store: string, digests: string[]): Promise<void> {
  const unique = [...new Set(digests)].sort();
  if (unique.length === 0) return;
  const page = createHash('sha256').update(unique.join(',')).digest('base64url').slice(0, 22);
  await rt.ddb.send(new PutItemCommand({
    TableName: rt.ledgerTable,
    Item: { pk: { S: `REQUEST#${requestId}` }, sk: { S: `${DELETED_PREFIX}${store}#${page}` }, digests: { SS: unique } },
  }));
}

/** A warm function's digests of one store of one request, for a few minutes (a replay's invocations follow each other). */
let cached: { id: string; at: number; digests: Set<string> } | undefined;
const CACHE_MS = 5 * 60_000;

/** Every digest a request recorded for one store (empty when it deleted nothing there). */
export async function loadDeleted(rt: Runtime, requestId: string, store: string): Promise<Set<string>> {
  const id = `${rt.ledgerTable}\u0000${requestId}\u0000${store}`;
  if (cached?.id === id && Date.now() - cached.at < CACHE_MS) return cached.digests;
  const digests = new Set<string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await rt.ddb.send(new QueryCommand({
      TableName: rt.ledgerTable,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': { S: `REQUEST#${requestId}` }, ':sk': { S: `${DELETED_PREFIX}${store}#` } },
      ProjectionExpression: 'digests',
      ConsistentRead: true,
      ExclusiveStartKey: start,
    }));
    for (const item of out.Items ?? []) for (const d of item.digests?.SS ?? []) digests.add(d);
    start = out.LastEvaluatedKey;
  } while (start);
  cached = { id, at: Date.now(), digests };
  return digests;
}
