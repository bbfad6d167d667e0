import { AttributeValue, QueryCommand, QueryCommandInput, QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { sleep } from './dynamodb-store';
import { indexValues, OPEN_INDEX_VALUE } from './model';
import { Runtime } from './runtime';

/** Shards of one sharded index queried at the same time (each paged one after the other). */
export const SHARD_QUERY_CONCURRENCY = 4;
/** Attempts of one page of one shard when DynamoDB throttles or fails (on top of the SDK's own retries). */
export const SHARD_QUERY_ATTEMPTS = 6;

/** Errors a page query is retried on: throttling and 5xx (a shard is never skipped: after the last attempt the error is thrown). */
const RETRYABLE = new Set([
  'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable', 'TimeoutError',
]);

/** The sharded partition values and the rest of a Query on a sparse index. */
export interface ShardedQuery {
  readonly indexName: string;
  /** The index's partition key attribute (`open`, `tombstone`). */
  readonly partitionAttribute: string;
  /** The unsharded value (`OPEN`, `OUTBOX`, `TOMBSTONE`): its shards and the legacy value are queried (model.ts indexValues). */
  readonly value: string;
  /** A condition on the sort key, `#sk <op> :sk` style, with its names and values. */
  readonly sortKeyCondition?: string;
  readonly names?: Record<string, string>;
  readonly values?: Record<string, AttributeValue>;
  readonly filter?: string;
  readonly limit?: number;
}

/** One Query page, retried with backoff and full jitter on throttling and 5xx. */
export async function queryPage(rt: Runtime, input: QueryCommandInput): Promise<QueryCommandOutput> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rt.ddb.send(new QueryCommand(input));
    } catch (e) {
      if (!RETRYABLE.has((e as Error).name) || attempt >= SHARD_QUERY_ATTEMPTS) throw e;
      await sleep(Math.random() * Math.min(2_000, 50 * 2 ** attempt));
    }
  }
}

/** The Query of one index value (`shard`), starting at `start`. */
export function shardQueryInput(rt: Runtime, q: ShardedQuery, shard: string, start?: Record<string, AttributeValue>): QueryCommandInput {
  return {
    TableName: rt.ledgerTable,
    IndexName: q.indexName,
    KeyConditionExpression: `#shard = :shard${q.sortKeyCondition ? ` AND ${q.sortKeyCondition}` : ''}`,
    ...(q.filter ? { FilterExpression: q.filter } : {}),
    ExpressionAttributeNames: { '#shard': q.partitionAttribute, ...q.names },
    ExpressionAttributeValues: { ':shard': { S: shard }, ...q.values },
    ...(q.limit ? { Limit: q.limit } : {}),
    ...(start ? { ExclusiveStartKey: start } : {}),
  };
}

/**
 * Every item of a sharded sparse index: each shard (and the legacy unsharded value) paged to its
 * end, at most SHARD_QUERY_CONCURRENCY shards at a time, items yielded as their pages arrive (no
 * order across shards). A page that keeps failing throws: a reader never returns part of the index
 * as if it were all of it.
 */
export async function* queryShards(
  rt: Runtime, q: ShardedQuery, concurrency = SHARD_QUERY_CONCURRENCY,
): AsyncGenerator<Record<string, AttributeValue>> {
  const pending = indexValues(q.value);
  type Page = { shard: string; out: QueryCommandOutput };
  const inFlight = new Map<string, Promise<Page>>();
  const fetch = (shard: string, start?: Record<string, AttributeValue>) => {
    inFlight.set(shard, queryPage(rt, shardQueryInput(rt, q, shard, start)).then((out) => ({ shard, out })));
  };
  try {
    while (pending.length > 0 || inFlight.size > 0) {
      while (inFlight.size < Math.max(1, concurrency) && pending.length > 0) fetch(pending.shift()!);
      const { shard, out } = await Promise.race(inFlight.values());
      inFlight.delete(shard);
      // the shard's next page is requested before this one is handed out
      if (out.LastEvaluatedKey) fetch(shard, out.LastEvaluatedKey);
      for (const item of out.Items ?? []) yield item;
    }
  } finally {
    // a consumer that stops early (or a failed page) leaves no rejection unobserved
    for (const p of inFlight.values()) p.catch(() => undefined);
  }
}

/**
 * The open requests received at or before `receivedBy` (ISO 8601), from the ledger's sharded
 * open-requests index (`open = OPEN#<n>`, and the legacy `OPEN`): the one pager of the deadline
 * check, which reads it once a run for its deadlines and its restarts (shared/restart.ts).
 */
export function openRequests(rt: Runtime, receivedBy: string): AsyncGenerator<Record<string, AttributeValue>> {
  return queryShards(rt, {
    indexName: rt.openRequestsIndex,
    partitionAttribute: 'open',
    value: OPEN_INDEX_VALUE,
    sortKeyCondition: '#r <= :by',
    names: { '#r': 'receivedAt' },
    values: { ':by': { S: receivedBy } },
  });
}
