/**
 * The DsrApi integ test's caller: sends real HTTPS requests to the deployed API, as a tenant or not,
 * and returns each answer's status code and body for the assertions.
 *
 * Each call names who makes it (`as`):
 * - a role ARN: the function assumes that role (a test tenant's role, which carries the `tenant`
 *   principal tag the API's resource policy binds the `{tenant}` path segment to) and signs the
 *   request with the session's credentials (SigV4, service `execute-api`);
 * - `self`: signed with the function's own credentials (its role has no `tenant` tag);
 * - `unsigned`: no signature at all.
 * Calls run one after the other, in the order given (a request is extended right after it is submitted).
 * Nothing is logged: the answers are returned, never written to the function's log.
 *
 * Bundled by `npx projen bundle` into assets/integ/dsr-api-caller.lambda/index.js (esbuild, like
 * the library's handlers); the STS client is the Lambda runtime's.
 */
import { createHash, createHmac, Hash, Hmac } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';

/** Who makes a call: `unsigned`, `self` (the function's own role), or the ARN of a role to assume. */
export type Caller = string;

/** One HTTP call to the API. */
export interface ApiCall {
  /** `unsigned`, `self`, or the ARN of a role to assume and sign as. */
  readonly as: Caller;
  readonly method: 'GET' | 'POST';
  /** The path below the stage URL, e.g. `tenants/integ/requests` (no leading slash needed). */
  readonly path: string;
  /** A JSON body (sent as `application/json`). */
  readonly body?: unknown;
}

/** The function's event. */
export interface CallerEvent {
  /** The stage URL, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/v1/`. */
  readonly url: string;
  readonly calls: readonly ApiCall[];
}

/** One answer: its status code and its body (parsed when it is JSON). */
export interface CallResult {
  readonly status: number;
  /** API Gateway's `x-amzn-ErrorType` header, when it answers itself (e.g. `AccessDeniedException`). */
  readonly errorType?: string;
  /** The body's `message` (API Gateway writes `Message` in some answers), when there is one. */
  readonly message?: string;
  readonly body: unknown;
}

/** Temporary (or long-term) AWS credentials. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What a call needs from its environment (replaced by the local test). */
export interface CallerDependencies {
  /** The region the API is in (the signing region). */
  readonly region: string;
  /** The credentials of the function itself (`self`). */
  readonly ownCredentials: () => Promise<Credentials>;
  /** The credentials of a session of the role `roleArn`. */
  readonly assumeRole: (roleArn: string) => Promise<Credentials>;
}

/** What the signer hashes: a string (UTF-8) or bytes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (and HMAC-SHA-256 with a secret) in the form the signer takes: Node's crypto. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  public update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  public async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  public reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

/** Makes the calls in order and returns their answers. */
export async function makeCalls(event: CallerEvent, deps: CallerDependencies): Promise<CallResult[]> {
  const results: CallResult[] = [];
  const sessions = new Map<string, Promise<Credentials>>();
  for (const call of event.calls) {
    let credentials: Credentials | undefined;
    if (call.as === 'self') {
      credentials = await deps.ownCredentials();
    } else if (call.as !== 'unsigned') {
      if (!sessions.has(call.as)) sessions.set(call.as, deps.assumeRole(call.as));
      credentials = await sessions.get(call.as)!;
    }
    results.push(await send(new URL(call.path.replace(/^\/+/, ''), event.url.endsWith('/') ? event.url : `${event.url}/`), call, deps.region, credentials));
  }
  return results;
}

/** Sends one call, signed with `credentials` when given. */
export async function send(url: URL, call: ApiCall, region: string, credentials?: Credentials): Promise<CallResult> {
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => { query[key] = value; });
  let request = {
    method: call.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers: {
      host: url.host,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
    } as Record<string, string>,
    ...(body !== undefined ? { body } : {}),
  };
  if (credentials) {
    const signer = new SignatureV4({ credentials, region, service: 'execute-api', sha256: Sha256 });
    request = await signer.sign(request) as typeof request;
  }
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise<CallResult>((resolve, reject) => {
    const req = transport.request({
      method: request.method,
      hostname: url.hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: request.headers,
      timeout: 20_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text === '' ? '' : JSON.parse(text);
        } catch {
          // not JSON: the text as it is
        }
        const errorType = res.headers['x-amzn-errortype'];
        const fields = typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {};
        const message = typeof fields.message === 'string' ? fields.message : typeof fields.Message === 'string' ? fields.Message : undefined;
        resolve({
          status: res.statusCode ?? 0,
          ...(typeof errorType === 'string' ? { errorType } : {}),
          ...(message !== undefined ? { message } : {}),
          body: parsed,
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('the API did not answer within 20 s')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The Lambda runtime's dependencies: the function's credentials from its environment, STS for the others. */
function lambdaDependencies(): CallerDependencies {
  const region = process.env.AWS_REGION ?? '';
  const sts = new STSClient({ region });
  return {
    region,
    ownCredentials: async () => ({
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
      ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
    }),
    assumeRole: async (roleArn) => {
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'cdk-ccpa-dsr-api-integ', DurationSeconds: 900 }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    },
  };
}

/** The function's handler: `{ results: [{ status, body }, ...] }`, one per call. */
export async function handler(event: CallerEvent): Promise<{ results: CallResult[] }> {
  return { results: await makeCalls(event, lambdaDependencies()) };
}
