import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TENANT_VARIABLE, exemptServicesAndCrossTenantWorkflows, tenantTagOutsideSyntaxConditions, withoutAccessConditions, withoutTenantConditions } from './abac';

/** Prefix of every tenant's objects in a pooled bucket. */
export const TENANTS_PREFIX = 'tenants/';

/**
 * Data actions the ABAC statements deny: reading, writing, deleting and restoring objects (all
 * versions, tags and attributes included) and listing keys, which in a subject-addressable layout
 * name tenants and subjects. Wildcards are deliberate in a Deny: a future `s3:GetObject...`
 * action is denied too.
 */
export const OBJECT_DATA_ACTIONS = [
  's3:GetObject*',
  's3:PutObject*',
  's3:DeleteObject*',
  's3:RestoreObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ReplicateObject',
  's3:ReplicateDelete',
];
export const BUCKET_LIST_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'];

/** `Sid`s of the statements PersonalDataBucket adds. */
export const BucketPolicySid = {
  DENY_OTHER_ENCRYPTION: 'DenyPutObjectWithOtherEncryption',
  DENY_OTHER_KEY: 'DenyPutObjectWithOtherKmsKey',
  DENY_WITHOUT_ACCESS_TAG: 'DenyDataAccessWithoutPrivacyAccessTag',
  DENY_WITHOUT_TENANT_TAG: 'DenyDataAccessWithoutTenantTag',
  DENY_OUTSIDE_TENANT_PREFIX: 'DenyObjectsOutsideTheTenantPrefix',
  DENY_LIST_OUTSIDE_TENANT_PREFIX: 'DenyListingOutsideTheTenantPrefix',
  DENY_TENANT_TAG_OUTSIDE_SYNTAX: 'DenyTenantTagOutsideTheTenantIdSyntax',
} as const;

/** The statements that make the bucket SSE-KMS-only with its own key. */
export function encryptionStatements(bucket: s3.IBucket, keyArn: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: BucketPolicySid.DENY_OTHER_ENCRYPTION,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      // the header is present (Null false) and says something else; an absent header means the
      // bucket's default encryption with this key applies. (StringNotEqualsIfExists would deny the
      // absent header too: ...IfExists is true when the key is missing.)
      conditions: {
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        Null: { 's3:x-amz-server-side-encryption': 'false' },
      },
    }),
    new iam.PolicyStatement({
      sid: BucketPolicySid.DENY_OTHER_KEY,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn },
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      },
    }),
  ];
}

/** Deny data actions to principals without an accepted `privacy:access` tag (services and DSR roles excepted). */
export function accessTagStatement(bucket: s3.IBucket, accessLevels: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: BucketPolicySid.DENY_WITHOUT_ACCESS_TAG,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...OBJECT_DATA_ACTIONS, ...BUCKET_LIST_ACTIONS],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: withoutAccessConditions(accessLevels),
  });
}

/**
 * Pooled tenancy: a session sees only `tenants/${aws:PrincipalTag/tenant}/`. Four Deny
 * statements, because a policy variable whose key is absent cannot be relied on to deny:
 * no tenant tag at all; objects outside the tenant's prefix; listing outside it; a tenant tag
 * outside the tenant id syntax (its prefix could nest in another tenant's).
 */
export function pooledTenancyStatements(bucket: s3.IBucket): iam.PolicyStatement[] {
  const tenantPrefix = `${TENANTS_PREFIX}${TENANT_VARIABLE}/`;
  return [
    new iam.PolicyStatement({
      sid: BucketPolicySid.DENY_WITHOUT_TENANT_TAG,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...OBJECT_DATA_ACTIONS, ...BUCKET_LIST_ACTIONS],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: withoutTenantConditions(),
    }),
    new iam.PolicyStatement({
      sid: BucketPolicySid.DENY_OUTSIDE_TENANT_PREFIX,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: OBJECT_DATA_ACTIONS,
      notResources: [bucket.arnForObjects(`${tenantPrefix}*`)],
      conditions: exemptServicesAndCrossTenantWorkflows(),
    }),
    new iam.PolicyStatement({
      sid: BucketPolicySid.DENY_LIST_OUTSIDE_TENANT_PREFIX,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: BUCKET_LIST_ACTIONS,
      resources: [bucket.bucketArn],
      // an absent s3:prefix (listing the whole bucket) is denied too: StringNotLike is true for a missing key
      conditions: { ...exemptServicesAndCrossTenantWorkflows(), StringNotLike: { 's3:prefix': `${tenantPrefix}*` } },
    }),
    // a tenant tag that is no tenant id (`a/b`, `a#x`, `*`) could nest in another tenant's prefix
    new iam.PolicyStatement({
      sid: BucketPolicySid.DENY_TENANT_TAG_OUTSIDE_SYNTAX,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...OBJECT_DATA_ACTIONS, ...BUCKET_LIST_ACTIONS],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: tenantTagOutsideSyntaxConditions(),
    }),
  ];
}
