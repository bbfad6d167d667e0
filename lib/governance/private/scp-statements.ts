import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';

/** One statement of a service control policy, as JSON. */
export interface ScpStatement {
  readonly Sid: string;
  readonly Effect: 'Deny';
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition: Record<string, Record<string, string | string[]>>;
}

/** Organizations' limit on the size of one SCP document, in characters, as stored (whitespace removed). */
export const MAX_SCP_CHARACTERS = 5120;
/** Organizations' limit on SCPs attached to one root, OU or account (FullAWSAccess included). */
export const MAX_SCPS_PER_TARGET = 5;

const CLASSIFIED = [`aws:ResourceTag/${PrivacyTagKeys.CLASSIFICATION}`];
const PRIVACY_TAGS = 'privacy:*';

/** What the SCP set denies; each group of actions becomes one statement with the exemption condition. */
export function scpStatements(exempt: string[], exemptRoleArns: string[]): ScpStatement[] {
  const notExempt = { 'aws:PrincipalARN': exempt };
  const deny = (Sid: string, Action: string[], Condition: ScpStatement['Condition'], Resource: string | string[] = '*'): ScpStatement =>
    ({ Sid, Effect: 'Deny', Action, Resource, Condition: { ...Condition, ArnNotLike: notExempt } });

  const statements: ScpStatement[] = [
    // (a) encryption at creation time
    deny('DenyS3PutObjectWithoutSseKms', ['s3:PutObject'], {
      // StringNotEquals also matches when the header is absent: a write must ask for SSE-KMS itself.
      StringNotEquals: { 's3:x-amz-server-side-encryption': ['aws:kms', 'aws:kms:dsse'] },
    }),
    deny('DenyUnencryptedRdsClusters', ['rds:CreateDBCluster'], {
      BoolIfExists: { 'rds:StorageEncrypted': 'false' },
    }),
    deny('DenyUnencryptedRdsInstances', ['rds:CreateDBInstance'], {
      BoolIfExists: { 'rds:StorageEncrypted': 'false' },
      // Aurora, Neptune and DocumentDB instances take their encryption from the cluster.
      StringNotLike: { 'rds:DatabaseEngine': ['aurora*', 'neptune', 'docdb'] },
    }),
    deny('DenyUnencryptedEfs', ['elasticfilesystem:CreateFileSystem'], {
      BoolIfExists: { 'elasticfilesystem:Encrypted': 'false' },
    }),
    // (b) the audit and privacy controls themselves
    deny('ProtectCloudTrail', [
      'cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail',
    ], {}),
    deny('ProtectPrivacyKeys', [
      'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion',
    ], { StringLike: { [CLASSIFIED[0]]: ['personal', 'sensitive'] } }),
    deny('ProtectPrivacyLogGroups', [
      'logs:DeleteLogGroup', 'logs:DeleteRetentionPolicy', 'logs:DisassociateKmsKey', 'logs:PutRetentionPolicy',
    ], { StringLike: { [CLASSIFIED[0]]: ['personal', 'sensitive'] } }),
    deny('ProtectConfig', [
      'config:DeleteConfigRule', 'config:DeleteConfigurationRecorder', 'config:DeleteConformancePack',
      'config:DeleteDeliveryChannel', 'config:StopConfigurationRecorder',
    ], {}),
    // Fail closed: every table not explicitly non-personal, untagged ones included.
    deny('ProtectPrivacyTables', ['dynamodb:DeleteTable', 'dynamodb:UpdateContinuousBackups'], {
      StringNotEquals: { [CLASSIFIED[0]]: 'non-personal' },
    }),
    deny('ProtectPrivacyTags', [
      'cloudtrail:AddTags', 'cloudtrail:RemoveTags',
      'dynamodb:TagResource', 'dynamodb:UntagResource',
      'elasticfilesystem:TagResource', 'elasticfilesystem:UntagResource',
      'iam:CreateRole', 'iam:CreateUser', 'iam:TagRole', 'iam:TagUser', 'iam:UntagRole', 'iam:UntagUser',
      'kms:TagResource', 'kms:UntagResource',
      'logs:TagLogGroup', 'logs:TagResource', 'logs:UntagLogGroup', 'logs:UntagResource',
      'rds:AddTagsToResource', 'rds:RemoveTagsFromResource',
      'sts:TagSession',
    ], { 'ForAnyValue:StringLike': { 'aws:TagKeys': PRIVACY_TAGS } }),
    // PutBucketTagging replaces the whole tag set (and stands for DeleteBucketTagging) without
    // naming the keys it removes in aws:TagKeys, so it is denied outright.
    deny('ProtectBucketTags', ['s3:PutBucketTagging'], {}),
  ];
  if (exemptRoleArns.length > 0) {
    // Otherwise anyone allowed iam:CreateRole could create a role with an exempt name.
    statements.push(deny('ProtectExemptRoles', [
      'iam:AttachRolePolicy', 'iam:CreateRole', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRolePolicy',
      'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole',
    ], {}, exemptRoleArns));
  }
  return statements;
}

/** A policy document as Organizations stores it: minified JSON. */
export function policyDocument(statements: ScpStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Split statements, in order, over documents of at most `limit` characters each (next fit: a
 * statement that does not fit the current document starts the next one, so the order stays
 * readable). Stops at the first statement that does not fit a document on its own.
 */
export function splitStatements(statements: ScpStatement[], limit: number): { documents: ScpStatement[][]; oversized?: ScpStatement } {
  const documents: ScpStatement[][] = [];
  for (const s of statements) {
    if (policyDocument([s]).length > limit) {
      return { documents, oversized: s };
    }
    const current = documents[documents.length - 1];
    if (current && policyDocument([...current, s]).length <= limit) {
      current.push(s);
    } else {
      documents.push([s]);
    }
  }
  return { documents };
}
