import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PrivacyKey, PrivateProcessingNetwork } from '../../lib';
import { auditedStack, ComplianceReport, expectCompliant, runComplianceKit } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';
import { prefixListLookupContext, US_EAST_1_PREFIX_LISTS } from '../kit/lookups';

const ENV = { account: '111111111111', region: 'us-east-1' };
const { s3: S3_PL, dynamodb: DDB_PL } = US_EAST_1_PREFIX_LISTS;

type Resources = Record<string, { Type: string; Properties?: any }>;
const resources = (t: Template, type: string): Array<[string, any]> =>
  Object.entries(t.toJSON().Resources as Resources).filter(([, r]) => r.Type === type);
const ref = (stack: Stack, c: { node: { defaultChild?: unknown } } | ec2.ISecurityGroup) =>
  ({ 'Fn::GetAtt': [stack.getLogicalId(((c as any).node.defaultChild ?? c) as any), 'GroupId'] });

/** The context `cdk synth` records after looking up the S3 and DynamoDB prefix lists (cdk.context.json). */
function withLookedUpPrefixLists(stack: Stack): void {
  for (const [key, value] of Object.entries(prefixListLookupContext(stack))) {
    stack.node.setContext(key, value);
  }
}

/** Isolated subnets in two AZs, as a user would import them. */
function importedVpc(stack: Stack, isolated = true): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'UserVpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    vpcCidrBlock: '10.1.0.0/16',
    ...(isolated
      ? { isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'] }
      : { publicSubnetIds: ['subnet-0cccccccccccccccc', 'subnet-0dddddddddddddddd'], privateSubnetIds: ['subnet-0eeeeeeeeeeeeeeee', 'subnet-0ffffffffffffffff'] }),
  });
}

/** The policy of every endpoint (gateway and interface) in account 111111111111: its own principals on its own resources only. */
const THIS_ACCOUNT_ONLY_POLICY = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'OnlyThisAccountsPrincipalsAndResources',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: '*',
    Resource: '*',
    Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111', 'aws:ResourceAccount': '111111111111' } },
  }],
};

describe('PrivateProcessingNetwork (defaults, stack with account and region, prefix lists looked up)', () => {
  let stack: Stack;
  let net: PrivateProcessingNetwork;
  let template: Template;
  beforeAll(() => {
    stack = new Stack(new App(), 'S', { env: ENV });
    withLookedUpPrefixLists(stack);
    net = new PrivateProcessingNetwork(stack, 'Net', { lookUpPrefixLists: true });
    template = Template.fromStack(stack);
  });

  test('THEN the VPC has isolated subnets in 2 AZs only: no internet gateway, no NAT gateway, no public IPs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { EnableDnsHostnames: true, EnableDnsSupport: true });
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::TransitGatewayAttachment']) {
      template.resourceCountIs(type, 0);
    }
    const subnets = resources(template, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(2);
    expect(new Set(subnets.map(([, s]) => JSON.stringify(s.Properties.AvailabilityZone))).size).toBe(2);
    for (const [, s] of subnets) {
      expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
      expect(s.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]));
    }
    expect(net.vpc.isolatedSubnets).toHaveLength(2);
    expect(net.vpc.publicSubnets).toHaveLength(0);
    expect(net.vpc.privateSubnets).toHaveLength(0);
  });

  test('THEN no route table has a default route (0.0.0.0/0 or ::/0) or any route to a gateway, NAT, peering or transit gateway', () => {
    const routes = resources(template, 'AWS::EC2::Route');
    expect(routes.filter(([, r]) => r.Properties.DestinationCidrBlock === '0.0.0.0/0' || r.Properties.DestinationIpv6CidrBlock === '::/0')).toEqual([]);
    expect(routes).toEqual([]); // the only routes are the local one and the gateway endpoints' prefix-list routes (both implicit)
    expect(resources(template, 'AWS::EC2::RouteTable')).toHaveLength(2);
  });

  test('THEN S3 and DynamoDB gateway endpoints serve both route tables, and admit only this account\'s principals on this account\'s resources', () => {
    const routeTables = resources(template, 'AWS::EC2::RouteTable').map(([id]) => ({ Ref: id }));
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        VpcEndpointType: 'Gateway',
        RouteTableIds: Match.arrayEquals(routeTables),
        PolicyDocument: THIS_ACCOUNT_ONLY_POLICY,
      });
    }
    expect(resources(template, 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Gateway')).toHaveLength(2);
  });

  test('THEN KMS, STS, Step Functions, CloudWatch Logs and EventBridge have interface endpoints with private DNS in both subnets, behind the endpoint group only', () => {
    const interfaces = resources(template, 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface');
    expect(interfaces.map(([, e]) => e.Properties.ServiceName).sort()).toEqual(['events', 'kms', 'logs', 'states', 'sts'].map((n) => `com.amazonaws.us-east-1.${n}`));
    const subnets = resources(template, 'AWS::EC2::Subnet').map(([id]) => ({ Ref: id }));
    for (const [, e] of interfaces) {
      expect(e.Properties.PrivateDnsEnabled).toBe(true);
      expect(e.Properties.SubnetIds).toEqual(expect.arrayContaining(subnets));
      expect(e.Properties.SubnetIds).toHaveLength(2);
      expect(e.Properties.SecurityGroupIds).toEqual([ref(stack, net.endpointSecurityGroup)]);
    }
    expect(net.interfaceEndpoints).toHaveLength(5);
  });

  test('THEN every interface endpoint, like the gateways, admits only this account\'s principals on this account\'s resources', () => {
    const interfaces = resources(template, 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface');
    expect(interfaces).toHaveLength(5);
    for (const [, e] of interfaces) {
      expect(e.Properties.PolicyDocument).toEqual(THIS_ACCOUNT_ONLY_POLICY);
    }
  });

  test('THEN the handler group sends HTTPS only to the endpoint group and the S3 and DynamoDB prefix lists, and admits nothing', () => {
    const handler = template.toJSON().Resources[stack.getLogicalId(net.handlerSecurityGroup.node.defaultChild as any)];
    expect(handler.Properties.SecurityGroupIngress).toBeUndefined();
    const egress = [
      ...(handler.Properties.SecurityGroupEgress ?? []),
      ...resources(template, 'AWS::EC2::SecurityGroupEgress').map(([, r]) => r.Properties).filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(ref(stack, net.handlerSecurityGroup))),
    ].map(({ Description, GroupId, ...rule }) => rule);
    expect(egress).toEqual(expect.arrayContaining([
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: S3_PL },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: DDB_PL },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: ref(stack, net.endpointSecurityGroup) },
    ]));
    expect(egress).toHaveLength(3);
    expect([net.s3PrefixListId, net.dynamoDbPrefixListId]).toEqual([S3_PL, DDB_PL]);
  });

  test('THEN the endpoint group admits HTTPS only from the handler group and sends nothing', () => {
    const endpoint = template.toJSON().Resources[stack.getLogicalId(net.endpointSecurityGroup.node.defaultChild as any)];
    expect(endpoint.Properties.SecurityGroupIngress).toBeUndefined();
    // aws-cdk-lib's "no egress" placeholder: ICMP type 252 code 86 to 255.255.255.255/32 matches no traffic
    expect(endpoint.Properties.SecurityGroupEgress).toEqual([{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 }]);
    const ingress = resources(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress.map(({ Description, ...r }) => r)).toEqual([{
      GroupId: ref(stack, net.endpointSecurityGroup), SourceSecurityGroupId: ref(stack, net.handlerSecurityGroup), IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
    }]);
  });

  test('THEN all traffic is flow-logged to a log group encrypted with a PrivacyKey, kept 365 days and classified personal (device data)', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: stack.getLogicalId(net.flowLogGroup!.node.defaultChild as any) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(net.encryptionKey!.node.defaultChild as any), 'Arn'] },
      Tags: Match.arrayWith([{ Key: 'privacy:classification', Value: 'personal' }]),
    });
    expect(net.encryptionKey).toBeInstanceOf(PrivacyKey);
  });

  test('GIVEN lookUpPrefixLists and no context yet THEN the prefix lists are looked up by name (context the CDK CLI fills in at synth)', () => {
    const fresh = new Stack(new App(), 'S', { env: ENV });
    new PrivateProcessingNetwork(fresh, 'Net', { lookUpPrefixLists: true });
    const missing = (fresh.node.root as App).synth().manifest.missing ?? [];
    expect(missing.map((m) => (m.props as any).propertyMatch?.PrefixListName).sort()).toEqual(['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3']);
  });
});

describe('PrivateProcessingNetwork options', () => {
  test('GIVEN prefix list ids THEN the handler group sends to exactly those and nothing is looked up', () => {
    const stack = new Stack(new App(), 'S');
    const net = new PrivateProcessingNetwork(stack, 'Net', { s3PrefixListId: S3_PL, dynamoDbPrefixListId: DDB_PL });
    const t = Template.fromStack(stack);
    const egress = resources(t, 'AWS::EC2::SecurityGroupEgress').map(([, r]) => r.Properties.DestinationPrefixListId).filter((x) => x);
    const inline = t.toJSON().Resources[stack.getLogicalId(net.handlerSecurityGroup.node.defaultChild as any)].Properties.SecurityGroupEgress ?? [];
    expect([...egress, ...inline.map((r: any) => r.DestinationPrefixListId)].sort()).toEqual([DDB_PL, S3_PL]);
    expect((stack.node.root as App).synth().manifest.missing ?? []).toEqual([]);
    // in an environment-agnostic stack the endpoint policies name the deploying account
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      PolicyDocument: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' }, 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } } })] },
    });
  });

  test('GIVEN restrictInterfaceEndpointsToAccount false THEN the interface endpoints have no policy (full access) and the gateways keep theirs', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    new PrivateProcessingNetwork(stack, 'Net', { s3PrefixListId: S3_PL, dynamoDbPrefixListId: DDB_PL, restrictInterfaceEndpointsToAccount: false });
    const endpoints = resources(Template.fromStack(stack), 'AWS::EC2::VPCEndpoint');
    expect(endpoints.filter(([, e]) => e.Properties.VpcEndpointType === 'Interface').map(([, e]) => e.Properties.PolicyDocument)).toEqual(Array(5).fill(undefined));
    expect(endpoints.filter(([, e]) => e.Properties.VpcEndpointType === 'Gateway').every(([, e]) => e.Properties.PolicyDocument !== undefined)).toBe(true);
  });

  test('GIVEN a user VPC with isolated subnets THEN the endpoints go into them, the gateways into their route tables, and no VPC or flow log is created', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const vpc = importedVpc(stack);
    const net = new PrivateProcessingNetwork(stack, 'Net', { vpc });
    const t = Template.fromStack(stack);
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::FlowLog', 'AWS::Logs::LogGroup', 'AWS::KMS::Key']) t.resourceCountIs(type, 0);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', VpcId: 'vpc-0123456789abcdef0', RouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'] });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'] });
    expect(net.vpc).toBe(vpc);
    expect(net.flowLog).toBeUndefined();
    expect(vpc.selectSubnets(net.subnetSelection).subnetIds).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
  });

  test('GIVEN interfaceEndpointServices THEN exactly those interface endpoints are created', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    new PrivateProcessingNetwork(stack, 'Net', { interfaceEndpointServices: [ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING] });
    const interfaces = resources(Template.fromStack(stack), 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface');
    expect(interfaces.map(([id, e]) => [id.replace(/[0-9A-F]{8}$/, ''), e.Properties.ServiceName])).toEqual([
      ['NetKmsEndpoint', 'com.amazonaws.us-east-1.kms'], ['NetMonitoringEndpoint', 'com.amazonaws.us-east-1.monitoring'],
    ]);
  });

  test('GIVEN ipAddresses, an encryption key and a longer retention THEN they are used', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const key = new PrivacyKey(stack, 'Key');
    new PrivateProcessingNetwork(stack, 'Net', { ipAddresses: ec2.IpAddresses.cidr('10.42.0.0/16'), encryptionKey: key, flowLogRetention: logs.RetentionDays.TWO_YEARS });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.42.0.0/16' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731, KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] } });
    t.resourceCountIs('AWS::KMS::Key', 1);
  });
});

describe('refused props', () => {
  const expectRefused = (build: (stack: Stack) => unknown, env: typeof ENV | undefined, ...fragments: string[]) => {
    const stack = new Stack(new App(), 'S', { env });
    const thrown = validationErrorOf(() => build(stack));
    for (const f of fragments) expect(thrown).toContain(f);
  };

  test('GIVEN a VPC without isolated subnets THEN it is refused: processing must not reach the internet', () => {
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', { vpc: importedVpc(s, false) }), ENV,
      'vpc vpc-0123456789abcdef0 has no PRIVATE_ISOLATED subnets', 'personal-data processing must not reach the internet',
      'reasonable security, Cal. Civ. Code 1798.81.5(b)');
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2 }) }), ENV,
      'vpc S/Vpc has no PRIVATE_ISOLATED subnets');
  });

  test('GIVEN VPC-building props with a user VPC THEN each is refused, together', () => {
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', {
      vpc: importedVpc(s), ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), encryptionKey: new PrivacyKey(s, 'K'), flowLogRetention: logs.RetentionDays.ONE_YEAR,
    }), ENV, '(1) [PropIgnoredWithVpc] ipAddresses with vpc', '(2) [PropIgnoredWithVpc] encryptionKey with vpc', '(3) [PropIgnoredWithVpc] flowLogRetention with vpc');
  });

  test('GIVEN a flow log retention under 365 days THEN it is refused; INFINITE and 365 are accepted', () => {
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', { flowLogRetention: logs.RetentionDays.SIX_MONTHS }), ENV,
      '[FlowLogRetentionTooShort] flowLogRetention 180 days', 'at least 365 days', "this library's choice");
    for (const flowLogRetention of [logs.RetentionDays.INFINITE, logs.RetentionDays.ONE_YEAR]) {
      expect(() => new PrivateProcessingNetwork(new Stack(new App(), 'S', { env: ENV }), 'Net', { flowLogRetention })).not.toThrow();
    }
  });

  test('GIVEN no prefix list ids THEN it synthesizes with no prefix list lookup, env-agnostic or not, and the functions send HTTPS (443 only) to the endpoints and out of the VPC only through the gateway endpoints', () => {
    for (const env of [undefined, ENV]) {
      const app = new App();
      const s = new Stack(app, 'S', { env });
      const net = new PrivateProcessingNetwork(s, 'Net');
      const assembly = app.synth();
      // no prefix list lookup; with an env, ec2.Vpc itself still reads the standard availability-zones
      // context (cdk.context.json), as every VPC of a CDK app with a concrete env does
      expect((assembly.manifest.missing ?? []).filter((m) => m.provider !== 'availability-zones')).toEqual([]);
      if (env === undefined) expect(assembly.manifest.missing ?? []).toEqual([]);
      const t = Template.fromStack(s).toJSON();
      const handler = t.Resources[s.getLogicalId(net.handlerSecurityGroup.node.defaultChild as any)];
      const egress = (handler.Properties.SecurityGroupEgress ?? []).map(({ Description, ...rule }: any) => rule);
      expect(egress).toEqual([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }]);
      expect(net.s3PrefixListId).toBeUndefined();
      // no route out of the VPC but the gateway endpoints: no internet gateway, no NAT, no other route
      expect(Object.values(t.Resources).filter((r: any) => ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::Route',
        'AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::VPCPeeringConnection', 'AWS::EC2::EgressOnlyInternetGateway'].includes(r.Type))).toEqual([]);
      expect(Object.values(t.Resources).filter((r: any) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties.VpcEndpointType === 'Gateway')).toHaveLength(2);
    }
  });

  test('GIVEN one prefix list id without the other, or a lookup in an environment-agnostic stack THEN each is refused', () => {
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', { s3PrefixListId: S3_PL }), undefined,
      's3PrefixListId without dynamoDbPrefixListId', 'give both ids or neither');
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', { lookUpPrefixLists: true }), undefined,
      'lookUpPrefixLists true in an environment-agnostic stack');
  });

  test('GIVEN a prefix list id that is not one THEN it is refused', () => {
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', { s3PrefixListId: 'sg-0123456789abcdef0', dynamoDbPrefixListId: DDB_PL }), ENV,
      '[PrefixListIdInvalid] s3PrefixListId "sg-0123456789abcdef0" is not a prefix list id');
  });

  test('GIVEN a service listed twice THEN it is refused', () => {
    expectRefused((s) => new PrivateProcessingNetwork(s, 'Net', {
      interfaceEndpointServices: [ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.STS,
        ec2.InterfaceVpcEndpointAwsService.KMS],
    }), ENV, 'interfaceEndpointServices lists kms more than once');
  });
});

describe('compliance kit + CcpaChecks', () => {
  const scenarios: Record<string, (stack: Stack) => void> = {
    'defaults (account and region)': (stack) => { new PrivateProcessingNetwork(stack, 'Net'); },
    'environment-agnostic with prefix list ids': (stack) => { new PrivateProcessingNetwork(stack, 'Net', { s3PrefixListId: S3_PL, dynamoDbPrefixListId: DDB_PL }); },
    'user VPC (imported)': (stack) => { new PrivateProcessingNetwork(stack, 'Net', { vpc: importedVpc(stack) }); },
  };
  const reports: Record<string, ComplianceReport> = {};
  beforeAll(() => {
    for (const [name, build] of Object.entries(scenarios)) {
      const stack = auditedStack('S', name.includes('agnostic') ? {} : { env: ENV });
      build(stack);
      reports[name] = runComplianceKit(stack);
    }
  });

  test.each(Object.keys(scenarios))('GIVEN %s THEN there are zero unacknowledged errors, no warnings and no unused acknowledgement', (name) => {
    expectCompliant(reports[name]);
    expect(reports[name].warnings).toEqual([]);
    expect(reports[name].unusedAcknowledgements.map((a) => `${a.id} @ ${a.path}`)).toEqual([]);
  });

  test('THEN the acknowledgements are exactly the reviewed ones, on the construct\'s own L1s', () => {
    const used = (name: string) => [...new Set(reports[name].acknowledgementsUsed.map((a) => `${a.id} @ ${a.path}`))].sort();
    expect(used('defaults (account and region)')).toEqual([
      'HIPAA.Security-IAMNoInlinePolicy @ S/Net/Vpc/FlowLog/IAMRole/DefaultPolicy/Resource',
      'HIPAA.Security-VPCDefaultSecurityGroupClosed @ S/Net/Vpc/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy @ S/Net/Vpc/FlowLog/IAMRole/DefaultPolicy/Resource',
      'NIST.800.53.R5-VPCDefaultSecurityGroupClosed @ S/Net/Vpc/Resource',
      'PCI.DSS.321-IAMNoInlinePolicy @ S/Net/Vpc/FlowLog/IAMRole/DefaultPolicy/Resource',
      'PCI.DSS.321-VPCDefaultSecurityGroupClosed @ S/Net/Vpc/Resource',
    ]);
    expect(used('user VPC (imported)')).toEqual([]);
    for (const a of reports['defaults (account and region)'].acknowledgementsUsed) expect(a.reason.length).toBeGreaterThan(80);
  });

  test('THEN CcpaChecks\' network rules evaluated the security groups and found them closed to the internet', () => {
    const network = reports['defaults (account and region)'].findings.filter((f) => /EC2SecurityGroupOpenIngress|LambdaNotInPublicSubnet/.test(f.ruleId));
    expect(network).toEqual([]);
  });
});

describe('PrivateProcessingNetwork without prefix list ids (environment-agnostic)', () => {
  test('GIVEN the defaults THEN every pack and Control Tower rule passes', () => {
    const stack = auditedStack('S');
    new PrivateProcessingNetwork(stack, 'Net');
    expectCompliant(stack);
  });
});
