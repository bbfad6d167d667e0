import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Storage encryption with a customer-managed KMS key on in-scope DocumentDB clusters (instances inherit it). */
export const DocumentDBCustomerManagedKey = customerManagedKeyRule({
  id: 'DocumentDBCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope DocumentDB cluster (AWS::DocDB::DBCluster: StorageEncrypted and KmsKeyId) or elastic cluster (AWS::DocDBElastic::Cluster: KmsKeyId) is not encrypted at rest with a customer-managed KMS key.',
  fix: 'Set storageEncrypted: true and kmsKey: a PrivacyKey with viaServices including rds on the docdb DatabaseCluster (L1: StorageEncrypted true, KmsKeyId); for elastic clusters set KmsKeyId.',
  sites: {
    'AWS::DocDB::DBCluster': { switch: { property: 'StorageEncrypted', on: true }, key: 'KmsKeyId' },
    'AWS::DocDBElastic::Cluster': { key: 'KmsKeyId' },
  },
});
