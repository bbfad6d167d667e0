/**
 * The local stand-ins themselves: s3rver answers a listing of more than 1,000 keys (a truncated
 * page and its continuation token) on OpenSSL 3, keys with `#` and `:` included, as the audit
 * records are named.
 */
import { randomUUID } from 'crypto';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3rver } from './local/stand-ins';

test('GIVEN 1,050 audit-like keys in s3rver WHEN listed THEN every key comes back once, over two pages, and single DES is gone again after close', async () => {
  const s3rver = await startS3rver(['audit']);
  const s3 = new S3Client({
    region: 'us-east-1', endpoint: s3rver.url, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    const keys = Array.from({ length: 1_050 }, (_, i) => `records/replays/r-${i % 3}/${new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString()}#${randomUUID()}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: 'audit', Key, Body: '{}' }))));
    }
    const listed: string[] = [];
    const pages: number[] = [];
    let token: string | undefined;
    do {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'audit', Prefix: 'records/', ContinuationToken: token }));
      listed.push(...(out.Contents ?? []).map((o) => o.Key!));
      pages.push(out.KeyCount ?? 0);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    expect(pages).toEqual([1_000, 50]);
    expect(listed.sort()).toEqual([...keys].sort());
  } finally {
    s3.destroy();
    await s3rver.close();
  }
  // the stand-in's single DES was for s3rver only: OpenSSL 3 refuses it again
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeCrypto: typeof import('crypto') = require('crypto');
  expect(() => nodeCrypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8))).toThrow();
}, 120_000);
