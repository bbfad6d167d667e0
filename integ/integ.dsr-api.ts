/**
 * Integ test: DsrApi (IAM authorization, REGIONAL) in front of a DsrWorkflow, as deployed, called
 * over HTTPS the way a tenant's application calls it: SigV4-signed with a session of a role that
 * carries the tenant's `tenant` tag (integ/dsr-api-caller.ts: a role per test tenant, and a function
 * that assumes them and signs its requests).
 *
 * Against a real account the assertions check that
 * 1. an unsigned call is refused by API Gateway (403: IAM authorization, never none);
 * 2. a signed call by a principal without a `tenant` tag (the caller's own role, which may invoke
 *    every method of the stage) is refused by the resource policy (403, an explicit deny);
 * 3. a tenant calling another tenant's path is refused by the resource policy (403);
 * 4. a bad body (unknown request type) is rejected by request validation (400), before the workflow;
 * 5. tenant A's request is accepted (202): the Requests function records it and starts its
 *    execution `<requestId>_r1`; its status reads back (200);
 * 6. tenant B, reading A's request id under its own path, gets exactly the answer of an id never
 *    used (404, the same body); B may use the same request id for a request of its own (202, not
 *    409: request ids are per tenant), and each tenant then reads its own request under that id;
 * 7. a request extended right after it was submitted answers 200 with `extended: true`. Submit and
 *    extension run back to back in one invocation, because a request can only be extended while it
 *    is open, and a request completes within seconds here (no data in the stores).
 * Here CI synthesizes this into integ/integ.dsr-api.ts.snapshot and diffs it; test/integ/dsr-api.test.ts
 * checks the caller's permissions (IAM simulation) and runs the compliance kit on the stack.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DsrApiCaller } from './dsr-api-caller';
import { DsrApi, DsrWorkflow, PersonalDataBucket, PrivacyKey, PrivacyTable } from '../lib';

/** Tenant A owns the stores; tenant B has none here. */
export const TENANT_A = 'integ';
export const TENANT_B = 'integ-other';
const SUBJECT = 'integ-subject@example.com';

/** The integ app: the stack under test, the caller, the assertions. */
export function buildApp(app: App = new App()) {
  const stack = new Stack(app, 'CcpaDsrApiInteg');

  const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
  // the stores of tenant A: a DsrApi serves no store of the whole organization
  const customers = new PrivacyTable(stack, 'Customers', { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false, siloTenant: TENANT_A });
  const documents = new PersonalDataBucket(stack, 'Documents', { encryptionKey: key, siloTenant: TENANT_A });
  const workflow = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], encryptionKey: key });
  // a fresh test account has no API Gateway CloudWatch Logs role: execution logging needs one
  const dsrApi = new DsrApi(stack, 'Api', { workflow, cloudWatchRole: true });
  const caller = new DsrApiCaller(stack, 'Caller', { api: dsrApi, tenants: [TENANT_A, TENANT_B], encryptionKey: key });

  const integ = new IntegTest(app, 'DsrApiTest', { testCases: [stack] });
  const a = caller.as(TENANT_A);
  const b = caller.as(TENANT_B);
  const requests = (tenant: string) => `tenants/${tenant}/requests`;
  const request = (tenant: string, id: string) => `tenants/${tenant}/requests/${id}`;
  const payload = (pattern: object) => ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson(Match.objectLike(pattern)) });
  // API Gateway's own answers: the x-amzn-ErrorType header, and its message (`message` or `Message`)
  const deniedByPolicy = { status: 403, errorType: Match.stringLikeRegexp('^AccessDeniedException'), message: Match.stringLikeRegexp('with an explicit deny') };

  // 1-4: refused before the workflow
  const refused = caller.call(integ, [
    { as: 'unsigned', method: 'POST', path: requests(TENANT_A), body: { requestId: 'integ-unsigned', type: 'DELETE', subject: SUBJECT } },
    { as: 'self', method: 'POST', path: requests(TENANT_A), body: { requestId: 'integ-untagged', type: 'DELETE', subject: SUBJECT } },
    { as: 'self', method: 'GET', path: request(TENANT_A, 'integ-optout-1') },
    { as: b, method: 'POST', path: requests(TENANT_A), body: { requestId: 'integ-cross', type: 'DELETE', subject: SUBJECT } },
    { as: a, method: 'POST', path: requests(TENANT_A), body: { requestId: 'integ-invalid', type: 'SELL', subject: SUBJECT } },
  ]).expect(payload({
    results: [
      { status: 403, errorType: Match.stringLikeRegexp('^MissingAuthenticationTokenException'), message: 'Missing Authentication Token' },
      deniedByPolicy,
      deniedByPolicy,
      deniedByPolicy,
      // request validation's answer (API Gateway's BAD_REQUEST_BODY), not the function's own 400
      { status: 400, errorType: Match.stringLikeRegexp('^BadRequestException'), message: 'Invalid request body' },
    ],
  }));

  // 5: tenant A submits and reads its request
  const submitted = caller.call(integ, [
    { as: a, method: 'POST', path: requests(TENANT_A), body: { requestId: 'integ-optout-1', type: 'OPT_OUT', subject: SUBJECT } },
    { as: a, method: 'GET', path: request(TENANT_A, 'integ-optout-1') },
  ]).expect(payload({
    results: [
      { status: 202, body: Match.objectLike({ requestId: 'integ-optout-1', type: 'OPT_OUT', execution: 'integ-optout-1_r1', extended: false }) },
      { status: 200, body: Match.objectLike({ requestId: 'integ-optout-1', type: 'OPT_OUT' }) },
    ],
  }));

  // 6: tenant B cannot tell A's request id from an unused one (the whole payload, exactly)
  const notFound = { status: 404, message: 'No such request for this tenant.', body: { message: 'No such request for this tenant.' } };
  const unseen = caller.call(integ, [
    { as: b, method: 'GET', path: request(TENANT_B, 'integ-optout-1') },
    { as: b, method: 'GET', path: request(TENANT_B, 'integ-never-used') },
  ]).expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson({ results: [notFound, notFound] }) }));

  // 6: the same request id, tenant-scoped: B's request of A's id is B's own
  const sameId = caller.call(integ, [
    { as: b, method: 'POST', path: requests(TENANT_B), body: { requestId: 'integ-optout-1', type: 'LIMIT', subject: SUBJECT } },
    { as: b, method: 'GET', path: request(TENANT_B, 'integ-optout-1') },
    { as: a, method: 'GET', path: request(TENANT_A, 'integ-optout-1') },
  ]).expect(payload({
    results: [
      { status: 202, body: Match.objectLike({ requestId: 'integ-optout-1', type: 'LIMIT' }) },
      { status: 200, body: Match.objectLike({ requestId: 'integ-optout-1', type: 'LIMIT' }) },
      { status: 200, body: Match.objectLike({ requestId: 'integ-optout-1', type: 'OPT_OUT' }) },
    ],
  }));

  // 7: submit, then extend at once, while the request is open
  const extended = caller.call(integ, [
    { as: a, method: 'POST', path: requests(TENANT_A), body: { requestId: 'integ-extend-1', type: 'DELETE', subject: SUBJECT } },
    { as: a, method: 'POST', path: `${request(TENANT_A, 'integ-extend-1')}/extension`, body: { reason: 'integ: more time to verify the request' } },
  ]).expect(payload({
    results: [
      { status: 202, body: Match.objectLike({ requestId: 'integ-extend-1', type: 'DELETE' }) },
      { status: 200, body: Match.objectLike({ requestId: 'integ-extend-1', type: 'DELETE', extended: true }) },
    ],
  }));

  refused.next(submitted).next(unseen).next(sameId).next(extended);
  return { app, stack, key, workflow, dsrApi, caller, integ };
}

if (require.main === module) buildApp().app.synth();
