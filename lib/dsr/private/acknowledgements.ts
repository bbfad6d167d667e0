import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { hasReservedConcurrency } from './concurrency';
import { HANDLER_INVOCATIONS, Invocation, WorkflowHandlers } from './handlers';
import { networkInterfacesArn } from './network';
import { WorkflowStateMachines } from './state-machines';
import { acknowledgeAll, defaultPolicyOf, HIPAA_NIST_PACKS, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../../private/acknowledgements';
import { flattenForNag } from '../../private/nag-ids';
import { PersonalDataBucket } from '../../storage/personal-data-bucket';
import { PersonalDataStoreDescription, PersonalDataStoreKind } from '../../storage/personal-data-store';
import { placeholdersToWildcards } from '../../storage/subject-key-layout';

const INVOKED_BY: Record<Invocation, string> = {
  [Invocation.STATE_MACHINE]: 'It is invoked synchronously by a DsrWorkflow state machine only, which retries it with backoff and jitter and catches every failure into a recorded failed state, an EventBridge event and an alarm',
  [Invocation.CALLER]: 'It is invoked synchronously by its callers only (DsrApi, or a principal given grantRequests), who see every failure and submit again with the same requestId, which is idempotent',
  [Invocation.SCHEDULE]: 'It is invoked by an EventBridge schedule only (Lambda retries a failed run twice); it reads and warns without changing state, the next scheduled run repeats the whole check, and a run that fails reports no metric, which the deadline alarm treats as breaching',
};

/** Why a function outside a VPC is fine. */
const OUTSIDE_VPC_REASON = 'The function calls only AWS APIs (DynamoDB, S3, KMS, EventBridge) over TLS with IAM-authenticated, ABAC-scoped credentials; it has no network-facing endpoint and reaches no VPC resource';

/** Why an alarm without actions is fine. */
export const NO_ALARM_ACTIONS_REASON = 'No alarmActions were given: the alarm state is the signal (dashboards, EventBridge "CloudWatch Alarm State Change" rules); pass alarmActions or call addAlarmAction() on the alarm to page someone.';

/** The findings a DSR handler answers by design, acknowledged on its own L1 with the reason. */
export function acknowledgeHandler(f: lambda.Function, invocation: Invocation, inVpc: boolean): void {
  const cfn = f.node.defaultChild!;
  const invokedBy = INVOKED_BY[invocation];
  const dlq = invocation === Invocation.SCHEDULE
    ? `${invokedBy}; a dead-letter queue would hold only a scheduled tick, which the next run replaces.`
    : `${invokedBy}; a dead-letter queue only serves asynchronous invocations.`;
  const concurrency = {
    [Invocation.SCHEDULE]: `${invokedBy}; one run per interval, so reserving concurrency would only take it from the account's unreserved pool.`,
    [Invocation.CALLER]: `${invokedBy}; DsrApi throttles its callers (stage and method limits, a WAF rate rule), and reserving concurrency would take it from the account's unreserved pool.`,
    [Invocation.STATE_MACHINE]: `${invokedBy}; its concurrency is bounded by the Map state's maxConcurrency per request, and reserving concurrency would take it from the account's unreserved pool.`,
  }[invocation];
  // PCI DSS 3.2.1 has no LambdaDLQ or LambdaConcurrency rule: only HIPAA and NIST 800-53 R5 do
  acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaDLQ'), dlq);
  if (!inVpc) {
    acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'LambdaInsideVPC'),
      `${OUTSIDE_VPC_REASON}. Attach it to a VPC with endpoints (the network prop) if your network policy requires it.`);
  }
  // with reservedConcurrency the finding does not arise: nothing to acknowledge
  if (!hasReservedConcurrency(f)) acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaConcurrency'), concurrency);
  if (invocation === Invocation.CALLER) {
    acknowledgeAll(cfn, ['CCPA-LambdaDsrFailureDestination'],
      `${invokedBy}: its answer is the request's recorded status, so a failure is the caller's error response, never a silent drop (the deadline check also reports every recorded request that nears its deadline). An on-failure destination or dead-letter queue would copy the submitted request, raw subject identifier included, out of the encrypted ledger into another store.`);
  }
}

/** The findings on each DSR handler, by how it is invoked. */
export function acknowledgeHandlers(handlers: WorkflowHandlers, inVpc: boolean): void {
  for (const [name, f] of Object.entries(handlers) as Array<[keyof WorkflowHandlers, lambda.Function]>) {
    acknowledgeHandler(f, HANDLER_INVOCATIONS[name], inVpc);
  }
}

/** An alarm without actions (HIPAA and NIST ask for one). */
export function acknowledgeAlarmWithoutActions(alarm: cloudwatch.Alarm): void {
  acknowledgeAll(alarm.node.defaultChild!, packRuleIds(HIPAA_NIST_PACKS, 'CloudWatchAlarmAction'), NO_ALARM_ACTIONS_REASON);
}

export const INLINE_REASON = 'This policy belongs to exactly one role of the DsrWorkflow and is created and deleted with it; as a customer managed policy it could be attached to other principals, widening access to personal data. Its statements are reviewed in the construct\'s tests (IAM simulation).';
export const XRAY_REASON = 'X-Ray PutTraceSegments and PutTelemetryRecords (tracing, which the DSR rules require) and CloudWatch Logs delivery actions have no resource-level permissions; they carry no data access.';

export interface PolicyAcknowledgementProps {
  readonly handlers: WorkflowHandlers;
  readonly machines: WorkflowStateMachines;
  readonly exportBucket: PersonalDataBucket;
  /** The audit records bucket (every handler appends under `records/`). */
  readonly auditBucket?: PersonalDataBucket;
  readonly stores: PersonalDataStoreDescription[];
  readonly inVpc: boolean;
}

/**
 * Acknowledge, with reasons, the findings on the workflow's role policies that are by design:
 * inline policies (one role each), `*` for X-Ray and CloudWatch Logs delivery (no resource-level
 * permissions), Lambda ARN `:*` (versions of the workflow's own functions), and the subject-prefix
 * wildcards of the stores' DSR grants (`{tenant}`/`{subject}` placeholders: one statement for every subject).
 */
export function acknowledgePolicies(scope: IConstruct, props: PolicyAcknowledgementProps): void {
  const stack = Stack.of(scope);
  const name = (v: string) => flattenForNag(stack.resolve(v));
  const h = props.handlers;
  const bucketWildcards = props.stores.filter((d) => d.kind === PersonalDataStoreKind.S3_BUCKET)
    .map((d) => `${name(d.arn)}/${placeholdersToWildcards(d.subjectPrefixTemplate!)}*`);
  const exportsWildcard = `${name(props.exportBucket.bucket.bucketArn)}/exports/*/*`;
  const fnStar = props.inVpc
    ? `${XRAY_REASON} In the network, so do ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets, which Lambda needs to attach the function.`
    : XRAY_REASON;
  const interfaces = networkInterfacesArn(stack);
  for (const f of Object.values(h)) {
    acknowledgePolicy(f.role!, (policy) => {
      acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'), INLINE_REASON);
      acknowledgeAll(policy, [iam5('*')], fnStar);
      if (props.auditBucket) {
        acknowledgeAll(policy, [iam5(`${name(props.auditBucket.bucket.bucketArn)}/records/*`)],
          'Each audit record is a new object under records/<request>/<time>#<random id>: s3:PutObject only, which the bucket policy allows only with If-None-Match: * (no overwrite); no read, no delete.');
      }
      if (props.inVpc) {
        acknowledgeAll(policy, [iam5(interfaces)], 'Lambda creates and deletes the function\'s network interfaces and names no interface id in advance; creating one is allowed only in the network\'s isolated subnets with its handler security group (same statement), and these are the actions of AWSLambdaVPCAccessExecutionRole, inline and scoped.');
      }
    });
  }
  acknowledgePolicy(h.storeStep.role!, (policy) => acknowledgeAll(policy, [...bucketWildcards, exportsWildcard].map(iam5),
    'The wildcards stand for the {tenant} and {subject} placeholders of the store\'s subject prefix template: the workflow serves every data subject, and the handlers address exactly one subject\'s prefix per request.'));
  acknowledgePolicy(h.finalize.role!, (policy) => acknowledgeAll(policy, [iam5(exportsWildcard)],
    'Access reports are written under exports/<pseudonym>/<requestId>/: the wildcards stand for one subject\'s pseudonym and request.'));
  const invoked: Array<[sfn.StateMachine, lambda.Function[]]> = [
    [props.machines.stateMachine, [h.intake, h.storeStep, h.finalize]],
    [props.machines.replayStateMachine, [h.replay, h.storeStep]],
  ];
  for (const [machine, machineFns] of invoked) {
    acknowledgePolicy(machine.role, (policy) => {
      acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'), INLINE_REASON);
      acknowledgeAll(policy, [iam5('*')], XRAY_REASON);
      acknowledgeAll(policy, machineFns.map((f) => iam5(`${name(f.functionArn)}:*`)),
        'lambda:InvokeFunction on the versions and aliases of the workflow\'s own function (CDK grants the function ARN and its qualifiers).');
    });
  }
}

/** The cdk-nag AwsSolutions-IAM5 finding id of one wildcard resource. */
export function iam5(resource: string): string {
  return `AwsSolutions-IAM5[Resource::${resource}]`;
}

/** Acknowledge on a role's default policy; a role without one has no finding to answer. */
export function acknowledgePolicy(role: iam.IRole, acknowledge: (policy: IConstruct) => void): void {
  const policy = defaultPolicyOf(role);
  if (policy) acknowledge(policy);
}
