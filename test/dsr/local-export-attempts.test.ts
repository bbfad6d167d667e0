/**
 * The parts of failed export attempts are deleted (issue 14, finding 7): a Finalize whose report
 * upload fails on part 3 and cannot abort it (as when a run times out), then a re-run of the
 * request. Locally: the real handlers in the synthesized state machine against s3rver, whose
 * missing ListMultipartUploads/AbortMultipartUpload the stand-in answers (test/dsr/local/stand-ins.ts).
 */
import { randomBytes } from 'crypto';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { LocalDsr } from './local/environment';

let env: LocalDsr;
const dana = { tenant: 'acme', subject: 'dana@example.com' };
const scan = randomBytes(8 * 1024 * 1024 + 2); // about 10.7 MB of base64: a report of 3 parts

beforeAll(async () => {
  env = await LocalDsr.start({ fillerItems: 50, itemsPerSubject: 5, objectsPerSubject: 1 });
  await env.seedSubject(dana.tenant, dana.subject, 40, 0);
  const prefix = `tenants/${dana.tenant}/subjects/${dana.subject}/`;
  await env.s3.send(new PutObjectCommand({ Bucket: env.store('s3-bucket').name, Key: `${prefix}scan.bin`, Body: scan, ContentType: 'application/octet-stream' }));
}, 180_000);
afterAll(async () => {
  await env?.close();
});

async function uploadsLeft(): Promise<string[]> {
  const out = await env.s3.send(new ListMultipartUploadsCommand({ Bucket: env.config.exportBucket, Prefix: 'exports/' }));
  return (out.Uploads ?? []).map((u) => u.Key!);
}

async function exportKeys(): Promise<string[]> {
  const out = await env.s3.send(new ListObjectsV2Command({ Bucket: env.config.exportBucket, Prefix: 'exports/' }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

function finalizeAttempts(run: { events: any[] }): string[] {
  const entered = run.events.find((e) => e.type === 'StateEntered' && e.state?.name === 'Finalize');
  return (entered.state.input.storeResults as Array<{ attempt: string }>).map((r) => r.attempt);
}

test('GIVEN a report upload failing on part 3 that cannot be aborted WHEN the request is re-run THEN the report has every record once and no upload or part of the failed attempt remains', async () => {
  const requestId = 'attempts-1';
  // every UploadPart from the 3rd on fails (past the SDK's and the state machine's retries), every abort too
  env.s3Proxy.inject(
    { operation: 'UploadPart', after: 2, times: Number.MAX_SAFE_INTEGER, kind: 'error500' },
    { operation: 'AbortMultipartUpload', times: Number.MAX_SAFE_INTEGER, kind: 'error500' },
  );
  const failed = await env.run({ requestId, type: 'ACCESS', ...dana });
  expect(failed.status).toBe('FAILED');
  expect((await uploadsLeft()).length).toBeGreaterThan(0); // the fault did leave uploads behind
  const firstAttempts = new Set(finalizeAttempts(failed));
  env.s3Proxy.reset();

  const run = await env.run({ requestId, type: 'ACCESS', ...dana });
  expect(run.status).toBe('SUCCEEDED');
  const attempts = new Set(finalizeAttempts(run));
  expect([...attempts].some((a) => firstAttempts.has(a))).toBe(false); // the re-run exported anew

  // every record once
  const keys = await exportKeys();
  const reportKey = keys.find((k) => k.endsWith('/report.json'))!;
  const got = await env.s3.send(new GetObjectCommand({ Bucket: env.config.exportBucket, Key: reportKey }));
  const report = JSON.parse(await got.Body!.transformToString());
  const byStore = Object.fromEntries(report.stores.map((s: any) => [s.store, s.records]));
  const items = byStore['Local/Customers'].map((r: unknown) => JSON.stringify(r));
  expect(items).toHaveLength(40);
  expect(new Set(items).size).toBe(40);
  expect(byStore['Local/Documents']).toHaveLength(1);
  expect(Buffer.from(byStore['Local/Documents'][0].bodyBase64, 'base64').equals(scan)).toBe(true);

  // no upload left, no part of the failed attempt: only the report and the parts it was assembled from
  expect(await uploadsLeft()).toEqual([]);
  const partAttempts = new Set(keys.filter((k) => k.includes('/parts/')).map((k) => k.split('/parts/')[1].split('/')[0]));
  expect([...partAttempts].filter((a) => !attempts.has(a))).toEqual([]);
  expect(keys.filter((k) => !k.includes('/parts/'))).toEqual([reportKey]);
}, 300_000);
