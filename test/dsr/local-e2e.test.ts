/**
 * End to end, locally: a request enters through the real Requests function (SUBMIT: validate,
 * pseudonymize, record in the ledger, StartExecution on a Step Functions stand-in with
 * `{ requestId }` only); the input that StartExecution carried then runs through the synthesized
 * state machine in aws-local-stepfunctions, its tasks bound to the real handlers, against dynalite
 * and s3rver on 127.0.0.1 (plus KMS and EventBridge stand-ins). 10,360 items, 3 subjects in
 * 2 tenants ("alice" exists in both).
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Execution, LocalDsr, Run, SUBJECTS } from './local/environment';

const [ALICE, BOB, GLOBEX_ALICE] = SUBJECTS;
let env: LocalDsr;

beforeAll(async () => { env = await LocalDsr.start({ fillerItems: 10_000, itemsPerSubject: 120, objectsPerSubject: 15 }); }, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}

async function ledger(requestId: string): Promise<Record<string, any> | undefined> {
  return (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');
}

/** `step:outcome[:store]` of a request's audit records, sorted. */
async function stepsOf(requestId: string): Promise<string[]> {
  return (await auditOf(requestId)).map((r) => `${r.step}:${r.outcome}${r.store ? `:${r.store}` : ''}`).sort();
}

/** An event as JSON, errors included with their name and message (Step Functions keeps the Cause in the history). */
function historyJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Error ? { name: v.name, message: v.message, cause: v.cause } : v));
}

/**
 * No raw identifier (the subject, correction values) in the execution history: the StartExecution
 * input of every execution of the request, the ExecutionStarted input, every state's input and
 * output (CheckInput and Intake included) and every other event; nor in the Requests function's
 * answer, the audit records, the log lines or the events.
 */
async function expectNoRawIdentifier(run: Run | Execution, requestId: string, secrets: string[]): Promise<void> {
  expect(secrets.length).toBeGreaterThan(0);
  const starts = env.sfn.calls.filter((c) => c.name.startsWith(`${requestId}_r`));
  expect(starts.length).toBeGreaterThan(0);
  for (const c of starts) expect(c.input).toBe(JSON.stringify({ requestId }));
  expect(run.input).toEqual({ requestId });
  // the history covers the execution input and the first states: the check below reads them
  expect(run.events.find((e) => e.type === 'ExecutionStarted')?.input).toEqual({ requestId });
  for (const name of ['CheckInput', 'Intake']) {
    const exited = run.events.find((e) => e.type === 'StateExited' && e.state?.name === name);
    expect(exited?.state).toEqual(expect.objectContaining({ input: expect.anything(), output: expect.anything() }));
  }
  const history = historyJson(run.events);
  const answer = JSON.stringify((run as Run).result ?? null);
  const audit = JSON.stringify(await auditOf(requestId));
  const logs = env.logLines.join('\n');
  const events = JSON.stringify(env.aws.events);
  for (const secret of secrets) {
    for (const c of starts) expect(c.input).not.toContain(secret);
    expect(history).not.toContain(secret);
    expect(answer).not.toContain(secret);
    expect(audit).not.toContain(secret);
    expect(logs).not.toContain(secret);
    expect(events).not.toContain(secret);
  }
}

describe('DELETE', () => {
  let run: Run;
  beforeAll(async () => {
    env.logLines = [];
    expect(await env.itemsOf(ALICE.tenant, ALICE.subject)).toBe(120);
    run = await env.run({ requestId: 'delete-alice', type: 'DELETE', ...ALICE });
  });

  test('GIVEN a subject with items and objects WHEN DELETE is submitted and runs THEN nothing of the subject is left', async () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ requestId: 'delete-alice', status: 'COMPLETED', stores: 2 });
    expect(await env.itemsOf(ALICE.tenant, ALICE.subject)).toBe(0);
    expect(await env.objectsOf(ALICE.tenant, ALICE.subject)).toBe(0);
  });

  test('THEN the Requests function started exactly one execution, <requestId>_r1 of the synthesized state machine, with { requestId } only', () => {
    expect(run.calls).toEqual([{
      stateMachineArn: env.stateMachineArn,
      name: 'delete-alice_r1',
      input: '{"requestId":"delete-alice"}',
      outcome: 'STARTED',
      executionArn: `${env.stateMachineArn.replace(':stateMachine:', ':execution:')}:delete-alice_r1`,
    }]);
    expect(env.stateMachineArn).toMatch(/^arn:aws:states:us-east-1:111111111111:stateMachine:[A-Za-z0-9-]+-Requests$/);
    expect(run.result).toMatchObject({ requestId: 'delete-alice', type: 'DELETE', status: 'RECEIVED', execution: 'delete-alice_r1', extended: false });
    expect(env.sfn.executions.get('delete-alice_r1')?.status).toBe('SUCCEEDED');
  });

  test('THEN every other subject, the same subject id in another tenant included, is untouched', async () => {
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(120);
    expect(await env.itemsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(120);
    expect(await env.objectsOf(BOB.tenant, BOB.subject)).toBe(15);
    expect(await env.objectsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(15);
    const all = await env.scan(env.tables.customers);
    expect(all.length).toBe(10_000 + 2 * 120);
  });

  test('THEN the audit table has a record for every step, from the submission to the completion, deletion verified per store', async () => {
    expect(await stepsOf('delete-alice')).toEqual([
      'Delete:SUCCEEDED:Local/Customers', 'Delete:SUCCEEDED:Local/Documents',
      'Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED',
      'Verify:VERIFIED:Local/Customers', 'Verify:VERIFIED:Local/Documents',
    ]);
    const audit = await auditOf('delete-alice');
    const request = (await ledger('delete-alice'))!;
    expect(audit.every((r) => r.subjectId === request.subjectId)).toBe(true);
    expect(audit.find((r) => r.step === 'Intake')?.detail).toEqual({ type: 'DELETE', stores: 2, attempt: 1 });
  });

  test('THEN a tombstone (pseudonym, stores, time) is written and the ledger is closed with its deadlines', async () => {
    const items = await env.scan(env.tables.ledger);
    const request = items.find((r) => r.pk === 'REQUEST#delete-alice' && r.sk === 'REQUEST')!;
    expect(request).toMatchObject({ status: 'COMPLETED', type: 'DELETE', tenant: 'acme', subject: ALICE.subject, attempts: 1, executions: 1 });
    expect(request.open).toBeUndefined();
    expect(Date.parse(request.dueBy) - Date.parse(request.receivedAt)).toBe(45 * 86_400_000);
    expect(Date.parse(request.extendedDueBy) - Date.parse(request.receivedAt)).toBe(90 * 86_400_000);
    const tombstone = items.find((r) => r.pk === 'TOMBSTONE#acme')!;
    expect(tombstone).toMatchObject({ sk: request.subjectId, requestId: 'delete-alice', stores: ['Local/Customers', 'Local/Documents'] });
    expect(items.filter((r) => String(r.sk).startsWith('CURSOR#'))).toEqual([]);
  });

  test('THEN a completion event names the request and pseudonym, for service providers', () => {
    const events = env.aws.events.filter((e: any) => e.Detail.requestId === 'delete-alice');
    expect(events.map((e: any) => [e.Source, e.DetailType])).toEqual([['cdk-ccpa.dsr', 'DSR Confirmation Due'], ['cdk-ccpa.dsr', 'DSR Request Completed']]);
  });

  test('THEN no raw identifier is in the execution history (its input included), the audit records, log lines or events', async () => {
    await expectNoRawIdentifier(run, 'delete-alice', [ALICE.subject]);
  });

  test('WHEN the same request is submitted again THEN it answers COMPLETED, starts no execution and repeats nothing', async () => {
    env.ddbProxy.reset();
    const again = await env.run({ requestId: 'delete-alice', type: 'DELETE', ...ALICE });
    expect(again.status).toBe('NOT_STARTED');
    expect(again.calls).toEqual([]);
    expect(again.result).toMatchObject({ requestId: 'delete-alice', status: 'COMPLETED' });
    expect(again.result.execution).toBeUndefined();
    expect(env.ddbProxy.counts.BatchWriteItem).toBeUndefined();
    expect(env.ddbProxy.counts.UpdateItem).toBeUndefined();
    expect(await stepsOf('delete-alice')).toHaveLength(7); // no record added
  });

  test('WHEN an execution of the completed request is started anyway (bypassing the Requests function) THEN Intake reports it completed and nothing is repeated', async () => {
    env.ddbProxy.reset();
    const direct = await env.runDirect({ requestId: 'delete-alice' });
    expect(direct.status).toBe('SUCCEEDED');
    expect(direct.output).toMatchObject({ alreadyCompleted: true });
    expect(env.ddbProxy.counts.BatchWriteItem).toBeUndefined();
    expect((await auditOf('delete-alice')).filter((r) => r.outcome === 'ALREADY_COMPLETED')).toHaveLength(1);
  });
});

describe('ACCESS, CORRECT, OPT_OUT, LIMIT', () => {
  test('ACCESS writes one portable report of every store, with an expiring link in the ledger', async () => {
    const run = await env.run({ requestId: 'access-bob', type: 'ACCESS', ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    const request = (await ledger('access-bob'))!;
    expect(request.exportKey).toBe(`exports/${request.subjectId}/access-bob/report.json`);
    expect(request.exportUrl).toMatch(/X-Amz-Expires=3600/);
    const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: request.exportKey }));
    const report = JSON.parse(await got.Body!.transformToString());
    expect(report.format).toBe('cdk-ccpa/dsr-access-report@1');
    const byStore = Object.fromEntries(report.stores.map((s: any) => [s.store, s.records]));
    expect(byStore['Local/Customers']).toHaveLength(120);
    expect(byStore['Local/Customers'].every((r: any) => r.subjectId === 'acme#bob@example.com')).toBe(true);
    expect(byStore['Local/Documents']).toHaveLength(15);
    await expectNoRawIdentifier(run, 'access-bob', [BOB.subject]);
    // the data itself is untouched
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(120);
  });

  test('CORRECT updates the subject\'s items, refuses keys and the subject attribute, answers the bucket as not correctable; the corrections stay in the ledger', async () => {
    const corrections = { city: 'Berkeley-corrected', subjectId: 'forged-subject-value', pk: 'forged-key-value' };
    const run = await env.run({ requestId: 'correct-globex-alice', type: 'CORRECT', ...GLOBEX_ALICE, corrections });
    expect(run.status).toBe('SUCCEEDED');
    const items = (await env.scan(env.tables.customers)).filter((i) => i.subjectId === 'globex#alice@example.com');
    expect(items).toHaveLength(120);
    expect(items.every((i) => i.city === 'Berkeley-corrected')).toBe(true);
    const others = (await env.scan(env.tables.customers)).filter((i) => i.subjectId === 'acme#bob@example.com');
    expect(others.every((i) => i.city === 'Oakland')).toBe(true);
    expect(await stepsOf('correct-globex-alice')).toEqual([
      'Correct:NOT_CORRECTABLE:Local/Documents', 'Correct:REFUSED:Local/Customers', 'Correct:SUCCEEDED:Local/Customers', 'Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED',
    ]);
    expect((await ledger('correct-globex-alice'))!.corrections).toEqual(corrections);
    await expectNoRawIdentifier(run, 'correct-globex-alice', [GLOBEX_ALICE.subject, ...Object.values(corrections)]);
  });

  test.each([['OPT_OUT', 'saleAndSharing', 'OPTED_OUT'], ['LIMIT', 'sensitiveUse', 'LIMITED']])('%s records the choice in the consent records, keyed by pseudonym', async (type, attribute, value) => {
    const run = await env.run({ requestId: `consent-${type}`, type, ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    const request = (await ledger(`consent-${type}`))!;
    const consent = (await env.scan(env.tables.consent)).find((r) => r.pk === `acme#${request.subjectId}` && r.sk === 'CONSENT')!;
    expect(consent[attribute]).toBe(value);
    expect(JSON.stringify(consent)).not.toContain(BOB.subject);
    expect(await stepsOf(`consent-${type}`)).toEqual(['Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED']);
    await expectNoRawIdentifier(run, `consent-${type}`, [BOB.subject]);
  });
});

describe('faults', () => {
  test('GIVEN throttling and BatchWriteItem UnprocessedItems WHEN DELETE runs THEN it still deletes everything', async () => {
    env.applyEnv({ dynamoPageSize: 50, maxPagesPerInvocation: 1 });
    env.ddbProxy.inject(
      { operation: 'Query', times: 4, kind: 'throttle' },
      { operation: 'BatchWriteItem', after: 1, times: 5, kind: 'unprocessed' },
      // the submission's own writes are throttled too (the SDK retries them)
      { operation: 'PutItem', times: 1, kind: 'throttle' },
    );
    const run = await env.run({ requestId: 'delete-bob-faults', type: 'DELETE', ...BOB });
    expect(run.status).toBe('SUCCEEDED');
    expect(env.ddbProxy.injected).toBe(10);
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(0);
    expect(await env.objectsOf(BOB.tenant, BOB.subject)).toBe(0);
    const audit = await auditOf('delete-bob-faults');
    // 120 items in pages of 50, one page per invocation: the loop and the ledger cursor are exercised
    expect(audit.filter((r) => r.step === 'Delete' && r.outcome === 'PROGRESS' && r.store === 'Local/Customers').length).toBeGreaterThanOrEqual(2);
    expect(audit.filter((r) => r.outcome === 'VERIFIED')).toHaveLength(2);
    expect(audit.filter((r) => ['Submit', 'Intake', 'Finalize'].includes(r.step)).map((r) => `${r.step}:${r.outcome}`).sort())
      .toEqual(['Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED']);
    await expectNoRawIdentifier(run, 'delete-bob-faults', [BOB.subject]);
  });

  test('GIVEN the answer to the ledger write is lost (written, then a 500) THEN the SDK\'s retry finds its own record: one request, one execution, the receipt audited', async () => {
    env.ddbProxy.inject({ operation: 'PutItem', times: 1, kind: 'lost' });
    const run = await env.run({ requestId: 'optout-lost-answer', type: 'OPT_OUT', ...GLOBEX_ALICE });
    expect(env.ddbProxy.injected).toBe(1);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.map((c) => [c.name, c.outcome])).toEqual([['optout-lost-answer_r1', 'STARTED']]);
    expect(await stepsOf('optout-lost-answer')).toEqual(['Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED']);
    expect((await ledger('optout-lost-answer'))!).toMatchObject({ status: 'COMPLETED', executions: 1, attempts: 1 });
  });

  test('GIVEN the receipt record cannot be written after the ledger write (the function fails) THEN the caller\'s re-submission writes it, once, and starts the one execution', async () => {
    // the ledger record is written; the 3 attempts (the SDK's) at the audit record's PutObject answer 500
    env.s3Proxy.inject({ operation: 'PUT Object', times: 3, kind: 'error500' });
    await expect(env.submit({ requestId: 'optout-receipt-retry', type: 'OPT_OUT', ...ALICE })).rejects.toThrow();
    expect(env.s3Proxy.injected).toBe(3);
    expect((await ledger('optout-receipt-retry'))!).toMatchObject({ status: 'RECEIVED', executions: 1 });
    expect(await stepsOf('optout-receipt-retry')).toEqual([]);
    const run = await env.run({ requestId: 'optout-receipt-retry', type: 'OPT_OUT', ...ALICE });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.map((c) => [c.name, c.outcome])).toEqual([['optout-receipt-retry_r1', 'STARTED']]);
    // a further re-submission after completion adds no second receipt
    await env.submit({ requestId: 'optout-receipt-retry', type: 'OPT_OUT', ...ALICE });
    expect(await stepsOf('optout-receipt-retry')).toEqual(['Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED']);
  });

  test('GIVEN a handler that crashes mid-way (after its deletes, before replying) THEN the retry completes the request', async () => {
    let crashes = 0;
    env.wrap = async (state, run) => {
      const out = await run();
      if (state === 'StoreStep' && crashes === 0) {
        crashes++;
        throw Object.assign(new Error('the process exited before returning'), { name: 'Runtime.ExitError' });
      }
      return out;
    };
    const run = await env.run({ requestId: 'delete-globex-crash', type: 'DELETE', ...GLOBEX_ALICE });
    expect(crashes).toBe(1);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.events.filter((e) => e.type === 'StateRetried').length).toBeGreaterThanOrEqual(1);
    expect(await env.itemsOf(GLOBEX_ALICE.tenant, GLOBEX_ALICE.subject)).toBe(0);
    expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(0); // deleted above
    // every step is recorded; the crashed invocation had recorded its deletion, and its retry records it again
    const steps = await stepsOf('delete-globex-crash');
    expect([...new Set(steps)]).toEqual([
      'Delete:SUCCEEDED:Local/Customers', 'Delete:SUCCEEDED:Local/Documents',
      'Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED',
      'Verify:VERIFIED:Local/Customers', 'Verify:VERIFIED:Local/Documents',
    ]);
    expect(steps).toHaveLength(8);
    await expectNoRawIdentifier(run, 'delete-globex-crash', [GLOBEX_ALICE.subject]);
  });

  test('GIVEN a request submitted twice while its execution runs THEN the second submission starts no second execution', async () => {
    const request = { requestId: 'optout-twice', type: 'OPT_OUT', ...BOB };
    const first = await env.submit(request);
    const second = await env.submit(request);
    expect(first.started?.name).toBe('optout-twice_r1');
    // Step Functions answers the same name and input of a running execution with that execution
    expect(second.calls).toEqual([expect.objectContaining({ name: 'optout-twice_r1', outcome: 'RUNNING', executionArn: first.started!.executionArn })]);
    expect(second.started).toBeUndefined();
    expect(second.result).toMatchObject({ status: 'RECEIVED', execution: 'optout-twice_r1' });
    expect([...env.sfn.executions.keys()].filter((n) => n.startsWith('optout-twice'))).toEqual(['optout-twice_r1']);
    const run = await env.runExecution('optout-twice_r1');
    expect(run.status).toBe('SUCCEEDED');
    expect(await stepsOf('optout-twice')).toEqual(['Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED']);
    expect((await ledger('optout-twice'))!).toMatchObject({ status: 'COMPLETED', executions: 1, attempts: 1 });
    await expectNoRawIdentifier(run, 'optout-twice', [BOB.subject]);
  });

  test('GIVEN a store that keeps failing THEN the execution fails, recorded per store and as a request, with a failure event; a re-submission starts _r2, which completes it', async () => {
    env.ddbProxy.inject({ operation: 'Query', times: 1_000, kind: 'error500' });
    const failed = await env.run({ requestId: 'access-retry', type: 'ACCESS', ...ALICE });
    expect(failed.status).toBe('FAILED');
    expect(failed.events.find((e) => e.type === 'ExecutionFailed')?.Error).toBe('DsrRequestFailed');
    expect(env.sfn.executions.get('access-retry_r1')?.status).toBe('FAILED');
    expect((await ledger('access-retry'))!.status).toBe('FAILED');
    const audit = await auditOf('access-retry');
    expect(audit.filter((r) => r.step === 'StoreStep' && r.outcome === 'FAILED').map((r) => r.store)).toEqual(['Local/Customers']);
    expect(audit.filter((r) => r.step === 'Finalize' && r.outcome === 'FAILED')).toHaveLength(1);
    expect(env.aws.events.filter((e: any) => e.Detail.requestId === 'access-retry').map((e: any) => e.DetailType)).toEqual(['DSR Confirmation Due', 'DSR Request Failed']);
    await expectNoRawIdentifier(failed, 'access-retry', [ALICE.subject]);

    env.ddbProxy.reset();
    const rerun = await env.run({ requestId: 'access-retry', type: 'ACCESS', ...ALICE });
    // _r1 is closed: Step Functions refuses its name, and the Requests function moves on to _r2
    expect(rerun.calls.map((c) => [c.name, c.outcome])).toEqual([['access-retry_r1', 'ALREADY_EXISTS'], ['access-retry_r2', 'STARTED']]);
    expect(rerun.result).toMatchObject({ execution: 'access-retry_r2' });
    expect(rerun.status).toBe('SUCCEEDED');
    expect((await ledger('access-retry'))!).toMatchObject({ status: 'COMPLETED', attempts: 2, executions: 2 });
    // _r1 exported the bucket before the table failed; _r2 exports both
    expect(await stepsOf('access-retry')).toEqual([
      'Export:SUCCEEDED:Local/Customers', 'Export:SUCCEEDED:Local/Documents', 'Export:SUCCEEDED:Local/Documents',
      'Finalize:COMPLETED', 'Finalize:FAILED', 'Intake:STARTED', 'Intake:STARTED',
      'StoreStep:FAILED:Local/Customers', 'Submit:RECEIVED', 'Submit:RESUBMITTED',
    ]);
    const records = await auditOf('access-retry');
    expect(records.find((r) => r.outcome === 'RESUBMITTED')?.detail).toEqual({ execution: 2 });
    expect(records.filter((r) => r.step === 'Intake').map((r) => r.detail.attempt).sort()).toEqual([1, 2]);
    await expectNoRawIdentifier(rerun, 'access-retry', [ALICE.subject]);
  });

  test('GIVEN an invalid request THEN the Requests function refuses it without echoing the input: nothing recorded, nothing started', async () => {
    const calls = env.sfn.calls.length;
    const macCalls = env.aws.macCalls;
    await expect(env.submit({ requestId: 'bad-1', type: 'DELETE', tenant: 'acme', subject: 'has/slash@example.com' }))
      .rejects.toMatchObject({ name: 'DsrInvalidRequestError', message: expect.not.stringContaining('has/slash') });
    await expect(env.submit({ type: 'DELETE' })).rejects.toMatchObject({ name: 'DsrInvalidRequestError' });
    expect(env.sfn.calls.length).toBe(calls);
    expect(env.aws.macCalls).toBe(macCalls);
    expect(await ledger('bad-1')).toBeUndefined();
    expect(await auditOf('bad-1')).toEqual([]);
    expect(env.logLines.join('\n')).not.toContain('has/slash');
  });

  test('GIVEN a raw request started directly on the state machine THEN CheckInput refuses it before any task runs: nothing recorded', async () => {
    const direct = await env.runDirect({ requestId: 'direct-raw', type: 'DELETE', ...GLOBEX_ALICE });
    expect(direct.status).toBe('FAILED');
    expect(direct.events.find((e) => e.type === 'ExecutionFailed')?.Error).toBe('DsrInvalidRequest');
    expect(direct.events.filter((e) => e.state).map((e) => e.state.name)).toEqual(expect.not.arrayContaining(['Intake', 'RecordFailure']));
    expect(direct.events.some((e) => e.state?.name === 'RejectInputNotSubmitted')).toBe(true);
    const corrections = await env.runDirect({ requestId: 'direct-corrections', corrections: { city: 'x' } });
    expect(corrections.events.find((e) => e.type === 'ExecutionFailed')?.Error).toBe('DsrInvalidRequest');
    expect(await ledger('direct-raw')).toBeUndefined();
    expect(await auditOf('direct-raw')).toEqual([]);
  });

  test('GIVEN a request id never submitted, started directly THEN Intake refuses it; the failure is recorded and announced', async () => {
    env.aws.events.length = 0;
    const direct = await env.runDirect({ requestId: 'never-submitted' });
    expect(direct.status).toBe('FAILED');
    expect(direct.events.find((e) => e.type === 'ExecutionFailed')?.Error).toBe('DsrRequestFailed');
    expect((await auditOf('never-submitted')).map((r) => [r.step, r.outcome, r.detail.error])).toEqual([['Finalize', 'FAILED', 'DsrInvalidRequestError']]);
    expect(env.aws.events.map((e: any) => [e.DetailType, e.Detail.requestId])).toEqual([['DSR Request Failed', 'never-submitted']]);
    expect(await ledger('never-submitted')).toBeUndefined();
  });

  test('GIVEN the same request id for a different subject THEN the Requests function refuses it and starts nothing', async () => {
    const calls = env.sfn.calls.length;
    await expect(env.submit({ requestId: 'delete-alice', type: 'DELETE', ...BOB })).rejects.toMatchObject({ name: 'DsrConflictError' });
    expect(env.sfn.calls.length).toBe(calls);
    expect((await ledger('delete-alice'))!).toMatchObject({ status: 'COMPLETED', subject: ALICE.subject });
    expect(JSON.stringify(await auditOf('delete-alice'))).not.toContain(BOB.subject);
  });
});

test('the identifier check itself catches a subject in Intake\'s output (the states it used to skip)', async () => {
  env.wrap = async (state, run) => {
    const out = await run();
    return state === 'Intake' ? { ...(out as object), probe: BOB.subject } : out;
  };
  const run = await env.run({ requestId: 'optout-leak-probe', type: 'OPT_OUT', ...BOB });
  expect(run.status).toBe('SUCCEEDED');
  await expect(expectNoRawIdentifier(run, 'optout-leak-probe', [BOB.subject])).rejects.toThrow(/not\.toContain/);
});

test('the export parts and report live under the pseudonym prefix only', async () => {
  const out = await env.s3.send(new ListObjectsV2Command({ Bucket: env.config.exportBucket }));
  expect(out.Contents?.length).toBeGreaterThan(0);
  for (const o of out.Contents ?? []) {
    expect(o.Key).toMatch(/^exports\/[A-Za-z0-9_-]{43}\/[a-z-]+\//);
  }
});

test('no StartExecution of the whole file carried anything but { requestId }', () => {
  expect(env.sfn.calls.length).toBeGreaterThan(10);
  for (const c of env.sfn.calls) expect(Object.keys(JSON.parse(c.input))).toEqual(['requestId']);
});
