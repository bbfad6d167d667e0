/**
 * Version purging against a stateful versioned S3 fake: no offline S3 server supports versioning
 * (s3rver answers ?versions with 405), so the DELETE path of StoreStep for a versioned bucket
 * (ListObjectVersions + DeleteObjects with VersionId) runs here against an in-process fake that
 * keeps every version and delete marker, pages like S3 and honours VersionId deletes.
 */
import { StoreStepState } from '../../lib/dsr/handlers/shared/model';
import * as runtimeModule from '../../lib/dsr/handlers/shared/runtime';
import { handler as storeStep } from '../../lib/dsr/handlers/store-step.lambda';

interface Version { key: string; versionId: string; marker: boolean }

/** A versioned bucket: PutObject adds a version, DeleteObject without VersionId adds a delete marker. */
class VersionedBucketFake {
  public versions: Version[] = [];
  public calls: Record<string, number> = {};
  private seq = 0;

  public put(key: string): void { this.versions.push({ key, versionId: `v${++this.seq}`, marker: false }); }
  public deleteMarker(key: string): void { this.versions.push({ key, versionId: `m${++this.seq}`, marker: true }); }
  public under(prefix: string): Version[] { return this.versions.filter((v) => v.key.startsWith(prefix)); }

  public async send(command: { constructor: { name: string }; input: any }): Promise<any> {
    const op = command.constructor.name.replace(/Command$/, '');
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    const input = command.input;
    if (op === 'ListObjectVersions') {
      // S3 order: by key, then newest version first; the markers resume after (KeyMarker, VersionIdMarker)
      const order = (a: Version, b: Version) => (a.key === b.key ? b.versionId.localeCompare(a.versionId) : a.key.localeCompare(b.key));
      const all = this.under(input.Prefix).slice().sort(order);
      let start = 0;
      if (input.KeyMarker) start = all.findIndex((v) => v.key === input.KeyMarker && v.versionId === input.VersionIdMarker) + 1;
      const page = all.slice(start, start + input.MaxKeys);
      const truncated = start + input.MaxKeys < all.length;
      const last = page[page.length - 1];
      return {
        Versions: page.filter((v) => !v.marker).map((v) => ({ Key: v.key, VersionId: v.versionId })),
        DeleteMarkers: page.filter((v) => v.marker).map((v) => ({ Key: v.key, VersionId: v.versionId })),
        IsTruncated: truncated,
        NextKeyMarker: truncated ? last.key : undefined,
        NextVersionIdMarker: truncated ? last.versionId : undefined,
      };
    }
    if (op === 'DeleteObjects') {
      for (const o of input.Delete.Objects) {
        if (o.VersionId) this.versions = this.versions.filter((v) => !(v.key === o.Key && v.versionId === o.VersionId));
        else this.deleteMarker(o.Key);
      }
      return { Errors: [] };
    }
    if (op === 'ListObjectsV2') {
      const current = new Map<string, Version>();
      for (const v of this.under(input.Prefix)) current.set(v.key, v); // the last pushed is the newest
      const keys = [...current.values()].filter((v) => !v.marker).map((v) => ({ Key: v.key }));
      return { Contents: keys.slice(0, input.MaxKeys), IsTruncated: keys.length > input.MaxKeys };
    }
    throw new Error(`fake S3 does not implement ${op}`);
  }
}

/** The ledger and audit table as far as StoreStep uses them: GetItem, PutItem, DeleteItem. */
class TablesFake {
  public items = new Map<string, any>();
  public async send(command: { constructor: { name: string }; input: any }): Promise<any> {
    const op = command.constructor.name.replace(/Command$/, '');
    const { TableName, Key, Item } = command.input;
    const id = (k: any) => `${TableName}|${k.pk.S}|${k.sk.S}`;
    if (op === 'GetItem') return { Item: this.items.get(id(Key)) };
    if (op === 'PutItem') { this.items.set(id(Item), Item); return {}; }
    if (op === 'DeleteItem') { this.items.delete(id(Key)); return {}; }
    throw new Error(`fake DynamoDB does not implement ${op}`);
  }
}

const PREFIX = 'subjects/alice@example.com/';
let s3: VersionedBucketFake;
let ddb: TablesFake;

function useFakes(versioned: boolean): void {
  s3 = new VersionedBucketFake();
  ddb = new TablesFake();
  for (let i = 0; i < 3; i++) for (let v = 0; v < 4; v++) s3.put(`${PREFIX}doc-${i}.json`);
  s3.deleteMarker(`${PREFIX}doc-0.json`);
  s3.deleteMarker(`${PREFIX}doc-1.json`);
  for (let v = 0; v < 3; v++) s3.put('subjects/bob@example.com/doc.json');
  ddb.items.set('ledger|REQUEST#r1|REQUEST', {
    requestId: { S: 'r1' }, type: { S: 'DELETE' }, tenant: { S: 'acme' }, subject: { S: 'alice@example.com' }, subjectId: { S: 'pseudo' },
  });
  jest.spyOn(runtimeModule, 'runtime').mockReturnValue({
    ledgerTable: 'ledger',
    auditTable: 'audit',
    exportBucket: 'exports',
    eventBusName: 'bus',
    pseudonymKeyId: 'k',
    auditRetentionDays: 731,
    exportLinkSeconds: 3600,
    maxPagesPerInvocation: 1,
    dynamoPageSize: 500,
    s3PageSize: 5,
    stores: [{ id: '0', path: 'S/Documents', kind: 's3-bucket', name: 'documents', prefixTemplate: 'subjects/{subject}/', versioned }],
    s3,
    ddb,
    logger: { info: () => undefined },
  } as unknown as runtimeModule.Runtime);
}

/** Drive StoreStep the way the state machine's StoreDone? loop does. */
async function runStore(): Promise<{ state: StoreStepState; invocations: number }> {
  let state: StoreStepState = { requestId: 'r1', type: 'DELETE', tenant: 'acme', pseudonym: 'pseudo', store: '0', phase: 'START' };
  let invocations = 0;
  while (!state.done) {
    state = await storeStep(state);
    if (++invocations > 50) throw new Error('no progress');
  }
  return { state, invocations };
}

afterEach(() => { jest.restoreAllMocks(); });

test('GIVEN 12 versions and 2 delete markers of a subject WHEN DELETE runs in pages of 5 THEN every version and marker is purged, verified', async () => {
  useFakes(true);
  expect(s3.under(PREFIX)).toHaveLength(14);
  const { state, invocations } = await runStore();
  expect(s3.under(PREFIX)).toEqual([]);
  expect(state).toMatchObject({ phase: 'VERIFY', done: true, count: 14, verifyAttempts: 1 });
  // 3 pages of 5, one per invocation (the cursor lives in the ledger between them), then one verification
  expect(invocations).toBe(4);
  expect(s3.calls).toEqual({ ListObjectVersions: 4, DeleteObjects: 3 });
  const audit = [...ddb.items.keys()].filter((k) => k.startsWith('audit|'));
  expect(audit).toHaveLength(4);
  expect([...ddb.items.keys()].filter((k) => k.includes('CURSOR#'))).toEqual([]);
  // the other subject's versions are untouched
  expect(s3.under('subjects/bob@example.com/')).toHaveLength(3);
});

test('GIVEN the same bucket treated as unversioned THEN noncurrent versions would survive: the versioned path is what purges them', async () => {
  useFakes(false);
  await runStore();
  expect(s3.under(PREFIX).filter((v) => !v.marker).length).toBe(12);
});

test('GIVEN versions written meanwhile WHEN re-discovery finds them THEN StoreStep deletes again before reporting done', async () => {
  useFakes(true);
  let first = true;
  const send = s3.send.bind(s3);
  s3.send = async (command: any) => {
    const out = await send(command);
    if (first && command.constructor.name === 'DeleteObjectsCommand' && s3.under(PREFIX).length === 0) {
      first = false;
      s3.put(`${PREFIX}late.json`);
    }
    return out;
  };
  const { state } = await runStore();
  expect(s3.under(PREFIX)).toEqual([]);
  expect(state.verifyAttempts).toBe(2);
});
