import { createHash } from 'crypto';
import { TENANT_ID_PATTERN } from '../../../storage/subject-key-layout';

/**
 * The data model of a data subject request, shared by the DsrWorkflow handlers (runtime code,
 * bundled into assets/; not part of the library's public API).
 *
 * Nothing here may log or return a raw subject identifier. The Requests function receives the
 * request, pseudonymizes the subject and records it in the request ledger (a PrivacyTable
 * encrypted with a PrivacyKey) before it starts an execution whose input is the request id alone;
 * the state machine then carries the request id and the pseudonym only, and handlers read the
 * identifier from the ledger when they need it.
 */

/**
 * The five rights (Cal. Civ. Code 1798.100-.121), and the withdrawal of the two choices: OPT_IN
 * (the consumer opts back in to sale or sharing after an OPT_OUT) and UNLIMIT (withdraws a LIMIT).
 */
export const REQUEST_TYPES = ['ACCESS', 'DELETE', 'CORRECT', 'OPT_OUT', 'LIMIT', 'OPT_IN', 'UNLIMIT'] as const;
export type RequestType = typeof REQUEST_TYPES[number];

/** Request types that visit every store. */
export const STORE_REQUEST_TYPES: readonly RequestType[] = ['ACCESS', 'DELETE', 'CORRECT'];
/**
 * The consumer's choices (opt-out of sale/sharing, limit the use of sensitive PI, and their
 * withdrawal): no identity verification may be required, honored within 15 business days, no
 * extension (11 CCR 7026, 7027). The Requests function applies them to the consent records at once.
 */
export const CHOICE_REQUEST_TYPES: readonly RequestType[] = ['OPT_OUT', 'LIMIT', 'OPT_IN', 'UNLIMIT'];

/** At most this many linked ids in one choice request (the ids the business links to the consumer). */
export const MAX_LINKED_SUBJECTS = 20;

/** A data subject request as it is submitted to the Requests function (never an execution input). */
export interface DsrRequestInput {
  /** Caller-chosen id, the idempotency key: re-running the same id never repeats completed work. */
  readonly requestId: string;
  readonly type: string;
  readonly tenant: string;
  /** The data subject's identifier in the stores (raw: used in keys and prefixes). */
  readonly subject: string;
  /** When the business received the request (ISO 8601); the deadlines run from it. Default: now. */
  readonly receivedAt?: string;
  /** CORRECT: attribute -> new value (null removes the attribute). */
  readonly corrections?: Record<string, string | number | boolean | null>;
  /**
   * OPT_OUT, LIMIT, OPT_IN, UNLIMIT: the other ids the business links to the same consumer
   * (accounts, devices, browser ids); each is pseudonymized and the choice applies to all of them.
   */
  readonly linkedSubjects?: string[];
}

/**
 * The execution input of the request state machine: the id of a request the Requests function
 * recorded in the ledger, nothing else. Step Functions keeps execution input in the execution
 * history for 90 days; it therefore never holds the subject identifier or corrections.
 */
export interface ExecutionInput {
  readonly requestId: string;
}

/** The execution name of a request's n-th execution: `<requestId>_r<n>` (unique per request and attempt, <= 80 characters, CloudWatch-loggable). */
export function executionName(requestId: string, attempt: number): string {
  return `${requestId}_r${attempt}`;
}

/** What Intake hands to the rest of the state machine: no identifier, no personal data. */
export interface IntakeResult {
  readonly requestId: string;
  readonly type: RequestType;
  readonly tenant: string;
  readonly pseudonym: string;
  readonly alreadyCompleted: boolean;
  /** Store ids (indexes into the STORES configuration) to visit; empty for OPT_OUT and LIMIT. */
  readonly stores: string[];
  readonly dueBy: string;
}

/** One store as the handlers see it (from the construct's describePersonalData()). */
export interface StoreConfig {
  readonly id: string;
  readonly path: string;
  readonly kind: 's3-bucket' | 'dynamodb-table';
  readonly name: string;
  readonly prefixTemplate?: string;
  /** S3: the bucket is versioned, so deletion removes every version and delete marker. */
  readonly versioned?: boolean;
  readonly indexName?: string;
  readonly subjectAttribute?: string;
  readonly valueTemplate?: string;
  readonly keyAttributes?: string[];
  /** DynamoDB: the attributes a correction may set even where an item lacks them (declared by the store); unset: only attributes an item has. */
  readonly correctableAttributes?: string[];
  /** DynamoDB: further attributes a correction never changes (the keys of the table's other indexes). */
  readonly protectedAttributes?: string[];
  /** What the store declares about its personal information, for access reports (1798.110): categories, sources, purposes, recipients. */
  readonly categories?: string[];
  readonly sources?: string[];
  readonly purposes?: string[];
  readonly recipients?: string[];
  /**
   * Who owns the store's records: `pooled` (every tenant's, the locator carries `{tenant}`) or
   * `silo` (one tenant's, `siloTenant`; without it, the organization's).
   */
  readonly tenancy: 'pooled' | 'silo';
  /** silo: the one tenant whose records the store holds (unset: the organization's). */
  readonly siloTenant?: string;
}

/**
 * Whether a request of `tenant` may touch `store`: a pooled store (its locator is scoped by the
 * tenant), a silo store of this very tenant, or an organization store (a workflow that has one is
 * never fronted by a DsrApi: the Requests function refuses API events for it). Never a silo store
 * of another tenant.
 */
export function storeServesTenant(store: StoreConfig, tenant: string): boolean {
  if (store.tenancy === 'pooled') return true;
  if (store.tenancy === 'silo') return store.siloTenant === undefined || store.siloTenant === tenant;
  return false;
}

/** Whether any store belongs to the organization (silo, no tenant): tenants must not reach the workflow. */
export function hasOrganizationStores(stores: readonly StoreConfig[]): boolean {
  return stores.some((s) => s.tenancy !== 'pooled' && (s.tenancy !== 'silo' || s.siloTenant === undefined));
}

export type Phase = 'START' | 'DELETE' | 'VERIFY' | 'EXPORT' | 'CORRECT';

/** The state of one store's work, carried by the Map iteration between StoreStep invocations. */
export interface StoreStepState {
  readonly requestId: string;
  readonly type: RequestType;
  readonly tenant: string;
  readonly pseudonym: string;
  readonly store: string;
  readonly phase: Phase;
  /** An opaque page cursor (S3 key/version marker or DynamoDB LastEvaluatedKey), never records. */
  readonly cursor?: string | null;
  readonly verifyAttempts?: number;
  readonly page?: number;
  readonly count?: number;
  readonly done?: boolean;
  readonly failed?: boolean;
  /** Set when the work re-applies a tombstone after a restore (the replay state machine). */
  readonly replayId?: string;
  /** A replay: the tombstone's request recorded what it deleted (shared/deletion-record.ts), so only that is deleted again. */
  readonly keysRecorded?: boolean;
  /**
   * ACCESS: the id of this export attempt (a random UUID set by the first invocation). The report
   * parts of an attempt are listed in its manifest in the ledger; Finalize reads only those.
   */
  readonly attempt?: string;
  /** VERIFY: re-discovery passes finished so far, and how many of the last ones in a row found nothing live. */
  readonly verifyPasses?: number;
  readonly cleanPasses?: number;
  /** VERIFY: live records the current pass found (and deleted); over all passes; stale index entries seen. */
  readonly passLive?: number;
  readonly verifyDeleted?: number;
  readonly verifyStale?: number;
  /** Set by StoreStep when the state machine must wait this many seconds (a Wait state) before the next invocation. */
  readonly waitSeconds?: number;
  /** CORRECT: attributes refused (with the reason), the tally of changes, or why the store is not correctable at all. */
  readonly refused?: Array<{ readonly attribute: string; readonly reason: string }>;
  readonly correction?: {
    readonly changed: Record<string, number>; readonly present: Record<string, number>; readonly conflicts: number; readonly hash: string;
  };
  readonly notCorrectable?: string;
}

/** Not retried: a concurrent write changed records between the read and the update of a correction. */
export class DsrCorrectionConflictError extends Error {
  public readonly name = 'DsrCorrectionConflictError';
}

/** Retried by the state machine (with backoff and jitter): throttling or unprocessed items left. */
export class DsrRetryableError extends Error {
  public readonly name = 'DsrRetryableError';
}

/** Not retried: the request is malformed or conflicts with a recorded request of the same id. */
export class DsrInvalidRequestError extends Error {
  public readonly name = 'DsrInvalidRequestError';
}

/** Not retried: no request of this id for this tenant (answers the same whether it exists for another tenant or not at all). */
export class DsrNotFoundError extends Error {
  public readonly name = 'DsrNotFoundError';
}

/** Not retried: the request id is taken by a different request, or the request is in a state the operation does not apply to. */
export class DsrConflictError extends Error {
  public readonly name = 'DsrConflictError';
}

/** Re-discovery still found the subject's records after deletion: retried, then recorded as failed. */
export class DsrVerificationError extends Error {
  public readonly name = 'DsrVerificationError';
}

/**
 * A request id as the workflow keeps it: the caller's id (`CLIENT_REQUEST_ID`), or, when another
 * tenant used that id first, a tenant-scoped id of SCOPED_REQUEST_ID_LENGTH characters, which no
 * caller can choose (ids stay unique per tenant, and no answer reveals another tenant's id).
 * `<id>_r<n>` stays within Step Functions' 80 characters.
 */
export const REQUEST_ID = /^[A-Za-z0-9_-]{1,72}$/;
/** A request id as callers choose it. */
export const CLIENT_REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The length of a tenant-scoped request id (longer than any id a caller may choose). */
export const SCOPED_REQUEST_ID_LENGTH = 72;
/** The one tenant id syntax (no separator, no wildcard: see TENANT_ID_PATTERN). */
export const TENANT = new RegExp(TENANT_ID_PATTERN);
export const TENANT_SYNTAX = '1 to 64 letters, digits, _ or -, starting with a letter or digit';
// no "/" (S3 prefixes) and no "#" (composite DynamoDB keys); e-mail addresses and ids pass
const SUBJECT = /^[A-Za-z0-9._@+=:-]{1,256}$/;
const ATTRIBUTE = /^[A-Za-z0-9_.-]{1,255}$/;

/** Validate an execution input; the messages never echo a value that could be personal data. */
export function validateRequest(input: DsrRequestInput, now: Date): { type: RequestType; receivedAt: Date } {
  const problems: string[] = [];
  if (typeof input.requestId !== 'string' || !CLIENT_REQUEST_ID.test(input.requestId)) problems.push('requestId must match [A-Za-z0-9_-]{1,64}');
  if (!REQUEST_TYPES.includes(input.type as RequestType)) problems.push(`type must be one of ${REQUEST_TYPES.join(', ')}`);
  if (typeof input.tenant !== 'string' || !TENANT.test(input.tenant)) problems.push(`tenant must be ${TENANT_SYNTAX}`);
  if (typeof input.subject !== 'string' || !SUBJECT.test(input.subject)) problems.push('subject must match [A-Za-z0-9._@+=:-]{1,256} (no "/" or "#")');
  let receivedAt = now;
  if (input.receivedAt !== undefined) {
    receivedAt = new Date(input.receivedAt);
    if (Number.isNaN(receivedAt.getTime()) || receivedAt.getTime() > now.getTime() + 5 * 60_000) problems.push('receivedAt must be an ISO 8601 time, not in the future');
  }
  if (input.type === 'CORRECT') {
    const c = input.corrections;
    if (!c || typeof c !== 'object' || Array.isArray(c) || Object.keys(c).length === 0) {
      problems.push('CORRECT needs corrections: an object of attribute -> new value');
    } else {
      for (const [k, v] of Object.entries(c)) {
        if (!ATTRIBUTE.test(k)) problems.push('a corrections attribute name is invalid');
        if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) problems.push('corrections values must be strings, numbers, booleans or null');
      }
    }
  } else if (input.corrections !== undefined) {
    problems.push('corrections are only accepted with type CORRECT');
  }
  problems.push(...linkedSubjectProblems(input));
  if (problems.length > 0) throw new DsrInvalidRequestError(problems.join('; '));
  return { type: input.type as RequestType, receivedAt };
}

/** The problems of `linkedSubjects`: choice requests only, each a subject id, at most MAX_LINKED_SUBJECTS, no repeats. */
function linkedSubjectProblems(input: DsrRequestInput): string[] {
  const linked = input.linkedSubjects;
  if (linked === undefined) return [];
  if (!CHOICE_REQUEST_TYPES.includes(input.type as RequestType)) return [`linkedSubjects are only accepted with types ${CHOICE_REQUEST_TYPES.join(', ')}`];
  if (!Array.isArray(linked) || linked.length > MAX_LINKED_SUBJECTS) return [`linkedSubjects must be a list of at most ${MAX_LINKED_SUBJECTS} subject ids`];
  const problems: string[] = [];
  if (!linked.every((s) => typeof s === 'string' && SUBJECT.test(s))) problems.push('each linkedSubjects entry must match [A-Za-z0-9._@+=:-]{1,256} (no "/" or "#")');
  if (new Set(linked).size !== linked.length) problems.push('linkedSubjects must not repeat an id');
  return problems;
}

const DAY = 86_400_000;

/**
 * The dates the law sets, from the time of receipt. Know, delete and correct (11 CCR 7021;
 * Cal. Civ. Code 1798.130(a)(2)(A)): confirm receipt within 10 business days, respond within 45
 * calendar days, one 45-day extension. Opt-out and limit (11 CCR 7026, 7027): honor within 15
 * business days, no confirmation step and no extension.
 */
export interface Deadlines {
  /** Know, delete, correct: confirm receipt within 10 business days (weekends and the configured holidays skipped); none for OPT_OUT and LIMIT. */
  readonly confirmBy?: string;
  /** Respond within 45 calendar days (know, delete, correct) or honor within 15 business days (OPT_OUT, LIMIT). */
  readonly dueBy: string;
  /** ... or, with notice to the consumer, within one 45-day extension; OPT_OUT and LIMIT: `dueBy` (no extension). */
  readonly extendedDueBy: string;
}

/**
 * The deadlines of a request of `type` received at `receivedAt`. Business days skip Saturdays,
 * Sundays and `holidays` (UTC dates, `YYYY-MM-DD`, the days the business is closed). Without
 * holidays a business-day deadline is the earliest it can be: counting a day as a business day
 * that is not one only moves the deadline earlier, never past the legal one.
 */
export function deadlines(receivedAt: Date, holidays: ReadonlySet<string> = new Set(), type: RequestType = 'ACCESS'): Deadlines {
  if (CHOICE_REQUEST_TYPES.includes(type)) {
    const honorBy = addBusinessDays(receivedAt, 15, holidays);
    return { dueBy: honorBy, extendedDueBy: honorBy };
  }
  return {
    confirmBy: addBusinessDays(receivedAt, 10, holidays),
    dueBy: new Date(receivedAt.getTime() + 45 * DAY).toISOString(),
    extendedDueBy: new Date(receivedAt.getTime() + 90 * DAY).toISOString(),
  };
}

/** The same time of day `days` business days after `from` (ISO 8601). */
function addBusinessDays(from: Date, days: number, holidays: ReadonlySet<string>): string {
  let t = from.getTime();
  let business = 0;
  while (business < days) {
    t += DAY;
    const date = new Date(t);
    const day = date.getUTCDay();
    if (day !== 0 && day !== 6 && !holidays.has(date.toISOString().slice(0, 10))) business++;
  }
  return new Date(t).toISOString();
}

/** `tenants/{tenant}/subjects/{subject}/` filled in. */
export function fillTemplate(template: string, tenant: string, subject: string): string {
  return template.split('{tenant}').join(tenant).split('{subject}').join(subject);
}

/**
 * The error name a caught error is recorded under: Step Functions' `Error` field only, never the
 * `Cause` (an SDK message can quote an object key, i.e. an identifier), reduced to a safe charset.
 */
export function safeErrorName(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z0-9._-]{1,80}$/.test(name) ? name : 'Error';
}

/**
 * The ledger's sparse indexes (open requests: `open`; deletion tombstones: `tombstone`) are keyed
 * by a few values only, so every write of a request's status or tombstone would land on one index
 * partition: a hot key at ~1,000 requests/s. Each value is therefore sharded in INDEX_SHARDS:
 * `OPEN#<n>`, `OUTBOX#<n>`, `TOMBSTONE#<n>` with `n` = indexShard(request id), and the readers
 * query every shard (indexValues). Migration: items written before the sharding carry the bare
 * value (`OPEN`, `OUTBOX`, `TOMBSTONE`); indexValues lists it too, so they are still found, and
 * they move to a shard the next time they are written.
 */
export const INDEX_SHARDS = 16;
/** The open-requests index value of a request until it completes (sharded: `OPEN#<n>`). */
export const OPEN_INDEX_VALUE = 'OPEN';
/** The tombstones index value of a deletion tombstone (sharded: `TOMBSTONE#<n>`). */
export const TOMBSTONE_INDEX_VALUE = 'TOMBSTONE';

/** The shard (0 .. INDEX_SHARDS - 1) of an id: the first 4 bytes of its SHA-256, modulo INDEX_SHARDS (stable across runtimes and releases). */
export function indexShard(id: string): number {
  return createHash('sha256').update(id, 'utf8').digest().readUInt32BE(0) % INDEX_SHARDS;
}

/** The sharded index value an item of `id` is written with: `<base>#<indexShard(id)>`. */
export function shardedIndexValue(base: string, id: string): string {
  return `${base}#${indexShard(id)}`;
}

/**
 * Every index value a reader queries for `base`: the legacy bare value first (items written before
 * the sharding; a replay cursor saved then points into it), then `<base>#0` .. `<base>#15`.
 */
export function indexValues(base: string): string[] {
  return [base, ...Array.from({ length: INDEX_SHARDS }, (_, n) => `${base}#${n}`)];
}
