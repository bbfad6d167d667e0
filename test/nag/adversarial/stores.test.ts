import { CfnCondition, CfnParameter, Duration, Fn, Size, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dax from 'aws-cdk-lib/aws-dax';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as docdbelastic from 'aws-cdk-lib/aws-docdbelastic';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import * as neptune from 'aws-cdk-lib/aws-neptune';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Construct, IConstruct } from 'constructs';
import { AdversarialCase, findingsFor, runCases, templateFile } from './kit';
import { DataClassification, PrivacyClassification } from '../../../lib/classification';

const key = (s: Stack) => new kms.Key(s, 'Key', { enableKeyRotation: true });
const vpcOf = (s: Stack) => new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
const nonPersonal = (c: IConstruct) => PrivacyClassification.apply(c, { classification: DataClassification.NON_PERSONAL });

/** Blind spot 1: every store type gets a customer-managed key rule (one factory). */
const neptuneCases: AdversarialCase[] = [
  {
    name: 'GIVEN a Neptune cluster with no encryption THEN error',
    rules: ['NeptuneCustomerManagedKey'],
    build: (s) => { new neptune.CfnDBCluster(s, 'Graph', {}); },
    expect: ['CCPA-NeptuneCustomerManagedKey at Test/Graph'],
  },
  {
    name: 'GIVEN a Neptune cluster storage-encrypted with the AWS managed key THEN error',
    rules: ['NeptuneCustomerManagedKey'],
    build: (s) => { new neptune.CfnDBCluster(s, 'Graph', { storageEncrypted: true }); },
    expect: ['CCPA-NeptuneCustomerManagedKey at Test/Graph'],
  },
  {
    name: 'GIVEN a Neptune cluster with alias/aws/rds THEN error',
    rules: ['NeptuneCustomerManagedKey'],
    build: (s) => { new neptune.CfnDBCluster(s, 'Graph', { storageEncrypted: true, kmsKeyId: 'alias/aws/rds' }); },
    expect: ['CCPA-NeptuneCustomerManagedKey at Test/Graph'],
  },
  {
    name: 'GIVEN a Neptune cluster with a key of the app THEN no finding',
    rules: ['NeptuneCustomerManagedKey'],
    build: (s) => { new neptune.CfnDBCluster(s, 'Graph', { storageEncrypted: true, kmsKeyId: key(s).keyArn }); },
    expect: [],
  },
  {
    name: 'GIVEN a Neptune cluster whose key is a parameter THEN CannotVerify',
    rules: ['NeptuneCustomerManagedKey'],
    build: (s) => { new neptune.CfnDBCluster(s, 'Graph', { storageEncrypted: true, kmsKeyId: new CfnParameter(s, 'KeyArn').valueAsString }); },
    expect: ['CCPA-NeptuneCustomerManagedKey[CannotVerify] at Test/Graph'],
  },
  {
    name: 'GIVEN a Neptune cluster classified non-personal THEN no finding',
    rules: ['NeptuneCustomerManagedKey'],
    build: (s) => { nonPersonal(new neptune.CfnDBCluster(s, 'Graph', {})); },
    expect: [],
  },
  {
    name: 'GIVEN StorageEncrypted in Fn::If THEN CannotVerify',
    rules: ['NeptuneCustomerManagedKey'],
    build: (s) => {
      const prod = new CfnCondition(s, 'Prod', { expression: Fn.conditionEquals('prod', 'prod') });
      new neptune.CfnDBCluster(s, 'Graph', { storageEncrypted: Fn.conditionIf(prod.logicalId, true, false) as unknown as boolean, kmsKeyId: key(s).keyArn });
    },
    expect: ['CCPA-NeptuneCustomerManagedKey[CannotVerify] at Test/Graph'],
  },
];

const docdbCases: AdversarialCase[] = [
  {
    name: 'GIVEN an L2 DocumentDB cluster with default encryption THEN error',
    rules: ['DocumentDBCustomerManagedKey'],
    build: (s) => { new docdb.DatabaseCluster(s, 'Docs', { masterUser: { username: 'admin' }, instanceType: ec2.InstanceType.of(ec2.InstanceClass.R5, ec2.InstanceSize.LARGE), vpc: vpcOf(s) }); },
    expect: ['CCPA-DocumentDBCustomerManagedKey at Test/Docs/Resource'],
  },
  {
    name: 'GIVEN an L2 DocumentDB cluster with kmsKey THEN no finding',
    rules: ['DocumentDBCustomerManagedKey'],
    build: (s) => { new docdb.DatabaseCluster(s, 'Docs', { masterUser: { username: 'admin' }, instanceType: ec2.InstanceType.of(ec2.InstanceClass.R5, ec2.InstanceSize.LARGE), vpc: vpcOf(s), kmsKey: key(s) }); },
    expect: [],
  },
  {
    name: 'GIVEN a DocumentDB cluster with storageEncrypted false and a key THEN error',
    rules: ['DocumentDBCustomerManagedKey'],
    build: (s) => { new docdb.CfnDBCluster(s, 'Docs', { storageEncrypted: false, kmsKeyId: key(s).keyArn }); },
    expect: ['CCPA-DocumentDBCustomerManagedKey at Test/Docs'],
  },
  {
    name: 'GIVEN a DocumentDB elastic cluster without a key THEN error',
    rules: ['DocumentDBCustomerManagedKey'],
    build: (s) => { new docdbelastic.CfnCluster(s, 'Elastic', { adminUserName: 'admin', authType: 'PLAIN_TEXT', clusterName: 'docs', shardCapacity: 2, shardCount: 1 }); },
    expect: ['CCPA-DocumentDBCustomerManagedKey at Test/Elastic'],
  },
  {
    name: 'GIVEN a DocumentDB elastic cluster with a literal customer alias THEN no finding',
    rules: ['DocumentDBCustomerManagedKey'],
    build: (s) => { new docdbelastic.CfnCluster(s, 'Elastic', { adminUserName: 'admin', authType: 'PLAIN_TEXT', clusterName: 'docs', shardCapacity: 2, shardCount: 1, kmsKeyId: 'alias/docs' }); },
    expect: [],
  },
  {
    name: 'GIVEN a DocumentDB cluster whose key is an import THEN CannotVerify',
    rules: ['DocumentDBCustomerManagedKey'],
    build: (s) => { new docdb.CfnDBCluster(s, 'Docs', { storageEncrypted: true, kmsKeyId: Fn.importValue('SharedKeyArn') }); },
    expect: ['CCPA-DocumentDBCustomerManagedKey[CannotVerify] at Test/Docs'],
  },
];

const redshiftCases: AdversarialCase[] = [
  {
    name: 'GIVEN a Redshift cluster without Encrypted THEN error',
    rules: ['RedshiftCustomerManagedKey'],
    build: (s) => { new redshift.CfnCluster(s, 'Dw', { clusterType: 'single-node', dbName: 'dw', masterUsername: 'admin', nodeType: 'ra3.xlplus', masterUserPassword: 'x'.repeat(12) }); },
    expect: ['CCPA-RedshiftCustomerManagedKey at Test/Dw'],
  },
  {
    name: 'GIVEN a Redshift cluster encrypted without a key THEN error',
    rules: ['RedshiftCustomerManagedKey'],
    build: (s) => { new redshift.CfnCluster(s, 'Dw', { clusterType: 'single-node', dbName: 'dw', masterUsername: 'admin', nodeType: 'ra3.xlplus', encrypted: true }); },
    expect: ['CCPA-RedshiftCustomerManagedKey at Test/Dw'],
  },
  {
    name: 'GIVEN a Redshift cluster encrypted with a key id of the app THEN no finding',
    rules: ['RedshiftCustomerManagedKey'],
    build: (s) => { new redshift.CfnCluster(s, 'Dw', { clusterType: 'single-node', dbName: 'dw', masterUsername: 'admin', nodeType: 'ra3.xlplus', encrypted: true, kmsKeyId: key(s).keyId }); },
    expect: [],
  },
  {
    name: 'GIVEN Encrypted "true" as a string with a key THEN no finding',
    rules: ['RedshiftCustomerManagedKey'],
    build: (s) => {
      const c = new redshift.CfnCluster(s, 'Dw', { clusterType: 'single-node', dbName: 'dw', masterUsername: 'admin', nodeType: 'ra3.xlplus', kmsKeyId: key(s).keyArn });
      c.addPropertyOverride('Encrypted', 'true');
    },
    expect: [],
  },
  {
    name: 'GIVEN a Redshift Serverless namespace without a key THEN error',
    rules: ['RedshiftCustomerManagedKey'],
    build: (s) => { new redshiftserverless.CfnNamespace(s, 'Ns', { namespaceName: 'dw' }); },
    expect: ['CCPA-RedshiftCustomerManagedKey at Test/Ns'],
  },
  {
    name: 'GIVEN a Redshift Serverless namespace with a key THEN no finding',
    rules: ['RedshiftCustomerManagedKey'],
    build: (s) => { new redshiftserverless.CfnNamespace(s, 'Ns', { namespaceName: 'dw', kmsKeyId: key(s).keyArn }); },
    expect: [],
  },
];

const memoryCases: AdversarialCase[] = [
  {
    name: 'GIVEN a MemoryDB cluster without KmsKeyId THEN error',
    rules: ['MemoryDBCustomerManagedKey'],
    build: (s) => { new memorydb.CfnCluster(s, 'Cache', { aclName: 'open-access', clusterName: 'c', nodeType: 'db.t4g.small' }); },
    expect: ['CCPA-MemoryDBCustomerManagedKey at Test/Cache'],
  },
  {
    name: 'GIVEN a MemoryDB cluster with a key of the app THEN no finding',
    rules: ['MemoryDBCustomerManagedKey'],
    build: (s) => { new memorydb.CfnCluster(s, 'Cache', { aclName: 'open-access', clusterName: 'c', nodeType: 'db.t4g.small', kmsKeyId: key(s).keyArn }); },
    expect: [],
  },
  {
    name: 'GIVEN a MemoryDB cluster keyed by a key added through an escape hatch THEN no finding',
    rules: ['MemoryDBCustomerManagedKey'],
    build: (s) => {
      const c = new memorydb.CfnCluster(s, 'Cache', { aclName: 'open-access', clusterName: 'c', nodeType: 'db.t4g.small' });
      c.addPropertyOverride('KmsKeyId', key(s).keyArn);
    },
    expect: [],
  },
  {
    name: 'GIVEN a MemoryDB cluster whose key was removed through an escape hatch THEN error',
    rules: ['MemoryDBCustomerManagedKey'],
    build: (s) => {
      const c = new memorydb.CfnCluster(s, 'Cache', { aclName: 'open-access', clusterName: 'c', nodeType: 'db.t4g.small', kmsKeyId: key(s).keyArn });
      c.addPropertyDeletionOverride('KmsKeyId');
    },
    expect: ['CCPA-MemoryDBCustomerManagedKey at Test/Cache'],
  },
];

const dest = (s: Stack) => new firehose.S3Bucket(s3.Bucket.fromBucketName(s, 'Dest', 'landing-bucket'));
const firehoseCases: AdversarialCase[] = [
  {
    name: 'GIVEN an L2 Firehose stream with no encryption THEN error',
    rules: ['FirehoseCustomerManagedKey'],
    build: (s) => { new firehose.DeliveryStream(s, 'Events', { destination: dest(s) }); },
    expect: ['CCPA-FirehoseCustomerManagedKey at Test/Events/Resource'],
  },
  {
    name: 'GIVEN an L2 Firehose stream with the AWS owned key THEN error',
    rules: ['FirehoseCustomerManagedKey'],
    build: (s) => { new firehose.DeliveryStream(s, 'Events', { destination: dest(s), encryption: firehose.StreamEncryption.awsOwnedKey() }); },
    expect: ['CCPA-FirehoseCustomerManagedKey at Test/Events/Resource'],
  },
  {
    name: 'GIVEN an L2 Firehose stream with a customer-managed key THEN no finding',
    rules: ['FirehoseCustomerManagedKey'],
    build: (s) => { new firehose.DeliveryStream(s, 'Events', { destination: dest(s), encryption: firehose.StreamEncryption.customerManagedKey(key(s)) }); },
    expect: [],
  },
  {
    name: 'GIVEN a Firehose stream reading a Kinesis stream THEN not checked here (the source is)',
    rules: ['FirehoseCustomerManagedKey'],
    build: (s) => { new firehose.CfnDeliveryStream(s, 'Events', { deliveryStreamType: 'KinesisStreamAsSource', kinesisStreamSourceConfiguration: { kinesisStreamArn: 'arn:aws:kinesis:us-east-1:111111111111:stream/x', roleArn: 'arn:aws:iam::111111111111:role/r' } }); },
    expect: [],
  },
  {
    name: 'GIVEN an L1 stream with KeyType CUSTOMER_MANAGED_CMK but no KeyARN THEN error',
    rules: ['FirehoseCustomerManagedKey'],
    build: (s) => { new firehose.CfnDeliveryStream(s, 'Events', { deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK' } }); },
    expect: ['CCPA-FirehoseCustomerManagedKey at Test/Events'],
  },
  {
    name: 'GIVEN a stream whose encryption input is one Fn::If THEN CannotVerify',
    rules: ['FirehoseCustomerManagedKey'],
    build: (s) => {
      const c = new CfnCondition(s, 'Enc', { expression: Fn.conditionEquals('a', 'a') });
      const st = new firehose.CfnDeliveryStream(s, 'Events', {});
      st.addPropertyOverride('DeliveryStreamEncryptionConfigurationInput', Fn.conditionIf(c.logicalId, { KeyType: 'AWS_OWNED_CMK' }, { KeyType: 'AWS_OWNED_CMK' }));
    },
    expect: ['CCPA-FirehoseCustomerManagedKey[CannotVerify] at Test/Events'],
  },
];

const ebsCases: AdversarialCase[] = [
  {
    name: 'GIVEN an unencrypted L2 Volume THEN error',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => { new ec2.Volume(s, 'Disk', { availabilityZone: 'us-east-1a', size: cdkSize(10) }); },
    expect: ['CCPA-EBSCustomerManagedKey at Test/Disk/Resource'],
  },
  {
    name: 'GIVEN an encrypted L2 Volume with the default key THEN error',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => { new ec2.Volume(s, 'Disk', { availabilityZone: 'us-east-1a', size: cdkSize(10), encrypted: true }); },
    expect: ['CCPA-EBSCustomerManagedKey at Test/Disk/Resource'],
  },
  {
    name: 'GIVEN an L2 Volume with encryptionKey THEN no finding',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => { new ec2.Volume(s, 'Disk', { availabilityZone: 'us-east-1a', size: cdkSize(10), encrypted: true, encryptionKey: key(s) }); },
    expect: [],
  },
  {
    name: 'GIVEN an instance with no block device mappings THEN CannotVerify (the AMI decides)',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => { new ec2.CfnInstance(s, 'Box', { imageId: 'ami-12345678' }); },
    expect: ['CCPA-EBSCustomerManagedKey[CannotVerify] at Test/Box'],
  },
  {
    name: 'GIVEN an instance mapping one encrypted CMK volume and one plain volume THEN error',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => {
      const k = key(s);
      new ec2.CfnInstance(s, 'Box', {
        imageId: 'ami-12345678',
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { encrypted: true, kmsKeyId: k.keyArn } },
          { deviceName: '/dev/xvdb', ebs: { volumeSize: 100 } },
        ],
      });
    },
    expect: ['CCPA-EBSCustomerManagedKey at Test/Box'],
  },
  {
    name: 'GIVEN an L2 Instance whose blockDevices are CMK-encrypted THEN no finding',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => {
      const k = key(s);
      new ec2.Instance(s, 'Box', {
        vpc: vpcOf(s),
        instanceType: new ec2.InstanceType('t3.micro'),
        machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345678' }),
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, kmsKey: k }) }],
      });
    },
    expect: [],
    stackProps: { env: { region: 'us-east-1', account: '111111111111' } },
  },
  {
    name: 'GIVEN a launch template with an unencrypted volume THEN error',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => { new ec2.CfnLaunchTemplate(s, 'Lt', { launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 8 } }] } }); },
    expect: ['CCPA-EBSCustomerManagedKey at Test/Lt'],
  },
  {
    name: 'GIVEN a launch template that maps no volume THEN no finding',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => { new ec2.CfnLaunchTemplate(s, 'Lt', { launchTemplateData: { instanceType: 't3.micro' } }); },
    expect: [],
  },
  {
    name: 'GIVEN a volume classified non-personal THEN no finding',
    rules: ['EBSCustomerManagedKey'],
    build: (s) => { nonPersonal(new ec2.CfnVolume(s, 'Scratch', { availabilityZone: 'us-east-1a', size: 10 })); },
    expect: [],
  },
];
function cdkSize(gib: number) { return Size.gibibytes(gib); }

const logCases: AdversarialCase[] = [
  {
    name: 'GIVEN a log group classified personal without a key THEN error',
    rules: ['LogsCustomerManagedKey'],
    build: (s) => { PrivacyClassification.apply(new logs.LogGroup(s, 'Clicks', { retention: logs.RetentionDays.ONE_YEAR }), { classification: DataClassification.PERSONAL }); },
    expect: ['CCPA-LogsCustomerManagedKey at Test/Clicks/Resource'],
  },
  {
    name: 'GIVEN a log group under a construct classified sensitive without a key THEN error',
    rules: ['LogsCustomerManagedKey'],
    build: (s) => {
      const scope = new Construct(s, 'Health');
      PrivacyClassification.apply(scope, { classification: DataClassification.SENSITIVE });
      new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    },
    expect: ['CCPA-LogsCustomerManagedKey at Test/Health/Logs/Resource'],
  },
  {
    name: 'GIVEN a personal log group with a key THEN no finding',
    rules: ['LogsCustomerManagedKey'],
    build: (s) => { PrivacyClassification.apply(new logs.LogGroup(s, 'Clicks', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key(s) }), { classification: DataClassification.PERSONAL }); },
    expect: [],
  },
  {
    name: 'GIVEN an unclassified log group without a key THEN no finding (logs are not assumed to hold personal data)',
    rules: ['LogsCustomerManagedKey'],
    build: (s) => { new logs.LogGroup(s, 'App', { retention: logs.RetentionDays.ONE_YEAR }); },
    expect: [],
  },
  {
    name: 'GIVEN a raw CfnLogGroup tagged personal in its own Tags THEN error',
    rules: ['LogsCustomerManagedKey'],
    build: (s) => { new logs.CfnLogGroup(s, 'Raw', { retentionInDays: 365, tags: [{ key: 'privacy:classification', value: 'personal' }] }); },
    expect: ['CCPA-LogsCustomerManagedKey at Test/Raw'],
  },
];

const daxCases: AdversarialCase[] = [
  {
    name: 'GIVEN a DAX cluster with no SSE and no TLS THEN error',
    rules: ['DAXEncrypted'],
    build: (s) => { new dax.CfnCluster(s, 'Dax', { iamRoleArn: 'arn:aws:iam::111111111111:role/dax', nodeType: 'dax.r5.large', replicationFactor: 3 }); },
    expect: ['CCPA-DAXEncrypted at Test/Dax'],
  },
  {
    name: 'GIVEN a DAX cluster with SSE but a plain endpoint THEN error',
    rules: ['DAXEncrypted'],
    build: (s) => { new dax.CfnCluster(s, 'Dax', { iamRoleArn: 'arn:aws:iam::111111111111:role/dax', nodeType: 'dax.r5.large', replicationFactor: 3, sseSpecification: { sseEnabled: true }, clusterEndpointEncryptionType: 'NONE' }); },
    expect: ['CCPA-DAXEncrypted at Test/Dax'],
  },
  {
    name: 'GIVEN a DAX cluster with SSE and TLS THEN no finding',
    rules: ['DAXEncrypted'],
    build: (s) => { new dax.CfnCluster(s, 'Dax', { iamRoleArn: 'arn:aws:iam::111111111111:role/dax', nodeType: 'dax.r5.large', replicationFactor: 3, sseSpecification: { sseEnabled: true }, clusterEndpointEncryptionType: 'TLS' }); },
    expect: [],
  },
];

const pool = (s: Stack, props: cognito.UserPoolProps = {}) => new cognito.UserPool(s, 'Users', props);
const COG = ['CognitoUserPoolMfa', 'CognitoUserPoolThreatProtection', 'CognitoUserPoolDeletionProtection'];
const cognitoCases: AdversarialCase[] = [
  {
    name: 'GIVEN an L2 user pool with defaults THEN three errors',
    rules: COG,
    build: (s) => { pool(s); },
    expect: ['CCPA-CognitoUserPoolMfa at Test/Users/Resource', 'CCPA-CognitoUserPoolThreatProtection at Test/Users/Resource', 'CCPA-CognitoUserPoolDeletionProtection at Test/Users/Resource'],
  },
  {
    name: 'GIVEN a user pool with MFA, threat protection and deletion protection THEN no finding',
    rules: COG,
    build: (s) => {
      pool(s, {
        mfa: cognito.Mfa.REQUIRED,
        mfaSecondFactor: { otp: true, sms: false },
        featurePlan: cognito.FeaturePlan.PLUS,
        standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
        deletionProtection: true,
      });
    },
    expect: [],
  },
  {
    name: 'GIVEN optional MFA THEN no MFA finding',
    rules: ['CognitoUserPoolMfa'],
    build: (s) => { pool(s, { mfa: cognito.Mfa.OPTIONAL, mfaSecondFactor: { otp: true, sms: false } }); },
    expect: [],
  },
  {
    name: 'GIVEN threat protection in audit mode only THEN error',
    rules: ['CognitoUserPoolThreatProtection'],
    build: (s) => {
      pool(s, { featurePlan: cognito.FeaturePlan.PLUS, standardThreatProtectionMode: cognito.StandardThreatProtectionMode.AUDIT_ONLY });
    },
    expect: ['CCPA-CognitoUserPoolThreatProtection at Test/Users/Resource'],
  },
  {
    name: 'GIVEN deletion protection INACTIVE through an escape hatch THEN error',
    rules: ['CognitoUserPoolDeletionProtection'],
    build: (s) => { (pool(s, { deletionProtection: true }).node.defaultChild as cognito.CfnUserPool).addPropertyOverride('DeletionProtection', 'INACTIVE'); },
    expect: ['CCPA-CognitoUserPoolDeletionProtection at Test/Users/Resource'],
  },
  {
    name: 'GIVEN MfaConfiguration from a parameter THEN CannotVerify',
    rules: ['CognitoUserPoolMfa'],
    build: (s) => { new cognito.CfnUserPool(s, 'Users', { mfaConfiguration: new CfnParameter(s, 'Mfa').valueAsString }); },
    expect: ['CCPA-CognitoUserPoolMfa[CannotVerify] at Test/Users'],
  },
  { name: 'GIVEN a user pool classified non-personal THEN no finding', rules: COG, build: (s) => { nonPersonal(pool(s)); }, expect: [] },
];

const backupCases: AdversarialCase[] = [
  {
    name: 'GIVEN an RDS instance with BackupRetentionPeriod 0 THEN error',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new rds.CfnDBInstance(s, 'Db', { dbInstanceClass: 'db.t3.micro', engine: 'postgres', backupRetentionPeriod: 0 }); },
    expect: ['CCPA-DatabaseBackupsEnabled at Test/Db'],
  },
  {
    name: 'GIVEN an L2 DatabaseInstance with backupRetention 0 days THEN error',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new rds.DatabaseInstance(s, 'Db', { engine: rds.DatabaseInstanceEngine.POSTGRES, vpc: vpcOf(s), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, publiclyAccessible: false, backupRetention: Duration.days(0) }); },
    expect: ['CCPA-DatabaseBackupsEnabled at Test/Db/Resource'],
  },
  {
    name: 'GIVEN an RDS instance with the default retention THEN no finding',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new rds.CfnDBInstance(s, 'Db', { dbInstanceClass: 'db.t3.micro', engine: 'postgres' }); },
    expect: [],
  },
  {
    name: 'GIVEN an Aurora cluster with BackupRetentionPeriod "0" as a string THEN error',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new rds.CfnDBCluster(s, 'Aurora', { engine: 'aurora-postgresql' }).addPropertyOverride('BackupRetentionPeriod', '0'); },
    expect: ['CCPA-DatabaseBackupsEnabled at Test/Aurora'],
  },
  {
    name: 'GIVEN a cluster member instance with BackupRetentionPeriod 0 THEN not checked (the cluster decides)',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new rds.CfnDBInstance(s, 'Member', { dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'c', backupRetentionPeriod: 0 }); },
    expect: [],
  },
  {
    name: 'GIVEN a DocumentDB cluster with BackupRetentionPeriod 0 THEN error',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new docdb.CfnDBCluster(s, 'Docs', { backupRetentionPeriod: 0 }); },
    expect: ['CCPA-DatabaseBackupsEnabled at Test/Docs'],
  },
  {
    name: 'GIVEN a Neptune cluster with BackupRetentionPeriod 0 THEN error',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new neptune.CfnDBCluster(s, 'Graph', { backupRetentionPeriod: 0 }); },
    expect: ['CCPA-DatabaseBackupsEnabled at Test/Graph'],
  },
  {
    name: 'GIVEN a Neptune cluster with 7 days THEN no finding',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new neptune.CfnDBCluster(s, 'Graph', { backupRetentionPeriod: 7 }); },
    expect: [],
  },
  {
    name: 'GIVEN a retention period from a parameter THEN CannotVerify',
    rules: ['DatabaseBackupsEnabled'],
    build: (s) => { new docdb.CfnDBCluster(s, 'Docs', { backupRetentionPeriod: new CfnParameter(s, 'Days', { type: 'Number' }).valueAsNumber }); },
    expect: ['CCPA-DatabaseBackupsEnabled[CannotVerify] at Test/Docs'],
  },
];

const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Users:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: { Name: id, Type: String }
`;
const SAM_KEYED = `Transform: AWS::Serverless-2016-10-31
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy: { Version: '2012-10-17', Statement: [] }
  Users:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: { Name: id, Type: String }
      SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref Key }
      Tags: { 'privacy:classification': personal }
`;
const samCases: AdversarialCase[] = [
  {
    name: 'GIVEN an included SAM template with a plain SimpleTable THEN CMK and PITR errors',
    rules: ['DynamoDBTableCustomerManagedKey', 'DynamoDBTablePointInTimeRecovery'],
    build: (s) => { new CfnInclude(s, 'Sam', { templateFile: templateFile('sam.yaml', SAM) }); },
    expect: ['CCPA-DynamoDBTableCustomerManagedKey at Test/Sam/Users', 'CCPA-DynamoDBTablePointInTimeRecovery at Test/Sam/Users'],
  },
  {
    name: 'GIVEN an included SAM SimpleTable under a key of the template THEN only the PITR error (SimpleTable cannot have it)',
    rules: ['DynamoDBTableCustomerManagedKey', 'DynamoDBTablePointInTimeRecovery'],
    build: (s) => { new CfnInclude(s, 'Sam', { templateFile: templateFile('sam.yaml', SAM_KEYED) }); },
    expect: ['CCPA-DynamoDBTablePointInTimeRecovery at Test/Sam/Users'],
  },
  {
    name: 'GIVEN an included SAM SimpleTable tagged non-personal THEN no finding',
    rules: ['DynamoDBTableCustomerManagedKey', 'DynamoDBTablePointInTimeRecovery'],
    build: (s) => { new CfnInclude(s, 'Sam', { templateFile: templateFile('sam.yaml', `${SAM}      Tags: { 'privacy:classification': non-personal }\n`) }); },
    expect: [],
  },
];

runCases([
  ...neptuneCases, ...docdbCases, ...redshiftCases, ...memoryCases, ...firehoseCases, ...ebsCases,
  ...logCases, ...daxCases, ...cognitoCases, ...backupCases, ...samCases,
]);

describe('store findings name the property and its value', () => {
  test.each([
    ['a Neptune cluster without StorageEncrypted', (s: Stack) => { new neptune.CfnDBCluster(s, 'Graph', {}); }, 'CCPA-NeptuneCustomerManagedKey', 'Found: StorageEncrypted = absent (needs true).'],
    ['a MemoryDB cluster without a key', (s: Stack) => { new memorydb.CfnCluster(s, 'Cache', { aclName: 'a', clusterName: 'c', nodeType: 'db.t4g.small' }); }, 'CCPA-MemoryDBCustomerManagedKey', 'Found: KmsKeyId = absent (the service\'s own or AWS managed key).'],
    ['an instance volume under alias/aws/ebs', (s: Stack) => { new ec2.CfnInstance(s, 'Box', { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true, kmsKeyId: 'alias/aws/ebs' } }] }); }, 'CCPA-EBSCustomerManagedKey', 'Found: BlockDeviceMappings[0].Ebs.KmsKeyId = "alias/aws/ebs" (an AWS managed key).'],
    ['a database with backups off', (s: Stack) => { new docdb.CfnDBCluster(s, 'Docs', { backupRetentionPeriod: 0, storageEncrypted: true }); }, 'CCPA-DatabaseBackupsEnabled', 'Found: BackupRetentionPeriod = 0.'],
    ['a user pool without MFA', (s: Stack) => { new cognito.CfnUserPool(s, 'Users', { mfaConfiguration: 'OFF' }); }, 'CCPA-CognitoUserPoolMfa', 'Found: MfaConfiguration = "OFF".'],
  ])('GIVEN %s THEN the finding names it', (_what, build, id, found) => {
    const f = findingsFor({ build: build as (s: Stack) => void }).find((x) => x.id === id);
    expect(f?.description).toContain(found);
  });
});
