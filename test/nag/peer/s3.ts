import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/S3.test.ts: the rules that check what a CcpaChecks rule checks. */
const tlsDeny = (actions: string[], resources: string[], principal: iam.IPrincipal = new iam.AnyPrincipal()) => new iam.PolicyDocument({
  statements: [new iam.PolicyStatement({
    actions, effect: iam.Effect.DENY, principals: [principal], conditions: { Bool: { 'aws:SecureTransport': 'false' } }, resources,
  })],
});

export const S3_SUITE: PeerSuite = {
  service: 'S3',
  source: 'test/rules/S3.test.ts',
  commit: '03bd1274a2d4ead93484d8b0c7e78dc18c4dc011',
  rules: [
    {
      rule: 'S3BucketLoggingEnabled',
      nagService: 's3',
      awsSolutions: 'AwsSolutions-S1',
      ccpa: ['S3BucketAccessAudited'],
      cases: [
        {
          name: 'Noncompliance: a bucket with no access logs',
          nag: 'non-compliant',
          build: (s) => { new s3.Bucket(s, 'rBucket'); },
          ccpa: ['CCPA-S3BucketAccessAudited at Test/rBucket/Resource'],
        },
        {
          name: 'Compliance: server access logs to an imported bucket, and to the bucket itself under a prefix',
          nag: 'compliant',
          build: (s) => {
            new s3.Bucket(s, 'rBucket', { serverAccessLogsBucket: s3.Bucket.fromBucketName(s, 'rLogsBucket', 'foo') });
            new s3.Bucket(s, 'rBucket2', { serverAccessLogsPrefix: 'foo' });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'S3BucketLevelPublicAccessProhibited',
      nagService: 's3',
      awsSolutions: 'AwsSolutions-S2',
      ccpa: ['S3BucketPublicAccessBlocked'],
      cases: [
        {
          // cdk-nag v3 no longer reports a bucket whose template leaves the block out (S3 blocks
          // public access on new buckets by default since April 2023); its older test asserted it did
          name: 'Noncompliance 1 (compliant in cdk-nag v3): no public access block in the template',
          nag: 'compliant',
          build: (s) => { new s3.CfnBucket(s, 'rBucket'); },
          ccpa: ['CCPA-S3BucketPublicAccessBlocked at Test/rBucket'],
          differs: 'CcpaChecks asks for all four settings pinned in the template, so an account-level change or a bucket re-created by another tool cannot make personal data public.',
        },
        {
          name: 'Noncompliance 2: only BlockPublicPolicy pinned',
          nag: 'non-compliant',
          build: (s) => {
            new s3.Bucket(s, 'rBucket', { blockPublicAccess: { blockPublicPolicy: true, blockPublicAcls: false, ignorePublicAcls: false, restrictPublicBuckets: false } });
          },
          ccpa: ['CCPA-S3BucketPublicAccessBlocked at Test/rBucket/Resource'],
        },
        {
          name: 'Compliance: all four settings pinned',
          nag: 'compliant',
          build: (s) => {
            new s3.Bucket(s, 'rBucket', { blockPublicAccess: { blockPublicPolicy: true, blockPublicAcls: true, ignorePublicAcls: true, restrictPublicBuckets: true } });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'S3BucketSSLRequestsOnly',
      nagService: 's3',
      awsSolutions: 'AwsSolutions-S10',
      ccpa: ['S3BucketTlsOnly'],
      cases: [
        {
          name: 'Noncompliance 1: a bucket with no policy',
          nag: 'non-compliant',
          build: (s) => { new s3.CfnBucket(s, 'rBucket'); },
          ccpa: ['CCPA-S3BucketTlsOnly at Test/rBucket'],
        },
        {
          name: 'Noncompliance 2: the deny names other actions (nots3:*)',
          nag: 'non-compliant',
          build: (s) => {
            new s3.CfnBucket(s, 'rBucket', { bucketName: 'foo' });
            new s3.CfnBucketPolicy(s, 'rPolicy', { bucket: 'foo', policyDocument: tlsDeny(['nots3:*'], ['arn:aws:s3:::foo', 'arn:aws:s3:::foo/*']) });
          },
          ccpa: ['CCPA-S3BucketTlsOnly at Test/rBucket'],
        },
        {
          name: 'Noncompliance 3: the deny covers the objects of another bucket (food/*)',
          nag: 'non-compliant',
          build: (s) => {
            new s3.CfnBucket(s, 'rBucket', { bucketName: 'foo' });
            new s3.CfnBucketPolicy(s, 'rPolicy', { bucket: 'foo', policyDocument: tlsDeny(['s3:*'], ['arn:aws:s3:::foo', 'arn:aws:s3:::food/*']) });
          },
          ccpa: ['CCPA-S3BucketTlsOnly at Test/rBucket'],
        },
        {
          name: 'Noncompliance 4: the deny covers only a prefix (foo/s/*)',
          nag: 'non-compliant',
          build: (s) => {
            new s3.CfnBucket(s, 'rBucket', { bucketName: 'foo' });
            new s3.CfnBucketPolicy(s, 'rPolicy', { bucket: 'foo', policyDocument: tlsDeny(['s3:*'], ['arn:aws:s3:::foo', 'arn:aws:s3:::foo/s/*']) });
          },
          ccpa: ['CCPA-S3BucketTlsOnly at Test/rBucket'],
        },
        {
          name: 'Noncompliance 5: the deny covers only <bucket arn>/path/*',
          nag: 'non-compliant',
          build: (s) => {
            new s3.CfnBucketPolicy(s, 'rPolicy', {
              bucket: 'foo',
              policyDocument: tlsDeny(['s3:*'], ['arn:aws:s3:::foo', new s3.Bucket(s, 'rBucket', { bucketName: 'foo' }).bucketArn + '/path' + '/*']),
            });
          },
          ccpa: ['CCPA-S3BucketTlsOnly at Test/rBucket/Resource'],
        },
        {
          name: 'Noncompliance 6: the policy is for bucket foo, the bucket is food',
          nag: 'non-compliant',
          build: (s) => {
            new s3.CfnBucket(s, 'rBucket', { bucketName: 'food' });
            new s3.CfnBucketPolicy(s, 'rPolicy', { bucket: 'foo', policyDocument: tlsDeny(['s3:*'], ['arn:aws:s3:::foo', 'arn:aws:s3:::foo/*']) });
          },
          ccpa: ['CCPA-S3BucketTlsOnly at Test/rBucket'],
        },
        {
          name: 'Compliance: deny s3:* or * without TLS on the bucket and its objects, by reference or by name',
          nag: 'compliant',
          build: (s) => {
            const bucket = new s3.Bucket(s, 'rBucket');
            new s3.CfnBucketPolicy(s, 'rPolicy', {
              bucket: bucket.bucketName,
              policyDocument: tlsDeny(['s3:getObject', 's3:*'], [bucket.bucketArn, bucket.bucketArn + '/*'], new iam.StarPrincipal()),
            });
            new s3.CfnBucket(s, 'rBucket2', { bucketName: 'foo' });
            new s3.CfnBucketPolicy(s, 'rPolicy2', { bucket: 'foo', policyDocument: tlsDeny(['*', 's3:getObject'], ['arn:aws:s3:::foo', 'arn:aws:s3:::foo/*', 'arn:aws:s3:::foo/path/*']) });
            new s3.CfnBucket(s, 'rBucket3', { bucketName: 'bar' });
            new s3.CfnBucketPolicy(s, 'rPolicy3', { bucket: 'bar', policyDocument: tlsDeny(['*', 's3:getObject'], ['arn:aws:s3:::bar/*', 'arn:aws:s3:::bar']) });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'S3DefaultEncryptionKMS',
      nagService: 's3',
      ccpa: ['S3BucketCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance: no default encryption in the template (SSE-S3 at deploy)',
          nag: 'non-compliant',
          build: (s) => { new s3.Bucket(s, 'rBucket'); },
          ccpa: ['CCPA-S3BucketCustomerManagedKey at Test/rBucket/Resource'],
        },
        {
          name: 'Compliance: BucketEncryption.KMS (a key the construct creates)',
          nag: 'compliant',
          build: (s) => { new s3.Bucket(s, 'rBucket', { encryption: s3.BucketEncryption.KMS }); },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'S3BucketDefaultLockEnabled',
      nagService: 's3',
      ccpa: ['S3BucketNoObjectLock'],
      cases: [
        {
          name: 'Noncompliance 1: no Object Lock',
          nag: 'non-compliant',
          build: (s) => { new s3.Bucket(s, 'rBucket'); },
          ccpa: [],
          differs: 'Opposite direction: a personal bucket must be able to delete on request, so CcpaChecks asks for no Object Lock where cdk-nag asks for one.',
        },
        {
          name: 'Noncompliance 2: Object Lock on, no default retention',
          nag: 'non-compliant',
          build: (s) => { new s3.CfnBucket(s, 'rBucket', { objectLockEnabled: true }); },
          ccpa: ['CCPA-S3BucketNoObjectLock at Test/rBucket'],
        },
        {
          name: 'Compliance: Object Lock with a one-day GOVERNANCE default retention',
          nag: 'compliant',
          build: (s) => {
            new s3.CfnBucket(s, 'rBucket', {
              objectLockEnabled: true,
              objectLockConfiguration: { objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'GOVERNANCE', days: 1 } } },
            });
          },
          ccpa: ['CCPA-S3BucketNoObjectLock at Test/rBucket'],
          differs: 'Opposite direction: Object Lock on a personal bucket can block a deletion the law requires; CcpaChecks fails it unless the bucket is a log or evidence archive.',
        },
      ],
    },
  ],
};
