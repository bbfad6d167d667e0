import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ACK_QUEUES_ENV, acknowledge, AcknowledgementMessage } from './shared/recipients';
import { runtime } from './shared/runtime';

/**
 * Acknowledgements (an SQS event source on each recipient's acknowledgement queue): the recipient
 * is the one whose queue the message arrived on (`eventSourceARN`, mapped by the construct), never
 * what the message says; each queue's policy admits only that recipient's role. A message that
 * cannot be processed (a throttled ledger) is returned as a batch item failure and retried by SQS,
 * then dead-lettered; a refused one (malformed, another recipient, no such notice) is dropped.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const rt = runtime();
  const queues = JSON.parse(process.env[ACK_QUEUES_ENV] ?? '{}') as Record<string, string>;
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records ?? []) {
    const recipientId = queues[record.eventSourceARN];
    if (!recipientId) {
      rt.logger.warn('dsr recipient acknowledgement refused', { reason: 'queue' });
      continue;
    }
    let message: AcknowledgementMessage;
    try {
      const parsed = JSON.parse(record.body) as unknown;
      message = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as AcknowledgementMessage : {};
    } catch {
      message = {};
    }
    try {
      await acknowledge(rt, recipientId, message);
    } catch (e) {
      rt.logger.error('dsr recipient acknowledgement failed', { recipient: recipientId, error: (e as Error).name });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
