import { CfnResource } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AppIndex } from './app-index';
import { asNumber, isIntrinsic } from './cfn-values';
import { Outcome } from './rule';

/**
 * Whether a log group (or a Custom::LogRetention) keeps logs at least `minDays`.
 *
 * | RetentionInDays | outcome |
 * | --- | --- |
 * | a number >= minDays | COMPLIANT |
 * | a number < minDays | NON_COMPLIANT |
 * | a token | CANNOT_VERIFY |
 * | absent, on the L1 of an aws-logs `LogGroup` (whose default is 731 days, so absence means `RetentionDays.INFINITE` was chosen) | COMPLIANT |
 * | absent, on a Custom::LogRetention (`logRetention: RetentionDays.INFINITE`) | COMPLIANT |
 * | absent, on a bare CfnLogGroup: never expires without anyone having chosen it | NON_COMPLIANT |
 */
export function retentionOutcome(node: CfnResource, index: AppIndex, minDays: number): Outcome {
  const days = index.props(node).RetentionInDays;
  if (days === undefined) {
    if (node.cfnResourceType === 'Custom::LogRetention') return Outcome.COMPLIANT;
    return node.node.scope instanceof logs.LogGroup ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  }
  const n = asNumber(days);
  if (isIntrinsic(days) || n === undefined) return index.unknown('RetentionInDays', days);
  return n >= minDays ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
}
