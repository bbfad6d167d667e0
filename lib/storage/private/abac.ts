import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';

/** `${aws:PrincipalTag/tenant}`: the policy variable of the tenant session tag. */
export const TENANT_VARIABLE = `\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}`;

/** The placeholders of a subject key layout. */
export const TENANT_PLACEHOLDER = '{tenant}';
export const SUBJECT_PLACEHOLDER = '{subject}';

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
export function exemptServicesAndDsr(): { StringNotEquals: Record<string, string | string[]>; BoolIfExists: Record<string, string> } {
  return {
    StringNotEquals: { [`aws:PrincipalTag/${PrivacyTagKeys.WORKFLOW}`]: PrivacyTagKeys.WORKFLOW_DSR },
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

/** Conditions of the "no tenant tag" Deny of pooled stores (Null is true when the key is absent). */
export function withoutTenantConditions(): Record<string, Record<string, string | string[]>> {
  return { ...exemptServicesAndDsr(), Null: { [`aws:PrincipalTag/${PrivacyTagKeys.TENANT}`]: 'true' } };
}

/** `tenants/{tenant}/subjects/{subject}/` -> `tenants/* /subjects/*` style IAM pattern (placeholders to `*`). */
export function placeholdersToWildcards(template: string): string {
  return template.split(TENANT_PLACEHOLDER).join('*').split(SUBJECT_PLACEHOLDER).join('*');
}
