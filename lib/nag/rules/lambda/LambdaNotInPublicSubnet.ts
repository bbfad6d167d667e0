import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { isIntrinsic } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { subnetRouting } from '../../private/public-subnets';
import { CcpaRule, Outcome } from '../../private/rule';

/** Functions that process personal data run in subnets without a route to an internet gateway. */
export const LambdaNotInPublicSubnet: CcpaRule = {
  id: 'LambdaNotInPublicSubnet',
  service: 'lambda',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Function'],
  what: 'An in-scope Lambda function attached to a VPC runs in a subnet whose route table routes to an internet gateway (a public subnet).',
  cites: Cites.NETWORK,
  risk: Risk.NETWORK,
  fix: 'Place the function in private (PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED) subnets (vpcSubnets), with VPC endpoints for the AWS services it calls.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Lambda::Function' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const subnets = index.props(node).VpcConfig?.SubnetIds;
    if (subnets === undefined) return Outcome.NOT_APPLICABLE;
    if (isIntrinsic(subnets) || !Array.isArray(subnets)) return index.unknown('VpcConfig.SubnetIds', subnets);
    const routing = subnetRouting(index);
    let unknown = false;
    for (const s of subnets) {
      const t = index.target(s, node);
      const rt = t.kind === 'resource' ? routing.routeTableOfSubnet.get(t.resource) : undefined;
      if (!rt) { unknown = true; index.unknown('VpcConfig.SubnetIds[]', s); continue; }
      if (routing.routeTablesWithIgw.has(rt)) return Outcome.NON_COMPLIANT;
    }
    return unknown ? Outcome.CANNOT_VERIFY : Outcome.COMPLIANT;
  },
};
