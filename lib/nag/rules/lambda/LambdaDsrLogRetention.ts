import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asNumber } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { functionLogs } from '../../private/function-logs';
import { CcpaRule, Outcome } from '../../private/rule';

/** A DSR function's logs have a retention the app sets (the automatic log group never expires, unchosen). */
export const LambdaDsrLogRetention: CcpaRule = {
  id: 'LambdaDsrLogRetention',
  service: 'lambda',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Function'],
  what: 'A Lambda function that executes data subject requests writes to a log group whose retention the app does not set (no log group of the app with RetentionInDays, no logRetention).',
  cites: ['ccr-7101'],
  risk: Risk.LAMBDA_DSR,
  fix: 'Give the function a logGroup: new LogGroup(..., { retention: RetentionDays.TWO_YEARS, encryptionKey }) (DsrWorkflow does), or set logRetention.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Lambda::Function' || !index.isDsrWorkload(node)) return Outcome.NOT_APPLICABLE;
    const logs = functionLogs(index).get(node);
    if (!logs) return Outcome.NON_COMPLIANT;
    if (logs.logRetentions.length > 0) return Outcome.COMPLIANT;
    if (logs.logGroups.some((g) => asNumber(index.props(g).RetentionInDays) !== undefined)) return Outcome.COMPLIANT;
    return logs.external ? index.unknown('LoggingConfig.LogGroup', index.props(node).LoggingConfig?.LogGroup) : Outcome.NON_COMPLIANT;
  },
};
