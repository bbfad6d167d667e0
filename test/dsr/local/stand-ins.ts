import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

/* eslint-disable @typescript-eslint/no-require-imports */
const dynalite = require('dynalite');
const S3rver = require('s3rver');
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

/** s3rver (S3) in-process on a temporary directory; credentials S3RVER/S3RVER. */
export async function startS3rver(buckets: string[]): Promise<Local & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
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
  const { port } = await s3rver.run();
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    close: async () => { await s3rver.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** The HMAC key of the KMS stand-in (the real one never leaves KMS). */
export const STAND_IN_MAC_KEY = Buffer.from('cdk-ccpa local stand-in HMAC key, tests only');

/**
 * KMS GenerateMac and EventBridge PutEvents stand-ins (AWS JSON 1.1 protocol, dispatched on
 * X-Amz-Target): the MAC is a real HMAC-SHA-256 with a local key; events are recorded.
 */
export async function startAwsJsonStandIn(): Promise<Local & { events: Array<Record<string, unknown>>; macCalls: number }> {
  const state = { events: [] as Array<Record<string, unknown>>, macCalls: 0 };
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
      } else if (target === 'AWSEvents.PutEvents') {
        for (const e of body.Entries) state.events.push({ ...e, Detail: JSON.parse(e.Detail) });
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
  return Object.assign(state, { url, close: closer(server) });
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
   * `throttle`: answer 400 ThrottlingException; `unprocessed` (BatchWriteItem): forward only the
   * first item and return the rest as UnprocessedItems; `error500`: answer 500 InternalServerError.
   */
  readonly kind: 'throttle' | 'unprocessed' | 'error500';
}

/**
 * An HTTP proxy in front of a local service that counts requests per operation and injects
 * faults (throttling, partial BatchWriteItem, 5xx), so the real SDK and handlers see them.
 */
export class FaultProxy {
  public readonly counts: Record<string, number> = {};
  public injected = 0;
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
    this.injected = 0;
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
      const fault = this.faults.find((f) => (f.operation === '*' || f.operation === op) && f.done < f.times && f.seen++ >= (f.after ?? 0));
      let unprocessed: unknown;
      if (fault) {
        fault.done++;
        this.injected++;
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
        const parsed = JSON.parse(body.toString('utf8'));
        const [table, requests] = Object.entries(parsed.RequestItems as Record<string, unknown[]>)[0];
        if (requests.length > 1) {
          unprocessed = { [table]: requests.slice(1) };
          parsed.RequestItems = { [table]: requests.slice(0, 1) };
          body = Buffer.from(JSON.stringify(parsed));
        }
      }
      const url = new URL(req.url ?? '/', this.target);
      const headers = { ...req.headers, 'host': url.host, 'content-length': String(body.length) };
      const upstream = http.request(url, { method: req.method, headers }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          let payload = Buffer.concat(out);
          if (unprocessed && up.statusCode === 200) {
            const parsed = JSON.parse(payload.toString('utf8'));
            parsed.UnprocessedItems = unprocessed;
            payload = Buffer.from(JSON.stringify(parsed));
          }
          const h: Record<string, string | string[] | undefined> = { ...up.headers, 'content-length': String(payload.length) };
          delete h['x-amz-crc32']; // the body may have been rewritten
          res.writeHead(up.statusCode ?? 500, h);
          res.end(payload);
        });
      });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      upstream.end(body);
    });
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
  if (req.method === 'GET' && segments.length === 1) return q.includes('versions') ? 'ListObjectVersions' : 'ListObjects';
  if (req.method === 'POST' && q.includes('delete')) return 'DeleteObjects';
  return `${req.method} ${segments.length > 1 ? 'Object' : 'Bucket'}`;
}
