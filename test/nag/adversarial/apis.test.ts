import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AdversarialCase, findingsFor, runCases } from './kit';
import { DataClassification, PrivacyClassification } from '../../../lib/classification';

const A = ['APIGWMethodAuthorization'];
const L = ['APIGWStageAccessLogging'];
const D = ['APIGWNoDataTrace'];
const accessLogs = (s: Stack) => new apigw.LogGroupLogDestination(new logs.LogGroup(s, 'Access', { retention: logs.RetentionDays.ONE_YEAR }));

const iamScheme = { sigv4: { 'type': 'apiKey', 'name': 'Authorization', 'in': 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } };
const openapi = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.1', info: { title: 'users', version: '1' }, paths, components: { securitySchemes: { ...iamScheme, key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } }, ...extra,
});
const get = (security?: unknown) => ({ get: { ...(security !== undefined ? { security } : {}), 'x-amazon-apigateway-integration': { type: 'MOCK' } } });

/** Blind spot 6: APIs. */
const cases: AdversarialCase[] = [
  {
    name: 'GIVEN an untagged REST API with an open GET THEN error (untagged APIs are in scope)',
    rules: A,
    build: (s) => { new apigw.RestApi(s, 'Api').root.addMethod('GET'); },
    expect: ['CCPA-APIGWMethodAuthorization at Test/Api/Default/GET/Resource'],
  },
  {
    name: 'GIVEN a REST API classified non-personal with an open GET THEN no finding',
    rules: A,
    build: (s) => {
      const api = new apigw.RestApi(s, 'Api');
      PrivacyClassification.apply(api, { classification: DataClassification.NON_PERSONAL });
      api.root.addMethod('GET');
    },
    expect: [],
  },
  {
    name: 'GIVEN an untagged REST API with IAM by default THEN no finding',
    rules: A,
    build: (s) => { new apigw.RestApi(s, 'Api', { defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM } }).root.addMethod('GET'); },
    expect: [],
  },
  {
    name: 'GIVEN CORS preflight on an untagged REST API with IAM THEN no finding (OPTIONS exempt)',
    rules: A,
    build: (s) => {
      const api = new apigw.RestApi(s, 'Api', { defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM }, defaultCorsPreflightOptions: { allowOrigins: ['https://example.com'] } });
      api.root.addMethod('GET');
    },
    expect: [],
  },
  {
    name: 'GIVEN a SpecRestApi whose inline OpenAPI GET has no security THEN error on the API',
    rules: A,
    build: (s) => { new apigw.SpecRestApi(s, 'Spec', { apiDefinition: apigw.ApiDefinition.fromInline(openapi({ '/users/{id}': get() })) }); },
    expect: ['CCPA-APIGWMethodAuthorization at Test/Spec/Resource'],
  },
  {
    name: 'GIVEN a SpecRestApi secured by an API key only THEN error (API keys are not authentication)',
    rules: A,
    build: (s) => { new apigw.SpecRestApi(s, 'Spec', { apiDefinition: apigw.ApiDefinition.fromInline(openapi({ '/users': get([{ key: [] }]) })) }); },
    expect: ['CCPA-APIGWMethodAuthorization at Test/Spec/Resource'],
  },
  {
    name: 'GIVEN a SpecRestApi with SigV4 security on the document THEN no finding',
    rules: A,
    build: (s) => { new apigw.SpecRestApi(s, 'Spec', { apiDefinition: apigw.ApiDefinition.fromInline(openapi({ '/users': get() }, { security: [{ sigv4: [] }] })) }); },
    expect: [],
  },
  {
    name: 'GIVEN a SpecRestApi whose operation overrides document security with [] THEN error',
    rules: A,
    build: (s) => { new apigw.SpecRestApi(s, 'Spec', { apiDefinition: apigw.ApiDefinition.fromInline(openapi({ '/users': get([]) }, { security: [{ sigv4: [] }] })) }); },
    expect: ['CCPA-APIGWMethodAuthorization at Test/Spec/Resource'],
  },
  {
    name: 'GIVEN a raw CfnRestApi with a Body whose operation uses x-amazon-apigateway-auth AWS_IAM THEN no finding',
    rules: A,
    build: (s) => { new apigw.CfnRestApi(s, 'Raw', { body: { swagger: '2.0', paths: { '/u': { post: { 'x-amazon-apigateway-auth': { type: 'AWS_IAM' } } } } } }); },
    expect: [],
  },
  {
    name: 'GIVEN a CfnRestApi with BodyS3Location THEN CannotVerify naming it',
    rules: A,
    build: (s) => { new apigw.CfnRestApi(s, 'Raw', { bodyS3Location: { bucket: 'specs', key: 'users.yaml' } }); },
    expect: ['CCPA-APIGWMethodAuthorization[CannotVerify] at Test/Raw'],
  },
  {
    name: 'GIVEN an HTTP API (L1 Body) with an open operation THEN error',
    rules: A,
    build: (s) => { new apigwv2.CfnApi(s, 'Http', { body: openapi({ '/users': get() }) }); },
    expect: ['CCPA-APIGWMethodAuthorization at Test/Http'],
  },
  {
    name: 'GIVEN an untagged HTTP API route with no authorizer THEN error',
    rules: A,
    build: (s) => {
      const api = new apigwv2.CfnApi(s, 'Http', { name: 'h', protocolType: 'HTTP' });
      new apigwv2.CfnRoute(s, 'Route', { apiId: api.ref, routeKey: 'GET /users' });
    },
    expect: ['CCPA-APIGWMethodAuthorization at Test/Route'],
  },
  {
    name: 'GIVEN an HTTP API route with AWS_IAM THEN no finding',
    rules: A,
    build: (s) => {
      const api = new apigwv2.CfnApi(s, 'Http', { name: 'h', protocolType: 'HTTP' });
      new apigwv2.CfnRoute(s, 'Route', { apiId: api.ref, routeKey: 'GET /users', authorizationType: 'AWS_IAM' });
    },
    expect: [],
  },
  {
    name: 'GIVEN a WebSocket API with an authorized $connect and open $default/sendMessage routes THEN no finding',
    rules: A,
    build: (s) => {
      const api = new apigwv2.CfnApi(s, 'Ws', { name: 'w', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
      new apigwv2.CfnRoute(s, 'Connect', { apiId: api.ref, routeKey: '$connect', authorizationType: 'AWS_IAM' });
      new apigwv2.CfnRoute(s, 'Fallback', { apiId: api.ref, routeKey: '$default' });
      new apigwv2.CfnRoute(s, 'Send', { apiId: api.ref, routeKey: 'sendMessage' });
    },
    expect: [],
  },
  {
    name: 'GIVEN a WebSocket API with an open $connect THEN error on $connect only',
    rules: A,
    build: (s) => {
      const api = new apigwv2.CfnApi(s, 'Ws', { name: 'w', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
      new apigwv2.CfnRoute(s, 'Connect', { apiId: api.ref, routeKey: '$connect' });
      new apigwv2.CfnRoute(s, 'Send', { apiId: api.ref, routeKey: 'sendMessage' });
    },
    expect: ['CCPA-APIGWMethodAuthorization at Test/Connect'],
  },
  {
    name: 'GIVEN access logging with a destination but no Format THEN error',
    rules: L,
    build: (s) => {
      const api = new apigw.CfnRestApi(s, 'Raw', { name: 'r' });
      new apigw.CfnStage(s, 'Stage', { restApiId: api.ref, deploymentId: 'abc123', accessLogSetting: { destinationArn: 'arn:aws:logs:us-east-1:111111111111:log-group:access' } });
    },
    expect: ['CCPA-APIGWStageAccessLogging at Test/Stage'],
  },
  {
    name: 'GIVEN L2 access logs with the default format THEN no finding',
    rules: L,
    build: (s) => { new apigw.RestApi(s, 'Api', { deployOptions: { accessLogDestination: accessLogs(s), accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields() } }).root.addMethod('GET'); },
    expect: [],
  },
  {
    name: 'GIVEN an HTTP API stage with access log settings without a format THEN error',
    rules: L,
    build: (s) => {
      const api = new apigwv2.CfnApi(s, 'Http', { name: 'h', protocolType: 'HTTP' });
      new apigwv2.CfnStage(s, 'Stage', { apiId: api.ref, stageName: '$default', accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:111111111111:log-group:a' } });
    },
    expect: ['CCPA-APIGWStageAccessLogging at Test/Stage'],
  },
  {
    name: 'GIVEN a Deployment that creates its stage through StageName without logs THEN error on the deployment',
    rules: L,
    build: (s) => {
      const api = new apigw.CfnRestApi(s, 'Raw', { name: 'r' });
      new apigw.CfnDeployment(s, 'Deploy', { restApiId: api.ref, stageName: 'prod' });
    },
    expect: ['CCPA-APIGWStageAccessLogging at Test/Deploy'],
  },
  {
    name: 'GIVEN a Deployment.StageName with StageDescription access logs and a format THEN no finding',
    rules: L,
    build: (s) => {
      const api = new apigw.CfnRestApi(s, 'Raw', { name: 'r' });
      new apigw.CfnDeployment(s, 'Deploy', { restApiId: api.ref, stageName: 'prod', stageDescription: { accessLogSetting: { destinationArn: 'arn:aws:logs:us-east-1:111111111111:log-group:a', format: '$context.requestId' } } });
    },
    expect: [],
  },
  {
    name: 'GIVEN a Deployment without StageName THEN not a stage (no finding)',
    rules: L,
    build: (s) => { new apigw.CfnDeployment(s, 'Deploy', { restApiId: new apigw.CfnRestApi(s, 'Raw', { name: 'r' }).ref }); },
    expect: [],
  },
  {
    name: 'GIVEN L2 deployOptions dataTraceEnabled true THEN error',
    rules: D,
    build: (s) => { new apigw.RestApi(s, 'Api', { deployOptions: { dataTraceEnabled: true, loggingLevel: apigw.MethodLoggingLevel.INFO } }).root.addMethod('GET'); },
    expect: ['CCPA-APIGWNoDataTrace at Test/Api/DeploymentStage.prod/Resource'],
  },
  {
    name: 'GIVEN L2 deployOptions with INFO logging but no data trace THEN no finding',
    rules: D,
    build: (s) => { new apigw.RestApi(s, 'Api', { deployOptions: { loggingLevel: apigw.MethodLoggingLevel.INFO } }).root.addMethod('GET'); },
    expect: [],
  },
  {
    name: 'GIVEN data trace on one method only (methodOptions) THEN error',
    rules: D,
    build: (s) => { new apigw.RestApi(s, 'Api', { deployOptions: { methodOptions: { '/users/GET': { dataTraceEnabled: true } } } }).root.addMethod('GET'); },
    expect: ['CCPA-APIGWNoDataTrace at Test/Api/DeploymentStage.prod/Resource'],
  },
  {
    name: 'GIVEN data trace on a stage a Deployment creates THEN error',
    rules: D,
    build: (s) => { new apigw.CfnDeployment(s, 'Deploy', { restApiId: new apigw.CfnRestApi(s, 'Raw', { name: 'r' }).ref, stageName: 'prod', stageDescription: { dataTraceEnabled: true } }); },
    expect: ['CCPA-APIGWNoDataTrace at Test/Deploy'],
  },
  {
    name: 'GIVEN a WebSocket stage with DefaultRouteSettings.DataTraceEnabled THEN error',
    rules: D,
    build: (s) => {
      const api = new apigwv2.CfnApi(s, 'Ws', { name: 'w', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
      new apigwv2.CfnStage(s, 'Stage', { apiId: api.ref, stageName: 'prod', defaultRouteSettings: { dataTraceEnabled: true } });
    },
    expect: ['CCPA-APIGWNoDataTrace at Test/Stage'],
  },
  {
    name: 'GIVEN data trace on a stage classified non-personal THEN no finding',
    rules: D,
    build: (s) => {
      const api = new apigw.RestApi(s, 'Api', { deployOptions: { dataTraceEnabled: true } });
      api.root.addMethod('GET');
      PrivacyClassification.apply(api, { classification: DataClassification.NON_PERSONAL });
    },
    expect: [],
  },
];

runCases(cases);

test('GIVEN an OpenAPI body with open operations THEN the finding names them', () => {
  const f = findingsFor({ build: (s) => { new apigwv2.CfnApi(s, 'Http', { body: openapi({ '/users': get(), '/orders': { post: {} } }) }); } })
    .find((x) => x.id === 'CCPA-APIGWMethodAuthorization');
  expect(f?.description).toContain('Found: Body operations without authentication: GET /users, POST /orders.');
});
