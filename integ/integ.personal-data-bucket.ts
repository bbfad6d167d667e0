/**
 * Integ test: PersonalDataBucket as deployed (silo and pooled).
 *
 * Against a real account the assertions check what S3 reports: SSE-KMS with the PrivacyKey and a
 * bucket key, versioning, all public access blocked, bucket owner enforced, server access logging
 * into the log bucket. Here CI synthesizes it into integ/integ.personal-data-bucket.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataCategory, PersonalDataBucket, PrivacyKey, TenancyModel } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaPersonalDataBucketInteg');

// DESTROY on the key so that the test leaves a key pending deletion, not a live key
const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const silo = new PersonalDataBucket(stack, 'Customers', { encryptionKey: key, categories: [DataCategory.CONTACT] });
const pooled = new PersonalDataBucket(stack, 'TenantDocuments', { encryptionKey: key, tenancy: TenancyModel.POOLED });

const integ = new IntegTest(app, 'PersonalDataBucketTest', { testCases: [stack] });

for (const bucket of [silo, pooled]) {
  integ.assertions
    .awsApiCall('S3', 'getBucketEncryption', { Bucket: bucket.bucket.bucketName })
    .expect(ExpectedResult.objectLike({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.keyArn }, BucketKeyEnabled: true }],
      },
    }));
  integ.assertions
    .awsApiCall('S3', 'getBucketVersioning', { Bucket: bucket.bucket.bucketName })
    .expect(ExpectedResult.objectLike({ Status: 'Enabled' }));
  integ.assertions
    .awsApiCall('S3', 'getPublicAccessBlock', { Bucket: bucket.bucket.bucketName })
    .expect(ExpectedResult.objectLike({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    }));
  integ.assertions
    .awsApiCall('S3', 'getBucketLogging', { Bucket: bucket.bucket.bucketName })
    .expect(ExpectedResult.objectLike({ LoggingEnabled: { TargetBucket: bucket.accessLogsBucket.bucketName, TargetPrefix: 'access-logs/' } }));
}

app.synth();
