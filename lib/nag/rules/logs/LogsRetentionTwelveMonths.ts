import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { retentionOutcome } from '../../private/log-retention';
import { declaredRetentionDays } from '../../private/retention';
import { CcpaRule, Outcome } from '../../private/rule';

/** In-scope logs are kept at least a year: security evidence (see `choice` for why a year). */
export const LogsRetentionTwelveMonths: CcpaRule = {
  id: 'LogsRetentionTwelveMonths',
  service: 'logs',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Logs::LogGroup', 'Custom::LogRetention'],
  what: 'An in-scope CloudWatch Logs log group (or a Lambda logRetention setting) keeps logs for fewer than 365 days, or never expires without that having been chosen (a CfnLogGroup without RetentionInDays).',
  cites: Cites.AUDIT_LOGS,
  choice: '365 days is the library\'s choice: no provision sets a period for security logs (11 CCR § 7123(c)(7) asks for their retention), and a year covers the investigation of a breach or a complaint. The 12-month lookback of 1798.130(a)(2)(B) is not a basis: nothing in the CCPA requires keeping personal information for any length of time.',
  risk: Risk.LOG_RETENTION,
  fix: 'Set retention to RetentionDays.ONE_YEAR or longer (TWO_YEARS for DSR logs); RetentionDays.INFINITE on the L2 LogGroup counts as an explicit choice; a group that declares a shorter retention (privacy:retention-days) for the personal data it holds is held to that instead. Keep personal data out of logs (pseudonymize identifiers with PseudonymizationKey).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    // a group that declares a shorter retention for the personal data it holds is held to that (LogsWithinDeclaredRetention)
    const declared = declaredRetentionDays(node, index);
    if (declared !== undefined && declared < 365) return Outcome.NOT_APPLICABLE;
    return retentionOutcome(node, index, 365);
  },
};
