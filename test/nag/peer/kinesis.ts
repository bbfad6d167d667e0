import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PeerSuite } from './kit';

const firehoseRole = (s: Stack) => new iam.Role(s, 'rKdfRole', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') }).roleArn;

/** cdk-nag test/rules/Kinesis.test.ts (Data Streams and Data Firehose). */
export const KINESIS_SUITE: PeerSuite = {
  service: 'Kinesis',
  source: 'test/rules/Kinesis.test.ts',
  commit: '8d3d9179ea4ea3ab7f4535d25587a211610e3d22',
  rules: [
    {
      rule: 'KinesisDataStreamSSE',
      nagService: 'kinesis',
      awsSolutions: 'AwsSolutions-KDS1',
      ccpa: ['KinesisCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance: an unencrypted stream',
          nag: 'non-compliant',
          build: (s) => { new kinesis.Stream(s, 'rKds', { encryption: kinesis.StreamEncryption.UNENCRYPTED }); },
          ccpa: ['CCPA-KinesisCustomerManagedKey at Test/rKds/Resource'],
        },
        {
          name: 'Compliance: a key the construct creates, and the AWS managed key',
          nag: 'compliant',
          build: (s) => {
            new kinesis.Stream(s, 'rKds', { encryption: kinesis.StreamEncryption.KMS });
            new kinesis.Stream(s, 'rKds2', { encryption: kinesis.StreamEncryption.MANAGED });
          },
          ccpa: ['CCPA-KinesisCustomerManagedKey at Test/rKds2/Resource'],
          differs: 'CcpaChecks requires a customer-managed key: alias/aws/kinesis (MANAGED) lets every principal of the account with Kinesis read access decrypt the records.',
        },
      ],
    },
    {
      rule: 'KinesisDataStreamDefaultKeyWhenSSE',
      nagService: 'kinesis',
      awsSolutions: 'AwsSolutions-KDS3',
      ccpa: ['KinesisCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance: a stream with a key the construct creates',
          nag: 'non-compliant',
          build: (s) => { new kinesis.Stream(s, 'rKds', { encryption: kinesis.StreamEncryption.KMS }); },
          ccpa: [],
          differs: 'Opposite direction: cdk-nag asks for the AWS managed key aws/kinesis; CcpaChecks asks for a customer-managed key, whose policy limits who decrypts personal records.',
        },
        {
          name: 'Compliance: the AWS managed key, and no encryption',
          nag: 'compliant',
          build: (s) => {
            new kinesis.Stream(s, 'rKds', { encryption: kinesis.StreamEncryption.MANAGED });
            new kinesis.Stream(s, 'rKds2', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
          },
          ccpa: ['CCPA-KinesisCustomerManagedKey at Test/rKds/Resource', 'CCPA-KinesisCustomerManagedKey at Test/rKds2/Resource'],
          differs: 'Opposite direction: CcpaChecks fails both the AWS managed key and no encryption on a personal stream.',
        },
      ],
    },
    {
      rule: 'KinesisDataFirehoseSSE',
      nagService: 'kinesis',
      awsSolutions: 'AwsSolutions-KDF1',
      ccpa: ['FirehoseCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance: a direct-put stream to S3 without encryption',
          nag: 'non-compliant',
          build: (s) => {
            new firehose.CfnDeliveryStream(s, 'rKdf', { s3DestinationConfiguration: { bucketArn: new s3.Bucket(s, 'rDeliveryBucket').bucketArn, roleArn: firehoseRole(s) } });
          },
          ccpa: ['CCPA-FirehoseCustomerManagedKey at Test/rKdf'],
        },
        {
          name: 'Compliance: encrypted with an AWS owned key',
          nag: 'compliant',
          build: (s) => {
            new firehose.CfnDeliveryStream(s, 'rKdf', {
              s3DestinationConfiguration: { bucketArn: new s3.Bucket(s, 'rDeliveryBucket').bucketArn, roleArn: firehoseRole(s) },
              deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
            });
          },
          ccpa: ['CCPA-FirehoseCustomerManagedKey at Test/rKdf'],
          differs: 'CcpaChecks requires a customer-managed key (CUSTOMER_MANAGED_CMK); an AWS owned key is outside the account\'s key policy and decrypt records.',
        },
      ],
    },
  ],
};
