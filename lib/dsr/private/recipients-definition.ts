import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** State names of the recipients' part of the request state machine (tests bind local handlers to them). */
export const RecipientStateNames = {
  AWAITING: 'AwaitingRecipients?',
  FOR_EACH_RECIPIENT: 'ForEachRecipient',
  NOTIFY: 'NotifyRecipient',
  NOTICE_DONE: 'RecipientNoticeDone?',
  RESEND_WAIT: 'RecipientResendWait',
  NOTICE_FINISHED: 'RecipientNoticeFinished',
  NOTICE_FAILED: 'RecipientNoticeNotSettled',
  SETTLE: 'SettleRecipients',
  SETTLED: 'RecipientsSettled?',
  AWAITING_ACKNOWLEDGEMENTS: 'AwaitingAcknowledgements',
} as const;

/** The maximum number of recipients notified in parallel (a workflow has at most 10). */
const NOTICE_CONCURRENCY = 10;

/**
 * After Finalize: a request whose type has recipients (Finalize answered AWAITING_RECIPIENTS and
 * their ids) runs one notice loop per recipient (Map): NotifyRecipient sends the notice and says
 * how long to wait before sending it again (a Wait state: 15 minutes doubling to 12 hours, until
 * the recipient's acknowledgement timeout), until the recipient acknowledged or the timeout passed.
 * Then SettleRecipients completes the request if every recipient acknowledged; otherwise the
 * execution ends with the request AWAITING_RECIPIENTS, which the acknowledgement that is still
 * missing completes (and the deadline check escalates until then). A loop that fails after its
 * retries ends that loop only: the recipient's deadline still escalates.
 */
export function recipientsChain(
  scope: Construct,
  invoke: (id: string, fn: lambda.IFunction, payload?: Record<string, unknown>) => tasks.LambdaInvoke,
  fn: lambda.IFunction,
  completed: sfn.Succeed,
): sfn.Choice {
  const n = RecipientStateNames;
  const finished = new sfn.Succeed(scope, n.NOTICE_FINISHED);
  const notify = invoke(n.NOTIFY, fn);
  notify.addCatch(new sfn.Succeed(scope, n.NOTICE_FAILED), { resultPath: '$.error' });
  const wait = new sfn.Wait(scope, n.RESEND_WAIT, { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
  wait.next(notify);
  notify.next(new sfn.Choice(scope, n.NOTICE_DONE)
    .when(sfn.Condition.booleanEquals('$.done', true), finished)
    .otherwise(wait));
  const forEach = new sfn.Map(scope, n.FOR_EACH_RECIPIENT, {
    itemsPath: '$.recipients',
    itemSelector: { 'action': 'NOTIFY', 'requestId.$': '$.requestId', 'recipientId.$': '$$.Map.Item.Value' },
    maxConcurrency: NOTICE_CONCURRENCY,
    resultPath: sfn.JsonPath.DISCARD,
  });
  forEach.itemProcessor(notify);
  const settle = invoke(n.SETTLE, fn, { 'action': 'SETTLE', 'requestId.$': '$.requestId' });
  forEach.next(settle);
  settle.next(new sfn.Choice(scope, n.SETTLED)
    .when(sfn.Condition.stringEquals('$.status', 'COMPLETED'), completed)
    .otherwise(new sfn.Succeed(scope, n.AWAITING_ACKNOWLEDGEMENTS)));
  return new sfn.Choice(scope, n.AWAITING)
    .when(sfn.Condition.stringEquals('$.status', 'AWAITING_RECIPIENTS'), forEach)
    .otherwise(completed);
}
