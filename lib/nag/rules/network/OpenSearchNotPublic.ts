import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { CfnValue, ifVariants, isIntrinsic, statementsOf } from '../../private/cfn-values';
import { coversInternet, parseCidr, Range } from '../../private/cidr';
import { Cites, Risk } from '../../private/citations';
import { domainPolicySetters } from '../../private/domain-access-policies';
import { principalReach, Reach } from '../../private/key-statements';
import { worst } from '../../private/keys';
import { conditionEntries, restricts } from '../../private/policy';
import { CcpaRule, Outcome } from '../../private/rule';

/** Condition keys that limit a statement for anyone to an account, organization, principal or network. */
const LIMITING_KEYS = new Set(['aws:principalaccount', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn', 'aws:sourcevpc', 'aws:sourcevpce']);

/**
 * One Allow statement of a domain's access policy: open when it reaches anyone (Principal "*",
 * NotPrincipal) and no condition limits it to an account, organization, principal, VPC, or
 * source addresses that do not cover the internet (`aws:SourceIp`, by CIDR arithmetic).
 */
function statementOutcome(s: CfnValue, node: CfnResource, index: AppIndex): Outcome {
  if (isIntrinsic(s) || typeof s?.Effect !== 'string') return index.unknown('AccessPolicies.Statement', s);
  if (s.Effect !== 'Allow') return Outcome.COMPLIANT;
  const reach = principalReach(s, node, index);
  if (reach === Reach.NAMED) return Outcome.COMPLIANT;
  const entries = conditionEntries(s);
  if (entries.some((c) => LIMITING_KEYS.has(c.key.toLowerCase()) && restricts(c, s))) return Outcome.COMPLIANT;
  const ip = entries.filter((c) => c.key.toLowerCase() === 'aws:sourceip' && c.operator.toLowerCase() === 'ipaddress');
  if (ip.length > 0) {
    const ranges = ip.flatMap((c) => c.values).map((v) => (typeof v === 'string' ? parseCidr(v.includes('/') ? v : `${v}/${v.includes(':') ? 128 : 32}`) : undefined));
    if (ranges.some((r) => r === undefined)) return index.unknown('AccessPolicies.Statement.Condition.IpAddress', ip[0].values);
    return coversInternet(ranges as Range[]) ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
  }
  return reach === Reach.ANYONE ? Outcome.NON_COMPLIANT : index.unknown('AccessPolicies.Statement.Principal', s.Principal);
}

/** In-scope search domains are not open to anyone on the internet. */
export const OpenSearchNotPublic: CcpaRule = {
  id: 'OpenSearchNotPublic',
  service: 'network',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
  what: 'An in-scope OpenSearch (or Elasticsearch) domain with a public endpoint (no VPCOptions) has an access policy that allows anyone (Principal "*") without a condition limiting the account, principal or source network.',
  cites: Cites.NETWORK,
  risk: Risk.NETWORK,
  fix: 'Put the domain in a VPC (vpc, vpcSubnets), or name the principals in its access policy (roles of the app), or limit Principal "*" with aws:SourceIp of your own networks or aws:PrincipalAccount; turn on fine-grained access control.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (props.VPCOptions !== undefined) return isIntrinsic(props.VPCOptions) ? index.unknown('VPCOptions', props.VPCOptions) : Outcome.COMPLIANT;
    // the domain's own AccessPolicies, and any a custom resource sets after creation (the L2 Domain's accessPolicies)
    const policies = [
      ...(props.AccessPolicies === undefined ? [] : [{ where: 'AccessPolicies', policy: props.AccessPolicies }]),
      ...(domainPolicySetters(index).get(node) ?? []).map((p) => ({ where: `AccessPolicies (set by ${p.setter.node.path})`, policy: p.policy })),
    ];
    return worst(Outcome.COMPLIANT, ...policies.map(({ where, policy }) => {
      let doc: CfnValue = policy;
      if (typeof doc === 'string') {
        try { doc = JSON.parse(doc); } catch { return index.unknown(where, policy); }
      }
      const variants = ifVariants(doc);
      if (!variants || variants.some((v) => isIntrinsic(v))) return index.unknown(where, policy);
      return worst(Outcome.COMPLIANT, ...variants.flatMap(statementsOf).map((s) => statementOutcome(s, node, index)));
    }));
  },
};
