/**
 * Recipients end to end, locally: a workflow with a service provider (`Mail`, notified on its bus)
 * and a third party that needs the raw identifier (`Ads`, encrypted under its key), 2 hours each to
 * acknowledge. Requests go in through the real Requests function and run through the synthesized
 * state machine (aws-local-stepfunctions, the notice loops' Wait states at 0 ms), the real
 * handlers bound to its tasks; recipients acknowledge through the real Acknowledgements function
 * (an SQS event from their own queue), inside the notice loop (env.wrap) or later.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ADS_KEY_ARN, LocalDsr, Run, SUBJECTS } from './local/environment';

const [ALICE, BOB, GLOBEX_ALICE] = SUBJECTS;
let env: LocalDsr;
let MAIL: string;
let ADS: string;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 200, itemsPerSubject: 5, objectsPerSubject: 2, recipients: true });
  ({ mail: MAIL, ads: ADS } = env.recipientIds());
}, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => { env.reset(); env.aws.eventFaults.length = 0; });

async function ledger(requestId: string): Promise<Record<string, any>> {
  return (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST')!;
}
async function waiting(requestId: string): Promise<Record<string, any> | undefined> {
  return (await env.scan(env.tables.ledger)).find((r) => r.pk === 'RECIPIENTS#WAITING' && r.sk === requestId);
}
async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}
function eventsOf(requestId: string): Array<Record<string, any>> {
  return env.aws.events.filter((e: any) => e.Detail.requestId === requestId) as Array<Record<string, any>>;
}
function noticesOf(requestId: string, recipientId?: string): Array<Record<string, any>> {
  return eventsOf(requestId).filter((e) => e.DetailType === 'DSR Recipient Notice' && (recipientId === undefined || e.Detail.recipientId === recipientId));
}

/** The recipients acknowledge inside the notice loop: `who` acknowledges right after its `afterAttempt`-th notice. */
function acknowledgeAfter(plan: Record<string, number>, outcome = 'DELETED'): void {
  env.wrap = async (state, run) => {
    const out = await run() as { requestId?: string; recipientId?: string; attempt?: number; done?: boolean };
    if (state === 'NotifyRecipient' && out.recipientId && !out.done && plan[out.recipientId] === out.attempt) {
      await env.acknowledge(out.recipientId, { requestId: out.requestId, recipientId: out.recipientId, outcome });
    }
    return out;
  };
}

describe('GIVEN a DELETE and two recipients that both acknowledge', () => {
  let run: Run;
  beforeAll(async () => {
    env.logLines = [];
    acknowledgeAfter({ [MAIL]: 1, [ADS]: 2 });
    run = await env.run({ requestId: 'del-both', type: 'DELETE', ...ALICE });
    env.reset();
  });

  test('THEN the request is COMPLETED only after both acknowledged, and the completion event follows the last acknowledgement', async () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({ requestId: 'del-both', status: 'COMPLETED' });
    const item = await ledger('del-both');
    expect(item.status).toBe('COMPLETED');
    expect(item.recipients[MAIL]).toMatchObject({ status: 'ACKNOWLEDGED', attempts: 1, outcome: 'DELETED' });
    expect(item.recipients[ADS]).toMatchObject({ status: 'ACKNOWLEDGED', attempts: 2, outcome: 'DELETED' });
    expect(Date.parse(item.completedAt)).toBeGreaterThanOrEqual(Date.parse(item.recipients[ADS].acknowledgedAt));
    const types = eventsOf('del-both').map((e) => e.DetailType);
    expect(types.filter((t) => t === 'DSR Request Completed')).toHaveLength(1);
    expect(types.lastIndexOf('DSR Recipient Notice')).toBeLessThan(types.indexOf('DSR Request Completed'));
    const completed = eventsOf('del-both').find((e) => e.DetailType === 'DSR Request Completed')!;
    expect(completed.Detail.recipients.map((r: any) => [r.recipientId, r.outcome]).sort()).toEqual([[ADS, 'DELETED'], [MAIL, 'DELETED']].sort());
    expect(await waiting('del-both')).toBeUndefined();
    expect(item.open).toBeUndefined();
  });

  test('THEN each recipient got its own notices: request id, tenant, type, categories, deadline and its acknowledgement queue', () => {
    const mail = noticesOf('del-both', MAIL);
    expect(mail).toHaveLength(1);
    expect(mail[0].Source).toBe('cdk-ccpa.dsr');
    expect(mail[0].Detail).toMatchObject({
      format: 'cdk-ccpa/dsr-recipient-notice@1',
      noticeId: `del-both#${MAIL}`,
      recipientId: MAIL,
      requestId: 'del-both',
      tenant: 'acme',
      type: 'DELETE',
      categories: ['user.contact'],
      acknowledge: { queueUrl: expect.stringMatching(/^https:\/\/sqs\.local\//) },
    });
    expect(mail[0].Detail.identifier).toBeUndefined();
    expect(noticesOf('del-both', ADS)).toHaveLength(2);
    expect(noticesOf('del-both', ADS)[0].Detail.acknowledge.queueUrl).not.toBe(mail[0].Detail.acknowledge.queueUrl);
  });

  test('THEN the third party that needs the identifier gets only ciphertext, which decrypts only with its own request and recipient context', () => {
    const ads = noticesOf('del-both', ADS)[0].Detail;
    expect(ads.identifier).toMatchObject({ keyArn: ADS_KEY_ARN, encryptionContext: { requestId: 'del-both', recipient: ADS } });
    expect(JSON.stringify(ads)).not.toContain(ALICE.subject);
    expect(env.aws.decrypt(ads.identifier.ciphertext, { requestId: 'del-both', recipient: ADS })).toBe(ALICE.subject);
    expect(() => env.aws.decrypt(ads.identifier.ciphertext, { requestId: 'del-both', recipient: MAIL })).toThrow();
    expect(() => env.aws.decrypt(ads.identifier.ciphertext, { requestId: 'other', recipient: ADS })).toThrow();
    expect(() => env.aws.decrypt(ads.identifier.ciphertext, {})).toThrow();
  });

  test('THEN the audit records each notice and acknowledgement, and the completion once', async () => {
    const steps = (await auditOf('del-both')).map((r) => `${r.step}:${r.outcome}:${r.detail?.recipient ?? ''}`).sort();
    expect(steps.filter((s) => s.startsWith('RecipientNotice:SENT'))).toEqual([`RecipientNotice:SENT:${ADS}`, `RecipientNotice:SENT:${ADS}`, `RecipientNotice:SENT:${MAIL}`].sort());
    expect(steps.filter((s) => s.startsWith('RecipientAcknowledgement'))).toEqual([`RecipientAcknowledgement:ACKNOWLEDGED:${ADS}`, `RecipientAcknowledgement:ACKNOWLEDGED:${MAIL}`].sort());
    expect(steps.filter((s) => s.startsWith('Recipients:') || s.startsWith('Finalize:'))).toEqual(['Finalize:AWAITING_RECIPIENTS:', 'Recipients:COMPLETED:']);
  });

  test('THEN no raw identifier is in the execution history, notices (but the ciphertext), audit records or log lines', async () => {
    const history = JSON.stringify(run.events);
    const audit = JSON.stringify(await auditOf('del-both'));
    const events = JSON.stringify(env.aws.events);
    for (const text of [history, audit, events, env.logLines.join('\n')]) expect(text).not.toContain(ALICE.subject);
  });

  test('THEN STATUS shows each recipient acknowledged', async () => {
    const status = await env.requests({ action: 'STATUS', requestId: 'del-both', tenant: 'acme' });
    expect(status.status).toBe('COMPLETED');
    expect(status.recipients.map((r: any) => [r.recipientId, r.status, r.attempts]).sort()).toEqual([[ADS, 'ACKNOWLEDGED', 2], [MAIL, 'ACKNOWLEDGED', 1]].sort());
  });
});

describe('GIVEN a DELETE whose third party never acknowledges', () => {
  let run: Run;
  beforeAll(async () => {
    acknowledgeAfter({ [MAIL]: 1 });
    run = await env.run({ requestId: 'del-silent', type: 'DELETE', ...BOB });
    env.reset();
  });

  test('THEN the notice is re-sent on the backoff schedule until the timeout, and the request stays AWAITING_RECIPIENTS without a completion event', async () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({ requestId: 'del-silent', status: 'AWAITING_RECIPIENTS' });
    // 2 hours: waits of 15 min, 30 min, 60 min and the last 15 min, one notice before each
    expect(noticesOf('del-silent', ADS)).toHaveLength(4);
    const item = await ledger('del-silent');
    expect(item.status).toBe('AWAITING_RECIPIENTS');
    expect(item.recipients[ADS]).toMatchObject({ status: 'SENT', attempts: 4, overdueAt: expect.any(String) });
    expect(item.recipients[MAIL].status).toBe('ACKNOWLEDGED');
    expect(eventsOf('del-silent').filter((e) => e.DetailType === 'DSR Request Completed')).toEqual([]);
    expect((await auditOf('del-silent')).filter((r) => r.step === 'RecipientNotice' && r.outcome === 'WARNED').map((r) => r.detail)).toEqual([
      expect.objectContaining({ recipient: ADS, attempts: 4, overdue: true }),
    ]);
  });

  test('THEN STATUS shows the silent recipient overdue', async () => {
    const status = await env.requests({ action: 'STATUS', requestId: 'del-silent', tenant: 'acme' });
    expect(status.status).toBe('AWAITING_RECIPIENTS');
    expect(status.recipients.find((r: any) => r.recipientId === ADS)).toMatchObject({ status: 'SENT', attempts: 4, overdue: true });
  });

  test('THEN the deadline check raises the deadline warning: an audit record, a "DSR Deadline Passed" event naming the recipient, and the request counted at risk', async () => {
    const before = env.aws.events.length;
    const result = await env.checkDeadlines();
    expect(result.atRisk).toBeGreaterThanOrEqual(1);
    const passed = env.aws.events.slice(before).filter((e: any) => e.DetailType === 'DSR Deadline Passed' && e.Detail.requestId === 'del-silent');
    expect(passed.map((e: any) => e.Detail)).toEqual([expect.objectContaining({ deadline: 'RECIPIENT_ACKNOWLEDGEMENT', recipientId: ADS, type: 'DELETE' })]);
    expect((await auditOf('del-silent')).filter((r) => r.step === 'DeadlineCheck').map((r) => r.detail))
      .toEqual([expect.objectContaining({ deadline: 'RECIPIENT_ACKNOWLEDGEMENT', recipient: ADS, passed: true })]);
    expect(env.logLines.join('\n')).not.toContain(BOB.subject);
  });

  test('WHEN the recipient acknowledges late THEN the request completes, the completion event is sent, the audit says late, and the warnings stop', async () => {
    // the 2 hours have passed by the time it acknowledges
    await env.ddb.send(new UpdateItemCommand({
      TableName: env.tables.ledger,
      Key: { pk: { S: 'REQUEST#del-silent' }, sk: { S: 'REQUEST' } },
      UpdateExpression: 'SET recipients.#r.ackDueBy = :past',
      ExpressionAttributeNames: { '#r': ADS },
      ExpressionAttributeValues: { ':past': { S: new Date(Date.now() - 60_000).toISOString() } },
    }));
    await env.acknowledge(ADS, { requestId: 'del-silent', outcome: 'DELETED' });
    expect((await auditOf('del-silent')).filter((r) => r.step === 'RecipientAcknowledgement').map((r) => r.detail))
      .toEqual(expect.arrayContaining([expect.objectContaining({ recipient: ADS, late: true, attempts: 4 })]));
    const item = await ledger('del-silent');
    expect(item.status).toBe('COMPLETED');
    expect(eventsOf('del-silent').filter((e) => e.DetailType === 'DSR Request Completed')).toHaveLength(1);
    expect(await waiting('del-silent')).toBeUndefined();
    const before = env.aws.events.length;
    await env.checkDeadlines();
    expect(env.aws.events.slice(before).filter((e: any) => e.Detail.requestId === 'del-silent')).toEqual([]);
  });
});

describe('GIVEN recipients that try to acknowledge for one another', () => {
  beforeAll(async () => {
    env.wrap = async (_s, run) => run();
    await env.run({ requestId: 'del-forged', type: 'DELETE', ...GLOBEX_ALICE });
  });

  test('WHEN Mail, on its own queue, acknowledges naming Ads THEN nothing is recorded for either, and the refusal is audited', async () => {
    const before = await ledger('del-forged');
    expect(before.status).toBe('AWAITING_RECIPIENTS');
    const answer = await env.acknowledge(MAIL, { requestId: 'del-forged', recipientId: ADS, outcome: 'DELETED' });
    expect(answer.batchItemFailures).toEqual([]);
    const after = await ledger('del-forged');
    expect(after.recipients[ADS].status).not.toBe('ACKNOWLEDGED');
    expect(after.recipients[MAIL].status).not.toBe('ACKNOWLEDGED');
    expect(after.status).toBe('AWAITING_RECIPIENTS');
    expect((await auditOf('del-forged')).filter((r) => r.outcome === 'REFUSED').map((r) => r.detail)).toEqual([
      expect.objectContaining({ recipient: MAIL }),
    ]);
  });

  test('WHEN Mail acknowledges without naming anyone THEN only Mail is recorded, and the request still waits for Ads', async () => {
    await env.acknowledge(MAIL, { requestId: 'del-forged' });
    const after = await ledger('del-forged');
    expect(after.recipients[MAIL].status).toBe('ACKNOWLEDGED');
    expect(after.recipients[ADS].status).not.toBe('ACKNOWLEDGED');
    expect(after.status).toBe('AWAITING_RECIPIENTS');
  });

  test('WHEN a message is malformed, names an unknown request, or a request the recipient was not notified of THEN it is refused and nothing changes', async () => {
    await env.run({ requestId: 'optout-ads-only', type: 'OPT_OUT', ...BOB });
    for (const body of ['not json', { requestId: '../x' }, { requestId: 'no-such-request' }, { requestId: 'optout-ads-only' }]) {
      expect((await env.acknowledge(MAIL, body as any)).batchItemFailures).toEqual([]);
    }
    const optOut = await ledger('optout-ads-only');
    expect(Object.keys(optOut.recipients)).toEqual([ADS]);
    expect(optOut.status).toBe('AWAITING_RECIPIENTS');
  });
});

describe('GIVEN the event bus refuses a notice', () => {
  test('WHEN the first notice to Mail is throttled past the SDK retries THEN FAILED is recorded, the notice is re-sent, and the request completes after both acknowledge', async () => {
    env.aws.eventFaults.push({ match: (e) => e.DetailType === 'DSR Recipient Notice' && e.Detail.recipientId === MAIL, kind: 'throttle', times: 3 });
    env.aws.eventFaults.push({ match: (e) => e.DetailType === 'DSR Recipient Notice' && e.Detail.recipientId === ADS, kind: 'failed', times: 1 });
    acknowledgeAfter({ [MAIL]: 2, [ADS]: 2 });
    const run = await env.run({ requestId: 'del-faults', type: 'DELETE', tenant: 'acme', subject: 'carol@example.com' });
    expect(run.output).toMatchObject({ status: 'COMPLETED' });
    const audit = (await auditOf('del-faults')).filter((r) => r.step === 'RecipientNotice');
    expect(audit.filter((r) => r.outcome === 'FAILED').map((r) => [r.detail.recipient, r.detail.attempt]).sort()).toEqual([[ADS, 1], [MAIL, 1]].sort());
    expect(audit.filter((r) => r.outcome === 'FAILED').every((r) => typeof r.detail.error === 'string')).toBe(true);
    const item = await ledger('del-faults');
    expect(item.recipients[MAIL]).toMatchObject({ status: 'ACKNOWLEDGED', attempts: 2 });
    expect(item.recipients[MAIL].lastError).toBeUndefined();
  });
});

describe('GIVEN request types the law names different recipients for', () => {
  test('THEN a CORRECT notifies the service provider only, an OPT_OUT the third party only, and an ACCESS nobody (it completes at once)', async () => {
    acknowledgeAfter({ [MAIL]: 1, [ADS]: 1 }, 'CORRECTED');
    const correct = await env.run({ requestId: 'correct-1', type: 'CORRECT', ...ALICE, corrections: { city: 'Berkeley' } });
    expect(correct.output).toMatchObject({ status: 'COMPLETED' });
    expect(noticesOf('correct-1').map((e) => e.Detail.recipientId)).toEqual([MAIL]);
    const optOut = await env.run({ requestId: 'optout-1', type: 'OPT_OUT', ...ALICE });
    expect(optOut.output).toMatchObject({ status: 'COMPLETED' });
    expect(noticesOf('optout-1').map((e) => e.Detail.recipientId)).toEqual([ADS]);
    env.reset();
    const access = await env.run({ requestId: 'access-1', type: 'ACCESS', ...GLOBEX_ALICE });
    expect(access.output).toMatchObject({ status: 'COMPLETED' });
    expect(noticesOf('access-1')).toEqual([]);
    expect((await ledger('access-1')).recipients).toBeUndefined();
  });
});
