/**
 * Integ test: DsrApi (IAM authorization, REGIONAL) in front of a DsrWorkflow, as deployed.
 *
 * Against a real account the assertions check that
 * 1. an unsigned call is refused by API Gateway (403: IAM authorization, never none);
 * 2. a bad body (unknown request type) is rejected by request validation (400), before the workflow;
 * 3. a valid request is accepted (202): the Requests function behind the Lambda proxy integration
 *    records it and starts its execution `<requestId>_r1` with the request id only;
 * 4. its status reads back from the ledger (200: requestId, type, status, deadlines);
 * 5. a request extended right after it was submitted answers 200 with `extended: true` and the
 *    90-day `dueBy`. Submit and extension run back to back in one function (SubmitThenExtend),
 *    because a request can only be extended while it is open, and a request completes within
 *    seconds here (no data in the stores), sooner than the next assertion would run.
 * All but 1 use API Gateway's TestInvokeMethod, which runs request validation and the Lambda proxy
 * integration (through the function's test-invoke-stage permission) but not IAM authorization or the
 * resource policy (those are proven by the IAM simulation in test/api). TestInvokeMethod is
 * `apigateway:POST` on the method for IAM. Here CI synthesizes this into
 * integ/integ.dsr-api.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataClassification, DsrApi, DsrWorkflow, PersonalDataBucket, PrivacyClassification, PrivacyKey, PrivacyTable } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaDsrApiInteg');

const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
// the stores of the one tenant this test submits for: a DsrApi serves no store of the whole organization
const customers = new PrivacyTable(stack, 'Customers', { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false, siloTenant: 'integ' });
const documents = new PersonalDataBucket(stack, 'Documents', { encryptionKey: key, siloTenant: 'integ' });
const workflow = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], encryptionKey: key });
// a fresh test account has no API Gateway CloudWatch Logs role: execution logging needs one
const dsrApi = new DsrApi(stack, 'Api', { workflow, cloudWatchRole: true });

// TestInvokeMethod is authorized as apigateway:POST on the method (the control-plane call), on this API only
const testInvokeArn = `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${dsrApi.api.restApiId}/resources/*/methods/*`;

// 5: submit, then extend at once, while the request is open. It logs nothing of its own (Lambda's
// START/END/REPORT lines only), and its log group goes with the test.
const helperLogs = new logs.LogGroup(stack, 'SubmitThenExtendLogs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
PrivacyClassification.apply(helperLogs, { classification: DataClassification.NON_PERSONAL });
const submitThenExtend = new lambda.Function(stack, 'SubmitThenExtend', {
  description: 'cdk-ccpa integ: submit a request through DsrApi and extend it at once (TestInvokeMethod)',
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  timeout: Duration.minutes(1),
  logGroup: helperLogs,
  code: lambda.Code.fromInline([
    "const { APIGatewayClient, TestInvokeMethodCommand } = require('@aws-sdk/client-api-gateway');",
    'const client = new APIGatewayClient({});',
    'exports.handler = async (e) => {',
    '  const post = (resourceId, path, body) => client.send(new TestInvokeMethodCommand({',
    "    restApiId: e.restApiId, resourceId, httpMethod: 'POST', pathWithQueryString: path,",
    "    body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' },",
    '  }));',
    "  const submitted = await post(e.submitResourceId, '/tenants/integ/requests', { requestId: e.requestId, type: 'DELETE', subject: 'integ-subject@example.com' });",
    "  const extended = await post(e.extensionResourceId, '/tenants/integ/requests/' + e.requestId + '/extension', { reason: 'integ: more time to verify the request' });",
    '  return { submitted: submitted.status, extended: extended.status, extension: extended.status === 200 ? JSON.parse(extended.body) : null };',
    '};',
  ].join('\n')),
});
submitThenExtend.addToRolePolicy(new iam.PolicyStatement({ actions: ['apigateway:POST'], resources: [testInvokeArn] }));

const integ = new IntegTest(app, 'DsrApiTest', { testCases: [stack] });

const unsigned = integ.assertions.httpApiCall(`${dsrApi.api.url}tenants/integ/requests`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ requestId: 'integ-unsigned', type: 'DELETE', subject: 'integ-subject@example.com' }),
}).expect(ExpectedResult.objectLike({ status: 403 }));

const testInvoke = (resourceId: string, httpMethod: string, path: string, body?: object) => integ.assertions.awsApiCall('APIGateway', 'testInvokeMethod', {
  restApiId: dsrApi.api.restApiId,
  resourceId,
  httpMethod,
  pathWithQueryString: path,
  ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
});

const invalid = testInvoke(dsrApi.submitMethod.resource.resourceId, 'POST', '/tenants/integ/requests',
  { requestId: 'integ-invalid', type: 'SELL', subject: 'integ-subject@example.com' })
  .expect(ExpectedResult.objectLike({ status: 400 }));
// the provider derives `apigateway:TestInvokeMethod` from the call, which is no IAM action; one provider function serves every call
invalid.provider.addToRolePolicy({ Effect: 'Allow', Action: ['apigateway:POST'], Resource: [testInvokeArn] });

const submitted = testInvoke(dsrApi.submitMethod.resource.resourceId, 'POST', '/tenants/integ/requests',
  { requestId: 'integ-optout-1', type: 'OPT_OUT', subject: 'integ-subject@example.com' })
  .expect(ExpectedResult.objectLike({
    status: 202,
    body: Match.serializedJson(Match.objectLike({ requestId: 'integ-optout-1', type: 'OPT_OUT', execution: 'integ-optout-1_r1', extended: false })),
  }));

const status = testInvoke(dsrApi.statusMethod.resource.resourceId, 'GET', '/tenants/integ/requests/integ-optout-1')
  .expect(ExpectedResult.objectLike({
    status: 200,
    body: Match.serializedJson(Match.objectLike({ requestId: 'integ-optout-1', type: 'OPT_OUT' })),
  }));

const extended = integ.assertions.invokeFunction({
  functionName: submitThenExtend.functionName,
  payload: JSON.stringify({
    restApiId: dsrApi.api.restApiId,
    submitResourceId: dsrApi.submitMethod.resource.resourceId,
    extensionResourceId: dsrApi.extensionMethod.resource.resourceId,
    requestId: 'integ-extend-1',
  }),
}).expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({
    submitted: 202,
    extended: 200,
    extension: Match.objectLike({ requestId: 'integ-extend-1', type: 'DELETE', extended: true }),
  })),
}));

unsigned.next(invalid).next(submitted).next(status).next(extended);

app.synth();
