import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { DataClassification, PrivacyClassification, PrivacyPrincipal } from '../../../lib/classification';
import { check, outcome } from '../helpers';

function fn(s: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(s, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), ...props });
}

describe('LambdaDsrFailureDestination', () => {
  test('GIVEN a DSR function without DLQ/destination THEN non-compliant; with a DLQ THEN compliant; invoked by a state machine THEN compliant; non-DSR THEN n/a', () => {
    const findings = check((s) => {
      PrivacyPrincipal.tag(fn(s, 'Bare'), { dsrWorkflow: true });
      PrivacyPrincipal.tag(fn(s, 'Dlq', { deadLetterQueue: new sqs.Queue(s, 'Q') }), { dsrWorkflow: true });
      const task = fn(s, 'Task');
      PrivacyPrincipal.tag(task, { dsrWorkflow: true });
      new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: task })) });
      fn(s, 'Plain');
    });
    expect(outcome(findings, 'LambdaDsrFailureDestination', 'Test/Bare/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'LambdaDsrFailureDestination', 'Test/Dlq/Resource')).toBe('clean');
    expect(outcome(findings, 'LambdaDsrFailureDestination', 'Test/Task/Resource')).toBe('clean');
    expect(outcome(findings, 'LambdaDsrFailureDestination', 'Test/Plain/Resource')).toBe('clean');
  });
  test('GIVEN an L1 function tagged dsr with an EventInvokeConfig on-failure destination THEN compliant', () => {
    const findings = check((s) => {
      const f = new lambda.CfnFunction(s, 'L1', { role: 'arn:aws:iam::111111111111:role/r', code: { zipFile: 'x' }, tags: [{ key: 'privacy:workflow', value: 'dsr' }] });
      new lambda.CfnEventInvokeConfig(s, 'Cfg', { functionName: f.ref, qualifier: '$LATEST', destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:111111111111:dlq' } } });
    });
    expect(outcome(findings, 'LambdaDsrFailureDestination', 'Test/L1')).toBe('clean');
  });
});

describe('LambdaDsrLogRetention', () => {
  test('GIVEN a DSR function with the automatic log group THEN non-compliant; with a log group of the app THEN compliant', () => {
    const findings = check((s) => {
      PrivacyPrincipal.tag(fn(s, 'Auto'), { dsrWorkflow: true });
      PrivacyPrincipal.tag(fn(s, 'Own', { logGroup: new logs.LogGroup(s, 'Logs', { retention: logs.RetentionDays.TWO_YEARS }) }), { dsrWorkflow: true });
    });
    expect(outcome(findings, 'LambdaDsrLogRetention', 'Test/Auto/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'LambdaDsrLogRetention', 'Test/Own/Resource')).toBe('clean');
  });
});

describe('StepFunctionsDsrLogging / StepFunctionsDsrTracing', () => {
  const body = (s: Stack) => sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P'));
  test('GIVEN a DSR state machine with ERROR logs and no tracing THEN both non-compliant; ALL without execution data and tracing THEN compliant', () => {
    const findings = check((s) => {
      const bad = new sfn.StateMachine(s, 'Bad', { definitionBody: body(s), logs: { destination: new logs.LogGroup(s, 'L1'), level: sfn.LogLevel.ERROR } });
      PrivacyPrincipal.tag(bad.role, { dsrWorkflow: true });
      const good = new sfn.StateMachine(s, 'Good', {
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P2')),
        logs: { destination: new logs.LogGroup(s, 'L2'), level: sfn.LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
      });
      PrivacyPrincipal.tag(good.role, { dsrWorkflow: true });
    });
    expect(outcome(findings, 'StepFunctionsDsrLogging', 'Test/Bad/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'StepFunctionsDsrTracing', 'Test/Bad/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'StepFunctionsDsrLogging', 'Test/Good/Resource')).toBe('clean');
    expect(outcome(findings, 'StepFunctionsDsrTracing', 'Test/Good/Resource')).toBe('clean');
  });
  test('GIVEN an L1 state machine tagged dsr including execution data THEN logging non-compliant', () => {
    const findings = check((s) => {
      new sfn.CfnStateMachine(s, 'L1', {
        roleArn: 'arn:aws:iam::111111111111:role/r',
        definitionString: '{}',
        tags: [{ key: 'privacy:workflow', value: 'dsr' }],
        loggingConfiguration: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:x' } }] },
        tracingConfiguration: { enabled: true },
      });
    });
    expect(outcome(findings, 'StepFunctionsDsrLogging', 'Test/L1')).toBe('non-compliant');
    expect(outcome(findings, 'StepFunctionsDsrTracing', 'Test/L1')).toBe('clean');
  });
});

describe('APIGWMethodAuthorization / APIGWStageAccessLogging', () => {
  test('GIVEN a personal-data REST API with an unauthenticated GET THEN non-compliant; IAM auth THEN compliant; untagged API THEN in scope too (fail closed)', () => {
    const findings = check((s) => {
      const api = new apigw.RestApi(s, 'Api');
      PrivacyClassification.apply(api, { classification: DataClassification.PERSONAL });
      api.root.addResource('open').addMethod('GET');
      api.root.addResource('iam').addMethod('GET', undefined, { authorizationType: apigw.AuthorizationType.IAM });
      new apigw.RestApi(s, 'Public').root.addMethod('GET');
    });
    expect(outcome(findings, 'APIGWMethodAuthorization', 'Test/Api/Default/open/GET/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'APIGWMethodAuthorization', 'Test/Api/Default/iam/GET/Resource')).toBe('clean');
    expect(outcome(findings, 'APIGWMethodAuthorization', 'Test/Public/Default/GET/Resource')).toBe('non-compliant');
  });
  test('GIVEN a stage without access logs THEN non-compliant; with access logs THEN compliant', () => {
    const findings = check((s) => {
      new apigw.RestApi(s, 'NoLogs').root.addMethod('GET');
      new apigw.RestApi(s, 'Logs', { deployOptions: { accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(s, 'Access')) } }).root.addMethod('GET');
    });
    expect(outcome(findings, 'APIGWStageAccessLogging', 'Test/NoLogs/DeploymentStage.prod/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'APIGWStageAccessLogging', 'Test/Logs/DeploymentStage.prod/Resource')).toBe('clean');
  });
});

describe('EC2SecurityGroupOpenIngress / LambdaNotInPublicSubnet', () => {
  test('GIVEN SSH from anywhere THEN non-compliant; 443 from anywhere THEN compliant; L1 ingress all protocols ::/0 THEN non-compliant', () => {
    const findings = check((s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new ec2.SecurityGroup(s, 'Ssh', { vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
      new ec2.SecurityGroup(s, 'Https', { vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
      new ec2.CfnSecurityGroupIngress(s, 'L1', { groupId: 'sg-123', ipProtocol: '-1', cidrIpv6: '::/0' });
    });
    expect(outcome(findings, 'EC2SecurityGroupOpenIngress', 'Test/Ssh/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'EC2SecurityGroupOpenIngress', 'Test/Https/Resource')).toBe('clean');
    expect(outcome(findings, 'EC2SecurityGroupOpenIngress', 'Test/L1')).toBe('non-compliant');
  });
  test('GIVEN a function in public subnets THEN non-compliant; in isolated subnets THEN compliant; imported subnet ids THEN cannot verify', () => {
    const findings = check((s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', {
        maxAzs: 1,
        natGateways: 0,
        subnetConfiguration: [
          { name: 'pub', subnetType: ec2.SubnetType.PUBLIC }, { name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        ],
      });
      fn(s, 'Public', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true });
      fn(s, 'Isolated', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      new lambda.CfnFunction(s, 'Imported', { role: 'arn:aws:iam::111111111111:role/r', code: { zipFile: 'x' }, vpcConfig: { subnetIds: ['subnet-123'], securityGroupIds: ['sg-1'] } });
    });
    expect(outcome(findings, 'LambdaNotInPublicSubnet', 'Test/Public/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'LambdaNotInPublicSubnet', 'Test/Isolated/Resource')).toBe('clean');
    expect(outcome(findings, 'LambdaNotInPublicSubnet', 'Test/Imported')).toBe('cannot-verify');
  });
});
