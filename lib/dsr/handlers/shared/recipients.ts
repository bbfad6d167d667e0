import { AttributeValue, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EncryptCommand } from '@aws-sdk/client-kms';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { RequestType, safeErrorName, shardedIndexValue } from './model';
import { completionEvent, drainOutbox, OUTBOX_OPEN_VALUE } from './outbox';
import {
  AWAITING_RECIPIENTS, CONTEXT_RECIPIENT, CONTEXT_REQUEST, FIRST_RESEND_SECONDS, MAX_RESEND_SECONDS, NOTICE_DETAIL_TYPE, NOTICE_FORMAT,
  RecipientConfig, RECIPIENTS_ENV, WAITING_PK,
} from './recipients-contract';
import { LedgerRequest } from './request';
import { audit, publish, requestKey, Runtime } from './runtime';

/**
 * Recipients (service providers, contractors, third parties) of a DsrWorkflow: each gets its own
 * notice of a deletion, correction or opt-out, and the request is COMPLETED only once every one of
 * them acknowledged (Cal. Civ. Code 1798.105(c)(1), (3); 11 CCR §§ 7022(b), 7023(c), 7026(f)).
 *
 * Ledger: the request item keeps `recipients`, a map of recipient id -> RecipientState (status,
 * times, attempts; no identifier), which STATUS answers; while it waits its status is
 * AWAITING_RECIPIENTS, and one item `pk = RECIPIENTS#WAITING`, `sk = <requestId>` lists the
 * acknowledgement deadlines the deadline check escalates (no identifier either).
 */

export * from './recipients-contract';

export type RecipientStatus = 'PENDING' | 'SENT' | 'FAILED' | 'ACKNOWLEDGED';

/** One recipient's state of one request, in the ledger. */
export interface RecipientState {
  readonly status: RecipientStatus;
  readonly attempts: number;
  /** Acknowledge by (the recipient's acknowledgementTimeout after the request began to wait). */
  readonly ackDueBy: string;
  readonly sentAt?: string;
  readonly lastAttemptAt?: string;
  readonly lastError?: string;
  readonly acknowledgedAt?: string;
  /** What the recipient reported (DELETED, CORRECTED, OPTED_OUT, NOT_FOUND, ...). */
  readonly outcome?: string;
  /** When the notice loop gave up re-sending (the acknowledgement timeout passed): the deadline check escalates. */
  readonly overdueAt?: string;
}

/** The recipients configured in the environment ([] when there are none). */
export function configuredRecipients(): RecipientConfig[] {
  const raw = process.env[RECIPIENTS_ENV];
  if (raw === undefined || raw.trim() === '') return [];
  const parsed = JSON.parse(raw) as RecipientConfig[];
  if (!Array.isArray(parsed) || !parsed.every((r) => typeof r.id === 'string' && typeof r.role === 'string' && Number.isInteger(r.timeoutSeconds))) {
    throw new Error(`${RECIPIENTS_ENV} is invalid: a list of { id, role, timeoutSeconds }`);
  }
  return parsed;
}

/**
 * The recipients the law says a request of `type` must be told of: a deletion, every service
 * provider, contractor and third party (1798.105(c)(1), (3); § 7022(b)); a correction, the service
 * providers and contractors that maintain the information (§ 7023(c)); an opt-out of sale or
 * sharing, the third parties it was sold or shared to (§ 7026(f)). Other types notify nobody.
 */
export function recipientsOf(type: RequestType, recipients: readonly RecipientConfig[]): RecipientConfig[] {
  switch (type) {
    case 'DELETE': return [...recipients];
    case 'CORRECT': return recipients.filter((r) => r.role !== 'third-party');
    case 'OPT_OUT': return recipients.filter((r) => r.role === 'third-party');
    default: return [];
  }
}

/**
 * The waits between the sends of a notice: 15 minutes, doubling to 12 hours, until the
 * acknowledgement timeout (the last wait ends exactly at it). Attempt n (1-based) waits `schedule[n-1]`
 * after sending; when the schedule is spent the notice is overdue.
 */
export function resendSchedule(timeoutSeconds: number): number[] {
  const waits: number[] = [];
  let total = 0;
  let next = FIRST_RESEND_SECONDS;
  while (total < timeoutSeconds) {
    const wait = Math.min(next, timeoutSeconds - total);
    waits.push(wait);
    total += wait;
    next = Math.min(next * 2, MAX_RESEND_SECONDS);
  }
  return waits;
}

/**
 * Finalize, when the request's own work is done: if the request type has recipients, record
 * AWAITING_RECIPIENTS, each recipient's state (kept across re-runs: an acknowledgement is never
 * lost) and the waiting item, and return their ids; otherwise return undefined (complete now).
 * A request that is already COMPLETED (a retry) returns undefined too.
 */
export async function awaitRecipients(rt: Runtime, request: LedgerRequest, now: string): Promise<string[] | undefined> {
  const concerned = recipientsOf(request.type, configuredRecipients());
  if (concerned.length === 0) return undefined;
  const started = await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET #st = :w, awaitingSince = if_not_exists(awaitingSince, :now), recipients = if_not_exists(recipients, :empty)',
    ConditionExpression: '#st <> :c',
    ExpressionAttributeNames: { '#st': 'status' },
    ExpressionAttributeValues: { ':w': { S: AWAITING_RECIPIENTS }, ':c': { S: 'COMPLETED' }, ':now': { S: now }, ':empty': { M: {} } },
  })).then(() => true, (e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
    return false;
  });
  if (!started) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const sets = concerned.map((r, i) => {
    names[`#r${i}`] = r.id;
    const initial: RecipientState = { status: 'PENDING', attempts: 0, ackDueBy: new Date(Date.parse(now) + r.timeoutSeconds * 1000).toISOString() };
    values[`:r${i}`] = { M: marshall(initial) };
    return `recipients.#r${i} = if_not_exists(recipients.#r${i}, :r${i})`;
  });
  const out = await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'UPDATED_NEW',
  }));
  const states = (out.Attributes?.recipients ? unmarshall({ r: out.Attributes.recipients }).r : {}) as Record<string, RecipientState>;
  await writeWaiting(rt, request, states);
  await audit(rt, {
    requestId: request.requestId,
    pseudonym: request.subjectId,
    step: 'Finalize',
    outcome: 'AWAITING_RECIPIENTS',
    detail: { type: request.type, recipients: concerned.length },
    once: 'FINALIZE#AWAITING_RECIPIENTS',
  });
  return concerned.map((r) => r.id);
}

/** The waiting item: the acknowledgement deadlines of the recipients that have not acknowledged yet. */
async function writeWaiting(rt: Runtime, request: LedgerRequest, states: Record<string, RecipientState>): Promise<void> {
  const dues = Object.fromEntries(Object.entries(states).filter(([, s]) => s.status !== 'ACKNOWLEDGED').map(([id, s]) => [id, s.ackDueBy]));
  await rt.ddb.send(new PutItemCommand({
    TableName: rt.ledgerTable,
    Item: marshall({
      pk: WAITING_PK, sk: request.requestId, requestId: request.requestId, pseudonym: request.subjectId, type: request.type, dues, overdue: {},
    }),
  }));
}

/** The state of one recipient's notice loop in the state machine. */
export interface NoticeLoopState {
  readonly requestId: string;
  readonly recipientId: string;
  /** Sends so far in this execution. */
  readonly attempt?: number;
  readonly done?: boolean;
  readonly waitSeconds?: number;
}

/**
 * One turn of a recipient's notice loop: done when the recipient acknowledged (or the request is
 * completed); otherwise send the notice (again), record the attempt (SENT, or FAILED when the
 * event bus refused it: the loop sends again after the wait), and wait the next interval of the
 * schedule; once the schedule (the acknowledgement timeout) is spent, record the notice overdue
 * and end: the deadline check escalates it, and a late acknowledgement still completes the request.
 */
export async function noticeTurn(rt: Runtime, state: NoticeLoopState): Promise<NoticeLoopState> {
  const recipient = configuredRecipients().find((r) => r.id === state.recipientId);
  if (!recipient) throw new Error('the notice names a recipient the workflow does not have');
  const request = await loadForNotice(rt, state.requestId);
  const current = request?.recipients?.[recipient.id];
  if (!request || !current || request.status === 'COMPLETED' || current.status === 'ACKNOWLEDGED') {
    return { requestId: state.requestId, recipientId: recipient.id, attempt: state.attempt ?? 0, done: true };
  }
  const schedule = resendSchedule(recipient.timeoutSeconds);
  const attempt = (state.attempt ?? 0) + 1;
  const now = new Date().toISOString();
  if (attempt > schedule.length) {
    await markOverdue(rt, request, recipient.id, now);
    return { requestId: state.requestId, recipientId: recipient.id, attempt: state.attempt, done: true };
  }
  let error: string | undefined;
  try {
    const detail = await noticeOf(rt, request, recipient, current);
    await publish(rt, NOTICE_DETAIL_TYPE, detail);
  } catch (e) {
    error = safeErrorName((e as Error).name);
  }
  await recordAttempt(rt, request, recipient.id, now, error);
  return { requestId: state.requestId, recipientId: recipient.id, attempt, done: false, waitSeconds: schedule[attempt - 1] };
}

/** A ledger request with its recipients' states. */
type WaitingRequest = LedgerRequest & { readonly recipients?: Record<string, RecipientState>; readonly awaitingSince?: string };

async function loadForNotice(rt: Runtime, requestId: string): Promise<WaitingRequest | undefined> {
  const out = await rt.ddb.send(new GetItemCommand({ TableName: rt.ledgerTable, Key: requestKey(requestId), ConsistentRead: true }));
  return out.Item ? (unmarshall(out.Item) as WaitingRequest) : undefined;
}

/** The request without its identifier (acknowledgements and completion never need it). */
async function loadWaiting(rt: Runtime, requestId: string): Promise<WaitingRequest | undefined> {
  const out = await rt.ddb.send(new GetItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(requestId),
    ConsistentRead: true,
    ProjectionExpression: 'requestId, #t, tenant, subjectId, #st, recipients, clientRequestId, dueBy, exportKey, receivedAt',
    ExpressionAttributeNames: { '#t': 'type', '#st': 'status' },
  }));
  return out.Item ? (unmarshall(out.Item) as WaitingRequest) : undefined;
}

/**
 * The notice: the request (its id, unique per tenant, the tenant, the type and the pseudonym), the
 * categories the recipient receives, the deadline to acknowledge and how; the raw identifier only
 * for a recipient whose contract needs it, then encrypted under its key with the request and the
 * recipient as encryption context (only that recipient's grant decrypts it).
 */
async function noticeOf(rt: Runtime, request: WaitingRequest, recipient: RecipientConfig, state: RecipientState): Promise<Record<string, unknown>> {
  let identifier: Record<string, unknown> | undefined;
  if (recipient.keyArn) {
    const context = { [CONTEXT_REQUEST]: request.requestId, [CONTEXT_RECIPIENT]: recipient.id };
    const out = await rt.kms.send(new EncryptCommand({ KeyId: recipient.keyArn, Plaintext: Buffer.from(request.subject, 'utf8'), EncryptionContext: context }));
    if (!out.CiphertextBlob) throw new Error('KMS Encrypt returned no ciphertext');
    identifier = { ciphertext: Buffer.from(out.CiphertextBlob).toString('base64'), keyArn: recipient.keyArn, encryptionContext: context };
  }
  return {
    format: NOTICE_FORMAT,
    noticeId: `${request.requestId}#${recipient.id}`,
    recipientId: recipient.id,
    requestId: request.requestId,
    tenant: request.tenant,
    type: request.type,
    pseudonym: request.subjectId,
    categories: recipient.categories ?? [],
    ...(recipient.contract ? { contract: recipient.contract } : {}),
    receivedAt: request.receivedAt,
    acknowledgeBy: state.ackDueBy,
    acknowledge: {
      queueUrl: recipient.ackQueueUrl,
      message: { requestId: request.requestId, recipientId: recipient.id, outcome: 'DELETED | CORRECTED | OPTED_OUT | NOT_FOUND' },
    },
    ...(identifier ? { identifier } : {}),
  };
}

async function recordAttempt(rt: Runtime, request: WaitingRequest, recipientId: string, now: string, error: string | undefined): Promise<void> {
  const updated = await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: error
      ? 'SET recipients.#r.#s = :s, recipients.#r.attempts = recipients.#r.attempts + :one, recipients.#r.lastAttemptAt = :now, recipients.#r.lastError = :e'
      : 'SET recipients.#r.#s = :s, recipients.#r.attempts = recipients.#r.attempts + :one, recipients.#r.lastAttemptAt = :now, recipients.#r.sentAt = if_not_exists(recipients.#r.sentAt, :now) REMOVE recipients.#r.lastError',
    ConditionExpression: 'attribute_exists(recipients.#r) AND recipients.#r.#s <> :ack',
    ExpressionAttributeNames: { '#r': recipientId, '#s': 'status' },
    ExpressionAttributeValues: {
      ':s': { S: error ? 'FAILED' : 'SENT' }, ':one': { N: '1' }, ':now': { S: now }, ':ack': { S: 'ACKNOWLEDGED' }, ...(error ? { ':e': { S: error } } : {}),
    },
    ReturnValues: 'UPDATED_NEW',
  })).then((o) => o, (e: Error) => {
    // acknowledged meanwhile: nothing to record
    if (e.name !== 'ConditionalCheckFailedException') throw e;
    return undefined;
  });
  if (!updated) return;
  const attempts = Number(updated.Attributes?.recipients?.M?.[recipientId]?.M?.attempts?.N ?? 0);
  await audit(rt, {
    requestId: request.requestId,
    pseudonym: request.subjectId,
    step: 'RecipientNotice',
    outcome: error ? 'FAILED' : 'SENT',
    detail: { recipient: recipientId, attempt: attempts, ...(error ? { error } : {}) },
  });
}

async function markOverdue(rt: Runtime, request: WaitingRequest, recipientId: string, now: string): Promise<void> {
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET recipients.#r.overdueAt = if_not_exists(recipients.#r.overdueAt, :now)',
    ConditionExpression: 'attribute_exists(recipients.#r) AND recipients.#r.#s <> :ack',
    ExpressionAttributeNames: { '#r': recipientId, '#s': 'status' },
    ExpressionAttributeValues: { ':now': { S: now }, ':ack': { S: 'ACKNOWLEDGED' } },
  })).catch((e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
  });
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: { pk: { S: WAITING_PK }, sk: { S: request.requestId } },
    UpdateExpression: 'SET overdue.#r = :now',
    ConditionExpression: 'attribute_exists(dues.#r)',
    ExpressionAttributeNames: { '#r': recipientId },
    ExpressionAttributeValues: { ':now': { S: now } },
  })).catch((e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
  });
  const state = request.recipients?.[recipientId];
  await audit(rt, {
    requestId: request.requestId,
    pseudonym: request.subjectId,
    step: 'RecipientNotice',
    outcome: 'WARNED',
    detail: { recipient: recipientId, attempts: state?.attempts ?? 0, overdue: true, ackDueBy: state?.ackDueBy ?? '' },
    once: `RECIPIENT#${recipientId}#OVERDUE`,
  });
}

/** What a recipient sends to its acknowledgement queue. */
export interface AcknowledgementMessage {
  readonly requestId?: unknown;
  readonly recipientId?: unknown;
  readonly outcome?: unknown;
}

/** How an acknowledgement was taken. */
export type AcknowledgementResult = 'ACKNOWLEDGED' | 'ALREADY_ACKNOWLEDGED' | 'REFUSED';

const ID = /^[A-Za-z0-9_-]{1,72}$/;
const OUTCOME = /^[A-Z_]{1,32}$/;

/**
 * Record `recipientId`'s acknowledgement (the recipient whose queue the message arrived on: the
 * queue's policy admits only its role). A message that names another recipient, a request the
 * recipient was not notified of, or is malformed is refused (logged, and audited when the request
 * exists), never recorded for anyone. Then the request completes if every recipient acknowledged.
 */
export async function acknowledge(rt: Runtime, recipientId: string, message: AcknowledgementMessage): Promise<AcknowledgementResult> {
  const requestId = typeof message.requestId === 'string' && ID.test(message.requestId) ? message.requestId : undefined;
  const claimed = message.recipientId;
  const outcome = typeof message.outcome === 'string' && OUTCOME.test(message.outcome) ? message.outcome : 'ACKNOWLEDGED';
  const refuse = async (reason: string, request?: WaitingRequest): Promise<AcknowledgementResult> => {
    rt.logger.warn('dsr recipient acknowledgement refused', { recipient: recipientId, reason });
    if (request) {
      await audit(rt, { requestId: request.requestId, pseudonym: request.subjectId, step: 'RecipientAcknowledgement', outcome: 'REFUSED', detail: { recipient: recipientId, reason } });
    }
    return 'REFUSED';
  };
  if (!requestId) return refuse('requestId');
  const request = await loadWaiting(rt, requestId);
  if (claimed !== undefined && claimed !== recipientId) return refuse('recipientId is not the recipient of this queue', request);
  const state = request?.recipients?.[recipientId];
  if (!request || !state) return refuse('no notice to this recipient for this request', request);
  if (state.status === 'ACKNOWLEDGED') {
    await tryComplete(rt, requestId);
    return 'ALREADY_ACKNOWLEDGED';
  }
  const now = new Date().toISOString();
  const recorded = await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(requestId),
    UpdateExpression: 'SET recipients.#r.#s = :ack, recipients.#r.acknowledgedAt = :now, recipients.#r.outcome = :o',
    ConditionExpression: 'attribute_exists(recipients.#r) AND recipients.#r.#s <> :ack',
    ExpressionAttributeNames: { '#r': recipientId, '#s': 'status' },
    ExpressionAttributeValues: { ':ack': { S: 'ACKNOWLEDGED' }, ':now': { S: now }, ':o': { S: outcome } },
  })).then(() => true, (e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
    return false;
  });
  if (recorded) {
    await audit(rt, {
      requestId,
      pseudonym: request.subjectId,
      step: 'RecipientAcknowledgement',
      outcome: 'ACKNOWLEDGED',
      detail: { recipient: recipientId, outcome, attempts: state.attempts, late: Date.parse(now) > Date.parse(state.ackDueBy) },
      once: `RECIPIENT#${recipientId}#ACKNOWLEDGED`,
    });
  }
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: { pk: { S: WAITING_PK }, sk: { S: requestId } },
    UpdateExpression: 'REMOVE dues.#r, overdue.#r',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#r': recipientId },
  })).catch((e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
  });
  await tryComplete(rt, requestId);
  return recorded ? 'ACKNOWLEDGED' : 'ALREADY_ACKNOWLEDGED';
}

/**
 * Complete a request that waits for its recipients, once every one of them acknowledged: COMPLETED
 * and the completion event's outbox in one conditional update (only from AWAITING_RECIPIENTS, so
 * of two concurrent last acknowledgements one completes it), an audit record, the event, and the
 * waiting item removed. Returns the request's status after the call.
 */
export async function tryComplete(rt: Runtime, requestId: string): Promise<string> {
  const request = await loadWaiting(rt, requestId);
  if (!request) return 'MISSING';
  if (request.status === 'COMPLETED') {
    await drainOutbox(rt, requestId).catch(() => false);
    await removeWaiting(rt, requestId);
    return 'COMPLETED';
  }
  const states = Object.entries(request.recipients ?? {});
  if (request.status !== AWAITING_RECIPIENTS || states.length === 0 || states.some(([, s]) => s.status !== 'ACKNOWLEDGED')) return request.status;
  const now = new Date().toISOString();
  const event = completionEvent(rt, request, now, {
    ...(request.exportKey ? { exportKey: request.exportKey } : {}),
    recipients: states.map(([id, s]) => ({ recipientId: id, acknowledgedAt: s.acknowledgedAt, outcome: s.outcome })),
  });
  const completed = await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(requestId),
    UpdateExpression: 'SET #st = :c, completedAt = :now, outbox = :event, #open = :outbox',
    ConditionExpression: '#st = :w',
    ExpressionAttributeNames: { '#st': 'status', '#open': 'open' },
    ExpressionAttributeValues: {
      ':c': { S: 'COMPLETED' }, ':w': { S: AWAITING_RECIPIENTS }, ':now': { S: now }, ':event': { S: JSON.stringify(event) }, ':outbox': { S: shardedIndexValue(OUTBOX_OPEN_VALUE, requestId) },
    },
  })).then(() => true, (e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
    return false;
  });
  if (!completed) {
    const again = await loadWaiting(rt, requestId);
    if (again?.status !== 'COMPLETED') return again?.status ?? 'MISSING';
  }
  await audit(rt, {
    requestId,
    pseudonym: request.subjectId,
    step: 'Recipients',
    outcome: 'COMPLETED',
    detail: { type: request.type, recipients: states.length },
    once: 'RECIPIENTS#COMPLETED',
  });
  await drainOutbox(rt, requestId, !completed);
  await removeWaiting(rt, requestId);
  return 'COMPLETED';
}

async function removeWaiting(rt: Runtime, requestId: string): Promise<void> {
  await rt.ddb.send(new DeleteItemCommand({ TableName: rt.ledgerTable, Key: { pk: { S: WAITING_PK }, sk: { S: requestId } } }));
}

/** A waiting item: the acknowledgement deadlines of one request's recipients that have not acknowledged, and those whose notice loop gave up. */
interface WaitingItem {
  readonly requestId: string;
  readonly pseudonym: string;
  readonly type: string;
  readonly dues?: Record<string, string>;
  readonly overdue?: Record<string, string>;
}

/** A recipient that has not acknowledged in time, as the deadline check reports it. */
export interface OverdueRecipient {
  readonly requestId: string;
  readonly pseudonym: string;
  readonly type: string;
  readonly recipientId: string;
  readonly dueAt: string;
}

/**
 * The deadline check: every recipient that has not acknowledged by its deadline, or whose notice
 * loop gave up (the timeout passed), from the waiting items (a Query of one partition, no
 * identifier; its size is the number of requests waiting for recipients).
 */
export async function overdueRecipients(rt: Runtime, now: number): Promise<OverdueRecipient[]> {
  const overdue: OverdueRecipient[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await rt.ddb.send(new QueryCommand({
      TableName: rt.ledgerTable,
      KeyConditionExpression: 'pk = :w',
      ExpressionAttributeValues: { ':w': { S: WAITING_PK } },
      ExclusiveStartKey: start,
    }));
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw) as WaitingItem;
      for (const [recipientId, dueAt] of Object.entries(item.dues ?? {})) {
        if (Date.parse(dueAt) <= now || item.overdue?.[recipientId] !== undefined) {
          overdue.push({ requestId: item.requestId, pseudonym: item.pseudonym, type: item.type, recipientId, dueAt });
        }
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return overdue;
}

/** STATUS: each recipient's state (no identifier). */
export function recipientStatus(states: Record<string, RecipientState> | undefined): Array<Record<string, unknown>> | undefined {
  if (!states || Object.keys(states).length === 0) return undefined;
  return Object.entries(states).sort(([a], [b]) => a.localeCompare(b)).map(([id, s]) => ({
    recipientId: id,
    status: s.status,
    attempts: s.attempts,
    acknowledgeBy: s.ackDueBy,
    ...(s.sentAt ? { sentAt: s.sentAt } : {}),
    ...(s.lastAttemptAt ? { lastAttemptAt: s.lastAttemptAt } : {}),
    ...(s.lastError ? { lastError: s.lastError } : {}),
    ...(s.acknowledgedAt ? { acknowledgedAt: s.acknowledgedAt } : {}),
    ...(s.outcome ? { outcome: s.outcome } : {}),
    ...(s.overdueAt ? { overdue: true } : {}),
  }));
}
