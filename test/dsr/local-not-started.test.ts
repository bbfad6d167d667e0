/**
 * Requests that never started (issue 14, finding 8), locally: StartExecution throttled past the
 * SDK's retries leaves a RECEIVED request without an execution; the deadline check (run as its
 * schedule would) restarts it the same day, idempotently by execution name.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalDsr, SUBJECTS } from './local/environment';

const [, BOB] = SUBJECTS;
let env: LocalDsr;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 10, itemsPerSubject: 3, objectsPerSubject: 1 });
}, 120_000);
afterAll(async () => env?.close());
afterEach(() => env.reset());

const ledger = async (requestId: string) => (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');
const auditOf = async (requestId: string) => (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);

/** The request was recorded `minutes` ago (the time the check needs to tell a slow start from none). */
async function recordedMinutesAgo(requestId: string, minutes: number): Promise<void> {
  const at = new Date(Date.now() - minutes * 60_000).toISOString();
  await env.ddb.send(new UpdateItemCommand({
    TableName: env.tables.ledger,
    Key: { pk: { S: `REQUEST#${requestId}` }, sk: { S: 'REQUEST' } },
    UpdateExpression: 'SET recordedAt = :t, receivedAt = :t',
    ExpressionAttributeValues: { ':t': { S: at } },
  }));
}

describe('finding 8: a request whose execution never started is restarted within the day', () => {
  test('GIVEN StartExecution throttled past every retry WHEN the deadline check runs THEN it starts the request\'s execution once, and the request completes', async () => {
    env.sfn.fail(3, 'throttle');
    await expect(env.submit({ requestId: 'never-started', type: 'DELETE', ...BOB })).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(env.sfn.executions.has('never-started_r1')).toBe(false);
    expect((await ledger('never-started'))!).toMatchObject({ status: 'RECEIVED', executions: 1 });

    // minutes later, not yet: a request just recorded may be starting right now
    const early = await env.checkDeadlines();
    expect(early).toMatchObject({ restarted: 0, notStarted: 0 });
    expect(env.sfn.executions.has('never-started_r1')).toBe(false);

    await recordedMinutesAgo('never-started', 10);
    const check = await env.checkDeadlines();
    expect(check).toMatchObject({ restarted: 1, notStarted: 0 });
    expect(env.sfn.executions.get('never-started_r1')).toMatchObject({ status: 'RUNNING', input: '{"requestId":"never-started"}' });
    // a second run while the execution is starting: the same execution, nothing started twice
    const again = await env.checkDeadlines();
    expect(again.restarted).toBe(1);
    expect(env.sfn.calls.filter((c) => c.name === 'never-started_r1').map((c) => c.outcome)).toEqual(['REFUSED', 'REFUSED', 'REFUSED', 'STARTED', 'RUNNING']);
    expect((await auditOf('never-started')).filter((r) => r.outcome === 'RESTARTED')).toHaveLength(1);

    const run = await env.runExecution('never-started_r1');
    expect(run.status).toBe('SUCCEEDED');
    expect((await ledger('never-started'))!.status).toBe('COMPLETED');
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(0);
    // completed: the next check leaves it alone
    expect((await env.checkDeadlines()).restarted).toBe(0);
    expect(env.logLines.join('')).not.toContain(BOB.subject);
  });

  test('GIVEN the execution of that name closed without Intake recording anything THEN the check warns (event, audit, at risk) instead of starting another', async () => {
    await env.submit({ requestId: 'closed-unrecorded', type: 'OPT_OUT', ...BOB });
    env.sfn.finish('closed-unrecorded_r1', 'FAILED');
    await recordedMinutesAgo('closed-unrecorded', 10);
    const check = await env.checkDeadlines();
    expect(check).toMatchObject({ restarted: 0, notStarted: 1 });
    expect(check.atRisk).toBeGreaterThanOrEqual(1);
    expect(env.aws.events.filter((e: any) => e.DetailType === 'DSR Request Not Started' && e.Detail.requestId === 'closed-unrecorded')).toHaveLength(1);
    expect((await auditOf('closed-unrecorded')).find((r) => r.step === 'DeadlineCheck')!.detail).toMatchObject({ notStarted: true, error: 'ExecutionAlreadyExists' });
    // the re-submission starts the next execution, as before
    const again = await env.submit({ requestId: 'closed-unrecorded', type: 'OPT_OUT', ...BOB });
    expect(again.started?.name).toBe('closed-unrecorded_r2');
  });
});
