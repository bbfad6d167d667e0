import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { PrivacyTagKeys, TenancyModel } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { asArray, renderParts } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import {
  conditionEntries, DYNAMODB_DATA_ACTIONS, grantedActions, IDENTITY_POLICY_TYPES, identityStatements, S3_DATA_ACTIONS,
} from '../../private/policy';
import { policyAttachments } from '../../private/role-policies';
import { CcpaRule, Outcome } from '../../private/rule';

const TENANT_VARIABLE = `\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}`;
const LEADING_KEYS = 'dynamodb:leadingkeys';
/** The listing actions on a bucket ARN (both filter on `s3:prefix`). */
const BUCKET_LIST_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];

/**
 * Whether a statement limits DynamoDB items to the caller's tenant. Accepted, each with a
 * `Null` `dynamodb:LeadingKeys` `false` check in the same statement (`ForAllValues` passes when the
 * key is absent, as in a Scan):
 * - `ForAllValues:StringEquals` `dynamodb:LeadingKeys` `[${aws:PrincipalTag/tenant}]` (the partition
 *   key is the tenant);
 * - `ForAllValues:StringLike` with `${aws:PrincipalTag/tenant}#*` (the key starts with `<tenant>#`;
 *   without the separator tenant "a" would reach "ab...") or the exact variable.
 * `dynamodb:LeadingKeys` is multivalued (ArrayOfString), and multivalued context keys require a set
 * operator (IAM User Guide, "Single-valued vs. multivalued context keys"): a plain StringEquals or
 * StringLike is not accepted, nor ForAnyValue (one own key in a batch lets the others through), a
 * literal tenant, an extra value, or a condition on another key.
 */
function limitsLeadingKeys(s: unknown): boolean {
  const entries = conditionEntries(s).filter((c) => c.key.toLowerCase() === LEADING_KEYS);
  const keyRequired = entries.some((c) => c.operator.toLowerCase() === 'null'
    && c.values.length > 0 && c.values.every((v) => v === 'false' || v === false));
  return keyRequired && entries.some((c) => {
    const operator = c.operator.toLowerCase();
    const like = operator === 'forallvalues:stringlike';
    if (!like && operator !== 'forallvalues:stringequals') return false;
    return c.values.length > 0 && c.values.every((v) => v === TENANT_VARIABLE || (like && v === `${TENANT_VARIABLE}#*`));
  });
}

/**
 * Whether an object key pattern lies inside the caller's tenant prefix: a literal prefix (no
 * wildcard, no other variable), then `${aws:PrincipalTag/tenant}` as a whole path segment
 * (`<prefix>/${aws:PrincipalTag/tenant}/...`; a wildcard or a missing `/` after it lets tenant "a"
 * reach "ab").
 */
function inTenantPrefix(path: string): boolean {
  const at = path.indexOf(TENANT_VARIABLE);
  if (at < 0) return false;
  const before = path.slice(0, at);
  return !/[*?]|\$\{|\{\{/.test(before) && (before === '' || before.endsWith('/')) && path.slice(at + TENANT_VARIABLE.length).startsWith('/');
}

/**
 * Whether a listing is limited to the caller's tenant prefix: `StringLike` or `StringEquals` on
 * `s3:prefix` (single-valued; both are false when the request names no prefix) with every value
 * inside the tenant prefix, e.g. `tenants/${aws:PrincipalTag/tenant}/*`. Not ...IfExists or a set
 * operator (true without a prefix: the whole bucket).
 */
function limitsListing(s: unknown): boolean {
  return conditionEntries(s).some((c) => c.key.toLowerCase() === 's3:prefix'
    && ['stringlike', 'stringequals'].includes(c.operator.toLowerCase())
    && c.values.length > 0 && c.values.every((v) => typeof v === 'string' && inTenantPrefix(v)));
}

/**
 * Whether a statement's access to one resource of a pooled bucket is limited to the caller's
 * tenant. On an object ARN, the key pattern after the bucket must lie in the tenant prefix (S3 has
 * no condition key for an object's key). On the bucket ARN, listing needs an `s3:prefix`
 * condition; object actions there match nothing. Anything else that names the bucket (`bucket*`,
 * an unresolvable suffix) is not limited.
 */
function limitsBucketResource(s: unknown, resource: unknown, store: CfnResource, node: CfnResource, index: AppIndex): boolean {
  const parts = index.parts(resource, node);
  const at = parts.findIndex((p) => index.resourceOf(p) === store);
  if (at < 0) return false;
  const rest = renderParts(parts.slice(at + 1));
  if (rest === '') return grantedActions(s, BUCKET_LIST_ACTIONS).length === 0 || limitsListing(s);
  return rest.startsWith('/') && !rest.includes('{{') && inTenantPrefix(rest.slice(1));
}

/**
 * Whether the policy belongs only to roles of privacy workflows that cross tenants by design
 * (`privacy:workflow=dsr` or `backup`), which the pooled stores exempt from their tenant statements:
 * the resource is such a role (inline policies), or a policy attached to at least one role of the
 * app and only to such roles.
 */
function onlyCrossTenantWorkflows(node: CfnResource, index: AppIndex): boolean {
  if (node.cfnResourceType === 'AWS::IAM::Role') return index.taggedCrossTenantWorkflow(node);
  const attached = policyAttachments(index).get(node);
  return attached !== undefined && !attached.otherPrincipals && attached.roles.length > 0
    && attached.roles.every((r) => index.taggedCrossTenantWorkflow(r));
}

/** Access to a pooled store is limited to the caller's tenant. */
export const IAMPooledStoreTenantCondition: CcpaRule = {
  id: 'IAMPooledStoreTenantCondition',
  service: 'iam',
  level: NagMessageLevel.ERROR,
  resourceTypes: IDENTITY_POLICY_TYPES,
  what: 'An identity policy grants data actions on a store tagged privacy:tenancy=pooled without limiting them to the caller\'s tenant (dynamodb:LeadingKeys, or object keys and s3:prefix under ${aws:PrincipalTag/tenant}).',
  cites: Cites.LEAST_PRIVILEGE,
  risk: Risk.TENANCY,
  fix: 'Use the PrivacyTable / PersonalDataBucket grants, which add these conditions in pooled mode; or add Condition ForAllValues:StringLike dynamodb:LeadingKeys [${aws:PrincipalTag/tenant}#*] plus Null dynamodb:LeadingKeys false (tables, in a statement without DescribeTable, which has no leading key), or grant objects on arn:...:bucket/tenants/${aws:PrincipalTag/tenant}/* and s3:ListBucket with StringLike s3:prefix tenants/${aws:PrincipalTag/tenant}/* (buckets). Accepted for tables: ForAllValues:StringLike dynamodb:LeadingKeys [${aws:PrincipalTag/tenant}#*] (or ForAllValues:StringEquals [${aws:PrincipalTag/tenant}]) together with Null dynamodb:LeadingKeys false, because ForAllValues passes when the key is absent (a Scan); ForAnyValue, a set-less operator, a literal tenant or an extra value do not count. For buckets: object ARNs under the tenant as a whole path segment (arn:...:bucket/<prefix>/${aws:PrincipalTag/tenant}/...), and s3:ListBucket/ListBucketVersions with StringLike s3:prefix <prefix>/${aws:PrincipalTag/tenant}/*. Policies that belong only to roles tagged privacy:workflow=dsr or backup are not checked: requests and backups cross tenants by design.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!IDENTITY_POLICY_TYPES.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    if (onlyCrossTenantWorkflows(node, index)) return Outcome.NOT_APPLICABLE;
    for (const s of identityStatements(node.cfnResourceType, index.props(node))) {
      const s3 = grantedActions(s, S3_DATA_ACTIONS).length > 0;
      const ddb = grantedActions(s, DYNAMODB_DATA_ACTIONS).length > 0;
      if (!s3 && !ddb) continue;
      for (const r of asArray(s.Resource)) {
        for (const store of index.referencedResources(r, node)) {
          if (index.classification(store).tenancy !== TenancyModel.POOLED) continue;
          const type = store.cfnResourceType;
          if (ddb && (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable') && !limitsLeadingKeys(s)) return Outcome.NON_COMPLIANT;
          if (s3 && type === 'AWS::S3::Bucket' && !limitsBucketResource(s, r, store, node, index)) return Outcome.NON_COMPLIANT;
        }
      }
    }
    return Outcome.COMPLIANT;
  },
};
