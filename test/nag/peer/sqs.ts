import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/SQS.test.ts. */
export const SQS_SUITE: PeerSuite = {
  service: 'SQS',
  source: 'test/rules/SQS.test.ts',
  commit: '0da7426acfdab38a35142e3ce9322cc04d39dbd1',
  rules: [
    {
      rule: 'SQSQueueSSE',
      nagService: 'sqs',
      awsSolutions: 'AwsSolutions-SQS2',
      ccpa: ['SQSCustomerManagedKey'],
      cases: [
        {
          // cdk-nag builds a Queue with no props; SQS now encrypts such a queue with SSE-SQS and
          // cdk-nag v3 accepts that, so the unencrypted queue is what the case means
          name: 'Noncompliance 1: an unencrypted queue',
          nag: 'non-compliant',
          build: (s) => { new sqs.Queue(s, 'rQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED }); },
          ccpa: ['CCPA-SQSCustomerManagedKey at Test/rQueue/Resource'],
        },
        {
          name: 'Compliance (cdk-nag v3): a queue with no props, SSE-SQS at deploy',
          nag: 'compliant',
          build: (s) => { new sqs.Queue(s, 'rQueue'); },
          ccpa: ['CCPA-SQSCustomerManagedKey at Test/rQueue/Resource'],
          differs: 'CcpaChecks does not accept SSE-SQS or alias/aws/sqs on a personal queue: only a customer-managed key limits who reads the messages.',
        },
        {
          name: 'Compliance: a queue with a key of the app',
          nag: 'compliant',
          build: (s) => { new sqs.Queue(s, 'rQueue', { encryptionMasterKey: new kms.Key(s, 'rQueueKey') }); },
          ccpa: [],
        },
      ],
    },
  ],
};
