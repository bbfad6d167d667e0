import { asArray, CfnValue, Part, statementsOf } from './cfn-values';

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

/**
 * Condition keys that narrow a statement to some resources or data (a tag of the resource, an
 * object prefix, item keys, the service and encryption context a key is used through, an access
 * point). Keys about the request, the network or the caller (aws:SecureTransport, aws:SourceIp,
 * aws:MultiFactorAuthPresent, aws:PrincipalTag, ...) and account-wide keys (aws:ResourceAccount,
 * aws:ResourceOrgID) leave every resource of the account reachable.
 */
const RESOURCE_NARROWING_KEYS = [
  /^aws:resourcetag\//, /^s3:prefix$/, /^s3:existingobjecttag\//, /^s3:dataaccesspointarn$/, /^dynamodb:leadingkeys$/,
  /^dynamodb:attributes$/, /^kms:viaservice$/, /^kms:encryptioncontext:/, /^kms:encryptioncontextkeys$/,
];

/**
 * Whether a condition entry restricts its key to some values: a positive string or ARN operator
 * (StringEquals, StringLike, ArnEquals, ArnLike, their ForAnyValue forms; ForAllValues only with a
 * `Null false` check on the same key, since it passes when the key is absent), not ...IfExists,
 * with at least one value, none of them a pattern that matches everything (`*`).
 */
export function restricts(entry: { operator: string; key: string; values: CfnValue[] }, statement: CfnValue): boolean {
  const op = entry.operator.toLowerCase();
  if (op.endsWith('ifexists')) return false;
  const base = op.replace(/^for(any|all)values:/, '');
  if (base === 'bool') return entry.values.length > 0 && entry.values.every((v) => v === true || v === 'true');
  if (!['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike'].includes(base)) return false;
  if (op.startsWith('forallvalues:') && !conditionEntries(statement).some((c) => c.operator.toLowerCase() === 'null'
    && c.key.toLowerCase() === entry.key.toLowerCase() && c.values.every((v) => v === 'false' || v === false))) return false;
  const like = base === 'stringlike' || base === 'arnlike';
  return entry.values.length > 0 && !entry.values.some((v) => typeof v === 'string' && like && /^[*?]*$/.test(v));
}

/** Whether a statement's conditions narrow it to some resources or data (see RESOURCE_NARROWING_KEYS). */
export function narrowsResources(statement: CfnValue): boolean {
  return conditionEntries(statement).some((c) => RESOURCE_NARROWING_KEYS.some((re) => re.test(c.key.toLowerCase())) && restricts(c, statement));
}

/** How much of a service a resource pattern reaches. */
export enum Breadth {
  /** Names resources (a bucket, a table, a key), perhaps with a wildcard after the name (objects, indexes). */
  NAMED = 'named',
  /** A wildcard in the service, resource type or resource name: every or any matching resource. */
  BROAD = 'broad',
  /** Another service's resources: the actions in question do not apply to it. */
  OTHER_SERVICE = 'other-service',
}

const REF_ARN = '\u0001';
const NAME = '\u0002';
const WILDCARD = /[*?]/;

/**
 * How broad a resource pattern is for actions of the given services, from its parts (text,
 * references to resources of the app, pseudo parameters). A pseudo parameter
 * (`${AWS::Region}`, `${AWS::AccountId}`) is one fixed value per deployment, so
 * `arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*` is every table of the account.
 * BROAD: a wildcard in the partition, service or resource type, or a resource name that starts
 * with a wildcard (`*`, `*-prod`, `?`): it reaches resources nobody named. A name with a literal
 * prefix before its wildcard (`customer-*`, `${table.tableArn}-restore*`) names a family of
 * resources its author chose, and a wildcard after the name (`bucket/*`, `table/T/index/*`)
 * reaches parts of a named resource: both are NAMED.
 */
export function resourceBreadth(parts: readonly Part[], services: ReadonlySet<string>): Breadth {
  const text = parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'ref' && p.attr === 'Arn' ? REF_ARN : NAME)).join('');
  if (text.includes(REF_ARN)) return WILDCARD.test(text.split(REF_ARN)[0]) ? Breadth.BROAD : Breadth.NAMED;
  const pieces = text.split(':');
  if (pieces.length < 6) return WILDCARD.test(text) ? Breadth.BROAD : Breadth.NAMED;
  const [prefix, partition, service] = pieces;
  if (WILDCARD.test(prefix) || WILDCARD.test(partition) || WILDCARD.test(service)) return Breadth.BROAD;
  if (!services.has(service.toLowerCase())) return Breadth.OTHER_SERVICE;
  const resource = pieces.slice(5).join(':');
  const unnamed = (name: string) => name === '' || WILDCARD.test(name[0]);
  if (service.toLowerCase() === 's3') return unnamed(resource.split('/')[0]) ? Breadth.BROAD : Breadth.NAMED;
  const segments = resource.split(/[/:]/);
  if (segments.length === 1) return unnamed(segments[0]) ? Breadth.BROAD : Breadth.NAMED;
  return WILDCARD.test(segments[0]) || unnamed(segments[1]) ? Breadth.BROAD : Breadth.NAMED;
}
