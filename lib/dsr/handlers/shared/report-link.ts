import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { LedgerRequest } from './request';
import type { Runtime } from './runtime';

/**
 * A fresh link to a completed ACCESS request's report while the report exists (the export bucket
 * expires it after its retention): a presigned GetObject valid for `exportLinkSeconds` from now
 * (and no longer than the signing role's session). Undefined when there is no report (any more).
 */
export async function currentReportLink(rt: Runtime, request: LedgerRequest): Promise<{ url: string; expiresAt: string } | undefined> {
  if (request.type !== 'ACCESS' || request.status !== 'COMPLETED' || !request.exportKey) return undefined;
  try {
    await rt.s3.send(new HeadObjectCommand({ Bucket: rt.exportBucket, Key: request.exportKey }));
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'NotFound' || name === 'NoSuchKey' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
  const get = new GetObjectCommand({ Bucket: rt.exportBucket, Key: request.exportKey });
  const url = await getSignedUrl(rt.s3, get, { expiresIn: rt.exportLinkSeconds });
  return { url, expiresAt: new Date(Date.now() + rt.exportLinkSeconds * 1000).toISOString() };
}
