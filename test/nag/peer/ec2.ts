import { Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/EC2.test.ts: open inbound security groups (EC23) and EBS encryption (EC26). */
export const EC2_SUITE: PeerSuite = {
  service: 'EC2',
  source: 'test/rules/EC2.test.ts',
  commit: '83de113cf4b282d1ea1bca21f28055371fc101db',
  rules: [
    {
      rule: 'EC2RestrictedInbound',
      nagService: 'ec2',
      awsSolutions: 'AwsSolutions-EC23',
      ccpa: ['EC2SecurityGroupOpenIngress'],
      cases: [
        {
          name: 'Noncompliance 1: all traffic from any IPv4 address',
          nag: 'non-compliant',
          build: (s) => { new ec2.SecurityGroup(s, 'rSg', { vpc: new ec2.Vpc(s, 'rVpc') }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic()); },
          ccpa: ['CCPA-EC2SecurityGroupOpenIngress at Test/rSg/Resource'],
        },
        {
          name: 'Noncompliance 2: an ingress resource for TCP from 0.0.0.0/0 (no ports)',
          nag: 'non-compliant',
          build: (s) => { new ec2.CfnSecurityGroupIngress(s, 'rIngress', { ipProtocol: 'tcp', cidrIp: '0.0.0.0/0' }); },
          ccpa: ['CCPA-EC2SecurityGroupOpenIngress at Test/rIngress'],
        },
        {
          name: 'Noncompliance 3: an ingress resource for TCP from a non-canonical IPv6 /0',
          nag: 'non-compliant',
          build: (s) => { new ec2.CfnSecurityGroupIngress(s, 'rIngress', { ipProtocol: 'tcp', cidrIpv6: 'ff:ff:ff:ff:ff:ff:ff:ff/0' }); },
          ccpa: ['CCPA-EC2SecurityGroupOpenIngress at Test/rIngress'],
        },
        {
          name: 'Noncompliance 4: all traffic from any IPv6 address',
          nag: 'non-compliant',
          build: (s) => { new ec2.SecurityGroup(s, 'rSg', { vpc: new ec2.Vpc(s, 'rVpc') }).addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.allTraffic()); },
          ccpa: ['CCPA-EC2SecurityGroupOpenIngress at Test/rSg/Resource'],
        },
        {
          name: 'Compliance: one address (IPv4 and IPv6), and a group without rules',
          nag: 'compliant',
          build: (s) => {
            new ec2.SecurityGroup(s, 'rSg', { vpc: new ec2.Vpc(s, 'rVpc') }).addIngressRule(ec2.Peer.ipv4('1.2.3.4/32'), ec2.Port.allTraffic());
            new ec2.CfnSecurityGroupIngress(s, 'rIngress', { ipProtocol: 'tcp', cidrIp: '1.2.3.4/32' });
            new ec2.CfnSecurityGroupIngress(s, 'rIngress2', { ipProtocol: 'tcp', cidrIpv6: '1234:5678:9abc:def1:2345:6789:abcd:ef12/128' });
            new ec2.SecurityGroup(s, 'rSg2', { vpc: new ec2.Vpc(s, 'rVpc2') });
          },
          ccpa: [],
        },
        {
          name: 'Added: HTTPS from anywhere',
          nag: 'non-compliant',
          build: (s) => { new ec2.SecurityGroup(s, 'rSg', { vpc: new ec2.Vpc(s, 'rVpc') }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443)); },
          ccpa: [],
          differs: 'CcpaChecks allows TCP 80 and 443 from the internet (a public load balancer or endpoint); the data behind it is protected by the API and store rules.',
        },
      ],
    },
    {
      rule: 'EC2EBSVolumeEncrypted',
      nagService: 'ec2',
      awsSolutions: 'AwsSolutions-EC26',
      ccpa: ['EBSCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance: an unencrypted volume',
          nag: 'non-compliant',
          build: (s) => { new ec2.Volume(s, 'rVolume', { availabilityZone: 'us-east-1a', size: Size.gibibytes(42), encrypted: false }); },
          ccpa: ['CCPA-EBSCustomerManagedKey at Test/rVolume/Resource'],
        },
        {
          name: 'Compliance: an encrypted volume (AWS managed key)',
          nag: 'compliant',
          build: (s) => { new ec2.Volume(s, 'rVolume', { availabilityZone: 'us-east-1a', size: Size.gibibytes(42), encrypted: true }); },
          ccpa: ['CCPA-EBSCustomerManagedKey at Test/rVolume/Resource'],
          differs: 'CcpaChecks requires a customer-managed key (KmsKeyId), not only encryption with aws/ebs.',
        },
        {
          name: 'Added: encrypted with a key of the app',
          nag: 'compliant',
          build: (s) => { new ec2.Volume(s, 'rVolume', { availabilityZone: 'us-east-1a', size: Size.gibibytes(42), encrypted: true, encryptionKey: new kms.Key(s, 'rKey') }); },
          ccpa: [],
        },
      ],
    },
  ],
};
