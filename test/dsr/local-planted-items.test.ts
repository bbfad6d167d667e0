/**
 * Planted items (issue 12 finding 5), end to end on the local stand-ins: tenant globex writes, under
 * its own partition key (which the pooled table's policy allows), an item whose subject-index value
 * names tenant acme's subject (`pk=globex#planted-1`, `subjectId=acme#alice@example.com`). acme's
 * ACCESS, CORRECT and DELETE for alice find it through the index; they must neither report, change
 * nor delete it, and each skip is audited as a count.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LocalDsr, SUBJECTS } from './local/environment';
import { StoreConfig } from '../../lib/dsr/handlers/shared/model';
import { splitKeys, splitObjects, tenantObjectPrefix } from '../../lib/dsr/handlers/shared/tenant-scope';

const [ALICE] = SUBJECTS; // acme's alice
let env: LocalDsr;

beforeAll(async () => { env = await LocalDsr.start({ fillerItems: 20, itemsPerSubject: 3, objectsPerSubject: 2 }); }, 120_000);
afterAll(async () => { await env?.close(); });
afterEach(() => env.reset());

const PLANTED = { pk: { S: 'globex#planted-1' }, sk: { S: 'PLANTED' } };

beforeEach(async () => {
  await env.ddb.send(new PutItemCommand({
    TableName: env.tables.customers,
    Item: { ...PLANTED, subjectId: { S: `acme#${ALICE.subject}` }, name: { S: 'planted by globex' }, city: { S: 'Springfield' } },
  }));
});

async function planted(): Promise<Record<string, any> | undefined> {
  const out = await env.ddb.send(new GetItemCommand({ TableName: env.tables.customers, Key: PLANTED, ConsistentRead: true }));
  return out.Item ? unmarshall(out.Item) : undefined;
}

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}

async function reportOf(requestId: string): Promise<Record<string, any[]>> {
  const request = (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST')!;
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: request.exportKey }));
  const report = JSON.parse(await got.Body!.transformToString());
  return Object.fromEntries(report.stores.map((s: any) => [s.store, s.records]));
}

function skips(records: Array<Record<string, any>>): Array<Record<string, any>> {
  return records.filter((r) => r.outcome === 'SKIPPED_FOREIGN').map((r) => ({ store: r.store, detail: r.detail }));
}

test('GIVEN globex planted an item naming acme\'s alice WHEN acme\'s ACCESS runs THEN the report has alice\'s own items only, and the skip is audited', async () => {
  const run = await env.run({ requestId: 'planted-access', type: 'ACCESS', ...ALICE });
  expect(run.status).toBe('SUCCEEDED');
  const report = await reportOf('planted-access');
  expect(report['Local/Customers']).toHaveLength(3);
  expect(report['Local/Customers'].every((r) => String(r.pk).startsWith('acme#'))).toBe(true);
  expect(JSON.stringify(report)).not.toContain('planted by globex');
  expect(skips(await auditOf('planted-access'))).toEqual([
    { store: 'Local/Customers', detail: expect.objectContaining({ phase: 'EXPORT', records: 1 }) },
  ]);
  expect(JSON.stringify(await auditOf('planted-access'))).not.toContain('globex#planted-1');
});

test('GIVEN the planted item WHEN acme\'s CORRECT runs THEN alice\'s items are corrected and the planted item is unchanged', async () => {
  const run = await env.run({ requestId: 'planted-correct', type: 'CORRECT', ...ALICE, corrections: { city: 'Berkeley' } });
  expect(run.status).toBe('SUCCEEDED');
  expect((await planted())!.city).toBe('Springfield');
  const own = (await env.scan(env.tables.customers)).filter((i) => i.subjectId === `acme#${ALICE.subject}` && String(i.pk).startsWith('acme#'));
  expect(own.map((i) => i.city)).toEqual(['Berkeley', 'Berkeley', 'Berkeley']);
  expect(skips(await auditOf('planted-correct'))).toEqual([
    { store: 'Local/Customers', detail: expect.objectContaining({ phase: 'CORRECT', records: 1 }) },
  ]);
});

test('GIVEN the planted item WHEN acme\'s DELETE runs THEN alice\'s items are gone, the planted item stays, and the deletion still verifies', async () => {
  const run = await env.run({ requestId: 'planted-delete', type: 'DELETE', ...ALICE });
  expect(run.status).toBe('SUCCEEDED');
  expect(await planted()).toMatchObject({ name: 'planted by globex' });
  const left = (await env.scan(env.tables.customers)).filter((i) => i.subjectId === `acme#${ALICE.subject}`);
  expect(left.map((i) => i.pk)).toEqual(['globex#planted-1']);
  const records = await auditOf('planted-delete');
  expect(records.filter((r) => r.step === 'Verify' && r.store === 'Local/Customers').map((r) => r.outcome)).toEqual(['VERIFIED']);
  expect(skips(records)).toEqual([
    { store: 'Local/Customers', detail: expect.objectContaining({ phase: 'DELETE', records: 1 }) },
  ]);
});

describe('the tenant scope of a record', () => {
  const table = { id: '0', path: 'T', kind: 'dynamodb-table', name: 't', keyAttributes: ['pk', 'sk'], tenancy: 'pooled' } as StoreConfig;
  const bucket = { id: '1', path: 'B', kind: 's3-bucket', name: 'b', prefixTemplate: 'tenants/{tenant}/subjects/{subject}/', tenancy: 'pooled' } as StoreConfig;

  test('a pooled table: the partition key starts with <tenant># (not a longer tenant id, not a number)', () => {
    const keys = ['a#1', 'ab#1', 'b#a#1', 'a', 'A#1'].map((pk) => ({ pk: { S: pk }, sk: { S: 'x' } }));
    const { own, foreign } = splitKeys(table, 'a', [...keys, { pk: { N: '1' }, sk: { S: 'x' } } as any]);
    expect(own.map((k) => k.pk.S)).toEqual(['a#1']);
    expect(foreign).toBe(5);
  });

  test('a pooled bucket: the key is under tenants/<tenant>/', () => {
    expect(tenantObjectPrefix(bucket, 'a')).toBe('tenants/a/');
    const { own, foreign } = splitObjects(bucket, 'a', ['tenants/a/subjects/s/x', 'tenants/ab/subjects/s/x', 'tenants/a', 'other/tenants/a/x'].map((Key) => ({ Key })));
    expect(own.map((o) => o.Key)).toEqual(['tenants/a/subjects/s/x']);
    expect(foreign).toBe(3);
  });

  test('a silo store is its tenant\'s whole: nothing is foreign', () => {
    expect(splitKeys({ ...table, tenancy: 'silo', siloTenant: 'a' }, 'a', [{ pk: { S: 'x' } }]).foreign).toBe(0);
    expect(splitObjects({ ...bucket, tenancy: 'silo', prefixTemplate: 'subjects/{subject}/' }, 'a', [{ Key: 'subjects/s/x' }]).foreign).toBe(0);
  });
});
