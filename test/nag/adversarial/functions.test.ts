import { CfnParameter, Duration, Fn, Stack, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AdversarialCase, findingsFor, LAMBDA_TRUST, runCases, templateFile } from './kit';
import { DataClassification, PrivacyClassification, PrivacyPrincipal } from '../../../lib/classification';

const URL_RULE = ['LambdaFunctionUrlAuthorization'];
const ASYNC = ['LambdaDsrAsyncFailureDestination'];

function fn(s: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(s, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), ...props });
}

/** A function that executes data subject requests (it and its role tagged privacy:workflow=dsr). */
function dsrFn(s: Stack, id = 'Fn', props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  const f = fn(s, id, props);
  PrivacyPrincipal.tag(f, { dsrWorkflow: true });
  return f;
}

const onFailure = (s: Stack, id = 'Failures') => new destinations.SqsDestination(new sqs.Queue(s, id));
const dlq = (s: Stack, id = 'TargetDlq') => new sqs.Queue(s, id);
const pattern = { source: ['com.example.dsr'] };

/** An L1 function tagged privacy:workflow=dsr in its properties. */
function l1DsrFn(s: Stack, id = 'L1Fn', name?: string): lambda.CfnFunction {
  const role = new iam.CfnRole(s, `${id}Role`, { assumeRolePolicyDocument: LAMBDA_TRUST });
  return new lambda.CfnFunction(s, id, {
    functionName: name,
    role: role.attrArn,
    code: { zipFile: 'x' },
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    tags: [{ key: 'privacy:workflow', value: 'dsr' }],
  });
}

const urlCases: AdversarialCase[] = [
  {
    name: 'GIVEN an untagged function with addFunctionUrl AuthType NONE THEN error on the URL',
    rules: URL_RULE,
    build: (s) => { fn(s, 'Fn').addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }); },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Fn/FunctionUrl/Resource'],
  },
  {
    name: 'GIVEN a DSR function with a URL AuthType NONE THEN error',
    rules: URL_RULE,
    build: (s) => { dsrFn(s).addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }); },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Fn/FunctionUrl/Resource'],
  },
  {
    name: 'GIVEN a function URL with AuthType AWS_IAM THEN no finding',
    rules: URL_RULE,
    build: (s) => { fn(s, 'Fn').addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM }); },
    expect: [],
  },
  {
    name: 'GIVEN a URL AuthType NONE on a function classified non-personal THEN no finding',
    rules: URL_RULE,
    build: (s) => {
      const f = fn(s, 'Webhook');
      PrivacyClassification.apply(f, { classification: DataClassification.NON_PERSONAL });
      f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    },
    expect: [],
  },
  {
    name: 'GIVEN a URL AuthType NONE on an alias (Qualifier) of an in-scope function THEN error',
    rules: URL_RULE,
    build: (s) => {
      const f = fn(s, 'Fn');
      new lambda.Alias(s, 'Live', { aliasName: 'live', version: f.currentVersion }).addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Live/FunctionUrl/Resource'],
  },
  {
    name: 'GIVEN an L1 URL whose TargetFunctionArn is the Ref of an alias THEN error',
    rules: URL_RULE,
    build: (s) => {
      const f = l1DsrFn(s);
      const v = new lambda.CfnVersion(s, 'V1', { functionName: f.ref });
      const a = new lambda.CfnAlias(s, 'Alias', { functionName: f.ref, functionVersion: v.attrVersion, name: 'prod' });
      new lambda.CfnUrl(s, 'Url', { authType: 'NONE', targetFunctionArn: a.ref });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Url'],
  },
  {
    name: 'GIVEN an L1 URL whose TargetFunctionArn is the Ref of a version THEN error',
    rules: URL_RULE,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnUrl(s, 'Url', { authType: 'NONE', targetFunctionArn: new lambda.CfnVersion(s, 'V1', { functionName: f.ref }).ref });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Url'],
  },
  {
    name: 'GIVEN an L1 URL whose TargetFunctionArn is Fn::Join of the function ARN and ":live" THEN error',
    rules: URL_RULE,
    build: (s) => {
      const f = fn(s, 'Fn');
      new lambda.CfnUrl(s, 'Url', { authType: 'NONE', targetFunctionArn: Fn.join(':', [f.functionArn, 'live']) });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Url'],
  },
  {
    name: 'GIVEN an L1 URL whose TargetFunctionArn is an Fn::Sub ARN around the function name THEN error',
    rules: URL_RULE,
    build: (s) => {
      const f = fn(s, 'Fn');
      new lambda.CfnUrl(s, 'Url', { authType: 'NONE', targetFunctionArn: Fn.sub('arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}', { Name: f.functionName }) });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Url'],
  },
  {
    name: 'GIVEN a URL in another stack of the app on an imported function ARN (cross-stack reference) THEN error',
    rules: URL_RULE,
    build: (s, app) => {
      const f = fn(s, 'Fn');
      const other = new Stack(app, 'Edge');
      new lambda.CfnUrl(other, 'Url', { authType: 'NONE', targetFunctionArn: f.functionArn });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Edge/Url'],
  },
  {
    name: 'GIVEN a URL naming by literal ARN a function of the app with a literal functionName THEN error',
    rules: URL_RULE,
    build: (s) => {
      fn(s, 'Fn', { functionName: 'orders-export' });
      new lambda.CfnUrl(s, 'Url', { authType: 'NONE', targetFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:orders-export' });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Url'],
  },
  {
    name: 'GIVEN a URL AuthType NONE on a literal ARN of a function outside the app THEN [CannotVerify] naming TargetFunctionArn',
    rules: URL_RULE,
    build: (s) => { new lambda.CfnUrl(s, 'Url', { authType: 'NONE', targetFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:elsewhere' }); },
    expect: ['CCPA-LambdaFunctionUrlAuthorization[CannotVerify] at Test/Url'],
  },
  {
    name: 'GIVEN a URL AuthType NONE on a function ARN passed as a parameter THEN [CannotVerify]',
    rules: URL_RULE,
    build: (s) => { new lambda.CfnUrl(s, 'Url', { authType: 'NONE', targetFunctionArn: new CfnParameter(s, 'TargetArn').valueAsString }); },
    expect: ['CCPA-LambdaFunctionUrlAuthorization[CannotVerify] at Test/Url'],
  },
  {
    name: 'GIVEN a URL AWS_IAM on a function outside the app THEN no finding',
    rules: URL_RULE,
    build: (s) => { new lambda.CfnUrl(s, 'Url', { authType: 'AWS_IAM', targetFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:elsewhere' }); },
    expect: [],
  },
  {
    name: 'GIVEN a URL whose AuthType is a parameter on an in-scope function THEN [CannotVerify]',
    rules: URL_RULE,
    build: (s) => {
      const f = fn(s, 'Fn');
      new lambda.CfnUrl(s, 'Url', { authType: new CfnParameter(s, 'Auth').valueAsString, targetFunctionArn: f.functionArn });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization[CannotVerify] at Test/Url'],
  },
  {
    name: 'GIVEN a SAM function (CfnInclude) with FunctionUrlConfig AuthType NONE THEN error; AWS_IAM THEN no finding',
    rules: URL_RULE,
    build: (s) => {
      new CfnInclude(s, 'Sam', {
        templateFile: templateFile('sam-url.yaml', `Transform: AWS::Serverless-2016-10-31
Resources:
  Open:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: index.handler, InlineCode: x, FunctionUrlConfig: { AuthType: NONE } }
  Signed:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: index.handler, InlineCode: x, FunctionUrlConfig: { AuthType: AWS_IAM } }
`),
      });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Sam/Open'],
  },
  {
    name: 'GIVEN a JSON template (CfnInclude) with an AWS::Lambda::Url AuthType NONE on its function (GetAtt) THEN error',
    rules: URL_RULE,
    build: (s) => {
      new CfnInclude(s, 'Legacy', {
        templateFile: templateFile('url.json', JSON.stringify({
          Resources: {
            Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST } },
            Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { ZipFile: 'x' }, Runtime: 'nodejs22.x', Handler: 'index.handler' } },
            Url: { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
          },
        })),
      });
    },
    expect: ['CCPA-LambdaFunctionUrlAuthorization at Test/Legacy/Url'],
  },
];

const FN = 'CCPA-LambdaDsrAsyncFailureDestination at Test/Fn/Resource';

const asyncCases: AdversarialCase[] = [
  {
    name: 'GIVEN a DSR function targeted by an EventBridge rule with no destination and no target DLQ THEN error',
    rules: ASYNC,
    build: (s) => { new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(dsrFn(s))] }); },
    expect: [FN],
  },
  {
    name: 'GIVEN a DSR function with onFailure (SQS) targeted by an EventBridge rule with a target DLQ THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(f, { deadLetterQueue: dlq(s) })] });
    },
    expect: [],
  },
  {
    name: 'GIVEN a DSR function with onFailure but an EventBridge target without a DLQ (delivery side open) THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(f)] });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN an EventBridge target DLQ but no destination on the function (function errors dropped) THEN error',
    rules: ASYNC,
    build: (s) => { new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(dsrFn(s), { deadLetterQueue: dlq(s) })] }); },
    expect: [FN],
  },
  {
    name: 'GIVEN a function deadLetterQueue and a target DLQ THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { deadLetterQueue: new sqs.Queue(s, 'FnDlq') });
      new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(f, { deadLetterQueue: dlq(s) })] });
    },
    expect: [],
  },
  {
    name: 'GIVEN a scheduled rule targeting a DSR function with onFailure but no target DLQ THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      new events.Rule(s, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(f)] });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN an EventBridge Scheduler schedule (L1) invoking a DSR function with onFailure but no schedule DLQ THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      new CfnSchedule(s, 'Schedule', { scheduleExpression: 'rate(1 hour)', flexibleTimeWindow: { mode: 'OFF' }, target: { arn: f.functionArn, roleArn: 'arn:aws:iam::111111111111:role/scheduler' } });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN an EventBridge Scheduler schedule with a DLQ invoking a DSR function with onFailure THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      new CfnSchedule(s, 'Schedule', {
        scheduleExpression: 'rate(1 hour)',
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: f.functionArn, roleArn: 'arn:aws:iam::111111111111:role/scheduler', deadLetterConfig: { arn: dlq(s).queueArn } },
      });
    },
    expect: [],
  },
  {
    name: 'GIVEN a disabled rule targeting a DSR function THEN no finding',
    rules: ASYNC,
    build: (s) => { new events.Rule(s, 'Rule', { enabled: false, eventPattern: pattern, targets: [new targets.LambdaFunction(dsrFn(s))] }); },
    expect: [],
  },
  {
    name: 'GIVEN a rule targeting an alias while onFailure is configured on $LATEST only THEN error (another qualifier)',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      const alias = new lambda.Alias(s, 'Live', { aliasName: 'live', version: f.currentVersion });
      new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(alias, { deadLetterQueue: dlq(s) })] });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN a rule targeting an alias with the alias\'s own onFailure THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s);
      const alias = new lambda.Alias(s, 'Live', { aliasName: 'live', version: f.currentVersion, onFailure: onFailure(s) });
      new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(alias, { deadLetterQueue: dlq(s) })] });
    },
    expect: [],
  },
  {
    name: 'GIVEN a rule targeting a version with the version\'s onFailure THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s);
      f.currentVersion.configureAsyncInvoke({ onFailure: onFailure(s) });
      new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(f.currentVersion, { deadLetterQueue: dlq(s) })] });
    },
    expect: [],
  },
  {
    name: 'GIVEN an SNS subscription of a DSR function with onFailure but no subscription DLQ THEN error',
    rules: ASYNC,
    build: (s) => { new sns.Topic(s, 'Topic').addSubscription(new subs.LambdaSubscription(dsrFn(s, 'Fn', { onFailure: onFailure(s) }))); },
    expect: [FN],
  },
  {
    name: 'GIVEN an SNS subscription with a DLQ and onFailure (SNS destination) THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: new destinations.SnsDestination(new sns.Topic(s, 'FailureTopic')) });
      new sns.Topic(s, 'Topic').addSubscription(new subs.LambdaSubscription(f, { deadLetterQueue: dlq(s) }));
    },
    expect: [],
  },
  {
    name: 'GIVEN an L1 topic with an inline lambda Subscription THEN error (no redrive possible)',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      new sns.CfnTopic(s, 'Topic', { subscription: [{ protocol: 'lambda', endpoint: f.functionArn }] });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN an S3 notification to a DSR function without a destination THEN error',
    rules: ASYNC,
    build: (s) => { new s3.Bucket(s, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(dsrFn(s))); },
    expect: [FN],
  },
  {
    name: 'GIVEN an S3 notification to a DSR function with onFailure (EventBridge destination) THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: new destinations.EventBridgeDestination(new events.EventBus(s, 'Bus')) });
      new s3.Bucket(s, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(f));
    },
    expect: [],
  },
  {
    name: 'GIVEN an L1 bucket NotificationConfiguration naming a DSR function THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new s3.CfnBucket(s, 'Bucket', { notificationConfiguration: { lambdaConfigurations: [{ event: 's3:ObjectCreated:*', function: f.attrArn }] } });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination at Test/L1Fn'],
  },
  {
    name: 'GIVEN a CloudWatch Logs subscription filter to a DSR function without a destination THEN error',
    rules: ASYNC,
    build: (s) => {
      new logs.SubscriptionFilter(s, 'Filter', { logGroup: new logs.LogGroup(s, 'Group'), destination: new logsDestinations.LambdaDestination(dsrFn(s)), filterPattern: logs.FilterPattern.allEvents() });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN a Logs subscription filter to a DSR function with onFailure (Lambda destination) THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: new destinations.LambdaDestination(fn(s, 'Handler'), { responseOnly: true }) });
      new logs.SubscriptionFilter(s, 'Filter', { logGroup: new logs.LogGroup(s, 'Group'), destination: new logsDestinations.LambdaDestination(f), filterPattern: logs.FilterPattern.allEvents() });
    },
    expect: [],
  },
  {
    name: 'GIVEN a state machine invoking a DSR function with InvocationType EVENT (JSONPath) THEN error',
    rules: ASYNC,
    build: (s) => {
      new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: dsrFn(s), invocationType: tasks.LambdaInvocationType.EVENT })) });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN a state machine invoking a DSR function with InvocationType EVENT (JSONata) THEN error',
    rules: ASYNC,
    build: (s) => {
      new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(tasks.LambdaInvoke.jsonata(s, 'Invoke', { lambdaFunction: dsrFn(s), invocationType: tasks.LambdaInvocationType.EVENT })) });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN a state machine invoking a DSR function with EVENT and the function has onFailure THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = dsrFn(s, 'Fn', { onFailure: onFailure(s) });
      new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: f, invocationType: tasks.LambdaInvocationType.EVENT })) });
    },
    expect: [],
  },
  {
    name: 'GIVEN a state machine invoking a DSR function synchronously (RequestResponse) THEN no finding',
    rules: ASYNC,
    build: (s) => {
      new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: dsrFn(s) })) });
    },
    expect: [],
  },
  {
    name: 'GIVEN an untagged function invoked with EVENT by a state machine whose role is tagged dsr THEN error (a DSR source)',
    rules: ASYNC,
    build: (s) => {
      const sm = new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: fn(s, 'Fn'), invocationType: tasks.LambdaInvocationType.EVENT })) });
      PrivacyPrincipal.tag(sm.role, { dsrWorkflow: true });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN an L1 state machine Definition object with the aws-sdk lambda:invoke and InvocationType Event THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new sfn.CfnStateMachine(s, 'Sm', {
        roleArn: 'arn:aws:iam::111111111111:role/sm',
        definition: { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: f.attrArn, InvocationType: 'Event' }, End: true } } },
      });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination at Test/L1Fn'],
  },
  {
    name: 'GIVEN an L1 state machine using DefinitionSubstitutions for the function (InvocationType Event) THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new sfn.CfnStateMachine(s, 'Sm', {
        roleArn: 'arn:aws:iam::111111111111:role/sm',
        definitionString: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': '${Target}', 'InvocationType': 'Event', 'Payload.$': '$' }, End: true } } }),
        definitionSubstitutions: { Target: f.attrArn },
      });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination at Test/L1Fn'],
  },
  {
    name: 'GIVEN an untagged function subscribed to an SNS topic tagged privacy:workflow=dsr THEN error (a DSR source)',
    rules: ASYNC,
    build: (s) => {
      const topic = new sns.Topic(s, 'Erasures');
      Tags.of(topic).add('privacy:workflow', 'dsr');
      topic.addSubscription(new subs.LambdaSubscription(fn(s, 'Fn')));
    },
    expect: [FN],
  },
  {
    name: 'GIVEN an untagged (non-DSR) function targeted by an EventBridge rule with nothing configured THEN no finding (out of scope)',
    rules: ASYNC,
    build: (s) => { new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(fn(s, 'Fn'))] }); },
    expect: [],
  },
  {
    name: 'GIVEN an L1 permission for events.amazonaws.com on a DSR function (the rule outside the app) THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnPermission(s, 'Perm', { action: 'lambda:InvokeFunction', functionName: f.ref, principal: 'events.amazonaws.com', sourceArn: 'arn:aws:events:us-east-1:222222222222:rule/other' });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination at Test/L1Fn'],
  },
  {
    name: 'GIVEN an L1 permission for logs.${AWS::Region}.amazonaws.com (Fn::Sub) on a DSR function THEN error',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnPermission(s, 'Perm', { action: 'lambda:InvokeFunction', functionName: f.attrArn, principal: Fn.sub('logs.${AWS::Region}.amazonaws.com') });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination at Test/L1Fn'],
  },
  {
    name: 'GIVEN a permission for apigateway.amazonaws.com (synchronous) on a DSR function THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnPermission(s, 'Perm', { action: 'lambda:InvokeFunction', functionName: f.attrArn, principal: 'apigateway.amazonaws.com' });
    },
    expect: [],
  },
  {
    name: 'GIVEN an L1 EventInvokeConfig naming the function by an Fn::Sub ARN, Qualifier $LATEST, and an L1 rule target with a DLQ THEN no finding',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnEventInvokeConfig(s, 'Cfg', {
        functionName: Fn.sub('arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${F}', { F: f.ref }),
        qualifier: '$LATEST',
        destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:111111111111:failures' } },
      });
      new events.CfnRule(s, 'Rule', { eventPattern: pattern, targets: [{ id: 'T', arn: f.attrArn, deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:111111111111:dlq' } }] });
    },
    expect: [],
  },
  {
    name: 'GIVEN an EventInvokeConfig whose Qualifier is a parameter THEN [CannotVerify] naming it',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnEventInvokeConfig(s, 'Cfg', {
        functionName: f.ref,
        qualifier: new CfnParameter(s, 'Qualifier').valueAsString,
        destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:111111111111:failures' } },
      });
      new events.CfnRule(s, 'Rule', { eventPattern: pattern, targets: [{ id: 'T', arn: f.attrArn, deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:111111111111:dlq' } }] });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination[CannotVerify] at Test/L1Fn'],
  },
  {
    name: 'GIVEN an EventInvokeConfig for a function outside the app (literal name) and a DSR function without destination THEN error, not [CannotVerify]',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnEventInvokeConfig(s, 'Cfg', { functionName: 'someone-else', qualifier: '$LATEST', destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:111111111111:failures' } } });
      new events.CfnRule(s, 'Rule', { eventPattern: pattern, targets: [{ id: 'T', arn: f.attrArn, deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:111111111111:dlq' } }] });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination at Test/L1Fn'],
  },
  {
    name: 'GIVEN an EventInvokeConfig whose FunctionName is a parameter and a DSR function without destination THEN [CannotVerify] naming it',
    rules: ASYNC,
    build: (s) => {
      const f = l1DsrFn(s);
      new lambda.CfnEventInvokeConfig(s, 'Cfg', {
        functionName: new CfnParameter(s, 'Target').valueAsString,
        qualifier: '$LATEST',
        destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:111111111111:failures' } },
      });
      new events.CfnRule(s, 'Rule', { eventPattern: pattern, targets: [{ id: 'T', arn: f.attrArn, deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:111111111111:dlq' } }] });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination[CannotVerify] at Test/L1Fn'],
  },
  {
    name: 'GIVEN a rule in another stack targeting a DSR function of this stack (cross-stack import) without destinations THEN error on the function',
    rules: ASYNC,
    build: (s, app) => {
      const f = dsrFn(s);
      const other = new Stack(app, 'Routing');
      new events.CfnRule(other, 'Rule', { eventPattern: pattern, targets: [{ id: 'T', arn: f.functionArn }] });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN a rule targeting a DSR function by the literal ARN of its literal name THEN error',
    rules: ASYNC,
    build: (s) => {
      dsrFn(s, 'Fn', { functionName: 'dsr-erase' });
      new events.CfnRule(s, 'Rule', { eventPattern: pattern, targets: [{ id: 'T', arn: 'arn:aws:lambda:us-east-1:111111111111:function:dsr-erase', deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:111111111111:dlq' } }] });
    },
    expect: [FN],
  },
  {
    name: 'GIVEN a SAM-free JSON template (CfnInclude) whose SNS subscription targets a DSR-tagged function THEN error',
    rules: ASYNC,
    build: (s) => {
      new CfnInclude(s, 'Legacy', {
        templateFile: templateFile('sns.json', JSON.stringify({
          Resources: {
            Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST, Tags: [{ Key: 'privacy:workflow', Value: 'dsr' }] } },
            Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { ZipFile: 'x' }, Runtime: 'nodejs22.x', Handler: 'index.handler' } },
            Topic: { Type: 'AWS::SNS::Topic' },
            Sub: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: { Ref: 'Topic' }, Endpoint: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
          },
        })),
      });
    },
    expect: ['CCPA-LambdaDsrAsyncFailureDestination at Test/Legacy/Fn'],
  },
];

describe('LambdaFunctionUrlAuthorization', () => runCases(urlCases));
describe('LambdaDsrAsyncFailureDestination', () => runCases(asyncCases));

describe('findings name what is missing', () => {
  test('GIVEN a DSR function behind a rule with neither side THEN the finding names the rule, the qualifier and the target DLQ', () => {
    const findings = findingsFor({ build: (s) => { new events.Rule(s, 'Rule', { eventPattern: pattern, targets: [new targets.LambdaFunction(dsrFn(s))] }); } });
    const f = findings.find((x) => x.id === 'CCPA-LambdaDsrAsyncFailureDestination');
    expect(f?.description).toContain('EventBridge rule Test/Rule/Resource invokes unqualified ($LATEST) with no on-failure destination');
    expect(f?.description).toContain('no DeadLetterConfig on its target');
  });
});
