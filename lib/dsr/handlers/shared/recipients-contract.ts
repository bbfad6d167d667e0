/**
 * The recipients' contract between the DsrWorkflow construct and its handlers: names, constants and
 * the configuration the construct writes. No run-time import, so the construct side loads no AWS SDK
 * (shared/recipients.ts, the handlers' side, re-exports it).
 */

/** The environment variable with the recipients (JSON RecipientConfig[]): Finalize, the deadline check and the recipient functions. */
export const RECIPIENTS_ENV = 'DSR_RECIPIENTS';
/** The acknowledgement function's map of queue ARN -> recipient id (JSON). */
export const ACK_QUEUES_ENV = 'DSR_ACK_QUEUES';
/** The detail type of a notice on the workflow's event bus (a rule per recipient routes it). */
export const NOTICE_DETAIL_TYPE = 'DSR Recipient Notice';
/** The format of a notice's detail. */
export const NOTICE_FORMAT = 'cdk-ccpa/dsr-recipient-notice@1';
/** The partition of the items that list the requests waiting for acknowledgements. */
export const WAITING_PK = 'RECIPIENTS#WAITING';
/** The status of a request whose own work is done and that waits for its recipients' acknowledgements. */
export const AWAITING_RECIPIENTS = 'AWAITING_RECIPIENTS';
/** The encryption context keys of a raw identifier in a notice (PrivacyRecipient.grantDecryptIdentifier checks them). */
export const CONTEXT_REQUEST = 'requestId';
export const CONTEXT_RECIPIENT = 'recipient';
/** The first re-send waits this long; each next one twice as long, at most MAX_RESEND_SECONDS. */
export const FIRST_RESEND_SECONDS = 15 * 60;
export const MAX_RESEND_SECONDS = 12 * 3600;

export type RecipientRoleName = 'service-provider' | 'contractor' | 'third-party';

/** One recipient as the handlers see it (written by the construct; Finalize and the deadline check get `id`, `role` and `timeoutSeconds` only). */
export interface RecipientConfig {
  readonly id: string;
  readonly role: RecipientRoleName;
  readonly timeoutSeconds: number;
  readonly name?: string;
  readonly contract?: string;
  readonly categories?: string[];
  /** needsRawIdentifier: the key the identifier is encrypted under. */
  readonly keyArn?: string;
  /** The URL of the recipient's acknowledgement queue. */
  readonly ackQueueUrl?: string;
}
