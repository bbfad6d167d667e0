import { createHash, randomUUID } from 'crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Runtime } from './runtime';

/**
 * The manifest of an ACCESS export attempt: one ledger item per page, keyed by the page's start
 * cursor (content-addressed, not by a counter held in state), naming the part object that holds
 * the page's records and the next page's id. The report is assembled by walking the chain from
 * the first page, so a retried or repeated page replaces its entry (no duplicate), a page never
 * walked cannot be skipped (the chain breaks: the assembly fails instead of dropping records),
 * and the parts of other attempts, or pages left off the chain when a retry read a different
 * page, are never read. The ledger is encrypted with a PrivacyKey; the ids are hashes of cursors
 * (which embed the identifier) and appear in no object key, state or log.
 */
export interface ManifestEntry {
  /** The part object, absent for a page without records. */
  readonly key?: string;
  readonly records: number;
  /** The next page's id; absent on the last page. */
  readonly next?: string;
}

/** The id of the page starting at `cursor` (undefined: the first page) within an attempt. */
export function pageId(attempt: string, cursor: unknown): string {
  return createHash('sha256').update(`${attempt}\u0000${cursor === undefined ? '' : JSON.stringify(cursor)}`).digest('base64url').slice(0, 32);
}

function entryKey(requestId: string, attempt: string, store: string, id: string) {
  return { pk: { S: `REQUEST#${requestId}` }, sk: { S: `PART#${attempt}#${store}#${id}` } };
}

/**
 * Write one page: its records to a new part object (if any; one JSON record a line: for an S3
 * store, a reference `{ "$object": { bucket, key, prefix } }` whose body Finalize streams), then
 * its manifest entry.
 */
export async function writePage(
  rt: Runtime, m: { requestId: string; pseudonym: string; attempt: string; store: string; storePath: string; kind: string },
  cursor: unknown, next: unknown, records: Record<string, unknown>[],
): Promise<void> {
  let key: string | undefined;
  if (records.length > 0) {
    key = `exports/${m.pseudonym}/${m.requestId}/parts/${m.attempt}/${m.store.padStart(3, '0')}-${randomUUID()}.ndjson`;
    // one record a line, so Finalize streams the part into the report without parsing it whole
    await rt.s3.send(new PutObjectCommand({
      Bucket: rt.exportBucket,
      Key: key,
      Body: records.map((r) => JSON.stringify(r)).join('\n'),
      ContentType: 'application/x-ndjson',
    }));
  }
  await rt.ddb.send(new PutItemCommand({
    TableName: rt.ledgerTable,
    Item: {
      ...entryKey(m.requestId, m.attempt, m.store, pageId(m.attempt, cursor)),
      records: { N: String(records.length) },
      ...(key ? { key: { S: key } } : {}),
      ...(next !== undefined ? { next: { S: pageId(m.attempt, next) } } : {}),
    },
  }));
}

/** Thrown when an attempt's manifest has no entry for a page on its chain (the export did not finish). */
export class ManifestIncompleteError extends Error {
  public readonly name = 'ManifestIncompleteError';
}

/** The manifest entries of an attempt's store, in page order (the chain from the first page). */
export async function* walkManifest(rt: Runtime, requestId: string, attempt: string, store: string): AsyncGenerator<ManifestEntry> {
  let id: string | undefined = pageId(attempt, undefined);
  const seen = new Set<string>();
  while (id !== undefined) {
    if (seen.has(id)) throw new ManifestIncompleteError('the export manifest has a cycle');
    seen.add(id);
    const got = await rt.ddb.send(new GetItemCommand({
      TableName: rt.ledgerTable, Key: entryKey(requestId, attempt, store, id), ConsistentRead: true,
    }));
    if (!got.Item) throw new ManifestIncompleteError('a page of the export is missing from its manifest');
    const entry: ManifestEntry = {
      records: Number(got.Item.records?.N ?? '0'),
      ...(got.Item.key?.S ? { key: got.Item.key.S } : {}),
      ...(got.Item.next?.S ? { next: got.Item.next.S } : {}),
    };
    yield entry;
    id = entry.next;
  }
}
