import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WorkflowStateMachines } from './state-machines';
import { PrivacyClassification } from '../../classification/privacy-classification';
import { DataClassification } from '../../classification/privacy-tag-keys';
import { acknowledgeAll } from '../../private/acknowledgements';
import { CFN_GUARD_PLUGIN, expectExemption } from '../../private/expected-exemptions';
import { DEADLINE_CHECK_LOG_MESSAGE } from '../handlers/shared/config';

/** The namespace of the workflow's metrics. */
const METRIC_NAMESPACE = 'cdk-ccpa/DSR';

export interface AlarmProps {
  readonly machines: WorkflowStateMachines;
  readonly deadlineCheckFunction: lambda.Function;
  readonly eventBus: events.IEventBus;
  readonly auditLogGroup: logs.ILogGroup;
  /** The workflow's unique name, the dimension of its metrics. */
  readonly workflow: string;
  readonly deadlineWarningWindow: Duration;
  readonly deadlineCheckInterval: Duration;
  readonly alarmActions: cloudwatch.IAlarmAction[];
}

export interface WorkflowAlarms {
  readonly failureAlarm: cloudwatch.Alarm;
  readonly deadlineAlarm: cloudwatch.Alarm;
}

/**
 * Create in `scope` the failure alarm (any failed, timed-out or aborted execution of either state
 * machine) and the deadline check: its schedule, the metric its summary log line feeds, the alarm.
 */
export function createAlarms(scope: Construct, props: AlarmProps): WorkflowAlarms {
  const { stateMachine: sm, replayStateMachine: replay } = props.machines;
  const failures = new cloudwatch.MathExpression({
    expression: 'failed + timedOut + aborted + replayFailed + replayTimedOut + replayAborted',
    usingMetrics: {
      failed: sm.metricFailed({ statistic: 'Sum' }),
      timedOut: sm.metricTimedOut({ statistic: 'Sum' }),
      aborted: sm.metricAborted({ statistic: 'Sum' }),
      replayFailed: replay.metricFailed({ statistic: 'Sum' }),
      replayTimedOut: replay.metricTimedOut({ statistic: 'Sum' }),
      replayAborted: replay.metricAborted({ statistic: 'Sum' }),
    },
    period: Duration.minutes(5),
    label: 'DSR executions failed, timed out or aborted',
  });
  const failureAlarm = failures.createAlarm(scope, 'FailureAlarm', {
    alarmDescription: 'A data subject request failed, timed out or was aborted: it is recorded in the audit table; fix the cause and re-run it with the same requestId before its deadline (45 days, Cal. Civ. Code 1798.130(a)(2)).',
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const deadlineAlarm = createDeadlineCheck(scope, props);
  for (const alarm of [failureAlarm, deadlineAlarm]) {
    for (const action of props.alarmActions) alarm.addAlarmAction(action);
  }
  return { failureAlarm, deadlineAlarm };
}

/**
 * The deadline check: scheduled, one summary log line per run -> metric -> alarm. A run that fails
 * after Lambda's own retries is announced on the workflow's bus (the scheduled event carries no
 * personal data), besides the alarm's missing datapoint.
 */
function createDeadlineCheck(scope: Construct, props: AlarmProps): cloudwatch.Alarm {
  const interval = props.deadlineCheckInterval;
  props.deadlineCheckFunction.configureAsyncInvoke({
    onFailure: new destinations.EventBridgeDestination(props.eventBus),
    retryAttempts: 2,
    maxEventAge: Duration.hours(1),
  });
  new events.Rule(scope, 'DeadlineCheckSchedule', {
    description: `cdk-ccpa DsrWorkflow: check open requests against their deadlines every ${interval.toHumanString()}`,
    schedule: events.Schedule.rate(interval),
    targets: [new targets.LambdaFunction(props.deadlineCheckFunction, {
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: createScheduleDeadLetterQueue(scope),
    })],
  });
  new logs.MetricFilter(scope, 'DeadlineRiskMetricFilter', {
    logGroup: props.auditLogGroup,
    filterPattern: logs.FilterPattern.stringValue('$.message', '=', DEADLINE_CHECK_LOG_MESSAGE),
    metricNamespace: METRIC_NAMESPACE,
    metricName: 'RequestsAtDeadlineRisk',
    metricValue: '$.atRisk',
    dimensions: { Workflow: '$.workflow' },
  });
  const atRisk = new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: 'RequestsAtDeadlineRisk',
    dimensionsMap: { Workflow: props.workflow },
    statistic: 'Maximum',
    period: interval,
    label: 'Open DSRs within the warning window of a deadline, or past it',
  });
  return atRisk.createAlarm(scope, 'DeadlineAlarm', {
    alarmDescription: `An open data subject request is within ${props.deadlineWarningWindow.toHumanString()} of its confirmation (10 business days) or response deadline (45 days, 90 with the extension; 15 business days to honor an opt-out or limit), or past it (Cal. Civ. Code 1798.130(a)(2), 11 CCR 7021, 7026, 7027): see the "DSR Deadline Approaching/Passed" events and the DeadlineCheck audit records. Also fires when the deadline check did not report (missing data).`,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    // a check that stops running (errors, a disabled schedule) must not look like "no request at risk"
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
}

/**
 * The dead-letter queue of the deadline schedule's target: a tick EventBridge could not hand to
 * Lambda (a missing permission, a deleted function) lands here instead of being dropped. It holds
 * scheduled events only (time and rule ARN, no request), so it is non-personal and SQS-encrypted.
 */
function createScheduleDeadLetterQueue(scope: Construct): sqs.Queue {
  const queue = new sqs.Queue(scope, 'DeadlineCheckScheduleDlq', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // a dead-letter queue of EventBridge only: no source queue may redrive into it
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
  });
  PrivacyClassification.apply(queue, { classification: DataClassification.NON_PERSONAL });
  acknowledgeAll(queue.node.defaultChild!, ['AwsSolutions-SQS3'],
    'It is itself a dead-letter queue: that of the DsrWorkflow deadline schedule\'s EventBridge target (a queue in front of it would only move the question).');
  expectExemption(queue, CFN_GUARD_PLUGIN, 'sqs_dlq_check',
    'It is the dead-letter queue of the DsrWorkflow deadline schedule\'s EventBridge target; no SQS queue may redrive into it (RedriveAllowPolicy denyAll), so neither a RedrivePolicy nor a redrive permission for other queues applies.');
  return queue;
}
