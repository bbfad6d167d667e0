import { Duration } from 'aws-cdk-lib';
import { TenancyModel } from '../../classification/privacy-tag-keys';
import { PersonalDataStoreDescription, PersonalDataStoreKind } from '../../storage/personal-data-store';
import { type DsrConfig, OPEN_REQUESTS_INDEX, TOMBSTONES_INDEX } from '../handlers/shared/config';
import type { StoreConfig } from '../handlers/shared/model';

export interface HandlerConfigProps {
  readonly ledgerTable: string;
  readonly auditBucket: string;
  readonly pseudonymizationKeyArn: string;
  readonly exportBucket: string;
  readonly eventBusName: string;
  readonly auditRetention: Duration;
  readonly exportLinkExpiry: Duration;
  readonly deadlineWarningWindow: Duration;
  readonly workflow: string;
  readonly stores: PersonalDataStoreDescription[];
}

/** The configuration every handler gets (DSR_CONFIG). */
export function handlerConfig(p: HandlerConfigProps): DsrConfig {
  return {
    ledgerTable: p.ledgerTable,
    auditBucket: p.auditBucket,
    pseudonymKeyId: p.pseudonymizationKeyArn,
    exportBucket: p.exportBucket,
    eventBusName: p.eventBusName,
    auditRetentionDays: p.auditRetention.toDays(),
    exportLinkSeconds: p.exportLinkExpiry.toSeconds(),
    openRequestsIndex: OPEN_REQUESTS_INDEX,
    tombstonesIndex: TOMBSTONES_INDEX,
    deadlineWarningSeconds: p.deadlineWarningWindow.toSeconds(),
    workflow: p.workflow,
    stores: p.stores.map(storeConfig),
  };
}

const KINDS: Record<PersonalDataStoreKind, StoreConfig['kind']> = {
  [PersonalDataStoreKind.S3_BUCKET]: 's3-bucket',
  [PersonalDataStoreKind.DYNAMODB_TABLE]: 'dynamodb-table',
};

/** How the handlers find one subject's records in a store (the store's id is its index). */
function storeConfig(d: PersonalDataStoreDescription, i: number): StoreConfig {
  return {
    id: String(i),
    path: d.constructPath,
    kind: KINDS[d.kind],
    name: d.name,
    prefixTemplate: d.subjectPrefixTemplate,
    versioned: d.kind === PersonalDataStoreKind.S3_BUCKET ? true : undefined,
    indexName: d.subjectIndexName,
    subjectAttribute: d.subjectAttribute,
    valueTemplate: d.subjectValueTemplate,
    keyAttributes: d.tableKeyAttributes,
    ...(d.correctableAttributes !== undefined ? { correctableAttributes: d.correctableAttributes } : {}),
    // what an access report states about the store's data (1798.110): only what is declared, by key
    // (the environment of a function holds 4 KB: keys, not descriptions)
    ...(d.categories.length > 0 ? { categories: d.categories.map((c) => c.key) } : {}),
    ...(d.purposes && d.purposes.length > 0 ? { purposes: d.purposes.map((p) => p.key) } : {}),
    ...(d.sources && d.sources.length > 0 ? { sources: [...d.sources] } : {}),
    ...(d.recipients && d.recipients.length > 0 ? { recipients: [...d.recipients] } : {}),
    tenancy: d.tenancy === TenancyModel.POOLED ? 'pooled' : 'silo',
    ...(d.siloTenant !== undefined ? { siloTenant: d.siloTenant } : {}),
  };
}
