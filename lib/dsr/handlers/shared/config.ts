/**
 * The contract between the DsrWorkflow construct and its handlers: the configuration the construct
 * writes into the functions' environment, and the names and limits both sides share.
 *
 * Imported by the construct (compiled into the library) and by the handlers (bundled into assets/):
 * keep it free of dependencies (no AWS SDK, no aws-cdk-lib) and of runtime imports.
 */
import type { StoreConfig } from './model';

/** The environment variables of the handlers. */
export const DSR_ENV = {
  /** Every handler: the {@link DsrConfig}, JSON. */
  CONFIG: 'DSR_CONFIG',
  /** The Requests function: the request state machine it starts executions of. */
  STATE_MACHINE_ARN: 'DSR_STATE_MACHINE_ARN',
  /** The Requests function: the business's holidays, `YYYY-MM-DD,...` (absent when there are none). */
  HOLIDAYS: 'DSR_HOLIDAYS',
  /** The Requests function behind a Cognito DsrApi: the token claim that holds the caller's tenant. */
  TENANT_CLAIM: 'DSR_TENANT_CLAIM',
  /** The Requests function behind Cognito DsrApis: their REST API ids, comma-separated (a call through one of them must carry the tenant claim). */
  COGNITO_API_IDS: 'DSR_COGNITO_API_IDS',
  /** The Requests function: the consent table it applies OPT_OUT, LIMIT, OPT_IN and UNLIMIT to. */
  CONSENT_TABLE: 'DSR_CONSENT_TABLE',
} as const;

/** 11 CCR § 7101: records of requests and responses are kept for at least 24 months. */
export const MIN_AUDIT_RETENTION_DAYS = 731;
/** The ledger's sparse index of open requests (`open` = OPEN until completion, sorted by `receivedAt`). */
export const OPEN_REQUESTS_INDEX = 'open-requests';
/** The ledger's sparse index of deletion tombstones (`tombstone` = TOMBSTONE, sorted by `deletedAt`). */
export const TOMBSTONES_INDEX = 'tombstones';
/** The source of the workflow's EventBridge events. */
export const EVENT_SOURCE = 'cdk-ccpa.dsr';
/** The key prefix of the audit records in the audit bucket (`records/requests/<requestId>/...`, `records/replays/<replayId>/...`). */
export const AUDIT_RECORDS_PREFIX = 'records/';
/** The Powertools service name of the handlers' log lines. */
export const SERVICE_NAME = 'cdk-ccpa-dsr';
/** The message of the deadline check's summary log line (`atRisk`, `workflow`): a metric filter counts it. */
export const DEADLINE_CHECK_LOG_MESSAGE = 'dsr deadline check';

/** The attributes of a ledger request the deadline check may read, to restart one that never started (IAM limits it to these): no identifier. */
export const RESTART_ATTRIBUTES = ['pk', 'sk', 'status', 'recordedAt', 'executions'] as const;
/** The ledger attributes draining a completion event's outbox reads and writes (shared/outbox.ts): the deadline check may touch no other. */
export const OUTBOX_ATTRIBUTES = ['pk', 'sk', 'outbox', 'open'] as const;

/** Page limits of the StoreStep function, unless the configuration sets them (tests do). */
export const DEFAULT_MAX_PAGES_PER_INVOCATION = 10;
export const DEFAULT_DYNAMO_PAGE_SIZE = 500;
export const DEFAULT_S3_PAGE_SIZE = 1000;
/**
 * Replay: 20 tombstones a page, 5 pages an execution, then a new execution continues from the
 * cursor saved in the ledger. About 50 history events per tombstone of small subjects: ~5,000
 * events an execution, which leaves ~20,000 of Step Functions' 25,000 for subjects whose stores
 * take many StoreStep invocations (7 events each).
 */
export const DEFAULT_REPLAY_PAGE_SIZE = 20;
export const DEFAULT_REPLAY_PAGES_PER_EXECUTION = 5;

/** The `DSR_CONFIG` of every handler, written by the DsrWorkflow construct. */
export interface DsrConfig {
  readonly ledgerTable: string;
  /**
   * The bucket of the audit records (S3 Object Lock, COMPLIANCE): each record is one object,
   * written with `If-None-Match: *` (the bucket policy refuses any other PutObject).
   */
  readonly auditBucket: string;
  /** The ARN of the workflow's PseudonymizationKey (KMS GenerateMac). */
  readonly pseudonymKeyId: string;
  readonly exportBucket: string;
  readonly eventBusName: string;
  /** How long audit records are kept (the audit bucket's Object Lock retention), at least {@link MIN_AUDIT_RETENTION_DAYS}. */
  readonly auditRetentionDays: number;
  /** How long the link to an access report is valid. */
  readonly exportLinkSeconds: number;
  readonly openRequestsIndex: string;
  readonly tombstonesIndex: string;
  /** How long before a deadline the deadline check warns. */
  readonly deadlineWarningSeconds: number;
  /** The workflow's unique name: the dimension of its metrics. */
  readonly workflow: string;
  /** The stores, in the order of their ids (`"0"`, `"1"`, ...). */
  readonly stores: readonly StoreConfig[];
  /** StoreStep: pages per invocation. @default DEFAULT_MAX_PAGES_PER_INVOCATION */
  readonly maxPagesPerInvocation?: number;
  /** StoreStep: items per DynamoDB Query page. @default DEFAULT_DYNAMO_PAGE_SIZE */
  readonly dynamoPageSize?: number;
  /** StoreStep: keys per S3 listing page. @default DEFAULT_S3_PAGE_SIZE */
  readonly s3PageSize?: number;
  /** Replay: tombstones per page (one Map over them). @default DEFAULT_REPLAY_PAGE_SIZE */
  readonly replayPageSize?: number;
  /** Replay: pages per execution before it continues in a new one. @default DEFAULT_REPLAY_PAGES_PER_EXECUTION */
  readonly replayPagesPerExecution?: number;
}

/** A handler's configuration is missing or invalid: a deployment fault, never retried into success. */
export class DsrConfigError extends Error {
  public readonly name = 'DsrConfigError';
}

const REQUIRED_STRINGS = ['ledgerTable', 'auditBucket', 'pseudonymKeyId', 'exportBucket', 'eventBusName', 'openRequestsIndex', 'tombstonesIndex', 'workflow'] as const;
const REQUIRED_COUNTS = ['auditRetentionDays', 'exportLinkSeconds', 'deadlineWarningSeconds'] as const;
const OPTIONAL_COUNTS = ['maxPagesPerInvocation', 'dynamoPageSize', 's3PageSize', 'replayPageSize', 'replayPagesPerExecution'] as const;

/**
 * The configuration in `json` (the `DSR_CONFIG` variable), checked: every field the construct
 * writes is there with its type, and each store has what its kind needs. Throws a DsrConfigError
 * that lists every problem (the configuration names resources, never a data subject).
 */
export function parseDsrConfig(json: string | undefined): DsrConfig {
  if (json === undefined || json.trim() === '') {
    throw new DsrConfigError(`${DSR_ENV.CONFIG} is not set: the function runs outside the DsrWorkflow that configures it`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new DsrConfigError(`${DSR_ENV.CONFIG} is not JSON`);
  }
  if (!isObject(raw)) throw new DsrConfigError(`${DSR_ENV.CONFIG} is not a JSON object`);
  const problems: string[] = [];
  for (const field of REQUIRED_STRINGS) {
    if (!isName(raw[field])) problems.push(`${field} must be a non-empty string`);
  }
  for (const field of REQUIRED_COUNTS) {
    if (!isCount(raw[field])) problems.push(`${field} must be a positive whole number`);
  }
  for (const field of OPTIONAL_COUNTS) {
    if (raw[field] !== undefined && !isCount(raw[field])) problems.push(`${field} must be a positive whole number when set`);
  }
  if (isCount(raw.auditRetentionDays) && raw.auditRetentionDays < MIN_AUDIT_RETENTION_DAYS) {
    problems.push(`auditRetentionDays must be at least ${MIN_AUDIT_RETENTION_DAYS}`);
  }
  if (!Array.isArray(raw.stores) || raw.stores.length === 0) {
    problems.push('stores must be a non-empty list');
  } else {
    raw.stores.forEach((store: unknown, i: number) => problems.push(...storeProblems(store, i)));
  }
  if (problems.length > 0) throw new DsrConfigError(`${DSR_ENV.CONFIG} is invalid: ${problems.join('; ')}`);
  return raw as unknown as DsrConfig;
}

function storeProblems(store: unknown, i: number): string[] {
  if (!isObject(store)) return [`stores[${i}] must be an object`];
  const problems: string[] = [];
  const need = (fields: readonly string[]) => {
    for (const field of fields) if (!isName(store[field])) problems.push(`stores[${i}].${field} must be a non-empty string`);
  };
  need(['id', 'path', 'name']);
  if (store.id !== String(i)) problems.push(`stores[${i}].id must be "${i}"`);
  if (store.kind === 's3-bucket') {
    need(['prefixTemplate']);
    if (store.versioned !== undefined && typeof store.versioned !== 'boolean') problems.push(`stores[${i}].versioned must be a boolean when set`);
  } else if (store.kind === 'dynamodb-table') {
    need(['indexName', 'subjectAttribute', 'valueTemplate']);
    const keys = store.keyAttributes;
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every(isName)) problems.push(`stores[${i}].keyAttributes must be a non-empty list of names`);
  } else {
    problems.push(`stores[${i}].kind must be s3-bucket or dynamodb-table`);
  }
  const template = store.kind === 's3-bucket' ? store.prefixTemplate : store.valueTemplate;
  if (store.tenancy === 'pooled') {
    if (typeof template === 'string' && !template.includes('{tenant}')) problems.push(`stores[${i}] is pooled: its locator must contain {tenant}`);
    if (store.siloTenant !== undefined) problems.push(`stores[${i}].siloTenant must be unset on a pooled store`);
  } else if (store.tenancy === 'silo') {
    if (store.siloTenant !== undefined && !isName(store.siloTenant)) problems.push(`stores[${i}].siloTenant must be a non-empty string when set`);
  } else {
    problems.push(`stores[${i}].tenancy must be pooled or silo`);
  }
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}
