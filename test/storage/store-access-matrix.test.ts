/**
 * The store access matrix: simulated S3 and DynamoDB requests against the bucket policies, table
 * resource policies and key policies that PersonalDataBucket and PrivacyTable synthesize, with
 * identity policies and tags taken from the same template (test/kit/iam-sim.ts).
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PersonalDataBackupPlan, PersonalDataBucket, PrivacyTable, TenancyModel } from '../../lib';
import { allowPolicy, arnPrincipal, IamSimulator, servicePrincipal, SimRequest, SimResult, templateRole } from '../kit/iam-sim';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

function buildStack() {
  const stack = new Stack(new App(), 'Stores', { env: { account: ACCOUNT, region: REGION } });
  const pooledBucket = new PersonalDataBucket(stack, 'Documents', { tenancy: TenancyModel.POOLED });
  const siloBucket = new PersonalDataBucket(stack, 'Exports');
  const pooledTable = new PrivacyTable(stack, 'Profiles', { tenancy: TenancyModel.POOLED });
  const siloTable = new PrivacyTable(stack, 'Orders');
  const lambda = new iam.ServicePrincipal('lambda.amazonaws.com');
  const app = new iam.Role(stack, 'AppRole', { assumedBy: lambda });
  pooledBucket.grantReadWrite(app);
  pooledTable.grantReadWriteData(app);
  siloBucket.grantRead(app);
  siloTable.grantReadData(app);
  const dsr = new iam.Role(stack, 'DsrRole', { assumedBy: lambda });
  for (const store of [pooledBucket, siloBucket, pooledTable, siloTable]) {
    store.grantDsrAccess(dsr);
  }
  const backups = new PersonalDataBackupPlan(stack, 'Backups');
  for (const store of [pooledBucket, pooledTable]) {
    backups.addStore(store);
  }
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
  return {
    stack,
    ids: {
      pooledBucket: id(pooledBucket.bucket),
      siloBucket: id(siloBucket.bucket),
      logs: id(pooledBucket.accessLogsBucket),
      pooledTable: id(pooledTable.table),
      siloTable: id(siloTable.table),
      app: id(app),
      dsr: id(dsr),
      backup: id(backups.role),
      backupPolicy: stack.getLogicalId(backups.rolePolicy),
    },
  };
}

const { stack, ids } = buildStack();
const sim = IamSimulator.fromStack(stack);
const tenantA = templateRole(ids.app, { sessionTags: { tenant: 'a' } });
const tenantB = templateRole(ids.app, { sessionTags: { tenant: 'b' } });
const noTenant = templateRole(ids.app);
const dsr = templateRole(ids.dsr);
const backupRole = templateRole(ids.backup);
/**
 * A role that is not a privacy workflow but has the backup role's identity policy and its
 * privacy:access tag: what the exemption adds is the privacy:workflow=backup tag alone.
 */
const backupLookalike = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/backup-lookalike`, {
  tags: { 'privacy:access': 'sensitive' }, identityPolicies: sim.identityPoliciesOf(ids.backup).policies.map((p) => p.policy as any),
});
const S3_STAR = [allowPolicy(['s3:*'])];
const DDB_STAR = [allowPolicy(['dynamodb:*'])];
const admin = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/ops-admin`, { identityPolicies: [allowPolicy(['s3:*', 'dynamodb:*', 'kms:*'])] });
const adminPersonal = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/analyst`, {
  tags: { 'privacy:access': 'personal' }, identityPolicies: [allowPolicy(['s3:*', 'dynamodb:*'])],
});
function cfnById(logicalId: string): any {
  return stack.node.findAll().find((c) => CfnResource.isCfnResource(c) && stack.getLogicalId(c) === logicalId);
}
/** The logical id of the KMS key a bucket's default encryption names. */
function keyOf(bucketLogicalId: string): string {
  const bucket = stack.resolve(cfnById(bucketLogicalId).bucketEncryption);
  return bucket.serverSideEncryptionConfiguration[0].serverSideEncryptionByDefault.kmsMasterKeyId['Fn::GetAtt'][0];
}
/** The logical id of a table's KMS key. */
function keyIdOf(tableLogicalId: string): string {
  const t = stack.resolve(cfnById(tableLogicalId).sseSpecification);
  return t.kmsMasterKeyId['Fn::GetAtt'][0];
}
const cfnExec = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`, { identityPolicies: [allowPolicy('*')] });
const obj = (logicalId: string, objectKey: string) => ({ logicalId, objectKey });
const table = (logicalId: string) => ({ logicalId });
const index = (logicalId: string) => ({ logicalId, index: 'subject-index' });
const keys = (...leadingKeys: string[]) => ({ 'dynamodb:LeadingKeys': leadingKeys });

const matrix: Array<[string, SimRequest, SimResult]> = [
  // pooled bucket: tenant isolation
  ['tenant a reads its own object', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json') }, 'Allowed'],
  ['tenant a writes its own object', { principal: tenantA, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json') }, 'Allowed'],
  ['tenant a cannot read tenant b\'s object', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/b/subjects/s1/profile.json') }, 'ExplicitlyDenied'],
  ['tenant b cannot delete tenant a\'s object', { principal: tenantB, action: 's3:DeleteObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json') }, 'ExplicitlyDenied'],
  ['tenant a cannot read an object outside tenants/', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'shared/config.json') }, 'ExplicitlyDenied'],
  ['tenant "a" cannot reach tenant "ab" by prefix', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/ab/subjects/s1/x') }, 'ExplicitlyDenied'],
  ['tenant a lists its own prefix', { principal: tenantA, action: 's3:ListBucket', resource: ids.pooledBucket ? sim.arnOf(ids.pooledBucket) : '', context: { 's3:prefix': 'tenants/a/subjects/' } }, 'Allowed'],
  ['tenant a cannot list tenant b\'s prefix', { principal: tenantA, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket), context: { 's3:prefix': 'tenants/b/' } }, 'ExplicitlyDenied'],
  ['tenant a cannot list the whole bucket', { principal: tenantA, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket) }, 'ExplicitlyDenied'],
  ['a session without a tenant tag cannot read any tenant\'s object', { principal: noTenant, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json') }, 'ExplicitlyDenied'],
  ['a session without a tenant tag cannot write', { principal: noTenant, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/a/x') }, 'ExplicitlyDenied'],
  // pooled bucket: principals without privacy:access
  ['untagged admin with s3:* on * cannot read', { principal: admin, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json'), context: { 'aws:PrincipalTag/tenant': 'a' } }, 'ExplicitlyDenied'],
  ['untagged admin with s3:* on * cannot list', { principal: admin, action: 's3:ListBucketVersions', resource: sim.arnOf(ids.siloBucket) }, 'ExplicitlyDenied'],
  ['untagged admin with s3:* on * cannot delete in the silo bucket', { principal: admin, action: 's3:DeleteObjectVersion', resource: obj(ids.siloBucket, 'subjects/s1/x') }, 'ExplicitlyDenied'],
  ['untagged admin with s3:* can still read the bucket policy (administration is not data)', { principal: admin, action: 's3:GetBucketPolicy', resource: sim.arnOf(ids.siloBucket) }, 'Allowed'],
  ['untagged admin cannot read the access logs', { principal: admin, action: 's3:GetObject', resource: obj(ids.logs, 'access-logs/x') }, 'ExplicitlyDenied'],
  ['a principal tagged personal with s3:* reads the silo bucket', { principal: adminPersonal, action: 's3:GetObject', resource: obj(ids.siloBucket, 'subjects/s1/x') }, 'Allowed'],
  ['app role (tagged by its grant) reads the silo bucket', { principal: templateRole(ids.app), action: 's3:GetObject', resource: obj(ids.siloBucket, 'subjects/s1/x') }, 'Allowed'],
  // explicit grant actions: what a reader/writer is NOT given by the wildcards aws-cdk-lib would grant
  ['app role (reader) lists the silo bucket', { principal: templateRole(ids.app), action: 's3:ListBucket', resource: sim.arnOf(ids.siloBucket) }, 'Allowed'],
  ['app role (reader) cannot read an object ACL', { principal: templateRole(ids.app), action: 's3:GetObjectAcl', resource: obj(ids.siloBucket, 'subjects/s1/x') }, 'ImplicitlyDenied'],
  ['app role (reader) cannot read a noncurrent (deleted) version', { principal: templateRole(ids.app), action: 's3:GetObjectVersion', resource: obj(ids.siloBucket, 'subjects/s1/x') }, 'ImplicitlyDenied'],
  ['app role (reader) cannot list versions', { principal: templateRole(ids.app), action: 's3:ListBucketVersions', resource: sim.arnOf(ids.siloBucket) }, 'ImplicitlyDenied'],
  ['app role (reader) cannot read the bucket policy', { principal: templateRole(ids.app), action: 's3:GetBucketPolicy', resource: sim.arnOf(ids.siloBucket) }, 'ImplicitlyDenied'],
  ['app role (reader) cannot change the bucket policy', { principal: templateRole(ids.app), action: 's3:PutBucketPolicy', resource: sim.arnOf(ids.siloBucket) }, 'ImplicitlyDenied'],
  ['app role cannot list all buckets', { principal: templateRole(ids.app), action: 's3:ListAllMyBuckets', resource: '*' }, 'ImplicitlyDenied'],
  ['tenant a (read/write) aborts its own multipart upload', { principal: tenantA, action: 's3:AbortMultipartUpload', resource: obj(ids.pooledBucket, 'tenants/a/big.bin') }, 'Allowed'],
  ['tenant a (read/write) cannot destroy an object version', { principal: tenantA, action: 's3:DeleteObjectVersion', resource: obj(ids.pooledBucket, 'tenants/a/x') }, 'ImplicitlyDenied'],
  ['tenant a (read/write) cannot set a legal hold', { principal: tenantA, action: 's3:PutObjectLegalHold', resource: obj(ids.pooledBucket, 'tenants/a/x') }, 'ImplicitlyDenied'],
  ['app role (reader) queries the silo table\'s subject index', { principal: templateRole(ids.app), action: 'dynamodb:Query', resource: index(ids.siloTable), context: keys('subject-1') }, 'Allowed'],
  ['app role (reader) may Scan the silo table', { principal: templateRole(ids.app), action: 'dynamodb:Scan', resource: table(ids.siloTable) }, 'Allowed'],
  ['app role (reader) cannot write the silo table', { principal: templateRole(ids.app), action: 'dynamodb:PutItem', resource: table(ids.siloTable), context: keys('c1') }, 'ImplicitlyDenied'],
  ['app role (reader) cannot back up the silo table', { principal: templateRole(ids.app), action: 'dynamodb:CreateBackup', resource: table(ids.siloTable) }, 'ExplicitlyDenied'],
  ['app role cannot write the silo bucket (read-only grant)', { principal: templateRole(ids.app), action: 's3:PutObject', resource: obj(ids.siloBucket, 'subjects/s1/x') }, 'ImplicitlyDenied'],
  ['PutObject with aws:kms and the bucket\'s own key is allowed', {
    principal: tenantA,
    action: 's3:PutObject',
    resource: obj(ids.pooledBucket, 'tenants/a/x'),
    context: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': sim.resolve({ 'Fn::GetAtt': [keyOf(ids.pooledBucket), 'Arn'] }) as string },
  }, 'Allowed'],
  ['PutObject with SSE-S3 is denied', { principal: tenantA, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/a/x'), context: { 's3:x-amz-server-side-encryption': 'AES256' } }, 'ExplicitlyDenied'],
  ['PutObject with another KMS key is denied', {
    principal: tenantA,
    action: 's3:PutObject',
    resource: obj(ids.pooledBucket, 'tenants/a/x'),
    context: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${REGION}:${ACCOUNT}:key/other` },
  }, 'ExplicitlyDenied'],
  ['S3 server access logging may write into the log bucket for its source bucket', {
    principal: servicePrincipal('logging.s3.amazonaws.com'),
    action: 's3:PutObject',
    resource: obj(ids.logs, 'access-logs/2026/01/01/x'),
    context: { 'aws:SourceArn': sim.arnOf(ids.pooledBucket), 'aws:SourceAccount': ACCOUNT },
  }, 'Allowed'],
  ['S3 server access logging for another account\'s bucket is refused', {
    principal: servicePrincipal('logging.s3.amazonaws.com'),
    action: 's3:PutObject',
    resource: obj(ids.logs, 'access-logs/x'),
    context: { 'aws:SourceArn': 'arn:aws:s3:::someone-elses-bucket', 'aws:SourceAccount': '999999999999' },
  }, 'ImplicitlyDenied'],

  // keys: what deploying and logging need
  ['the CloudFormation execution role may create the KMS grant DynamoDB needs to create the table', {
    principal: cfnExec,
    action: 'kms:CreateGrant',
    resource: { logicalId: keyIdOf(ids.siloTable) },
    context: { 'kms:GrantIsForAWSResource': 'true', 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` },
  }, 'Allowed'],
  ['the CloudFormation execution role may describe the table key', { principal: cfnExec, action: 'kms:DescribeKey', resource: { logicalId: keyIdOf(ids.siloTable) } }, 'Allowed'],
  ['the CloudFormation execution role cannot decrypt with the table key', { principal: cfnExec, action: 'kms:Decrypt', resource: { logicalId: keyIdOf(ids.siloTable) }, context: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` } }, 'ImplicitlyDenied'],
  ['S3 server access logging may generate data keys for this account', {
    principal: servicePrincipal('logging.s3.amazonaws.com'), action: 'kms:GenerateDataKey', resource: { logicalId: keyOf(ids.pooledBucket) }, context: { 'aws:SourceAccount': ACCOUNT },
  }, 'Allowed'],
  ['S3 server access logging acting for another account cannot', {
    principal: servicePrincipal('logging.s3.amazonaws.com'), action: 'kms:GenerateDataKey', resource: { logicalId: keyOf(ids.pooledBucket) }, context: { 'aws:SourceAccount': '999999999999' },
  }, 'ImplicitlyDenied'],

  // DSR role on buckets
  ['DSR role lists one subject\'s versions in any tenant', { principal: dsr, action: 's3:ListBucketVersions', resource: sim.arnOf(ids.pooledBucket), context: { 's3:prefix': 'tenants/b/subjects/s9/' } }, 'Allowed'],
  ['DSR role deletes a version of a subject\'s object', { principal: dsr, action: 's3:DeleteObjectVersion', resource: obj(ids.pooledBucket, 'tenants/b/subjects/s9/doc.pdf') }, 'Allowed'],
  ['DSR role exports a subject\'s object', { principal: dsr, action: 's3:GetObject', resource: obj(ids.siloBucket, 'subjects/s9/doc.pdf') }, 'Allowed'],
  ['DSR role cannot read outside subject prefixes', { principal: dsr, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/b/shared/config.json') }, 'ImplicitlyDenied'],
  ['DSR role cannot list the whole bucket', { principal: dsr, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket) }, 'ImplicitlyDenied'],
  ['DSR role cannot change the bucket policy', { principal: dsr, action: 's3:PutBucketPolicy', resource: sim.arnOf(ids.pooledBucket) }, 'ImplicitlyDenied'],

  // pooled table: tenant isolation through dynamodb:LeadingKeys
  ['tenant a gets its own item', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('a#customer-1') }, 'Allowed'],
  ['tenant a puts its own item', { principal: tenantA, action: 'dynamodb:PutItem', resource: table(ids.pooledTable), context: keys('a#customer-1') }, 'Allowed'],
  ['tenant a cannot get tenant b\'s item', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('b#customer-1') }, 'ExplicitlyDenied'],
  ['tenant a cannot batch-get a mix of its own and tenant b\'s items', { principal: tenantA, action: 'dynamodb:BatchGetItem', resource: table(ids.pooledTable), context: keys('a#1', 'b#1') }, 'ExplicitlyDenied'],
  ['tenant "a" cannot reach tenant "ab"', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('ab#1') }, 'ExplicitlyDenied'],
  ['tenant a cannot Scan the pooled table', { principal: tenantA, action: 'dynamodb:Scan', resource: table(ids.pooledTable) }, 'ExplicitlyDenied'],
  ['tenant a queries the subject index for its own subject', { principal: tenantA, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys('a#subject-1') }, 'Allowed'],
  ['tenant a cannot query the subject index for tenant b\'s subject', { principal: tenantA, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys('b#subject-1') }, 'ExplicitlyDenied'],
  ['a session without a tenant tag cannot get an item', { principal: noTenant, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('a#customer-1') }, 'ExplicitlyDenied'],
  ['untagged admin with dynamodb:* cannot get an item', { principal: admin, action: 'dynamodb:GetItem', resource: table(ids.siloTable), context: keys('customer-1') }, 'ExplicitlyDenied'],
  ['untagged admin with dynamodb:* cannot Scan', { principal: admin, action: 'dynamodb:Scan', resource: table(ids.siloTable) }, 'ExplicitlyDenied'],
  ['untagged admin with dynamodb:* cannot export the table to S3', { principal: admin, action: 'dynamodb:ExportTableToPointInTime', resource: table(ids.siloTable) }, 'ExplicitlyDenied'],
  ['untagged admin with dynamodb:* cannot back up the silo table (CreateBackup: a copy outside the resource policy)', { principal: admin, action: 'dynamodb:CreateBackup', resource: table(ids.siloTable) }, 'ExplicitlyDenied'],
  ['untagged admin with dynamodb:* cannot back up the pooled table', { principal: admin, action: 'dynamodb:CreateBackup', resource: table(ids.pooledTable) }, 'ExplicitlyDenied'],
  ['untagged admin with dynamodb:* cannot restore the table to a point in time', { principal: admin, action: 'dynamodb:RestoreTableToPointInTime', resource: table(ids.siloTable) }, 'ExplicitlyDenied'],
  ['a principal tagged personal with dynamodb:* cannot back up the silo table either (whole-table copies are the backup plan\'s and DSR\'s)', { principal: adminPersonal, action: 'dynamodb:CreateBackup', resource: table(ids.siloTable) }, 'ExplicitlyDenied'],
  ['a principal tagged personal with dynamodb:* cannot export the pooled table', { principal: adminPersonal, action: 'dynamodb:ExportTableToPointInTime', resource: table(ids.pooledTable) }, 'ExplicitlyDenied'],
  ['known gap (class doc): the table policy cannot govern RestoreTableFromBackup, which acts on the backup', {
    principal: admin, action: 'dynamodb:RestoreTableFromBackup', resource: `${sim.arnOf(ids.siloTable)}/backup/01700000000000-abcdef12`,
  }, 'Allowed'],
  ['untagged admin with dynamodb:* can describe the table (administration is not data)', { principal: admin, action: 'dynamodb:DescribeTable', resource: table(ids.siloTable) }, 'Allowed'],
  ['a principal tagged personal with dynamodb:* may Scan the silo table', { principal: adminPersonal, action: 'dynamodb:Scan', resource: table(ids.siloTable) }, 'Allowed'],
  ['app role (tagged by its grant) reads the silo table', { principal: templateRole(ids.app, { extraIdentityPolicies: DDB_STAR }), action: 'dynamodb:GetItem', resource: table(ids.siloTable), context: keys('c1') }, 'Allowed'],

  // the pooled grants alone (no bucket or table policy): the identity policy limits each session to its tenant
  ['grant alone: tenant a reads its own object', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json'), resourcePolicy: null }, 'Allowed'],
  ['grant alone: tenant a writes its own object', { principal: tenantA, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json'), resourcePolicy: null }, 'Allowed'],
  ['grant alone: tenant a cannot read tenant b\'s object', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/b/subjects/s1/profile.json'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot write tenant b\'s object', { principal: tenantA, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/b/x'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant "a" cannot reach tenant "ab"', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/ab/x'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot read outside tenants/', { principal: tenantA, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'shared/config.json'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a lists its own prefix', { principal: tenantA, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket), context: { 's3:prefix': 'tenants/a/subjects/' }, resourcePolicy: null }, 'Allowed'],
  ['grant alone: tenant a cannot list tenant b\'s prefix', { principal: tenantA, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket), context: { 's3:prefix': 'tenants/b/' }, resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot list the whole bucket', { principal: tenantA, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: a session without a tenant tag cannot read tenant a\'s object', { principal: noTenant, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: a session without a tenant tag cannot write', { principal: noTenant, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/a/x'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: a session without a tenant tag cannot list', { principal: noTenant, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket), context: { 's3:prefix': 'tenants/a/' }, resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a gets its own item', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('a#customer-1'), resourcePolicy: null }, 'Allowed'],
  ['grant alone: tenant a puts its own item', { principal: tenantA, action: 'dynamodb:PutItem', resource: table(ids.pooledTable), context: keys('a#customer-1'), resourcePolicy: null }, 'Allowed'],
  ['grant alone: tenant a cannot get tenant b\'s item', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('b#customer-1'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot put tenant b\'s item', { principal: tenantA, action: 'dynamodb:PutItem', resource: table(ids.pooledTable), context: keys('b#customer-1'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot batch-get its own and tenant b\'s items', { principal: tenantA, action: 'dynamodb:BatchGetItem', resource: table(ids.pooledTable), context: keys('a#1', 'b#1'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant "a" cannot reach tenant "ab"', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('ab#1'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot Scan (no leading key: the Null check)', { principal: tenantA, action: 'dynamodb:Scan', resource: table(ids.pooledTable), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot get an item without a leading key in the request', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a queries the subject index for its own subject', { principal: tenantA, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys('a#subject-1'), resourcePolicy: null }, 'Allowed'],
  ['grant alone: tenant a cannot query the subject index for tenant b\'s subject', { principal: tenantA, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys('b#subject-1'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a cannot Scan the subject index', { principal: tenantA, action: 'dynamodb:Scan', resource: index(ids.pooledTable), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: tenant a describes the table (metadata, no leading key)', { principal: tenantA, action: 'dynamodb:DescribeTable', resource: table(ids.pooledTable), resourcePolicy: null }, 'Allowed'],
  ['grant alone: a session without a tenant tag cannot get tenant a\'s item', { principal: noTenant, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('a#customer-1'), resourcePolicy: null }, 'ImplicitlyDenied'],
  ['grant alone: a session without a tenant tag cannot query the subject index', { principal: noTenant, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys('a#subject-1'), resourcePolicy: null }, 'ImplicitlyDenied'],
  // the same grants with the stores' policies
  ['tenant a cannot put tenant b\'s item', { principal: tenantA, action: 'dynamodb:PutItem', resource: table(ids.pooledTable), context: keys('b#customer-1') }, 'ExplicitlyDenied'],
  ['tenant a describes the pooled table', { principal: tenantA, action: 'dynamodb:DescribeTable', resource: table(ids.pooledTable) }, 'Allowed'],
  ['a session without a tenant tag cannot query the subject index', { principal: noTenant, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys('a#subject-1') }, 'ExplicitlyDenied'],
  ['a session without a tenant tag cannot list', { principal: noTenant, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket), context: { 's3:prefix': 'tenants/a/' } }, 'ExplicitlyDenied'],

  // DSR role on tables
  ['DSR role queries the subject index of the pooled table', { principal: dsr, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys('b#subject-9') }, 'Allowed'],
  ['DSR role deletes an item in any tenant', { principal: dsr, action: 'dynamodb:DeleteItem', resource: table(ids.pooledTable), context: keys('b#customer-9') }, 'Allowed'],
  ['DSR role corrects an item', { principal: dsr, action: 'dynamodb:UpdateItem', resource: table(ids.siloTable), context: keys('customer-9') }, 'Allowed'],
  ['DSR role exports an item', { principal: dsr, action: 'dynamodb:GetItem', resource: table(ids.siloTable), context: keys('customer-9') }, 'Allowed'],
  ['DSR role cannot Scan', { principal: dsr, action: 'dynamodb:Scan', resource: table(ids.siloTable) }, 'ImplicitlyDenied'],
  ['DSR role cannot query the table itself (only the subject index)', { principal: dsr, action: 'dynamodb:Query', resource: table(ids.siloTable), context: keys('customer-9') }, 'ImplicitlyDenied'],
  ['DSR role cannot delete the table', { principal: dsr, action: 'dynamodb:DeleteTable', resource: table(ids.siloTable) }, 'ImplicitlyDenied'],
  ['a DSR role is exempt from the tenant prefix: with s3:* on * it reads outside subject prefixes (its own grant does not allow it)', {
    principal: templateRole(ids.dsr, { extraIdentityPolicies: S3_STAR }), action: 's3:GetObject', resource: obj(ids.pooledBucket, 'shared/config.json'),
  }, 'Allowed'],

  // the AWS Backup role of a PersonalDataBackupPlan (privacy:workflow=backup): every tenant of a pooled store
  ['backup role reads an object version of tenant a', { principal: backupRole, action: 's3:GetObjectVersion', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json') }, 'Allowed'],
  ['backup role reads an object of tenant b', { principal: backupRole, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/b/subjects/s9/doc.pdf') }, 'Allowed'],
  ['backup role reads an object outside tenants/', { principal: backupRole, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'shared/config.json') }, 'Allowed'],
  ['backup role restores an object of tenant b', { principal: backupRole, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/b/subjects/s9/doc.pdf') }, 'Allowed'],
  ['backup role lists every version of the whole bucket', { principal: backupRole, action: 's3:ListBucketVersions', resource: sim.arnOf(ids.pooledBucket) }, 'Allowed'],
  ['backup role backs up the pooled table', { principal: backupRole, action: 'dynamodb:CreateBackup', resource: table(ids.pooledTable) }, 'Allowed'],
  ['backup role starts an AWS Backup job of the pooled table', { principal: backupRole, action: 'dynamodb:StartAwsBackupJob', resource: table(ids.pooledTable) }, 'Allowed'],
  ['backup role without its privacy:access tag cannot back up the pooled table', {
    principal: templateRole(ids.backup, { sessionTags: { 'privacy:access': 'none' } }), action: 'dynamodb:CreateBackup', resource: table(ids.pooledTable),
  }, 'ExplicitlyDenied'],
  ['backup role describes the pooled table', { principal: backupRole, action: 'dynamodb:DescribeTable', resource: table(ids.pooledTable) }, 'Allowed'],
  ['backup role cannot read the silo bucket it does not back up', { principal: backupRole, action: 's3:GetObject', resource: obj(ids.siloBucket, 'subjects/s1/x') }, 'ImplicitlyDenied'],
  ['backup role cannot delete the pooled table', { principal: backupRole, action: 'dynamodb:DeleteTable', resource: table(ids.pooledTable) }, 'ImplicitlyDenied'],
  ['backup role is exempt from the pooled table\'s tenant statements: with dynamodb:* it may Scan (its own policy does not allow it)', {
    principal: templateRole(ids.backup, { extraIdentityPolicies: DDB_STAR }), action: 'dynamodb:Scan', resource: table(ids.pooledTable),
  }, 'Allowed'],
  ['backup role without privacy:access is still denied by the access statement', {
    principal: templateRole(ids.backup, { sessionTags: { 'privacy:access': 'none' } }), action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/x'),
  }, 'ExplicitlyDenied'],
  ['a non-workflow role with the backup policy cannot read tenant a\'s objects (no tenant tag)', { principal: backupLookalike, action: 's3:GetObjectVersion', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/profile.json') }, 'ExplicitlyDenied'],
  ['a non-workflow role with the backup policy and tenant a cannot read tenant b\'s objects', {
    principal: backupLookalike, action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/b/subjects/s9/doc.pdf'), context: { 'aws:PrincipalTag/tenant': 'a' },
  }, 'ExplicitlyDenied'],
  ['a non-workflow role with the backup policy cannot restore objects', { principal: backupLookalike, action: 's3:PutObject', resource: obj(ids.pooledBucket, 'tenants/b/subjects/s9/doc.pdf') }, 'ExplicitlyDenied'],
  ['a non-workflow role with the backup policy cannot list the whole bucket', { principal: backupLookalike, action: 's3:ListBucketVersions', resource: sim.arnOf(ids.pooledBucket) }, 'ExplicitlyDenied'],
  ['a non-workflow role with dynamodb:* and privacy:access cannot Scan the pooled table', {
    principal: arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/backup-lookalike`, { tags: { 'privacy:access': 'sensitive' }, identityPolicies: DDB_STAR }),
    action: 'dynamodb:Scan',
    resource: table(ids.pooledTable),
  }, 'ExplicitlyDenied'],
  // tenant tags outside the tenant id syntax (issue 12 finding 7): the grant's policy variable would nest them in another tenant's keys
  ...(['a/b', 'a#x', '*', 'a?', 'a.b', 'a b', '_a', ''] as const).flatMap((t): Array<[string, SimRequest, SimResult]> => {
    const p = templateRole(ids.app, { sessionTags: { tenant: t } });
    // `*` as a tag would match every tenant's prefix: tried on tenant b's (the simulator takes concrete keys only)
    const own = t === '*' ? 'b' : t;
    return [
      [`tenant "${t}" cannot read under its own tag (tenants/${t}/...)`, { principal: p, action: 's3:GetObject', resource: obj(ids.pooledBucket, `tenants/${own}/subjects/s1/x`) }, 'ExplicitlyDenied'],
      [`tenant "${t}" cannot write under its own tag`, { principal: p, action: 's3:PutObject', resource: obj(ids.pooledBucket, `tenants/${own}/x`) }, 'ExplicitlyDenied'],
      [`tenant "${t}" cannot list its own tag's prefix`, { principal: p, action: 's3:ListBucket', resource: sim.arnOf(ids.pooledBucket), context: { 's3:prefix': `tenants/${t}/` } }, 'ExplicitlyDenied'],
      [`tenant "${t}" cannot get an item under its own tag (${t}#...)`, { principal: p, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys(`${t}#customer-1`) }, 'ExplicitlyDenied'],
      [`tenant "${t}" cannot query the subject index under its own tag`, { principal: p, action: 'dynamodb:Query', resource: index(ids.pooledTable), context: keys(`${t}#subject-1`) }, 'ExplicitlyDenied'],
    ];
  }),
  ['tenant "a/b" cannot reach tenant a\'s subject b (tenants/a/b/...)', { principal: templateRole(ids.app, { sessionTags: { tenant: 'a/b' } }), action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/b/subjects/s1/x') }, 'ExplicitlyDenied'],
  ['tenant "a#x" cannot reach tenant a\'s items keyed a#x#...', { principal: templateRole(ids.app, { sessionTags: { tenant: 'a#x' } }), action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('a#x#1') }, 'ExplicitlyDenied'],
  ['a 64-character tenant id is allowed its own prefix', { principal: templateRole(ids.app, { sessionTags: { tenant: `a${'b'.repeat(63)}` } }), action: 's3:GetObject', resource: obj(ids.pooledBucket, `tenants/a${'b'.repeat(63)}/x`) }, 'Allowed'],
  ['a 65-character tenant tag is denied', { principal: templateRole(ids.app, { sessionTags: { tenant: `a${'b'.repeat(64)}` } }), action: 's3:GetObject', resource: obj(ids.pooledBucket, `tenants/a${'b'.repeat(64)}/x`) }, 'ExplicitlyDenied'],
  ['tenant "a-b_c9" (the syntax) gets its own item', { principal: templateRole(ids.app, { sessionTags: { tenant: 'a-b_c9' } }), action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('a-b_c9#1') }, 'Allowed'],
  ['tenant "ab" cannot reach tenant a\'s objects', { principal: templateRole(ids.app, { sessionTags: { tenant: 'ab' } }), action: 's3:GetObject', resource: obj(ids.pooledBucket, 'tenants/a/subjects/s1/x') }, 'ExplicitlyDenied'],
  ['tenant "ab" cannot reach tenant a\'s items', { principal: templateRole(ids.app, { sessionTags: { tenant: 'ab' } }), action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('a#1') }, 'ExplicitlyDenied'],
  ['tenant "a" cannot reach tenant ab\'s items', { principal: tenantA, action: 'dynamodb:GetItem', resource: table(ids.pooledTable), context: keys('ab#1') }, 'ExplicitlyDenied'],
];

describe('store access matrix', () => {
  test('has at least 30 requests', () => {
    expect(matrix.length).toBeGreaterThanOrEqual(30);
  });

  test.each(matrix)('%s', async (_name, request, expected) => {
    const decision = await sim.simulate(request);
    expect(decision.result).toBe(expected);
  });
});
