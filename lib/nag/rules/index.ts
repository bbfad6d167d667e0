import { CcpaRule } from '../private/rule';
import { S3BucketAccessAudited } from './s3/S3BucketAccessAudited';
import { S3BucketCustomerManagedKey } from './s3/S3BucketCustomerManagedKey';
import { S3BucketNoncurrentVersionExpiration } from './s3/S3BucketNoncurrentVersionExpiration';
import { S3BucketNoObjectLock } from './s3/S3BucketNoObjectLock';
import { S3BucketPublicAccessBlocked } from './s3/S3BucketPublicAccessBlocked';
import { S3BucketTlsOnly } from './s3/S3BucketTlsOnly';

/** Every rule of the pack, in RULES.md order. */
export const ALL_RULES: readonly CcpaRule[] = [
  S3BucketCustomerManagedKey,
  S3BucketTlsOnly,
  S3BucketPublicAccessBlocked,
  S3BucketAccessAudited,
  S3BucketNoncurrentVersionExpiration,
  S3BucketNoObjectLock,
];
