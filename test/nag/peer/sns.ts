import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/SNS.test.ts. */
export const SNS_SUITE: PeerSuite = {
  service: 'SNS',
  source: 'test/rules/SNS.test.ts',
  commit: '34b3deed7d38c3ef09ce4be0b1f4bedd181a50ab',
  rules: [
    {
      rule: 'SNSEncryptedKMS',
      nagService: 'sns',
      ccpa: ['SNSCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance 1: a topic without a key',
          nag: 'non-compliant',
          build: (s) => { new sns.Topic(s, 'rTopic'); },
          ccpa: ['CCPA-SNSCustomerManagedKey at Test/rTopic/Resource'],
        },
        {
          name: 'Compliance: a topic with a key of the app',
          nag: 'compliant',
          build: (s) => { new sns.Topic(s, 'rTopic', { masterKey: new kms.Key(s, 'rKey') }); },
          ccpa: [],
        },
      ],
    },
  ],
};
