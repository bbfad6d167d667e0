/**
 * The subject key layout of the stores, shared with the DSR workflow: a prefix or value template
 * in which `{tenant}` and `{subject}` stand for a tenant id and a pseudonymous subject id.
 * (Not exported from the package: the module API of storage for the layers above it.)
 */

/** The tenant placeholder of a subject key layout. */
export const TENANT_PLACEHOLDER = '{tenant}';
/** The subject placeholder of a subject key layout. */
export const SUBJECT_PLACEHOLDER = '{subject}';

/** `tenants/{tenant}/subjects/{subject}/` -> `tenants/* /subjects/*` style IAM pattern (placeholders to `*`). */
export function placeholdersToWildcards(template: string): string {
  return template.split(TENANT_PLACEHOLDER).join('*').split(SUBJECT_PLACEHOLDER).join('*');
}
