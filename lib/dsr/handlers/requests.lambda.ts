import { createHash } from 'crypto';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DSR_ENV } from './shared/config';
import { AppliedChoice, applyChoice } from './shared/consent';
import type { CorrectionOutcome } from './shared/correction';
import {
  CHOICE_REQUEST_TYPES, CLIENT_REQUEST_ID,
  deadlines, DsrConflictError, DsrInvalidRequestError, DsrNotFoundError, DsrRequestInput, executionName, RequestType,
  hasOrganizationStores, OPEN_INDEX_VALUE, SCOPED_REQUEST_ID_LENGTH, shardedIndexValue, STORE_REQUEST_TYPES, TENANT, TENANT_SYNTAX, validateRequest,
} from './shared/model';
import { RecipientState, recipientStatus } from './shared/recipients';
import { currentReportLink } from './shared/report-link';
import { findRequest, LedgerRequest } from './shared/request';
import { audit, pseudonymize, publish, requestKey, Runtime, runtime } from './shared/runtime';

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

/**
 * The business's notifier acknowledges that it told the consumer how and when their know, delete
 * or correct request will be processed (11 CCR 7021(a)): `confirmedAt` is recorded then, not before.
 */
export interface ConfirmEvent {
  readonly action: 'CONFIRM';
  readonly tenant: string;
  readonly requestId: string;
}

/**
 * An opt-out preference signal (Global Privacy Control, `Sec-GPC: 1`) for a pseudonymous consumer
 * or browser id: recorded as an OPT_OUT (no verification, 15 business days), one request per id.
 */
export interface OptOutSignalEvent {
  readonly action: 'OPT_OUT_SIGNAL';
  readonly tenant: string;
  /** The consumer's or browser's id (the business's pseudonymous id: a cookie or device id, an account id). */
  readonly subject: string;
  /** When the signal was received (ISO 8601). Default: now. */
  readonly receivedAt?: string;
}

export type RequestsEvent = SubmitEvent | StatusEvent | ExtendEvent | ConfirmEvent | OptOutSignalEvent;

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
  /** Know, delete, correct: when the business's notifier confirmed receipt to the consumer. */
  readonly confirmedAt?: string;
  readonly completedAt?: string;
  /** OPT_OUT, LIMIT, OPT_IN, UNLIMIT: whether the choice is applied to the consent records applications read. */
  readonly honored?: boolean;
  readonly honoredAt?: string;
  /** OPT_OUT, once honored: the text a client displays (11 CCR 7025(c)). */
  readonly display?: string;
  /** The name of the request's current execution (`<requestId>_r<n>`); none once it completed before this call started one. */
  readonly execution?: string;
  /** ACCESS: the expiring link to the portable report, while it is valid. */
  readonly report?: { readonly url: string; readonly expiresAt: string };
  /** CORRECT, once completed: per store, the attributes corrected (counts), those refused with the reason, or why the store is not correctable. */
  readonly correction?: CorrectionOutcome;
  /** DELETE, CORRECT, OPT_OUT with recipients: each recipient's notice (SENT, FAILED, ACKNOWLEDGED), times and attempts. */
  readonly recipients?: Array<Record<string, unknown>>;
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
 * a failed, timed-out or aborted one gets a new execution). Request ids are unique per tenant: an
 * id another tenant used is kept under a tenant-scoped id. A choice (OPT_OUT, LIMIT, OPT_IN,
 * UNLIMIT) is applied to the consent records when it is recorded; a know, delete or correct request
 * publishes "DSR Confirmation Due". STATUS reads the ledger, EXTEND records the one 45-day
 * extension, CONFIRM the notifier's confirmation of receipt, OPT_OUT_SIGNAL records an opt-out
 * preference signal (GPC) as an OPT_OUT.
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
    case 'CONFIRM': return confirm(rt, event.tenant, event.requestId);
    case 'OPT_OUT_SIGNAL': return optOutSignal(rt, event.tenant, event.subject, event.receivedAt);
    default: throw new DsrInvalidRequestError('action must be SUBMIT, STATUS, EXTEND, CONFIRM or OPT_OUT_SIGNAL');
  }
}

async function submit(rt: Runtime, input: DsrRequestInput, source?: 'GPC'): Promise<RequestStatus> {
  const now = new Date();
  const { type, receivedAt } = validateRequest(input, now);
  const pseudonym = await pseudonymize(rt, input.tenant, input.subject);
  const linked = await linkedPseudonyms(rt, input, pseudonym);
  const due = deadlines(receivedAt, rt.holidays, type);
  let request: LedgerRequest | undefined;
  let recorded = false;
  // the id is the caller's, unless another tenant used it first: then the tenant-scoped one
  for (let round = 0; request === undefined && round < 2; round++) {
    const requestId = round === 0 ? input.requestId : scopedRequestId(input.tenant, input.requestId);
    const item: LedgerRequest & { pk: string; sk: string; open: string; source?: string } = {
      ...(unmarshall(requestKey(requestId)) as { pk: string; sk: string }),
      requestId,
      ...(requestId !== input.requestId ? { clientRequestId: input.requestId } : {}),
      type,
      tenant: input.tenant,
      subject: input.subject,
      subjectId: pseudonym,
      status: 'RECEIVED',
      // the sharded open-requests index value (shared/model.ts INDEX_SHARDS)
      open: shardedIndexValue(OPEN_INDEX_VALUE, requestId),
      receivedAt: receivedAt.toISOString(),
      recordedAt: now.toISOString(),
      // know/delete/correct: receipt is confirmed (confirmedAt) when the business's notifier says it
      // told the consumer how and when the request will be processed (CONFIRM); choices have no such step
      ...due,
      attempts: 0,
      executions: 1,
      ...(input.corrections ? { corrections: input.corrections } : {}),
      ...(linked.length > 0 ? { linkedSubjectIds: linked } : {}),
      ...(source ? { source } : {}),
    };
    try {
      await rt.ddb.send(new PutItemCommand({
        TableName: rt.ledgerTable,
        Item: marshall(item, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
      request = item;
      recorded = true;
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      const found = (await findRequest(rt, requestId))!;
      // taken by another tenant meanwhile: the next round scopes the id to this tenant
      if (found.tenant !== input.tenant) continue;
      // the same request id again: it must be the same request (the first receipt time stands)
      const same = found.type === type && found.subjectId === pseudonym
        && canonical(found.corrections) === canonical(input.corrections) && canonicalList(found.linkedSubjectIds) === canonicalList(linked);
      if (!same) throw new DsrConflictError('the requestId is already used by a different request of this tenant; request ids are unique per tenant (use a UUID)');
      request = found;
    }
  }
  if (request === undefined) throw new Error('the request id could not be recorded after 2 rounds');
  let applied: AppliedChoice | undefined;
  if (CHOICE_REQUEST_TYPES.includes(request.type)) {
    ({ request, applied } = await honor(rt, request));
  } else if (!request.confirmedAt && (recorded || request.status !== 'COMPLETED')) {
    await confirmationDue(rt, request);
  }
  if (request.status === 'COMPLETED') return statusOf(request, now, false);
  // the receipt record, written once per request: a re-submission (this write retried by the SDK
  // after a lost answer, or a caller's retry after the function failed between the ledger write and
  // this record) writes it if it is missing and otherwise adds nothing
  const detail = {
    type: request.type,
    stores: STORE_REQUEST_TYPES.includes(request.type) ? rt.stores.length : 0,
    ...(request.confirmBy ? { confirmBy: request.confirmBy } : {}),
    dueBy: request.dueBy,
    // a choice: applied to the consent records of this many ids (superseded: a later request's choice stands there)
    ...(applied ? { consentIds: applied.applied + applied.superseded, consentSuperseded: applied.superseded } : {}),
    ...(request.source ? { source: request.source } : {}),
  };
  await audit(rt, { requestId: request.requestId, pseudonym, step: 'Submit', outcome: 'RECEIVED', detail, once: `${request.recordedAt ?? request.confirmedAt}#Submit#RECEIVED` });
  return start(rt, request, now);
}

/**
 * The id the workflow keeps a tenant's request under when the ledger holds the caller's id for
 * another tenant: a hash of tenant and id, longer than any id a caller may choose. Another tenant's
 * use of an id is never visible: the answer is the one an unused id gets.
 */
function scopedRequestId(tenant: string, clientRequestId: string): string {
  return createHash('sha512').update(`cdk-ccpa request id\u0000${tenant}\u0000${clientRequestId}`, 'utf8').digest('base64url').slice(0, SCOPED_REQUEST_ID_LENGTH);
}

/** The pseudonyms of a choice request's linked ids (the consumer's own id left out). */
async function linkedPseudonyms(rt: Runtime, input: DsrRequestInput, own: string): Promise<string[]> {
  const out = new Set<string>();
  for (const subject of input.linkedSubjects ?? []) out.add(await pseudonymize(rt, input.tenant, subject));
  out.delete(own);
  return [...out].sort();
}

function canonicalList(values: readonly string[] | undefined): string {
  return JSON.stringify([...(values ?? [])].sort());
}

/**
 * Apply a choice (OPT_OUT, LIMIT, OPT_IN, UNLIMIT) to the consent records of the consumer and
 * every linked id, at once: applications read those records before they sell, share or use
 * sensitive personal information. Then `honoredAt` is recorded; the receipt's audit record, written
 * after this, counts the records set. A retry applies it again, which changes nothing a later
 * request set.
 */
async function honor(rt: Runtime, request: LedgerRequest): Promise<{ request: LedgerRequest; applied: AppliedChoice }> {
  const applied = await applyChoice(rt, request);
  if (request.honoredAt) return { request, applied };
  const honoredAt = new Date().toISOString();
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET honoredAt = if_not_exists(honoredAt, :now)',
    ExpressionAttributeValues: { ':now': { S: honoredAt } },
  }));
  return { request: { ...request, honoredAt }, applied };
}

/** What the consumer is to be told of each request type (11 CCR 7021(a): how the request will be processed). */
const PROCESSING: Partial<Record<RequestType, string>> = {
  ACCESS: 'The business verifies the consumer\'s identity (11 CCR §§ 7060-7062), then provides the personal information it holds about them in a portable format.',
  DELETE: 'The business verifies the consumer\'s identity (11 CCR §§ 7060-7062), then deletes their personal information from its systems and tells its service providers, contractors and third parties to delete it; backups are purged when restored.',
  CORRECT: 'The business verifies the consumer\'s identity (11 CCR §§ 7060-7062), then corrects the inaccurate personal information in its systems.',
};

/**
 * "DSR Confirmation Due": what the business must tell the consumer within 10 business days of
 * receipt (11 CCR 7021(a)): the request type, how and when it will be processed. No identifier,
 * no pseudonym: the business's notifier finds the consumer by its own request id (`clientRequestId`
 * when the workflow keeps the request under a tenant-scoped id), tells them, and then acknowledges
 * with CONFIRM, which records `confirmedAt`. Published at least once.
 */
async function confirmationDue(rt: Runtime, request: LedgerRequest): Promise<void> {
  await publish(rt, 'DSR Confirmation Due', {
    requestId: request.requestId,
    ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}),
    tenant: request.tenant,
    type: request.type,
    receivedAt: request.receivedAt,
    confirmBy: request.confirmBy,
    processing: PROCESSING[request.type],
    respondBy: request.dueBy,
    respondByWithExtension: request.extendedDueBy,
    extension: 'One extension of 45 more days is possible, with notice to the consumer and the reason before the first 45 days end (11 CCR 7021(b)).',
  });
}

/** CONFIRM: the business's notifier told the consumer (know, delete, correct only); idempotent. */
async function confirm(rt: Runtime, tenant: string, requestId: string): Promise<RequestStatus> {
  const request = await ownRequest(rt, tenant, requestId);
  if (CHOICE_REQUEST_TYPES.includes(request.type)) {
    throw new DsrConflictError(`a ${request.type} request has no confirmation step: it is honored within 15 business days of receipt (11 CCR 7026, 7027)`);
  }
  const now = new Date();
  if (request.confirmedAt) return statusOf(request, now, true);
  const confirmedAt = now.toISOString();
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET confirmedAt = if_not_exists(confirmedAt, :now)',
    ConditionExpression: 'tenant = :t',
    ExpressionAttributeValues: { ':now': { S: confirmedAt }, ':t': { S: tenant } },
  }));
  const late = request.confirmBy !== undefined && Date.parse(request.confirmBy) < now.getTime();
  await audit(rt, {
    requestId: request.requestId,
    pseudonym: request.subjectId,
    step: 'Confirm',
    outcome: 'CONFIRMED',
    detail: { confirmBy: request.confirmBy ?? '', late },
    once: `${request.recordedAt}#Confirm#CONFIRMED`,
  });
  return statusOf({ ...request, confirmedAt }, now, true);
}

/**
 * OPT_OUT_SIGNAL: an opt-out preference signal (GPC) for a consumer or browser id, recorded as an
 * OPT_OUT whose request id is derived from the id's pseudonym (`gpc-<pseudonym>`): the same id
 * signalling again is the same request (idempotent), answered with its state.
 */
async function optOutSignal(rt: Runtime, tenant: string, subject: string, receivedAt?: string): Promise<RequestStatus> {
  if (typeof tenant !== 'string' || !TENANT.test(tenant)) throw new DsrInvalidRequestError(`tenant must be ${TENANT_SYNTAX}`);
  if (typeof subject !== 'string') throw new DsrInvalidRequestError('subject must be the consumer\'s or browser\'s id');
  const input: DsrRequestInput = { requestId: 'gpc-pending', type: 'OPT_OUT', tenant, subject, ...(receivedAt !== undefined ? { receivedAt } : {}) };
  validateRequest(input, new Date());
  const pseudonym = await pseudonymize(rt, tenant, subject);
  return submit(rt, { ...input, requestId: `gpc-${pseudonym.slice(0, 59)}` }, 'GPC');
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
  if (typeof tenant !== 'string' || !TENANT.test(tenant) || typeof requestId !== 'string' || !CLIENT_REQUEST_ID.test(requestId)) {
    throw new DsrInvalidRequestError(`tenant must be ${TENANT_SYNTAX} and requestId [A-Za-z0-9_-]{1,64}`);
  }
  let request = await findRequest(rt, requestId);
  // the id is another tenant's: this tenant's request of that id, if any, is under the scoped id
  if (request && request.tenant !== tenant) request = await findRequest(rt, scopedRequestId(tenant, requestId));
  if (!request || request.tenant !== tenant) throw new DsrNotFoundError('no such request for this tenant');
  return request;
}

/**
 * The answer: in the caller's terms (its request id, and the execution named after it: a request
 * kept under a tenant-scoped id answers exactly like any other).
 */
function statusOf(r: LedgerRequest, now: Date, withExecution: boolean): RequestStatus {
  const reportValid = r.exportUrl !== undefined && r.exportUrlExpiresAt !== undefined && Date.parse(r.exportUrlExpiresAt) > now.getTime();
  const requestId = r.clientRequestId ?? r.requestId;
  const choice = CHOICE_REQUEST_TYPES.includes(r.type);
  const recipients = recipientStatus((r as { recipients?: Record<string, RecipientState> }).recipients);
  return {
    requestId,
    type: r.type,
    status: r.status,
    receivedAt: r.receivedAt,
    ...(r.confirmBy ? { confirmBy: r.confirmBy } : {}),
    dueBy: r.extendedAt ? r.extendedDueBy : r.dueBy,
    extended: r.extendedAt !== undefined,
    ...(r.confirmedAt && !choice ? { confirmedAt: r.confirmedAt } : {}),
    ...(r.completedAt ? { completedAt: r.completedAt } : {}),
    ...(choice ? { honored: r.honoredAt !== undefined, ...(r.honoredAt ? { honoredAt: r.honoredAt } : {}) } : {}),
    ...(r.type === 'OPT_OUT' && r.honoredAt ? { display: 'Opt-Out Request Honored' } : {}),
    ...(withExecution ? { execution: executionName(requestId, r.executions ?? 1) } : {}),
    ...(reportValid ? { report: { url: r.exportUrl!, expiresAt: r.exportUrlExpiresAt! } } : {}),
    ...(r.correctionOutcome ? { correction: JSON.parse(r.correctionOutcome) as CorrectionOutcome } : {}),
    ...(recipients ? { recipients } : {}),
  };
}

function isApiEvent(event: unknown): event is APIGatewayProxyEvent {
  return typeof event === 'object' && event !== null && 'httpMethod' in event && 'requestContext' in event;
}

/**
 * DsrApi's proxy events: `POST /tenants/{tenant}/requests`, `GET /tenants/{tenant}/requests/{requestId}`,
 * `POST /tenants/{tenant}/requests/{requestId}/extension`, `POST .../{requestId}/confirmation` and
 * `POST /tenants/{tenant}/opt-out-signals` (the `Sec-GPC: 1` header or `{ "gpc": true }`). Errors answer with a fixed message
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
    if (event.httpMethod === 'POST' && event.resource === '/tenants/{tenant}/requests/{requestId}/confirmation') {
      return respond(200, await confirm(rt, tenant, requestId ?? ''));
    }
    if (event.httpMethod === 'POST' && event.resource === '/tenants/{tenant}/opt-out-signals') {
      const signal = body as { subject?: string; gpc?: unknown };
      const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'sec-gpc')?.[1];
      if (header?.trim() !== '1' && signal.gpc !== true) {
        throw new DsrInvalidRequestError('no opt-out preference signal: send the consumer\'s Sec-GPC: 1 header, or forward it as { "gpc": true }');
      }
      return respond(202, await optOutSignal(rt, tenant, signal.subject ?? ''));
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
