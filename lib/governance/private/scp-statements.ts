import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';

/** One statement of a service control policy, as JSON. */
export interface ScpStatement {
  readonly Sid: string;
  readonly Effect: 'Deny';
  /** The actions denied (absent when `NotAction` names the only ones left allowed). */
  readonly Action?: string[];
  /** Every action but these is denied. */
  readonly NotAction?: string[];
  readonly Resource: string | string[];
  readonly Condition: Record<string, Record<string, string | string[]>>;
}

/** Organizations' limit on the size of one SCP document, in characters, as stored (whitespace removed). */
export const MAX_SCP_CHARACTERS = 5120;
/** Organizations' limit on SCPs attached to one root, OU or account (FullAWSAccess included). */
export const MAX_SCPS_PER_TARGET = 5;

const CLASSIFICATION = `aws:ResourceTag/${PrivacyTagKeys.CLASSIFICATION}`;

/**
 * Every `privacy:*` key of the tag model. IAM tag keys are case-insensitive (a role tagged
 * `Privacy:Access` satisfies `aws:PrincipalTag/privacy:access`, and a session tag overrides a role
 * tag whatever its case), and condition key names are too, so the tag statements match these keys
 * with `StringEqualsIgnoreCase`. IAM has no case-insensitive `StringLike`, so the list is explicit.
 */
export const PROTECTED_TAG_KEYS: string[] = Object.values(PrivacyTagKeys)
  .filter((v): v is string => typeof v === 'string' && v.startsWith('privacy:'))
  .sort();

/** What an SCP set is made of. */
export interface ScpInputs {
  /** Principals the policies do not apply to (`ArnNotLike aws:PrincipalARN`). */
  readonly exempt: string[];
  /** Principals that may deploy through the exempt CloudFormation roles. */
  readonly deployers: string[];
  /** The CDK bootstrap qualifier whose deploy role the deployers assume. */
  readonly qualifier: string;
  /** The human principals that must sign in with MFA (`ArnLike aws:PrincipalARN`); none: no MFA statement. */
  readonly mfaHumans?: string[];
}

/** Service-linked roles: AWS services act through them, never a person. */
export const SERVICE_LINKED_ROLES = 'arn:*:iam::*:role/aws-service-role/*';

/**
 * What a person signed in without MFA may still do: enrol an MFA device and get an MFA session
 * (the actions of IAM's own "self-manage MFA" example), so that the deny does not lock them out.
 */
export const MFA_SELF_SERVICE_ACTIONS = [
  'iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetAccountPasswordPolicy', 'iam:GetUser',
  'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken',
];

/**
 * The MFA statement: every action but MFA enrolment is denied to the human principals when the
 * request carries no MFA (`BoolIfExists`: long-term access keys carry no `aws:MultiFactorAuthPresent`
 * and are denied too). Requests an AWS service makes on the person's behalf (`aws:ViaAWSService`)
 * were authorized on the person's own request; service-linked roles and the exempt principals
 * (break-glass, the deployment roles) are never matched.
 */
export function mfaStatement(humans: string[], exempt: string[]): ScpStatement {
  return {
    Sid: 'RequireMfaForHumans',
    Effect: 'Deny',
    NotAction: MFA_SELF_SERVICE_ACTIONS,
    Resource: '*',
    Condition: {
      BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false', 'aws:ViaAWSService': 'false' },
      ArnLike: { 'aws:PrincipalARN': humans },
      ArnNotLike: { 'aws:PrincipalARN': [...new Set([...exempt, SERVICE_LINKED_ROLES])] },
    },
  };
}

/** `arn:*:iam::*:role/cdk-<qualifier>-deploy-role-*`: the role `cdk deploy` assumes to start CloudFormation. */
export function cdkDeployRoleArn(qualifier: string): string {
  return `arn:*:iam::*:role/cdk-${qualifier}-deploy-role-*`;
}

/** `arn:*:iam::*:role/cdk-<qualifier>-cfn-exec-role-*`: the role CloudFormation deploys CDK stacks with. */
export function cdkExecutionRoleArn(qualifier: string): string {
  return `arn:*:iam::*:role/cdk-${qualifier}-cfn-exec-role-*`;
}

/**
 * Resource patterns for every role whose name is `name` in any case and under any path. IAM role
 * names are unique regardless of case (and of path), so `CDK-CCPA-BREAK-GLASS` or
 * `/ops/cdk-ccpa-break-glass` would take the name of `cdk-ccpa-break-glass`; ARN patterns are
 * case-sensitive and know no character classes, so each letter becomes `?` (any one character).
 * A name of letters only would then match every name of its length: such names keep their exact
 * spelling (create those roles before attaching the policies).
 */
export function caseInsensitiveRolePatterns(roleArn: string): string[] {
  const m = /^(.*:role\/)(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) return [roleArn];
  const [, prefix, name] = m;
  const pattern = /[^A-Za-z*?]/.test(name) ? name.replace(/[A-Za-z]/g, '?') : name;
  return [`${prefix}${pattern}`, `${prefix}*/${pattern}`];
}

/** Changing who a role or user is, or what it may do; and handing a role to a service. */
const PRINCIPAL_TAKEOVER_ACTIONS = [
  'iam:AttachRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy',
  'iam:PassRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole',
  'iam:AttachUserPolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateServiceSpecificCredential',
  'iam:DeleteUserPermissionsBoundary', 'iam:PutUserPolicy', 'iam:UpdateLoginProfile',
];

/** Changing the code, configuration or callers of a privacy workflow's functions and state machines. */
const WORKFLOW_TAKEOVER_ACTIONS = [
  'lambda:AddPermission', 'lambda:CreateFunctionUrlConfig', 'lambda:DeleteFunction', 'lambda:PutFunctionConcurrency',
  'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:UpdateFunctionUrlConfig',
  'states:DeleteStateMachine', 'states:UpdateStateMachine',
];

/** The tagging actions of the services whose resources and principals carry `privacy:*` tags. */
const TAGGING_ACTIONS = [
  'cloudtrail:AddTags', 'cloudtrail:RemoveTags',
  'dynamodb:TagResource', 'dynamodb:UntagResource',
  'elasticfilesystem:TagResource', 'elasticfilesystem:UntagResource',
  'iam:CreateRole', 'iam:CreateUser', 'iam:TagRole', 'iam:TagUser', 'iam:UntagRole', 'iam:UntagUser',
  'kms:TagResource', 'kms:UntagResource',
  'lambda:CreateFunction', 'lambda:TagResource', 'lambda:UntagResource',
  'logs:TagLogGroup', 'logs:TagResource', 'logs:UntagLogGroup', 'logs:UntagResource',
  'rds:AddTagsToResource', 'rds:RemoveTagsFromResource',
  's3:TagResource', 's3:UntagResource',
  'states:TagResource', 'states:UntagResource',
  'sts:TagSession',
];

/** What the SCP set denies; each group of actions becomes one statement with its exemption condition. */
export function scpStatements(inputs: ScpInputs): ScpStatement[] {
  const { exempt, deployers, qualifier } = inputs;
  const exemptRoles = exempt.filter((a) => /:role\//.test(a));
  const deployRole = cdkDeployRoleArn(qualifier);
  // who may start a deployment through the exempt CloudFormation roles
  const deploying = [...new Set([...exempt, ...deployers, deployRole])];
  const denyExcept = (except: string[]) => (Sid: string, Action: string[], Condition: ScpStatement['Condition'], Resource: string | string[] = '*'): ScpStatement =>
    ({ Sid, Effect: 'Deny', Action, Resource, Condition: { ...Condition, ArnNotLike: { 'aws:PrincipalARN': except } } });
  const deny = denyExcept(exempt);
  const unlessNonPersonal = { StringNotEquals: { [CLASSIFICATION]: 'non-personal' } };
  const tagged = (key: string) => ({ Null: { [`aws:ResourceTag/${key}`]: 'false' } });

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
    // Denied outright: the trails and Config; PutBucketTagging, which replaces a bucket's whole tag
    // set (and stands for DeleteBucketTagging) without naming the keys it removes in aws:TagKeys;
    // and identity providers: a SAML or OIDC provider an administrator controls would assert any
    // session tag, set by the provider and not in a request these policies see.
    deny('ProtectAuditTagsAndIdentity', [
      'cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail',
      'config:DeleteConfigRule', 'config:DeleteConfigurationRecorder', 'config:DeleteConformancePack',
      'config:DeleteDeliveryChannel', 'config:StopConfigurationRecorder',
      's3:PutBucketTagging',
      'iam:AddClientIDToOpenIDConnectProvider', 'iam:CreateOpenIDConnectProvider', 'iam:CreateSAMLProvider',
      'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:UpdateSAMLProvider',
    ], {}),
    deny('ProtectPrivacyKeysAndLogGroups', [
      'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion',
      'logs:DeleteLogGroup', 'logs:DeleteRetentionPolicy', 'logs:DisassociateKmsKey', 'logs:PutRetentionPolicy',
    ], { StringLike: { [CLASSIFICATION]: ['personal', 'sensitive'] } }),
    // Fail closed (every store not explicitly non-personal, untagged ones included): deleting a
    // table, its point-in-time recovery, its resource policy (the tenant statements, the audit
    // table's append-only deny), its TTL or its settings (key, deletion protection, replicas), and
    // a bucket's policy. S3 evaluates aws:ResourceTag only on buckets with ABAC enabled; without it
    // the key is absent and the bucket is protected too.
    deny('ProtectPrivacyStores', [
      'dynamodb:DeleteResourcePolicy', 'dynamodb:DeleteTable', 'dynamodb:PutResourcePolicy', 'dynamodb:UpdateContinuousBackups',
      'dynamodb:UpdateTable', 'dynamodb:UpdateTimeToLive', 's3:DeleteBucketPolicy', 's3:PutBucketPolicy',
    ], unlessNonPersonal),
    // A copy of a whole table is every tenant's data outside the table's policy and outside the
    // reach of deletion requests: only the backup plan's role and DSR roles make one. StartAwsBackupJob
    // and RestoreTableFromBackup are not governed by a table's resource policy, so this is the only
    // place they are denied; a backup carries no tags, so restoring one is denied (fail closed).
    deny('ProtectTableCopies', [
      'dynamodb:CreateBackup', 'dynamodb:EnableKinesisStreamingDestination', 'dynamodb:ExportTableToPointInTime',
      'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:RestoreTableFromBackup', 'dynamodb:RestoreTableToPointInTime',
      'dynamodb:StartAwsBackupJob', 'dynamodb:UpdateKinesisStreamingDestination',
    ], {
      StringNotEquals: {
        [CLASSIFICATION]: 'non-personal',
        [`aws:PrincipalTag/${PrivacyTagKeys.WORKFLOW}`]: [PrivacyTagKeys.WORKFLOW_DSR, PrivacyTagKeys.WORKFLOW_BACKUP],
      },
    }),
    deny('ProtectPrivacyTags', TAGGING_ACTIONS, { 'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': PROTECTED_TAG_KEYS } }),
    // The tenant a principal is limited to, on roles and users. Session tags are left to the trust
    // policy of the role (TenantSessionPrincipal): the tenant broker must be able to set them.
    deny('ProtectPrincipalTenantTags', TAGGING_ACTIONS.filter((a) => a.startsWith('iam:')),
      { 'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': [PrivacyTagKeys.TENANT] } }),
    // The principals the tags empower, and the functions and state machines that run as them
    // (DSR handlers are tagged privacy:workflow=dsr): whoever could change their trust, policies
    // or code would hold their access.
    deny('ProtectPrivacyAccessPrincipals', [...PRINCIPAL_TAKEOVER_ACTIONS, ...WORKFLOW_TAKEOVER_ACTIONS], tagged(PrivacyTagKeys.ACCESS)),
    deny('ProtectPrivacyWorkflows', [...PRINCIPAL_TAKEOVER_ACTIONS, ...WORKFLOW_TAKEOVER_ACTIONS], tagged(PrivacyTagKeys.WORKFLOW)),
  ];
  if (inputs.mfaHumans && inputs.mfaHumans.length > 0) {
    statements.push(mfaStatement(inputs.mfaHumans, exempt));
  }
  if (exemptRoles.length > 0) {
    const deployment = denyExcept(deploying);
    statements.push(
      // (c) the exemption holds only as long as nobody else can act as an exempt role. Deploying
      // through CDK's CloudFormation role is kept to the declared deployers: assuming the deploy
      // role, passing an exempt role, and running CloudFormation with it, named or reused
      // (CloudFormation reuses a stack's role for anyone who may update the stack; an absent
      // cloudformation:RoleArn matches ArnLikeIfExists).
      deployment('ProtectDeployRole', ['sts:AssumeRole'], {}, deployRole),
      deployment('ProtectExemptRolePassing', ['iam:PassRole'], {}, exemptRoles),
      deployment('ProtectStackRoles', [
        'cloudformation:ContinueUpdateRollback', 'cloudformation:CreateChangeSet', 'cloudformation:DeleteStack',
        'cloudformation:RollbackStack', 'cloudformation:UpdateStack',
      ], { ArnLikeIfExists: { 'cloudformation:RoleArn': exemptRoles } }),
      // Nobody else may create (in any case or path), change or delete a role with an exempt,
      // deployer or deploy role name.
      deny('ProtectExemptRoles', [
        'iam:AttachRolePolicy', 'iam:CreateRole', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole',
      ], {}, [...new Set([...exemptRoles, ...deployers.filter((a) => /:role\//.test(a)), deployRole].flatMap(caseInsensitiveRolePatterns))]),
    );
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
  const size = (d: ScpStatement[]): number => policyDocument(d).length;
  const oversized = statements.find((s) => size([s]) > limit);
  if (oversized) return { documents: [], oversized };
  // A target holds at most 5 SCPs, so the statements go into as few policies as fit: first fit,
  // largest first, and, when that needs one policy more than the total size does, an exhaustive
  // search of the two-policy splits. Each policy keeps its statements in their original order.
  const order = new Map(statements.map((s, i) => [s, i]));
  const inOrder = (d: ScpStatement[]): ScpStatement[] => [...d].sort((a, b) => order.get(a)! - order.get(b)!);
  const documents: ScpStatement[][] = [];
  for (const s of [...statements].sort((a, b) => size([b]) - size([a]) || order.get(a)! - order.get(b)!)) {
    const room = documents.find((d) => size([...d, s]) <= limit);
    if (room) room.push(s);
    else documents.push([s]);
  }
  if (documents.length === 3 && statements.length <= 20) {
    // every split of the statements into two, counted in binary (the first statement always goes
    // into the first policy, so each split is seen once)
    const inSecond = statements.map(() => false);
    const next = (): boolean => {
      for (let i = 1; i < inSecond.length; i++) {
        inSecond[i] = !inSecond[i];
        if (inSecond[i]) return true;
      }
      return false;
    };
    while (next()) {
      const first = statements.filter((_, i) => !inSecond[i]);
      const second = statements.filter((_, i) => inSecond[i]);
      if (size(first) <= limit && size(second) <= limit) return { documents: [first, second] };
    }
  }
  return { documents: documents.map(inOrder).sort((a, b) => order.get(a[0])! - order.get(b[0])!) };
}
