import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asNumber, CfnValue, ifVariants, isIntrinsic } from '../../private/cfn-values';
import { coversInternet, parseCidr, Range } from '../../private/cidr';
import { Cites, Risk } from '../../private/citations';
import { worst } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

const WEB_PORTS = new Set([80, 443]);
/** Resource attributes that are a VPC's own address ranges. */
const VPC_RANGE_TYPES = new Set(['AWS::EC2::VPC', 'AWS::EC2::VPCCidrBlock']);

/** Whether an ingress rule allows only TCP 80 or 443 (web traffic is meant to come from anywhere). */
function webOnly(rule: CfnValue): boolean {
  const protocol = String(rule.IpProtocol ?? '').toLowerCase();
  const from = asNumber(rule.FromPort);
  return (protocol === 'tcp' || protocol === '6') && from !== undefined && from === asNumber(rule.ToPort) && WEB_PORTS.has(from);
}

/**
 * The address range of one CIDR value: a literal CIDR; nothing for a VPC's own range
 * (`vpc.vpcCidrBlock`, its IPv6 blocks, a VPCCidrBlock of the app: traffic from inside the VPC);
 * 'unknown' (recorded on the index) for anything else (a parameter, an unmapped import).
 */
function rangeOf(property: string, value: CfnValue, node: CfnResource, index: AppIndex): Range | undefined | 'unknown' {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return parseCidr(value) ?? (index.unknown(property, value), 'unknown');
  const inner = value?.['Fn::Select']?.[1] ?? value;
  const target = index.target(inner, node);
  if (target.kind === 'resource' && VPC_RANGE_TYPES.has(target.resource.cfnResourceType)) return undefined;
  if (target.kind === 'literal') return parseCidr(target.value) ?? (index.unknown(property, value), 'unknown');
  index.unknown(property, value);
  return 'unknown';
}

/**
 * The ingress rules of a group (or one standalone rule), each Fn::If taken both ways: open when
 * the rules that allow more than TCP 80/443 together cover the internet (`coversInternet`).
 */
function ingressOutcome(property: string, rules: CfnValue[], node: CfnResource, index: AppIndex): Outcome {
  const ranges: Range[] = [];
  let unknown = false;
  for (const rule of rules) {
    if (!rule || typeof rule !== 'object' || isIntrinsic(rule)) { index.unknown(property, rule); unknown = true; continue; }
    if (webOnly(rule)) continue;
    for (const [key, value] of [['CidrIp', rule.CidrIp], ['CidrIpv6', rule.CidrIpv6]]) {
      const r = rangeOf(`${property}.${key}`, value, node, index);
      if (r === 'unknown') unknown = true;
      else if (r) ranges.push(r);
    }
  }
  if (coversInternet(ranges)) return Outcome.NON_COMPLIANT;
  return unknown ? Outcome.CANNOT_VERIFY : Outcome.COMPLIANT;
}

/** No ingress from anywhere except web traffic on 80/443. */
export const EC2SecurityGroupOpenIngress: CcpaRule = {
  id: 'EC2SecurityGroupOpenIngress',
  service: 'ec2',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  what: 'An in-scope security group (or a standalone ingress rule) allows ingress from the internet (CIDR ranges that together cover at least a /8 of public IPv4 or a /32 of global IPv6, e.g. 0.0.0.0/1 + 128.0.0.0/1) on anything but TCP 80 or 443.',
  cites: Cites.NETWORK,
  risk: Risk.NETWORK,
  fix: 'Allow ingress from the load balancer\'s or the VPC\'s security group or CIDR; reach instances through SSM Session Manager instead of open SSH/RDP.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const standalone = node.cfnResourceType === 'AWS::EC2::SecurityGroupIngress';
    const property = standalone ? 'Properties' : 'SecurityGroupIngress';
    const variants = ifVariants(standalone ? props : props.SecurityGroupIngress);
    if (!variants) return index.unknown(property, props.SecurityGroupIngress);
    return worst(Outcome.COMPLIANT, ...variants.map((v) => {
      if (isIntrinsic(v)) return index.unknown(property, v);
      return ingressOutcome(property, standalone ? [v] : asArray(v), node, index);
    }));
  },
};
