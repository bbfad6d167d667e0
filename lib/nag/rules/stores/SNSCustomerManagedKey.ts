import { customerManagedKeyRule } from '../../private/cmk-rule';

/** Encryption at rest with a customer-managed KMS key on in-scope SNSCustomerManagedKey stores. */
export const SNSCustomerManagedKey = customerManagedKeyRule({
  id: 'SNSCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope SNS topic is not encrypted with a customer-managed KMS key (alias/aws/sns does not count).',
  fix: 'Set masterKey: a PrivacyKey with viaServices including sns, and enforceSSL: true.',
  sites: {
    'AWS::SNS::Topic': { key: 'KmsMasterKeyId' },
  },
});
