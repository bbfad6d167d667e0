import { Duration, Names } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataCategory } from '../../classification/data-category';
import { PrivacyClassification } from '../../classification/privacy-classification';
import { DataClassification, DsrCoverage, TenancyModel } from '../../classification/privacy-tag-keys';
import { PrivacyKey } from '../../encryption/privacy-key';
import { PersonalDataBucket } from '../../storage/personal-data-bucket';
import { PrivacyTable } from '../../storage/privacy-table';
import { OPEN_REQUESTS_INDEX, TOMBSTONES_INDEX } from '../handlers/shared/config';

/** The workflow's own stores: the request ledger, the audit table and the export bucket. */
export interface WorkflowRecords {
  readonly ledgerTable: PrivacyTable;
  readonly auditTable: PrivacyTable;
  readonly exportBucket: PersonalDataBucket;
  readonly consentTable: PrivacyTable;
}

/** Create the ledger (with its two sparse indexes), the append-only audit table and the export bucket in `scope`. */
export function createRecords(scope: Construct, key: PrivacyKey, exportRetention: Duration): WorkflowRecords {
  const ledgerTable = new PrivacyTable(scope, 'Ledger', {
    encryptionKey: key,
    dsr: DsrCoverage.EXEMPT, // records of requests, kept under 11 CCR 7101 and 1798.105(d)
    categories: [DataCategory.UNIQUE_ID, DataCategory.PRIVACY_PREFERENCES],
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
  const auditTable = new PrivacyTable(scope, 'Audit', {
    encryptionKey: key,
    dsr: DsrCoverage.EXEMPT,
    categories: [DataCategory.PRIVACY_PREFERENCES],
  });
  // append-only: nobody may change or delete a record (TTL expiry is done by DynamoDB itself)
  auditTable.table.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AuditRecordsAreAppendOnly',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
    resources: ['*'],
  }));
  const exportBucket = new PersonalDataBucket(scope, 'Exports', {
    encryptionKey: key,
    dsr: DsrCoverage.EXEMPT, // copies made for the consumer, expiring after exportRetention
    subjectPrefixTemplate: 'exports/{subject}/',
    noncurrentVersionExpiration: Duration.days(1),
    bucketProps: { lifecycleRules: [{ id: 'ExpireAccessReports', prefix: 'exports/', expiration: exportRetention }] },
  });
  // the consumers' choices, one item per <tenant>#<pseudonym>: pooled, so an application reads
  // only its own tenant's records (dynamodb:LeadingKeys); no identifier, no request content
  const consentTable = new PrivacyTable(scope, 'Consent', {
    encryptionKey: key,
    tenancy: TenancyModel.POOLED,
    dsr: DsrCoverage.EXEMPT, // the record of the consumer's own choices, kept so that they keep applying
    categories: [DataCategory.PRIVACY_PREFERENCES],
  });
  return { ledgerTable, auditTable, exportBucket, consentTable };
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
