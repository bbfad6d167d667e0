/**
 * Existing stores end to end, locally (issue 14 finding 12): a table and a bucket created by the
 * test (the harness, as a team did before adopting cdk-ccpa), imported by name and registered as
 * ExistingPersonalDataTable / ExistingPersonalDataBucket under an imported key. The real handlers
 * run the synthesized state machine against dynalite and s3rver: DELETE removes the subject's
 * items and objects from them and nothing else, ACCESS reports them; no raw identifier anywhere.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { EXISTING_BUCKET, EXISTING_TABLE, LocalDsr, SUBJECTS } from './local/environment';

const [ALICE, BOB, GLOBEX_ALICE] = SUBJECTS;
let env: LocalDsr;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 500, itemsPerSubject: 30, objectsPerSubject: 4, existingStores: true });
}, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());

const auditOf = async (requestId: string) => (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
const ledger = async (requestId: string) => (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');

/** No raw subject identifier in the execution history, the audit records, the log lines or the events. */
async function expectNoRawIdentifier(run: { events: any[] }, requestId: string, secret: string): Promise<void> {
  for (const text of [JSON.stringify(run.events), JSON.stringify(await auditOf(requestId)), env.logLines.join('\n'), JSON.stringify(env.aws.events)]) {
    expect(text).not.toContain(secret);
  }
}

test('GIVEN the synthesized workflow THEN its stores are the existing table and bucket, by their own names', () => {
  expect(env.config.stores.map((s: any) => [s.path, s.kind, s.name])).toEqual([
    ['Local/Customers', 'dynamodb-table', EXISTING_TABLE],
    ['Local/Documents', 's3-bucket', EXISTING_BUCKET],
  ]);
  // nothing of the stores is in the template: the workflow does not own them
  const types = Object.values<any>(env.template.Resources).map((r) => `${r.Type} ${JSON.stringify(r.Properties?.TableName ?? r.Properties?.BucketName ?? '')}`);
  expect(types.filter((t) => t.includes(EXISTING_TABLE) || t.includes(EXISTING_BUCKET))).toEqual([]);
});

test('GIVEN an existing table and bucket WHEN DELETE runs THEN the subject\'s items and objects are gone, other subjects untouched', async () => {
  env.logLines = [];
  expect([await env.itemsOf(ALICE.tenant, ALICE.subject), await env.objectsOf(ALICE.tenant, ALICE.subject)]).toEqual([30, 4]);
  const run = await env.run({ requestId: 'existing-delete-alice', type: 'DELETE', ...ALICE });
  expect(run.status).toBe('SUCCEEDED');
  expect(run.output).toEqual({ requestId: 'existing-delete-alice', status: 'COMPLETED', stores: 2 });
  expect([await env.itemsOf(ALICE.tenant, ALICE.subject), await env.objectsOf(ALICE.tenant, ALICE.subject)]).toEqual([0, 0]);
  expect([await env.itemsOf(BOB.tenant, BOB.subject), await env.objectsOf(BOB.tenant, BOB.subject)]).toEqual([30, 4]);
  const { tenant, subject } = GLOBEX_ALICE;
  const [items, objects] = [await env.itemsOf(tenant, subject), await env.objectsOf(tenant, subject)];
  expect([items, objects]).toEqual([30, 4]);
  expect((await auditOf('existing-delete-alice')).map((r) => `${r.step}:${r.outcome}${r.store ? `:${r.store}` : ''}`).sort()).toEqual([
    'Delete:SUCCEEDED:Local/Customers', 'Delete:SUCCEEDED:Local/Documents', 'Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED',
    'Verify:VERIFIED:Local/Customers', 'Verify:VERIFIED:Local/Documents',
  ]);
  await expectNoRawIdentifier(run, 'existing-delete-alice', ALICE.subject);
});

test('GIVEN an existing table and bucket WHEN ACCESS runs THEN the report holds every item and object of the subject', async () => {
  env.logLines = [];
  const run = await env.run({ requestId: 'existing-access-bob', type: 'ACCESS', ...BOB });
  expect(run.status).toBe('SUCCEEDED');
  const request = (await ledger('existing-access-bob'))!;
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: request.exportKey }));
  const report = JSON.parse(await got.Body!.transformToString());
  const byStore = Object.fromEntries(report.stores.map((s: any) => [s.store, s.records]));
  expect(byStore['Local/Customers']).toHaveLength(30);
  expect(byStore['Local/Customers'].every((r: any) => r.subjectId === 'acme#bob@example.com')).toBe(true);
  expect(byStore['Local/Documents']).toHaveLength(4);
  expect(await env.itemsOf(BOB.tenant, BOB.subject)).toBe(30);
  await expectNoRawIdentifier(run, 'existing-access-bob', BOB.subject);
});

test('GIVEN an existing table WHEN CORRECT runs THEN the subject\'s items are corrected there, the bucket answered not correctable', async () => {
  env.logLines = [];
  const run = await env.run({ requestId: 'existing-correct', type: 'CORRECT', ...GLOBEX_ALICE, corrections: { city: 'Berkeley-corrected' } });
  expect(run.status).toBe('SUCCEEDED');
  const items = (await env.scan(env.tables.customers)).filter((i) => i.subjectId === 'globex#alice@example.com');
  expect(items.map((i) => i.city)).toEqual(Array(30).fill('Berkeley-corrected'));
  expect((await env.scan(env.tables.customers)).filter((i) => i.subjectId === 'acme#bob@example.com').every((i) => i.city === 'Oakland')).toBe(true);
  expect((await auditOf('existing-correct')).map((r) => `${r.step}:${r.outcome}${r.store ? `:${r.store}` : ''}`).sort()).toEqual([
    'Correct:NOT_CORRECTABLE:Local/Documents', 'Correct:SUCCEEDED:Local/Customers', 'Finalize:COMPLETED', 'Intake:STARTED', 'Submit:RECEIVED',
  ]);
  await expectNoRawIdentifier(run, 'existing-correct', GLOBEX_ALICE.subject);
});

test('GIVEN the deleted subject restored into the existing table and bucket WHEN the tombstone replay runs THEN it is gone again, others untouched', async () => {
  // after the DELETE test: a restore from backup brings alice's items and objects back
  await env.seedSubject(ALICE.tenant, ALICE.subject, 30, 4);
  expect([await env.itemsOf(ALICE.tenant, ALICE.subject), await env.objectsOf(ALICE.tenant, ALICE.subject)]).toEqual([30, 4]);
  env.logLines = [];
  const replay = await env.runReplay({ replayId: 'existing-restore' });
  expect(replay.status).toBe('SUCCEEDED');
  expect([await env.itemsOf(ALICE.tenant, ALICE.subject), await env.objectsOf(ALICE.tenant, ALICE.subject)]).toEqual([0, 0]);
  expect([await env.itemsOf(BOB.tenant, BOB.subject), await env.objectsOf(BOB.tenant, BOB.subject)]).toEqual([30, 4]);
  for (const text of [JSON.stringify(replay.events), env.logLines.join('\n')]) expect(text).not.toContain(ALICE.subject);
});
