/**
 * CORRECT semantics (issue 14, finding 9), locally: the real handlers in the synthesized state
 * machine against dynalite and s3rver. Only attributes an item has are corrected (unless the store
 * declares them correctable), keys and the subject attribute are refused with a reason, S3 stores
 * are answered as not correctable, concurrent writes are detected, the audit holds no value.
 */
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalDsr } from './local/environment';
import { LaggingIndexProxy } from './local/lagging-index';
import { StoreConfig } from '../../lib/dsr/handlers/shared/model';

let env: LocalDsr;
let proxy: LaggingIndexProxy;
let app: DynamoDBClient;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 20, itemsPerSubject: 5, objectsPerSubject: 1 });
  const store = env.store('dynamodb-table');
  proxy = await new LaggingIndexProxy(env.ddbProxy.url, store.indexName!, store.subjectAttribute!, store.keyAttributes!).start();
  app = new DynamoDBClient({ region: 'us-east-1', endpoint: env.ddbProxy.url, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}, 120_000);
afterAll(async () => {
  app?.destroy();
  await proxy?.close();
  await env?.close();
});
beforeEach(() => {
  env.applyEnv({ dynamoPageSize: 5, maxPagesPerInvocation: 2 });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
});
afterEach(() => {
  proxy.reset();
  env.reset();
});

const ledger = async (requestId: string) => (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');
const auditOf = async (requestId: string) => (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
const itemsOf = async (tenant: string, subject: string) => (await env.scan(env.tables.customers)).filter((i) => i.subjectId === `${tenant}#${subject}`);
const statusOf = (tenant: string, requestId: string) => env.requests({ action: 'STATUS', tenant, requestId });

/** 20 items of a subject, the first 5 with a `phone`. */
async function seed(tenant: string, subject: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await app.send(new PutItemCommand({
      TableName: env.tables.customers,
      Item: {
        pk: { S: `${tenant}#${subject}#${i}` },
        sk: { S: `ITEM#${i}` },
        subjectId: { S: `${tenant}#${subject}` },
        city: { S: 'Oakland' },
        ...(i < 5 ? { phone: { S: '+1-510-555-0100' } } : {}),
      },
    }));
  }
}

describe('finding 9: CORRECT semantics', () => {
  test('GIVEN 5 of 20 items have a phone WHEN phone is corrected THEN only those 5 change and no item gains it', async () => {
    await seed('acme', 'c1@example.com');
    const run = await env.run({ requestId: 'correct-existing-only', type: 'CORRECT', tenant: 'acme', subject: 'c1@example.com', corrections: { phone: '+1-510-555-0199' } });
    expect(run.status).toBe('SUCCEEDED');
    const items = await itemsOf('acme', 'c1@example.com');
    expect(items.filter((i) => i.phone === '+1-510-555-0199')).toHaveLength(5);
    expect(items.filter((i) => i.phone !== undefined)).toHaveLength(5);
    const status = await statusOf('acme', 'correct-existing-only');
    expect(status.correction.stores).toEqual(expect.arrayContaining([
      { store: 'Local/Customers', corrected: { phone: 5 }, refused: [] },
      { store: 'Local/Documents', corrected: {}, refused: [], notCorrectable: expect.stringMatching(/documents/) },
    ]));
  });

  test('GIVEN the store declares phone correctable WHEN phone is corrected THEN every item has it', async () => {
    await seed('acme', 'c2@example.com');
    env.applyEnv({
      dynamoPageSize: 5,
      stores: env.config.stores.map((s: StoreConfig) => (s.kind === 'dynamodb-table' ? { ...s, correctableAttributes: ['phone'] } : { ...s, versioned: false })),
    });
    process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
    const run = await env.run({ requestId: 'correct-declared', type: 'CORRECT', tenant: 'acme', subject: 'c2@example.com', corrections: { phone: '+1-510-555-0199', city: 'Berkeley' } });
    expect(run.status).toBe('SUCCEEDED');
    const items = await itemsOf('acme', 'c2@example.com');
    expect(items.every((i) => i.phone === '+1-510-555-0199')).toBe(true);
    // city is not declared: refused, not changed
    expect(items.every((i) => i.city === 'Oakland')).toBe(true);
    const customers = (await statusOf('acme', 'correct-declared')).correction.stores.find((s: any) => s.store === 'Local/Customers');
    expect(customers).toEqual({ store: 'Local/Customers', corrected: { phone: 20 }, refused: [{ attribute: 'city', reason: expect.stringMatching(/declares/) }] });
  });

  test('GIVEN corrections of a key, the subject attribute and an attribute no item has THEN each is refused with a reason in STATUS and the audit, nothing changes', async () => {
    await seed('acme', 'c3@example.com');
    const corrections = { pk: 'acme#someone-else', subjectId: 'acme#someone-else@example.com', loyaltyTier: 'gold' };
    const run = await env.run({ requestId: 'correct-refused', type: 'CORRECT', tenant: 'acme', subject: 'c3@example.com', corrections });
    expect(run.status).toBe('SUCCEEDED');
    expect(await itemsOf('acme', 'c3@example.com')).toHaveLength(20);
    expect((await itemsOf('acme', 'c3@example.com')).some((i) => i.loyaltyTier !== undefined)).toBe(false);
    const customers = (await statusOf('acme', 'correct-refused')).correction.stores.find((s: any) => s.store === 'Local/Customers');
    expect(customers.corrected).toEqual({});
    expect(customers.refused.map((r: any) => r.attribute).sort()).toEqual(['loyaltyTier', 'pk', 'subjectId']);
    for (const r of customers.refused) expect(r.reason.length).toBeGreaterThan(20);
    const refused = (await auditOf('correct-refused')).find((r) => r.step === 'Correct' && r.outcome === 'REFUSED');
    expect(refused!.detail.refused).toMatch(/pk: a key attribute/);
    expect((await auditOf('correct-refused')).find((r) => r.step === 'Finalize')!.detail).toMatchObject({ refused: 3, notCorrectable: 1 });
  });

  test('GIVEN the application changes an item between the read and the update THEN the correction fails for it, is reported, and the application\'s value stays', async () => {
    await seed('acme', 'c4@example.com');
    let raced = false;
    proxy.beforeForward = async (op, body) => {
      if (raced || op !== 'UpdateItem' || body.TableName !== env.tables.customers) return;
      raced = true;
      await app.send(new UpdateItemCommand({
        TableName: env.tables.customers, Key: body.Key, UpdateExpression: 'SET city = :c', ExpressionAttributeValues: { ':c': { S: 'Alameda' } },
      }));
    };
    const run = await env.run({ requestId: 'correct-conflict', type: 'CORRECT', tenant: 'acme', subject: 'c4@example.com', corrections: { city: 'Berkeley' } });
    expect(raced).toBe(true);
    expect(run.status).toBe('FAILED');
    const items = await itemsOf('acme', 'c4@example.com');
    expect(items.filter((i) => i.city === 'Alameda')).toHaveLength(1);
    expect(items.filter((i) => i.city === 'Berkeley')).toHaveLength(19);
    const audit = await auditOf('correct-conflict');
    expect(audit.find((r) => r.step === 'Correct' && r.outcome === 'CONFLICT')!.detail).toMatchObject({ conflicts: 1, changed: 19, attributes: 'city' });
    expect(audit.find((r) => r.step === 'StoreStep' && r.outcome === 'FAILED')!.detail).toMatchObject({ error: 'DsrCorrectionConflictError' });
    expect((await ledger('correct-conflict'))!.status).toBe('FAILED');
  });

  test('the audit of a correction names attributes and a hash of the change, never a value', async () => {
    await seed('globex', 'c5@example.com');
    const corrections = { city: 'Secret-City-Value', phone: '+1-999-SECRET' };
    const run = await env.run({ requestId: 'correct-audit', type: 'CORRECT', tenant: 'globex', subject: 'c5@example.com', corrections });
    expect(run.status).toBe('SUCCEEDED');
    const audit = await auditOf('correct-audit');
    const succeeded = audit.find((r) => r.step === 'Correct' && r.outcome === 'SUCCEEDED')!;
    expect(succeeded.detail).toMatchObject({ changed: 25, attributes: 'city phone', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const text = JSON.stringify(audit) + JSON.stringify(run.events) + env.logLines.join('');
    for (const secret of ['Secret-City-Value', '+1-999-SECRET', '+1-510-555-0100', 'Oakland', 'c5@example.com']) expect(text).not.toContain(secret);
  });
});
