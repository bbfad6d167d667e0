import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PeerSuite } from './kit';

const cluster = (s: Stack, props: Partial<docdb.DatabaseClusterProps> = {}) => new docdb.DatabaseCluster(s, 'rDatabaseCluster', {
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.R5, ec2.InstanceSize.LARGE),
  vpc: new ec2.Vpc(s, 'rVpc'),
  masterUser: { username: SecretValue.secretsManager('foo').toString(), password: SecretValue.secretsManager('bar') },
  ...props,
});

/** cdk-nag test/rules/DocumentDB.test.ts. */
export const DOCUMENTDB_SUITE: PeerSuite = {
  service: 'DocumentDB',
  source: 'test/rules/DocumentDB.test.ts',
  commit: 'e99fefdf3b115427191b22d389058ffea9ee9855',
  rules: [
    {
      rule: 'DocumentDBClusterEncryptionAtRest',
      nagService: 'documentdb',
      awsSolutions: 'AwsSolutions-DOC1',
      ccpa: ['DocumentDBCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance 1: storageEncrypted false',
          nag: 'non-compliant',
          build: (s) => { cluster(s, { storageEncrypted: false }); },
          ccpa: ['CCPA-DocumentDBCustomerManagedKey at Test/rDatabaseCluster/Resource'],
        },
        {
          name: 'Compliance: storageEncrypted true (AWS managed key)',
          nag: 'compliant',
          build: (s) => { cluster(s, { storageEncrypted: true }); },
          ccpa: ['CCPA-DocumentDBCustomerManagedKey at Test/rDatabaseCluster/Resource'],
          differs: 'CcpaChecks requires a customer-managed key (kmsKey), not only storage encryption with aws/rds.',
        },
      ],
    },
    {
      rule: 'DocumentDBClusterBackupRetentionPeriod',
      nagService: 'documentdb',
      awsSolutions: 'AwsSolutions-DOC4',
      ccpa: ['DatabaseBackupsEnabled'],
      cases: [
        {
          name: 'Noncompliance 1: no backup retention set (the service default, 1 day)',
          nag: 'non-compliant',
          build: (s) => { cluster(s); },
          ccpa: [],
          differs: 'cdk-nag wants a minimum retention of 7 days; CcpaChecks fails only backups off (0), the same bar for RDS, Aurora, DocumentDB and Neptune. The default keeps one day of backups.',
        },
        {
          name: 'Compliance: 7 days',
          nag: 'compliant',
          build: (s) => { cluster(s, { backup: { retention: Duration.days(7) } }); },
          ccpa: [],
        },
      ],
    },
  ],
};
