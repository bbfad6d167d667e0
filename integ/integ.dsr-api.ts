/**
 * Integ test: DsrApi (IAM authorization, REGIONAL) in front of a DsrWorkflow, as deployed.
 *
 * Against a real account the assertions check that
 * 1. an unsigned call is refused by API Gateway (403: IAM authorization, never none);
 * 2. a bad body (unknown request type) is rejected by request validation (400), before Step Functions;
 * 3. a valid request is accepted (202) and starts the execution `<tenant>_<requestId>`;
 * 4. its status reads back with requestId, status and dates only.
 * 2-4 use API Gateway's TestInvokeMethod, which runs validation, mapping templates and the
 * integration but not IAM authorization or the resource policy (those are proven by the IAM
 * simulation in test/api). Here CI synthesizes it into integ/integ.dsr-api.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DsrApi, DsrWorkflow, PersonalDataBucket, PrivacyKey, PrivacyTable } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaDsrApiInteg');

const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const customers = new PrivacyTable(stack, 'Customers', { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
const documents = new PersonalDataBucket(stack, 'Documents', { encryptionKey: key });
const workflow = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], encryptionKey: key });
// a fresh test account has no API Gateway CloudWatch Logs role: execution logging needs one
const dsrApi = new DsrApi(stack, 'Api', { workflow, cloudWatchRole: true });

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

const submitted = testInvoke(dsrApi.submitMethod.resource.resourceId, 'POST', '/tenants/integ/requests',
  { requestId: 'integ-optout-1', type: 'OPT_OUT', subject: 'integ-subject@example.com' })
  .expect(ExpectedResult.objectLike({ status: 202 }));

const status = testInvoke(dsrApi.statusMethod.resource.resourceId, 'GET', '/tenants/integ/requests/integ-optout-1')
  .expect(ExpectedResult.objectLike({ status: 200 }));

unsigned.next(invalid).next(submitted).next(status);

app.synth();
