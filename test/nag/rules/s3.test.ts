import { Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataClassification, PrivacyClassification, PrivacyTagKeys } from '../../../lib/classification';
import { PrivacyKey } from '../../../lib/encryption';
import { OrganizationTrailCoverage } from '../../../lib/nag';
import { check, outcome } from '../helpers';

const B = 'Test/Bucket/Resource';

function goodBucket(stack: Stack, props: s3.BucketProps = {}): s3.Bucket {
  return new s3.Bucket(stack, 'Bucket', {
    encryptionKey: new PrivacyKey(stack, 'Key'),
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsPrefix: 'logs/',
    ...props,
  });
}

describe('S3BucketCustomerManagedKey', () => {
  test('GIVEN an L2 bucket with defaults (SSE-S3) THEN non-compliant', () => {
    expect(outcome(check((s) => { new s3.Bucket(s, 'Bucket'); }), 'S3BucketCustomerManagedKey', B)).toBe('non-compliant');
  });
  test('GIVEN an L2 bucket with KMS_MANAGED (aws/s3) THEN non-compliant', () => {
    expect(outcome(check((s) => { new s3.Bucket(s, 'Bucket', { encryption: s3.BucketEncryption.KMS_MANAGED }); }), 'S3BucketCustomerManagedKey', B)).toBe('non-compliant');
  });
  test('GIVEN an L2 bucket with a PrivacyKey THEN compliant', () => {
    expect(outcome(check((s) => { goodBucket(s); }), 'S3BucketCustomerManagedKey', B)).toBe('clean');
  });
  test('GIVEN a key in another stack (cross-stack import) THEN compliant', () => {
    const findings = check((s, app) => {
      const keys = new Stack(app, 'Keys');
      new s3.Bucket(s, 'Bucket', { encryptionKey: new kms.Key(keys, 'Key') });
    });
    expect(outcome(findings, 'S3BucketCustomerManagedKey', B)).toBe('clean');
  });
  test('GIVEN an L1 bucket with an alias/aws/s3 ARN THEN non-compliant; a Ref to a CfnKey THEN compliant', () => {
    const findings = check((s) => {
      new s3.CfnBucket(s, 'Aws', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/aws/s3' } }] } });
      const key = new kms.CfnKey(s, 'Key', {});
      new s3.CfnBucket(s, 'Cmk', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } }] } });
    });
    expect(outcome(findings, 'S3BucketCustomerManagedKey', 'Test/Aws')).toBe('non-compliant');
    expect(outcome(findings, 'S3BucketCustomerManagedKey', 'Test/Cmk')).toBe('clean');
  });
  test('GIVEN an L1 bucket with a literal key ARN THEN cannot verify (AWS managed keys have key ARNs too)', () => {
    const findings = check((s) => {
      new s3.CfnBucket(s, 'Lit', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }] } });
    });
    expect(outcome(findings, 'S3BucketCustomerManagedKey', 'Test/Lit')).toBe('cannot-verify');
  });
  test('GIVEN a bucket tagged non-personal THEN not applicable', () => {
    const findings = check((s) => {
      PrivacyClassification.apply(new s3.Bucket(s, 'Bucket'), { classification: DataClassification.NON_PERSONAL });
    });
    expect(outcome(findings, 'S3BucketCustomerManagedKey', B)).toBe('clean');
  });
  test('GIVEN an acknowledgement of the bare id on the bucket THEN it is silenced there only', () => {
    const findings = check((s) => {
      const acked = new s3.Bucket(s, 'Bucket');
      Validations.of(acked).acknowledge({ id: 'CCPA-S3BucketCustomerManagedKey', reason: 'Public website assets, reviewed by legal in PRIV-12' });
      new s3.Bucket(s, 'Other');
    });
    expect(outcome(findings, 'S3BucketCustomerManagedKey', B)).toBe('clean');
    expect(outcome(findings, 'S3BucketCustomerManagedKey', 'Test/Other/Resource')).toBe('non-compliant');
  });
});

describe('S3BucketTlsOnly', () => {
  test('GIVEN an L2 bucket without enforceSSL THEN non-compliant; with it THEN compliant', () => {
    expect(outcome(check((s) => { new s3.Bucket(s, 'Bucket'); }), 'S3BucketTlsOnly', B)).toBe('non-compliant');
    expect(outcome(check((s) => { goodBucket(s); }), 'S3BucketTlsOnly', B)).toBe('clean');
  });
  test('GIVEN an L1 bucket policy that denies only objects THEN non-compliant; bucket and objects THEN compliant', () => {
    const build = (withBucketArn: boolean) => (s: Stack) => {
      const b = new s3.CfnBucket(s, 'L1', { bucketName: 'customers-l1' });
      new s3.CfnBucketPolicy(s, 'Policy', {
        bucket: b.ref,
        policyDocument: {
          Statement: [{
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: withBucketArn ? [b.attrArn, `${b.attrArn}/*`] : [`${b.attrArn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }],
        },
      });
    };
    expect(outcome(check(build(false)), 'S3BucketTlsOnly', 'Test/L1')).toBe('non-compliant');
    expect(outcome(check(build(true)), 'S3BucketTlsOnly', 'Test/L1')).toBe('clean');
  });
  test('GIVEN a policy whose Bucket is a literal name of the bucket THEN compliant', () => {
    const findings = check((s) => {
      new s3.CfnBucket(s, 'L1', { bucketName: 'customers-lit' });
      new s3.CfnBucketPolicy(s, 'Policy', {
        bucket: 'customers-lit',
        policyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: ['arn:aws:s3:::customers-lit', 'arn:aws:s3:::customers-lit/*'], Condition: { Bool: { 'aws:SecureTransport': false } } }] },
      });
    });
    expect(outcome(findings, 'S3BucketTlsOnly', 'Test/L1')).toBe('clean');
  });
});

describe('S3BucketPublicAccessBlocked', () => {
  test('GIVEN BLOCK_ACLS only THEN non-compliant; BLOCK_ALL THEN compliant', () => {
    expect(outcome(check((s) => { goodBucket(s, { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY }); }), 'S3BucketPublicAccessBlocked', B)).toBe('non-compliant');
    expect(outcome(check((s) => { goodBucket(s); }), 'S3BucketPublicAccessBlocked', B)).toBe('clean');
  });
  test('GIVEN an L1 bucket without PublicAccessBlockConfiguration THEN non-compliant', () => {
    expect(outcome(check((s) => { new s3.CfnBucket(s, 'L1'); }), 'S3BucketPublicAccessBlocked', 'Test/L1')).toBe('non-compliant');
  });
});

describe('S3BucketAccessAudited', () => {
  test('GIVEN no access logging and no trail THEN non-compliant', () => {
    expect(outcome(check((s) => { new s3.Bucket(s, 'Bucket'); }), 'S3BucketAccessAudited', B)).toBe('non-compliant');
  });
  test('GIVEN server access logging THEN compliant', () => {
    expect(outcome(check((s) => { goodBucket(s); }), 'S3BucketAccessAudited', B)).toBe('clean');
  });
  test('GIVEN a trail with S3 data events on the bucket THEN compliant', () => {
    const findings = check((s) => {
      const bucket = new s3.Bucket(s, 'Bucket');
      new cloudtrail.Trail(s, 'Trail').addS3EventSelector([{ bucket }]);
    });
    expect(outcome(findings, 'S3BucketAccessAudited', B)).toBe('clean');
  });
  test('GIVEN an OrganizationTrailCoverage on the app THEN compliant; one that covers DynamoDB only THEN non-compliant', () => {
    const declared = (s3DataEvents: boolean) => check((s, app) => {
      new OrganizationTrailCoverage(app, 'Org', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org', s3DataEvents });
      new s3.Bucket(s, 'Bucket');
    });
    expect(outcome(declared(true), 'S3BucketAccessAudited', B)).toBe('clean');
    expect(outcome(declared(false), 'S3BucketAccessAudited', B)).toBe('non-compliant');
  });
});

describe('S3BucketNoncurrentVersionExpiration (warning)', () => {
  test('GIVEN a versioned bucket without noncurrent expiration THEN a warning; with it THEN compliant; unversioned THEN n/a', () => {
    const nc = check((s) => { goodBucket(s, { versioned: true }); });
    expect(outcome(nc, 'S3BucketNoncurrentVersionExpiration', B)).toBe('non-compliant');
    expect(nc.find((f) => f.id === 'CCPA-S3BucketNoncurrentVersionExpiration')?.severity).toBe('warning');
    expect(outcome(check((s) => {
      goodBucket(s, { versioned: true, lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }] });
    }), 'S3BucketNoncurrentVersionExpiration', B)).toBe('clean');
    expect(outcome(check((s) => { goodBucket(s); }), 'S3BucketNoncurrentVersionExpiration', B)).toBe('clean');
  });
  test('GIVEN an L1 versioned bucket whose only expiration rule has a prefix THEN a warning', () => {
    const findings = check((s) => {
      new s3.CfnBucket(s, 'L1', {
        versioningConfiguration: { status: 'Enabled' },
        lifecycleConfiguration: { rules: [{ status: 'Enabled', prefix: 'tmp/', noncurrentVersionExpiration: { noncurrentDays: 1 } }] },
      });
    });
    expect(outcome(findings, 'S3BucketNoncurrentVersionExpiration', 'Test/L1')).toBe('non-compliant');
  });
});

describe('S3BucketNoObjectLock', () => {
  test('GIVEN objectLockEnabled THEN non-compliant; without THEN compliant', () => {
    expect(outcome(check((s) => { goodBucket(s, { objectLockEnabled: true }); }), 'S3BucketNoObjectLock', B)).toBe('non-compliant');
    expect(outcome(check((s) => { goodBucket(s); }), 'S3BucketNoObjectLock', B)).toBe('clean');
  });
  test('GIVEN an L1 bucket with ObjectLockConfiguration Enabled THEN non-compliant', () => {
    expect(outcome(check((s) => { new s3.CfnBucket(s, 'L1', { objectLockConfiguration: { objectLockEnabled: 'Enabled' } }); }), 'S3BucketNoObjectLock', 'Test/L1')).toBe('non-compliant');
  });
  test('GIVEN Object Lock on a bucket tagged privacy:audit=cloudtrail-archive THEN n/a; the same tag with another value THEN non-compliant', () => {
    const tagged = (value: string) => check((s) => {
      const b = goodBucket(s, { objectLockEnabled: true });
      Tags.of(b).add(PrivacyTagKeys.AUDIT, value);
    });
    expect(outcome(tagged(PrivacyTagKeys.AUDIT_CLOUDTRAIL_ARCHIVE), 'S3BucketNoObjectLock', B)).toBe('clean');
    expect(outcome(tagged('something-else'), 'S3BucketNoObjectLock', B)).toBe('non-compliant');
  });
  test('GIVEN Object Lock on a non-personal bucket THEN n/a', () => {
    const findings = check((s) => {
      const b = new s3.Bucket(s, 'Bucket', { objectLockEnabled: true });
      PrivacyClassification.apply(b, { classification: DataClassification.NON_PERSONAL });
      b.grantRead(new iam.AccountRootPrincipal());
    });
    expect(outcome(findings, 'S3BucketNoObjectLock', B)).toBe('clean');
  });
});
