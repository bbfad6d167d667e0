import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Risk } from '../../private/citations';
import { noWildcardPrincipalOutcome } from '../../private/key-statements';
import { CcpaRule, Outcome } from '../../private/rule';

/** No Allow statement for Principal * unless it is limited to accounts, an organization or services. */
export const KMSKeyNoWildcardPrincipal: CcpaRule = {
  id: 'KMSKeyNoWildcardPrincipal',
  service: 'kms',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  what: 'A KMS key that protects in-scope data allows anyone (Principal "*", a principal ARN with a wildcard, or NotPrincipal) without a restricting condition on the account, organization, principal ARN or AWS service source.',
  cites: ['ccr-7123(c)(3)', 'ccr-7123(c)(2)', 'civ-1798.81.5(b)'],
  risk: Risk.KMS_POLICY,
  fix: 'Name the principals (account root with tag conditions, roles, service principals) instead of "*", or add a condition on aws:PrincipalOrgID / aws:PrincipalAccount / kms:CallerAccount. Deny statements with "*" are fine.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    return noWildcardPrincipalOutcome(node, index);
  },
};
