import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { marshall } from '@aws-sdk/util-dynamodb';
import { correctionOutcome, CorrectionOutcome } from './shared/correction';
import { disclosuresOf } from './shared/disclosure';
import { ManifestIncompleteError, walkManifest } from './shared/manifest';
import { RequestType, safeErrorName, shardedIndexValue, storeServesTenant, StoreStepState, TOMBSTONE_INDEX_VALUE } from './shared/model';
import { completionEvent, drainOutbox, OUTBOX_OPEN_VALUE } from './shared/outbox';
import { awaitRecipients } from './shared/recipients';
import { abortUploads, deleteOtherAttempts, MultipartReport, partLines, writeDocument } from './shared/report-stream';
import { findRequest, LedgerRequest, loadRequest } from './shared/request';
import { audit, publish, requestKey, Runtime, runtime } from './shared/runtime';

/** The input of Finalize: the Intake result with the per-store outcomes, or a caught failure. */
export interface FinalizeInput {
  readonly outcome: 'COMPLETE' | 'FAILED';
  readonly requestId: string;
  readonly type?: RequestType;
  readonly tenant?: string;
  readonly pseudonym?: string;
  readonly storeResults?: StoreStepState[];
  readonly error?: { Error?: string };
  readonly executionName?: string;
}

export interface FinalizeResult {
  readonly requestId: string;
  readonly status: 'COMPLETED' | 'FAILED' | 'AWAITING_RECIPIENTS';
  readonly stores: number;
  /** AWAITING_RECIPIENTS: the recipients to notify (the state machine's notice loops). */
  readonly recipients?: string[];
}

/** The error the state machine fails with after a failure has been recorded. */
export class DsrRequestFailedError extends Error {
  public readonly name = 'DsrRequestFailed';
}

/**
 * Finalize: apply the request's outcome. DELETE writes a deletion tombstone (replayed after any
 * restore, 11 CCR 7022(d)); ACCESS assembles the portable report and an expiring link (the
 * Requests function applied OPT_OUT, LIMIT, OPT_IN and UNLIMIT to the consent table). Then the
 * ledger is closed, an audit record and an EventBridge event (for service providers and contractors, 1798.105(c)) are written.
 * With `outcome: FAILED` (a caught error) or any failed store, the request is recorded as
 * failed, a failure event is sent, and the handler throws so the execution ends failed.
 */
export async function handler(input: FinalizeInput): Promise<FinalizeResult> {
  const rt = runtime();
  if (input.outcome === 'FAILED') {
    return recordFailure(rt, input, []);
  }
  const request = await loadRequest(rt, input.requestId);
  const failedStores = (input.storeResults ?? []).filter((s) => s.failed).map((s) => storePath(rt, s.store));
  if (failedStores.length > 0) {
    await recordFailure(rt, input, failedStores);
    throw new DsrRequestFailedError(`${failedStores.length} store(s) failed; recorded, re-run the request with the same requestId`);
  }
  const now = new Date().toISOString();
  const detail: Record<string, string | number | boolean> = { type: request.type };
  if (request.type === 'DELETE') {
    await writeTombstone(rt, request, now, false);
    detail.tombstone = true;
  } else if (request.type === 'ACCESS') {
    const report = await assembleReport(rt, request, input.storeResults ?? [], now);
    detail.records = report.records;
    detail.exportKey = report.key;
  } else if (request.type === 'CORRECT') {
    const outcome = await recordCorrectionOutcome(rt, request, input.storeResults ?? []);
    detail.refused = outcome.refused;
    detail.notCorrectable = outcome.notCorrectable;
  }
  // OPT_OUT, LIMIT, OPT_IN, UNLIMIT: the Requests function applied the choice to the consent table when it recorded the request
  // recipients to tell of a deletion, correction or opt-out: COMPLETED only once each acknowledged (shared/recipients.ts)
  const recipients = await awaitRecipients(rt, request, now);
  if (recipients) return { requestId: request.requestId, status: 'AWAITING_RECIPIENTS', stores: (input.storeResults ?? []).length, recipients };
  const event = completionEvent(rt, request, now, detail.exportKey ? { exportKey: detail.exportKey } : {});
  // COMPLETED and the event's outbox in one conditional update: the event cannot be lost once the
  // ledger says COMPLETED; a retry (already COMPLETED) only drains what is left
  const firstTry = await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET #st = :c, completedAt = :now, outbox = :event, #open = :outbox',
    ConditionExpression: '#st <> :c',
    ExpressionAttributeNames: { '#st': 'status', '#open': 'open' },
    ExpressionAttributeValues: {
      ':c': { S: 'COMPLETED' }, ':now': { S: now }, ':event': { S: JSON.stringify(event) }, ':outbox': { S: shardedIndexValue(OUTBOX_OPEN_VALUE, request.requestId) },
    },
  })).then(() => true, (e: Error) => {
    if (e.name !== 'ConditionalCheckFailedException') throw e;
    return false;
  });
  // written once per request, whichever run completed it (a retry after the update repeats no record)
  await audit(rt, { requestId: request.requestId, pseudonym: request.subjectId, step: 'Finalize', outcome: 'COMPLETED', detail, once: 'FINALIZE#COMPLETED' });
  await drainOutbox(rt, request.requestId, !firstTry);
  return { requestId: request.requestId, status: 'COMPLETED', stores: (input.storeResults ?? []).length };
}

/**
 * The deletion tombstone, replayed after any restore (11 CCR 7022(d)). `partial`: the request
 * failed part-way (some records may be gone, some left); the tombstone is written anyway so a
 * restore cannot bring back what was deleted, and a later run that completes replaces it.
 */
async function writeTombstone(rt: Runtime, request: LedgerRequest, now: string, partial: boolean): Promise<void> {
  await rt.ddb.send(new PutItemCommand({
    TableName: rt.ledgerTable,
    Item: marshall({
      pk: `TOMBSTONE#${request.tenant}`,
      sk: request.subjectId,
      subjectId: request.subjectId,
      // kept (encrypted, in the ledger) so a restored backup can be purged again: 11 CCR 7022(d)
      subject: request.subject,
      tenant: request.tenant,
      requestId: request.requestId,
      stores: rt.stores.map((s) => s.path),
      deletedAt: now,
      ...(partial ? { partial: true } : {}),
      // StoreStep recorded the digests of what it deleted: a replay deletes only those (shared/deletion-record.ts)
      keysRecorded: true,
      // the key of the ledger's sparse tombstones index, which the replay pages through (sharded: shared/model.ts INDEX_SHARDS)
      tombstone: shardedIndexValue(TOMBSTONE_INDEX_VALUE, request.requestId),
    }),
  }));
}

/** CORRECT: what each store did (changed attributes, refusals with reasons, stores not correctable), in the ledger for STATUS. */
async function recordCorrectionOutcome(
  rt: Runtime, request: LedgerRequest, results: StoreStepState[],
): Promise<{ refused: number; notCorrectable: number }> {
  const outcome: CorrectionOutcome = correctionOutcome(results.map((r) => ({ ...r, store: storePath(rt, r.store) })));
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET correctionOutcome = :o',
    ExpressionAttributeValues: { ':o': { S: JSON.stringify(outcome) } },
  }));
  return { refused: outcome.stores.reduce((n, s) => n + s.refused.length, 0), notCorrectable: outcome.stores.filter((s) => s.notCorrectable).length };
}

function storePath(rt: Runtime, id: string): string {
  return rt.stores.find((s) => s.id === id)?.path ?? id;
}

/**
 * Record a failure: ledger status FAILED (unless the request completed meanwhile), an audit
 * record and a "DSR Request Failed" event. A request that failed before Intake recorded it
 * (e.g. an invalid input) has no ledger item: the audit record and the event still name its id.
 */
async function recordFailure(rt: Runtime, input: FinalizeInput, failedStores: string[]): Promise<FinalizeResult> {
  const error = input.error ? safeErrorName(input.error.Error) : 'StoreFailed';
  const request = await findRequest(rt, input.requestId);
  if (request?.status === 'COMPLETED') {
    // the request completed and only its event is pending (e.g. EventBridge throttled past every
    // retry): no failure to record; one more try, else the daily deadline check delivers it
    const delivered = await drainOutbox(rt, request.requestId).catch(() => false);
    if (!delivered) {
      await audit(rt, { requestId: request.requestId, pseudonym: request.subjectId, step: 'Outbox', outcome: 'WARNED', detail: { error, pending: true }, once: 'OUTBOX#PENDING' });
    }
    return { requestId: request.requestId, status: 'COMPLETED', stores: 0 };
  }
  if (request) {
    await rt.ddb.send(new UpdateItemCommand({
      TableName: rt.ledgerTable,
      Key: requestKey(request.requestId),
      UpdateExpression: 'SET #st = :f, lastError = :e',
      ConditionExpression: '#st <> :c',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':f': { S: 'FAILED' }, ':e': { S: error }, ':c': { S: 'COMPLETED' } },
    })).catch((e: Error) => {
      if (e.name !== 'ConditionalCheckFailedException') throw e;
    });
    // a DELETE that failed part-way still records what it set out to delete: a restore must not
    // bring back the records it did delete (the tombstone is replayed like a completed one)
    if (request.type === 'DELETE') await writeTombstone(rt, request, new Date().toISOString(), true);
  }
  await audit(rt, { requestId: input.requestId, pseudonym: request?.subjectId, step: 'Finalize', outcome: 'FAILED', detail: { error, failedStores: failedStores.length } });
  await publish(rt, 'DSR Request Failed', {
    requestId: input.requestId,
    type: request?.type,
    tenant: request?.tenant,
    pseudonym: request?.subjectId,
    error,
    failedStores,
    dueBy: request?.dueBy,
  });
  return { requestId: input.requestId, status: 'FAILED', stores: failedStores.length };
}

/**
 * Stream the export parts into one JSON report (`report.json` next to them), written as an S3
 * multipart upload (shared/report-stream.ts): records are copied line by line from the parts and
 * documents streamed from their stores, so memory does not grow with the report. Then record a
 * link that expires after `exportLinkSeconds` (a presigned URL; it also ends when the signing
 * role's session does). The link is a bearer secret: it is written to the ledger only.
 */
async function assembleReport(
  rt: Runtime, request: LedgerRequest, results: StoreStepState[], now: string,
): Promise<{ key: string; records: number }> {
  const base = `exports/${request.subjectId}/${request.requestId}/`;
  const key = `${base}report.json`;
  const out = new MultipartReport(rt, rt.exportBucket, key, 'application/json');
  let records = 0;
  // the uploads of earlier runs that ended without aborting theirs (a timeout, an abort refused)
  await abortUploads(rt, rt.exportBucket, base);
  await out.start();
  try {
    const header = {
      format: 'cdk-ccpa/dsr-access-report@1',
      requestId: request.requestId,
      tenant: request.tenant,
      generatedAt: now,
      receivedAt: request.receivedAt,
      // 1798.110(a): categories, sources, purposes and recipients, as the stores declare them
      disclosures: disclosuresOf(rt.stores.filter((s) => storeServesTenant(s, request.tenant))),
    };
    await out.write(`${JSON.stringify(header).slice(0, -1)},"stores":[`);
    let stores = 0;
    // only the parts on the manifest of the attempt each store finished with: never a leftover of
    // another attempt, never a page twice (see shared/manifest.ts)
    for (const result of results) {
      if (!result.attempt) throw new ManifestIncompleteError(`store ${storePath(rt, result.store)} finished without an export attempt`);
      const store = rt.stores.find((s) => s.id === result.store);
      let written = 0;
      for await (const entry of walkManifest(rt, request.requestId, result.attempt, result.store)) {
        records += entry.records;
        if (!entry.key) continue;
        for await (const line of partLines(rt, entry.key)) {
          if (written === 0) await out.write(`${stores++ > 0 ? ',' : ''}{"store":${JSON.stringify(storePath(rt, result.store))},"records":[`);
          else await out.write(',');
          if (store?.kind === 's3-bucket') await writeDocument(rt, out, (JSON.parse(line.toString('utf8')) as { $object: { bucket: string; key: string; prefix: string } }).$object);
          else await out.write(line);
          written++;
        }
      }
      if (written > 0) await out.write(']}');
    }
    await out.write(']}');
    await out.complete();
  } catch (e) {
    await out.abort();
    throw e;
  }
  // the parts of earlier export attempts (a failed or re-run request), never read again
  await deleteOtherAttempts(rt, rt.exportBucket, `${base}parts/`, new Set(results.map((r) => r.attempt!)));
  const url = await getSignedUrl(rt.s3, new GetObjectCommand({ Bucket: rt.exportBucket, Key: key }), { expiresIn: rt.exportLinkSeconds });
  await rt.ddb.send(new UpdateItemCommand({
    TableName: rt.ledgerTable,
    Key: requestKey(request.requestId),
    UpdateExpression: 'SET exportKey = :k, exportUrl = :u, exportUrlExpiresAt = :x',
    ExpressionAttributeValues: { ':k': { S: key }, ':u': { S: url }, ':x': { S: new Date(Date.parse(now) + rt.exportLinkSeconds * 1000).toISOString() } },
  }));
  return { key, records };
}
