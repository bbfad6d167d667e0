import { BatchGetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { RequestType } from './model';
import type { LedgerRequest } from './request';
import { Runtime } from './runtime';

/**
 * The consent records: what applications read before they sell or share a consumer's personal
 * information, or use their sensitive personal information beyond the permitted purposes.
 *
 * One item per (tenant, pseudonym) in the workflow's consent table (a pooled PrivacyTable):
 * `pk = <tenant>#<pseudonym>`, `sk = CONSENT`, where the pseudonym is the workflow's
 * (base64url HMAC-SHA-256 of `<tenant>\0<subject>` by the PseudonymizationKey). An application
 * granted `DsrWorkflow.grantReadConsent` computes the pseudonym (kms:GenerateMac) and reads the
 * item (dynamodb:GetItem, its own tenant's keys only). No item: no choice recorded.
 *
 * Attributes: `saleAndSharing` (`OPTED_OUT` | `OPTED_IN`), `sensitiveUse` (`LIMITED` | `UNLIMITED`),
 * each with `<choice>Version` (`<receivedAt>#<requestId>` of the request that set it: a later
 * request wins whatever the order they are applied in), `<choice>RequestId` and `<choice>At`;
 * `linked`: the pseudonyms of every id linked to the same consumer (the choice is applied to each).
 */
export const CONSENT_SORT_KEY = 'CONSENT';
/** At most this many ids in one consumer's linked group. */
export const MAX_LINKED_GROUP = 100;

/** The consent attribute and value each choice request sets. */
export const CHOICE_EFFECTS: Partial<Record<RequestType, { readonly attribute: 'saleAndSharing' | 'sensitiveUse'; readonly value: string }>> = {
  OPT_OUT: { attribute: 'saleAndSharing', value: 'OPTED_OUT' },
  OPT_IN: { attribute: 'saleAndSharing', value: 'OPTED_IN' },
  LIMIT: { attribute: 'sensitiveUse', value: 'LIMITED' },
  UNLIMIT: { attribute: 'sensitiveUse', value: 'UNLIMITED' },
};

/** The key of a consent record. */
export function consentKey(tenant: string, pseudonym: string): { pk: { S: string }; sk: { S: string } } {
  return { pk: { S: `${tenant}#${pseudonym}` }, sk: { S: CONSENT_SORT_KEY } };
}

/** A consent record as stored. */
export interface ConsentRecord {
  readonly saleAndSharing?: 'OPTED_OUT' | 'OPTED_IN';
  readonly sensitiveUse?: 'LIMITED' | 'UNLIMITED';
  readonly linked?: string[];
  readonly [other: string]: unknown;
}

/** What an application may do with the consumer's personal information, from their consent record (none: no choice recorded). */
export function consentAnswer(record: ConsentRecord | undefined): { maySellOrShare: boolean; mayUseSensitivePIBeyondPermittedPurposes: boolean } {
  return {
    maySellOrShare: record?.saleAndSharing !== 'OPTED_OUT',
    mayUseSensitivePIBeyondPermittedPurposes: record?.sensitiveUse !== 'LIMITED',
  };
}

/** The outcome of applying a choice. */
export interface AppliedChoice {
  /** Consent records this request set (the consumer's id and every linked one). */
  readonly applied: number;
  /** Records where a later request's choice stands (left unchanged). */
  readonly superseded: number;
}

/**
 * Apply a choice request to the consent records of the consumer's id, the linked ids it names
 * and the ids already linked to any of them (one group per consumer): each record is set only if
 * no later request set it (`<choice>Version` compares receipt time, then request id), so applying
 * again (a retry) or out of order leaves the latest choice standing.
 */
export async function applyChoice(rt: Runtime, request: LedgerRequest): Promise<AppliedChoice> {
  const effect = CHOICE_EFFECTS[request.type];
  if (!effect) throw new Error(`${request.type} is not a choice request`);
  if (!rt.consentTable) throw new Error('the consent table is not configured (DSR_CONSENT_TABLE)');
  const own = [request.subjectId, ...(request.linkedSubjectIds ?? [])];
  const group = new Set(own);
  const got = await rt.ddb.send(new BatchGetItemCommand({
    RequestItems: { [rt.consentTable]: { Keys: own.map((p) => consentKey(request.tenant, p)), ConsistentRead: true, ProjectionExpression: 'linked' } },
  }));
  if (Object.keys(got.UnprocessedKeys ?? {}).length > 0) throw new Error('the consent records could not all be read (unprocessed keys): retry');
  for (const item of got.Responses?.[rt.consentTable] ?? []) {
    for (const p of (unmarshall(item) as ConsentRecord).linked ?? []) {
      if (group.size < MAX_LINKED_GROUP) group.add(p);
    }
  }
  const linked = [...group].sort();
  const version = `${request.receivedAt}#${request.requestId}`;
  const now = new Date().toISOString();
  let applied = 0;
  let superseded = 0;
  for (const pseudonym of linked) {
    try {
      await rt.ddb.send(new UpdateItemCommand({
        TableName: rt.consentTable,
        Key: consentKey(request.tenant, pseudonym),
        UpdateExpression: 'SET #a = :v, #ver = :ver, #req = :id, #at = :now, linked = :linked, tenant = :t',
        ConditionExpression: 'attribute_not_exists(#ver) OR #ver <= :ver',
        ExpressionAttributeNames: { '#a': effect.attribute, '#ver': `${effect.attribute}Version`, '#req': `${effect.attribute}RequestId`, '#at': `${effect.attribute}At` },
        ExpressionAttributeValues: {
          ':v': { S: effect.value },
          ':ver': { S: version },
          ':id': { S: request.requestId },
          ':now': { S: now },
          ':linked': { L: linked.map((p) => ({ S: p })) },
          ':t': { S: request.tenant },
        },
      }));
      applied++;
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      superseded++;
    }
  }
  return { applied, superseded };
}
