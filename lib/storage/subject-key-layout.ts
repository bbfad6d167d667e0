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

/**
 * The one tenant id syntax, everywhere a tenant id is used (the `tenant` principal tag, the `{tenant}`
 * segment of keys and paths, `siloTenant`): 1 to 64 letters, digits, `_` or `-`, starting with a
 * letter or digit. No separator (`/`, `#`, `.`) and no wildcard (`*`, `?`), so that no tenant id is a
 * prefix-with-separator of another's keys (`a` never reaches `tenants/a/b/` or `a#b#...`).
 */
export const TENANT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

/** Whether `value` is a tenant id (`TENANT_ID_PATTERN`). */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && new RegExp(TENANT_ID_PATTERN).test(value);
}
