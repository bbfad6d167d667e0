import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ObjectIdentifier } from '@aws-sdk/client-s3';
import { fillTemplate, StoreConfig } from './model';

/**
 * Which of the records a subject lookup found belong to the request's tenant (issue 12 finding 5).
 *
 * In a pooled store a tenant writes only under its own keys (the table policy's
 * `dynamodb:LeadingKeys` `<tenant>#*`, the bucket policy's `tenants/<tenant>/`), but an attribute
 * it writes there is its own choice: an item `pk=b#x` of tenant b whose subject-index value names
 * tenant a's subject (`a#alice`) is found by a's lookup. Such a planted record is never read into
 * a's report, changed or deleted: the handlers keep only records whose key is in the tenant's
 * scope, and audit how many they skipped (a count, never a key).
 *
 * Scopes: a pooled table's partition key (the first key attribute) starts with `<tenant>#`; a
 * pooled bucket's object key starts with the subject prefix template's part up to and including
 * `{tenant}/` (`tenants/<tenant>/`). A silo store is one tenant's (or the organization's) whole:
 * every record is in scope.
 */

/** The partition key prefix of a tenant's items in a pooled table. */
export function tenantKeyPrefix(tenant: string): string {
  return `${tenant}#`;
}

/** The object key prefix of a tenant's objects in a pooled bucket (`tenants/<tenant>/`), from the store's template. */
export function tenantObjectPrefix(store: StoreConfig, tenant: string): string {
  const template = store.prefixTemplate ?? '';
  const at = template.indexOf('{tenant}');
  if (at < 0) return '';
  const end = template.indexOf('/', at);
  return fillTemplate(template.slice(0, end < 0 ? template.length : end + 1), tenant, '');
}

/** Split table keys into the tenant's own and the foreign (planted) ones. */
export function splitKeys(
  store: StoreConfig, tenant: string, keys: Array<Record<string, AttributeValue>>,
): { own: Array<Record<string, AttributeValue>>; foreign: number } {
  if (store.tenancy !== 'pooled') return { own: keys, foreign: 0 };
  const partition = store.keyAttributes?.[0];
  const prefix = tenantKeyPrefix(tenant);
  const own = keys.filter((k) => partition !== undefined && typeof k[partition]?.S === 'string' && k[partition].S!.startsWith(prefix));
  return { own, foreign: keys.length - own.length };
}

/** Split objects into the tenant's own and the foreign ones (outside the tenant's prefix). */
export function splitObjects(store: StoreConfig, tenant: string, objects: ObjectIdentifier[]): { own: ObjectIdentifier[]; foreign: number } {
  if (store.tenancy !== 'pooled') return { own: objects, foreign: 0 };
  const prefix = tenantObjectPrefix(store, tenant);
  const own = objects.filter((o) => prefix !== '' && typeof o.Key === 'string' && o.Key.startsWith(prefix));
  return { own, foreign: objects.length - own.length };
}
