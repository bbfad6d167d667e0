import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { PrivacyTagKeys, TenancyModel } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { asArray } from '../../private/cfn-values';
import { Cite, Pattern } from '../../private/citations';
import {
  conditionEntries, DYNAMODB_DATA_ACTIONS, grantedActions, IDENTITY_POLICY_TYPES, identityStatements, S3_DATA_ACTIONS,
} from '../../private/policy';
import { policyAttachments } from '../../private/role-policies';
import { CcpaRule, Outcome } from '../../private/rule';

const TENANT_VARIABLE = `\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}`;

/**
 * Whether a statement limits DynamoDB items to the caller's tenant: a dynamodb:LeadingKeys
 * condition on the tenant tag and, with a ForAllValues operator (which passes when the key is
 * absent, as in a Scan), a Null check that requires the key.
 */
function limitsLeadingKeys(s: unknown): boolean {
  const entries = conditionEntries(s);
  const leading = entries.filter((c) => c.key.toLowerCase() === 'dynamodb:leadingkeys'
    && c.values.some((v) => typeof v === 'string' && v.includes(TENANT_VARIABLE)));
  if (leading.length === 0) return false;
  const needsNull = leading.every((c) => c.operator.startsWith('ForAllValues:'));
  const hasNull = entries.some((c) => c.operator === 'Null' && c.key.toLowerCase() === 'dynamodb:leadingkeys' && c.values.some((v) => v === 'false' || v === false));
  return !needsNull || hasNull;
}

/** Whether a statement limits S3 access to the caller's tenant prefix (in the resource ARN or a condition). */
function limitsObjectPrefix(s: unknown, rendered: string): boolean {
  return rendered.includes(TENANT_VARIABLE)
    || conditionEntries(s).some((c) => c.values.some((v) => typeof v === 'string' && v.includes(TENANT_VARIABLE)));
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
  what: 'An identity policy grants data actions on a store tagged privacy:tenancy=pooled without limiting them to the caller\'s tenant: for a table, a dynamodb:LeadingKeys condition on ${aws:PrincipalTag/tenant} (with a Null check when ForAllValues is used); for a bucket, the tenant tag in the object ARN or an s3:prefix condition. Policies that belong only to roles tagged privacy:workflow=dsr or privacy:workflow=backup are not checked: data subject requests and backups cross tenants by design, and the pooled stores exempt those roles from their tenant statements.',
  citation: `${Cite.SECURITY}; ${Cite.MINIMIZATION}`,
  pattern: Pattern.TENANCY,
  fix: 'Use PrivacyTable / PersonalDataBucket tenant grants, or add Condition ForAllValues:StringEquals dynamodb:LeadingKeys [${aws:PrincipalTag/tenant}] plus Null dynamodb:LeadingKeys false (tables), or grant on arn:...:bucket/${aws:PrincipalTag/tenant}/* (buckets).',
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
          if (s3 && type === 'AWS::S3::Bucket' && !limitsObjectPrefix(s, index.render(r, node))) return Outcome.NON_COMPLIANT;
        }
      }
    }
    return Outcome.COMPLIANT;
  },
};
