import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { PeerSuite } from './kit';

const CLF = '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId';

/** cdk-nag test/rules/APIGW.test.ts. */
export const APIGATEWAY_SUITE: PeerSuite = {
  service: 'API Gateway',
  source: 'test/rules/APIGW.test.ts',
  commit: 'cdf8b95f3f6150ef875823f05cb1377c73561186',
  rules: [
    {
      rule: 'APIGWAccessLogging',
      nagService: 'apigw',
      awsSolutions: 'AwsSolutions-APIG1',
      ccpa: ['APIGWStageAccessLogging'],
      cases: [
        {
          name: 'Noncompliance 1: a REST stage without access logs',
          nag: 'non-compliant',
          build: (s) => { new apigw.CfnStage(s, 'rRestApiDeploymentStage', { restApiId: 'foo', deploymentId: 'bar', stageName: 'prod' }); },
          ccpa: ['CCPA-APIGWStageAccessLogging at Test/rRestApiDeploymentStage'],
        },
        {
          name: 'Noncompliance 2: an HTTP API $default stage without access logs',
          nag: 'non-compliant',
          build: (s) => { new apigwv2.CfnStage(s, 'rHttpApiDefaultStage', { apiId: 'foo', stageName: '$default', autoDeploy: true }); },
          ccpa: ['CCPA-APIGWStageAccessLogging at Test/rHttpApiDefaultStage'],
        },
        {
          name: 'Noncompliance 3: a REST stage with a destination and no format',
          nag: 'non-compliant',
          build: (s) => { new apigw.CfnStage(s, 'restApiDeploymentStage', { restApiId: 'foo', accessLogSetting: { destinationArn: 'bar' }, deploymentId: 'baz', stageName: 'prod' }); },
          ccpa: ['CCPA-APIGWStageAccessLogging at Test/restApiDeploymentStage'],
        },
        {
          name: 'Noncompliance 4: an HTTP API stage with a destination and no format',
          nag: 'non-compliant',
          build: (s) => { new apigwv2.CfnStage(s, 'stage', { accessLogSettings: { destinationArn: 'foo' }, apiId: 'bar', stageName: 'baz' }); },
          ccpa: ['CCPA-APIGWStageAccessLogging at Test/stage'],
        },
        {
          name: 'Compliance: both with a destination and a format',
          nag: 'compliant',
          build: (s) => {
            new apigw.CfnStage(s, 'rRestApiDeploymentStage', { restApiId: 'foo', accessLogSetting: { destinationArn: 'bar', format: CLF }, deploymentId: 'baz', stageName: 'prod' });
            new apigwv2.CfnStage(s, 'rStage', { accessLogSettings: { destinationArn: 'foo', format: '$context.requestId' }, apiId: 'bar', stageName: 'baz' });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'APIGWAuthorization',
      nagService: 'apigw',
      awsSolutions: 'AwsSolutions-APIG4',
      ccpa: ['APIGWMethodAuthorization'],
      cases: [
        {
          name: 'Noncompliance 1: ANY on the root without an authorizer',
          nag: 'non-compliant',
          build: (s) => { new apigw.RestApi(s, 'RestApi').root.addMethod('ANY'); },
          ccpa: ['CCPA-APIGWMethodAuthorization at Test/RestApi/Default/ANY/Resource'],
        },
        {
          name: 'Noncompliance 2: an HTTP API route with AuthorizationType NONE',
          nag: 'non-compliant',
          build: (s) => { new apigwv2.CfnRoute(s, 'Route', { apiId: 'foo', routeKey: 'ANY /bar', authorizationType: 'NONE' }); },
          ccpa: ['CCPA-APIGWMethodAuthorization at Test/Route'],
        },
        {
          name: 'Noncompliance 3: OPTIONS without an authorizer',
          nag: 'non-compliant',
          build: (s) => { new apigw.RestApi(s, 'RestApi').root.addMethod('OPTIONS'); },
          ccpa: [],
          differs: 'CcpaChecks exempts OPTIONS: browsers send CORS preflight requests without credentials, and a preflight returns no personal data.',
        },
        {
          name: 'Compliance 1: a custom authorizer on the method and the route',
          nag: 'compliant',
          build: (s) => {
            new apigw.RestApi(s, 'RestApi', { defaultMethodOptions: { authorizationType: apigw.AuthorizationType.CUSTOM } }).root.addMethod('ANY');
            new apigwv2.CfnRoute(s, 'Route', { apiId: 'foo', routeKey: 'ANY /bar', authorizationType: 'CUSTOM', authorizerId: 'baz' });
          },
          ccpa: [],
        },
        {
          name: 'Compliance 2: a CORS preflight',
          nag: 'compliant',
          build: (s) => {
            new apigw.RestApi(s, 'RestApi').root.addCorsPreflight({
              allowOrigins: apigw.Cors.ALL_ORIGINS,
              allowHeaders: apigw.Cors.DEFAULT_HEADERS,
              allowMethods: apigw.Cors.ALL_METHODS,
              allowCredentials: true,
            });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'APIGWExecutionLoggingEnabled',
      nagService: 'apigw',
      awsSolutions: 'AwsSolutions-APIG6',
      ccpa: ['APIGWNoDataTrace'],
      cases: [
        {
          name: 'Noncompliance 1: no execution logging',
          nag: 'non-compliant',
          build: (s) => { new apigw.RestApi(s, 'rRestApi').root.addMethod('ANY'); },
          ccpa: [],
          differs: 'Opposite direction: cdk-nag asks for execution logging; CcpaChecks asks that a personal API not log full request and response bodies (data trace), and does not require execution logs (access logs are CCPA-APIGWStageAccessLogging).',
        },
        {
          name: 'Noncompliance 2: loggingLevel OFF',
          nag: 'non-compliant',
          build: (s) => { new apigw.RestApi(s, 'rRestApi', { deployOptions: { loggingLevel: apigw.MethodLoggingLevel.OFF } }).root.addMethod('ANY'); },
          ccpa: [],
          differs: 'As Noncompliance 1.',
        },
        {
          name: 'Compliance: loggingLevel ERROR',
          nag: 'compliant',
          build: (s) => { new apigw.RestApi(s, 'rRestApi', { deployOptions: { loggingLevel: apigw.MethodLoggingLevel.ERROR } }).root.addMethod('ANY'); },
          ccpa: [],
        },
        {
          name: 'Added: loggingLevel INFO with data trace',
          nag: 'compliant',
          build: (s) => {
            new apigw.RestApi(s, 'rRestApi', { deployOptions: { loggingLevel: apigw.MethodLoggingLevel.INFO, dataTraceEnabled: true } }).root.addMethod('ANY');
          },
          ccpa: ['CCPA-APIGWNoDataTrace at Test/rRestApi/DeploymentStage.prod/Resource'],
          differs: 'Data trace writes full request and response bodies (personal data) to CloudWatch Logs; cdk-nag counts it as logging, CcpaChecks fails it on a personal API.',
        },
      ],
    },
  ],
};
