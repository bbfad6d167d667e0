import { NoticeLoopState, noticeTurn, tryComplete } from './shared/recipients';
import { runtime } from './shared/runtime';

/** The input of the Recipients function: one turn of a recipient's notice loop, or the settlement after every loop ended. */
export type RecipientsInput = (NoticeLoopState & { readonly action?: 'NOTIFY' }) | { readonly action: 'SETTLE'; readonly requestId: string };

export interface SettleResult {
  readonly requestId: string;
  /** COMPLETED once every recipient acknowledged; AWAITING_RECIPIENTS while one has not (an acknowledgement completes it later). */
  readonly status: string;
}

/**
 * Recipients (invoked by the request state machine after Finalize recorded AWAITING_RECIPIENTS):
 * NOTIFY sends one recipient its notice of the request (again, with backoff, until it acknowledges
 * or its acknowledgement timeout passes: shared/recipients.ts), SETTLE completes the request when
 * every recipient acknowledged. The only function that reads the raw identifier for a notice, and
 * only to encrypt it for a recipient whose contract needs it.
 */
export async function handler(input: RecipientsInput): Promise<NoticeLoopState | SettleResult> {
  const rt = runtime();
  if (input.action === 'SETTLE') {
    return { requestId: input.requestId, status: await tryComplete(rt, input.requestId) };
  }
  // the first turn names the action; the next ones get the previous turn's answer (no action)
  return noticeTurn(rt, input);
}
