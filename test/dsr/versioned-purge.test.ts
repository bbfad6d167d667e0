/**
 * Version purging against a stateful versioned S3 fake: no offline S3 server supports versioning
 * (s3rver answers ?versions with 405), so the DELETE path of StoreStep for a versioned bucket
 * (ListObjectVersions + DeleteObjects with VersionId) runs here against an in-process fake that
 * keeps every version and delete marker, pages like S3 and honours VersionId deletes. The request
 * comes in as every request does: SUBMIT to the Requests function (ledger, pseudonym, StartExecution
 * with `{ requestId }`), then Intake reads the ledger and StoreStep runs as the Map iteration would.
 */
import { createHmac } from 'crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { handler as intake } from '../../lib/dsr/handlers/intake.lambda';
import { handler as requests, RequestStatus } from '../../lib/dsr/handlers/requests.lambda';
import { IntakeResult, StoreStepState } from '../../lib/dsr/handlers/shared/model';
import * as runtimeModule from '../../lib/dsr/handlers/shared/runtime';
import { handler as storeStep } from '../../lib/dsr/handlers/store-step.lambda';

interface Version { key: string; versionId: string; marker: boolean }

/** A versioned bucket: PutObject adds a version, DeleteObject without VersionId adds a delete marker. */
class VersionedBucketFake {
  public versions: Version[] = [];
  public calls: Record<string, number> = {};
  /** The audit bucket's records (key -> body), in the order written. */
  public auditRecords = new Map<string, string>();
  private seq = 0;

  public put(key: string): void { this.versions.push({ key, versionId: `v${++this.seq}`, marker: false }); }
  public deleteMarker(key: string): void { this.versions.push({ key, versionId: `m${++this.seq}`, marker: true }); }
  public under(prefix: string): Version[] { return this.versions.filter((v) => v.key.startsWith(prefix)); }

  /** The audit records, parsed, in the order written. */
  public audit(): Array<Record<string, any>> {
    return [...this.auditRecords.values()].map((body) => JSON.parse(body));
  }

  public async send(command: { constructor: { name: string }; input: any }): Promise<any> {
    const op = command.constructor.name.replace(/Command$/, '');
    const input = command.input;
    if (op === 'PutObject' && input.Bucket === 'audit') {
      // the audit bucket: If-None-Match: * honoured, as S3 does (412 when the key exists)
      if (input.IfNoneMatch !== '*') throw new Error('fake S3: an audit record written without If-None-Match: *');
      if (this.auditRecords.has(input.Key)) throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed' });
      this.auditRecords.set(input.Key, input.Body);
      return {};
    }
    this.calls[op] = (this.calls[op] ?? 0) + 1;
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

/**
 * The ledger as far as the Requests function, Intake and StoreStep use them:
 * GetItem, PutItem (attribute_not_exists honoured), DeleteItem, and Intake's UpdateItem.
 */
class TablesFake {
  public items = new Map<string, any>();
  public async send(command: { constructor: { name: string }; input: any }): Promise<any> {
    const op = command.constructor.name.replace(/Command$/, '');
    const { TableName, Key, Item, ConditionExpression, UpdateExpression, ExpressionAttributeValues: values } = command.input;
    const id = (k: any) => `${TableName}|${k.pk.S}|${k.sk.S}`;
    const failCondition = () => { throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }); };
    if (op === 'GetItem') return { Item: this.items.get(id(Key)) };
    if (op === 'PutItem') {
      if (ConditionExpression === 'attribute_not_exists(pk)' && this.items.has(id(Item))) failCondition();
      else if (ConditionExpression !== undefined && ConditionExpression !== 'attribute_not_exists(pk)') throw new Error(`fake PutItem: ${ConditionExpression}`);
      this.items.set(id(Item), Item);
      return {};
    }
    if (op === 'DeleteItem') { this.items.delete(id(Key)); return {}; }
    if (op === 'UpdateItem' && UpdateExpression === 'SET #st = :p, attempts = if_not_exists(attempts, :zero) + :one') {
      const item = this.items.get(id(Key));
      if (!item || item.status.S === values[':c'].S) failCondition();
      item.status = values[':p'];
      item.attempts = { N: String(Number(item.attempts?.N ?? values[':zero'].N) + Number(values[':one'].N)) };
      return {};
    }
    throw new Error(`fake DynamoDB does not implement ${op} ${UpdateExpression ?? ''}`);
  }
}

/** KMS GenerateMac (an HMAC with a local key) and Step Functions StartExecution (recorded). */
const MAC_KEY = Buffer.from('versioned-purge test key');
const kms = { send: async (command: { input: any }) => ({ Mac: createHmac('sha256', MAC_KEY).update(command.input.Message).digest() }) };
let started: Array<{ name: string; input: string }>;
const sfn = {
  send: async (command: { constructor: { name: string }; input: any }) => {
    if (command.constructor.name !== 'StartExecutionCommand') throw new Error(`fake Step Functions does not implement ${command.constructor.name}`);
    started.push({ name: command.input.name, input: command.input.input });
    return { executionArn: `arn:aws:states:us-east-1:111111111111:execution:m:${command.input.name}`, startDate: new Date() };
  },
};

const PREFIX = 'subjects/alice@example.com/';
let s3: VersionedBucketFake;
let ddb: TablesFake;

let logLines: string[];

function useFakes(versioned: boolean): void {
  s3 = new VersionedBucketFake();
  ddb = new TablesFake();
  started = [];
  logLines = [];
  for (let i = 0; i < 3; i++) for (let v = 0; v < 4; v++) s3.put(`${PREFIX}doc-${i}.json`);
  s3.deleteMarker(`${PREFIX}doc-0.json`);
  s3.deleteMarker(`${PREFIX}doc-1.json`);
  for (let v = 0; v < 3; v++) s3.put('subjects/bob@example.com/doc.json');
  jest.spyOn(runtimeModule, 'runtime').mockReturnValue({
    ledgerTable: 'ledger',
    auditBucket: 'audit',
    exportBucket: 'exports',
    eventBusName: 'bus',
    pseudonymKeyId: 'k',
    auditRetentionDays: 731,
    exportLinkSeconds: 3600,
    openRequestsIndex: 'open-requests',
    tombstonesIndex: 'tombstones',
    holidays: new Set<string>(),
    stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:m',
    deadlineWarningSeconds: 432_000,
    workflow: 'dsr',
    maxPagesPerInvocation: 1,
    dynamoPageSize: 500,
    s3PageSize: 5,
    stores: [{ id: '0', path: 'S/Documents', kind: 's3-bucket', name: 'documents', prefixTemplate: 'subjects/{subject}/', versioned, tenancy: 'silo' }],
    s3,
    ddb,
    kms,
    sfn,
    // SUBMIT publishes "DSR Confirmation Due"
    events: { send: async () => ({ FailedEntryCount: 0 }) },
    logger: { info: (message: string, fields: unknown) => { logLines.push(JSON.stringify({ message, fields })); } },
  } as unknown as runtimeModule.Runtime);
}

/** SUBMIT the DELETE, run Intake on the execution input it started, then drive StoreStep the way the Map iteration's StoreDone? loop does. */
async function runStore(): Promise<{ state: StoreStepState; invocations: number }> {
  const submitted = await requests({ action: 'SUBMIT', request: { requestId: 'r1', type: 'DELETE', tenant: 'acme', subject: 'alice@example.com' } }) as RequestStatus;
  expect(submitted).toMatchObject({ status: 'RECEIVED', execution: 'r1_r1' });
  expect(started).toEqual([{ name: 'r1_r1', input: '{"requestId":"r1"}' }]);
  const intook: IntakeResult = await intake(JSON.parse(started[0].input));
  expect(intook).toMatchObject({ requestId: 'r1', type: 'DELETE', tenant: 'acme', stores: ['0'], alreadyCompleted: false });
  // the Map's itemSelector
  let state: StoreStepState = {
    requestId: intook.requestId, type: intook.type, tenant: intook.tenant, pseudonym: intook.pseudonym, store: intook.stores[0], phase: 'START',
  };
  let invocations = 0;
  while (!state.done) {
    state = await storeStep(state);
    expect(JSON.stringify(state)).not.toContain('alice@example.com');
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
  expect(state).toMatchObject({ phase: 'VERIFY', done: true, count: 14, verifyPasses: 2, cleanPasses: 2, verifyDeleted: 0 });
  // 3 pages of 5, one per invocation (the cursor lives in the ledger between them), then two verification passes that find nothing
  expect(invocations).toBe(5);
  expect(s3.calls).toEqual({ ListObjectVersions: 5, DeleteObjects: 3 });
  // the submission, Intake, and StoreStep's progress (2 pages), deletion and verification
  expect(s3.audit().map((r) => `${r.step}:${r.outcome}`)).toEqual([
    'Submit:RECEIVED', 'Intake:STARTED', 'Delete:PROGRESS', 'Delete:PROGRESS', 'Delete:SUCCEEDED', 'Verify:VERIFIED',
  ]);
  expect(s3.audit().find((r) => r.outcome === 'SUCCEEDED')?.detail).toEqual({ records: 14, pages: 3 });
  expect([...ddb.items.keys()].filter((k) => k.includes('CURSOR#'))).toEqual([]);
  // the identifier is in the ledger only: not in the audit records or the log lines (the cursor, in the ledger, is gone)
  expect(unmarshall(ddb.items.get('ledger|REQUEST#r1|REQUEST'))).toMatchObject({ subject: 'alice@example.com', status: 'IN_PROGRESS', executions: 1, attempts: 1 });
  expect(JSON.stringify(s3.audit())).not.toContain('alice@example.com');
  expect(logLines.length).toBeGreaterThan(0);
  expect(logLines.join('\n')).not.toContain('alice@example.com');
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
  // the first pass finds the late version and deletes it; two clean passes follow
  expect(state).toMatchObject({ verifyPasses: 3, cleanPasses: 2, verifyDeleted: 1 });
});
