import { asArray, CfnValue, statementsOf } from './cfn-values';

/** Data-plane actions that read, write or delete objects in S3 (personal data held in objects and keys). */
export const S3_DATA_ACTIONS = [
  's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectTorrent', 's3:PutObject',
  's3:DeleteObject', 's3:DeleteObjectVersion', 's3:RestoreObject', 's3:ReplicateObject', 's3:ListBucket',
  's3:ListBucketVersions',
];
/** Data-plane actions on DynamoDB items and exports. */
export const DYNAMODB_DATA_ACTIONS = [
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem',
  'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete', 'dynamodb:GetRecords',
  'dynamodb:ExportTableToPointInTime',
];
/** KMS operations that decrypt, or produce plaintext data keys for, data under a key. */
export const KMS_DATA_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair'];
/** KMS operations that turn ciphertext into plaintext. */
export const KMS_DECRYPT_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom'];

const patternCache = new Map<string, RegExp>();

/** An IAM action pattern (`s3:Get*`, `*`) as a case-insensitive regular expression. */
export function actionPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, re);
  }
  return re;
}

/** The literal action strings of a statement field (`Action` / `NotAction`); non-strings are dropped. */
export function actionsOf(value: CfnValue): string[] {
  return asArray(value).filter((a): a is string => typeof a === 'string');
}

/**
 * The candidate actions an Allow statement grants: those its `Action` patterns match, or, for
 * `NotAction`, those its patterns do not exclude.
 */
export function grantedActions(statement: CfnValue, candidates: readonly string[]): string[] {
  if (statement.Effect !== 'Allow') return [];
  if (statement.NotAction !== undefined) {
    const excluded = actionsOf(statement.NotAction).map(actionPattern);
    return candidates.filter((c) => !excluded.some((re) => re.test(c)));
  }
  const patterns = actionsOf(statement.Action).map(actionPattern);
  return candidates.filter((c) => patterns.some((re) => re.test(c)));
}

/** Whether a statement has at least one condition. */
export function hasCondition(statement: CfnValue): boolean {
  const c = statement.Condition;
  return c !== undefined && c !== null && typeof c === 'object' && Object.keys(c).length > 0;
}

/** Whether a principal element is `*` or `{ AWS: '*' }` (alone or among others). */
export function isWildcardPrincipal(principal: CfnValue): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  return asArray(principal.AWS).includes('*');
}

/** Every `(operator, key, values)` of a statement's Condition block. */
export function conditionEntries(statement: CfnValue): { operator: string; key: string; values: CfnValue[] }[] {
  const out: { operator: string; key: string; values: CfnValue[] }[] = [];
  const block = statement.Condition;
  if (!block || typeof block !== 'object') return out;
  for (const [operator, keys] of Object.entries(block)) {
    if (!keys || typeof keys !== 'object') continue;
    for (const [key, values] of Object.entries(keys as Record<string, CfnValue>)) {
      out.push({ operator, key, values: asArray(values) });
    }
  }
  return out;
}

/** The identity-policy documents an IAM resource defines (standalone policies and inline ones). */
export function identityPolicyDocuments(type: string, props: CfnValue): CfnValue[] {
  switch (type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy':
      return props.PolicyDocument ? [props.PolicyDocument] : [];
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return asArray(props.Policies).map((p) => p?.PolicyDocument).filter((d) => d !== undefined);
    default:
      return [];
  }
}

/** CloudFormation types that carry identity policies. */
export const IDENTITY_POLICY_TYPES = [
  'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group',
];

/** Every statement of every identity-policy document of an IAM resource. */
export function identityStatements(type: string, props: CfnValue): CfnValue[] {
  return identityPolicyDocuments(type, props).flatMap(statementsOf);
}
