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

/**
 * `StringLike` patterns of the `tenant` principal tag values that are NOT tenant ids
 * (`TENANT_ID_PATTERN`), for the Deny statements of pooled stores: a character outside the syntax
 * that an AWS tag value can hold (`/`, `#`, `*`, `?`, `.`, `:`, `=`, `+`, `@`, space; `${*}` and
 * `${?}` are IAM's literal `*` and `?`), a leading `_` or `-`, the empty value, or more than 64
 * characters. Letters and digits outside ASCII (which a tag value may hold) are not listed: they
 * are no separator, so no tenant's keys nest in another's; the handlers refuse them.
 */
export const TENANT_TAG_OUTSIDE_SYNTAX_PATTERNS: readonly string[] = [
  ...['/', '#', '${*}', '${?}', '.', ':', '=', '+', '@', ' '].map((c) => `*${c}*`),
  '_*',
  '-*',
  '',
  `${'?'.repeat(65)}*`,
];
