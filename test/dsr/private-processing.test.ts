import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DsrWorkflow, OrganizationTrailCoverage, PersonalDataBucket, PrivacyTable, PrivateProcessingNetwork } from '../../lib';
import { ComplianceReport, expectCompliant, ORG_TRAIL_ARN, runComplianceKit } from '../kit/compliance';
import { validationProblemsOf } from '../kit/errors';
import { IamSimulator, templateRole } from '../kit/iam-sim';
import { prefixListLookupContext, US_EAST_1_PREFIX_LISTS } from '../kit/lookups';

const ENV = { account: '111111111111', region: 'us-east-1' };
const { s3: S3_PL, dynamodb: DDB_PL } = US_EAST_1_PREFIX_LISTS;

/** A stack in ENV whose app has the context `cdk synth` records after looking up the S3 and DynamoDB prefix lists. */
function lookedUpStack(): Stack {
  const context = prefixListLookupContext(new Stack(new App(), 'Probe', { env: ENV }));
  return new Stack(new App({ context }), 'S', { env: ENV });
}

function scenario(stack: Stack = lookedUpStack()) {
  const network = new PrivateProcessingNetwork(stack, 'Net', { lookUpPrefixLists: true });
  // stores that declare their retention (CCPA-StoreRetentionDeclared)
  const customers = new PrivacyTable(stack, 'Customers', { retention: Duration.days(365) });
  const documents = new PersonalDataBucket(stack, 'Documents', { retention: Duration.days(365) });
  const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], network });
  return { stack, network, dsr, template: Template.fromStack(stack) };
}

const lid = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
const handlers = (dsr: DsrWorkflow) => [
  dsr.intakeFunction, dsr.storeStepFunction, dsr.finalizeFunction, dsr.deadlineCheckFunction, dsr.replayFunction,
];

describe('GIVEN a DsrWorkflow with a PrivateProcessingNetwork', () => {
  const { stack, network, dsr, template } = scenario();
  const subnetRefs = network.vpc.isolatedSubnets.map((s) => ({ Ref: lid(stack, s) }));

  test('THEN every handler runs in the isolated subnets with the handler security group only', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const ours = handlers(dsr).map((f) => fns[lid(stack, f)]);
    expect(ours).toHaveLength(5);
    for (const f of ours) {
      expect(f.Properties.VpcConfig).toEqual({
        SubnetIds: subnetRefs,
        SecurityGroupIds: [{ 'Fn::GetAtt': [lid(stack, network.handlerSecurityGroup), 'GroupId'] }],
      });
    }
    expect(dsr.network).toBe(network);
    // no extra security group was created for the functions: the network's two only
    template.resourceCountIs('AWS::EC2::SecurityGroup', 2);
  });

  test('THEN no handler role carries the AWS managed AWSLambdaVPCAccessExecutionRole; each gets the ENI actions inline, creation scoped to the subnets and group', () => {
    const roles = template.findResources('AWS::IAM::Role');
    for (const f of handlers(dsr)) {
      expect(roles[lid(stack, f.role as any)].Properties.ManagedPolicyArns).toBeUndefined();
      const policy = template.toJSON().Resources[lid(stack, f.role!.node.findChild('DefaultPolicy') as any)];
      const statements = policy.Properties.PolicyDocument.Statement as any[];
      const ec2Statements = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ec2:')));
      expect(ec2Statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'ec2:CreateNetworkInterface',
          Resource: [
            'arn:aws:ec2:us-east-1:111111111111:network-interface/*',
            ...network.vpc.isolatedSubnets.map((s) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:subnet/', { Ref: lid(stack, s) }]] })),
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:security-group/', { 'Fn::GetAtt': [lid(stack, network.handlerSecurityGroup), 'GroupId'] }]] },
          ],
        },
        { Effect: 'Allow', Action: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], Resource: 'arn:aws:ec2:us-east-1:111111111111:network-interface/*' },
        { Effect: 'Allow', Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], Resource: '*' },
      ]);
    }
  });

  test('THEN the handler group reaches every service the handlers call: DynamoDB and S3 (prefix lists), KMS, EventBridge and Step Functions (interface endpoints)', () => {
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties);
    expect(egress.map((e) => e.DestinationPrefixListId).filter((x) => x).sort()).toEqual([DDB_PL, S3_PL]);
    expect(network.interfaceEndpointServices.map((s) => s.shortName)).toEqual(expect.arrayContaining(['kms', 'events', 'states']));
  });

  describe('IAM simulation', () => {
    const [subnetA, subnetB] = network.vpc.isolatedSubnets.map((s) => lid(stack, s));
    const sim = IamSimulator.fromStack(stack, {
      overrides: {
        resources: {
          [subnetA]: { ref: 'subnet-0aaaaaaaaaaaaaaaa' },
          [subnetB]: { ref: 'subnet-0bbbbbbbbbbbbbbbb' },
          [lid(stack, network.handlerSecurityGroup)]: { attributes: { GroupId: 'sg-0aaaaaaaaaaaaaaaa' } },
        },
      },
    });
    const role = lid(stack, dsr.intakeFunction.role as any);
    const subnetArn = 'arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0aaaaaaaaaaaaaaaa';
    test('a handler role may create a network interface in an isolated subnet of the network, not in another subnet or with another group', async () => {
      for (const mine of [subnetArn, 'arn:aws:ec2:us-east-1:111111111111:security-group/sg-0aaaaaaaaaaaaaaaa', 'arn:aws:ec2:us-east-1:111111111111:network-interface/eni-0123456789abcdef0']) {
        const d = await sim.simulate({ principal: templateRole(role), action: 'ec2:CreateNetworkInterface', resource: mine });
        expect([mine, d.result]).toEqual([mine, 'Allowed']);
      }
      for (const other of ['arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0123456789abcdef0', 'arn:aws:ec2:us-east-1:111111111111:security-group/sg-0123456789abcdef0']) {
        const d = await sim.simulate({ principal: templateRole(role), action: 'ec2:CreateNetworkInterface', resource: other });
        expect([other, d.result]).toEqual([other, 'ImplicitlyDenied']);
      }
    });
    test('a handler role may not delete a network interface in another account or region', async () => {
      const d = await sim.simulate({ principal: templateRole(role), action: 'ec2:DeleteNetworkInterface', resource: 'arn:aws:ec2:eu-west-1:111111111111:network-interface/eni-0123456789abcdef0' });
      expect(d.result).toBe('ImplicitlyDenied');
    });
  });
});

describe('GIVEN a DsrWorkflow without a network', () => {
  test('THEN its handlers have no VpcConfig and their roles no EC2 actions (unchanged)', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'Customers')] });
    const t = Template.fromStack(stack);
    for (const f of handlers(dsr)) expect(t.toJSON().Resources[lid(stack, f)].Properties.VpcConfig).toBeUndefined();
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain('ec2:');
    expect(dsr.network).toBeUndefined();
  });
});

describe('refused props', () => {
  test('GIVEN a network without KMS, EventBridge or Step Functions interface endpoints THEN it is refused, naming all three', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const network = new PrivateProcessingNetwork(stack, 'Net', { interfaceEndpointServices: [ec2.InterfaceVpcEndpointAwsService.STS] });
    const thrown = validationProblemsOf(() => new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'Customers')], network }));
    expect(thrown.codes).toEqual(['DsrWorkflowNetworkEndpointsMissing']);
    expect(thrown.message).toContain('network S/Net has no interface endpoint for kms, events, states');
  });
});

describe('compliance kit + CcpaChecks', () => {
  const reports: Record<string, ComplianceReport> = {};
  beforeAll(() => {
    const known = lookedUpStack();
    new OrganizationTrailCoverage(known, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    scenario(known);
    reports.known = runComplianceKit(known);
    const agnostic = new Stack(new App(), 'S');
    new OrganizationTrailCoverage(agnostic, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    const network = new PrivateProcessingNetwork(agnostic, 'Net', { s3PrefixListId: S3_PL, dynamoDbPrefixListId: DDB_PL });
    new DsrWorkflow(agnostic, 'Dsr', {
      stores: [new PrivacyTable(agnostic, 'Customers', { retention: Duration.days(365) }), new PersonalDataBucket(agnostic, 'Documents', { retention: Duration.days(365) })],
      network,
    });
    reports.agnostic = runComplianceKit(agnostic);
  });

  test.each(['known', 'agnostic'])('GIVEN the workflow in the network (%s environment) THEN there are zero unacknowledged errors, no warnings and no unused acknowledgement', (name) => {
    expectCompliant(reports[name]);
    expect(reports[name].warnings).toEqual([]);
    expect(reports[name].unusedAcknowledgements.map((a) => `${a.id} @ ${a.path}`)).toEqual([]);
  });

  test('THEN nothing about the Lambda-in-VPC rules is acknowledged: they pass', () => {
    const vpcAcks = reports.known.acknowledgementsUsed.filter((a) => /LambdaInsideVPC|lambda_inside_vpc_check/.test(a.id));
    expect(vpcAcks).toEqual([]);
    expect(reports.known.findings.filter((f) => /LambdaInsideVPC|lambda_inside_vpc_check|LambdaNotInPublicSubnet/.test(f.ruleId))).toEqual([]);
  });

  test.each([
    ['known', 'arn:aws:ec2:us-east-1:111111111111:network-interface/*'],
    ['agnostic', 'arn:*:ec2:*:*:network-interface/*'],
  ])('THEN (%s environment) the network-interface wildcard is acknowledged on each handler policy, and nothing else about EC2', (name, arn) => {
    const eni = reports[name].acknowledgementsUsed.filter((a) => a.id.includes(':ec2:'));
    expect(eni.map((a) => [a.id, a.path]).sort()).toEqual(['DeadlineCheck', 'Finalize', 'Intake', 'Replay', 'Requests', 'StoreStep'].map((n) => [
      `AwsSolutions-IAM5[Resource::${arn}]`, `S/Dsr/${n}Role/DefaultPolicy/Resource`,
    ]));
  });
});
