import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope EFSCustomerManagedKey stores. */
export const EFSCustomerManagedKey = customerManagedKeyRule({
  id: 'EFSCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope EFS file system is not encrypted at rest with a customer-managed KMS key.',
  fix: 'Set encrypted: true and kmsKey: a PrivacyKey with viaServices including elasticfilesystem.',
  sites: {
    'AWS::EFS::FileSystem': { switch: { property: 'Encrypted', on: true }, key: 'KmsKeyId' },
  },
});
