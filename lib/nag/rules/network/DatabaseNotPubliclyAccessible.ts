import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { subnetRouting } from '../../private/public-subnets';
import { CcpaRule, Outcome } from '../../private/rule';

/**
 * Whether a subnet group's subnets route to an internet gateway: COMPLIANT when none does,
 * NON_COMPLIANT when one does, CANNOT_VERIFY when a subnet is not a subnet of the app.
 */
function subnetGroupOutcome(value: unknown, node: CfnResource, index: AppIndex): Outcome {
  const group = index.target(value, node);
  if (group.kind !== 'resource' || group.resource.cfnResourceType !== 'AWS::RDS::DBSubnetGroup') return index.unknown('DBSubnetGroupName', value);
  const routing = subnetRouting(index);
  for (const s of asArray(index.props(group.resource).SubnetIds)) {
    const t = index.target(s, group.resource);
    const rt = t.kind === 'resource' ? routing.routeTableOfSubnet.get(t.resource) : undefined;
    if (!rt) return index.unknown('DBSubnetGroup.SubnetIds[]', s);
    if (routing.routeTablesWithIgw.has(rt)) return Outcome.NON_COMPLIANT;
  }
  return Outcome.COMPLIANT;
}

/** In-scope databases are not reachable from the internet. */
export const DatabaseNotPubliclyAccessible: CcpaRule = {
  id: 'DatabaseNotPubliclyAccessible',
  service: 'network',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::Redshift::Cluster', 'AWS::RedshiftServerless::Workgroup'],
  what: 'An in-scope RDS instance or Multi-AZ cluster, Redshift cluster or Serverless workgroup is publicly accessible: PubliclyAccessible true, or unset where RDS makes it public (no subnet group, or one with public subnets).',
  cites: Cites.NETWORK,
  risk: Risk.NETWORK,
  fix: 'Set publiclyAccessible: false and place the database in private or isolated subnets (vpcSubnets); reach it through the application, a bastion via SSM Session Manager, or RDS Proxy.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (index.anyUnknown({ PubliclyAccessible: props.PubliclyAccessible })) return Outcome.CANNOT_VERIFY;
    const explicit = asBool(props.PubliclyAccessible);
    if (explicit !== undefined) return explicit ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
    // unset: an Aurora cluster has no such property, and its instances are judged one by one; Redshift defaults to private
    if (node.cfnResourceType !== 'AWS::RDS::DBInstance') return Outcome.COMPLIANT;
    if (props.DBClusterIdentifier !== undefined && props.DBSubnetGroupName === undefined) return Outcome.COMPLIANT;
    if (props.DBSubnetGroupName === undefined) return Outcome.NON_COMPLIANT;
    return subnetGroupOutcome(props.DBSubnetGroupName, node, index);
  },
};
