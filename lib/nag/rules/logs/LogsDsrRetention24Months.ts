import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Risk } from '../../private/citations';
import { dsrLogResources } from '../../private/function-logs';
import { retentionOutcome } from '../../private/log-retention';
import { CcpaRule, Outcome } from '../../private/rule';

/** Logs of data subject request workloads are kept for the 24 months of 11 CCR § 7101. */
export const LogsDsrRetention24Months: CcpaRule = {
  id: 'LogsDsrRetention24Months',
  service: 'logs',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Logs::LogGroup', 'Custom::LogRetention'],
  what: 'A log group of a data subject request workload (tagged privacy:workflow=dsr, or the log group of a Lambda function or state machine that is or runs as a role tagged so) keeps logs for fewer than 731 days.',
  cites: ['ccr-7101'],
  risk: Risk.DSR_RECORDS,
  fix: 'Set retention to RetentionDays.TWO_YEARS or longer on the DSR workflow\'s log groups (DsrWorkflow does this), and on the logRetention of its functions.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !dsrLogResources(index).has(node)) return Outcome.NOT_APPLICABLE;
    return retentionOutcome(node, index, 731);
  },
};
