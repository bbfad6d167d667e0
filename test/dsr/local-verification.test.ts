/**
 * Deletion verification against an eventually consistent subject index (issue 14, finding 3),
 * locally: the real handlers in the synthesized state machine, the table's subject index made to
 * lag the base table by a LaggingIndexProxy (new items invisible, deleted ones still listed, for
 * `lagMs`), and the application writing while the deletion runs.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalDsr } from './local/environment';
import { LaggingIndexProxy } from './local/lagging-index';

let env: LocalDsr;
let lag: LaggingIndexProxy;
let app: DynamoDBClient;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 50, itemsPerSubject: 30, objectsPerSubject: 3 });
  const store = env.store('dynamodb-table');
  lag = await new LaggingIndexProxy(env.ddbProxy.url, store.indexName!, store.subjectAttribute!, store.keyAttributes!).start();
  app = new DynamoDBClient({ region: 'us-east-1', endpoint: lag.url, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}, 120_000);
afterAll(async () => {
  app?.destroy();
  await lag?.close();
  await env?.close();
});
beforeEach(() => {
  env.applyEnv({ dynamoPageSize: 10, maxPagesPerInvocation: 2 });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = lag.url;
});
afterEach(() => {
  lag.reset();
  env.reset();
  env.waitMs = 0;
});

async function auditOf(requestId: string): Promise<Array<Record<string, any>>> {
  return (await env.scan(env.tables.audit)).filter((r) => r.requestId === requestId);
}

/** The application writes one item of the subject (through the lagging index, like every write). */
async function appWrites(tenant: string, subject: string, n: number): Promise<void> {
  await app.send(new PutItemCommand({
    TableName: env.tables.customers,
    Item: { pk: { S: `${tenant}#${subject}#late-${n}` }, sk: { S: `LATE#${n}` }, subjectId: { S: `${tenant}#${subject}` }, note: { S: 'written during the deletion' } },
  }));
}

/** Each StoreStep invocation on the table that ends the deletion pass (the next one verifies) runs `after`. */
function afterDeletionPass(after: () => Promise<void>): void {
  const tableStore = env.store('dynamodb-table').id;
  env.wrap = async (state, run) => {
    const out = await run() as any;
    if (state === 'StoreStep' && out?.store === tableStore && out.phase === 'VERIFY' && out.done === false && !out.verifyPasses) await after();
    return out;
  };
}

describe('finding 3: verification is correct under index lag and racing writes', () => {
  test('GIVEN the index lags 2 s (deleted items still listed) WHEN DELETE runs THEN the request completes, verified on the base table', async () => {
    await env.seedSubject('acme', 'lag-1@example.com', 30, 2);
    lag.lagMs = 2_000;
    const run = await env.run({ requestId: 'verify-stale-index', type: 'DELETE', tenant: 'acme', subject: 'lag-1@example.com' });
    expect(lag.staleAnswered).toBeGreaterThan(0);
    expect(run.status).toBe('SUCCEEDED');
    expect(await env.itemsOf('acme', 'lag-1@example.com')).toBe(0);
    const verified = (await auditOf('verify-stale-index')).filter((r) => r.step === 'Verify' && r.outcome === 'VERIFIED');
    expect(verified).toHaveLength(2);
    // the stale index entries were checked with consistent reads of the base table: nothing live
    expect(verified.find((r) => r.store === 'Local/Customers')!.detail).toMatchObject({ stale: expect.any(Number), deletedDuringVerification: 0 });
  });

  test('GIVEN the application writes an item the lagging index does not show yet WHEN the deletion is verified THEN that item is deleted too and reported', async () => {
    await env.seedSubject('acme', 'lag-2@example.com', 30, 2);
    lag.lagMs = 300;
    // the settle wait between the re-discoveries is longer than the index lag
    env.waitMs = 450;
    afterDeletionPass(() => appWrites('acme', 'lag-2@example.com', 1));
    const run = await env.run({ requestId: 'verify-racing-write', type: 'DELETE', tenant: 'acme', subject: 'lag-2@example.com' });
    expect(lag.hiddenAnswered).toBeGreaterThan(0);
    expect(run.status).toBe('SUCCEEDED');
    expect(await env.itemsOf('acme', 'lag-2@example.com')).toBe(0);
    const verified = (await auditOf('verify-racing-write')).find((r) => r.step === 'Verify' && r.outcome === 'VERIFIED' && r.store === 'Local/Customers');
    expect(verified!.detail).toMatchObject({ deletedDuringVerification: 1 });
    // the waits are states of the state machine (no sleeping Lambda)
    expect(run.events.filter((e) => e.type === 'StateEntered' && e.state?.name === 'StoreVerifyWait').length).toBeGreaterThanOrEqual(2);
  });

  test('GIVEN the application keeps writing the subject\'s items WHEN verification never settles THEN the request fails after a bounded number of re-discoveries and says so', async () => {
    await env.seedSubject('acme', 'lag-3@example.com', 10, 1);
    let n = 0;
    const tableStore = env.store('dynamodb-table').id;
    env.wrap = async (state, run) => {
      const out = await run() as any;
      if (state === 'StoreStep' && out?.store === tableStore && out.phase === 'VERIFY' && out.done === false) await appWrites('acme', 'lag-3@example.com', n++);
      return out;
    };
    const run = await env.run({ requestId: 'verify-never-settles', type: 'DELETE', tenant: 'acme', subject: 'lag-3@example.com' });
    expect(run.status).toBe('FAILED');
    const audit = await auditOf('verify-never-settles');
    const failure = audit.find((r) => r.step === 'StoreStep' && r.outcome === 'FAILED' && r.store === 'Local/Customers');
    expect(failure!.detail).toMatchObject({ phase: 'VERIFY', error: 'DsrVerificationError' });
    expect(n).toBeLessThanOrEqual(10);
    expect(JSON.stringify(audit)).not.toContain('lag-3@example.com');
  });
});
