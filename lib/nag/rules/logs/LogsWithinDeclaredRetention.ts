import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { PrivacyTagKeys } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { asNumber, isIntrinsic } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { declaredRetentionDays } from '../../private/retention';
import { CcpaRule, Outcome } from '../../private/rule';

/** A log group that declares how long its personal data is kept expires its events within that. */
export const LogsWithinDeclaredRetention: CcpaRule = {
  id: 'LogsWithinDeclaredRetention',
  service: 'logs',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Logs::LogGroup'],
  what: `A log group holding personal data that declares a retention (${PrivacyTagKeys.RETENTION_DAYS}) keeps events longer (RetentionInDays above it) or forever (no RetentionInDays).`,
  cites: Cites.RETENTION,
  choice: 'A log group that declares a retention shorter than 365 days is held to it, and LogsRetentionTwelveMonths then does not apply: the declaration is the explicit choice for a group that holds personal data rather than security records. DSR log groups stay at 731 days (LogsDsrRetention24Months).',
  risk: Risk.RETENTION,
  fix: 'Set the log group\'s retention (RetentionDays) to at most the declared days, or declare the retention the logs really have.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return Outcome.NOT_APPLICABLE;
    const days = declaredRetentionDays(node, index);
    if (days === undefined) return Outcome.NOT_APPLICABLE;
    const kept = index.props(node).RetentionInDays;
    if (kept === undefined) {
      index.note(`no RetentionInDays: events never expire, the declared retention is ${days} days`);
      return Outcome.NON_COMPLIANT;
    }
    const n = asNumber(kept);
    if (isIntrinsic(kept) || n === undefined) return index.unknown('RetentionInDays', kept);
    if (n <= days) return Outcome.COMPLIANT;
    index.note(`RetentionInDays ${n} is above the declared ${days} days`);
    return Outcome.NON_COMPLIANT;
  },
};
