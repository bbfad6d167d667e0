/**
 * The audit trail is append-only (issue 12 finding 4), end to end on the local stand-ins: records
 * are objects in the audit bucket written with `If-None-Match: *`, so a second write of the same
 * key (by the handler, or by anyone holding a handler's credentials) cannot replace the first.
 * s3rver has neither Object Lock nor conditional writes: the S3 proxy answers 412 for an existing
 * key as S3 does, and the bucket policy that refuses a PutObject without the header (and every
 * delete) is proven by IAM simulation in dsr-workflow.test.ts.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { LocalDsr, SUBJECTS } from './local/environment';
import { audit, runtime } from '../../lib/dsr/handlers/shared/runtime';

const [ALICE] = SUBJECTS;
let env: LocalDsr;

beforeAll(async () => { env = await LocalDsr.start({ fillerItems: 10, itemsPerSubject: 2, objectsPerSubject: 1 }); }, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}

async function body(key: string): Promise<string> {
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.tables.audit, Key: key }));
  return got.Body!.transformToString();
}

describe('GIVEN a completed request and its audit records', () => {
  test('every audit PUT of a whole request carries If-None-Match: *', async () => {
    const run = await env.run({ requestId: 'optout-wire', type: 'OPT_OUT', ...ALICE });
    expect(run.status).toBe('SUCCEEDED');
    const auditPuts = env.s3Proxy.puts.filter((p) => p.path.startsWith(`/${env.tables.audit}/`));
    expect(auditPuts.length).toBeGreaterThanOrEqual(3);
    expect(auditPuts.every((p) => p.ifNoneMatch === '*')).toBe(true);
  });

  let records: Array<Record<string, any>>;
  beforeAll(async () => {
    const run = await env.run({ requestId: 'optout-audited', type: 'OPT_OUT', ...ALICE });
    expect(run.status).toBe('SUCCEEDED');
    records = await auditOf('optout-audited');
    expect(records.map((r) => `${r.step}:${r.outcome}`).sort()).toEqual(['Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED']);
  });

  test('THEN each record is one object under records/requests/<requestId>/, with no TTL attribute', () => {
    for (const r of records) {
      expect(r.key.startsWith('records/requests/optout-audited/')).toBe(true);
      expect(r.expiresAt).toBeUndefined();
    }
  });

  test('THEN a record that is not written-once has a random part in its key: the ledger does not give it away', () => {
    const intake = records.find((r) => r.step === 'Intake')!;
    expect(intake.key).toMatch(/^records\/requests\/optout-audited\/\d{4}-\d\d-\d\dT[\d:.]+Z#[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('WHEN someone with a handler\'s credentials writes over an existing record (the completion, with a forged outcome) THEN S3 refuses it (412) and the first record stays', async () => {
    const completed = records.find((r) => r.step === 'Finalize')!;
    const before = await body(completed.key);
    const forged = JSON.stringify({ ...JSON.parse(before), outcome: 'FAILED', detail: { forged: true } });
    const rt = runtime();
    await expect(rt.s3.send(new PutObjectCommand({ Bucket: env.tables.audit, Key: completed.key, Body: forged, IfNoneMatch: '*' })))
      .rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    expect(env.s3Proxy.refusedConditionalWrites).toBe(1);
    expect(await body(completed.key)).toBe(before);
  });

  test('WHEN the handler writes a written-once record again (a retried step) THEN it is a no-op: no error, no second record, the first unchanged', async () => {
    const completed = records.find((r) => r.step === 'Finalize')!;
    const before = await body(completed.key);
    await audit(runtime(), { requestId: 'optout-audited', pseudonym: completed.subjectId, step: 'Finalize', outcome: 'COMPLETED', detail: { records: 99 }, once: 'FINALIZE#COMPLETED' });
    expect(env.s3Proxy.refusedConditionalWrites).toBe(1);
    expect(await body(completed.key)).toBe(before);
    expect((await auditOf('optout-audited')).filter((r) => r.step === 'Finalize')).toHaveLength(1);
  });

  test('WHEN the handler appends a record of a step that runs twice THEN both are kept, under different keys', async () => {
    await audit(runtime(), { requestId: 'optout-audited', step: 'Probe', outcome: 'WARNED' });
    await audit(runtime(), { requestId: 'optout-audited', step: 'Probe', outcome: 'WARNED' });
    const probes = (await auditOf('optout-audited')).filter((r) => r.step === 'Probe');
    expect(new Set(probes.map((r) => r.key)).size).toBe(2);
    // on the wire: both PUTs to the audit bucket carried If-None-Match: *
    const auditPuts = env.s3Proxy.puts.filter((p) => p.path.startsWith(`/${env.tables.audit}/`));
    expect(auditPuts.map((p) => p.ifNoneMatch)).toEqual(['*', '*']);
  });

  test('THEN no raw identifier is in any record', async () => {
    expect(JSON.stringify(await env.scan(env.tables.audit))).not.toContain(ALICE.subject);
  });
});
