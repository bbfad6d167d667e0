import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asyncInvocations, failureDestinations, refKey } from '../../private/async-invocations';
import { Cites, Risk } from '../../private/citations';
import { describeQualifier } from '../../private/function-refs';
import { CcpaRule, Outcome } from '../../private/rule';

/** A DSR function invoked asynchronously loses no event: a failure destination on each side that can drop it. */
export const LambdaDsrAsyncFailureDestination: CcpaRule = {
  id: 'LambdaDsrAsyncFailureDestination',
  service: 'lambda',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Function'],
  what: 'A DSR function (it, its role or its source tagged privacy:workflow=dsr) is invoked asynchronously with no on-failure destination for the qualifier invoked and no DeadLetterConfig, or by an EventBridge target or SNS subscription without a DLQ.',
  cites: Cites.DSR_TIMELINESS,
  choice: 'asynchronous sources are EventBridge rule targets and Scheduler schedules, SNS subscriptions (protocol lambda), S3 notifications, CloudWatch Logs subscription filters, Step Functions tasks with InvocationType Event and Lambda permissions for those services. An event is dropped in two places. Lambda discards an event the function failed (after two retries) or kept queued too long unless an on-failure destination for that function and qualifier (AWS::Lambda::EventInvokeConfig) or the function\'s DeadLetterConfig is set. EventBridge and SNS discard an event they could not hand to Lambda (after their retries, at once for a missing permission or a deleted function) unless the target\'s (or schedule\'s) DeadLetterConfig or the subscription\'s RedrivePolicy is set. A dead-letter queue on the target never receives a function error, and the function\'s destination never receives an undelivered event, so neither replaces the other and both are required where AWS offers them. S3 and CloudWatch Logs offer no queue of their own, and a Step Functions task sees a failed Invoke call itself',
  risk: Risk.LAMBDA_ASYNC,
  fix: 'Give the function, or the alias or version that is invoked, configureAsyncInvoke({ onFailure }) (an SQS, SNS, EventBridge or Lambda destination) or deadLetterQueue; give EventBridge targets, Scheduler schedules and SNS subscriptions a deadLetterQueue; or invoke it synchronously from the DsrWorkflow state machine (InvocationType RequestResponse). Alarm on what the destination receives.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Lambda::Function') return Outcome.NOT_APPLICABLE;
    const invocations = asyncInvocations(index).get(node);
    if (!invocations || invocations.length === 0) return Outcome.NOT_APPLICABLE;
    if (!index.isDsrWorkload(node) && !invocations.some((i) => i.dsrSource)) return Outcome.NOT_APPLICABLE;
    const dlq = index.props(node).DeadLetterConfig?.TargetArn;
    const hasDlq = dlq !== undefined && dlq !== null && dlq !== '';
    const destinations = failureDestinations(index);
    const notes = new Set<string>();
    let unknown = false;
    for (const inv of invocations) {
      const where = `${inv.kind} ${inv.source.node.path}`;
      if (!hasDlq && !destinations.covered.has(refKey({ fn: node, qualifier: inv.qualifier }))) {
        if (destinations.unknownQualifier.has(node) || destinations.unknownFunction.length > 0) unknown = true;
        else notes.add(`${where} invokes ${describeQualifier(inv.qualifier)} with no on-failure destination for it and no DeadLetterConfig`);
      }
      if (inv.deliveryMissing) notes.add(`${where}: ${inv.deliveryMissing}`);
    }
    if (notes.size > 0) {
      notes.forEach((n) => index.note(n));
      return Outcome.NON_COMPLIANT;
    }
    if (unknown) {
      for (const q of destinations.unknownQualifier.get(node) ?? []) index.unknown('EventInvokeConfig.Qualifier', q);
      for (const f of destinations.unknownFunction) index.unknown('EventInvokeConfig.FunctionName', f);
      return Outcome.CANNOT_VERIFY;
    }
    return Outcome.COMPLIANT;
  },
};
