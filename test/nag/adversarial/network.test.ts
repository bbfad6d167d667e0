import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AdversarialCase, runCases } from './kit';
import { DataClassification, PrivacyClassification } from '../../../lib/classification';

const N = ['EC2SecurityGroupOpenIngress'];
const sg = (s: Stack, ingress: ec2.CfnSecurityGroup.IngressProperty[]) =>
  new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'app', vpcId: 'vpc-12345678', securityGroupIngress: ingress });
const ssh = (cidrIp: string): ec2.CfnSecurityGroup.IngressProperty => ({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp });
const ssh6 = (cidrIpv6: string): ec2.CfnSecurityGroup.IngressProperty => ({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6 });

/** CIDR semantics, not string matching. */
const cidrs: AdversarialCase[] = [
  ...[
    ['0.0.0.0/1 and 128.0.0.0/1 together', [ssh('0.0.0.0/1'), ssh('128.0.0.0/1')]],
    ['a non-canonical /0 (10.0.0.0/0)', [ssh('10.0.0.0/0')]],
    ['another non-canonical /0 (1.2.3.4/0)', [ssh('1.2.3.4/0')]],
    ['half of the internet (128.0.0.0/1)', [ssh('128.0.0.0/1')]],
    ['64 /8 networks of public space', Array.from({ length: 64 }, (_, i) => ssh(`${i + 11}.0.0.0/8`))],
    ['::/0 written 0::/0', [ssh6('0::/0')]],
    ['::/0 written in full', [ssh6('0:0:0:0:0:0:0:0/0')]],
    ['all global unicast IPv6 (2000::/3)', [ssh6('2000::/3')]],
  ].map(([what, ingress]): AdversarialCase => ({
    name: `GIVEN SSH from ${what} THEN error`,
    rules: N,
    build: (s) => { sg(s, ingress as ec2.CfnSecurityGroup.IngressProperty[]); },
    expect: ['CCPA-EC2SecurityGroupOpenIngress at Test/Sg'],
  })),
  ...[
    ['10.0.0.0/8 (private)', [ssh('10.0.0.0/8')]],
    ['one office address (203.0.113.7/32)', [ssh('203.0.113.7/32')]],
    ['the RFC 1918 ranges and CGNAT', [ssh('10.0.0.0/8'), ssh('172.16.0.0/12'), ssh('192.168.0.0/16'), ssh('100.64.0.0/10')]],
    ['an IPv6 /56 of its own', [ssh6('2001:db8:1234:ff00::/56')]],
    ['HTTPS from 0.0.0.0/0', [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' }]],
  ].map(([what, ingress]): AdversarialCase => ({
    name: `GIVEN ingress from ${what} THEN no finding`,
    rules: N,
    build: (s) => { sg(s, ingress as ec2.CfnSecurityGroup.IngressProperty[]); },
    expect: [],
  })),
  {
    name: 'GIVEN a standalone SecurityGroupIngress from 0.0.0.0/2 on port 5432 THEN error on the ingress',
    rules: N,
    build: (s) => { new ec2.CfnSecurityGroupIngress(s, 'Pg', { groupId: 'sg-12345678', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432, cidrIp: '0.0.0.0/2' }); },
    expect: ['CCPA-EC2SecurityGroupOpenIngress at Test/Pg'],
  },
  {
    name: 'GIVEN L2 Peer.anyIpv4() on all traffic THEN error',
    rules: N,
    build: (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new ec2.SecurityGroup(s, 'App', { vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic());
    },
    expect: ['CCPA-EC2SecurityGroupOpenIngress at Test/App/Resource'],
  },
  {
    name: 'GIVEN ingress from vpc.vpcCidrBlock of a VPC in the same stack THEN no finding',
    rules: N,
    build: (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new ec2.SecurityGroup(s, 'Db', { vpc }).addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(5432));
    },
    expect: [],
  },
  {
    name: 'GIVEN ingress from a CIDR parameter THEN [CannotVerify] naming it',
    rules: N,
    build: (s) => { sg(s, [ssh(new CfnParameter(s, 'AdminCidr').valueAsString)]); },
    expect: ['CCPA-EC2SecurityGroupOpenIngress[CannotVerify] at Test/Sg'],
  },
  {
    name: 'GIVEN a CIDR in Fn::If (10.0.0.0/8 or 0.0.0.0/0) on SSH THEN error',
    rules: N,
    build: (s) => {
      const c = new CfnCondition(s, 'Debug', { expression: Fn.conditionEquals(new CfnParameter(s, 'Mode').valueAsString, 'debug') });
      sg(s, [ssh(Fn.conditionIf(c.logicalId, '0.0.0.0/0', '10.0.0.0/8').toString())]);
    },
    expect: ['CCPA-EC2SecurityGroupOpenIngress at Test/Sg'],
  },
];

const DB = ['DatabaseNotPubliclyAccessible'];
const OS = ['OpenSearchNotPublic'];
const openPolicy = (condition?: unknown) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: 'arn:aws:es:us-east-1:111111111111:domain/people/*', ...(condition ? { Condition: condition } : {}) }],
});

/** Publicly accessible databases and search domains. */
const exposure: AdversarialCase[] = [
  {
    name: 'GIVEN rds.DatabaseInstance publiclyAccessible in public subnets THEN error',
    rules: DB,
    build: (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
      new rds.DatabaseInstance(s, 'Db', {
        engine: rds.DatabaseInstanceEngine.POSTGRES,
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        publiclyAccessible: true,
        storageEncrypted: true,
      });
    },
    expect: ['CCPA-DatabaseNotPubliclyAccessible at Test/Db/Resource'],
  },
  {
    name: 'GIVEN rds.DatabaseInstance in private subnets THEN no finding',
    rules: DB,
    build: (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
      new rds.DatabaseInstance(s, 'Db', { engine: rds.DatabaseInstanceEngine.POSTGRES, vpc, vpcSubnets });
    },
    expect: [],
  },
  {
    name: 'GIVEN a CfnDBInstance with PubliclyAccessible true THEN error',
    rules: DB,
    build: (s) => { new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20', publiclyAccessible: true, dbSubnetGroupName: 'private' }); },
    expect: ['CCPA-DatabaseNotPubliclyAccessible at Test/Db'],
  },
  {
    name: 'GIVEN a CfnDBInstance without PubliclyAccessible or a subnet group (the default VPC makes it public) THEN error',
    rules: DB,
    build: (s) => { new rds.CfnDBInstance(s, 'Db', { engine: 'mysql', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20' }); },
    expect: ['CCPA-DatabaseNotPubliclyAccessible at Test/Db'],
  },
  {
    name: 'GIVEN PubliclyAccessible from a parameter THEN [CannotVerify]',
    rules: DB,
    build: (s) => {
      const db = new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20', dbSubnetGroupName: 'private' });
      db.addPropertyOverride('PubliclyAccessible', new CfnParameter(s, 'Public').valueAsString);
    },
    expect: ['CCPA-DatabaseNotPubliclyAccessible[CannotVerify] at Test/Db'],
  },
  {
    name: 'GIVEN a public database classified non-personal THEN no finding',
    rules: DB,
    build: (s) => {
      const db = new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20', publiclyAccessible: true });
      PrivacyClassification.apply(db, { classification: DataClassification.NON_PERSONAL });
    },
    expect: [],
  },
  {
    name: 'GIVEN an OpenSearch domain outside a VPC whose access policy allows Principal * THEN error',
    rules: OS,
    build: (s) => { new opensearch.CfnDomain(s, 'Search', { domainName: 'people', accessPolicies: openPolicy() }); },
    expect: ['CCPA-OpenSearchNotPublic at Test/Search'],
  },
  {
    name: 'GIVEN the same with an aws:SourceIp condition of 0.0.0.0/0 THEN error',
    rules: OS,
    build: (s) => { new opensearch.CfnDomain(s, 'Search', { domainName: 'people', accessPolicies: openPolicy({ IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } }) }); },
    expect: ['CCPA-OpenSearchNotPublic at Test/Search'],
  },
  {
    name: 'GIVEN Principal * limited to one office network (aws:SourceIp 203.0.113.0/24) THEN no finding',
    rules: OS,
    build: (s) => { new opensearch.CfnDomain(s, 'Search', { domainName: 'people', accessPolicies: openPolicy({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }) }); },
    expect: [],
  },
  {
    name: 'GIVEN a domain in a VPC with Principal * THEN no finding (reachable only inside the VPC)',
    rules: OS,
    build: (s) => {
      new opensearch.CfnDomain(s, 'Search', {
        domainName: 'people', accessPolicies: openPolicy(), vpcOptions: { subnetIds: ['subnet-12345678'], securityGroupIds: ['sg-12345678'] },
      });
    },
    expect: [],
  },
  {
    name: 'GIVEN an access policy for named roles only THEN no finding',
    rules: OS,
    build: (s) => {
      new opensearch.CfnDomain(s, 'Search', {
        domainName: 'people',
        accessPolicies: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/Indexer' }, Action: 'es:ESHttp*', Resource: '*' }] },
      });
    },
    expect: [],
  },
];

describe('Network: CIDR semantics', () => runCases(cidrs));
describe('Network: public databases and search domains', () => runCases(exposure));
