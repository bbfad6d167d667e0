import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** A DSR state machine is traced with X-Ray, so a stuck or failed request can be followed across services. */
export const StepFunctionsDsrTracing: CcpaRule = {
  id: 'StepFunctionsDsrTracing',
  service: 'stepfunctions',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::StepFunctions::StateMachine'],
  what: 'A state machine that executes data subject requests does not enable X-Ray tracing (TracingConfiguration.Enabled).',
  cites: Cites.DSR_TIMELINESS,
  risk: Risk.SFN_DSR,
  fix: 'Use DsrWorkflow, or set tracingEnabled: true.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::StepFunctions::StateMachine' || !index.isDsrWorkload(node)) return Outcome.NOT_APPLICABLE;
    const enabled = index.props(node).TracingConfiguration?.Enabled;
    if (index.anyUnknown({ 'TracingConfiguration.Enabled': enabled })) return Outcome.CANNOT_VERIFY;
    return asBool(enabled) === true ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
