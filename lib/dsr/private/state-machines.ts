import { ArnFormat, Duration, Names, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { buildDefinition, buildReplayDefinition } from './definition';
import { WorkflowHandlers } from './handlers';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { PrivacyKey } from '../../encryption/privacy-key';

/** How long Step Functions reuses a data key of the PrivacyKey (60 to 900 s; the service default). */
const DATA_KEY_REUSE_SECONDS = 300;

/**
 * The names of the workflow's two state machines, fixed at synth so that the key policy, the roles
 * and the Requests function can name their ARNs without a dependency cycle.
 */
export interface StateMachineNames {
  readonly requests: string;
  readonly replay: string;
}

export function stateMachineNames(scope: Construct): StateMachineNames {
  const name = (suffix: string) => `${Names.uniqueResourceName(scope, { maxLength: 72 })}-${suffix}`;
  return { requests: name('Requests'), replay: name('Replay') };
}

/** The ARN of the state machine `name` in the scope's stack, named at synth: no reference to the resource. */
export function namedArnOf(scope: IConstruct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

export interface StateMachineProps {
  readonly names: StateMachineNames;
  readonly handlers: WorkflowHandlers;
  readonly maxConcurrency: number;
  readonly logGroup: logs.ILogGroup;
  readonly encryptionKey: PrivacyKey;
  /** The Recipients function, when the workflow has recipients. */
  readonly recipients?: lambda.IFunction;
  /** The longest acknowledgement timeout of the recipients: an execution may wait that long for them. */
  readonly recipientWait?: Duration;
}

export interface WorkflowStateMachines {
  readonly stateMachine: sfn.StateMachine;
  readonly replayStateMachine: sfn.StateMachine;
}

/**
 * Create the request and replay state machines in `scope` (Standard, logged without execution
 * data, traced, encrypted with the workflow's key), and let the Requests function start the first.
 */
export function createStateMachines(scope: Construct, props: StateMachineProps): WorkflowStateMachines {
  const h = props.handlers;
  // the props in this order: aws-cdk-lib records them, in order, in the construct's analytics metadata
  const common = {
    logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    tracingEnabled: true,
    timeout: props.recipientWait ? Duration.hours(25).plus(props.recipientWait) : Duration.hours(24),
  };
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: props.names.requests,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(buildDefinition(new Construct(scope, 'States'), {
      intake: h.intake, storeStep: h.storeStep, finalize: h.finalize, recipients: props.recipients,
    }, props.maxConcurrency)),
    comment: 'cdk-ccpa DsrWorkflow: ACCESS, DELETE, CORRECT, OPT_OUT, LIMIT over every registered personal data store',
    ...common,
  });
  const replayStateMachine = new sfn.StateMachine(scope, 'ReplayStateMachine', {
    stateMachineName: props.names.replay,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(buildReplayDefinition(new Construct(scope, 'ReplayStates'), {
      replay: h.replay, storeStep: h.storeStep,
    }, props.maxConcurrency, namedArnOf(scope, props.names.replay))),
    comment: 'cdk-ccpa DsrWorkflow: re-apply deletion tombstones after a restore from backup or PITR (11 CCR 7022(d))',
    ...common,
  });
  for (const machine of [stateMachine, replayStateMachine]) {
    Tags.of(machine).add(PrivacyTagKeys.WORKFLOW, PrivacyTagKeys.WORKFLOW_DSR, { includeResourceTypes: ['AWS::StepFunctions::StateMachine', 'AWS::IAM::Role'] });
    encryptWithKey(machine, props.encryptionKey);
  }
  // the Requests function starts executions: StartExecution, and the KMS calls Step Functions makes
  // with its credentials for that (the state machine is encrypted with the workflow's key)
  stateMachine.grantStartExecution(h.requests);
  props.encryptionKey.grantViaStepFunctions(h.requests, namedArnOf(scope, props.names.requests), 'kms:Decrypt', 'kms:GenerateDataKey');
  // the deadline check restarts a request whose execution never started (same name and input: idempotent)
  stateMachine.grantStartExecution(h.deadlineCheck);
  props.encryptionKey.grantViaStepFunctions(h.deadlineCheck, namedArnOf(scope, props.names.requests), 'kms:Decrypt', 'kms:GenerateDataKey');
  return { stateMachine, replayStateMachine };
}

/**
 * Encrypt a state machine's definition and execution history with the workflow's PrivacyKey. Set
 * on the L1, not through the L2's `encryptionConfiguration`: aws-cdk-lib 2.258 would add a
 * key-policy statement letting `delivery.logs.amazonaws.com` call `kms:Decrypt*` without any
 * condition. The role (tagged `privacy:workflow=dsr`, which the key policy accepts) gets what the
 * Step Functions guide lists for an execution role, each limited by its encryption context.
 */
function encryptWithKey(machine: sfn.StateMachine, key: PrivacyKey): void {
  const cfn = machine.node.defaultChild as sfn.CfnStateMachine;
  const arn = namedArnOf(machine, cfn.stateMachineName!);
  cfn.encryptionConfiguration = {
    type: 'CUSTOMER_MANAGED_KMS_KEY',
    kmsKeyId: key.keyArn,
    kmsDataKeyReusePeriodSeconds: DATA_KEY_REUSE_SECONDS,
  };
  machine.addToRolePolicy(new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': arn } },
  }));
  // log events with execution metadata, encrypted for CloudWatch Logs delivery
  machine.addToRolePolicy(new iam.PolicyStatement({
    actions: ['kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { ArnLike: { 'kms:EncryptionContext:SourceArn': Stack.of(machine).formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) } },
  }));
  key.allowStepFunctions(arn);
}
