import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Runtime } from './runtime';

/**
 * Page cursors (S3 markers, DynamoDB LastEvaluatedKey) embed object keys and subject index keys,
 * i.e. the identifier. They are kept in the request ledger (encrypted with a PrivacyKey) between
 * invocations, so the state machine's payload and execution history only carry `cursor: "ledger"`.
 */
export const LEDGER_CURSOR = 'ledger';

function key(requestId: string, store: string) {
  return { pk: { S: `REQUEST#${requestId}` }, sk: { S: `CURSOR#${store}` } };
}

export async function saveCursor(rt: Runtime, requestId: string, store: string, cursor: unknown): Promise<string> {
  await rt.ddb.send(new PutItemCommand({
    TableName: rt.ledgerTable,
    Item: { ...key(requestId, store), cursor: { S: JSON.stringify(cursor) } },
  }));
  return LEDGER_CURSOR;
}

export async function loadCursor<T>(rt: Runtime, requestId: string, store: string, marker: string | null | undefined): Promise<T | undefined> {
  if (marker !== LEDGER_CURSOR) return undefined;
  const out = await rt.ddb.send(new GetItemCommand({ TableName: rt.ledgerTable, Key: key(requestId, store), ConsistentRead: true }));
  const raw = out.Item?.cursor?.S;
  return raw ? JSON.parse(raw) as T : undefined;
}

export async function clearCursor(rt: Runtime, requestId: string, store: string): Promise<void> {
  await rt.ddb.send(new DeleteItemCommand({ TableName: rt.ledgerTable, Key: key(requestId, store) }));
}
