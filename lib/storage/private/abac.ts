import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { TENANT_TAG_OUTSIDE_SYNTAX_PATTERNS } from '../subject-key-layout';

/** `${aws:PrincipalTag/tenant}`: the policy variable of the tenant session tag. */
export const TENANT_VARIABLE = `\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}`;

/** The condition blocks of an exemption from a Deny statement. */
export interface ExemptionConditions {
  readonly StringNotEquals: Record<string, string | string[]>;
  readonly BoolIfExists: Record<string, string>;
}

/**
 * The condition entries that exempt AWS service principals and DSR workflow roles from a Deny
 * statement. IAM ANDs every key of a condition block, so a Deny carrying these applies only to
 * a principal that is not an AWS service AND not tagged `privacy:workflow=dsr`.
 *
 * - `aws:PrincipalIsAWSService` is present in every request (true only for service principals);
 *   `BoolIfExists` keeps the Deny if it were ever absent.
 * - `StringNotEquals` on an absent `aws:PrincipalTag/privacy:workflow` evaluates to true, so an
 *   untagged principal stays denied.
 */
export function exemptServicesAndDsr(): ExemptionConditions {
  return exemptServicesAnd([PrivacyTagKeys.WORKFLOW_DSR]);
}

/**
 * The exemption of the pooled-tenancy Deny statements: AWS services, DSR roles and the backup
 * role (`privacy:workflow=backup`), which reads and restores a pooled store whole. The backup role
 * is exempt from the tenant statements only: the `privacy:access` statement still applies to it.
 */
export function exemptServicesAndCrossTenantWorkflows(): ExemptionConditions {
  return exemptServicesAnd([PrivacyTagKeys.WORKFLOW_DSR, PrivacyTagKeys.WORKFLOW_BACKUP]);
}

function exemptServicesAnd(workflows: string[]): ExemptionConditions {
  return {
    StringNotEquals: { [`aws:PrincipalTag/${PrivacyTagKeys.WORKFLOW}`]: workflows.length === 1 ? workflows[0] : workflows },
    BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
  };
}

/**
 * Conditions of the "no privacy:access tag" Deny: the principal's `privacy:access` is none of
 * `accessLevels` (absent counts: StringNotEquals is true for a missing key), it is not a DSR role
 * and not an AWS service.
 */
export function withoutAccessConditions(accessLevels: string[]): Record<string, Record<string, string | string[]>> {
  const exempt = exemptServicesAndDsr();
  return {
    StringNotEquals: { ...exempt.StringNotEquals, [`aws:PrincipalTag/${PrivacyTagKeys.ACCESS}`]: accessLevels },
    BoolIfExists: exempt.BoolIfExists,
  };
}

/**
 * Conditions of the "no tenant tag" Deny of pooled stores (Null is true when the key is absent);
 * services, DSR roles and the backup role are exempt.
 */
export function withoutTenantConditions(): Record<string, Record<string, string | string[]>> {
  return { ...exemptServicesAndCrossTenantWorkflows(), Null: { [`aws:PrincipalTag/${PrivacyTagKeys.TENANT}`]: 'true' } };
}

/**
 * Conditions of the "tenant tag outside the tenant id syntax" Deny of pooled stores: the session
 * has a `tenant` tag (Null false) and its value matches one of TENANT_TAG_OUTSIDE_SYNTAX_PATTERNS
 * (a separator, a wildcard, ...), so tenant `a/b` never reaches `tenants/a/b/...` and `a#x` never
 * reaches `a#x#...`. No exemption: a DSR or backup role carries no tenant tag.
 */
export function tenantTagOutsideSyntaxConditions(): Record<string, Record<string, string | string[]>> {
  const tag = `aws:PrincipalTag/${PrivacyTagKeys.TENANT}`;
  return { Null: { [tag]: 'false' }, StringLike: { [tag]: [...TENANT_TAG_OUTSIDE_SYNTAX_PATTERNS] } };
}
