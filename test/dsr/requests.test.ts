/**
 * The Requests function, the one way into a DsrWorkflow: SUBMIT (validate, pseudonymize, record,
 * StartExecution `<requestId>_r<n>` with `{ requestId }` only), re-submission, STATUS and EXTEND,
 * directly and as DsrApi's proxy events. The real handler runs with its variables from the
 * synthesized template (DSR_STATE_MACHINE_ARN, DSR_HOLIDAYS) against dynalite and the KMS,
 * EventBridge and Step Functions stand-ins; executions it starts run through the synthesized
 * state machine (aws-local-stepfunctions, tasks bound to the real handlers) where a test needs them.
 */
import { createHmac } from 'crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalDsr, SUBJECTS } from './local/environment';
import { STAND_IN_MAC_KEY } from './local/stand-ins';
import { shardedIndexValue } from '../../lib/dsr/handlers/shared/model';

const [ALICE, BOB, GLOBEX_ALICE] = SUBJECTS;
const DAY = 86_400_000;
/** The holidays the workflow is synthesized with (DSR_HOLIDAYS on the Requests function). */
const HOLIDAYS = ['2026-12-25', '2025-12-25', '2025-12-24', '2026-01-01'];
/** Values that must never leave the ledger: the subjects, and the corrections and extension reasons used below. */
const SECRETS = [
  ...new Set(SUBJECTS.map((s) => s.subject)), 'carol@example.com', 'dave@example.com', 'erin@example.com',
  'Oakland-Corrected', 'zip-94601-corrected', 'Archived records of the consumer are being restored',
];
let env: LocalDsr;

beforeAll(async () => { env = await LocalDsr.start({ fillerItems: 0, itemsPerSubject: 5, objectsPerSubject: 2, holidays: HOLIDAYS }); }, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());

async function ledger(requestId: string): Promise<Record<string, any> | undefined> {
  return (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');
}

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.pk === `REQUEST#${requestId}`);
}

async function stepsOf(requestId: string): Promise<string[]> {
  return (await auditOf(requestId)).map((r) => `${r.step}:${r.outcome}`);
}

/** What KMS GenerateMac (the stand-in's key) makes of a subject in a tenant. */
function pseudonymOf(tenant: string, subject: string): string {
  return createHmac('sha256', STAND_IN_MAC_KEY).update(Buffer.from(`${tenant}\u0000${subject}`, 'utf8')).digest('base64url');
}

const status = (tenant: string, requestId: string) => env.requests({ action: 'STATUS', tenant, requestId });
const extend = (tenant: string, requestId: string, reason: unknown) => env.requests({ action: 'EXTEND', tenant, requestId, reason });
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Counts that an operation which records nothing and starts nothing leaves unchanged. */
async function footprint(): Promise<{ ledger: number; audit: number; starts: number; macs: number }> {
  return {
    ledger: (await env.scan(env.tables.ledger)).length,
    audit: (await env.scan(env.tables.audit)).length,
    starts: env.sfn.calls.length,
    macs: env.aws.macCalls,
  };
}

describe('SUBMIT', () => {
  test('GIVEN a request WHEN submitted THEN the ledger records it (the raw subject there only, with its pseudonym and deadlines) and <requestId>_r1 starts with { requestId } only', async () => {
    const before = Date.now();
    const submitted = await env.submit({ requestId: 'submit-1', type: 'DELETE', ...ALICE });
    const request = (await ledger('submit-1'))!;
    expect(request).toMatchObject({
      requestId: 'submit-1',
      type: 'DELETE',
      tenant: 'acme',
      subject: ALICE.subject,
      subjectId: pseudonymOf('acme', ALICE.subject),
      status: 'RECEIVED',
      open: shardedIndexValue('OPEN', 'submit-1'),
      attempts: 0,
      executions: 1,
    });
    expect(request.subjectId).not.toBe(pseudonymOf('globex', ALICE.subject)); // per tenant
    expect(Date.parse(request.receivedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(request.confirmedAt).toBeUndefined(); // confirmed when the business's notifier says so (CONFIRM), not by this record
    expect(Date.parse(request.dueBy) - Date.parse(request.receivedAt)).toBe(45 * DAY);
    expect(Date.parse(request.extendedDueBy) - Date.parse(request.receivedAt)).toBe(90 * DAY);
    expect(request.corrections).toBeUndefined();

    expect(submitted.calls).toEqual([expect.objectContaining({ stateMachineArn: env.stateMachineArn, name: 'submit-1_r1', input: '{"requestId":"submit-1"}', outcome: 'STARTED' })]);
    expect(env.sfn.executions.get('submit-1_r1')).toMatchObject({ input: '{"requestId":"submit-1"}', status: 'RUNNING' });
    expect(submitted.result).toEqual({
      requestId: 'submit-1',
      type: 'DELETE',
      status: 'RECEIVED',
      receivedAt: request.receivedAt,
      confirmBy: request.confirmBy,
      dueBy: request.dueBy,
      extended: false,
      execution: 'submit-1_r1',
    });
    const audit = await auditOf('submit-1');
    expect(audit).toEqual([expect.objectContaining({
      step: 'Submit',
      outcome: 'RECEIVED',
      subjectId: request.subjectId,
      detail: { type: 'DELETE', stores: 2, confirmBy: request.confirmBy, dueBy: request.dueBy },
    })]);
    expect(JSON.stringify(audit)).not.toContain(ALICE.subject);
    expect(env.logLines.join('\n')).not.toContain(ALICE.subject);
    // a submission publishes only what the business must tell the consumer (11 CCR 7021(a)): no identifier
    expect(env.aws.events.map((e) => e.DetailType)).toEqual(['DSR Confirmation Due']);
    expect(JSON.stringify(env.aws.events)).not.toContain(ALICE.subject);
  });

  test('GIVEN OPT_OUT and CORRECT WHEN submitted THEN the audit counts no stores for OPT_OUT, and the corrections are in the ledger only', async () => {
    await env.submit({ requestId: 'submit-optout', type: 'OPT_OUT', ...BOB });
    expect((await auditOf('submit-optout'))[0].detail).toMatchObject({ type: 'OPT_OUT', stores: 0 });
    const corrections = { city: 'Oakland-Corrected', zip: 'zip-94601-corrected', nickname: null };
    const submitted = await env.submit({ requestId: 'submit-correct', type: 'CORRECT', ...BOB, corrections });
    expect((await ledger('submit-correct'))!.corrections).toEqual(corrections);
    expect(submitted.started?.input).toBe('{"requestId":"submit-correct"}');
    for (const v of ['Oakland-Corrected', 'zip-94601-corrected']) {
      expect(JSON.stringify(submitted.result)).not.toContain(v);
      expect(JSON.stringify(await auditOf('submit-correct'))).not.toContain(v);
    }
  });

  test('GIVEN a receipt time in the past WHEN submitted THEN the deadlines run from it, not from the submission', async () => {
    const receivedAt = '2026-10-01T09:30:00.000Z';
    await env.submit({ requestId: 'submit-past', type: 'ACCESS', ...BOB, receivedAt });
    expect((await ledger('submit-past'))!).toMatchObject({ receivedAt, dueBy: '2026-11-15T09:30:00.000Z', extendedDueBy: '2026-12-30T09:30:00.000Z' });
  });

  const bad: Array<[string, Record<string, unknown> | undefined]> = [
    ['a requestId with a space', { requestId: 'bad id', type: 'DELETE', tenant: 'acme', subject: 'carol@example.com' }],
    ['a requestId of 65 characters', { requestId: 'r'.repeat(65), type: 'DELETE', tenant: 'acme', subject: 'carol@example.com' }],
    ['an unknown type', { requestId: 'bad-type', type: 'ERASE', tenant: 'acme', subject: 'carol@example.com' }],
    ['a tenant with a slash', { requestId: 'bad-tenant', type: 'DELETE', tenant: 'ac/me', subject: 'carol@example.com' }],
    ['a subject with a slash', { requestId: 'bad-subject', type: 'DELETE', tenant: 'acme', subject: 'carol/x@example.com' }],
    ['a subject with a #', { requestId: 'bad-subject-hash', type: 'DELETE', tenant: 'acme', subject: 'carol#x@example.com' }],
    ['an empty subject', { requestId: 'bad-subject-empty', type: 'DELETE', tenant: 'acme', subject: '' }],
    ['a subject of 257 characters', { requestId: 'bad-subject-long', type: 'DELETE', tenant: 'acme', subject: `carol@example.com${'x'.repeat(240)}` }],
    ['a receipt time that is no time', { requestId: 'bad-time', type: 'DELETE', tenant: 'acme', subject: 'carol@example.com', receivedAt: 'yesterday' }],
    ['a receipt time in the future', { requestId: 'bad-future', type: 'DELETE', tenant: 'acme', subject: 'carol@example.com', receivedAt: new Date(Date.now() + DAY).toISOString() }],
    ['CORRECT without corrections', { requestId: 'bad-correct', type: 'CORRECT', tenant: 'acme', subject: 'carol@example.com' }],
    ['CORRECT with no attribute', { requestId: 'bad-correct-empty', type: 'CORRECT', tenant: 'acme', subject: 'carol@example.com', corrections: {} }],
    ['CORRECT with an object value', { requestId: 'bad-correct-value', type: 'CORRECT', tenant: 'acme', subject: 'carol@example.com', corrections: { city: { x: 'carol@example.com' } } }],
    ['CORRECT with a bad attribute name', { requestId: 'bad-correct-name', type: 'CORRECT', tenant: 'acme', subject: 'carol@example.com', corrections: { 'carol@example.com/x': 'y' } }],
    ['corrections with DELETE', { requestId: 'bad-delete-corrections', type: 'DELETE', tenant: 'acme', subject: 'carol@example.com', corrections: { city: 'x' } }],
    ['no request at all', undefined],
  ];
  test.each(bad)('GIVEN %s WHEN submitted THEN DsrInvalidRequestError, without echoing it: nothing recorded, nothing started', async (_what, request) => {
    const before = await footprint();
    const error = await env.requests({ action: 'SUBMIT', request }).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'DsrInvalidRequestError' });
    expect(error.message).not.toContain('carol');
    expect(await footprint()).toEqual(before);
  });

  test('GIVEN an unknown action THEN DsrInvalidRequestError', async () => {
    await expect(env.requests({ action: 'PURGE', requestId: 'x' })).rejects.toMatchObject({ name: 'DsrInvalidRequestError' });
    await expect(env.requests({})).rejects.toMatchObject({ name: 'DsrInvalidRequestError' });
  });
});

describe('the same request id again', () => {
  const base = { requestId: 'conflict-1', type: 'CORRECT', ...ALICE, corrections: { city: 'Oakland-Corrected', zip: 'zip-94601-corrected' } };
  beforeAll(async () => { await env.submit(base); });

  test.each([
    ['subject', { ...base, subject: 'erin@example.com' }],
    ['type', { requestId: 'conflict-1', type: 'DELETE', ...ALICE }],
    // another tenant's request of the same id is a request of its own (test/dsr/local-consent.test.ts): no 409 oracle
    ['corrections (a value)', { ...base, corrections: { city: 'Oakland-Other', zip: 'zip-94601-corrected' } }],
    ['corrections (an attribute fewer)', { ...base, corrections: { city: 'Oakland-Corrected' } }],
  ])('GIVEN a different %s THEN DsrConflictError: the recorded request is unchanged, nothing started or audited', async (_what, request) => {
    const recorded = await ledger('conflict-1');
    const before = await footprint();
    const error = await env.submit(request).then(() => undefined, (e: Error) => e);
    expect(error).toMatchObject({ name: 'DsrConflictError' });
    expect(error!.message).not.toMatch(/erin|alice|Oakland/);
    expect(await ledger('conflict-1')).toEqual(recorded);
    expect({ ...(await footprint()), macs: 0 }).toEqual({ ...before, macs: 0 });
  });

  test('GIVEN the same corrections in another key order, and another receipt time THEN it is the same request: the first receipt time stands, no second execution', async () => {
    const recorded = (await ledger('conflict-1'))!;
    const again = await env.submit({ ...base, corrections: { zip: 'zip-94601-corrected', city: 'Oakland-Corrected' }, receivedAt: ago(3) });
    expect(again.calls.map((c) => [c.name, c.outcome])).toEqual([['conflict-1_r1', 'RUNNING']]);
    expect(again.result).toMatchObject({ receivedAt: recorded.receivedAt, execution: 'conflict-1_r1' });
    expect(await ledger('conflict-1')).toEqual(recorded);
    expect(await stepsOf('conflict-1')).toEqual(['Submit:RECEIVED']);
  });
});

describe('re-submission', () => {
  test('GIVEN a running execution WHEN the request is submitted again THEN Step Functions answers that execution: no second one, nothing audited', async () => {
    const first = await env.submit({ requestId: 'again-running', type: 'OPT_OUT', ...GLOBEX_ALICE });
    const second = await env.submit({ requestId: 'again-running', type: 'OPT_OUT', ...GLOBEX_ALICE });
    expect(second.calls).toEqual([expect.objectContaining({ name: 'again-running_r1', input: first.started!.input, outcome: 'RUNNING', executionArn: first.started!.executionArn })]);
    expect(second.result).toMatchObject({ status: 'RECEIVED', execution: 'again-running_r1' });
    expect([...env.sfn.executions.keys()].filter((n) => n.startsWith('again-running'))).toEqual(['again-running_r1']);
    expect(await stepsOf('again-running')).toEqual(['Submit:RECEIVED']);
    expect((await ledger('again-running'))!.executions).toBe(1);
  });

  test('GIVEN a completed request WHEN submitted again THEN it answers COMPLETED without starting anything', async () => {
    const run = await env.run({ requestId: 'again-done', type: 'OPT_OUT', ...GLOBEX_ALICE });
    expect(run.status).toBe('SUCCEEDED');
    const steps = await stepsOf('again-done');
    const again = await env.submit({ requestId: 'again-done', type: 'OPT_OUT', ...GLOBEX_ALICE });
    expect(again.calls).toEqual([]);
    expect(again.result).toMatchObject({ status: 'COMPLETED', completedAt: expect.any(String) });
    expect(again.result.execution).toBeUndefined();
    expect(await stepsOf('again-done')).toEqual(steps);
  });

  test.each(['FAILED', 'TIMED_OUT', 'ABORTED'] as const)('GIVEN its execution %s WHEN submitted again THEN _r1 is refused (ExecutionAlreadyExists) and _r2 starts, audited; it completes the request', async (closed) => {
    const id = `again-${closed.toLowerCase().replace('_', '-')}`;
    await env.submit({ requestId: id, type: 'OPT_OUT', ...BOB });
    env.sfn.finish(`${id}_r1`, closed);
    const again = await env.submit({ requestId: id, type: 'OPT_OUT', ...BOB });
    expect(again.calls.map((c) => [c.name, c.outcome, c.input])).toEqual([
      [`${id}_r1`, 'ALREADY_EXISTS', JSON.stringify({ requestId: id })],
      [`${id}_r2`, 'STARTED', JSON.stringify({ requestId: id })],
    ]);
    expect(again.result).toMatchObject({ status: 'RECEIVED', execution: `${id}_r2` });
    expect((await ledger(id))!.executions).toBe(2);
    const records = await auditOf(id);
    expect(records.map((r) => `${r.step}:${r.outcome}`)).toEqual(['Submit:RECEIVED', 'Submit:RESUBMITTED']);
    expect(records[1].detail).toEqual({ execution: 2 });
    // and once more while _r2 runs: it is answered, nothing else
    const third = await env.submit({ requestId: id, type: 'OPT_OUT', ...BOB });
    expect(third.calls.map((c) => [c.name, c.outcome])).toEqual([[`${id}_r2`, 'RUNNING']]);
    const run = await env.runExecution(`${id}_r2`);
    expect(run.status).toBe('SUCCEEDED');
    expect((await ledger(id))!).toMatchObject({ status: 'COMPLETED', executions: 2, attempts: 1 });
    expect(await stepsOf(id)).toEqual(['Submit:RECEIVED', 'Submit:RESUBMITTED', 'Intake:STARTED', 'Finalize:COMPLETED']);
  });

  test('GIVEN a request recorded by an earlier version (no executions counter) whose execution failed WHEN submitted again THEN _r2 starts', async () => {
    const id = 'again-legacy';
    await env.submit({ requestId: id, type: 'OPT_OUT', ...BOB });
    env.sfn.finish(`${id}_r1`, 'FAILED');
    await env.ddb.send(new UpdateItemCommand({
      TableName: env.tables.ledger, Key: { pk: { S: `REQUEST#${id}` }, sk: { S: 'REQUEST' } }, UpdateExpression: 'REMOVE executions',
    }));
    const again = await env.submit({ requestId: id, type: 'OPT_OUT', ...BOB });
    expect(again.calls.map((c) => [c.name, c.outcome])).toEqual([[`${id}_r1`, 'ALREADY_EXISTS'], [`${id}_r2`, 'STARTED']]);
    expect((await ledger(id))!.executions).toBe(2);
  });

  test('GIVEN StartExecution keeps failing WHEN submitted THEN the error reaches the caller with the request recorded; the re-submission starts _r1', async () => {
    env.sfn.fail(3, 'throttle'); // DSR_SDK_MAX_ATTEMPTS is 3: every attempt throttled
    await expect(env.submit({ requestId: 'again-throttled', type: 'OPT_OUT', ...BOB })).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(env.sfn.calls.filter((c) => c.name === 'again-throttled_r1').map((c) => c.outcome)).toEqual(['REFUSED', 'REFUSED', 'REFUSED']);
    expect(env.sfn.executions.has('again-throttled_r1')).toBe(false);
    expect((await ledger('again-throttled'))!).toMatchObject({ status: 'RECEIVED', executions: 1 });
    const again = await env.submit({ requestId: 'again-throttled', type: 'OPT_OUT', ...BOB });
    expect(again.calls.map((c) => [c.name, c.outcome])).toEqual([['again-throttled_r1', 'STARTED']]);
    expect(await stepsOf('again-throttled')).toEqual(['Submit:RECEIVED']);
  });
});

describe('holidays', () => {
  test('the Requests function gets the construct\'s holidays, deduplicated and sorted', () => {
    expect(env.requestsEnvironment.DSR_HOLIDAYS).toBe('2025-12-24,2025-12-25,2026-01-01,2026-12-25');
  });

  test('GIVEN holidays WHEN a request is received before them THEN confirmBy skips them, with the weekends; without them it is earlier', async () => {
    // Friday 2025-12-19: Mon 22, Tue 23, (24, 25 holidays) Fri 26, Mon 29, Tue 30, Wed 31, (Jan 1 holiday) Fri 2, Mon 5, Tue 6, Wed 7
    const receivedAt = '2025-12-19T10:00:00.000Z';
    const withHolidays = await env.submit({ requestId: 'holidays-on', type: 'ACCESS', ...BOB, receivedAt });
    expect(withHolidays.result.confirmBy).toBe('2026-01-07T10:00:00.000Z');
    expect((await ledger('holidays-on'))!.confirmBy).toBe('2026-01-07T10:00:00.000Z');
    expect((await auditOf('holidays-on'))[0].detail.confirmBy).toBe('2026-01-07T10:00:00.000Z');
    // the response deadline is in calendar days: holidays do not move it
    expect(withHolidays.result.dueBy).toBe('2026-02-02T10:00:00.000Z');

    env.applyEnv({}, { DSR_HOLIDAYS: undefined });
    const without = await env.submit({ requestId: 'holidays-off', type: 'ACCESS', ...BOB, receivedAt });
    // Mon 22 ... Fri 26, Mon 29 ... Fri Jan 2: weekends skipped only
    expect(without.result.confirmBy).toBe('2026-01-02T10:00:00.000Z');
    expect(without.result.dueBy).toBe('2026-02-02T10:00:00.000Z');
  });
});

describe('STATUS', () => {
  beforeAll(async () => {
    await env.submit({ requestId: 'status-1', type: 'CORRECT', ...BOB, corrections: { city: 'Oakland-Corrected' } });
  });

  test('GIVEN the request\'s tenant THEN its state and deadlines, never the subject or corrections', async () => {
    const request = (await ledger('status-1'))!;
    const answer = await status('acme', 'status-1');
    expect(answer).toEqual({
      requestId: 'status-1',
      type: 'CORRECT',
      status: 'RECEIVED',
      receivedAt: request.receivedAt,
      confirmBy: request.confirmBy,
      dueBy: request.dueBy,
      extended: false,
      execution: 'status-1_r1',
    });
    expect(JSON.stringify(answer)).not.toMatch(/bob@example\.com|Oakland-Corrected/);
  });

  test('GIVEN another tenant, or a request id never submitted THEN DsrNotFoundError, the same answer for both', async () => {
    const other = await status('globex', 'status-1').catch((e: Error) => e);
    const missing = await status('acme', 'status-never').catch((e: Error) => e);
    expect(other).toMatchObject({ name: 'DsrNotFoundError' });
    expect(missing).toMatchObject({ name: 'DsrNotFoundError', message: other.message });
  });

  test('GIVEN a malformed tenant or request id THEN DsrInvalidRequestError', async () => {
    await expect(status('ac/me', 'status-1')).rejects.toMatchObject({ name: 'DsrInvalidRequestError' });
    await expect(status('acme', 'status 1')).rejects.toMatchObject({ name: 'DsrInvalidRequestError' });
    await expect(status(undefined as unknown as string, 'status-1')).rejects.toMatchObject({ name: 'DsrInvalidRequestError' });
  });

  test('GIVEN a completed ACCESS request THEN a freshly signed report link, again after the first one expired, while the report exists', async () => {
    env.applyEnv({ exportLinkSeconds: 2 });
    const run = await env.run({ requestId: 'status-access', type: 'ACCESS', ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    const request = (await ledger('status-access'))!;
    const valid = await status('acme', 'status-access');
    expect(valid).toMatchObject({ status: 'COMPLETED', completedAt: request.completedAt, report: { url: expect.stringContaining('/status-access/report.json?') } });
    expect(valid.report.url).toMatch(/X-Amz-Expires=2&/);
    expect(Date.parse(valid.report.expiresAt)).toBeLessThanOrEqual(Date.now() + 2_000);
    // another tenant sees no link: it sees no request
    await expect(status('globex', 'status-access')).rejects.toMatchObject({ name: 'DsrNotFoundError' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(request.exportUrlExpiresAt) - Date.now()) + 50));
    // the first link has expired: STATUS signs a new one (issue 14, finding 10), never answers the stale one
    const later = await status('acme', 'status-access');
    expect(later).toMatchObject({ status: 'COMPLETED' });
    expect(later.report.url).not.toBe(request.exportUrl);
    expect(Date.parse(later.report.expiresAt)).toBeGreaterThan(Date.parse(request.exportUrlExpiresAt));
    expect((await ledger('status-access'))!.exportUrl).toBe(request.exportUrl); // kept in the ledger
  });

  test('GIVEN a completed request of another type THEN no report', async () => {
    await env.run({ requestId: 'status-optout', type: 'OPT_OUT', ...BOB });
    const answer = await status('acme', 'status-optout');
    expect(answer).toMatchObject({ status: 'COMPLETED', execution: 'status-optout_r1' });
    expect(answer.report).toBeUndefined();
  });
});

describe('EXTEND', () => {
  const REASON = 'Archived records of the consumer are being restored';
  let received: Record<string, any>;
  let extended: any;

  beforeAll(async () => {
    await env.submit({ requestId: 'extend-1', type: 'ACCESS', ...ALICE, receivedAt: ago(10) });
    received = (await ledger('extend-1'))!;
    extended = await extend('acme', 'extend-1', REASON);
  });

  test('GIVEN an open request within its 45 days THEN the extension and its reason are recorded, and the response deadline becomes the 90-day one', async () => {
    expect(extended).toMatchObject({ requestId: 'extend-1', extended: true, dueBy: received.extendedDueBy });
    expect(Date.parse(extended.dueBy) - Date.parse(received.receivedAt)).toBe(90 * DAY);
    const request = (await ledger('extend-1'))!;
    expect(request.extensionReason).toBe(REASON);
    expect(Date.now() - Date.parse(request.extendedAt)).toBeLessThan(60_000);
    expect(request.dueBy).toBe(received.dueBy); // the 45-day date stays on record
    expect(await status('acme', 'extend-1')).toMatchObject({ dueBy: received.extendedDueBy, extended: true });
  });

  test('THEN it is audited (Extend:EXTENDED with the new deadline), the reason in the ledger only', async () => {
    const records = await auditOf('extend-1');
    expect(records.map((r) => `${r.step}:${r.outcome}`)).toEqual(['Submit:RECEIVED', 'Extend:EXTENDED']);
    expect(records[1]).toMatchObject({ subjectId: received.subjectId, detail: { extendedDueBy: received.extendedDueBy } });
    expect(JSON.stringify(records)).not.toContain(REASON);
    expect(JSON.stringify(extended)).not.toContain(REASON);
    expect(env.logLines.join('\n')).not.toContain(REASON);
  });

  test('WHEN extended a second time THEN DsrConflictError, the first extension unchanged', async () => {
    const request = (await ledger('extend-1'))!;
    await expect(extend('acme', 'extend-1', 'Another reason')).rejects.toMatchObject({ name: 'DsrConflictError', message: expect.stringMatching(/already extended/) });
    expect(await ledger('extend-1')).toEqual(request);
    expect(await stepsOf('extend-1')).toEqual(['Submit:RECEIVED', 'Extend:EXTENDED']);
  });

  test('GIVEN a request past its 45 days THEN DsrConflictError: the extension had to be noticed within them', async () => {
    await env.submit({ requestId: 'extend-late', type: 'ACCESS', ...ALICE, receivedAt: ago(46) });
    await expect(extend('acme', 'extend-late', REASON)).rejects.toMatchObject({ name: 'DsrConflictError', message: expect.stringMatching(/passed/) });
    expect((await ledger('extend-late'))!.extendedAt).toBeUndefined();
    expect(await stepsOf('extend-late')).toEqual(['Submit:RECEIVED']);
  });

  test('GIVEN a completed request THEN DsrConflictError', async () => {
    const run = await env.run({ requestId: 'extend-done', type: 'ACCESS', ...ALICE });
    expect(run.status).toBe('SUCCEEDED');
    await expect(extend('acme', 'extend-done', REASON)).rejects.toMatchObject({ name: 'DsrConflictError', message: expect.stringMatching(/completed/) });
    expect((await ledger('extend-done'))!.extendedAt).toBeUndefined();
  });

  test('GIVEN another tenant\'s request THEN DsrNotFoundError, nothing recorded', async () => {
    await env.submit({ requestId: 'extend-other', type: 'ACCESS', ...GLOBEX_ALICE });
    await expect(extend('acme', 'extend-other', REASON)).rejects.toMatchObject({ name: 'DsrNotFoundError' });
    expect((await ledger('extend-other'))!.extendedAt).toBeUndefined();
  });

  test.each([
    ['empty', ''], ['blank', '   '], ['1,001 characters', 'r'.repeat(1001)], ['a control character', 'first line\nsecond line'],
    ['not a string', 42], ['missing', undefined],
  ])('GIVEN a reason that is %s THEN DsrInvalidRequestError, nothing recorded', async (_what, reason) => {
    await env.submit({ requestId: 'extend-bad-reason', type: 'ACCESS', ...BOB });
    await expect(extend('acme', 'extend-bad-reason', reason)).rejects.toMatchObject({ name: 'DsrInvalidRequestError' });
    expect((await ledger('extend-bad-reason'))!.extendedAt).toBeUndefined();
    expect(await stepsOf('extend-bad-reason')).toEqual(['Submit:RECEIVED']);
  });

  test('GIVEN a reason of exactly 1,000 characters THEN it is accepted', async () => {
    await env.submit({ requestId: 'extend-long-reason', type: 'ACCESS', ...BOB });
    await expect(extend('acme', 'extend-long-reason', 'r'.repeat(1000))).resolves.toMatchObject({ extended: true });
  });
});

describe('the deadline check after EXTEND', () => {
  test('GIVEN a request 3 days before its 45-day deadline THEN it is warned; once extended it is not, and the 90-day deadline is the one watched', async () => {
    await env.submit({ requestId: 'deadline-extended', type: 'ACCESS', ...BOB, receivedAt: ago(42) });
    // receipt confirmed in time (what the notifier's CONFIRM records): only the response deadline is left
    await env.ddb.send(new UpdateItemCommand({
      TableName: env.tables.ledger,
      Key: { pk: { S: 'REQUEST#deadline-extended' }, sk: { S: 'REQUEST' } },
      UpdateExpression: 'SET confirmedAt = :t',
      ExpressionAttributeValues: { ':t': { S: ago(41) } },
    }));
    const request = (await ledger('deadline-extended'))!;
    const warningsOf = async () => {
      env.aws.events.length = 0;
      await env.checkDeadlines();
      return env.aws.events.filter((e: any) => e.Detail.requestId === 'deadline-extended').map((e: any) => [e.DetailType, e.Detail.deadline, e.Detail.dueAt]);
    };
    expect(await warningsOf()).toEqual([['DSR Deadline Approaching', 'RESPONSE', request.dueBy]]);

    await extend('acme', 'deadline-extended', 'Archived records of the consumer are being restored');
    expect(await warningsOf()).toEqual([]);
    // with a window that reaches the 90-day deadline, that deadline is the one warned about
    env.applyEnv({ deadlineWarningSeconds: 50 * 86_400 });
    expect(await warningsOf()).toEqual([['DSR Deadline Approaching', 'EXTENDED_RESPONSE', request.extendedDueBy]]);
    expect((await auditOf('deadline-extended')).map((r) => `${r.step}:${r.outcome}:${r.detail.deadline ?? ''}`)).toEqual([
      'Submit:RECEIVED:', 'DeadlineCheck:WARNED:RESPONSE', 'Extend:EXTENDED:', 'DeadlineCheck:WARNED:EXTENDED_RESPONSE',
    ]);
  });
});

describe('DsrApi proxy events', () => {
  const IAM = { identity: { userArn: 'arn:aws:sts::111111111111:assumed-role/acme-portal/session' } };
  const claims = (tenant: string) => ({ authorizer: { claims: { 'sub': 'u-1', 'custom:tenant': tenant } } });
  const event = (httpMethod: string, resource: string, pathParameters: Record<string, string>, requestContext: unknown, body?: unknown) => ({
    httpMethod, resource, pathParameters, requestContext, body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const submit = (tenant: string, context: unknown, body: unknown) => event('POST', '/tenants/{tenant}/requests', { tenant }, context, body);
  const get = (tenant: string, requestId: string, context: unknown) => event('GET', '/tenants/{tenant}/requests/{requestId}', { tenant, requestId }, context);

  test('GIVEN an IAM caller WHEN it POSTs a request THEN 202 with the status; the tenant is the path\'s, never the body\'s', async () => {
    const res = await env.requests(submit('acme', IAM, { requestId: 'api-1', type: 'OPT_OUT', subject: 'dave@example.com', tenant: 'globex' }));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ requestId: 'api-1', status: 'RECEIVED', execution: 'api-1_r1' });
    expect(res.body).not.toContain('dave@example.com');
    expect((await ledger('api-1'))!).toMatchObject({ tenant: 'acme', subjectId: pseudonymOf('acme', 'dave@example.com') });
    expect(env.sfn.calls.filter((c) => c.name.startsWith('api-1_'))).toEqual([expect.objectContaining({ input: '{"requestId":"api-1"}', outcome: 'STARTED' })]);
  });

  test('GIVEN Cognito claims WHEN the tenant claim is the path\'s THEN served; another tenant\'s claim, or no claim configured THEN 403', async () => {
    env.applyEnv({}, { DSR_TENANT_CLAIM: 'custom:tenant' });
    expect(await env.requests(get('acme', 'api-1', claims('acme')))).toMatchObject({ statusCode: 200 });
    const before = await footprint();
    const forged = await env.requests(submit('acme', claims('globex'), { requestId: 'api-forged', type: 'DELETE', subject: 'dave@example.com' }));
    expect(forged).toMatchObject({ statusCode: 403 });
    expect(await env.requests(get('acme', 'api-1', claims('globex')))).toMatchObject({ statusCode: 403 });
    env.applyEnv({}, { DSR_TENANT_CLAIM: undefined });
    expect(await env.requests(get('acme', 'api-1', claims('acme')))).toMatchObject({ statusCode: 403 });
    expect(await env.requests(get('acme', 'api-1', {}))).toMatchObject({ statusCode: 403 }); // neither IAM nor Cognito
    expect(await footprint()).toEqual(before);
  });

  test('GIVEN another tenant\'s request id THEN 404, the same answer as a missing one', async () => {
    const other = await env.requests(get('globex', 'api-1', IAM));
    const missing = await env.requests(get('globex', 'api-never', IAM));
    expect(other).toMatchObject({ statusCode: 404 });
    expect(other.body).toBe(missing.body);
  });

  test('GIVEN an extension THEN 200 with the 90-day deadline; errors answer 400, 404 and 409 with fixed messages', async () => {
    await env.requests(submit('acme', IAM, { requestId: 'api-2', type: 'ACCESS', subject: 'dave@example.com' }));
    const extension = (reason: unknown) => event('POST', '/tenants/{tenant}/requests/{requestId}/extension', { tenant: 'acme', requestId: 'api-2' }, IAM, { reason });
    const ok = await env.requests(extension('Archived records of the consumer are being restored'));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ extended: true, dueBy: (await ledger('api-2'))!.extendedDueBy });
    expect(await env.requests(extension('Again'))).toMatchObject({ statusCode: 409 });
    expect(await env.requests(extension(''))).toMatchObject({ statusCode: 400 });
    expect(await env.requests(submit('acme', IAM, '{not json'))).toMatchObject({ statusCode: 400 });
    const conflict = await env.requests(submit('acme', IAM, { requestId: 'api-2', type: 'ACCESS', subject: 'erin@example.com' }));
    expect(conflict).toMatchObject({ statusCode: 409 });
    expect(conflict.body).not.toContain('erin');
    expect(await env.requests(event('DELETE', '/tenants/{tenant}/requests/{requestId}', { tenant: 'acme', requestId: 'api-2' }, IAM))).toMatchObject({ statusCode: 404 });
  });

  test('GIVEN Step Functions unavailable THEN 503 with a fixed message, the error logged by name only', async () => {
    env.sfn.fail(3, 'error500');
    const from = env.logLines.length;
    const res = await env.requests(submit('acme', IAM, { requestId: 'api-3', type: 'OPT_OUT', subject: 'dave@example.com' }));
    expect(res).toMatchObject({ statusCode: 503 });
    expect(JSON.parse(res.body)).toEqual({ message: 'The DSR workflow is unavailable; retry with the same requestId.' });
    const errors = env.logLines.slice(from).map((l) => { try { return JSON.parse(l); } catch { return {}; } }).filter((l) => l.message === 'dsr requests api error');
    expect(errors).toEqual([expect.objectContaining({ error: 'ServiceUnavailable', resource: '/tenants/{tenant}/requests', httpMethod: 'POST' })]);
    // the retry the message asks for starts the recorded request
    expect(await env.requests(submit('acme', IAM, { requestId: 'api-3', type: 'OPT_OUT', subject: 'dave@example.com' }))).toMatchObject({ statusCode: 202 });
    expect(env.sfn.executions.get('api-3_r1')?.status).toBe('RUNNING');
  });
});

test('no raw subject, correction value or extension reason in any audit record, log line, event, StartExecution input or execution history of this file', async () => {
  const audit = JSON.stringify(await env.scan(env.tables.audit));
  const logs = env.logLines.join('\n');
  const events = JSON.stringify(env.aws.events);
  expect(audit.length).toBeGreaterThan(1000);
  expect(env.sfn.calls.length).toBeGreaterThan(20);
  for (const c of env.sfn.calls) expect(Object.keys(JSON.parse(c.input))).toEqual(['requestId']);
  for (const secret of SECRETS) {
    expect([secret, audit.includes(secret), logs.includes(secret), events.includes(secret)]).toEqual([secret, false, false, false]);
  }
});

describe('OPT_OUT and LIMIT: honored within 15 business days, no confirmation step, no extension', () => {
  // Friday 2025-12-19, with the workflow's holidays: Mon 22 (1), Tue 23 (2), (24, 25 holidays) Fri 26 (3),
  // Mon 29 (4), Tue 30 (5), Wed 31 (6), (Jan 1 holiday) Fri 2 (7), Mon 5 (8), Tue 6 (9), Wed 7 (10),
  // Thu 8 (11), Fri 9 (12), Mon 12 (13), Tue 13 (14), Wed 14 (15)
  const receivedAt = '2025-12-19T10:00:00.000Z';

  test.each(['OPT_OUT', 'LIMIT'])('GIVEN a %s WHEN submitted THEN due in 15 business days (weekends and holidays skipped), no confirmBy, never extended', async (type) => {
    const requestId = `choice-${type.toLowerCase().replace('_', '-')}`;
    const submitted = await env.submit({ requestId, type, ...BOB, receivedAt });
    expect(submitted.result).toMatchObject({ requestId, type, dueBy: '2026-01-14T10:00:00.000Z', extended: false });
    expect(submitted.result.confirmBy).toBeUndefined();
    const request = (await ledger(requestId))!;
    expect(request).toMatchObject({ dueBy: '2026-01-14T10:00:00.000Z', extendedDueBy: '2026-01-14T10:00:00.000Z' });
    expect(request.confirmBy).toBeUndefined();
    expect(request.confirmedAt).toBeUndefined();
    expect(typeof request.recordedAt).toBe('string');
    expect((await auditOf(requestId))[0]).toMatchObject({ step: 'Submit', outcome: 'RECEIVED', detail: { type, stores: 0, dueBy: '2026-01-14T10:00:00.000Z' } });
  });

  test('WHEN the same OPT_OUT is submitted again THEN its receipt is still recorded exactly once', async () => {
    await env.submit({ requestId: 'choice-again', type: 'OPT_OUT', ...BOB, receivedAt });
    await env.submit({ requestId: 'choice-again', type: 'OPT_OUT', ...BOB, receivedAt });
    expect((await stepsOf('choice-again')).filter((s) => s === 'Submit:RECEIVED')).toHaveLength(1);
  });

  test.each(['OPT_OUT', 'LIMIT'])('WHEN a %s is extended THEN DsrConflictError naming the 15-business-day clock, nothing recorded', async (type) => {
    const requestId = `choice-extend-${type.toLowerCase().replace('_', '-')}`;
    await env.submit({ requestId, type, ...ALICE, receivedAt: ago(1) });
    const before = (await ledger(requestId))!;
    await expect(extend('acme', requestId, 'We need more time')).rejects.toMatchObject({
      name: 'DsrConflictError', message: expect.stringMatching(new RegExp(`${type} request cannot be extended: .*15 business days`)),
    });
    expect(await ledger(requestId)).toEqual(before);
    expect(await stepsOf(requestId)).toEqual(['Submit:RECEIVED']);
  });

  test('GIVEN an ACCESS received at the same time THEN it keeps the 10-business-day confirmation and the 45/90-day clocks', async () => {
    const submitted = await env.submit({ requestId: 'choice-vs-access', type: 'ACCESS', ...BOB, receivedAt });
    expect(submitted.result).toMatchObject({ confirmBy: '2026-01-07T10:00:00.000Z', dueBy: '2026-02-02T10:00:00.000Z' });
    expect((await ledger('choice-vs-access'))!.extendedDueBy).toBe('2026-03-19T10:00:00.000Z');
  });
});
