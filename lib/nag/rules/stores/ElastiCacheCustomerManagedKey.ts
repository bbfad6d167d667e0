import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope ElastiCacheCustomerManagedKey stores. */
export const ElastiCacheCustomerManagedKey: CcpaRule = {
  id: 'ElastiCacheCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::ServerlessCache', 'AWS::ElastiCache::CacheCluster'],
  what: 'An in-scope ElastiCache replication group or serverless cache is not encrypted at rest with a customer-managed KMS key, or a standalone cache cluster (which cannot encrypt at rest) holds in-scope data.',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Use a replication group with atRestEncryptionEnabled: true and kmsKeyId of a PrivacyKey, or a serverless cache with kmsKeyId; classify caches that hold no personal data non-personal.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (node.cfnResourceType === 'AWS::ElastiCache::CacheCluster') return Outcome.NON_COMPLIANT;
    if (node.cfnResourceType === 'AWS::ElastiCache::ReplicationGroup') {
      if (index.anyUnknown({ AtRestEncryptionEnabled: props.AtRestEncryptionEnabled })) return Outcome.CANNOT_VERIFY;
      if (asBool(props.AtRestEncryptionEnabled) !== true) return Outcome.NON_COMPLIANT;
    }
    return customerManagedKeyOutcome('KmsKeyId', props.KmsKeyId, node, index);
  },
};
