import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { recipientsChain } from './recipients-definition';

/** The functions the definition invokes. */
export interface DefinitionFunctions {
  readonly intake: lambda.IFunction;
  readonly storeStep: lambda.IFunction;
  readonly finalize: lambda.IFunction;
  /** The Recipients function, when the workflow has recipients: notices after Finalize, COMPLETED once each acknowledged. */
  readonly recipients?: lambda.IFunction;
}

/**
 * Errors retried on every task, with exponential backoff (2 s, x2, at most 60 s) and full jitter:
 * Lambda service and throttling errors, runtime crashes and timeouts, the AWS throttling and 5xx
 * errors a handler lets through once the SDK's own retries are spent, and DsrRetryableError
 * (BatchWriteItem UnprocessedItems or S3 DeleteObjects errors still left). Every handler is
 * idempotent, so a retry after a crash mid-way repeats no completed effect.
 */
export const RETRIED_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Runtime.ExitError',
  'Sandbox.Timedout',
  'States.Timeout',
  'DsrRetryableError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalError',
];

/** The retry policy of every task. */
export const TASK_RETRY: sfn.RetryProps = {
  errors: RETRIED_ERRORS,
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.seconds(60),
  jitterStrategy: sfn.JitterType.FULL,
};

/** State names (tests bind local handlers to them). */
export const StateNames = {
  CHECK_INPUT: 'CheckInput',
  REJECT: 'RejectInputNotSubmitted',
  INTAKE: 'Intake',
  ALREADY_COMPLETED: 'AlreadyCompleted?',
  DONE_BEFORE: 'CompletedBefore',
  FOR_EACH_STORE: 'ForEachStore',
  STORE_STEP: 'StoreStep',
  STORE_DONE: 'StoreDone?',
  VERIFY_WAIT: 'StoreVerifyWait',
  STORE_FINISHED: 'StoreFinished',
  RECORD_STORE_FAILURE: 'RecordStoreFailure',
  FINALIZE: 'Finalize',
  COMPLETED: 'Completed',
  RECORD_FAILURE: 'RecordFailure',
  FAILURE_RECORDED: 'FailureRecorded?',
  COMPLETED_EVENT_PENDING: 'CompletedEventPending',
  FAILED: 'RequestFailed',
  NOT_RECORDED: 'FailureNotRecorded',
} as const;

/** Creates a Lambda task of the definition. */
export type Invoke = (id: string, fn: lambda.IFunction, payload?: Record<string, unknown>) => tasks.LambdaInvoke;

/** Lambda tasks with the shared retry (TASK_RETRY covers Lambda's service errors, with jitter). */
function invoker(scope: Construct): Invoke {
  return (id, fn, payload) => {
    const t = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false, // TASK_RETRY covers the Lambda service errors, with jitter
      ...(payload ? { payload: sfn.TaskInput.fromObject(payload) } : {}),
    });
    t.addRetry(TASK_RETRY);
    return t;
  };
}

/**
 * One store of one request: StoreStep until it reports `done` (waiting `waitSeconds` between
 * invocations when it asks to); a failure is caught (into
 * `$.error`) and recorded by StoreStep itself with `failurePayload`, and the store finishes.
 * Returns the loop's first state.
 */
function storeStepLoop(
  scope: Construct,
  invoke: Invoke,
  storeStepFn: lambda.IFunction,
  names: {
    readonly STORE_STEP: string;
    readonly RECORD_STORE_FAILURE: string;
    readonly STORE_DONE: string;
    readonly VERIFY_WAIT: string;
    readonly STORE_FINISHED: string;
  },
  failurePayload: Record<string, unknown>,
): tasks.LambdaInvoke {
  const storeFinished = new sfn.Succeed(scope, names.STORE_FINISHED);
  const storeStep = invoke(names.STORE_STEP, storeStepFn);
  const recordStoreFailure = invoke(names.RECORD_STORE_FAILURE, storeStepFn, failurePayload);
  storeStep.addCatch(recordStoreFailure, { resultPath: '$.error' });
  recordStoreFailure.next(storeFinished);
  // deletion verification waits between its re-discoveries (StoreStep sets `waitSeconds`): a Wait
  // state, so no Lambda sleeps through the index lag
  const verifyWait = new sfn.Wait(scope, names.VERIFY_WAIT, { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
  verifyWait.next(storeStep);
  storeStep.next(new sfn.Choice(scope, names.STORE_DONE)
    .when(sfn.Condition.booleanEquals('$.done', true), storeFinished)
    .when(sfn.Condition.isPresent('$.waitSeconds'), verifyWait)
    .otherwise(storeStep));
  return storeStep;
}

/**
 * The DsrWorkflow state machine, in JSONPath (so that aws-local-stepfunctions executes all of its
 * logic in the tests). Its input is `{ requestId }` (the Requests function recorded the request in
 * the ledger); after Intake the payload is the request id, type, tenant, pseudonym and store ids:
 * the raw identifier is in no execution's input, state or output.
 *
 * CheckInput -> Intake -> AlreadyCompleted? -> ForEachStore (Map: StoreStep loop until done;
 * a failure is caught and recorded per store) -> Finalize -> Completed.
 * Every task retries (TASK_RETRY) and catches States.ALL into RecordFailure -> RequestFailed.
 */
export function buildDefinition(scope: Construct, fns: DefinitionFunctions, maxConcurrency: number): sfn.IChainable {
  const invoke = invoker(scope);

  const failed = new sfn.Fail(scope, StateNames.FAILED, { error: 'DsrRequestFailed', cause: 'The request failed; the failure is in the audit table and was published as a "DSR Request Failed" event. Re-run it with the same requestId.' });
  const notRecorded = new sfn.Fail(scope, StateNames.NOT_RECORDED, { error: 'DsrFailureNotRecorded', cause: 'The request failed and recording the failure failed too; the ExecutionsFailed alarm reports it.' });
  const recordFailure = invoke(StateNames.RECORD_FAILURE, fns.finalize, {
    'outcome': 'FAILED',
    'requestId.$': '$.requestId',
    'error.$': '$.error',
  });
  recordFailure.addCatch(notRecorded, { resultPath: '$.recordError' });
  // a request that completed with only its completion event pending (the outbox) ends completed
  recordFailure.next(new sfn.Choice(scope, StateNames.FAILURE_RECORDED)
    .when(sfn.Condition.stringEquals('$.status', 'COMPLETED'), new sfn.Succeed(scope, StateNames.COMPLETED_EVENT_PENDING))
    .otherwise(failed));
  const catchAll = { resultPath: '$.error' };

  // Intake
  const intake = invoke(StateNames.INTAKE, fns.intake);
  intake.addCatch(recordFailure, catchAll);

  // one store: StoreStep until done; failures are recorded and reported to Finalize
  const storeStep = storeStepLoop(scope, invoke, fns.storeStep, StateNames, {
    'requestId.$': '$.requestId',
    'type.$': '$.type',
    'tenant.$': '$.tenant',
    'pseudonym.$': '$.pseudonym',
    'store.$': '$.store',
    'phase.$': '$.phase',
    'failed': true,
    'error.$': '$.error',
  });

  const forEachStore = new sfn.Map(scope, StateNames.FOR_EACH_STORE, {
    itemsPath: '$.stores',
    itemSelector: {
      'requestId.$': '$.requestId',
      'type.$': '$.type',
      'tenant.$': '$.tenant',
      'pseudonym.$': '$.pseudonym',
      'store.$': '$$.Map.Item.Value',
      'phase': 'START',
    },
    maxConcurrency,
    resultPath: '$.storeResults',
  });
  forEachStore.itemProcessor(storeStep);
  forEachStore.addCatch(recordFailure, catchAll);

  const finalize = invoke(StateNames.FINALIZE, fns.finalize, {
    'outcome': 'COMPLETE',
    'requestId.$': '$.requestId',
    'storeResults.$': '$.storeResults',
  });
  // a failed store is already recorded by Finalize itself, which then throws DsrRequestFailed
  finalize.addCatch(failed, { errors: ['DsrRequestFailed'], resultPath: '$.error' });
  finalize.addCatch(recordFailure, catchAll);
  const completed = new sfn.Succeed(scope, StateNames.COMPLETED);
  finalize.next(fns.recipients ? recipientsChain(scope, invoke, fns.recipients, completed) : completed);

  const alreadyCompleted = new sfn.Choice(scope, StateNames.ALREADY_COMPLETED)
    .when(sfn.Condition.booleanEquals('$.alreadyCompleted', true), new sfn.Succeed(scope, StateNames.DONE_BEFORE))
    .otherwise(forEachStore.next(finalize));

  // the input is { requestId } of a request the Requests function recorded; an input with the
  // subject or corrections was not submitted through it and is refused before any task sees it
  return new sfn.Choice(scope, StateNames.CHECK_INPUT)
    .when(sfn.Condition.and(
      sfn.Condition.isPresent('$.requestId'), sfn.Condition.isString('$.requestId'),
      sfn.Condition.not(sfn.Condition.isPresent('$.subject')), sfn.Condition.not(sfn.Condition.isPresent('$.corrections')),
    ), intake.next(alreadyCompleted))
    .otherwise(new sfn.Fail(scope, StateNames.REJECT, {
      error: 'DsrInvalidRequest',
      cause: 'The execution input must be { "requestId" } of a request submitted through the DsrWorkflow\'s Requests function (never the subject or corrections); nothing was recorded.',
    }));
}

/** The functions the replay definition invokes. */
export interface ReplayDefinitionFunctions {
  readonly replay: lambda.IFunction;
  readonly storeStep: lambda.IFunction;
}

/** State names of the replay state machine (tests bind local handlers to them). */
export const ReplayStateNames = {
  CHECK_INPUT: 'CheckReplayInput',
  REJECT: 'RejectReplayWithoutReplayId',
  PAGE: 'ReplayPage',
  MORE: 'MoreTombstones?',
  FOR_EACH_TOMBSTONE: 'ForEachTombstone',
  FOR_EACH_STORE: 'ForEachStoreOfTombstone',
  STORE_STEP: 'ReplayStoreStep',
  STORE_DONE: 'ReplayStoreDone?',
  VERIFY_WAIT: 'ReplayStoreVerifyWait',
  STORE_FINISHED: 'ReplayStoreFinished',
  RECORD_STORE_FAILURE: 'RecordReplayStoreFailure',
  TOMBSTONE_REPLAYED: 'TombstoneReplayed',
  CONTINUE: 'ContinueReplay',
  CONTINUED: 'ReplayContinued',
  COMPLETED: 'ReplayCompleted',
  RECORD_FAILURE: 'RecordReplayFailure',
  FAILED: 'ReplayFailed',
  NOT_RECORDED: 'ReplayFailureNotRecorded',
} as const;

/**
 * The tombstone replay state machine (11 CCR 7022(d)), in JSONPath:
 * CheckReplayInput -> ReplayPage (validate; start or resume from the progress saved in the
 * ledger; next page of tombstones) -> MoreTombstones? -> ForEachTombstone (Map) ->
 * ForEachStoreOfTombstone (Map: StoreStep DELETE + re-discovery loop, failures caught and recorded
 * per store) -> TombstoneReplayed -> ReplayPage ... -> ReplayCompleted. Every few pages ReplayPage
 * saves the cursor and asks to continue: ContinueReplay starts a new execution of this state
 * machine with `{ replayId }`, which resumes from the saved cursor (each execution's history stays
 * far below the 25,000-event limit, whatever the number of tombstones).
 * The payload carries request ids, tenants and pseudonyms only. Every task retries (TASK_RETRY)
 * and catches States.ALL into RecordReplayFailure -> ReplayFailed.
 *
 * @param replayStateMachineArn the ARN of the state machine this definition is for (named at synth)
 */
export function buildReplayDefinition(
  scope: Construct, fns: ReplayDefinitionFunctions, maxConcurrency: number, replayStateMachineArn: string,
): sfn.IChainable {
  const n = ReplayStateNames;
  const invoke = invoker(scope);
  const failed = new sfn.Fail(scope, n.FAILED, { error: 'DsrReplayFailed', cause: 'The replay failed; the failure is in the audit table (REPLAY#<replayId>) and was published as a "DSR Replay Failed" event. Re-run it with the same replayId.' });
  const notRecorded = new sfn.Fail(scope, n.NOT_RECORDED, { error: 'DsrReplayFailureNotRecorded', cause: 'The replay failed and recording the failure failed too; the failure alarm reports it.' });
  const recordFailure = invoke(n.RECORD_FAILURE, fns.replay, { 'action': 'FAILED', 'replayId.$': '$.replayId', 'error.$': '$.error' });
  recordFailure.addCatch(notRecorded, { resultPath: '$.recordError' });
  recordFailure.next(failed);
  const catchAll = { resultPath: '$.error' };

  // one store of one tombstone: StoreStep (DELETE, then VERIFY) until done
  const storeStep = storeStepLoop(scope, invoke, fns.storeStep, n, {
    'requestId.$': '$.requestId',
    'type': 'DELETE',
    'tenant.$': '$.tenant',
    'pseudonym.$': '$.pseudonym',
    'store.$': '$.store',
    'phase.$': '$.phase',
    'replayId.$': '$.replayId',
    'failed': true,
    'error.$': '$.error',
  });

  const forEachStore = new sfn.Map(scope, n.FOR_EACH_STORE, {
    itemsPath: '$.storeIds',
    itemSelector: {
      'requestId.$': '$.tombstone.requestId',
      'type': 'DELETE',
      'tenant.$': '$.tombstone.tenant',
      'pseudonym.$': '$.tombstone.pseudonym',
      'store.$': '$$.Map.Item.Value',
      'phase': 'START',
      'replayId.$': '$.replayId',
      'keysRecorded.$': '$.tombstone.keysRecorded',
    },
    maxConcurrency,
    resultPath: '$.storeResults',
  });
  forEachStore.itemProcessor(storeStep);
  const tombstoneReplayed = invoke(n.TOMBSTONE_REPLAYED, fns.replay, {
    'action': 'TOMBSTONE',
    'replayId.$': '$.replayId',
    'requestId.$': '$.tombstone.requestId',
    'pseudonym.$': '$.tombstone.pseudonym',
    'storeResults.$': '$.storeResults',
  });

  const forEachTombstone = new sfn.Map(scope, n.FOR_EACH_TOMBSTONE, {
    itemsPath: '$.tombstones',
    itemSelector: {
      'replayId.$': '$.replayId',
      'tombstone.$': '$$.Map.Item.Value',
      'storeIds.$': '$.storeIds',
    },
    // the workflow's maxConcurrency: at most maxConcurrency tombstones, each on at most maxConcurrency stores
    maxConcurrency,
    resultPath: '$.pageResults',
  });
  forEachTombstone.itemProcessor(forEachStore.next(tombstoneReplayed));
  forEachTombstone.addCatch(recordFailure, catchAll);

  const replayPage = invoke(n.PAGE, fns.replay);
  // failed tombstones are already recorded by ReplayPage itself, which then throws DsrReplayFailed
  replayPage.addCatch(failed, { errors: ['DsrReplayFailed'], resultPath: '$.error' });
  replayPage.addCatch(recordFailure, catchAll);
  forEachTombstone.next(replayPage);
  // a new execution of this state machine continues the replay from the cursor saved in the ledger
  const continueReplay = new tasks.StepFunctionsStartExecution(scope, n.CONTINUE, {
    stateMachine: sfn.StateMachine.fromStateMachineArn(scope, 'ThisReplayStateMachine', replayStateMachineArn),
    integrationPattern: sfn.IntegrationPattern.REQUEST_RESPONSE,
    input: sfn.TaskInput.fromObject({ 'replayId.$': '$.replayId', 'continued': true }),
    resultPath: sfn.JsonPath.DISCARD,
  });
  continueReplay.addRetry(TASK_RETRY);
  continueReplay.addCatch(recordFailure, catchAll);
  continueReplay.next(new sfn.Succeed(scope, n.CONTINUED));
  replayPage.next(new sfn.Choice(scope, n.MORE)
    .when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(scope, n.COMPLETED))
    .when(sfn.Condition.booleanEquals('$.continue', true), continueReplay)
    .otherwise(forEachTombstone));

  return new sfn.Choice(scope, n.CHECK_INPUT)
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.replayId'), sfn.Condition.isString('$.replayId')), replayPage)
    .otherwise(new sfn.Fail(scope, n.REJECT, { error: 'DsrInvalidReplay', cause: 'The execution input has no replayId string; nothing was replayed.' }));
}
