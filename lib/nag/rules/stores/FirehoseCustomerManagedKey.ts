import { valueAt, customerManagedKeyRule } from '../../private/cmk-rule';

/** Server-side encryption with a customer-managed KMS key on in-scope Firehose delivery streams. */
export const FirehoseCustomerManagedKey = customerManagedKeyRule({
  id: 'FirehoseCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope Firehose delivery stream taking records directly (DirectPut) does not encrypt them with a customer-managed KMS key (KeyType CUSTOMER_MANAGED_CMK, KeyARN); a stream reading Kinesis or MSK is encrypted by its source.',
  fix: 'Set encryption: StreamEncryption.customerManagedKey(key) with a PrivacyKey (L1: DeliveryStreamEncryptionConfigurationInput { KeyType: CUSTOMER_MANAGED_CMK, KeyARN }).',
  sites: {
    'AWS::KinesisFirehose::DeliveryStream': {
      switch: { property: 'DeliveryStreamEncryptionConfigurationInput.KeyType', on: 'CUSTOMER_MANAGED_CMK' },
      key: 'DeliveryStreamEncryptionConfigurationInput.KeyARN',
      applies: (props) => {
        const type = valueAt(props, 'DeliveryStreamType');
        return type !== 'KinesisStreamAsSource' && type !== 'MSKAsSource';
      },
    },
  },
});
