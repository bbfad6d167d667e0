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
  /**
   * RECEIVED (recorded, execution started), IN_PROGRESS (Intake ran), AWAITING_RECIPIENTS (its own
   * work is done, its recipients have not all acknowledged their notices), COMPLETED, FAILED.
   */
  readonly status: 'RECEIVED' | 'IN_PROGRESS' | 'AWAITING_RECIPIENTS' | 'COMPLETED' | 'FAILED';
  readonly receivedAt: string;
  /** When the Requests function recorded the request (absent on items written before this field existed). */
  readonly recordedAt?: string;
  /** Know, delete, correct: when receipt was confirmed; none for OPT_OUT and LIMIT (no confirmation step). */
  readonly confirmedAt?: string;
  /** Know, delete, correct: confirm receipt by (10 business days); none for OPT_OUT and LIMIT. */
  readonly confirmBy?: string;
  readonly dueBy: string;
  readonly extendedDueBy: string;
  /** Executions Intake has run for this request. */
  readonly attempts: number;
  /** Executions the Requests function has started (the current one is `executionName(requestId, executions)`). */
  readonly executions?: number;
  /** When the one 45-day extension was recorded (11 CCR 7021(b)), and why (the reason given in the consumer's notice). */
  readonly extendedAt?: string;
  readonly extensionReason?: string;
  /** ACCESS: the report's key in the export bucket. */
  readonly exportKey?: string;
  readonly exportUrl?: string;
  readonly exportUrlExpiresAt?: string;
  readonly corrections?: Record<string, string | number | boolean | null>;
  readonly completedAt?: string;
  /** Choice requests: the pseudonyms of the linked ids the request named (never the ids). */
  readonly linkedSubjectIds?: string[];
  /** Choice requests: when the choice was applied to the consent records (what "honored" means). */
  readonly honoredAt?: string;
  /** The caller's request id, when the workflow keeps the request under a tenant-scoped id (another tenant used the id first). */
  readonly clientRequestId?: string;
  /** `GPC`: recorded from an opt-out preference signal. */
  readonly source?: string;
  /** CORRECT: the outcome per store (a JSON CorrectionOutcome: attribute names, counts and reasons, no values). */
  readonly correctionOutcome?: string;
}

/** The request of this id in the ledger (a consistent read), or undefined when there is none. */
export async function findRequest(rt: Runtime, requestId: string): Promise<LedgerRequest | undefined> {
  const out = await rt.ddb.send(new GetItemCommand({ TableName: rt.ledgerTable, Key: requestKey(requestId), ConsistentRead: true }));
  return out.Item ? (unmarshall(out.Item) as LedgerRequest) : undefined;
}

/** The request of this id in the ledger; DsrInvalidRequestError when there is none. */
export async function loadRequest(rt: Runtime, requestId: string): Promise<LedgerRequest> {
  const request = await findRequest(rt, requestId);
  if (!request) throw new DsrInvalidRequestError('the request is not in the ledger: submit requests through the workflow\'s Requests function');
  return request;
}
