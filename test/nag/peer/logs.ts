import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/CloudWatch.test.ts (the log group rules). */
export const LOGS_SUITE: PeerSuite = {
  service: 'CloudWatch Logs',
  source: 'test/rules/CloudWatch.test.ts',
  commit: '96b45e035c5c30d66fb41e4ed186188bb91891ba',
  rules: [
    {
      rule: 'CloudWatchLogGroupEncrypted',
      nagService: 'cloudwatch',
      ccpa: ['LogsCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance 1: a log group without a key',
          nag: 'non-compliant',
          build: (s) => { new logs.LogGroup(s, 'rLogGroup'); },
          ccpa: [],
          differs: 'CcpaChecks asks for a customer-managed key only on log groups classified personal or sensitive; an unclassified log group is not a data store (the stores and the DSR log groups carry their own rules).',
        },
        {
          name: 'Compliance: a log group with a key of the app',
          nag: 'compliant',
          build: (s) => { new logs.LogGroup(s, 'rLogGroup', { encryptionKey: new kms.Key(s, 'rLogsKey') }); },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'CloudWatchLogGroupRetentionPeriod',
      nagService: 'cloudwatch',
      ccpa: ['LogsRetentionTwelveMonths'],
      cases: [
        {
          name: 'Noncompliance: no retention (kept forever)',
          nag: 'non-compliant',
          build: (s) => { new logs.CfnLogGroup(s, 'rLogGroup'); },
          ccpa: ['CCPA-LogsRetentionTwelveMonths at Test/rLogGroup'],
        },
        {
          name: 'Compliance: one year',
          nag: 'compliant',
          build: (s) => { new logs.LogGroup(s, 'rLogGroup', { retention: logs.RetentionDays.ONE_YEAR }); },
          ccpa: [],
        },
      ],
    },
  ],
};
