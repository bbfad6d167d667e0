import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/ElastiCache.test.ts. */
export const ELASTICACHE_SUITE: PeerSuite = {
  service: 'ElastiCache',
  source: 'test/rules/ElastiCache.test.ts',
  commit: '3d976bf21e72de5d4a4df4b751e3feb38bc7f241',
  rules: [
    {
      rule: 'ElastiCacheRedisClusterEncryption',
      nagService: 'elasticache',
      awsSolutions: 'AwsSolutions-AEC3',
      ccpa: ['ElastiCacheCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance 1: encrypted at rest, not in transit',
          nag: 'non-compliant',
          build: (s) => {
            new elasticache.CfnReplicationGroup(s, 'rRedisGroup', { cacheNodeType: 'cache.t3.micro', engine: 'redis', replicationGroupDescription: 'lorem ipsum dolor sit amet', atRestEncryptionEnabled: true });
          },
          ccpa: ['CCPA-ElastiCacheCustomerManagedKey at Test/rRedisGroup'],
        },
        {
          name: 'Compliance: encrypted at rest (AWS managed key) and in transit',
          nag: 'compliant',
          build: (s) => {
            new elasticache.CfnReplicationGroup(s, 'rRedisGroup', {
              cacheNodeType: 'cache.t3.micro',
              engine: 'redis',
              replicationGroupDescription: 'lorem ipsum dolor sit amet',
              cacheSubnetGroupName: 'lorem',
              atRestEncryptionEnabled: true,
              transitEncryptionEnabled: true,
            });
          },
          ccpa: ['CCPA-ElastiCacheCustomerManagedKey at Test/rRedisGroup'],
          differs: 'CcpaChecks requires a customer-managed key (KmsKeyId), not only encryption at rest with the AWS managed key.',
        },
      ],
    },
  ],
};
