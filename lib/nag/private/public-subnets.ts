import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';

/** Route tables with a route to an internet gateway, and each subnet's route table; built once. */
export interface SubnetRouting {
  readonly routeTablesWithIgw: Set<CfnResource>;
  readonly routeTableOfSubnet: Map<CfnResource, CfnResource>;
}

export function subnetRouting(index: AppIndex): SubnetRouting {
  return index.memo('subnet-routing', () => {
    const routeTablesWithIgw = new Set<CfnResource>();
    for (const route of index.resourcesOfType('AWS::EC2::Route')) {
      const props = index.props(route);
      if (props.GatewayId === undefined) continue;
      const gw = index.target(props.GatewayId, route);
      const igw = (gw.kind === 'resource' && gw.resource.cfnResourceType === 'AWS::EC2::InternetGateway')
        || (gw.kind === 'literal' && gw.value.startsWith('igw-'));
      const rt = index.target(props.RouteTableId, route);
      if (igw && rt.kind === 'resource') routeTablesWithIgw.add(rt.resource);
    }
    const routeTableOfSubnet = new Map<CfnResource, CfnResource>();
    for (const assoc of index.resourcesOfType('AWS::EC2::SubnetRouteTableAssociation')) {
      const props = index.props(assoc);
      const subnet = index.target(props.SubnetId, assoc);
      const rt = index.target(props.RouteTableId, assoc);
      if (subnet.kind === 'resource' && rt.kind === 'resource') routeTableOfSubnet.set(subnet.resource, rt.resource);
    }
    return { routeTablesWithIgw, routeTableOfSubnet };
  });
}
