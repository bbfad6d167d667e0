/**
 * What an ACCESS report says (issue 14, finding 10), locally: the categories, sources, purposes and
 * recipients the stores declare (Cal. Civ. Code 1798.110(a)) next to the specific pieces, and a
 * report link that STATUS reissues while the report exists.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { LocalDsr, SUBJECTS } from './local/environment';
import { StoreConfig } from '../../lib/dsr/handlers/shared/model';

const [ALICE] = SUBJECTS;
let env: LocalDsr;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 10, itemsPerSubject: 4, objectsPerSubject: 2 });
}, 120_000);
afterAll(async () => env?.close());
afterEach(() => env.reset());

const ledger = async (requestId: string) => (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');

async function report(requestId: string): Promise<any> {
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: (await ledger(requestId))!.exportKey }));
  return JSON.parse(await got.Body!.transformToString());
}

describe('finding 10: ACCESS content and link', () => {
  test('GIVEN stores that declare categories, sources, purposes and recipients THEN the report states them, per store and in all, next to the records', async () => {
    env.applyEnv({
      stores: env.config.stores.map((s: StoreConfig) => (s.kind === 'dynamodb-table'
        ? { ...s, categories: ['user.contact', 'user.name'], purposes: ['essential.service'], sources: ['the consumer, at sign-up'], recipients: ['payment processor'] }
        : { ...s, versioned: false, categories: ['user.content'] })),
    });
    const run = await env.run({ requestId: 'access-content', type: 'ACCESS', ...ALICE });
    expect(run.status).toBe('SUCCEEDED');
    const r = await report('access-content');
    expect(r.disclosures).toEqual({
      categories: ['user.contact', 'user.content', 'user.name'],
      sources: ['the consumer, at sign-up'],
      purposes: ['essential.service'],
      recipients: ['payment processor'],
      undeclared: [],
      byStore: [
        { store: 'Local/Customers', categories: ['user.contact', 'user.name'], sources: ['the consumer, at sign-up'], purposes: ['essential.service'], recipients: ['payment processor'] },
        { store: 'Local/Documents', categories: ['user.content'], sources: [], purposes: [], recipients: [] },
      ],
    });
    // the specific pieces are there too
    expect(r.stores.find((s: any) => s.store === 'Local/Customers').records).toHaveLength(4);
  });

  test('GIVEN stores that declare nothing THEN the report says which disclosures are undeclared instead of inventing them', async () => {
    const run = await env.run({ requestId: 'access-undeclared', type: 'ACCESS', ...ALICE });
    expect(run.status).toBe('SUCCEEDED');
    const d = (await report('access-undeclared')).disclosures;
    expect(d.undeclared).toEqual(['categories', 'sources', 'purposes', 'recipients']);
  });

  test('GIVEN the first link expired WHEN STATUS is read THEN it answers a fresh link that works; once the report is gone, none', async () => {
    const run = await env.run({ requestId: 'access-relink', type: 'ACCESS', ...ALICE });
    expect(run.status).toBe('SUCCEEDED');
    // an hour later: the link Finalize recorded has expired
    await env.ddb.send(new UpdateItemCommand({
      TableName: env.tables.ledger,
      Key: { pk: { S: 'REQUEST#access-relink' }, sk: { S: 'REQUEST' } },
      UpdateExpression: 'SET exportUrl = :u, exportUrlExpiresAt = :x',
      ExpressionAttributeValues: { ':u': { S: 'https://expired.example/link' }, ':x': { S: new Date(Date.now() - 60_000).toISOString() } },
    }));
    const status = await env.requests({ action: 'STATUS', tenant: ALICE.tenant, requestId: 'access-relink' });
    expect(status.report.url).not.toBe('https://expired.example/link');
    expect(Date.parse(status.report.expiresAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(status.report.expiresAt)).toBeLessThanOrEqual(Date.now() + env.config.exportLinkSeconds * 1000);
    const fetched = await fetch(status.report.url);
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as { requestId: string }).requestId).toBe('access-relink');

    await env.s3.send(new DeleteObjectCommand({ Bucket: env.config.exportBucket, Key: (await ledger('access-relink'))!.exportKey }));
    const gone = await env.requests({ action: 'STATUS', tenant: ALICE.tenant, requestId: 'access-relink' });
    expect(gone.report).toBeUndefined();
  });
});
