import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { check, outcome } from '../helpers';

describe('other stores: encryption at rest with a customer-managed key', () => {
  test('GIVEN SQS, SNS, Kinesis, Backup vault with AWS managed or no keys THEN non-compliant; with a CMK THEN compliant', () => {
    const findings = check((s) => {
      const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
      new sqs.Queue(s, 'QManaged', { encryption: sqs.QueueEncryption.SQS_MANAGED });
      new sqs.Queue(s, 'QCmk', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
      new sns.Topic(s, 'TNone');
      new sns.Topic(s, 'TCmk', { masterKey: key });
      new kinesis.Stream(s, 'SManaged', { encryption: kinesis.StreamEncryption.MANAGED });
      new kinesis.Stream(s, 'SCmk', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
      new backup.BackupVault(s, 'VNone');
      new backup.BackupVault(s, 'VCmk', { encryptionKey: key });
    });
    const expectations: [string, string, string][] = [
      ['SQSCustomerManagedKey', 'Test/QManaged/Resource', 'non-compliant'], ['SQSCustomerManagedKey', 'Test/QCmk/Resource', 'clean'],
      ['SNSCustomerManagedKey', 'Test/TNone/Resource', 'non-compliant'], ['SNSCustomerManagedKey', 'Test/TCmk/Resource', 'clean'],
      ['KinesisCustomerManagedKey', 'Test/SManaged/Resource', 'non-compliant'], ['KinesisCustomerManagedKey', 'Test/SCmk/Resource', 'clean'],
      ['BackupVaultCustomerManagedKey', 'Test/VNone/Resource', 'non-compliant'], ['BackupVaultCustomerManagedKey', 'Test/VCmk/Resource', 'clean'],
    ];
    expect(expectations.map(([r, p]) => [r, p, outcome(findings, r, p)])).toEqual(expectations);
  });
  test('GIVEN RDS, EFS, OpenSearch, ElastiCache L1/L2 forms THEN CMK required', () => {
    const findings = check((s) => {
      const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
      new rds.CfnDBCluster(s, 'ClusterPlain', { engine: 'aurora-postgresql', storageEncrypted: true });
      new rds.CfnDBCluster(s, 'ClusterCmk', { engine: 'aurora-postgresql', storageEncrypted: true, kmsKeyId: key.keyArn });
      new rds.CfnDBInstance(s, 'Member', { dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'c' });
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new efs.FileSystem(s, 'FsCmk', { vpc, kmsKey: key });
      new efs.CfnFileSystem(s, 'FsPlain', { encrypted: false });
      new opensearch.CfnDomain(s, 'OsManaged', { encryptionAtRestOptions: { enabled: true } });
      new opensearch.CfnDomain(s, 'OsCmk', { encryptionAtRestOptions: { enabled: true, kmsKeyId: key.keyId } });
      new elasticache.CfnReplicationGroup(s, 'RgCmk', { replicationGroupDescription: 'x', atRestEncryptionEnabled: true, kmsKeyId: key.keyArn });
      new elasticache.CfnCacheCluster(s, 'Cluster', { cacheNodeType: 'cache.t3.micro', engine: 'redis', numCacheNodes: 1 });
    });
    const expectations: [string, string, string][] = [
      ['RDSCustomerManagedKey', 'Test/ClusterPlain', 'non-compliant'], ['RDSCustomerManagedKey', 'Test/ClusterCmk', 'clean'],
      ['RDSCustomerManagedKey', 'Test/Member', 'clean'],
      ['EFSCustomerManagedKey', 'Test/FsCmk/Resource', 'clean'], ['EFSCustomerManagedKey', 'Test/FsPlain', 'non-compliant'],
      ['OpenSearchCustomerManagedKey', 'Test/OsManaged', 'non-compliant'], ['OpenSearchCustomerManagedKey', 'Test/OsCmk', 'clean'],
      ['ElastiCacheCustomerManagedKey', 'Test/RgCmk', 'clean'], ['ElastiCacheCustomerManagedKey', 'Test/Cluster', 'non-compliant'],
    ];
    expect(expectations.map(([r, p]) => [r, p, outcome(findings, r, p)])).toEqual(expectations);
  });
});
