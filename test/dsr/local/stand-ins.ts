import type * as crypto from 'crypto';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

/* eslint-disable @typescript-eslint/no-require-imports */
const nodeCrypto: typeof crypto = require('crypto');
const dynalite = require('dynalite');
const S3rver = require('s3rver');
// the module object itself (s3rver calls crypto.createCipheriv on it), not an import's copy
/* eslint-enable @typescript-eslint/no-require-imports */

/** A server on 127.0.0.1 and its URL. */
export interface Local {
  readonly url: string;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function closer(server: http.Server): () => Promise<void> {
  return () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); });
}

/** dynalite (DynamoDB) in-process, in memory. */
export async function startDynalite(): Promise<Local> {
  const server: http.Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return { url: await listen(server), close: closer(server) };
}

let desUsers = 0;
let restoreDes: (() => void) | undefined;

/**
 * s3rver encrypts the continuation token of ListObjectsV2 with single DES (`des`, CBC), which
 * OpenSSL 3 (Node 17 and later) has only in its legacy provider: every listing of more than 1,000
 * keys (a truncated page needs a token) answered 500 InternalError, and so did the test's listing
 * of the audit bucket once more than 1,000 audit records were in it. Triple DES (`des-ede3-cbc`)
 * with the key three times is single DES byte for byte, so `des` is answered with it while an
 * s3rver runs (any other algorithm is untouched). Returns the undo (the last user restores).
 */
function provideSingleDes(): () => void {
  if (desUsers++ === 0) {
    const cipher = nodeCrypto.createCipheriv;
    const decipher = nodeCrypto.createDecipheriv;
    const single = (algorithm: string) => /^des(-cbc)?$/i.test(algorithm);
    const triple = (key: crypto.CipherKey) => Buffer.concat([0, 1, 2].map(() => Buffer.from(key as Buffer)));
    const c = nodeCrypto as { createCipheriv: unknown; createDecipheriv: unknown };
    c.createCipheriv = (algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: any) =>
      (single(algorithm) ? cipher('des-ede3-cbc', triple(key), iv, options) : cipher(algorithm, key, iv, options));
    c.createDecipheriv = (algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: any) =>
      (single(algorithm) ? decipher('des-ede3-cbc', triple(key), iv, options) : decipher(algorithm, key, iv, options));
    restoreDes = () => {
      c.createCipheriv = cipher;
      c.createDecipheriv = decipher;
    };
  }
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    if (--desUsers === 0) restoreDes?.();
  };
}

/** s3rver (S3) in-process on a temporary directory; credentials S3RVER/S3RVER. */
export async function startS3rver(buckets: string[]): Promise<Local & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const undoDes = provideSingleDes();
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) });
  // s3rver's DeleteObjects deletes its keys in parallel, and each delete removes the directories it
  // leaves empty: two keys under one prefix race on rmdir, and the request answers 500 after
  // deleting everything (the SDK then retries it: 2 DeleteObjects requests where S3 needs 1).
  // Run the deletes of one request one after the other, as S3 answers them.
  const store = s3rver.store;
  const deleteObject = store.deleteObject.bind(store);
  let queue: Promise<unknown> = Promise.resolve();
  store.deleteObject = (bucket: string, key: string) => {
    const next = queue.then(() => deleteObject(bucket, key));
    queue = next.catch(() => undefined);
    return next;
  };
  // s3rver has no ListMultipartUploads (NotImplemented) nor AbortMultipartUpload (405): answered
  // here from its own store (an upload is a directory `<bucket>/._S3rver_uploads/<uploadId>` with
  // the key, the metadata and one file a part), in front of its router
  s3rver.middleware.splice(s3rver.middleware.length - 1, 0, multipartUploadsMiddleware(store));
  const { port } = await s3rver.run();
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    close: async () => { await s3rver.close(); undoDes(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/**
 * ListMultipartUploads (`GET /<bucket>?uploads[&prefix=]`) and AbortMultipartUpload (`DELETE
 * /<bucket>/<key>?uploadId=`) on s3rver's store; and ListObjectVersions (`GET /<bucket>?versions`)
 * as S3 answers for an unversioned bucket (each current object, VersionId `null`).
 */
function multipartUploadsMiddleware(store: {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  listObjects(bucket: string, options: { prefix?: string }): Promise<{ objects: Array<{ key: string; lastModified?: Date; size?: number }> }>;
}) {
  return async (ctx: any, next: () => Promise<unknown>): Promise<unknown> => {
    const segments = String(ctx.path).split('/').filter(Boolean).map(decodeURIComponent);
    const uploadsOf = (bucket: string) => store.getResourcePath(bucket, undefined, 'uploads');
    if (ctx.method === 'GET' && segments.length === 1 && 'uploads' in ctx.query) {
      const dirOf = uploadsOf(segments[0]);
      const prefix = String(ctx.query.prefix ?? '');
      const uploads = (fs.existsSync(dirOf) ? fs.readdirSync(dirOf) : [])
        .map((id) => ({ UploadId: id, Key: fs.readFileSync(path.join(dirOf, id, 'key'), 'utf8'), Initiated: fs.statSync(path.join(dirOf, id)).mtime.toISOString() }))
        .filter((u) => u.Key.startsWith(prefix))
        .sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
      ctx.body = { ListMultipartUploadsResult: { Bucket: segments[0], Prefix: prefix, MaxUploads: 1000, IsTruncated: false, Upload: uploads } };
      return undefined;
    }
    if (ctx.method === 'GET' && segments.length === 1 && 'versions' in ctx.query) {
      const prefix = String(ctx.query.prefix ?? '');
      const { objects } = await store.listObjects(segments[0], { prefix });
      ctx.body = {
        ListVersionsResult: {
          Name: segments[0],
          Prefix: prefix,
          IsTruncated: false,
          Version: objects.map((o) => ({ Key: o.key, VersionId: 'null', IsLatest: true, LastModified: o.lastModified?.toISOString(), Size: o.size })),
        },
      };
      return undefined;
    }
    if (ctx.method === 'DELETE' && segments.length > 1 && ctx.query.uploadId !== undefined) {
      const dir = path.join(uploadsOf(segments[0]), path.basename(String(ctx.query.uploadId)));
      if (!fs.existsSync(dir) || fs.readFileSync(path.join(dir, 'key'), 'utf8') !== segments.slice(1).join('/')) {
        ctx.status = 404;
        ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The specified upload does not exist.' } };
        return undefined;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      ctx.status = 204;
      return undefined;
    }
    return next();
  };
}

/** The HMAC key of the KMS stand-in (the real one never leaves KMS). */
export const STAND_IN_MAC_KEY = Buffer.from('cdk-ccpa local stand-in HMAC key, tests only');

/** A fault of the EventBridge stand-in: the next `times` PutEvents calls with an entry `match` accepts are refused. */
export interface EventFault {
  readonly match: (entry: { DetailType: string; Detail: Record<string, any> }) => boolean;
  /** `throttle`: 400 ThrottlingException (the SDK retries it); `failed`: 200 with FailedEntryCount 1. */
  readonly kind: 'throttle' | 'failed';
  times: number;
}

/** The stand-in's encryption key of KMS Encrypt/Decrypt (AES-256-GCM; the key id and encryption context are the AAD). */
const STAND_IN_ENCRYPTION_KEY = createHash('sha256').update('cdk-ccpa local stand-in encryption key, tests only').digest();

function contextAad(keyId: string, context: Record<string, string> | undefined): Buffer {
  const sorted = Object.keys(context ?? {}).sort().map((k) => [k, context![k]]);
  return Buffer.from(JSON.stringify([keyId, sorted]), 'utf8');
}

/**
 * KMS GenerateMac, Encrypt and Decrypt, and EventBridge PutEvents stand-ins (AWS JSON 1.1 protocol,
 * dispatched on X-Amz-Target): the MAC is a real HMAC-SHA-256 with a local key; Encrypt is
 * AES-256-GCM with the key id and the encryption context as additional data (Decrypt fails with
 * InvalidCiphertextException under any other context, as KMS does); events are recorded, and
 * `eventFaults` refuses some.
 */
export async function startAwsJsonStandIn(): Promise<Local & {
  events: Array<Record<string, unknown>>;
  macCalls: number;
  eventFaults: EventFault[];
  decrypt(ciphertext: string, context: Record<string, string>): string;
}> {
  const state = { events: [] as Array<Record<string, unknown>>, macCalls: 0, eventFaults: [] as EventFault[] };
  const decrypt = (ciphertext: string, context: Record<string, string> | undefined): string => {
    const blob = Buffer.from(ciphertext, 'base64');
    const keyIdLength = blob.readUInt16BE(0);
    const keyId = blob.subarray(2, 2 + keyIdLength).toString('utf8');
    const iv = blob.subarray(2 + keyIdLength, 14 + keyIdLength);
    const tag = blob.subarray(14 + keyIdLength, 30 + keyIdLength);
    const decipher = createDecipheriv('aes-256-gcm', STAND_IN_ENCRYPTION_KEY, iv);
    decipher.setAAD(contextAad(keyId, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(30 + keyIdLength)), decipher.final()]).toString('utf8');
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      let out: unknown;
      if (target === 'TrentService.GenerateMac') {
        state.macCalls++;
        const mac = createHmac('sha256', STAND_IN_MAC_KEY).update(Buffer.from(body.Message, 'base64')).digest('base64');
        out = { Mac: mac, MacAlgorithm: body.MacAlgorithm, KeyId: body.KeyId };
      } else if (target === 'TrentService.Encrypt') {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', STAND_IN_ENCRYPTION_KEY, iv);
        cipher.setAAD(contextAad(body.KeyId, body.EncryptionContext));
        const data = Buffer.concat([cipher.update(Buffer.from(body.Plaintext, 'base64')), cipher.final()]);
        const keyId = Buffer.from(body.KeyId, 'utf8');
        const length = Buffer.alloc(2);
        length.writeUInt16BE(keyId.length);
        out = { CiphertextBlob: Buffer.concat([length, keyId, iv, cipher.getAuthTag(), data]).toString('base64'), KeyId: body.KeyId };
      } else if (target === 'TrentService.Decrypt') {
        try {
          out = { Plaintext: Buffer.from(decrypt(body.CiphertextBlob, body.EncryptionContext), 'utf8').toString('base64') };
        } catch {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'InvalidCiphertextException', message: 'invalid ciphertext or encryption context' }));
          return;
        }
      } else if (target === 'AWSEvents.PutEvents') {
        const entries = body.Entries.map((e: any) => ({ ...e, Detail: JSON.parse(e.Detail) }));
        const fault = state.eventFaults.find((f) => f.times > 0 && entries.some((e: any) => f.match(e)));
        if (fault) {
          fault.times--;
          if (fault.kind === 'throttle') {
            res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
            res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
            return;
          }
          out = { FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'injected' })) };
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(out));
          return;
        }
        for (const e of entries) state.events.push(e);
        out = { FailedEntryCount: 0, Entries: body.Entries.map((_: unknown, i: number) => ({ EventId: `e${state.events.length}-${i}` })) };
      } else {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(out));
    });
  });
  const url = await listen(server);
  return Object.assign(state, { url, close: closer(server), decrypt: (c: string, ctx: Record<string, string>) => decrypt(c, ctx) });
}

/** How a StartExecution call was answered. */
export type StartExecutionOutcome =
  /** a new execution (200) */
  | 'STARTED'
  /** the name and input of a RUNNING execution: its response again (200), nothing started */
  | 'RUNNING'
  /** the name of a closed execution, or of one with another input (400 ExecutionAlreadyExists) */
  | 'ALREADY_EXISTS'
  /** refused otherwise (an injected fault, an unknown state machine, a bad name or input) */
  | 'REFUSED';

/** One StartExecution request the Step Functions stand-in received, as sent. */
export interface StartExecutionCall {
  readonly stateMachineArn: string;
  readonly name: string;
  /** The execution input exactly as sent (a JSON string). */
  readonly input: string;
  readonly outcome: StartExecutionOutcome;
  /** The error type answered (ExecutionAlreadyExists, ThrottlingException, ...). */
  readonly error?: string;
  readonly executionArn?: string;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** An execution the stand-in started: its name, the input it was started with, and its status. */
export interface StandInExecution {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly executionArn: string;
  readonly startDate: number;
  status: ExecutionStatus;
}

/** The Step Functions stand-in (see startStepFunctionsStandIn). */
export interface StepFunctionsStandIn extends Local {
  /** Every StartExecution request, in order (refused ones included). */
  readonly calls: StartExecutionCall[];
  /** Executions by name (the names of one state machine are unique, closed ones included, as in Step Functions). */
  readonly executions: Map<string, StandInExecution>;
  /** Answer the next `times` StartExecution requests with a fault (the SDK retries both). */
  fail(times: number, kind?: 'throttle' | 'error500'): void;
  /** Close a RUNNING execution with its outcome (the harness does, after running it locally). */
  finish(name: string, status: Exclude<ExecutionStatus, 'RUNNING'>): void;
}

/** Step Functions' execution name rule: 1 to 80 characters, none of whitespace, brackets, wildcards, `"#%\^|~\`$&,;:/` or control characters. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/**
 * A Step Functions stand-in for StartExecution (AWS JSON 1.0, as @aws-sdk/client-sfn speaks it:
 * POST /, `Content-Type: application/x-amz-json-1.0`, `X-Amz-Target: AWSStepFunctions.StartExecution`,
 * SigV4 for the `states` service). It records every call and keeps Step Functions' name semantics
 * for a STANDARD state machine: a new name starts an execution; the same name and input as a
 * RUNNING execution answer that execution again (idempotent); a name taken by a closed execution,
 * or by one with another input, answers 400 ExecutionAlreadyExists. Only the given state machines
 * exist (400 StateMachineDoesNotExist otherwise). Nothing runs here: the harness runs a recorded
 * input through the local state machine and then `finish`es the execution with its outcome.
 */
export async function startStepFunctionsStandIn(stateMachineArns: string[]): Promise<StepFunctionsStandIn> {
  const calls: StartExecutionCall[] = [];
  const executions = new Map<string, StandInExecution>();
  let faults: Array<'throttle' | 'error500'> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, type: string, message: string) => answer(status, { __type: type, message });
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || req.url !== '/' || req.headers['content-type'] !== 'application/x-amz-json-1.0') {
        return error(400, 'UnknownOperationException', 'AWS JSON 1.0 requests only: POST / with Content-Type application/x-amz-json-1.0');
      }
      if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/states\/aws4_request,/.test(String(req.headers.authorization ?? ''))) {
        return error(400, 'IncompleteSignatureException', 'requests must be signed (SigV4) for the states service');
      }
      if (target !== 'AWSStepFunctions.StartExecution') return error(400, 'UnknownOperationException', `the stand-in implements StartExecution only, not ${target}`);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return error(400, 'SerializationException', 'the body is not JSON');
      }
      const stateMachineArn = String(body.stateMachineArn ?? '');
      const name = String(body.name ?? '');
      // the SDK sends no input when none is given; Step Functions then starts with "{}"
      const input = body.input === undefined ? '{}' : String(body.input);
      const refuse = (status: number, type: string, message: string, outcome: StartExecutionOutcome = 'REFUSED') => {
        calls.push({ stateMachineArn, name, input, outcome, error: type });
        error(status, type, message);
      };
      const fault = faults.shift();
      if (fault === 'throttle') return refuse(400, 'ThrottlingException', 'Rate exceeded');
      if (fault === 'error500') return refuse(500, 'ServiceUnavailable', 'Service unavailable');
      if (!stateMachineArns.includes(stateMachineArn)) return refuse(400, 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
      if (!EXECUTION_NAME.test(name)) return refuse(400, 'InvalidName', `Invalid Name: '${name}'`);
      try {
        JSON.parse(input);
      } catch {
        return refuse(400, 'InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
      }
      const existing = executions.get(name);
      if (existing) {
        if (existing.status === 'RUNNING' && existing.input === input && existing.stateMachineArn === stateMachineArn) {
          calls.push({ stateMachineArn, name, input, outcome: 'RUNNING', executionArn: existing.executionArn });
          return answer(200, { executionArn: existing.executionArn, startDate: existing.startDate });
        }
        return refuse(400, 'ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`, 'ALREADY_EXISTS');
      }
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      const startDate = Date.now() / 1000;
      executions.set(name, { stateMachineArn, name, input, executionArn, startDate, status: 'RUNNING' });
      calls.push({ stateMachineArn, name, input, outcome: 'STARTED', executionArn });
      // AWS JSON timestamps are epoch seconds (a number)
      return answer(200, { executionArn, startDate });
    });
  });
  const url = await listen(server);
  return {
    url,
    close: closer(server),
    calls,
    executions,
    fail: (times, kind = 'throttle') => { faults = [...faults, ...Array.from({ length: times }, () => kind)]; },
    finish: (name, status) => {
      const execution = executions.get(name);
      if (!execution || execution.status !== 'RUNNING') throw new Error(`no RUNNING execution named ${name}`);
      execution.status = status;
    },
  };
}

/** A fault to inject into requests passing through a FaultProxy. */
export interface Fault {
  /** X-Amz-Target suffix (DynamoDB operation, e.g. `BatchWriteItem`), or `*`. */
  readonly operation: string;
  /** Skip this many matching requests before injecting. */
  readonly after?: number;
  /** Inject into this many matching requests. */
  readonly times: number;
  /**
   * `throttle`: answer 400 ThrottlingException (S3: 503 SlowDown); `unprocessed` (BatchWriteItem): forward only the
   * first item and return the rest as UnprocessedItems; `error500`: answer 500 InternalServerError (S3: InternalError);
   * `lost`: forward the request (it takes effect), then answer 500 InternalServerError (a lost answer).
   */
  readonly kind: 'throttle' | 'unprocessed' | 'error500' | 'lost';
  /** Only requests whose body passes this test match (e.g. the audit record of one step and outcome). */
  readonly match?: (body: string) => boolean;
}

/**
 * An HTTP proxy in front of a local service that counts requests per operation and injects
 * faults (throttling, partial BatchWriteItem, 5xx), so the real SDK and handlers see them.
 */
export class FaultProxy {
  public readonly counts: Record<string, number> = {};
  /** The request body sizes (bytes) per operation, in order. */
  public readonly sizes: Record<string, number[]> = {};
  public injected = 0;
  /** Keys of S3 conditional PUTs in flight. */
  private readonly conditionalWrites = new Set<string>();
  /** S3 PUTs with `If-None-Match: *` refused with 412 because the key existed. */
  public refusedConditionalWrites = 0;
  /** S3 PUTs seen (path, If-None-Match header), in order. */
  public puts: Array<{ path: string; ifNoneMatch?: string }> = [];
  private faults: Array<Fault & { seen: number; done: number }> = [];
  private server?: http.Server;
  public url = '';

  constructor(private readonly target: string, private readonly operationOf: (req: http.IncomingMessage) => string = dynamoOperation) {}

  public async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.url = await listen(this.server);
    return this;
  }

  public inject(...faults: Fault[]): void {
    this.faults.push(...faults.map((f) => ({ ...f, seen: 0, done: 0 })));
  }

  public reset(): void {
    this.faults = [];
    for (const k of Object.keys(this.counts)) delete this.counts[k];
    for (const k of Object.keys(this.sizes)) delete this.sizes[k];
    this.injected = 0;
    this.refusedConditionalWrites = 0;
    this.puts = [];
  }

  public total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  public close(): Promise<void> {
    return this.server ? closer(this.server)() : Promise.resolve();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const op = this.operationOf(req);
      this.counts[op] = (this.counts[op] ?? 0) + 1;
      (this.sizes[op] ??= []).push(body.length);
      const text = body.toString('utf8');
      const fault = this.faults.find((f) => (f.operation === '*' || f.operation === op) && f.done < f.times
        && (f.match === undefined || f.match(text)) && f.seen++ >= (f.after ?? 0));
      let unprocessed: unknown;
      let lost = false;
      if (fault) {
        fault.done++;
        this.injected++;
        if (this.operationOf === s3Operation && (fault.kind === 'throttle' || fault.kind === 'error500')) {
          // S3 answers in XML: 503 SlowDown when throttling, 500 InternalError
          const [status, code] = fault.kind === 'throttle' ? [503, 'SlowDown'] : [500, 'InternalError'];
          res.writeHead(status, { 'content-type': 'application/xml' });
          res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
          return;
        }
        if (fault.kind === 'throttle') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }));
          return;
        }
        if (fault.kind === 'error500') {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
          return;
        }
        if (fault.kind === 'lost') {
          lost = true;
        } else {
          const parsed = JSON.parse(body.toString('utf8'));
          const [table, requests] = Object.entries(parsed.RequestItems as Record<string, unknown[]>)[0];
          if (requests.length > 1) {
            unprocessed = { [table]: requests.slice(1) };
            parsed.RequestItems = { [table]: requests.slice(0, 1) };
            body = Buffer.from(JSON.stringify(parsed));
          }
        }
      }
      const url = new URL(req.url ?? '/', this.target);
      const headers = { ...req.headers, 'host': url.host, 'content-length': String(body.length) };
      const forward = () => this.forward(req, res, url, headers, body, lost, unprocessed);
      if (this.operationOf === s3Operation && req.method === 'PUT') this.puts.push({ path: url.pathname, ifNoneMatch: req.headers['if-none-match'] as string | undefined });
      // S3 conditional write (s3rver ignores If-None-Match on PUT): `*` and the key exists -> 412, as S3 answers
      if (this.operationOf === s3Operation && req.method === 'PUT' && req.headers['if-none-match'] === '*') {
        const refuse = () => {
          this.refusedConditionalWrites++;
          res.writeHead(412, { 'content-type': 'application/xml' });
          res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>');
        };
        // one conditional write of a key at a time, as S3 decides them atomically: a second one
        // while the first is in flight loses (s3rver writing one file twice at once corrupts it)
        if (this.conditionalWrites.has(url.pathname)) {
          refuse();
          return;
        }
        this.conditionalWrites.add(url.pathname);
        res.on('close', () => this.conditionalWrites.delete(url.pathname));
        const head = http.request(url, { method: 'HEAD', headers: { host: url.host } }, (up) => {
          up.resume();
          if (up.statusCode === 200) refuse();
          else forward();
        });
        head.on('error', () => { res.writeHead(502); res.end(); });
        head.end();
        return;
      }
      forward();
    });
  }

  private forward(
    req: http.IncomingMessage, res: http.ServerResponse, url: URL, headers: http.OutgoingHttpHeaders,
    body: Buffer, lost: boolean, unprocessed: unknown,
  ): void {
    const upstream = http.request(url, { method: req.method, headers }, (up) => {
      const out: Buffer[] = [];
      up.on('data', (c: Buffer) => out.push(c));
      up.on('end', () => {
        if (lost) {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
          return;
        }
        let payload = Buffer.concat(out);
        if (unprocessed && up.statusCode === 200) {
          const parsed = JSON.parse(payload.toString('utf8'));
          parsed.UnprocessedItems = unprocessed;
          payload = Buffer.from(JSON.stringify(parsed));
        }
        const h: Record<string, string | string[] | undefined> = { ...up.headers, 'content-length': String(payload.length) };
        delete h['x-amz-crc32']; // the body may have been rewritten
        delete h['transfer-encoding']; // sent whole, with its content-length
        res.writeHead(up.statusCode ?? 500, h);
        res.end(payload);
      });
    });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    upstream.end(body);
  }
}

/** The DynamoDB operation of a request (from X-Amz-Target). */
export function dynamoOperation(req: http.IncomingMessage): string {
  return String(req.headers['x-amz-target'] ?? 'unknown').split('.').pop()!;
}

/** The S3 operation of a request, coarsely (method + sub-resource). */
export function s3Operation(req: http.IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://x');
  const segments = url.pathname.split('/').filter(Boolean);
  const q = [...url.searchParams.keys()];
  if (req.method === 'GET' && segments.length === 1 && q.includes('uploads')) return 'ListMultipartUploads';
  if (req.method === 'GET' && segments.length === 1) return q.includes('versions') ? 'ListObjectVersions' : 'ListObjects';
  if (req.method === 'POST' && q.includes('delete')) return 'DeleteObjects';
  if (req.method === 'POST' && q.includes('uploads')) return 'CreateMultipartUpload';
  if (req.method === 'PUT' && q.includes('uploadId')) return 'UploadPart';
  if (req.method === 'POST' && q.includes('uploadId')) return 'CompleteMultipartUpload';
  if (req.method === 'DELETE' && q.includes('uploadId')) return 'AbortMultipartUpload';
  return `${req.method} ${segments.length > 1 ? 'Object' : 'Bucket'}`;
}
