import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption with a customer-managed KMS key on in-scope Redshift clusters and Redshift Serverless namespaces. */
export const RedshiftCustomerManagedKey = customerManagedKeyRule({
  id: 'RedshiftCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope Redshift cluster (Encrypted and KmsKeyId) or Redshift Serverless namespace (KmsKeyId) is not encrypted with a customer-managed KMS key (Redshift\'s default encryption uses an AWS owned key).',
  fix: 'Set Encrypted: true and KmsKeyId: a PrivacyKey with viaServices including redshift on the AWS::Redshift::Cluster; set KmsKeyId on the AWS::RedshiftServerless::Namespace.',
  sites: {
    'AWS::Redshift::Cluster': { switch: { property: 'Encrypted', on: true }, key: 'KmsKeyId' },
    'AWS::RedshiftServerless::Namespace': { key: 'KmsKeyId' },
  },
});
