import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ComplianceReport, expectCompliant, runComplianceKit } from '../kit/compliance';
import { allowPolicy, arnPrincipal, IamSimulator, servicePrincipal, templateRole } from '../kit/iam-sim';
import { definitionFromTemplate } from './local/asl';
import { configFromTemplate } from './local/environment';
import { DsrCoverage, DsrWorkflow, IsolatedAuditTrail, PersonalDataBucket, PrivacyTable, PrivateProcessingNetwork, TenancyModel } from '../../lib';
import { RETRIED_ERRORS } from '../../lib/dsr/private/definition';
import { validationProblemsOf } from '../kit/errors';
import { US_EAST_1_PREFIX_LISTS } from '../kit/lookups';

const ENV = { account: '111111111111', region: 'us-east-1' };
const { s3: S3_PL, dynamodb: DDB_PL } = US_EAST_1_PREFIX_LISTS;

function scenario() {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  const customers = new PrivacyTable(stack, 'Customers');
  const documents = new PersonalDataBucket(stack, 'Documents');
  const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents] });
  return { app, stack, customers, documents, dsr, template: Template.fromStack(stack) };
}

describe('GIVEN a DsrWorkflow over a table and a bucket', () => {
  const { stack, dsr, template } = scenario();
  const asl = definitionFromTemplate(template.toJSON() as any) as { States: Record<string, any> };
  const allStates = (states: Record<string, any>): Array<[string, any]> => Object.entries(states).flatMap(([n, s]) => [
    [n, s] as [string, any], ...(s.ItemProcessor ? allStates(s.ItemProcessor.States) : []),
  ]);
  const tasks = allStates(asl.States).filter(([, s]) => s.Type === 'Task');

  test('THEN the reports bucket aborts a report upload left incomplete after a day', () => {
    const bucket = template.toJSON().Resources[stack.getLogicalId(dsr.exportBucket.bucket.node.defaultChild as any)];
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ Id: 'ExpireAccessReports', Prefix: 'exports/', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
    ]));
  });

  test('THEN it is a Standard state machine logging ALL without execution data, traced, tagged privacy:workflow=dsr', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: Match.anyValue() },
      TracingConfiguration: { Enabled: true },
      Tags: Match.arrayWith([{ Key: 'privacy:workflow', Value: 'dsr' }]),
    });
  });

  test('THEN every task retries with exponential backoff and full jitter, and catches every error', () => {
    expect(tasks.map(([n]) => n).sort()).toEqual(['Finalize', 'Intake', 'RecordFailure', 'RecordStoreFailure', 'StoreStep']);
    for (const [name, state] of tasks) {
      expect([name, state.Retry]).toEqual([name, [{
        ErrorEquals: RETRIED_ERRORS, IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 60, JitterStrategy: 'FULL',
      }]]);
      // RecordStoreFailure runs inside the Map: its own failure fails the Map, which ForEachStore catches
      const caught = name === 'RecordStoreFailure' ? asl.States.ForEachStore.Catch : state.Catch;
      expect([name, caught.some((c: any) => c.ErrorEquals.includes('States.ALL'))]).toEqual([name, true]);
    }
    expect(RETRIED_ERRORS).toEqual(expect.arrayContaining(['DsrRetryableError', 'ThrottlingException', 'Lambda.TooManyRequestsException', 'Runtime.ExitError']));
    expect(RETRIED_ERRORS).not.toContain('DsrInvalidRequestError');
  });

  test('THEN failures end in a recorded failed state, never a silent stop', () => {
    const catches = tasks.flatMap(([, s]) => (s.Catch ?? []).map((c: any) => c.Next));
    expect(new Set(catches)).toEqual(new Set(['RecordFailure', 'RecordStoreFailure', 'RequestFailed', 'FailureNotRecorded']));
    // a recorded failure fails the execution; a request found COMPLETED (only its event pending) ends completed
    expect(asl.States.RecordFailure.Next).toBe('FailureRecorded?');
    expect(asl.States['FailureRecorded?'].Default).toBe('RequestFailed');
    expect(asl.States['FailureRecorded?'].Choices).toEqual([{ Variable: '$.status', StringEquals: 'COMPLETED', Next: 'CompletedEventPending' }]);
    expect(asl.States.ForEachStore.Catch[0].Next).toBe('RecordFailure');
  });

  test('THEN after Intake the payload carries no subject: the Map items hold the request id, pseudonym and store id', () => {
    expect(asl.States.ForEachStore.ItemSelector).toEqual({
      'requestId.$': '$.requestId',
      'type.$': '$.type',
      'tenant.$': '$.tenant',
      'pseudonym.$': '$.pseudonym',
      'store.$': '$$.Map.Item.Value',
      'phase': 'START',
    });
    // the only mention of the subject: CheckInput refuses an input that carries it (and its Fail state says why)
    const { CheckInput, RejectInputNotSubmitted, ...rest } = asl.States;
    expect(JSON.stringify(rest)).not.toMatch(/subject|corrections/);
  });

  test('THEN the state machine refuses, before any task, an input that carries the subject or corrections (not submitted through Requests)', () => {
    expect(asl.States.CheckInput.Choices).toEqual([{
      And: [
        { Variable: '$.requestId', IsPresent: true },
        { Variable: '$.requestId', IsString: true },
        { Not: { Variable: '$.subject', IsPresent: true } },
        { Not: { Variable: '$.corrections', IsPresent: true } },
      ],
      Next: 'Intake',
    }]);
    expect(asl.States.CheckInput.Default).toBe('RejectInputNotSubmitted');
    expect(asl.States.RejectInputNotSubmitted).toMatchObject({ Type: 'Fail', Error: 'DsrInvalidRequest' });
  });

  test('THEN the Requests function knows the request state machine by its ARN and has no holidays unless given', () => {
    const fn = template.toJSON().Resources[stack.getLogicalId(dsr.requestsFunction.node.defaultChild as any)];
    expect(fn.Properties.Environment.Variables.DSR_STATE_MACHINE_ARN).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:111111111111:stateMachine:SDsrD4965E12-Requests']],
    });
    expect(fn.Properties.Environment.Variables.DSR_HOLIDAYS).toBeUndefined();
    expect(fn.Properties.Timeout).toBe(25); // within API Gateway's 29 s integration timeout
  });

  test('THEN the functions run the newest Node.js runtime the installed aws-cdk-lib knows (AwsSolutions-L1), traced, logging JSON to a 2-year encrypted log group', () => {
    // what cdk-nag's AwsSolutions-L1 compares with: the highest nodejsNN.x in lambda.Runtime.ALL
    const newest = lambda.Runtime.ALL.map((r) => r.name).filter((n) => /^nodejs\d+\.x$/.test(n))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).pop();
    expect(Number(/\d+/.exec(newest!)![0])).toBeGreaterThanOrEqual(24);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: newest, TracingConfig: { Mode: 'Active' }, LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }) }, 6);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 731, KmsKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
  });

  test('THEN the audit records bucket is append-only by bucket policy and kept at least 731 days', () => {
    const bucketId = stack.getLogicalId(dsr.auditBucket.bucket.node.defaultChild as any);
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }))[0] as any;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'DenyAuditRecordWriteThatCouldOverwrite',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Condition: { StringNotEqualsIfExists: { 's3:if-none-match': '*' } },
    }));
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'DenyAuditRecordChanges', Effect: 'Deny', Principal: { AWS: '*' } }));
    expect(configFromTemplate(template.toJSON()).auditRetentionDays).toBe(731);
  });

  test('THEN the handlers are configured with every store: versioned bucket, table keys and subject index', () => {
    const config = configFromTemplate(template.toJSON());
    expect(config.stores).toEqual([
      { id: '0', path: 'S/Customers', kind: 'dynamodb-table', name: expect.any(String), indexName: 'subject-index', subjectAttribute: 'subjectId', valueTemplate: '{subject}', keyAttributes: ['pk', 'sk'], tenancy: 'silo' },
      { id: '1', path: 'S/Documents', kind: 's3-bucket', name: expect.any(String), prefixTemplate: 'subjects/{subject}/', versioned: true, tenancy: 'silo' },
    ]);
    expect(config.exportLinkSeconds).toBe(3600);
  });

  test('THEN an alarm fires on any failed, timed-out or aborted execution', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'failed + timedOut + aborted + replayFailed + replayTimedOut + replayAborted' })]),
    });
  });

  test('THEN the ledger has sparse indexes of open requests and of tombstones that project no raw identifier', () => {
    const ledger = template.toJSON().Resources[stack.getLogicalId(dsr.ledgerTable.table.node.defaultChild as any)];
    const indexes = Object.fromEntries(ledger.Properties.GlobalSecondaryIndexes.map((i: any) => [i.IndexName, i]));
    expect(indexes['open-requests'].KeySchema).toEqual([{ AttributeName: 'open', KeyType: 'HASH' }, { AttributeName: 'receivedAt', KeyType: 'RANGE' }]);
    expect(indexes.tombstones.KeySchema).toEqual([{ AttributeName: 'tombstone', KeyType: 'HASH' }, { AttributeName: 'deletedAt', KeyType: 'RANGE' }]);
    for (const i of [indexes['open-requests'], indexes.tombstones]) {
      expect(i.Projection.ProjectionType).toBe('INCLUDE');
      expect(i.Projection.NonKeyAttributes).not.toContain('subject');
      expect(i.Projection.NonKeyAttributes).toContain('subjectId');
    }
  });

  test('THEN a daily schedule runs the deadline check, whose summary line feeds a metric and an alarm that also fires when it does not report', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(dsr.deadlineCheckFunction.node.defaultChild as any), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "dsr deadline check" }',
      MetricTransformations: [{ MetricNamespace: 'cdk-ccpa/DSR', MetricName: 'RequestsAtDeadlineRisk', MetricValue: '$.atRisk', Dimensions: [{ Key: 'Workflow', Value: '$.workflow' }] }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [Match.objectLike({
        MetricStat: {
          Metric: { Namespace: 'cdk-ccpa/DSR', MetricName: 'RequestsAtDeadlineRisk', Dimensions: [{ Name: 'Workflow', Value: configFromTemplate(template.toJSON()).workflow }] },
          Period: 86_400,
          Stat: 'Maximum',
        },
      })],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
    });
    // a failed run is announced on the workflow's bus
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: stack.getLogicalId(dsr.deadlineCheckFunction.node.defaultChild as any) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    expect(configFromTemplate(template.toJSON())).toMatchObject({ deadlineWarningSeconds: 5 * 86_400, openRequestsIndex: 'open-requests', tombstonesIndex: 'tombstones' });
  });

  test('THEN the replay is a second Standard state machine, logged ALL without execution data, traced, re-running StoreStep with retries and catches', () => {
    const replay = definitionFromTemplate(template.toJSON() as any, 'replay') as { States: Record<string, any> };
    const states = allStates(replay.States);
    const replayTasks = states.filter(([, st]) => st.Type === 'Task');
    expect(replayTasks.map(([n]) => n).sort()).toEqual(['ContinueReplay', 'RecordReplayFailure', 'RecordReplayStoreFailure', 'ReplayPage', 'ReplayStoreStep', 'TombstoneReplayed']);
    // the replay continues in a new execution of itself, with the replay id alone
    expect(replay.States.ContinueReplay).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:SDsrD4965E12-Replay', Input: { 'replayId.$': '$.replayId', 'continued': true } },
      Next: 'ReplayContinued',
    });
    for (const [name, state] of replayTasks) {
      expect([name, state.Retry[0].JitterStrategy, state.Retry[0].ErrorEquals]).toEqual([name, 'FULL', RETRIED_ERRORS]);
    }
    expect(replay.States.ForEachTombstone.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'RecordReplayFailure' });
    expect(replay.States.ReplayPage.Catch.map((c: any) => c.Next)).toEqual(['ReplayFailed', 'RecordReplayFailure']);
    template.resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: Match.anyValue() },
      TracingConfiguration: { Enabled: true },
      Tags: Match.arrayWith([{ Key: 'privacy:workflow', Value: 'dsr' }]),
    }, 2);
    expect(JSON.stringify(replay)).not.toContain('subject"');
  });

  test('THEN both state machines are named and encrypted with the workflow\'s PrivacyKey (definition and execution history, the raw input included)', () => {
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(dsr.encryptionKey.node.defaultChild as any), 'Arn'] };
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
    expect(machines.map((m) => m.Properties.StateMachineName).sort()).toEqual(['SDsrD4965E12-Replay', 'SDsrD4965E12-Requests']);
    for (const m of machines) {
      expect(m.Properties.EncryptionConfiguration).toEqual({ Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: keyArn, KmsDataKeyReusePeriodSeconds: 300 });
    }
  });

  test('THEN each state machine role may use the key only with its own state machine\'s encryption context, and for log delivery', () => {
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(dsr.encryptionKey.node.defaultChild as any), 'Arn'] };
    for (const [machine, name] of [[dsr.stateMachine, 'SDsrD4965E12-Requests'], [dsr.replayStateMachine, 'SDsrD4965E12-Replay']] as const) {
      const policy = template.toJSON().Resources[stack.getLogicalId(machine.role.node.findChild('DefaultPolicy').node.defaultChild as any)];
      const kms = policy.Properties.PolicyDocument.Statement.filter((st: any) => JSON.stringify(st.Action).includes('kms:'));
      expect(kms).toEqual([
        {
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Effect: 'Allow',
          Resource: keyArn,
          Condition: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:us-east-1:111111111111:stateMachine:${name}`]] } } },
        },
        {
          Action: 'kms:GenerateDataKey',
          Effect: 'Allow',
          Resource: keyArn,
          Condition: { ArnLike: { 'kms:EncryptionContext:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:*']] } } },
        },
      ]);
    }
  });

  test('THEN the stores are DSR-exempt records of the workflow, registered as such', () => {
    for (const t of [dsr.ledgerTable, dsr.auditBucket]) expect(t.describePersonalData().dsrCoverage).toBe(DsrCoverage.EXEMPT);
    expect(dsr.exportBucket.describePersonalData().dsrCoverage).toBe(DsrCoverage.EXEMPT);
  });

  describe('IAM simulation', () => {
    const sim = IamSimulator.fromStack(stack);
    const lid = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
    const fns = [
      dsr.intakeFunction, dsr.storeStepFunction, dsr.finalizeFunction, dsr.deadlineCheckFunction, dsr.replayFunction, dsr.requestsFunction,
    ];
    const roles = fns.map((f) => lid(f.role as any));

    describe('the audit records are append-only (issue 12 finding 4)', () => {
      const audit = (key = 'records/requests/r-1/2026-01-01T00:00:00.000Z#3f1c') => ({ logicalId: lid(dsr.auditBucket.bucket), objectKey: key });
      const NEW = { 's3:if-none-match': '*' };

      test('THEN the bucket has Object Lock in COMPLIANCE mode for the audit retention, and no audit table with a TTL exists', () => {
        template.hasResourceProperties('AWS::S3::Bucket', {
          ObjectLockEnabled: true,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 731 } } },
          Tags: Match.arrayWith([{ Key: 'privacy:audit', Value: 'dsr-records' }]),
        });
        expect(Object.keys(template.findResources('AWS::DynamoDB::Table')).filter((id) => /Audit/.test(id))).toEqual([]);
        expect(configFromTemplate(template.toJSON()).auditTable).toBeUndefined();
      });

      test('every handler role may append a record with If-None-Match: *, and nothing else: no read, no write without it, no delete, no unlock', async () => {
        for (const role of roles) {
          const p = templateRole(role);
          await sim.expectDecision({ principal: p, action: 's3:PutObject', resource: audit(), context: NEW }, 'Allowed');
          await sim.expectDecision({ principal: p, action: 's3:PutObject', resource: audit() }, 'ExplicitlyDenied');
          await sim.expectDecision({ principal: p, action: 's3:PutObject', resource: audit(), context: { 's3:if-none-match': '"0123abcd"' } }, 'ExplicitlyDenied');
          for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention', 's3:PutObjectTagging']) {
            const d = await sim.simulate({ principal: p, action, resource: audit() });
            expect([role, action, d.result]).toEqual([role, action, 'ExplicitlyDenied']);
          }
          for (const action of ['s3:GetObject', 's3:ListBucket']) {
            const d = await sim.simulate({ principal: p, action, resource: action === 's3:ListBucket' ? { logicalId: lid(dsr.auditBucket.bucket) } : audit() });
            expect([role, action, d.result]).toEqual([role, action, expect.stringMatching(/Denied/)]);
          }
          // and the audit records are not in any DynamoDB table a handler could PutItem over
          for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
            const d = await sim.simulate({ principal: p, action, resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/SDsrAudit' });
            expect([role, action, d.result]).toEqual([role, action, 'ImplicitlyDenied']);
          }
        }
      });

      test('an account administrator with s3:* and privacy:access may add a record but neither overwrite, delete nor unlock one; the break-glass role alone may delete (Object Lock still holds the version)', async () => {
        const tags = { 'privacy:access': 'sensitive' };
        const admin = arnPrincipal('arn:aws:iam::111111111111:role/ops-admin', { tags, identityPolicies: [allowPolicy('s3:*')] });
        const dsrOperator = arnPrincipal('arn:aws:iam::111111111111:role/dsr-operator', { tags: { ...tags, 'privacy:workflow': 'dsr' }, identityPolicies: [allowPolicy('s3:*')] });
        const breakGlass = arnPrincipal('arn:aws:iam::111111111111:role/cdk-ccpa-break-glass', { tags, identityPolicies: [allowPolicy('s3:*')] });
        const lookalike = arnPrincipal('arn:aws:iam::444455556666:role/cdk-ccpa-break-glass', { tags, identityPolicies: [allowPolicy('s3:*')] });
        for (const p of [admin, dsrOperator]) {
          await sim.expectDecision({ principal: p, action: 's3:PutObject', resource: audit(), context: NEW }, 'Allowed');
          await sim.expectDecision({ principal: p, action: 's3:PutObject', resource: audit() }, 'ExplicitlyDenied');
          for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention']) {
            await sim.expectDecision({ principal: p, action, resource: audit() }, 'ExplicitlyDenied');
          }
        }
        await sim.expectDecision({ principal: breakGlass, action: 's3:PutObject', resource: audit() }, 'ExplicitlyDenied');
        await sim.expectDecision({ principal: breakGlass, action: 's3:DeleteObjectVersion', resource: audit() }, 'Allowed');
        await sim.expectDecision({ principal: lookalike, action: 's3:DeleteObjectVersion', resource: audit() }, 'ExplicitlyDenied');
      });
    });

    describe('execution history (request ids and pseudonyms: personal information the business can re-link)', () => {
      const key = { logicalId: lid(dsr.encryptionKey) };
      const smArn = (name: string) => `arn:aws:states:us-east-1:111111111111:stateMachine:SDsrD4965E12-${name}`;
      const viaStates = (name: string) => ({ 'kms:ViaService': 'states.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:states:stateMachineArn': smArn(name) });
      const admin = arnPrincipal('arn:aws:iam::111111111111:role/ops-admin', { identityPolicies: [allowPolicy(['states:*', 'kms:*'])] });

      test.each(['Requests', 'Replay'])('an untagged admin with states:* and kms:* may call GetExecutionHistory on %s but KMS denies the Decrypt Step Functions makes for it', async (name) => {
        await sim.expectDecision({ principal: admin, action: 'states:GetExecutionHistory', resource: `arn:aws:states:us-east-1:111111111111:execution:SDsrD4965E12-${name}:acme_r-1`, resourcePolicy: null }, 'Allowed');
        await sim.expectDecision({ principal: admin, action: 'kms:Decrypt', resource: key, context: viaStates(name) }, 'ImplicitlyDenied');
        await sim.expectDecision({ principal: admin, action: 'kms:Decrypt', resource: key }, 'ImplicitlyDenied');
      });

      test('the admin is not let in by the deployment statement when it calls Step Functions itself (not through CloudFormation)', async () => {
        await sim.expectDecision({ principal: admin, action: 'kms:Decrypt', resource: key, context: { ...viaStates('Requests'), 'aws:CalledVia': ['athena.amazonaws.com'] } }, 'ImplicitlyDenied');
      });

      test('a deployer (untagged) may encrypt and decrypt the definition when CloudFormation calls Step Functions for these state machines only', async () => {
        const deployer = arnPrincipal('arn:aws:iam::111111111111:role/cdk-cfn-exec-role', { identityPolicies: [allowPolicy('*')] });
        const viaCfn = (name: string) => ({ ...viaStates(name), 'aws:CalledVia': ['cloudformation.amazonaws.com'] });
        for (const name of ['Requests', 'Replay']) {
          for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
            await sim.expectDecision({ principal: deployer, action, resource: key, context: viaCfn(name) }, 'Allowed');
          }
        }
        await sim.expectDecision({ principal: deployer, action: 'kms:Decrypt', resource: key, context: viaCfn('Other') }, 'ImplicitlyDenied');
      });

      test('the state machine roles (privacy:workflow=dsr) may decrypt their own execution history, not the other\'s', async () => {
        const requestsRole = templateRole(lid(dsr.stateMachine.role as any));
        const replayRole = templateRole(lid(dsr.replayStateMachine.role as any));
        for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
          await sim.expectDecision({ principal: requestsRole, action, resource: key, context: { 'kms:EncryptionContext:aws:states:stateMachineArn': smArn('Requests') } }, 'Allowed');
          await sim.expectDecision({ principal: replayRole, action, resource: key, context: { 'kms:EncryptionContext:aws:states:stateMachineArn': smArn('Replay') } }, 'Allowed');
        }
        await sim.expectDecision({ principal: requestsRole, action: 'kms:Decrypt', resource: key, context: { 'kms:EncryptionContext:aws:states:stateMachineArn': smArn('Replay') } }, 'ImplicitlyDenied');
        await sim.expectDecision({ principal: requestsRole, action: 'kms:GenerateDataKey', resource: key, context: { 'kms:EncryptionContext:SourceArn': 'arn:aws:logs:us-east-1:111111111111:*' } }, 'Allowed');
      });

      test('a DSR role with states:* may read execution history through Step Functions', async () => {
        const dsrOperator = arnPrincipal('arn:aws:iam::111111111111:role/dsr-operator', {
          tags: { 'privacy:workflow': 'dsr' }, identityPolicies: [allowPolicy(['states:*', 'kms:Decrypt'])],
        });
        await sim.expectDecision({ principal: dsrOperator, action: 'kms:Decrypt', resource: key, context: viaStates('Requests') }, 'Allowed');
      });

      test('CloudWatch Logs delivery may decrypt only what Step Functions encrypted for logs of this account and region', async () => {
        const delivery = servicePrincipal('delivery.logs.amazonaws.com');
        await sim.expectDecision({ principal: delivery, action: 'kms:Decrypt', resource: key, context: { 'kms:EncryptionContext:SourceArn': 'arn:aws:logs:us-east-1:111111111111:*' } }, 'Allowed');
        await sim.expectDecision({ principal: delivery, action: 'kms:Decrypt', resource: key, context: { 'kms:EncryptionContext:SourceArn': 'arn:aws:logs:us-east-1:444455556666:*' } }, 'ImplicitlyDenied');
        await sim.expectDecision({ principal: delivery, action: 'kms:Decrypt', resource: key, context: viaStates('Requests') }, 'ImplicitlyDenied');
        await sim.expectDecision({ principal: delivery, action: 'kms:GenerateDataKey', resource: key, context: { 'kms:EncryptionContext:SourceArn': 'arn:aws:logs:us-east-1:111111111111:*' } }, 'ImplicitlyDenied');
      });
    });

    test('only Requests may compute pseudonyms; only StoreStep may reach the stores', async () => {
      const [intake, storeStep, finalize, , , requests] = roles;
      await sim.expectDecision({ principal: templateRole(requests), action: 'kms:GenerateMac', resource: { logicalId: lid(dsr.pseudonymizationKey) } }, 'Allowed');
      for (const other of [intake, finalize, storeStep]) {
        await sim.expectDecision({ principal: templateRole(other), action: 'kms:GenerateMac', resource: { logicalId: lid(dsr.pseudonymizationKey) } }, 'ImplicitlyDenied');
      }
      await sim.expectDecision({ principal: templateRole(requests), action: 'dynamodb:BatchWriteItem', resource: { logicalId: lid((stack.node.findChild('Customers') as PrivacyTable).table) } }, 'ImplicitlyDenied');
      const customers = stack.node.findChild('Customers') as PrivacyTable;
      await sim.expectDecision({ principal: templateRole(storeStep), action: 'dynamodb:BatchWriteItem', resource: { logicalId: lid(customers.table) } }, 'Allowed');
      await sim.expectDecision({ principal: templateRole(storeStep), action: 'dynamodb:BatchGetItem', resource: { logicalId: lid(customers.table) } }, 'Allowed');
      await sim.expectDecision({ principal: templateRole(finalize), action: 'dynamodb:BatchWriteItem', resource: { logicalId: lid(customers.table) } }, 'ImplicitlyDenied');
      await sim.expectDecision({ principal: templateRole(storeStep), action: 'dynamodb:Scan', resource: { logicalId: lid(customers.table) } }, 'ImplicitlyDenied');
    });

    test.each([
      ['DeadlineCheck', 'open-requests', 'tombstones'],
      ['Replay', 'tombstones', 'open-requests'],
    ])('%s may only Query its own sparse ledger index (Replay: and its own REPLAY#/TOMBSTONE# items), no other index, no store', async (fnName, own, other) => {
      const role = templateRole(lid((fnName === 'Replay' ? dsr.replayFunction : dsr.deadlineCheckFunction).role as any));
      const ledger = lid(dsr.ledgerTable.table);
      await sim.expectDecision({ principal: role, action: 'dynamodb:Query', resource: { logicalId: ledger, index: own } }, 'Allowed');
      await sim.expectDecision({ principal: role, action: 'dynamodb:Query', resource: { logicalId: ledger, index: other } }, 'ImplicitlyDenied');
      await sim.expectDecision({ principal: role, action: 'dynamodb:Query', resource: { logicalId: ledger, index: 'subject-index' } }, 'ImplicitlyDenied');
      for (const action of ['dynamodb:Query', 'dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
        const d = await sim.simulate({ principal: role, action, resource: { logicalId: ledger } });
        expect([action, d.result]).toEqual([action, expect.stringMatching(/Denied/)]);
      }
      const customers = stack.node.findChild('Customers') as PrivacyTable;
      await sim.expectDecision({ principal: role, action: 'dynamodb:Query', resource: { logicalId: lid(customers.table), index: 'subject-index' } }, 'ImplicitlyDenied');
      await sim.expectDecision({ principal: role, action: 'kms:GenerateMac', resource: { logicalId: lid(dsr.pseudonymizationKey) } }, 'ImplicitlyDenied');
      await sim.expectDecision({ principal: role, action: 'events:PutEvents', resource: { logicalId: lid(dsr.eventBus as any) } }, 'Allowed');
      if (fnName === 'DeadlineCheck') {
        // a request's status, recording time and execution counter only: never the identifier
        const get = (attributes: string[]) => sim.simulate({
          principal: role, action: 'dynamodb:GetItem', resource: { logicalId: ledger }, context: { 'dynamodb:Attributes': attributes, 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        });
        expect((await get(['pk', 'sk', 'status', 'recordedAt', 'executions'])).result).toBe('Allowed');
        expect((await get(['pk', 'sk', 'status', 'subject'])).result).toMatch(/Denied/);
        // ... and drains a pending completion event: the outbox only, without reading values back
        expect((await get(['pk', 'sk', 'outbox'])).result).toBe('Allowed');
        const update = (attributes: string[], returnValues: string) => sim.simulate({
          principal: role, action: 'dynamodb:UpdateItem', resource: { logicalId: ledger }, context: { 'dynamodb:Attributes': attributes, 'dynamodb:ReturnValues': returnValues },
        });
        expect((await update(['pk', 'sk', 'outbox', 'open'], 'NONE')).result).toBe('Allowed');
        expect((await update(['pk', 'sk', 'outbox', 'status'], 'NONE')).result).toMatch(/Denied/);
        expect((await update(['pk', 'sk', 'outbox', 'open'], 'ALL_OLD')).result).toMatch(/Denied/);
        expect((await get(['pk', 'sk', 'outbox', 'subject'])).result).toMatch(/Denied/);
      }
      if (fnName === 'Replay') {
        // its saved progress and the tombstones' flags: REPLAY# and TOMBSTONE# items only, never a request
        const keys = (k: string) => ({ 'dynamodb:LeadingKeys': [k] });
        for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem']) {
          await sim.expectDecision({ principal: role, action, resource: { logicalId: ledger }, context: keys('REPLAY#restore-1') }, 'Allowed');
          await sim.expectDecision({ principal: role, action, resource: { logicalId: ledger }, context: keys('REQUEST#r-1') }, 'ImplicitlyDenied');
        }
        await sim.expectDecision({ principal: role, action: 'dynamodb:BatchGetItem', resource: { logicalId: ledger }, context: keys('TOMBSTONE#acme') }, 'Allowed');
        await sim.expectDecision({ principal: role, action: 'dynamodb:DeleteItem', resource: { logicalId: ledger }, context: keys('REPLAY#restore-1') }, 'ImplicitlyDenied');
      }
    });

    test('only the Requests function and the deadline check (restarts) may start executions, of the request state machine only, with the key use Step Functions makes for it', async () => {
      const smArn = (name: string) => `arn:aws:states:us-east-1:111111111111:stateMachine:SDsrD4965E12-${name}`;
      const [intake, storeStep, finalize, deadline, replay, requests] = roles;
      await sim.expectDecision({ principal: templateRole(requests), action: 'states:StartExecution', resource: { logicalId: lid(dsr.stateMachine) }, resourcePolicy: null }, 'Allowed');
      await sim.expectDecision({ principal: templateRole(requests), action: 'states:StartExecution', resource: { logicalId: lid(dsr.replayStateMachine) }, resourcePolicy: null }, 'ImplicitlyDenied');
      for (const other of [intake, storeStep, finalize, replay]) {
        await sim.expectDecision({ principal: templateRole(other), action: 'states:StartExecution', resource: { logicalId: lid(dsr.stateMachine) }, resourcePolicy: null }, 'ImplicitlyDenied');
      }
      // the deadline check restarts a request whose execution never started (issue 14, finding 8)
      await sim.expectDecision({ principal: templateRole(deadline), action: 'states:StartExecution', resource: { logicalId: lid(dsr.stateMachine) }, resourcePolicy: null }, 'Allowed');
      await sim.expectDecision({ principal: templateRole(deadline), action: 'states:StartExecution', resource: { logicalId: lid(dsr.replayStateMachine) }, resourcePolicy: null }, 'ImplicitlyDenied');
      const key = { logicalId: lid(dsr.encryptionKey) };
      const via = (name: string) => ({ 'kms:ViaService': 'states.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:states:stateMachineArn': smArn(name) });
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        await sim.expectDecision({ principal: templateRole(requests), action, resource: key, context: via('Requests') }, 'Allowed');
      }
      // and it may record and read requests in the ledger, never delete them or read another table
      const ledger = { logicalId: lid(dsr.ledgerTable.table) };
      for (const action of ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']) await sim.expectDecision({ principal: templateRole(requests), action, resource: ledger }, 'Allowed');
      for (const action of ['dynamodb:DeleteItem', 'dynamodb:Scan', 'dynamodb:Query']) {
        const d = await sim.simulate({ principal: templateRole(requests), action, resource: ledger });
        expect([action, d.result]).toEqual([action, expect.stringMatching(/Denied/)]);
      }
      // Intake only reads the request and marks it in progress
      const d = await sim.simulate({ principal: templateRole(intake), action: 'dynamodb:PutItem', resource: ledger });
      expect(d.result).toMatch(/Denied/);
    });

    test('grantRequests lets a caller invoke the Requests function and nothing else of the workflow', async () => {
      const app = new App();
      const s2 = new Stack(app, 'S', { env: ENV });
      const wf = new DsrWorkflow(s2, 'Dsr', { stores: [new PrivacyTable(s2, 'Customers')] });
      const caller = new iam.Role(s2, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
      wf.grantRequests(caller);
      const sim2 = IamSimulator.fromStack(s2);
      const id = (c: { node: { defaultChild?: unknown } }) => s2.getLogicalId(c.node.defaultChild as any);
      const role = templateRole(id(caller));
      await sim2.expectDecision({ principal: role, action: 'lambda:InvokeFunction', resource: { logicalId: id(wf.requestsFunction) } }, 'Allowed');
      await sim2.expectDecision({ principal: role, action: 'lambda:InvokeFunction', resource: { logicalId: id(wf.intakeFunction) } }, 'ImplicitlyDenied');
      await sim2.expectDecision({ principal: role, action: 'states:StartExecution', resource: { logicalId: id(wf.stateMachine) }, resourcePolicy: null }, 'ImplicitlyDenied');
    });

    test('Finalize may list and abort the report uploads of earlier runs, and delete their parts; StoreStep may not abort uploads', async () => {
      const finalize = templateRole(lid(dsr.finalizeFunction.role as any));
      const exports = lid(dsr.exportBucket.bucket);
      const part = { logicalId: exports, objectKey: 'exports/p1/r-1/report.json' };
      await sim.expectDecision({ principal: finalize, action: 's3:ListBucketMultipartUploads', resource: { logicalId: exports } }, 'Allowed');
      await sim.expectDecision({ principal: finalize, action: 's3:AbortMultipartUpload', resource: part }, 'Allowed');
      await sim.expectDecision({ principal: finalize, action: 's3:DeleteObjectVersion', resource: { logicalId: exports, objectKey: 'exports/p1/r-1/parts/a1/000-x.ndjson' } }, 'Allowed');
      await sim.expectDecision({ principal: finalize, action: 's3:AbortMultipartUpload', resource: { logicalId: exports, objectKey: 'other/x' } }, 'ImplicitlyDenied');
      await sim.expectDecision({ principal: templateRole(lid(dsr.storeStepFunction.role as any)), action: 's3:AbortMultipartUpload', resource: part }, 'ImplicitlyDenied');
    });

    test('the replay state machine may invoke only the Replay and StoreStep functions', async () => {
      const role = templateRole(lid(dsr.replayStateMachine.role as any));
      for (const [f, expected] of [[dsr.replayFunction, 'Allowed'], [dsr.storeStepFunction, 'Allowed'], [dsr.intakeFunction, 'ImplicitlyDenied'], [dsr.finalizeFunction, 'ImplicitlyDenied']] as const) {
        await sim.expectDecision({ principal: role, action: 'lambda:InvokeFunction', resource: { logicalId: lid(f) } }, expected);
      }
    });
  });
});

describe('compliance kit + CcpaChecks', () => {
  let report: ComplianceReport;
  beforeAll(() => {
    const { stack } = scenario();
    new IsolatedAuditTrail(stack, 'Trail');
    report = runComplianceKit(stack); // the kit's default packs include CcpaChecks
  });

  test('GIVEN the workflow, its stores and a trail THEN there are zero unacknowledged errors and no acknowledgement that covers nothing', () => {
    expectCompliant(report);
    expect(report.unusedAcknowledgements.map((a) => `${a.id} @ ${a.path}`)).toEqual([]);
  });

  test('THEN the DSR rules of CcpaChecks evaluate the workflow and pass', () => {
    const dsrRules = report.findings.filter((f) => /Dsr/.test(f.ruleId));
    expect(dsrRules.filter((f) => f.level === 'error' && !f.acknowledgement)).toEqual([]);
  });

  test('THEN every acknowledgement of the workflow carries a reason', () => {
    const ours = report.acknowledgementsUsed.filter((a) => a.path.startsWith('S/Dsr'));
    expect(ours.length).toBeGreaterThan(0);
    for (const a of ours) expect(a.reason.length).toBeGreaterThan(60);
  });
});

describe('refused props', () => {
  /** A table that does not say how its items are deleted (a custom IPersonalDataStore could). */
  class TableWithoutKeys extends PrivacyTable {
    public describePersonalData() {
      return { ...super.describePersonalData(), tableKeyAttributes: undefined, subjectIndexName: '' };
    }
  }
  /** A bucket without a subject prefix template. */
  class BucketWithoutPrefix extends PersonalDataBucket {
    public describePersonalData() {
      return { ...super.describePersonalData(), subjectPrefixTemplate: undefined };
    }
  }
  const build = (props: (s: Stack) => any) => () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    return new DsrWorkflow(stack, 'Dsr', props(stack));
  };
  /** Refused with exactly these error codes, in this order, and a message holding each fragment. */
  const expectRefused = (fn: () => unknown, codes: string[], ...fragments: string[]) => {
    const thrown = validationProblemsOf(fn);
    expect(thrown.codes).toEqual(codes);
    for (const f of fragments) expect(thrown.message).toContain(f);
  };

  test('no stores', () => { expectRefused(build(() => ({ stores: [] })), ['DsrWorkflowStoresEmpty'], 'stores is empty', '1798.105'); });
  test('an exempt store', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T', { dsr: DsrCoverage.EXEMPT })] })), ['DsrWorkflowStoreNotCovered'], 'S/T is tagged privacy:dsr=exempt');
  });
  test('stores that do not say how a subject\'s records are found and deleted', () => {
    expectRefused(build((s) => ({ stores: [new TableWithoutKeys(s, 'T'), new BucketWithoutPrefix(s, 'B')] })),
      ['DsrWorkflowStoreLocatorMissing', 'DsrWorkflowStoreLocatorMissing'], 'S/T does not describe its subjectIndexName, tableKeyAttributes', 'S/B does not describe its subjectPrefixTemplate');
  });
  // issue 12, finding 1: whose records each store holds is decided at synth
  test('a pooled store whose locator has no {tenant} (one tenant\'s request would reach every tenant\'s records), and a pooled store naming a silo tenant', () => {
    class TenantlessPooledTable extends PrivacyTable {
      public describePersonalData() { return { ...super.describePersonalData(), subjectValueTemplate: '{subject}' }; }
    }
    class PooledWithOwner extends PersonalDataBucket {
      public describePersonalData() { return { ...super.describePersonalData(), siloTenant: 'acme' }; }
    }
    expectRefused(build((s) => ({ stores: [new TenantlessPooledTable(s, 'T', { tenancy: TenancyModel.POOLED }), new PooledWithOwner(s, 'B', { tenancy: TenancyModel.POOLED })] })),
      ['DsrWorkflowPooledStoreWithoutTenant', 'DsrWorkflowPooledStoreWithSiloTenant'],
      'S/T is pooled but its subject locator "{subject}" has no {tenant}', 'make it a SILO store with siloTenant', 'S/B is pooled and also names siloTenant "acme"');
  });
  test('a silo store whose declared tenant is not a tenant id (it would nest or match others)', () => {
    class NestedOwner extends PersonalDataBucket {
      public describePersonalData() { return { ...super.describePersonalData(), siloTenant: 'acme/eu' }; }
    }
    expectRefused(build((s) => ({ stores: [new NestedOwner(s, 'B')] })), ['DsrWorkflowSiloTenantInvalid'], 'S/B has siloTenant "acme/eu"');
  });
  test('audit retention under 24 months', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], auditRetention: Duration.days(365) })), ['DsrWorkflowAuditRetentionTooShort'], 'auditRetention 365 days', '11 CCR 7101');
  });
  test('export retention over 30 days, a link that outlives it, concurrency out of range: all at once', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], exportRetention: Duration.days(31), exportLinkExpiry: Duration.days(8), maxConcurrency: 0 })),
      ['DsrWorkflowExportRetentionInvalid', 'DsrWorkflowExportLinkExpiryInvalid', 'DsrWorkflowMaxConcurrencyInvalid'],
      '(1) [DsrWorkflowExportRetentionInvalid] exportRetention 31 days', 'exportLinkExpiry 691200 s', 'maxConcurrency 0');
  });
  test('a deadline window out of range or shorter than the check interval, an interval over a day', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], deadlineWarningWindow: Duration.days(31), deadlineCheckInterval: Duration.hours(36) })),
      ['DsrWorkflowDeadlineWarningWindowInvalid', 'DsrWorkflowDeadlineCheckIntervalInvalid'], 'deadlineWarningWindow 744 hours', 'deadlineCheckInterval 36 hours');
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], deadlineWarningWindow: Duration.hours(6), deadlineCheckInterval: Duration.hours(12) })),
      ['DsrWorkflowDeadlineWarningWindowTooShort'], 'deadlineWarningWindow 6 hours is shorter than deadlineCheckInterval 12 hours');
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], deadlineWarningWindow: Duration.minutes(90) })),
      ['DsrWorkflowDeadlineWarningWindowInvalid', 'DsrWorkflowDeadlineWarningWindowTooShort'], 'deadlineWarningWindow 1.5 hours');
  });
  test('GIVEN problems in stores, retention, deadlines, holidays and network THEN one error lists every one of them', () => {
    expectRefused(build((s) => ({
      stores: [new PrivacyTable(s, 'T', { dsr: DsrCoverage.EXEMPT })],
      auditRetention: Duration.days(30),
      deadlineWarningWindow: Duration.hours(6),
      deadlineCheckInterval: Duration.hours(36),
      holidays: ['2026-13-01'],
      network: new PrivateProcessingNetwork(s, 'Net', { s3PrefixListId: S3_PL, dynamoDbPrefixListId: DDB_PL, interfaceEndpointServices: [ec2.InterfaceVpcEndpointAwsService.STS] }),
    })), [
      'DsrWorkflowStoreNotCovered', 'DsrWorkflowAuditRetentionTooShort', 'DsrWorkflowDeadlineCheckIntervalInvalid',
      'DsrWorkflowDeadlineWarningWindowTooShort', 'DsrWorkflowHolidaysInvalid', 'DsrWorkflowNetworkEndpointsMissing',
    ]);
  });
  test('GIVEN one problem THEN the error is named after its code', () => {
    expect(() => build((s) => ({ stores: [new PrivacyTable(s, 'T')], maxConcurrency: 41 }))()).toThrow(expect.objectContaining({ name: 'DsrWorkflowMaxConcurrencyInvalid' }));
  });
  test('a configured deadline check: every 6 hours, warning 10 days ahead', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'T')], deadlineCheckInterval: Duration.hours(6), deadlineWarningWindow: Duration.days(10) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: [Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'RequestsAtDeadlineRisk' }), Period: 21_600 }) })] });
    expect(configFromTemplate(t.toJSON()).deadlineWarningSeconds).toBe(10 * 86_400);
  });
  test('holidays that are not real YYYY-MM-DD dates, or too many of them', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], holidays: ['2026-12-25', '2026-02-30', '12/31/2026'] })),
      ['DsrWorkflowHolidaysInvalid'], 'holidays ["2026-02-30","12/31/2026"]', '11 CCR 7021(a)');
    const many = Array.from({ length: 201 }, (_, i) => new Date(Date.UTC(2027, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], holidays: many })), ['DsrWorkflowHolidaysTooMany'], 'holidays has 201 dates; list at most 200');
  });
  test('holidays are given to the Requests function, sorted and without duplicates', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'T')], holidays: ['2026-12-25', '2026-11-26', '2026-12-25'] });
    const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(dsr.requestsFunction.node.defaultChild as any)];
    expect(fn.Properties.Environment.Variables.DSR_HOLIDAYS).toBe('2026-11-26,2026-12-25');
  });
  test('alarm actions are attached when given', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:111111111111:dsr-oncall' }) };
    new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'T')], alarmActions: [action] });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:us-east-1:111111111111:dsr-oncall'] }, 2);
  });
});
