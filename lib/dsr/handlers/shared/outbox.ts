import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LedgerRequest } from './request';
import { audit, publish, requestKey, Runtime } from './runtime';

/**
 * The completion event's outbox. Finalize writes the event into the request's ledger item in the
 * same conditional update that marks it COMPLETED (`outbox`, and `open = OUTBOX` so the sparse
 * open-requests index lists it), then drains it: publish, then remove it. A publish that fails is
 * retried by Finalize's task retry, by the failure path, and by the daily deadline check, which
 * drains every pending outbox. Delivery is at least once: the event carries `idempotencyKey`
 * (`<requestId>#COMPLETED`) so consumers can drop a repeat.
 */
export const OUTBOX_OPEN_VALUE = 'OUTBOX';

/** The event an outbox holds. */
export interface OutboxEvent {
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

/** The idempotency key of a request's completion event. */
export function completionKey(requestId: string): string {
  return `${requestId}#COMPLETED`;
}

/**
 * The "DSR Request Completed" event of a request (Finalize, or the last recipient's acknowledgement
 * that completes it): ids, type, tenant, pseudonym, stores and times, then `extra` (e.g. the report's
 * key, the recipients' acknowledgements).
 */
export function completionEvent(rt: Runtime, request: LedgerRequest, completedAt: string, extra: Record<string, unknown> = {}): OutboxEvent {
  return {
    detailType: 'DSR Request Completed',
    detail: {
      requestId: request.requestId,
      ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}),
      idempotencyKey: completionKey(request.requestId),
      type: request.type,
      tenant: request.tenant,
      pseudonym: request.subjectId,
      stores: rt.stores.map((s) => s.path),
      completedAt,
      dueBy: request.dueBy,
      ...extra,
    },
  };
}

/**
 * Deliver the request's pending event, if any: publish it, then clear the outbox (only if it still
 * holds the same event). Returns whether an event was delivered. Throws when publishing fails: the
 * outbox stays, for the next drain. `recordDelivery`: a delivery later than Finalize's first try
 * is recorded in the audit table (`Outbox`, `PUBLISHED`, once); a first-try delivery is what the
 * `Finalize COMPLETED` record already says.
 */
export async function drainOutbox(rt: Runtime, requestId: string, recordDelivery = true): Promise<boolean> {
  // the outbox only: the deadline check, which drains too, may read no other attribute (OUTBOX_ATTRIBUTES)
  const got = await rt.ddb.send(new GetItemCommand({
    TableName: rt.ledgerTable, Key: requestKey(requestId), ConsistentRead: true, ProjectionExpression: 'outbox',
  }));
  const raw = got.Item?.outbox?.S;
  if (!raw) return false;
  const event = JSON.parse(raw) as OutboxEvent;
  await publish(rt, event.detailType, event.detail);
  // recorded before the outbox is cleared: a crash in between delivers again, never unrecorded
  if (recordDelivery) {
    await audit(rt, {
      requestId,
      pseudonym: typeof event.detail.pseudonym === 'string' ? event.detail.pseudonym : undefined,
      step: 'Outbox',
      outcome: 'PUBLISHED',
      detail: { event: event.detailType },
      once: 'OUTBOX#PUBLISHED',
    });
  }
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(requestId),
    UpdateExpression: 'REMOVE outbox, #open',
    ConditionExpression: 'outbox = :e',
    ExpressionAttributeNames: { '#open': 'open' },
    ExpressionAttributeValues: { ':e': { S: raw } },
  })).catch((e: Error) => {
    // drained meanwhile by another run: nothing left to clear
    if (e.name !== 'ConditionalCheckFailedException') throw e;
  });
  return true;
}
