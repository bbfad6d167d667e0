import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DsrInvalidRequestError, RequestType } from './model';
import { requestKey, Runtime } from './runtime';

/** A request as recorded in the ledger (the only place the raw identifier is kept). */
export interface LedgerRequest {
  readonly requestId: string;
  readonly type: RequestType;
  readonly tenant: string;
  readonly subject: string;
  readonly subjectId: string;
  readonly status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly receivedAt: string;
  readonly confirmBy: string;
  readonly dueBy: string;
  readonly extendedDueBy: string;
  readonly attempts: number;
  readonly corrections?: Record<string, string | number | boolean | null>;
  readonly completedAt?: string;
}

export async function loadRequest(rt: Runtime, requestId: string): Promise<LedgerRequest> {
  const out = await rt.ddb.send(new GetItemCommand({ TableName: rt.ledgerTable, Key: requestKey(requestId), ConsistentRead: true }));
  if (!out.Item) throw new DsrInvalidRequestError('the request is not in the ledger');
  return unmarshall(out.Item) as LedgerRequest;
}
