import * as iam from 'aws-cdk-lib/aws-iam';
import { exemptServicesAndCrossTenantWorkflows, tenantTagOutsideSyntaxConditions, withoutAccessConditions, withoutTenantConditions } from './abac';
import { TENANT_LEADING_KEY_PATTERN } from './grant-actions';

/** Item-level data actions of a table and its indexes. */
export const ITEM_DATA_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
];

/**
 * Whole-table copies: an on-demand backup, an export to S3 or a point-in-time restore is a new copy
 * of every record (every tenant's, in a pooled table) outside this table's policy and outside the
 * reach of deletion requests, so only AWS services, the backup plan's role
 * (`privacy:workflow=backup`) and DSR roles make one; a role with `privacy:access` does not.
 * All three are table actions that a table's resource policy governs (DynamoDB Developer Guide,
 * "DynamoDB API operations supported by resource-based policies": CreateBackup,
 * ExportTableToPointInTime and RestoreTableToPointInTime "Yes"). Not listed there, so not here:
 * `RestoreTableFromBackup` (it acts on the backup, a resource type that takes no resource policy)
 * and `StartAwsBackupJob`; EncryptionScp denies those (see the PrivacyTable class documentation).
 */
export const TABLE_COPY_ACTIONS = ['dynamodb:CreateBackup', 'dynamodb:ExportTableToPointInTime', 'dynamodb:RestoreTableToPointInTime'];

/** `Sid`s of the resource policy statements PrivacyTable adds. */
export const TablePolicySid = {
  DENY_WITHOUT_ACCESS_TAG: 'DenyDataAccessWithoutPrivacyAccessTag',
  DENY_TABLE_COPIES: 'DenyWholeTableCopiesOutsideTheWorkflows',
  DENY_WITHOUT_TENANT_TAG: 'DenyItemAccessWithoutTenantTag',
  DENY_WITHOUT_LEADING_KEYS: 'DenyItemAccessWithoutLeadingKeys',
  DENY_OTHER_TENANTS: 'DenyItemsOfOtherTenants',
  DENY_TENANT_TAG_OUTSIDE_SYNTAX: 'DenyTenantTagOutsideTheTenantIdSyntax',
} as const;

/**
 * The resource policy statements. A table's resource policy cannot name the table's own ARN
 * (it would depend on itself), so `Resource` is `*`, which in a table policy means this table
 * and its indexes.
 */
export function tablePolicyStatements(accessLevels: string[], pooled: boolean): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: TablePolicySid.DENY_WITHOUT_ACCESS_TAG,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...ITEM_DATA_ACTIONS, ...TABLE_COPY_ACTIONS],
      resources: ['*'],
      conditions: withoutAccessConditions(accessLevels),
    }),
    new iam.PolicyStatement({
      sid: TablePolicySid.DENY_TABLE_COPIES,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: TABLE_COPY_ACTIONS,
      resources: ['*'],
      conditions: exemptServicesAndCrossTenantWorkflows(),
    }),
  ];
  if (pooled) {
    statements.push(
      new iam.PolicyStatement({
        sid: TablePolicySid.DENY_WITHOUT_TENANT_TAG,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...ITEM_DATA_ACTIONS, ...TABLE_COPY_ACTIONS],
        resources: ['*'],
        conditions: withoutTenantConditions(),
      }),
      // Scan, and anything else that names no partition key, could read every tenant
      new iam.PolicyStatement({
        sid: TablePolicySid.DENY_WITHOUT_LEADING_KEYS,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ITEM_DATA_ACTIONS,
        resources: ['*'],
        conditions: { ...exemptServicesAndCrossTenantWorkflows(), Null: { 'dynamodb:LeadingKeys': 'true' } },
      }),
      // any partition key (of the table or of an index) outside `<tenant>#...`
      new iam.PolicyStatement({
        sid: TablePolicySid.DENY_OTHER_TENANTS,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ITEM_DATA_ACTIONS,
        resources: ['*'],
        conditions: { ...exemptServicesAndCrossTenantWorkflows(), 'ForAnyValue:StringNotLike': { 'dynamodb:LeadingKeys': TENANT_LEADING_KEY_PATTERN } },
      }),
      // a tenant tag that is no tenant id (`a#x`, `a/b`, `*`) could nest in another tenant's keys
      new iam.PolicyStatement({
        sid: TablePolicySid.DENY_TENANT_TAG_OUTSIDE_SYNTAX,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...ITEM_DATA_ACTIONS, ...TABLE_COPY_ACTIONS],
        resources: ['*'],
        conditions: tenantTagOutsideSyntaxConditions(),
      }),
    );
  }
  return statements;
}
