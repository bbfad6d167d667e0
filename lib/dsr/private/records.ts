import { Aws, Duration, Names, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DataCategory } from '../../classification/data-category';
import { DataPurpose } from '../../classification/data-purpose';
import { PrivacyClassification } from '../../classification/privacy-classification';
import { DataClassification, DsrCoverage, PrivacyTagKeys, TenancyModel } from '../../classification/privacy-tag-keys';
import { PrivacyKey } from '../../encryption/privacy-key';
import { CFN_GUARD_PLUGIN, withdrawExemption } from '../../private/expected-exemptions';
import { PersonalDataBucket } from '../../storage/personal-data-bucket';
import { PrivacyTable } from '../../storage/privacy-table';
import { AUDIT_RECORDS_PREFIX, OPEN_REQUESTS_INDEX, TOMBSTONES_INDEX } from '../handlers/shared/config';

/** The workflow's own stores: the request ledger, the audit records and the export bucket. */
export interface WorkflowRecords {
  readonly ledgerTable: PrivacyTable;
  readonly auditBucket: PersonalDataBucket;
  readonly exportBucket: PersonalDataBucket;
  readonly consentTable: PrivacyTable;
}

/** Create the ledger (with its two sparse indexes), the append-only audit records and the export bucket in `scope`. */
export function createRecords(scope: Construct, key: PrivacyKey, exportRetention: Duration, auditRetention: Duration): WorkflowRecords {
  const ledgerTable = new PrivacyTable(scope, 'Ledger', {
    encryptionKey: key,
    dsr: DsrCoverage.EXEMPT, // records of requests, kept under 11 CCR 7101 and 1798.105(d)
    categories: [DataCategory.UNIQUE_ID, DataCategory.PRIVACY_PREFERENCES],
    purposes: [DataPurpose.LEGAL_OBLIGATION],
    indefiniteRetentionReason: 'records of consumer requests kept at least 24 months and deletion tombstones replayed after any restore',
  });
  // sparse indexes (only items with the key attribute appear), projecting no identifier:
  // the deadline check and the replay read them instead of scanning the ledger
  ledgerTable.table.addGlobalSecondaryIndex({
    indexName: OPEN_REQUESTS_INDEX,
    partitionKey: { name: 'open', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'receivedAt', type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.INCLUDE,
    nonKeyAttributes: ['requestId', 'type', 'status', 'subjectId', 'confirmBy', 'confirmedAt', 'dueBy', 'extendedDueBy', 'extendedAt'],
  });
  ledgerTable.table.addGlobalSecondaryIndex({
    indexName: TOMBSTONES_INDEX,
    partitionKey: { name: 'tombstone', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'deletedAt', type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.INCLUDE,
    nonKeyAttributes: ['requestId', 'tenant', 'subjectId'],
  });
  const auditBucket = createAuditBucket(scope, key, auditRetention);
  const exportBucket = new PersonalDataBucket(scope, 'Exports', {
    encryptionKey: key,
    dsr: DsrCoverage.EXEMPT, // copies made for the consumer, expiring after exportRetention
    subjectPrefixTemplate: 'exports/{subject}/',
    noncurrentVersionExpiration: Duration.days(1),
    purposes: [DataPurpose.LEGAL_OBLIGATION],
    retention: exportRetention,
    // a report upload that no run completed or aborted (e.g. Finalize timed out) is aborted after a
    // day: its parts hold personal data and are not listed as objects
    bucketProps: { lifecycleRules: [{ id: 'ExpireAccessReports', prefix: 'exports/', expiration: exportRetention, abortIncompleteMultipartUploadAfter: Duration.days(1) }] },
  });
  // the consumers' choices, one item per <tenant>#<pseudonym>: pooled, so an application reads
  // only its own tenant's records (dynamodb:LeadingKeys); no identifier, no request content
  const consentTable = new PrivacyTable(scope, 'Consent', {
    encryptionKey: key,
    tenancy: TenancyModel.POOLED,
    dsr: DsrCoverage.EXEMPT, // the record of the consumer's own choices, kept so that they keep applying
    categories: [DataCategory.PRIVACY_PREFERENCES],
    purposes: [DataPurpose.LEGAL_OBLIGATION],
    indefiniteRetentionReason: 'a consumer choice applies until the consumer withdraws it',
  });
  return { ledgerTable, auditBucket, exportBucket, consentTable };
}

/** The break-glass role (the name EncryptionScp exempts by default): the one principal the audit bucket's deny statements spare. */
export const BREAK_GLASS_ROLE_NAME = 'cdk-ccpa-break-glass';

/**
 * What no principal but the break-glass role may do to an audit record: delete it (any version),
 * change its retention or legal hold, or bypass governance retention; its tags and ACLs are not
 * changed either. (Object Lock COMPLIANCE keeps each version for the retention even from the
 * break-glass role and the account root.)
 */
export const AUDIT_RECORD_CHANGE_ACTIONS = [
  's3:DeleteObject*',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
];

/** `Sid`s of the audit bucket's own statements. */
export const AuditBucketSid = {
  DENY_OVERWRITE: 'DenyAuditRecordWriteThatCouldOverwrite',
  DENY_CHANGE: 'DenyAuditRecordChanges',
} as const;

/**
 * The audit records: a PersonalDataBucket (SSE-KMS under the workflow key, TLS only, access logs,
 * `privacy:access` required) with S3 Object Lock in COMPLIANCE mode for `retention`, and a bucket
 * policy that makes records append-only for every principal: a PutObject must carry
 * `If-None-Match: *` (an existing key is never replaced), and deleting or unlocking a record is
 * left to the break-glass role alone. Records carry pseudonyms and request ids, never a raw
 * identifier; they are the records of requests kept under 11 CCR § 7101 (DSR-exempt).
 */
function createAuditBucket(scope: Construct, key: PrivacyKey, retention: Duration): PersonalDataBucket {
  const days = Math.ceil(retention.toDays({ integral: false }));
  const audit = new PersonalDataBucket(scope, 'AuditRecords', {
    encryptionKey: key,
    dsr: DsrCoverage.EXEMPT, // records of requests, kept under 11 CCR 7101 and 1798.105(d)
    categories: [DataCategory.PRIVACY_PREFERENCES],
    subjectPrefixTemplate: `${AUDIT_RECORDS_PREFIX}{subject}/`,
    purposes: [DataPurpose.LEGAL_OBLIGATION],
    // after the retention the lifecycle (not a principal) expires them: a delete marker, then the
    // noncurrent version once its lock has ended (the lifecycle cannot touch a locked version)
    retention: Duration.days(days),
  });
  // Object Lock is refused in PersonalDataBucket's props (personal data must stay deletable); audit
  // records of requests are the exception the law makes, so it is set on the resource here
  const cfn = audit.bucket.node.defaultChild as s3.CfnBucket;
  cfn.objectLockEnabled = true;
  cfn.objectLockConfiguration = { objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'COMPLIANCE', days } } };
  withdrawExemption(audit.bucket, CFN_GUARD_PLUGIN, 's3_bucket_object_lock_enabled_check');
  Tags.of(audit.bucket).add(PrivacyTagKeys.AUDIT, PrivacyTagKeys.AUDIT_DSR_RECORDS, { includeResourceTypes: ['AWS::S3::Bucket'] });
  audit.bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: AuditBucketSid.DENY_OVERWRITE,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [audit.bucket.arnForObjects('*')],
    // absent header or any other value: ...IfExists is true when the key is missing
    conditions: { StringNotEqualsIfExists: { 's3:if-none-match': '*' } },
  }));
  audit.bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: AuditBucketSid.DENY_CHANGE,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: AUDIT_RECORD_CHANGE_ACTIONS,
    resources: [audit.bucket.arnForObjects('*')],
    conditions: { ArnNotLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${BREAK_GLASS_ROLE_NAME}` } },
  }));
  return audit;
}

/** The workflow's log groups. */
export interface WorkflowLogGroups {
  readonly auditLogGroup: logs.LogGroup;
  readonly stateMachineLogGroup: logs.LogGroup;
}

/**
 * Create the handlers' audit log group and the state machines' log group in `scope`, encrypted with
 * `key` and kept at least `auditDays`. Both hold pseudonyms and request ids, never raw identifiers; a
 * pseudonym is still personal information for the business that can re-link it (Civ. Code 1798.140(v), (aa)).
 */
export function createLogGroups(scope: Construct, key: PrivacyKey, auditDays: number): WorkflowLogGroups {
  const retention = retentionAtLeast(auditDays);
  const logPrefix = `/cdk-ccpa/dsr/${Names.uniqueResourceName(scope, { maxLength: 64 })}`;
  key.allowCloudWatchLogs(`${logPrefix}/*`);
  const auditLogGroup = new logs.LogGroup(scope, 'AuditLogs', { logGroupName: `${logPrefix}/handlers`, retention, encryptionKey: key });
  const stateMachineLogGroup = new logs.LogGroup(scope, 'StateMachineLogs', { logGroupName: `${logPrefix}/state-machine`, retention, encryptionKey: key });
  for (const group of [auditLogGroup, stateMachineLogGroup]) {
    PrivacyClassification.apply(group, {
      classification: DataClassification.PERSONAL,
      categories: [DataCategory.UNIQUE_ID],
      dsr: DsrCoverage.EXEMPT,
    });
  }
  return { auditLogGroup, stateMachineLogGroup };
}

/** The smallest CloudWatch Logs retention of at least `days`. */
function retentionAtLeast(days: number): logs.RetentionDays {
  const all = Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0).sort((a, b) => a - b);
  return all.find((d) => d >= days) ?? logs.RetentionDays.INFINITE;
}
