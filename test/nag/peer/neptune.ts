import * as neptune from 'aws-cdk-lib/aws-neptune';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/Neptune.test.ts. */
export const NEPTUNE_SUITE: PeerSuite = {
  service: 'Neptune',
  source: 'test/rules/Neptune.test.ts',
  commit: '930a1bad33d672ae76bd0979d6fa38a806e5c0c4',
  rules: [
    {
      rule: 'NeptuneClusterEncryptionAtRest',
      nagService: 'neptune',
      awsSolutions: 'AwsSolutions-N4',
      ccpa: ['NeptuneCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance: StorageEncrypted false',
          nag: 'non-compliant',
          build: (s) => { new neptune.CfnDBCluster(s, 'rDatabaseCluster', { storageEncrypted: false }); },
          ccpa: ['CCPA-NeptuneCustomerManagedKey at Test/rDatabaseCluster'],
        },
        {
          name: 'Compliance: StorageEncrypted true (AWS managed key)',
          nag: 'compliant',
          build: (s) => { new neptune.CfnDBCluster(s, 'rDatabaseCluster', { storageEncrypted: true }); },
          ccpa: ['CCPA-NeptuneCustomerManagedKey at Test/rDatabaseCluster'],
          differs: 'CcpaChecks requires a customer-managed key (KmsKeyId), not only storage encryption with aws/rds.',
        },
      ],
    },
    {
      rule: 'NeptuneClusterBackupRetentionPeriod',
      nagService: 'neptune',
      awsSolutions: 'AwsSolutions-N3',
      ccpa: ['DatabaseBackupsEnabled'],
      cases: [
        {
          name: 'Noncompliance: no BackupRetentionPeriod (the service default, 1 day)',
          nag: 'non-compliant',
          build: (s) => { new neptune.CfnDBCluster(s, 'rDatabaseCluster'); },
          ccpa: [],
          differs: 'cdk-nag wants a minimum retention of 7 days; CcpaChecks fails only backups off (0), the same bar for RDS, Aurora, DocumentDB and Neptune. The default keeps one day of backups.',
        },
        {
          name: 'Compliance: 7 days',
          nag: 'compliant',
          build: (s) => { new neptune.CfnDBCluster(s, 'rDatabaseCluster', { backupRetentionPeriod: 7 }); },
          ccpa: [],
        },
      ],
    },
  ],
};
