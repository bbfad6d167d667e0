import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Storage encryption with a customer-managed KMS key on in-scope Neptune clusters (instances inherit it). */
export const NeptuneCustomerManagedKey = customerManagedKeyRule({
  id: 'NeptuneCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope Neptune DB cluster is not storage-encrypted (StorageEncrypted) with a customer-managed KMS key (KmsKeyId); its instances inherit the cluster\'s encryption.',
  fix: 'Set StorageEncrypted: true and KmsKeyId: a PrivacyKey with viaServices including rds (Neptune uses the RDS key grants) on the AWS::Neptune::DBCluster (L2 DatabaseCluster of @aws-cdk/aws-neptune-alpha: storageEncrypted, kmsKey).',
  sites: {
    'AWS::Neptune::DBCluster': { switch: { property: 'StorageEncrypted', on: true }, key: 'KmsKeyId' },
  },
});
