import { AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { RESTART_ATTRIBUTES } from './config';
import { openRequests } from './index-query';
import { executionName } from './model';
import { audit, publish, requestKey, Runtime } from './runtime';

/** A request still RECEIVED this long after it was recorded never reached Intake: its execution did not start. */
export const NOT_STARTED_AFTER_MS = 5 * 60_000;


/**
 * Restart the requests whose execution never started (StartExecution throttled past the SDK's
 * retries after the request was recorded): open requests still RECEIVED more than
 * NOT_STARTED_AFTER_MS after they were recorded. The restart repeats the Requests function's own
 * StartExecution, same name and input, so it is idempotent: a running execution of that name is
 * answered again, never started twice. A name already closed (the execution ended without Intake
 * recording anything) is not retried here: it is warned about (audit, "DSR Request Not Started"
 * event) and counted at risk, and a re-submission starts the next execution.
 * `open`: the open requests to look at (the deadline check passes what its one read of the
 * open-requests index found); by default the index is read here.
 */
export async function restartNotStarted(
  rt: Runtime,
  now: number,
  open: AsyncIterable<Record<string, AttributeValue>> | Iterable<Record<string, AttributeValue>> = openRequests(rt, notStartedBefore(now)),
): Promise<{ restarted: number; notStarted: number }> {
  let restarted = 0;
  let notStarted = 0;
  for await (const raw of open) {
    if (!mayNotHaveStarted(raw, now)) continue;
    const requestId = raw.requestId?.S;
    if (!requestId) continue;
    const outcome = await restartOne(rt, requestId, raw.subjectId?.S, now);
    if (outcome === 'RESTARTED') restarted++;
    if (outcome === 'NOT_STARTED') notStarted++;
  }
  return { restarted, notStarted };
}

/** The latest receipt time (ISO 8601) of a request that may not have started by `now`. */
export function notStartedBefore(now: number): string {
  return new Date(now - NOT_STARTED_AFTER_MS).toISOString();
}

/** Whether an open request (as the open-requests index projects it) is still RECEIVED and old enough to be restarted. */
export function mayNotHaveStarted(raw: Record<string, AttributeValue>, now: number): boolean {
  return raw.status?.S === 'RECEIVED' && (raw.receivedAt?.S ?? '') <= notStartedBefore(now);
}

async function restartOne(rt: Runtime, requestId: string, pseudonym: string | undefined, now: number): Promise<'RESTARTED' | 'NOT_STARTED' | 'SKIPPED'> {
  const names = Object.fromEntries(RESTART_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  const got = await rt.ddb.send(new GetItemCommand({
    TableName: rt.ledgerTable, Key: requestKey(requestId), ConsistentRead: true, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names,
  }));
  const item = got.Item;
  // moved on meanwhile, or recorded too recently to tell (its execution may be starting now)
  if (item?.status?.S !== 'RECEIVED') return 'SKIPPED';
  const recordedAt = Date.parse(item.recordedAt?.S ?? '');
  if (Number.isNaN(recordedAt) || now - recordedAt < NOT_STARTED_AFTER_MS) return 'SKIPPED';
  const name = executionName(requestId, Number(item.executions?.N ?? '1'));
  try {
    await rt.sfn.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn, name, input: JSON.stringify({ requestId }) }));
  } catch (e) {
    const error = /^[A-Za-z0-9._-]{1,80}$/.test((e as Error).name) ? (e as Error).name : 'Error';
    await audit(rt, { requestId, pseudonym, step: 'DeadlineCheck', outcome: 'WARNED', detail: { notStarted: true, execution: name, error }, once: `RESTART#${name}#WARNED` });
    if (error === 'ExecutionAlreadyExists') await publish(rt, 'DSR Request Not Started', { requestId, pseudonym, execution: name });
    return 'NOT_STARTED';
  }
  await audit(rt, { requestId, pseudonym, step: 'DeadlineCheck', outcome: 'RESTARTED', detail: { execution: name }, once: `RESTART#${name}` });
  return 'RESTARTED';
}
