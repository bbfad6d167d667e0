import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DsrInvalidRequestError, ExecutionInput, IntakeResult, REQUEST_ID, STORE_REQUEST_TYPES, storeServesTenant } from './shared/model';
import { loadRequest } from './shared/request';
import { audit, requestKey, runtime } from './shared/runtime';

/**
 * Intake: the first task of an execution. The execution input is a request id only; the request
 * (pseudonymized, with its deadlines) was recorded in the ledger by the Requests function before
 * it started the execution. Intake reads it, marks it IN_PROGRESS and hands the rest of the
 * workflow the request id, type, tenant, pseudonym and store ids. Idempotent: a completed request
 * is reported as such and not redone; a re-run resumes it.
 */
export async function handler(input: ExecutionInput): Promise<IntakeResult> {
  const rt = runtime();
  if (typeof input?.requestId !== 'string' || !REQUEST_ID.test(input.requestId)) {
    throw new DsrInvalidRequestError('requestId must match [A-Za-z0-9_-]{1,64}');
  }
  // not in the ledger: the execution was started without the Requests function (DsrInvalidRequestError)
  const request = await loadRequest(rt, input.requestId);
  const pseudonym = request.subjectId;
  if (request.status === 'COMPLETED') {
    await audit(rt, { requestId: request.requestId, pseudonym, step: 'Intake', outcome: 'ALREADY_COMPLETED', detail: { type: request.type } });
    return {
      requestId: request.requestId, type: request.type, tenant: request.tenant, pseudonym, alreadyCompleted: true, stores: [], dueBy: request.dueBy,
    };
  }
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET #st = :p, attempts = if_not_exists(attempts, :zero) + :one',
    ConditionExpression: '#st <> :c',
    ExpressionAttributeNames: { '#st': 'status' },
    ExpressionAttributeValues: { ':p': { S: 'IN_PROGRESS' }, ':c': { S: 'COMPLETED' }, ':one': { N: '1' }, ':zero': { N: '0' } },
  }));
  const attempt = (request.attempts ?? 0) + 1;
  // a silo store of another tenant is never visited: its records are not this tenant's
  const stores = STORE_REQUEST_TYPES.includes(request.type) ? rt.stores.filter((s) => storeServesTenant(s, request.tenant)).map((s) => s.id) : [];
  await audit(rt, {
    requestId: request.requestId,
    pseudonym,
    step: 'Intake',
    outcome: 'STARTED',
    detail: { type: request.type, stores: stores.length, attempt, ...(attempt > 1 ? { resumed: true } : {}) },
  });
  return {
    requestId: request.requestId, type: request.type, tenant: request.tenant, pseudonym, alreadyCompleted: false, stores, dueBy: request.dueBy,
  };
}
