/**
 * The DsrApi integ test's caller (integ/dsr-api-caller.lambda.ts) against a tiny local HTTP server
 * that checks every request's AWS Signature Version 4 the way API Gateway does: it recomputes the
 * signature from the request it received (an implementation of its own, with Node's crypto) and
 * compares. A call the caller should sign and did not, or signed wrongly, is refused (403).
 */
import { createHash, createHmac } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { ApiCall, CallerDependencies, Credentials, makeCalls } from '../../integ/dsr-api-caller.lambda';

const REGION = 'us-west-2';
const SELF: Credentials = { accessKeyId: 'ASIASELF000000000001', secretAccessKey: 'self-secret/abc+def', sessionToken: 'self-session-token' };
const TENANT_A: Credentials = { accessKeyId: 'ASIATENANTA000000001', secretAccessKey: 'tenant-a-secret/xyz', sessionToken: 'tenant-a-session-token==' };
const TENANT_B: Credentials = { accessKeyId: 'ASIATENANTB000000001', secretAccessKey: 'tenant-b-secret/uvw', sessionToken: 'tenant-b-session-token==' };
const ROLE_A = 'arn:aws:iam::111111111111:role/TenantA';
const ROLE_B = 'arn:aws:iam::111111111111:role/TenantB';
const SECRETS: Record<string, Credentials> = { [SELF.accessKeyId]: SELF, [TENANT_A.accessKeyId]: TENANT_A, [TENANT_B.accessKeyId]: TENANT_B };

/** A request as the server received it. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/**
 * Why the request's SigV4 signature is not valid for `execute-api` in REGION, or undefined when it
 * is: the Authorization header's form, x-amz-date (the scope's date, within 5 minutes of now), the
 * signed headers (host and x-amz-date always, x-amz-security-token for temporary credentials,
 * content-type with a body), and the signature recomputed from the canonical request.
 */
function signatureProblem(r: Received): string | undefined {
  const authorization = r.headers.authorization;
  if (authorization === undefined) return 'no Authorization header';
  const m = AUTHORIZATION.exec(authorization);
  if (!m) return `malformed Authorization header: ${authorization}`;
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = m;
  const credentials = SECRETS[accessKeyId];
  if (!credentials) return `unknown access key ${accessKeyId}`;
  if (region !== REGION || service !== 'execute-api') return `scope ${region}/${service}, not ${REGION}/execute-api`;
  const amzDate = r.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(date)) return `x-amz-date ${amzDate} does not match the scope's date ${date}`;
  const signedAt = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`);
  if (Math.abs(Date.now() - signedAt) > 5 * 60_000) return `x-amz-date ${amzDate} is more than 5 minutes off`;
  const signed = signedHeaderList.split(';');
  const required = ['host', 'x-amz-date', ...(credentials.sessionToken ? ['x-amz-security-token'] : []), ...(r.body !== '' ? ['content-type'] : [])];
  for (const h of required) if (!signed.includes(h)) return `${h} is not a signed header (${signedHeaderList})`;
  if (credentials.sessionToken && r.headers['x-amz-security-token'] !== credentials.sessionToken) return 'x-amz-security-token is not the session token';
  if ([...signed].sort().join(';') !== signedHeaderList) return 'the signed headers are not sorted';
  const canonicalHeaders = signed.map((h) => {
    const v = r.headers[h];
    if (v === undefined) throw new Error(`signed header ${h} is missing`);
    return `${h}:${String(v).trim().replace(/\s+/g, ' ')}\n`;
  }).join('');
  const [pathname, search = ''] = r.path.split('?');
  const canonicalPath = pathname.split('/').map((s) => encodeURIComponent(decodeURIComponent(s)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
  const canonicalQuery = search === '' ? '' : search.split('&').sort().join('&');
  const canonicalRequest = [r.method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaderList, sha256(r.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return expected === signature ? undefined : 'the signature does not match the request';
}

describe('GIVEN the integ caller and a local server that verifies SigV4 like API Gateway', () => {
  let server: http.Server;
  let url: string;
  const received: Received[] = [];
  const assumed: string[] = [];
  const deps: CallerDependencies = {
    region: REGION,
    ownCredentials: async () => SELF,
    assumeRole: async (roleArn) => {
      assumed.push(roleArn);
      if (roleArn === ROLE_A) return TENANT_A;
      if (roleArn === ROLE_B) return TENANT_B;
      throw new Error(`AccessDenied: ${roleArn}`);
    },
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        received.push(r);
        const problem = signatureProblem(r);
        if (!problem && r.path.endsWith('/denied')) {
          // what API Gateway answers a verified caller its resource policy denies (it writes `Message`)
          res.writeHead(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' });
          res.end(JSON.stringify({ Message: `User: tenant is not authorized to perform: execute-api:Invoke on resource: ${r.path} with an explicit deny` }));
          return;
        }
        res.writeHead(problem ? 403 : 200, { 'Content-Type': 'application/json', ...(problem ? { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' } : {}) });
        const caller = String(r.headers.authorization).slice(28, 48);
        res.end(JSON.stringify(problem ? { message: problem } : { caller, path: r.path, body: r.body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    assumed.length = 0;
  });

  test('WHEN tenant A submits (POST with a body) and reads a status (GET) THEN both are signed with the assumed session, and verify', async () => {
    const calls: ApiCall[] = [
      { as: ROLE_A, method: 'POST', path: 'tenants/integ/requests', body: { requestId: 'integ-1', type: 'OPT_OUT', subject: 'someone@example.com' } },
      { as: ROLE_A, method: 'GET', path: '/tenants/integ/requests/integ-1' },
    ];

    const results = await makeCalls({ url, calls }, deps);

    expect(results).toEqual([
      { status: 200, body: { caller: TENANT_A.accessKeyId, path: '/v1/tenants/integ/requests', body: JSON.stringify(calls[0].body) } },
      { status: 200, body: { caller: TENANT_A.accessKeyId, path: '/v1/tenants/integ/requests/integ-1', body: '' } },
    ]);
    // one session per role, whatever the number of calls
    expect(assumed).toEqual([ROLE_A]);
    const [post, get] = received;
    expect(post.headers['x-amz-security-token']).toBe(TENANT_A.sessionToken);
    expect(post.headers['content-type']).toBe('application/json');
    expect(AUTHORIZATION.exec(String(post.headers.authorization))?.[5].split(';')).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-amz-security-token']));
    expect(AUTHORIZATION.exec(String(get.headers.authorization))?.[5].split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']));
  });

  test('WHEN calls are made as two tenants and as the function itself THEN each is signed with its own credentials', async () => {
    const results = await makeCalls({
      url: url.slice(0, -1), // without the trailing slash: the path still goes below the stage
      calls: [
        { as: ROLE_B, method: 'GET', path: 'tenants/integ/requests/integ-1' },
        { as: 'self', method: 'POST', path: 'tenants/integ/requests', body: {} },
        { as: ROLE_A, method: 'GET', path: 'tenants/integ/requests/integ-1' },
      ],
    }, deps);

    expect(results.map((r) => [r.status, (r.body as { caller: string; path: string }).caller, (r.body as { path: string }).path])).toEqual([
      [200, TENANT_B.accessKeyId, '/v1/tenants/integ/requests/integ-1'],
      [200, SELF.accessKeyId, '/v1/tenants/integ/requests'],
      [200, TENANT_A.accessKeyId, '/v1/tenants/integ/requests/integ-1'],
    ]);
    expect(received[1].headers['x-amz-security-token']).toBe(SELF.sessionToken);
  });

  test('WHEN a call is unsigned THEN it carries no signature, and the server refuses it', async () => {
    const [result] = await makeCalls({ url, calls: [{ as: 'unsigned', method: 'POST', path: 'tenants/integ/requests', body: { requestId: 'x' } }] }, deps);

    expect(result).toEqual({ status: 403, errorType: 'MissingAuthenticationTokenException', message: 'no Authorization header', body: { message: 'no Authorization header' } });
    expect(received[0].headers).not.toHaveProperty('authorization');
    expect(received[0].headers).not.toHaveProperty('x-amz-security-token');
    expect(received[0].headers).not.toHaveProperty('x-amz-date');
    expect(assumed).toEqual([]);
  });

  test('WHEN the bundled function (npx projen bundle: what the integ stack deploys) makes a call THEN it is signed the same way', async () => {
    const bundle = path.join(__dirname, '..', '..', 'assets', 'integ', 'dsr-api-caller.lambda', 'index.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = require(bundle) as { makeCalls: typeof makeCalls };

    const results = await bundled.makeCalls({ url, calls: [{ as: ROLE_A, method: 'POST', path: 'tenants/integ/requests', body: { requestId: 'integ-1' } }] }, deps);

    expect(results).toEqual([{ status: 200, body: { caller: TENANT_A.accessKeyId, path: '/v1/tenants/integ/requests', body: '{"requestId":"integ-1"}' } }]);
  });

  test('WHEN API Gateway answers with its own error THEN the error type and the message (`Message`) are returned as fields', async () => {
    const [result] = await makeCalls({ url, calls: [{ as: ROLE_A, method: 'GET', path: 'tenants/other/denied' }] }, deps);

    const message = 'User: tenant is not authorized to perform: execute-api:Invoke on resource: /v1/tenants/other/denied with an explicit deny';
    expect(result).toEqual({ status: 403, errorType: 'AccessDeniedException', message, body: { Message: message } });
  });

  test('WHEN the role cannot be assumed THEN the call fails (no unsigned fallback)', async () => {
    await expect(makeCalls({ url, calls: [{ as: 'arn:aws:iam::111111111111:role/Other', method: 'GET', path: 'tenants/integ/requests/x' }] }, deps)).rejects.toThrow(/AccessDenied/);
    expect(received).toEqual([]);
  });

  test('the server\'s verification is not vacuous: a changed body, path, date or token after signing is refused', async () => {
    await makeCalls({ url, calls: [{ as: ROLE_A, method: 'POST', path: 'tenants/integ/requests', body: { requestId: 'integ-1' } }] }, deps);
    const signed = received[0];
    expect(signatureProblem(signed)).toBeUndefined();

    expect(signatureProblem({ ...signed, body: JSON.stringify({ requestId: 'integ-2' }) })).toBe('the signature does not match the request');
    expect(signatureProblem({ ...signed, path: '/v1/tenants/other/requests' })).toBe('the signature does not match the request');
    expect(signatureProblem({ ...signed, headers: { ...signed.headers, 'x-amz-security-token': 'other' } })).toBe('x-amz-security-token is not the session token');
    expect(signatureProblem({ ...signed, headers: { ...signed.headers, 'x-amz-date': '20200101T000000Z' } })).toMatch(/does not match the scope's date|more than 5 minutes off/);
    const { authorization: _dropped, ...unsignedHeaders } = signed.headers;
    expect(signatureProblem({ ...signed, headers: unsignedHeaders })).toBe('no Authorization header');
  });
});
