import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { isIntrinsic, statementsOf } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { keyInScope } from '../../private/key-scope';
import { conditionEntries, isWildcardPrincipal } from '../../private/policy';
import { CcpaRule, Outcome } from '../../private/rule';

/** Condition keys that limit a wildcard principal to known accounts, an organization or named principals. */
const LIMITING_KEYS = new Set([
  'aws:principalaccount', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn', 'kms:calleraccount',
  'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:principalservicename',
]);

/** No Allow statement for Principal * unless it is limited to accounts, an organization or services. */
export const KMSKeyNoWildcardPrincipal: CcpaRule = {
  id: 'KMSKeyNoWildcardPrincipal',
  service: 'kms',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  what: 'A KMS key that protects in-scope data allows Principal "*" without a condition that limits it to an account, organization, principal ARN or AWS service source (aws:PrincipalAccount, aws:PrincipalOrgID, kms:CallerAccount, aws:SourceAccount, ...).',
  cites: ['ccr-7123(c)(3)', 'ccr-7123(c)(2)', 'civ-1798.81.5(b)'],
  risk: Risk.KMS_POLICY,
  fix: 'Name the principals (account root with tag conditions, roles, service principals) instead of "*", or add a condition on aws:PrincipalOrgID / aws:PrincipalAccount / kms:CallerAccount. Deny statements with "*" are fine.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !keyInScope(node, index)) return Outcome.NOT_APPLICABLE;
    const policy = index.props(node).KeyPolicy;
    if (policy === undefined) return Outcome.COMPLIANT;
    if (isIntrinsic(policy)) return Outcome.CANNOT_VERIFY;
    const document = typeof policy === 'string' ? JSON.parse(policy) : policy;
    const open = statementsOf(document).some((s) => s.Effect === 'Allow' && isWildcardPrincipal(s.Principal)
      && !conditionEntries(s).some((c) => LIMITING_KEYS.has(c.key.toLowerCase())));
    return open ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
  },
};
