import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { PrivateProcessingNetwork } from '../../network/private-processing-network';

/** The interface endpoints the handlers call through (besides the S3 and DynamoDB gateway endpoints). */
export const HANDLER_INTERFACE_SERVICES = [
  ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE, ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
];

/**
 * What Lambda needs to attach a function to the network (the actions of the AWS managed
 * AWSLambdaVPCAccessExecutionRole, inline and scoped): create interfaces only in the network's
 * subnets with its handler group; describe actions have no resource-level permissions; delete and
 * (un)assign addresses on this account's and region's interfaces (Lambda names no interface id in
 * advance; the Lambda developer guide asks for all interface ids there).
 */
export function grantNetworkInterfaces(role: iam.IRole, network: PrivateProcessingNetwork): void {
  const stack = Stack.of(role);
  // subnets and the group are named exactly (pseudo parameters are fine there: no wildcard, no finding)
  const arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
  const interfaces = networkInterfacesArn(stack);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ec2:CreateNetworkInterface'],
    resources: [
      interfaces,
      ...network.vpc.selectSubnets(network.subnetSelection).subnetIds.map((id) => arn('subnet', id)),
      arn('security-group', network.handlerSecurityGroup.securityGroupId),
    ],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
    resources: [interfaces],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
    resources: ['*'],
  }));
}

/**
 * `arn:<partition>:ec2:<region>:<account>:network-interface/*` with literals when the stack's
 * environment is known and `*` when it is not: a pseudo parameter would put `::` into the cdk-nag
 * finding id, which Validations.acknowledge refuses.
 */
export function networkInterfacesArn(stack: Stack): string {
  const known = (v: string) => (Token.isUnresolved(v) ? '*' : v);
  const region = known(stack.region);
  const partition = region === '*' ? '*' : RegionInfo.get(region).partition ?? '*';
  return `arn:${partition}:ec2:${region}:${known(stack.account)}:network-interface/*`;
}
