import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DSR_ENV } from './shared/config';
import type { CorrectionOutcome } from './shared/correction';
import {
  CHOICE_REQUEST_TYPES,
  deadlines, DsrConflictError, DsrInvalidRequestError, DsrNotFoundError, DsrRequestInput, executionName, REQUEST_ID, RequestType,
  hasOrganizationStores, STORE_REQUEST_TYPES, TENANT, TENANT_SYNTAX, validateRequest,
} from './shared/model';
import { currentReportLink } from './shared/report-link';
import { findRequest, LedgerRequest } from './shared/request';
import { audit, pseudonymize, requestKey, Runtime, runtime } from './shared/runtime';

/** Submit a request: record it, then start its execution. */
export interface SubmitEvent {
  readonly action: 'SUBMIT';
  readonly request: DsrRequestInput;
}

/** Read a request's status (the tenant must be the request's). */
export interface StatusEvent {
  readonly action: 'STATUS';
  readonly tenant: string;
  readonly requestId: string;
}

/** Record the one 45-day extension of a request, with the reason given to the consumer (11 CCR 7021(b)). */
export interface ExtendEvent {
  readonly action: 'EXTEND';
  readonly tenant: string;
  readonly requestId: string;
  readonly reason: string;
}

export type RequestsEvent = SubmitEvent | StatusEvent | ExtendEvent;

/** What the Requests function answers: the request's state and deadlines, never the identifier or corrections. */
export interface RequestStatus {
  readonly requestId: string;
  readonly type: RequestType;
  readonly status: LedgerRequest['status'];
  readonly receivedAt: string;
  /** Know, delete, correct: confirm receipt by (10 business days); absent for OPT_OUT and LIMIT. */
  readonly confirmBy?: string;
  /** The deadline in force: 45 days after receipt, 90 once the extension is recorded; OPT_OUT and LIMIT: 15 business days. */
  readonly dueBy: string;
  readonly extended: boolean;
  readonly completedAt?: string;
  /** The name of the request's current execution (`<requestId>_r<n>`); none once it completed before this call started one. */
  readonly execution?: string;
  /** ACCESS: the expiring link to the portable report, while it is valid. */
  readonly report?: { readonly url: string; readonly expiresAt: string };
  /** CORRECT, once completed: per store, the attributes corrected (counts), those refused with the reason, or why the store is not correctable. */
  readonly correction?: CorrectionOutcome;
}

/** At most this many characters of an extension reason (kept, encrypted, in the ledger only). */
const MAX_REASON = 1000;

/**
 * Requests: the one way into a DsrWorkflow. SUBMIT validates the request, pseudonymizes the
 * subject (KMS GenerateMac), records it with its deadlines in the request ledger (encrypted with
 * the workflow's PrivacyKey) and starts the execution `<requestId>_r<n>` whose input is
 * `{ "requestId" }` only: the raw identifier and the corrections never reach Step Functions, so
 * no execution history holds them. Re-submitting a request id is idempotent: the same request
 * returns its state (a running execution is not started twice; a completed request is not redone;
 * a failed, timed-out or aborted one gets a new execution). STATUS reads the ledger, EXTEND records
 * the one 45-day extension.
 *
 * Invoked directly (`RequestsEvent`) or by DsrApi (an API Gateway proxy event: the tenant is the
 * `{tenant}` path segment, bound to the caller by the API's resource policy, or with Cognito the
 * token's tenant claim, which must equal it). The event is never logged.
 */
export async function handler(event: RequestsEvent | APIGatewayProxyEvent): Promise<RequestStatus | APIGatewayProxyResult> {
  const rt = runtime();
  if (isApiEvent(event)) return api(rt, event);
  switch (event?.action) {
    case 'SUBMIT': return submit(rt, event.request ?? ({} as DsrRequestInput));
    case 'STATUS': return status(rt, event.tenant, event.requestId);
    case 'EXTEND': return extend(rt, event.tenant, event.requestId, event.reason);
    default: throw new DsrInvalidRequestError('action must be SUBMIT, STATUS or EXTEND');
  }
}

async function submit(rt: Runtime, input: DsrRequestInput): Promise<RequestStatus> {
  const now = new Date();
  const { type, receivedAt } = validateRequest(input, now);
  const pseudonym = await pseudonymize(rt, input.tenant, input.subject);
  const due = deadlines(receivedAt, rt.holidays, type);
  const choice = CHOICE_REQUEST_TYPES.includes(type);
  const item: LedgerRequest & { pk: string; sk: string; open: string } = {
    ...(unmarshall(requestKey(input.requestId)) as { pk: string; sk: string }),
    requestId: input.requestId,
    type,
    tenant: input.tenant,
    subject: input.subject,
    subjectId: pseudonym,
    status: 'RECEIVED',
    open: 'OPEN',
    receivedAt: receivedAt.toISOString(),
    recordedAt: now.toISOString(),
    // know/delete/correct: receipt is confirmed by this record, at once (11 CCR 7021(a): within 10
    // business days); an opt-out or limit has no confirmation step
    ...(choice ? {} : { confirmedAt: now.toISOString() }),
    ...due,
    attempts: 0,
    executions: 1,
    ...(input.corrections ? { corrections: input.corrections } : {}),
  };
  let request: LedgerRequest = item;
  try {
    await rt.ddb.send(new PutItemCommand({
      TableName: rt.ledgerTable,
      Item: marshall(item, { removeUndefinedValues: true }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    // the same request id again: it must be the same request (the first receipt time stands)
    request = (await findRequest(rt, input.requestId))!;
    const same = request.tenant === input.tenant && request.type === type && request.subjectId === pseudonym
      && canonical(request.corrections) === canonical(input.corrections);
    if (!same) throw new DsrConflictError('the requestId is already used by a different request; request ids are unique per workflow (use a UUID)');
    if (request.status === 'COMPLETED') return statusOf(request, now, false);
  }
  // the receipt record, written once per request: a re-submission (this write retried by the SDK
  // after a lost answer, or a caller's retry after the function failed between the ledger write and
  // this record) writes it if it is missing and otherwise adds nothing
  const detail = {
    type: request.type,
    stores: STORE_REQUEST_TYPES.includes(request.type) ? rt.stores.length : 0,
    ...(request.confirmBy ? { confirmBy: request.confirmBy } : {}),
    dueBy: request.dueBy,
  };
  await audit(rt, { requestId: request.requestId, pseudonym, step: 'Submit', outcome: 'RECEIVED', detail, once: `${request.recordedAt ?? request.confirmedAt}#Submit#RECEIVED` });
  return start(rt, request, now);
}

/**
 * Corrections as a canonical string: attributes sorted, so that the same corrections compare
 * equal whatever the order of their keys (a DynamoDB map comes back in no particular order).
 */
function canonical(corrections: DsrRequestInput['corrections'] | undefined): string {
  if (corrections === undefined || corrections === null) return 'null';
  return JSON.stringify(Object.keys(corrections).sort().map((k) => [k, corrections[k]]));
}

/**
 * Start the request's current execution. StartExecution with the name and input of a running
 * execution returns it (idempotent); for a closed one it answers ExecutionAlreadyExists: the
 * request failed, timed out or was aborted, and the next attempt gets the next name.
 */
async function start(rt: Runtime, request: LedgerRequest, now: Date): Promise<RequestStatus> {
  let current = request;
  for (let round = 0; round < 5; round++) {
    const attempt = current.executions ?? 1;
    try {
      await rt.sfn.send(new StartExecutionCommand({
        stateMachineArn: rt.stateMachineArn,
        name: executionName(current.requestId, attempt),
        input: JSON.stringify({ requestId: current.requestId }),
      }));
      return statusOf(current, now, true);
    } catch (e) {
      if ((e as Error).name !== 'ExecutionAlreadyExists') throw e;
    }
    try {
      await rt.ddb.send(new UpdateItemCommand({
        TableName: rt.ledgerTable,
        Key: requestKey(current.requestId),
        UpdateExpression: 'SET executions = :next',
        // a request recorded before executions were counted (an earlier version) has no counter: its one execution was the first
        ConditionExpression: `${current.executions === undefined ? 'attribute_not_exists(executions)' : 'executions = :attempt'} AND #st <> :c`,
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: {
          ':next': { N: String(attempt + 1) }, ':c': { S: 'COMPLETED' }, ...(current.executions === undefined ? {} : { ':attempt': { N: String(attempt) } }),
        },
      }));
      await audit(rt, { requestId: current.requestId, pseudonym: current.subjectId, step: 'Submit', outcome: 'RESUBMITTED', detail: { execution: attempt + 1 } });
      current = { ...current, executions: attempt + 1 };
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      // another submission moved on, or the request completed meanwhile
      current = (await findRequest(rt, current.requestId))!;
      if (current.status === 'COMPLETED') return statusOf(current, now, false);
    }
  }
  throw new Error('no execution could be started for the request after 5 attempts');
}

async function status(rt: Runtime, tenant: string, requestId: string): Promise<RequestStatus> {
  const request = await ownRequest(rt, tenant, requestId);
  // ACCESS: a fresh link while the report exists, never a stale one (the first link expires after exportLinkSeconds)
  const link = request.type === 'ACCESS' ? await currentReportLink(rt, request) : undefined;
  return statusOf(request.type === 'ACCESS' ? { ...request, exportUrl: link?.url, exportUrlExpiresAt: link?.expiresAt } : request, new Date(), true);
}

async function extend(rt: Runtime, tenant: string, requestId: string, reason: string): Promise<RequestStatus> {
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > MAX_REASON || /[\u0000-\u001f\u007f]/.test(reason)) {
    throw new DsrInvalidRequestError(`reason must be the explanation given to the consumer: 1 to ${MAX_REASON} characters, no control characters (11 CCR 7021(b))`);
  }
  const request = await ownRequest(rt, tenant, requestId);
  const now = new Date();
  if (CHOICE_REQUEST_TYPES.includes(request.type)) {
    throw new DsrConflictError(`a ${request.type} request cannot be extended: it must be honored within 15 business days of receipt (11 CCR 7026, 7027)`);
  }
  if (request.status === 'COMPLETED') throw new DsrConflictError('the request is completed: there is nothing to extend');
  if (request.extendedAt) throw new DsrConflictError('the request was already extended: one 45-day extension only (Cal. Civ. Code 1798.130(a)(2))');
  if (Date.parse(request.dueBy) <= now.getTime()) {
    throw new DsrConflictError('the 45-day response period has passed: the extension must be noticed to the consumer within it (11 CCR 7021(b))');
  }
  try {
    await rt.ddb.send(new UpdateItemCommand({
      TableName: rt.ledgerTable,
      Key: requestKey(requestId),
      UpdateExpression: 'SET extendedAt = :now, extensionReason = :r',
      ConditionExpression: 'tenant = :t AND #st <> :c AND attribute_not_exists(extendedAt) AND dueBy > :now',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':now': { S: now.toISOString() }, ':r': { S: reason }, ':t': { S: tenant }, ':c': { S: 'COMPLETED' } },
    }));
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    throw new DsrConflictError('the request changed meanwhile (completed or extended): read its status');
  }
  await audit(rt, { requestId, pseudonym: request.subjectId, step: 'Extend', outcome: 'EXTENDED', detail: { extendedDueBy: request.extendedDueBy } });
  return statusOf({ ...request, extendedAt: now.toISOString() }, now, true);
}

/** The request, if it is this tenant's: another tenant's request answers exactly like a missing one. */
async function ownRequest(rt: Runtime, tenant: string, requestId: string): Promise<LedgerRequest> {
  if (typeof tenant !== 'string' || !TENANT.test(tenant) || typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw new DsrInvalidRequestError(`tenant must be ${TENANT_SYNTAX} and requestId [A-Za-z0-9_-]{1,64}`);
  }
  const request = await findRequest(rt, requestId);
  if (!request || request.tenant !== tenant) throw new DsrNotFoundError('no such request for this tenant');
  return request;
}

function statusOf(r: LedgerRequest, now: Date, withExecution: boolean): RequestStatus {
  const reportValid = r.exportUrl !== undefined && r.exportUrlExpiresAt !== undefined && Date.parse(r.exportUrlExpiresAt) > now.getTime();
  return {
    requestId: r.requestId,
    type: r.type,
    status: r.status,
    receivedAt: r.receivedAt,
    ...(r.confirmBy ? { confirmBy: r.confirmBy } : {}),
    dueBy: r.extendedAt ? r.extendedDueBy : r.dueBy,
    extended: r.extendedAt !== undefined,
    ...(r.completedAt ? { completedAt: r.completedAt } : {}),
    ...(withExecution ? { execution: executionName(r.requestId, r.executions ?? 1) } : {}),
    ...(reportValid ? { report: { url: r.exportUrl!, expiresAt: r.exportUrlExpiresAt! } } : {}),
    ...(r.correctionOutcome ? { correction: JSON.parse(r.correctionOutcome) as CorrectionOutcome } : {}),
  };
}

function isApiEvent(event: unknown): event is APIGatewayProxyEvent {
  return typeof event === 'object' && event !== null && 'httpMethod' in event && 'requestContext' in event;
}

/**
 * DsrApi's proxy events: `POST /tenants/{tenant}/requests`, `GET /tenants/{tenant}/requests/{requestId}`,
 * `POST /tenants/{tenant}/requests/{requestId}/extension`. Errors answer with a fixed message
 * (never an SDK message, which can quote a key); unexpected ones are logged by name only.
 */
async function api(rt: Runtime, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    const tenant = callerTenant(rt, event);
    if (tenant === undefined) {
      rt.logger.warn('dsr requests api refused', { reason: 'tenant', resource: event.resource, httpMethod: event.httpMethod });
      return respond(403, { message: 'The caller\'s tenant does not match the path.' });
    }
    const requestId = event.pathParameters?.requestId;
    const body = parseBody(event.body);
    if (event.httpMethod === 'POST' && event.resource === '/tenants/{tenant}/requests') {
      return respond(202, await submit(rt, { ...(body as object), tenant } as DsrRequestInput));
    }
    if (event.httpMethod === 'GET' && event.resource === '/tenants/{tenant}/requests/{requestId}') {
      return respond(200, await status(rt, tenant, requestId ?? ''));
    }
    if (event.httpMethod === 'POST' && event.resource === '/tenants/{tenant}/requests/{requestId}/extension') {
      return respond(200, await extend(rt, tenant, requestId ?? '', (body as { reason?: string }).reason ?? ''));
    }
    return respond(404, { message: 'No such resource.' });
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'DsrInvalidRequestError') return respond(400, { message: (e as Error).message });
    if (name === 'DsrNotFoundError') return respond(404, { message: 'No such request for this tenant.' });
    if (name === 'DsrConflictError') return respond(409, { message: (e as Error).message });
    rt.logger.error('dsr requests api error', { error: /^[A-Za-z0-9._-]{1,80}$/.test(name) ? name : 'Error', resource: event.resource, httpMethod: event.httpMethod });
    return respond(503, { message: 'The DSR workflow is unavailable; retry with the same requestId.' });
  }
}

/**
 * The caller's tenant: the `{tenant}` path segment, or undefined (refused). Refused: a console test
 * invocation (`test-invoke-stage`: it skips the authorizer and the resource policy); a workflow with
 * organization stores (SILO without a tenant: tenants must not reach them); a tenant outside the
 * tenant id syntax. Through a Cognito DsrApi (its id in `DSR_COGNITO_API_IDS`; any API when the ids
 * are unknown but a claim is set) the token's tenant claim must equal the path, and a call without
 * claims is refused, never served. Through an IAM DsrApi the resource policy binds the path to the
 * caller's `tenant` principal tag, and the call carries an IAM identity and no claims.
 */
function callerTenant(rt: Runtime, event: APIGatewayProxyEvent): string | undefined {
  const tenant = event.pathParameters?.tenant;
  if (typeof tenant !== 'string' || !TENANT.test(tenant)) return undefined;
  const context = event.requestContext;
  if (!context || context.stage === 'test-invoke-stage' || hasOrganizationStores(rt.stores)) return undefined;
  const claims = context.authorizer?.claims as Record<string, unknown> | undefined | null;
  const claim = process.env[DSR_ENV.TENANT_CLAIM];
  const cognitoApis = (process.env[DSR_ENV.COGNITO_API_IDS] ?? '').split(',').filter((id) => id !== '');
  const viaCognito = claim !== undefined && claim !== '' && (cognitoApis.length === 0 || cognitoApis.includes(String(context.apiId)));
  if (viaCognito) return claims !== undefined && claims !== null && claims[claim] === tenant ? tenant : undefined;
  if (claims !== undefined && claims !== null) return undefined;
  return context.identity?.userArn ? tenant : undefined;
}

function parseBody(body: string | null): unknown {
  if (body === null || body === '') return {};
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed;
  } catch {
    throw new DsrInvalidRequestError('the body must be a JSON object');
  }
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
