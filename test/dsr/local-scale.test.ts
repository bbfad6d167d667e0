/**
 * The DsrWorkflow at scale (issue 14 findings 4, 5, 7, 11), locally: the real handlers in the
 * synthesized state machines (aws-local-stepfunctions) against dynalite and s3rver, requests
 * counted by the proxies in front of them.
 */
import { randomBytes } from 'crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { LocalDsr } from './local/environment';
import { MIN_PART_BYTES } from '../../lib/dsr/handlers/shared/report-stream';

let env: LocalDsr;

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 100, itemsPerSubject: 10, objectsPerSubject: 2 });
}, 120_000);
afterAll(async () => {
  await env?.close();
});
afterEach(() => env.reset());

async function ledger(requestId: string): Promise<Record<string, any> | undefined> {
  return (await env.scan(env.tables.ledger)).find((r) => r.pk === `REQUEST#${requestId}` && r.sk === 'REQUEST');
}

async function reportText(requestId: string): Promise<string> {
  const request = (await ledger(requestId))!;
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: request.exportKey }));
  return got.Body!.transformToString();
}

describe('finding 7: the access report is streamed, never held whole', () => {
  const carol = { tenant: 'acme', subject: 'carol@example.com' };
  const scan = randomBytes(12 * 1024 * 1024 + 1); // not a multiple of 3: the base64 pieces must join
  const note = `line one\n"quoted" \u00e9\u4e2d\ud83d\ude00 ${'x'.repeat(300_000)}`;

  beforeAll(async () => {
    await env.seedSubject(carol.tenant, carol.subject, 30, 0);
    const bucket = env.store('s3-bucket').name;
    const prefix = `tenants/${carol.tenant}/subjects/${carol.subject}/`;
    await env.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}scan.png`, Body: scan, ContentType: 'image/png' }));
    await env.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}note.txt`, Body: note, ContentType: 'text/plain; charset=utf-8' }));
  }, 60_000);

  test('GIVEN a 12 MB document WHEN ACCESS runs THEN the report is uploaded in parts of at least 5 MiB and holds the exact bytes', async () => {
    env.s3Proxy.reset();
    const run = await env.run({ requestId: 'scale-access-big', type: 'ACCESS', ...carol });
    expect(run.status).toBe('SUCCEEDED');
    const parts = env.s3Proxy.sizes.UploadPart ?? [];
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.slice(0, -1).every((n) => n >= MIN_PART_BYTES && n < MIN_PART_BYTES + 1024 * 1024)).toBe(true);
    expect(env.s3Proxy.counts.CompleteMultipartUpload).toBe(1);
    // the export parts carry references, not document bodies (StoreStep reads no document)
    expect(Math.max(...(env.s3Proxy.sizes['PUT Object'] ?? [0]))).toBeLessThan(64 * 1024);
    const report = JSON.parse(await reportText('scale-access-big'));
    const byStore = Object.fromEntries(report.stores.map((s: any) => [s.store, s.records]));
    expect(byStore['Local/Customers']).toHaveLength(30);
    const docs = Object.fromEntries(byStore['Local/Documents'].map((d: any) => [d.key, d]));
    expect(Object.keys(docs).sort()).toEqual(['note.txt', 'scan.png']);
    expect(Buffer.from(docs['scan.png'].bodyBase64, 'base64').equals(scan)).toBe(true);
    expect(docs['scan.png'].contentType).toBe('image/png');
    expect(docs['note.txt'].body).toBe(note);
    expect((await ledger('scale-access-big'))!.status).toBe('COMPLETED');
  });
});
