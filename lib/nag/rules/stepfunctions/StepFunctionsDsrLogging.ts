import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** A DSR state machine logs every event, without execution data (which would hold personal data). */
export const StepFunctionsDsrLogging: CcpaRule = {
  id: 'StepFunctionsDsrLogging',
  service: 'stepfunctions',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::StepFunctions::StateMachine'],
  what: 'A state machine that executes data subject requests does not log to CloudWatch Logs at level ALL with IncludeExecutionData false (each step needs a record; execution data would copy personal data).',
  cites: ['ccr-7101', ...Cites.DSR_TIMELINESS],
  risk: Risk.SFN_DSR,
  fix: 'Use DsrWorkflow, or set logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false }.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::StepFunctions::StateMachine' || !index.isDsrWorkload(node)) return Outcome.NOT_APPLICABLE;
    const config = index.props(node).LoggingConfiguration;
    if (index.anyUnknown({ 'LoggingConfiguration': config, 'LoggingConfiguration.Level': config?.Level, 'LoggingConfiguration.IncludeExecutionData': config?.IncludeExecutionData })) return Outcome.CANNOT_VERIFY;
    const ok = config?.Level === 'ALL' && asBool(config.IncludeExecutionData) !== true && asArray(config.Destinations).length > 0;
    return ok ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
