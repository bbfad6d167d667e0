import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope KinesisCustomerManagedKey stores. */
export const KinesisCustomerManagedKey = customerManagedKeyRule({
  id: 'KinesisCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope Kinesis data stream is not encrypted with a customer-managed KMS key (alias/aws/kinesis does not count).',
  fix: 'Set encryption: StreamEncryption.KMS with encryptionKey: a PrivacyKey with viaServices including kinesis.',
  sites: {
    'AWS::Kinesis::Stream': { switch: { property: 'StreamEncryption.EncryptionType', on: 'KMS' }, key: 'StreamEncryption.KeyId' },
  },
});
