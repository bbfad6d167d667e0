import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';
import { functionsInvokedByStateMachines, functionsWithFailureDestination } from '../../private/state-machine-targets';

/** A DSR function's failures are captured, never lost. */
export const LambdaDsrFailureDestination: CcpaRule = {
  id: 'LambdaDsrFailureDestination',
  service: 'lambda',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Function'],
  what: 'A Lambda function that executes data subject requests (it or its role is tagged privacy:workflow=dsr) has no dead-letter queue, no on-failure destination and no state machine of the app invoking it.',
  cites: Cites.DSR_TIMELINESS,
  risk: Risk.LAMBDA_DSR,
  fix: 'Invoke DSR functions from the DsrWorkflow state machine, or set deadLetterQueue / onFailure (an encrypted SQS queue or SNS topic) and alarm on it.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Lambda::Function' || !index.isDsrWorkload(node)) return Outcome.NOT_APPLICABLE;
    if (index.props(node).DeadLetterConfig?.TargetArn) return Outcome.COMPLIANT;
    if (functionsWithFailureDestination(index).has(node)) return Outcome.COMPLIANT;
    return functionsInvokedByStateMachines(index).has(node) ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
