import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope MemoryDB clusters. */
export const MemoryDBCustomerManagedKey = customerManagedKeyRule({
  id: 'MemoryDBCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope MemoryDB cluster is not encrypted at rest with a customer-managed KMS key (KmsKeyId absent: MemoryDB then uses an AWS owned key).',
  fix: 'Set KmsKeyId on the AWS::MemoryDB::Cluster to a PrivacyKey with viaServices including memorydb.',
  sites: {
    'AWS::MemoryDB::Cluster': { key: 'KmsKeyId' },
  },
});
