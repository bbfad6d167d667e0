import { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DEADLINE_CHECK_LOG_MESSAGE } from './shared/config';
import { openRequests, queryShards } from './shared/index-query';
import { CHOICE_REQUEST_TYPES, RequestType } from './shared/model';
import { drainOutbox, OUTBOX_OPEN_VALUE } from './shared/outbox';
import { configuredRecipients, overdueRecipients } from './shared/recipients';
import { mayNotHaveStarted, notStartedBefore, restartNotStarted } from './shared/restart';
import { audit, publish, Runtime, runtime } from './shared/runtime';

const DAY = 86_400_000;
/**
 * The earliest deadline of a request is its confirmation deadline, 10 business days after
 * receipt: never fewer than 12 calendar days (received on a Sunday, due on the second Friday).
 * An opt-out's 15 business days are later still.
 */
const MIN_DAYS_TO_FIRST_DEADLINE = 12;

/**
 * Which deadline: confirm receipt (10 business days), respond (45 days) or respond after the
 * extension (90 days) for know/delete/correct; honor an opt-out or limit (15 business days).
 */
export type DeadlineKind = 'CONFIRMATION' | 'RESPONSE' | 'EXTENDED_RESPONSE' | 'HONOR' | 'RECIPIENT_ACKNOWLEDGEMENT';

/** An open request as the ledger's open-requests index projects it: no identifier. */
interface OpenRequest {
  readonly requestId: string;
  readonly subjectId: string;
  readonly type: string;
  readonly status: string;
  readonly receivedAt: string;
  readonly confirmBy?: string;
  readonly confirmedAt?: string;
  readonly dueBy: string;
  readonly extendedDueBy: string;
  readonly extendedAt?: string;
}

export interface DeadlineWarning {
  readonly requestId: string;
  readonly pseudonym: string;
  readonly type: string;
  readonly deadline: DeadlineKind;
  readonly dueAt: string;
  readonly passed: boolean;
  /** RECIPIENT_ACKNOWLEDGEMENT: the recipient that has not acknowledged its notice in time. */
  readonly recipientId?: string;
}

export interface DeadlineCheckResult {
  /** Open requests old enough to be near a deadline (read from the index). */
  readonly checked: number;
  readonly approaching: number;
  readonly passed: number;
  /** Requests with a deadline within the warning window or passed: the metric the alarm watches. */
  readonly atRisk: number;
  /** Completion events delivered from a pending outbox (the first delivery had failed). */
  readonly eventsDelivered: number;
  /** Completion events still pending after this run (publishing failed again). */
  readonly eventsPending: number;
  /** Requests whose execution never started (still RECEIVED minutes after they were recorded), started now. */
  readonly restarted: number;
  /** Requests still without an execution after this run (counted in `atRisk`). */
  readonly notStarted: number;
}

/**
 * DeadlineCheck (scheduled): find the open requests whose confirmation deadline (unless receipt
 * was confirmed) or response deadline (45 days, or 90 once `extendedAt` records the extension
 * notice; 15 business days to honor an opt-out or limit) falls within the warning window or has passed (Cal. Civ. Code 1798.130(a)(2); 11 CCR
 * 7021). For each, an audit record and a "DSR Deadline Approaching" / "DSR Deadline Passed" event
 * naming the request id and pseudonym only. Every run ends with one summary log line, which a
 * metric filter turns into the RequestsAtDeadlineRisk metric (no line: the alarm treats the missing
 * data as breaching, so a check that stops running is noticed too).
 *
 * Reads the ledger's sparse open-requests index only, once a run (Query of each of its shards
 * `open = OPEN#<n>` and the legacy `OPEN`, `receivedAt` bounded, shared/index-query.ts): the cost
 * grows with the open requests, never with the ledger.
 */
export async function handler(_event?: unknown): Promise<DeadlineCheckResult> {
  const rt = runtime();
  const now = Date.now();
  const horizon = now + rt.deadlineWarningSeconds * 1000;
  const receivedBy = new Date(horizon - MIN_DAYS_TO_FIRST_DEADLINE * DAY).toISOString();
  const warnings: DeadlineWarning[] = [];
  const notStarted: Array<Record<string, AttributeValue>> = [];
  let checked = 0;
  // one read of the open-requests index a run (every shard): the deadlines of the requests old
  // enough to be near one, and the requests that may never have started
  const restartBy = notStartedBefore(now);
  for await (const raw of openRequests(rt, receivedBy > restartBy ? receivedBy : restartBy)) {
    if (mayNotHaveStarted(raw, now)) notStarted.push(raw);
    if ((raw.receivedAt?.S ?? '') > receivedBy) continue;
    checked++;
    warnings.push(...deadlinesAtRisk(unmarshall(raw) as OpenRequest, now, horizon));
  }
  // recipients that did not acknowledge their notice in time: the request waits for them (escalated every run)
  if (configuredRecipients().length > 0) {
    for (const r of await overdueRecipients(rt, now)) {
      warnings.push({ requestId: r.requestId, pseudonym: r.pseudonym, type: r.type, deadline: 'RECIPIENT_ACKNOWLEDGEMENT', dueAt: r.dueAt, passed: true, recipientId: r.recipientId });
    }
  }

  for (const w of warnings) {
    await audit(rt, {
      requestId: w.requestId,
      pseudonym: w.pseudonym,
      step: 'DeadlineCheck',
      outcome: 'WARNED',
      detail: { deadline: w.deadline, dueAt: w.dueAt, passed: w.passed, ...(w.recipientId ? { recipient: w.recipientId } : {}) },
    });
    await publish(rt, w.passed ? 'DSR Deadline Passed' : 'DSR Deadline Approaching', {
      requestId: w.requestId,
      pseudonym: w.pseudonym,
      type: w.type,
      deadline: w.deadline,
      dueAt: w.dueAt,
      hoursLeft: Math.floor((Date.parse(w.dueAt) - now) / 3_600_000),
      ...(w.recipientId ? { recipientId: w.recipientId } : {}),
    });
  }
  const passed = warnings.filter((w) => w.passed).length;
  const outbox = await drainOutboxes(rt);
  const restarts = await restartNotStarted(rt, now, notStarted);
  const atRisk = new Set(warnings.map((w) => w.requestId)).size + restarts.notStarted;
  const result = { checked, approaching: warnings.length - passed, passed, atRisk, ...outbox, ...restarts };
  // the metric filter of the RequestsAtDeadlineRisk metric matches this message
  rt.logger.info(DEADLINE_CHECK_LOG_MESSAGE, { ...result, workflow: rt.workflow, warningSeconds: rt.deadlineWarningSeconds });
  return result;
}

/**
 * Deliver every pending completion event (requests COMPLETED whose event publishing failed): the
 * ledger's open-requests index lists them under `open = OUTBOX#<n>` (or the legacy `OUTBOX`). One failure leaves that event
 * pending for the next run and does not stop the others.
 */
async function drainOutboxes(rt: Runtime): Promise<{ eventsDelivered: number; eventsPending: number }> {
  let eventsDelivered = 0;
  let eventsPending = 0;
  for await (const raw of queryShards(rt, { indexName: rt.openRequestsIndex, partitionAttribute: 'open', value: OUTBOX_OPEN_VALUE })) {
    const requestId = raw.requestId?.S ?? raw.pk?.S?.replace(/^REQUEST#/, '');
    if (!requestId) continue;
    try {
      if (await drainOutbox(rt, requestId)) eventsDelivered++;
    } catch {
      eventsPending++;
    }
  }
  return { eventsDelivered, eventsPending };
}

/** The deadlines of one open request that fall before `horizon` (passed: before `now`). */
export function deadlinesAtRisk(r: OpenRequest, now: number, horizon: number): DeadlineWarning[] {
  const due: Array<[DeadlineKind, string | undefined]> = CHOICE_REQUEST_TYPES.includes(r.type as RequestType)
    // an opt-out or limit has one clock: honored within 15 business days, never extended
    ? [['HONOR', r.dueBy]]
    : [
      // receipt is confirmed at Intake; a request recorded without a confirmation still owes one
      ['CONFIRMATION', r.confirmedAt ? undefined : r.confirmBy],
      r.extendedAt ? ['EXTENDED_RESPONSE', r.extendedDueBy] : ['RESPONSE', r.dueBy],
    ];
  return due
    .filter((d): d is [DeadlineKind, string] => d[1] !== undefined && Date.parse(d[1]) <= horizon)
    .map(([deadline, dueAt]) => ({
      requestId: r.requestId, pseudonym: r.subjectId, type: r.type, deadline, dueAt, passed: Date.parse(dueAt) <= now,
    }));
}
