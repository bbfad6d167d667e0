import { randomUUID } from 'crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  AUDIT_RECORDS_PREFIX, DEFAULT_DYNAMO_PAGE_SIZE, DEFAULT_MAX_PAGES_PER_INVOCATION, DEFAULT_S3_PAGE_SIZE,
  DsrConfig, DSR_ENV, EVENT_SOURCE, parseDsrConfig, SERVICE_NAME,
} from './config';

/**
 * The handlers' configuration (environment variables the DsrWorkflow construct sets: `DSR_CONFIG`,
 * checked by parseDsrConfig, which throws a DsrConfigError when it is missing or invalid) and AWS
 * SDK v3 clients. `AWS_ENDPOINT_URL_<SERVICE>` points a client at a local stand-in (the tests
 * use dynalite, s3rver and small KMS/EventBridge stand-ins on 127.0.0.1).
 */
export interface Runtime extends Omit<DsrConfig, 'maxPagesPerInvocation' | 'dynamoPageSize' | 's3PageSize'> {
  /** Days the business is closed (UTC `YYYY-MM-DD`): skipped when business days are counted. */
  readonly holidays: ReadonlySet<string>;
  /** The request state machine (the Requests function starts its executions; empty in the other functions). */
  readonly stateMachineArn: string;
  /** The consent table (the Requests function applies choices to it; empty in the other functions). */
  readonly consentTable: string;
  readonly maxPagesPerInvocation: number;
  /** Items per DynamoDB Query page, and keys per S3 listing page. */
  readonly dynamoPageSize: number;
  readonly s3PageSize: number;
  readonly ddb: DynamoDBClient;
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly events: EventBridgeClient;
  readonly sfn: SFNClient;
  readonly logger: Logger;
}

let cached: { key: string; runtime: Runtime } | undefined;

/** The runtime for the current environment (cached across invocations of a warm Lambda). */
export function runtime(): Runtime {
  const env = process.env;
  const key = JSON.stringify([
    env[DSR_ENV.CONFIG], env.AWS_ENDPOINT_URL_DYNAMODB, env.AWS_ENDPOINT_URL_S3,
    env.AWS_ENDPOINT_URL_KMS, env.AWS_ENDPOINT_URL_EVENTBRIDGE, env.AWS_ENDPOINT_URL_SFN, env.DSR_SDK_MAX_ATTEMPTS,
    env[DSR_ENV.STATE_MACHINE_ARN], env[DSR_ENV.HOLIDAYS], env[DSR_ENV.CONSENT_TABLE],
  ]);
  if (cached?.key === key) return cached.runtime;
  const config = parseDsrConfig(env[DSR_ENV.CONFIG]);
  const maxAttempts = Number(env.DSR_SDK_MAX_ATTEMPTS ?? 5);
  // standard retry mode: exponential backoff with full jitter on throttling and 5xx, per SDK call
  const common = { maxAttempts, retryMode: 'standard' };
  const r: Runtime = {
    ...config,
    holidays: new Set<string>((env[DSR_ENV.HOLIDAYS] ?? '').split(',').filter((d) => d !== '')),
    stateMachineArn: env[DSR_ENV.STATE_MACHINE_ARN] ?? '',
    consentTable: env[DSR_ENV.CONSENT_TABLE] ?? '',
    maxPagesPerInvocation: config.maxPagesPerInvocation ?? DEFAULT_MAX_PAGES_PER_INVOCATION,
    dynamoPageSize: config.dynamoPageSize ?? DEFAULT_DYNAMO_PAGE_SIZE,
    s3PageSize: config.s3PageSize ?? DEFAULT_S3_PAGE_SIZE,
    ddb: new DynamoDBClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    s3: new S3Client({
      ...common,
      endpoint: env.AWS_ENDPOINT_URL_S3,
      forcePathStyle: env.AWS_ENDPOINT_URL_S3 !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    kms: new KMSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_KMS }),
    events: new EventBridgeClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_EVENTBRIDGE }),
    sfn: new SFNClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SFN }),
    logger: new Logger({ serviceName: SERVICE_NAME }),
  };
  cached = { key, runtime: r };
  return r;
}

/** The stable pseudonym of a subject within a tenant: base64url(HMAC-SHA-256) computed by KMS. */
export async function pseudonymize(rt: Runtime, tenant: string, subject: string): Promise<string> {
  const out = await rt.kms.send(new GenerateMacCommand({
    KeyId: rt.pseudonymKeyId,
    MacAlgorithm: 'HMAC_SHA_256',
    Message: Buffer.from(`${tenant}\u0000${subject}`, 'utf8'),
  }));
  if (!out.Mac) throw new Error('KMS GenerateMac returned no MAC');
  return Buffer.from(out.Mac).toString('base64url');
}

/** One audit record: who (pseudonym), what step, which outcome, counts. Never an identifier or a record's content. */
export interface AuditEntry {
  readonly requestId: string;
  /** A tombstone replay: its records are kept under the replay (`REPLAY#<replayId>`), naming the original request. */
  readonly replayId?: string;
  readonly pseudonym?: string;
  readonly step: string;
  readonly outcome: 'RECEIVED' | 'STARTED' | 'PROGRESS' | 'SUCCEEDED' | 'VERIFIED' | 'SKIPPED' | 'FAILED' | 'COMPLETED' | 'ALREADY_COMPLETED' | 'WARNED' | 'REPLAYED' | 'RESUBMITTED' | 'EXTENDED' | 'PUBLISHED' | 'REFUSED' | 'SKIPPED_FOREIGN' | 'CONFIRMED' | 'FOUND' | 'CONFLICT' | 'NOT_CORRECTABLE' | 'RESTARTED' | 'SENT' | 'ACKNOWLEDGED' | 'AWAITING_RECIPIENTS';
  readonly store?: string;
  readonly detail?: Record<string, string | number | boolean>;
  /**
   * A record written at most once: its sort key is `once` instead of a fresh `<time>#<uuid>`, and a
   * second write of it is a no-op (a step that may run again, e.g. the receipt of a re-submitted
   * request whose first receipt record may or may not have been written).
   */
  readonly once?: string;
}

/**
 * Append an audit record: one JSON object in the audit bucket, under
 * `records/requests/<requestId>/<time>#<uuid>` (or `.../<once>`), written with `If-None-Match: *`.
 * The record cannot be replaced or removed by anyone who is not a break-glass administrator: the
 * bucket's policy refuses a PutObject without that header (so an existing key is never
 * overwritten: S3 answers 412) and every delete, retention or legal-hold change; Object Lock in
 * COMPLIANCE mode keeps each version for the audit retention, whoever asks. The random part of the
 * key is not derivable from the ledger. No TTL: records leave only by the bucket's lifecycle after
 * their retention.
 */
export async function audit(rt: Runtime, entry: AuditEntry): Promise<void> {
  const now = new Date();
  const pk = entry.replayId !== undefined ? `REPLAY#${entry.replayId}` : `REQUEST#${entry.requestId}`;
  const sk = entry.once ?? `${now.toISOString()}#${randomUUID()}`;
  const record = {
    pk,
    sk,
    subjectId: entry.pseudonym ?? 'unknown',
    requestId: entry.requestId,
    ...(entry.replayId !== undefined ? { replayId: entry.replayId } : {}),
    step: entry.step,
    outcome: entry.outcome,
    ...(entry.store !== undefined ? { store: entry.store } : {}),
    ...(entry.detail ? { detail: entry.detail } : {}),
    recordedAt: now.toISOString(),
  };
  try {
    await rt.s3.send(new PutObjectCommand({
      Bucket: rt.auditBucket,
      Key: auditRecordKey(entry, sk),
      Body: JSON.stringify(record),
      ContentType: 'application/json',
      IfNoneMatch: '*',
    }));
  } catch (e) {
    // a record written once is there already: nothing to append (and nothing may replace it)
    if (entry.once !== undefined && isPreconditionFailed(e)) return;
    throw e;
  }
  rt.logger.info('dsr audit', { requestId: entry.requestId, replayId: entry.replayId, pseudonym: entry.pseudonym, step: entry.step, outcome: entry.outcome, store: entry.store, detail: entry.detail });
}

/** The object key of an audit record: `records/requests/<requestId>/<sk>` or `records/replays/<replayId>/<sk>`. */
export function auditRecordKey(entry: Pick<AuditEntry, 'requestId' | 'replayId'>, sk: string): string {
  return entry.replayId !== undefined
    ? `${AUDIT_RECORDS_PREFIX}replays/${entry.replayId}/${sk}`
    : `${AUDIT_RECORDS_PREFIX}requests/${entry.requestId}/${sk}`;
}

/** S3 refused a conditional write because the key exists (412 PreconditionFailed). */
function isPreconditionFailed(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err.name === 'PreconditionFailed' || err.$metadata?.httpStatusCode === 412;
}

/** Publish a workflow event (no identifier, no personal data) for service providers and contractors (1798.105(c)). */
export async function publish(rt: Runtime, detailType: string, detail: Record<string, unknown>): Promise<void> {
  const out = await rt.events.send(new PutEventsCommand({
    Entries: [{ EventBusName: rt.eventBusName, Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }],
  }));
  if ((out.FailedEntryCount ?? 0) > 0) throw new Error(`EventBridge rejected the ${detailType} event`);
}

/** The key of a request's ledger item. */
export function requestKey(requestId: string): { pk: { S: string }; sk: { S: string } } {
  return { pk: { S: `REQUEST#${requestId}` }, sk: { S: 'REQUEST' } };
}
