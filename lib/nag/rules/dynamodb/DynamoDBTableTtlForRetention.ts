import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { PrivacyTagKeys } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { declaredRetentionDays } from '../../private/retention';
import { CcpaRule, Outcome } from '../../private/rule';

/** A table that declares a retention has DynamoDB TTL on, the only expiry a table has. */
export const DynamoDBTableTtlForRetention: CcpaRule = {
  id: 'DynamoDBTableTtlForRetention',
  service: 'dynamodb',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  what: `A DynamoDB table that declares a retention (${PrivacyTagKeys.RETENTION_DAYS}) has TimeToLiveSpecification off or absent: no item ever expires, whatever the declared retention says.`,
  cites: Cites.RETENTION,
  choice: 'The template shows that TTL is on and by which attribute, not that the application writes the attribute on every item: PrivacyTable.expiryOf gives the value to write, and the application\'s tests should check it.',
  risk: Risk.RETENTION,
  fix: 'Use PrivacyTable with retention (TTL on expiresAt), or set timeToLiveAttribute on the table (L1: TimeToLiveSpecification { Enabled: true, AttributeName }), and write the attribute (epoch seconds) on every item.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    const days = declaredRetentionDays(node, index);
    if (days === undefined) return Outcome.NOT_APPLICABLE;
    const ttl = index.props(node).TimeToLiveSpecification;
    if (index.anyUnknown({ 'TimeToLiveSpecification': ttl, 'TimeToLiveSpecification.Enabled': ttl?.Enabled })) return Outcome.CANNOT_VERIFY;
    if (asBool(ttl?.Enabled) === true) return Outcome.COMPLIANT;
    index.note(`TimeToLiveSpecification ${ttl === undefined ? 'is absent' : 'is not enabled'} on a table that declares ${days} days`);
    return Outcome.NON_COMPLIANT;
  },
};
