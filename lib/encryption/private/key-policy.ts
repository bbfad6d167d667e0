import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { viaServiceName } from '../../private/via-service';

/**
 * Key administration without key use. Explicit actions, no wildcards: `kms:Create*` would
 * include `kms:CreateGrant` (a way to give oneself Decrypt) and `kms:*` would include use itself.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/**
 * The KMS wildcard actions aws-cdk-lib grants (`Key.grantEncrypt`, `Bucket.grantWrite`, ...) and
 * the operations of a symmetric encryption key they stand for. Grants and key policies spell them
 * out, so that nothing matches a future KMS action and cdk-nag's IAM5 finds no wildcard. The
 * data-key-pair operations are left out: no AWS data service uses them on a caller's behalf.
 */
const KMS_WILDCARDS: Record<string, string[]> = {
  'kms:ReEncrypt*': ['kms:ReEncryptFrom', 'kms:ReEncryptTo'],
  'kms:GenerateDataKey*': ['kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
  'kms:Encrypt*': ['kms:Encrypt'],
  'kms:Decrypt*': ['kms:Decrypt'],
  'kms:Describe*': ['kms:DescribeKey'],
};

/** Replace the wildcards of {@link KMS_WILDCARDS} by the actions they stand for; keep the order, drop repeats. */
export function explicitKmsActions(actions: string[]): string[] {
  return [...new Set(actions.flatMap((a) => KMS_WILDCARDS[a] ?? [a]))];
}

/** Cryptographic use of a symmetric encryption key (what S3 and DynamoDB call on a caller's behalf). */
export const ENCRYPTION_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/** Cryptographic use of an HMAC key. */
export const MAC_USE_ACTIONS = ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'];

/** The `Sid`s of the statements every privacy key policy starts with. */
export const KeyPolicySid = {
  ADMINISTRATION: 'KeyAdministrationWithoutUseByAccount',
  PRINCIPALS_WITH_ACCESS: 'UseByPrincipalsTaggedForThisClassification',
  DSR_WORKFLOW: 'UseByDsrWorkflowRoles',
  GRANTS_FOR_AWS_RESOURCES: 'AllowGrantsForAwsResourcesOnly',
  DENY_OTHER_GRANTS: 'DenyGrantsExceptForAwsResourcesAndServices',
} as const;

/** Statement 1: the account administers the key through IAM but cannot use it. */
export function administrationStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: KeyPolicySid.ADMINISTRATION,
    principals: [new iam.AccountRootPrincipal()],
    actions: KEY_ADMIN_ACTIONS,
    resources: ['*'],
  });
}

/**
 * Statement 2: principals whose `privacy:access` tag allows the classification may use the
 * key, only in this account and, when `viaServices` is given, only through those services.
 */
export function principalsWithAccessStatement(
  scope: Stack,
  actions: string[],
  accessLevels: string[],
  viaServices: string[] | undefined,
): iam.PolicyStatement {
  const stringEquals: Record<string, unknown> = {
    [`aws:PrincipalTag/${PrivacyTagKeys.ACCESS}`]: accessLevels,
    'kms:CallerAccount': scope.account,
  };
  if (viaServices) {
    stringEquals['kms:ViaService'] = viaServices.map((s) => viaServiceName(scope, s));
  }
  return new iam.PolicyStatement({
    sid: KeyPolicySid.PRINCIPALS_WITH_ACCESS,
    principals: [new iam.AccountRootPrincipal()],
    actions,
    resources: ['*'],
    conditions: { StringEquals: stringEquals },
  });
}

/** Statement 3: roles tagged `privacy:workflow=dsr` may use the key directly, in this account. */
export function dsrWorkflowStatement(scope: Stack, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: KeyPolicySid.DSR_WORKFLOW,
    principals: [new iam.AccountRootPrincipal()],
    actions,
    resources: ['*'],
    conditions: {
      StringEquals: {
        [`aws:PrincipalTag/${PrivacyTagKeys.WORKFLOW}`]: PrivacyTagKeys.WORKFLOW_DSR,
        'kms:CallerAccount': scope.account,
      },
    },
  });
}

/**
 * Statements 4 and 5: grants only for AWS resources. An AWS service that stores data under the
 * key (a DynamoDB table, an EBS volume) creates a grant for itself when the resource is created
 * by an account principal; nobody can create a grant for anything else (Control Tower CT.KMS.PR.3).
 */
export function grantStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: KeyPolicySid.GRANTS_FOR_AWS_RESOURCES,
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
    new iam.PolicyStatement({
      sid: KeyPolicySid.DENY_OTHER_GRANTS,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: {
          'kms:GrantIsForAWSResource': 'false',
          'aws:PrincipalIsAWSService': 'false',
        },
      },
    }),
  ];
}
