import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { PeerSuite } from './kit';

// cdk-nag's cases use aws-cdk v1 APIs (instanceProps, Aurora MySQL 5.7.12, PostgreSQL 13.2); the ports
// build the same resources with today's equivalents (a writer instance, engine versions aws-cdk-lib still has).
const aurora = (s: Stack, vpc: ec2.IVpc, props: Partial<rds.DatabaseClusterProps> = {}) => new rds.DatabaseCluster(s, 'rDbCluster', {
  engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 }),
  writer: rds.ClusterInstance.provisioned('writer'),
  vpc,
  ...props,
});
const postgres = (s: Stack, vpc: ec2.IVpc, props: Partial<rds.DatabaseInstanceProps> = {}) => new rds.DatabaseInstance(s, 'rDbInstance', {
  engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
  vpc,
  ...props,
});

/** cdk-nag test/rules/RDS.test.ts. */
export const RDS_SUITE: PeerSuite = {
  service: 'RDS',
  source: 'test/rules/RDS.test.ts',
  commit: 'e21424c3298bd2076c4b3b002b57d43ba2c4acac',
  rules: [
    {
      rule: 'RDSStorageEncrypted',
      nagService: 'rds',
      awsSolutions: 'AwsSolutions-RDS2',
      ccpa: ['RDSCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance 1: an Aurora cluster with storageEncrypted false',
          nag: 'non-compliant',
          build: (s) => { aurora(s, new ec2.Vpc(s, 'rVpc'), { storageEncrypted: false }); },
          ccpa: ['CCPA-RDSCustomerManagedKey at Test/rDbCluster/Resource'],
        },
        {
          name: 'Noncompliance 2: a PostgreSQL instance with storageEncrypted false',
          nag: 'non-compliant',
          build: (s) => { postgres(s, new ec2.Vpc(s, 'rVpc'), { storageEncrypted: false }); },
          ccpa: ['CCPA-RDSCustomerManagedKey at Test/rDbInstance/Resource'],
        },
        {
          name: 'Compliance: both storage-encrypted with the AWS managed key',
          nag: 'compliant',
          build: (s) => {
            const vpc = new ec2.Vpc(s, 'rVpc');
            aurora(s, vpc, { storageEncrypted: true });
            postgres(s, vpc, { storageEncrypted: true });
          },
          ccpa: ['CCPA-RDSCustomerManagedKey at Test/rDbCluster/Resource', 'CCPA-RDSCustomerManagedKey at Test/rDbInstance/Resource'],
          differs: 'CcpaChecks requires a customer-managed key (KmsKeyId), not only storage encryption with aws/rds.',
        },
      ],
    },
    {
      rule: 'RDSInstanceBackupEnabled',
      nagService: 'rds',
      awsSolutions: 'AwsSolutions-RDS13',
      ccpa: ['DatabaseBackupsEnabled'],
      cases: [
        {
          name: 'Noncompliance 1: BackupRetentionPeriod 0',
          nag: 'non-compliant',
          build: (s) => { new rds.CfnDBInstance(s, 'rDbInstance', { dbInstanceClass: 'db.t3.micro', backupRetentionPeriod: 0 }); },
          ccpa: ['CCPA-DatabaseBackupsEnabled at Test/rDbInstance'],
        },
        {
          name: 'Compliance: the default, and 15 days',
          nag: 'compliant',
          build: (s) => {
            new rds.CfnDBInstance(s, 'rDbInstance', { dbInstanceClass: 'db.t3.micro' });
            new rds.CfnDBInstance(s, 'rDbInstance2', { dbInstanceClass: 'db.t3.micro', backupRetentionPeriod: 15 });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'RDSInstancePublicAccess',
      nagService: 'rds',
      ccpa: ['DatabaseNotPubliclyAccessible'],
      cases: [
        {
          name: 'Noncompliance 1: publiclyAccessible true',
          nag: 'non-compliant',
          build: (s) => { postgres(s, new ec2.Vpc(s, 'rVpc'), { publiclyAccessible: true }); },
          ccpa: ['CCPA-DatabaseNotPubliclyAccessible at Test/rDbInstance/Resource'],
        },
        {
          name: 'Compliance: publiclyAccessible false',
          nag: 'compliant',
          build: (s) => { postgres(s, new ec2.Vpc(s, 'rVpc'), { publiclyAccessible: false }); },
          ccpa: [],
        },
      ],
    },
  ],
};
