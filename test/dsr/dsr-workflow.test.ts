import { App, Duration, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ComplianceReport, expectCompliant, runComplianceKit } from '../kit/compliance';
import { IamSimulator, templateRole } from '../kit/iam-sim';
import { definitionFromTemplate } from './local/asl';
import { configFromTemplate } from './local/environment';
import { DsrCoverage, DsrWorkflow, IsolatedAuditTrail, PersonalDataBucket, PrivacyTable } from '../../lib';
import { RETRIED_ERRORS } from '../../lib/dsr/private/definition';

const ENV = { account: '111111111111', region: 'us-east-1' };

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
    expect(asl.States.RecordFailure.Next).toBe('RequestFailed');
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
    expect(JSON.stringify(asl)).not.toContain('subject"');
  });

  test('THEN the functions run the newest Node.js runtime, traced, logging JSON to a 2-year encrypted log group', () => {
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' }, LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }) }, 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 731, KmsKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
  });

  test('THEN the audit table is append-only by resource policy and kept at least 731 days', () => {
    const audit = Object.values(template.findResources('AWS::DynamoDB::Table')).find((t: any) =>
      JSON.stringify(t.Properties.ResourcePolicy ?? {}).includes('AuditRecordsAreAppendOnly')) as any;
    expect(audit.Properties.ResourcePolicy.PolicyDocument.Statement).toContainEqual({
      Sid: 'AuditRecordsAreAppendOnly',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Resource: '*',
      Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
    });
    expect(audit.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(configFromTemplate(template.toJSON()).auditRetentionDays).toBe(731);
  });

  test('THEN the handlers are configured with every store: versioned bucket, table keys and subject index', () => {
    const config = configFromTemplate(template.toJSON());
    expect(config.stores).toEqual([
      { id: '0', path: 'S/Customers', kind: 'dynamodb-table', name: expect.any(String), indexName: 'subject-index', subjectAttribute: 'subjectId', valueTemplate: '{subject}', keyAttributes: ['pk', 'sk'] },
      { id: '1', path: 'S/Documents', kind: 's3-bucket', name: expect.any(String), prefixTemplate: 'subjects/{subject}/', versioned: true },
    ]);
    expect(config.exportLinkSeconds).toBe(3600);
  });

  test('THEN an alarm fires on any failed, timed-out or aborted execution', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'failed + timedOut + aborted' })]),
    });
  });

  test('THEN the stores are DSR-exempt records of the workflow, registered as such', () => {
    for (const t of [dsr.ledgerTable, dsr.auditTable]) expect(t.describePersonalData().dsrCoverage).toBe(DsrCoverage.EXEMPT);
    expect(dsr.exportBucket.describePersonalData().dsrCoverage).toBe(DsrCoverage.EXEMPT);
  });

  describe('IAM simulation', () => {
    const sim = IamSimulator.fromStack(stack);
    const lid = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
    const roles = [dsr.intakeFunction, dsr.storeStepFunction, dsr.finalizeFunction].map((f) => lid(f.role as any));

    test.each(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])('no handler role may %s an audit record', async (action) => {
      for (const role of roles) {
        const d = await sim.simulate({ principal: templateRole(role), action, resource: { logicalId: lid(dsr.auditTable.table) } });
        expect([role, d.result]).toEqual([role, expect.stringMatching(/Denied/)]);
      }
    });

    test('every handler role may append an audit record', async () => {
      for (const role of roles) {
        await sim.expectDecision({ principal: templateRole(role), action: 'dynamodb:PutItem', resource: { logicalId: lid(dsr.auditTable.table) } }, 'Allowed');
      }
    });

    test('only Intake may compute pseudonyms; only StoreStep may reach the stores', async () => {
      const [intake, storeStep, finalize] = roles;
      await sim.expectDecision({ principal: templateRole(intake), action: 'kms:GenerateMac', resource: { logicalId: lid(dsr.pseudonymizationKey) } }, 'Allowed');
      await sim.expectDecision({ principal: templateRole(finalize), action: 'kms:GenerateMac', resource: { logicalId: lid(dsr.pseudonymizationKey) } }, 'ImplicitlyDenied');
      const customers = stack.node.findChild('Customers') as PrivacyTable;
      await sim.expectDecision({ principal: templateRole(storeStep), action: 'dynamodb:BatchWriteItem', resource: { logicalId: lid(customers.table) } }, 'Allowed');
      await sim.expectDecision({ principal: templateRole(finalize), action: 'dynamodb:BatchWriteItem', resource: { logicalId: lid(customers.table) } }, 'ImplicitlyDenied');
      await sim.expectDecision({ principal: templateRole(storeStep), action: 'dynamodb:Scan', resource: { logicalId: lid(customers.table) } }, 'ImplicitlyDenied');
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

  test('GIVEN the workflow, its stores and a trail THEN there are zero unacknowledged errors', () => {
    expectCompliant(report);
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
  const build = (props: (s: Stack) => any) => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    return () => new DsrWorkflow(stack, 'Dsr', props(stack));
  };
  const expectRefused = (fn: () => unknown, ...fragments: string[]) => {
    let error: unknown;
    try { fn(); } catch (e) { error = e; }
    expect(Errors.isValidationError(error)).toBe(true);
    for (const f of fragments) expect((error as Error).message).toContain(f);
  };

  test('no stores', () => { expectRefused(build(() => ({ stores: [] })), 'stores is empty', '1798.105'); });
  test('an exempt store', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T', { dsr: DsrCoverage.EXEMPT })] })), 'S/T is tagged privacy:dsr=exempt');
  });
  test('audit retention under 24 months', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], auditRetention: Duration.days(365) })), 'auditRetention 365 days', '11 CCR 7101');
  });
  test('export retention over 30 days, a link that outlives it, concurrency out of range: all at once', () => {
    expectRefused(build((s) => ({ stores: [new PrivacyTable(s, 'T')], exportRetention: Duration.days(31), exportLinkExpiry: Duration.days(8), maxConcurrency: 0 })),
      '(1) exportRetention 31 days', 'exportLinkExpiry 691200 s', 'maxConcurrency 0');
  });
  test('alarm actions are attached when given', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:111111111111:dsr-oncall' }) };
    new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'T')], alarmActions: [action] });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:us-east-1:111111111111:dsr-oncall'] });
  });
});
