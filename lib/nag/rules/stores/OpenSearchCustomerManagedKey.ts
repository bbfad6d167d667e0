import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope OpenSearchCustomerManagedKey stores. */
export const OpenSearchCustomerManagedKey = customerManagedKeyRule({
  id: 'OpenSearchCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope OpenSearch (or Elasticsearch) domain is not encrypted at rest with a customer-managed KMS key.',
  fix: 'Set encryptionAtRest: { enabled: true, kmsKey: a PrivacyKey with viaServices including es }.',
  sites: {
    'AWS::OpenSearchService::Domain': { switch: { property: 'EncryptionAtRestOptions.Enabled', on: true }, key: 'EncryptionAtRestOptions.KmsKeyId' },
    'AWS::Elasticsearch::Domain': { switch: { property: 'EncryptionAtRestOptions.Enabled', on: true }, key: 'EncryptionAtRestOptions.KmsKeyId' },
  },
});
