import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption with a customer-managed KMS key on log groups classified as holding personal data. */
export const LogsCustomerManagedKey = customerManagedKeyRule({
  id: 'LogsCustomerManagedKey',
  service: 'logs',
  what: 'A CloudWatch Logs log group classified personal or sensitive (privacy:classification on the group or applied above it) is not encrypted with a customer-managed KMS key (KmsKeyId).',
  choice: 'Only log groups explicitly classified as holding personal data are checked: logs should not hold personal data, and requiring a key on every log group would fail most apps for groups that hold none. A group that does hold it is a store like a queue or a topic and gets the same control.',
  fix: 'Set encryptionKey: a PrivacyKey with viaServices including logs (the key policy must allow the logs.<region>.amazonaws.com service principal); L1: KmsKeyId.',
  sites: {
    'AWS::Logs::LogGroup': { key: 'KmsKeyId' },
  },
  scope: (node, index) => index.classification(node).declared,
});
