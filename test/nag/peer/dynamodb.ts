import { Stack } from 'aws-cdk-lib';
import * as dax from 'aws-cdk-lib/aws-dax';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PeerSuite } from './kit';

const daxRole = (s: Stack, id: string) => new iam.Role(s, id, { assumedBy: new iam.ServicePrincipal('dax.amazonaws.com') }).roleArn;

/** cdk-nag test/rules/DynamoDB.test.ts (DAX is in the same file). */
export const DYNAMODB_SUITE: PeerSuite = {
  service: 'DynamoDB',
  source: 'test/rules/DynamoDB.test.ts',
  commit: 'f9b48b861166f8751c5d3ed38accab2c4a3927dc',
  rules: [
    {
      rule: 'DynamoDBPITREnabled',
      nagService: 'dynamodb',
      awsSolutions: 'AwsSolutions-DDB3',
      ccpa: ['DynamoDBTablePointInTimeRecovery'],
      cases: [
        {
          name: 'Noncompliance 1: no point-in-time recovery',
          nag: 'non-compliant',
          build: (s) => { new dynamodb.Table(s, 'rTable', { partitionKey: { name: 'foo', type: dynamodb.AttributeType.STRING } }); },
          ccpa: ['CCPA-DynamoDBTablePointInTimeRecovery at Test/rTable/Resource'],
        },
        {
          name: 'Compliance: point-in-time recovery on',
          nag: 'compliant',
          build: (s) => {
            new dynamodb.Table(s, 'rTable', {
              partitionKey: { name: 'foo', type: dynamodb.AttributeType.STRING },
              pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
            });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'DAXEncrypted',
      nagService: 'dynamodb',
      awsSolutions: 'AwsSolutions-DDB4',
      ccpa: ['DAXEncrypted'],
      cases: [
        {
          name: 'Noncompliance 1: no SSESpecification',
          nag: 'non-compliant',
          build: (s) => { new dax.CfnCluster(s, 'rDax', { iamRoleArn: daxRole(s, 'rDAXRole'), nodeType: 't3.small', replicationFactor: 3 }); },
          ccpa: ['CCPA-DAXEncrypted at Test/rDax'],
        },
        {
          name: 'Noncompliance 2: SSEEnabled false',
          nag: 'non-compliant',
          build: (s) => { new dax.CfnCluster(s, 'Dax', { iamRoleArn: daxRole(s, 'DAXRole'), nodeType: 't3.small', replicationFactor: 3, sseSpecification: { sseEnabled: false } }); },
          ccpa: ['CCPA-DAXEncrypted at Test/Dax'],
        },
        {
          name: 'Compliance: SSEEnabled true',
          nag: 'compliant',
          build: (s) => { new dax.CfnCluster(s, 'rDax', { iamRoleArn: daxRole(s, 'rDAXRole'), nodeType: 't3.small', replicationFactor: 7, sseSpecification: { sseEnabled: true } }); },
          ccpa: ['CCPA-DAXEncrypted at Test/rDax'],
          differs: 'CcpaChecks also requires TLS on the cluster endpoint (ClusterEndpointEncryptionType TLS): without it, personal items cross the VPC in clear text.',
        },
      ],
    },
  ],
};
