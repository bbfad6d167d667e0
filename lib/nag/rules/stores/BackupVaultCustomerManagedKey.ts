import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope BackupVaultCustomerManagedKey stores. */
export const BackupVaultCustomerManagedKey = customerManagedKeyRule({
  id: 'BackupVaultCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope AWS Backup vault does not encrypt recovery points with a customer-managed KMS key (EncryptionKeyArn); backups of personal data are personal data.',
  fix: 'Set encryptionKey: a PrivacyKey with viaServices including backup (the storage construct\'s backup plan does).',
  sites: {
    'AWS::Backup::BackupVault': { key: 'EncryptionKeyArn' },
  },
});
