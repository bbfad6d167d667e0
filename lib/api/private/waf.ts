import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The AWS managed rule groups every DsrApi web ACL evaluates, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
];

/** A REGIONAL web ACL: the AWS managed rule groups above, then a per-IP rate limit. */
export function buildWebAcl(scope: Construct, id: string, metricPrefix: string, ratePerFiveMinutes: number): wafv2.CfnWebACL {
  const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    metricName: `${metricPrefix}-${name}`.slice(0, 128),
    sampledRequestsEnabled: false, // samples hold request headers and paths; the metrics suffice
  });
  const rules: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, i) => ({
    name,
    priority: i,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  }));
  rules.push({
    name: 'RateLimitPerIp',
    priority: MANAGED_RULE_GROUPS.length,
    action: { block: {} },
    statement: { rateBasedStatement: { limit: ratePerFiveMinutes, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
    visibilityConfig: visibility('RateLimitPerIp'),
  });
  return new wafv2.CfnWebACL(scope, id, {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    description: 'cdk-ccpa DsrApi: AWS managed rule groups and a per-IP rate limit in front of the privacy request endpoints',
    rules,
    visibilityConfig: visibility('WebAcl'),
  });
}
