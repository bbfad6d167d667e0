import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { deadlines, DsrInvalidRequestError, DsrRequestInput, IntakeResult, STORE_REQUEST_TYPES, validateRequest } from './shared/model';
import { LedgerRequest } from './shared/request';
import { audit, pseudonymize, requestKey, runtime } from './shared/runtime';

/**
 * Intake: validate the request, pseudonymize the subject (KMS GenerateMac), record receipt with
 * the confirmation and response deadlines in the ledger, and hand the rest of the workflow the
 * request id and pseudonym only. Idempotent: the ledger item is created once per request id;
 * a re-run resumes it, and a completed request is reported as such and not redone.
 */
export async function handler(input: DsrRequestInput): Promise<IntakeResult> {
  const rt = runtime();
  const now = new Date();
  const { type, receivedAt } = validateRequest(input, now);
  const pseudonym = await pseudonymize(rt, input.tenant, input.subject);
  const due = deadlines(receivedAt);
  const stores = STORE_REQUEST_TYPES.includes(type) ? rt.stores.map((s) => s.id) : [];
  const item = {
    ...unmarshall(requestKey(input.requestId)),
    requestId: input.requestId,
    type,
    tenant: input.tenant,
    subject: input.subject,
    subjectId: pseudonym,
    status: 'IN_PROGRESS',
    open: 'OPEN',
    receivedAt: receivedAt.toISOString(),
    // receipt is confirmed by this record, at once (11 CCR 7021(a): within 10 business days)
    confirmedAt: now.toISOString(),
    ...due,
    attempts: 1,
    ...(input.corrections ? { corrections: input.corrections } : {}),
  };
  try {
    await rt.ddb.send(new PutItemCommand({
      TableName: rt.ledgerTable,
      Item: marshall(item, { removeUndefinedValues: true }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
    await audit(rt, { requestId: input.requestId, pseudonym, step: 'Intake', outcome: 'RECEIVED', detail: { type, stores: stores.length, dueBy: due.dueBy, confirmBy: due.confirmBy } });
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    // the same request id again: it must be the same request
    const got = await rt.ddb.send(new GetItemCommand({ TableName: rt.ledgerTable, Key: requestKey(input.requestId), ConsistentRead: true }));
    const existing = unmarshall(got.Item!) as LedgerRequest;
    if (existing.type !== type || existing.tenant !== input.tenant || existing.subjectId !== pseudonym) {
      throw new DsrInvalidRequestError('the request id is already recorded for a different request');
    }
    if (existing.status === 'COMPLETED') {
      await audit(rt, { requestId: input.requestId, pseudonym, step: 'Intake', outcome: 'ALREADY_COMPLETED', detail: { type } });
      return { requestId: input.requestId, type, tenant: input.tenant, pseudonym, alreadyCompleted: true, stores: [], dueBy: existing.dueBy };
    }
    await rt.ddb.send(new UpdateItemCommand({
      TableName: rt.ledgerTable,
      Key: requestKey(input.requestId),
      UpdateExpression: 'SET #st = :p, attempts = attempts + :one',
      ConditionExpression: '#st <> :c',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':p': { S: 'IN_PROGRESS' }, ':c': { S: 'COMPLETED' }, ':one': { N: '1' } },
    }));
    await audit(rt, { requestId: input.requestId, pseudonym, step: 'Intake', outcome: 'STARTED', detail: { type, resumed: true, attempt: existing.attempts + 1 } });
    return { requestId: input.requestId, type, tenant: input.tenant, pseudonym, alreadyCompleted: false, stores, dueBy: existing.dueBy };
  }
  return { requestId: input.requestId, type, tenant: input.tenant, pseudonym, alreadyCompleted: false, stores, dueBy: due.dueBy };
}
