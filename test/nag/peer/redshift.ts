import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import { PeerSuite } from './kit';

// cdk-nag's compliant cases use the Redshift L2 Cluster of aws-cdk v1 (now @aws-cdk/aws-redshift-alpha,
// not a dependency here); the ports build the CfnCluster that construct renders for the property under test.
const cluster = (s: Stack, props: Partial<redshift.CfnClusterProps> = {}) => new redshift.CfnCluster(s, 'rRedshiftCluster', {
  masterUsername: 'use_a_secret_here',
  masterUserPassword: 'use_a_secret_here',
  clusterType: 'single-node',
  dbName: 'bar',
  nodeType: 'ds2.xlarge',
  ...props,
});

/** cdk-nag test/rules/Redshift.test.ts. */
export const REDSHIFT_SUITE: PeerSuite = {
  service: 'Redshift',
  source: 'test/rules/Redshift.test.ts',
  commit: '8d3d9179ea4ea3ab7f4535d25587a211610e3d22',
  rules: [
    {
      rule: 'RedshiftClusterEncryptionAtRest',
      nagService: 'redshift',
      awsSolutions: 'AwsSolutions-RS6',
      ccpa: ['RedshiftCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance: encrypted false',
          nag: 'non-compliant',
          build: (s) => { cluster(s, { encrypted: false }); },
          ccpa: ['CCPA-RedshiftCustomerManagedKey at Test/rRedshiftCluster'],
        },
        {
          name: 'Compliance: encrypted (the L2 default, AWS managed key)',
          nag: 'compliant',
          build: (s) => { cluster(s, { encrypted: true }); },
          ccpa: ['CCPA-RedshiftCustomerManagedKey at Test/rRedshiftCluster'],
          differs: 'CcpaChecks requires a customer-managed key (KmsKeyId), not only encryption with the AWS managed key.',
        },
        {
          name: 'Added: encrypted with a key of the app',
          nag: 'compliant',
          build: (s) => { cluster(s, { encrypted: true, kmsKeyId: new kms.Key(s, 'rKey').keyArn }); },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'RedshiftBackupEnabled',
      nagService: 'redshift',
      awsSolutions: 'AwsSolutions-RS10',
      ccpa: ['DatabaseBackupsEnabled'],
      cases: [
        {
          name: 'Noncompliance: AutomatedSnapshotRetentionPeriod 0',
          nag: 'non-compliant',
          build: (s) => { cluster(s, { automatedSnapshotRetentionPeriod: 0 }); },
          ccpa: ['CCPA-DatabaseBackupsEnabled at Test/rRedshiftCluster'],
        },
        {
          name: 'Compliance: the default (1 day of automated snapshots)',
          nag: 'compliant',
          build: (s) => { cluster(s); },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'RedshiftClusterPublicAccess',
      nagService: 'redshift',
      awsSolutions: 'AwsSolutions-RS8',
      ccpa: ['DatabaseNotPubliclyAccessible'],
      cases: [
        {
          name: 'Noncompliance: publiclyAccessible true',
          nag: 'non-compliant',
          build: (s) => { cluster(s, { publiclyAccessible: true }); },
          ccpa: ['CCPA-DatabaseNotPubliclyAccessible at Test/rRedshiftCluster'],
        },
        {
          name: 'Compliance: the default (not public)',
          nag: 'compliant',
          build: (s) => { cluster(s); },
          ccpa: [],
        },
      ],
    },
  ],
};
