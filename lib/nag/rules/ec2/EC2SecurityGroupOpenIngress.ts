import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asNumber, CfnValue, isIntrinsic } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { worst } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

const WEB_PORTS = new Set([80, 443]);

/** One ingress rule: open to the internet on something other than TCP 80/443? */
function ingressOutcome(rule: CfnValue): Outcome {
  if (isIntrinsic(rule) || isIntrinsic(rule?.CidrIp) || isIntrinsic(rule?.CidrIpv6)) return Outcome.CANNOT_VERIFY;
  const open = rule?.CidrIp === '0.0.0.0/0' || rule?.CidrIpv6 === '::/0';
  if (!open) return Outcome.COMPLIANT;
  const protocol = String(rule.IpProtocol ?? '').toLowerCase();
  const from = asNumber(rule.FromPort);
  const to = asNumber(rule.ToPort);
  if ((protocol === 'tcp' || protocol === '6') && from !== undefined && from === to && WEB_PORTS.has(from)) return Outcome.COMPLIANT;
  if (isIntrinsic(rule.FromPort) || isIntrinsic(rule.ToPort)) return Outcome.CANNOT_VERIFY;
  return Outcome.NON_COMPLIANT;
}

/** No ingress from anywhere except web traffic on 80/443. */
export const EC2SecurityGroupOpenIngress: CcpaRule = {
  id: 'EC2SecurityGroupOpenIngress',
  service: 'ec2',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  what: 'An in-scope security group (or a standalone ingress rule) allows ingress from 0.0.0.0/0 or ::/0 on anything other than TCP port 80 or 443.',
  cites: Cites.NETWORK,
  risk: Risk.NETWORK,
  fix: 'Allow ingress from the load balancer\'s or the VPC\'s security group or CIDR; reach instances through SSM Session Manager instead of open SSH/RDP.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (node.cfnResourceType === 'AWS::EC2::SecurityGroupIngress') return ingressOutcome(props);
    if (isIntrinsic(props.SecurityGroupIngress)) return Outcome.CANNOT_VERIFY;
    return worst(Outcome.COMPLIANT, ...asArray(props.SecurityGroupIngress).map(ingressOutcome));
  },
};
