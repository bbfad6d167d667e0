import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope RDSCustomerManagedKey stores. */
export const RDSCustomerManagedKey = customerManagedKeyRule({
  id: 'RDSCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope RDS DB instance or Aurora/Multi-AZ DB cluster is not storage-encrypted with a customer-managed KMS key (instances of a cluster inherit the cluster\'s encryption).',
  fix: 'Set storageEncrypted: true and storageEncryptionKey (instance) / storageEncryptionKey (cluster) to a PrivacyKey with viaServices including rds.',
  sites: {
    'AWS::RDS::DBInstance': { switch: { property: 'StorageEncrypted', on: true }, key: 'KmsKeyId', applies: (props) => props.DBClusterIdentifier === undefined },
    'AWS::RDS::DBCluster': { switch: { property: 'StorageEncrypted', on: true }, key: 'KmsKeyId' },
  },
});
