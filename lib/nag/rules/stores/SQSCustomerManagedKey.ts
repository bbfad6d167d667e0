import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope SQSCustomerManagedKey stores. */
export const SQSCustomerManagedKey = customerManagedKeyRule({
  id: 'SQSCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope SQS queue is not encrypted with a customer-managed KMS key (SSE-SQS and alias/aws/sqs do not count).',
  fix: 'Set encryption: QueueEncryption.KMS with encryptionMasterKey: a PrivacyKey with viaServices including sqs.',
  sites: {
    'AWS::SQS::Queue': { key: 'KmsMasterKeyId' },
  },
});
