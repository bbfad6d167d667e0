import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeAll, HIPAA_NIST_PCI_PACKS, packRuleIds } from './acknowledgements';
import { CFN_GUARD_PLUGIN, expectExemption } from './expected-exemptions';

/** How an archive's two buckets are built. */
export interface ObjectLockArchiveOptions {
  /** Encrypts both buckets; S3 server access logging may encrypt with it. */
  readonly encryptionKey: kms.IKey;
  /** The Object Lock (COMPLIANCE) default retention of the archive bucket. */
  readonly retention: Duration;
  /** The same retention in whole days: objects expire in both buckets when it ends. */
  readonly retentionDays: number;
  /** How long a noncurrent version stays in both buckets. */
  readonly noncurrentVersionExpiration: Duration;
  /** @default - not set (S3 Bucket Keys off) */
  readonly bucketKeyEnabled?: boolean;
  /** @default - generated */
  readonly bucketName?: string;
}

/** An archive bucket under S3 Object Lock and the bucket that receives its server access logs. */
export interface ObjectLockArchiveBuckets {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
}

/** Why the archive's buckets differ from what the rule packs ask of every bucket. */
export interface ObjectLockArchiveReasons {
  /** Why neither bucket is replicated to a second region. */
  readonly noReplication: string;
  /** Why the access-log bucket logs no access of its own. */
  readonly accessLogsNotLogged: string;
  /** Why the access-log bucket has no Object Lock. */
  readonly accessLogsNotLocked: string;
}

/**
 * The two buckets of an archive (ids `AccessLogs` and `Bucket` under `scope`): TLS only, no public
 * access, versioned, owner-enforced, KMS-encrypted, retained; the archive bucket under Object Lock
 * COMPLIANCE, logging its access into `archive/` of the access-log bucket; both expire objects
 * when the lock ends. Server access logging is written out rather than set through
 * `serverAccessLogsBucket`, whose output (ACL or bucket policy) depends on a feature flag of the
 * consuming app.
 */
export function objectLockArchiveBuckets(scope: Construct, options: ObjectLockArchiveOptions): ObjectLockArchiveBuckets {
  const common: s3.BucketProps = {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: options.encryptionKey,
    // only the props given: aws-cdk-lib records the keys of a construct's props in the assembly metadata
    ...(options.bucketKeyEnabled !== undefined ? { bucketKeyEnabled: options.bucketKeyEnabled } : {}),
    removalPolicy: RemovalPolicy.RETAIN,
  };
  const lifecycleRules: s3.LifecycleRule[] = [{
    expiration: Duration.days(options.retentionDays),
    noncurrentVersionExpiration: options.noncurrentVersionExpiration,
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  }];

  const accessLogsBucket = new s3.Bucket(scope, 'AccessLogs', { ...common, lifecycleRules });
  // S3 server access logging writes as logging.s3.amazonaws.com: it needs the key, for this account only.
  options.encryptionKey.grantEncrypt(new iam.ServicePrincipal('logging.s3.amazonaws.com'));
  const bucket = new s3.Bucket(scope, 'Bucket', {
    ...common,
    ...(options.bucketName !== undefined ? { bucketName: options.bucketName } : {}),
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.compliance(options.retention),
    lifecycleRules,
  });

  const accessLogsPrefix = 'archive/';
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: accessLogsBucket.bucketName,
    logFilePrefix: accessLogsPrefix,
  };
  accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'S3ServerAccessLogsOfTheArchive',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [accessLogsBucket.arnForObjects(`${accessLogsPrefix}*`)],
    conditions: {
      ArnLike: { 'aws:SourceArn': bucket.bucketArn },
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    },
  }));
  return { bucket, accessLogsBucket };
}

/**
 * EventBridge notifications on both buckets (set on the L1: the L2's eventBridgeEnabled deploys a
 * custom-resource Lambda), and the design choices the rule packs and cfn-guard would flag, each
 * recorded on the archive's own resources only.
 */
export function markObjectLockArchiveBuckets(buckets: ObjectLockArchiveBuckets, reasons: ObjectLockArchiveReasons): void {
  for (const b of [buckets.bucket, buckets.accessLogsBucket]) {
    const cfn = b.node.defaultChild as s3.CfnBucket;
    cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'S3BucketReplicationEnabled'), reasons.noReplication);
  }
  const accessLogsCfn = buckets.accessLogsBucket.node.defaultChild as s3.CfnBucket;
  expectExemption(accessLogsCfn, CFN_GUARD_PLUGIN, 's3_bucket_logging_enabled_check', reasons.accessLogsNotLogged);
  expectExemption(accessLogsCfn, CFN_GUARD_PLUGIN, 's3_bucket_object_lock_enabled_check', reasons.accessLogsNotLocked);
}
