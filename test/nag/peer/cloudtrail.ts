import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/CloudTrail.test.ts. */
export const CLOUDTRAIL_SUITE: PeerSuite = {
  service: 'CloudTrail',
  source: 'test/rules/CloudTrail.test.ts',
  commit: '22480560bb28d59c75a8dfb086baf09b93302cc6',
  rules: [
    {
      rule: 'CloudTrailEncryptionEnabled',
      nagService: 'cloudtrail',
      ccpa: ['CloudTrailEncrypted'],
      cases: [
        {
          name: 'Noncompliance: a trail to CloudWatch Logs without a key',
          nag: 'non-compliant',
          build: (s) => { new cloudtrail.Trail(s, 'rTrail', { cloudWatchLogGroup: new logs.LogGroup(s, 'rLogGroup'), sendToCloudWatchLogs: true }); },
          ccpa: ['CCPA-CloudTrailEncrypted at Test/rTrail/Resource'],
        },
        {
          name: 'Compliance: a trail with a key of the app',
          nag: 'compliant',
          build: (s) => {
            const trail = new cloudtrail.Trail(s, 'rTrail', { cloudWatchLogGroup: new logs.LogGroup(s, 'rLogGroup'), sendToCloudWatchLogs: true, encryptionKey: new kms.Key(s, 'rKey') });
            trail.logAllLambdaDataEvents();
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'CloudTrailLogFileValidationEnabled',
      nagService: 'cloudtrail',
      ccpa: ['CloudTrailLogFileValidation'],
      cases: [
        {
          name: 'Noncompliance: enableFileValidation false',
          nag: 'non-compliant',
          build: (s) => { new cloudtrail.Trail(s, 'rTrail', { cloudWatchLogGroup: new logs.LogGroup(s, 'rLogGroup'), sendToCloudWatchLogs: true, enableFileValidation: false }); },
          ccpa: ['CCPA-CloudTrailLogFileValidation at Test/rTrail/Resource'],
        },
        {
          name: 'Compliance: the construct default (validation on)',
          nag: 'compliant',
          build: (s) => {
            const trail = new cloudtrail.Trail(s, 'rTrail', { cloudWatchLogGroup: new logs.LogGroup(s, 'rLogGroup'), sendToCloudWatchLogs: true, encryptionKey: new kms.Key(s, 'rKey') });
            trail.logAllLambdaDataEvents();
          },
          ccpa: [],
        },
      ],
    },
  ],
};
