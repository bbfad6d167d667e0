import { Readable } from 'stream';
import { StringDecoder } from 'string_decoder';
import {
  AbortMultipartUploadCommand, CompletedPart, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Runtime } from './runtime';

/**
 * An access report written as it is assembled: an S3 multipart upload whose parts are flushed as
 * soon as 5 MiB are buffered (the S3 minimum for every part but the last), so the memory the
 * assembly needs is one part plus one chunk of a source, whatever the report's size. The report is
 * never held whole, neither as an object nor as a string.
 */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** The largest chunk read from a source object before it is written on (documents are streamed, not read whole). */
const CHUNK_BYTES = 256 * 1024;

export class MultipartReport {
  private uploadId?: string;
  private readonly parts: CompletedPart[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes written in all. */
  public bytes = 0;
  /** The size of each part uploaded, in order (every one but the last at least MIN_PART_BYTES). */
  public readonly partSizes: number[] = [];

  public constructor(
    private readonly rt: Runtime, private readonly bucket: string, private readonly key: string, private readonly contentType: string,
  ) {}

  public async start(): Promise<void> {
    const out = await this.rt.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ContentType: this.contentType }));
    if (!out.UploadId) throw new Error('S3 CreateMultipartUpload returned no UploadId');
    this.uploadId = out.UploadId;
  }

  /** Append text or bytes; a part is uploaded whenever MIN_PART_BYTES are buffered. */
  public async write(data: string | Buffer): Promise<void> {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (b.length === 0) return;
    this.chunks.push(b);
    this.buffered += b.length;
    this.bytes += b.length;
    if (this.buffered >= MIN_PART_BYTES) await this.flush();
  }

  /** Upload what is left as the last part and complete the upload. */
  public async complete(): Promise<void> {
    if (this.buffered > 0 || this.parts.length === 0) await this.flush();
    await this.rt.s3.send(new CompleteMultipartUploadCommand({
      Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts },
    }));
  }

  /** Abort the upload (its parts are discarded; the bucket's lifecycle aborts what an abort could not). */
  public async abort(): Promise<void> {
    if (!this.uploadId) return;
    await this.rt.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId })).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    const partNumber = this.parts.length + 1;
    const out = await this.rt.s3.send(new UploadPartCommand({
      Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length,
    }));
    this.parts.push({ ETag: out.ETag, PartNumber: partNumber });
    this.partSizes.push(body.length);
  }
}

/** The bytes of an S3 object's body, chunk by chunk (never read whole). */
async function* chunksOf(body: unknown): AsyncGenerator<Buffer> {
  for await (const chunk of body as Readable) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    for (let i = 0; i < b.length; i += CHUNK_BYTES) yield b.subarray(i, i + CHUNK_BYTES);
  }
}

/**
 * The records of an export part (one JSON record a line, see shared/manifest.ts), each line as
 * written (never parsed): the part is streamed, one line held at a time.
 */
export async function* partLines(rt: Runtime, key: string): AsyncGenerator<string> {
  const got = await rt.s3.send(new GetObjectCommand({ Bucket: rt.exportBucket, Key: key }));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunksOf(got.Body)) {
    rest += decoder.write(chunk);
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      const line = rest.slice(0, nl);
      if (line.length > 0) yield line;
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest;
}

/**
 * A document of an S3 store named by a part (`{"$object": {"bucket", "key", "prefix"}}`), written
 * into the report as a record: its key below the subject prefix, type, time and body, the body
 * streamed from S3 as JSON-escaped text (text types) or base64 (others), chunk by chunk. A
 * document deleted since the export listed it is written without a body (`deleted: true`).
 */
export async function writeDocument(rt: Runtime, out: MultipartReport, ref: { bucket: string; key: string; prefix: string }): Promise<void> {
  const relative = JSON.stringify(ref.key.slice(ref.prefix.length));
  const got = await rt.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key })).catch((e: Error) => {
    if (e.name === 'NoSuchKey' || e.name === 'NotFound') return undefined;
    throw e;
  });
  if (!got) {
    await out.write(`{"key":${relative},"deleted":true}`);
    return;
  }
  const type = got.ContentType ?? 'application/octet-stream';
  const text = /^(text\/|application\/(json|xml|csv))/.test(type);
  const lastModified = got.LastModified ? `,"lastModified":${JSON.stringify(got.LastModified.toISOString())}` : '';
  await out.write(`{"key":${relative},"contentType":${JSON.stringify(type)}${lastModified},"${text ? 'body' : 'bodyBase64'}":"`);
  if (text) {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of chunksOf(got.Body)) await out.write(JSON.stringify(decoder.write(chunk)).slice(1, -1));
    await out.write(JSON.stringify(decoder.end()).slice(1, -1));
  } else {
    // base64 in runs of whole 3-byte groups, so the pieces join into one valid encoding
    let carry = Buffer.alloc(0);
    for await (const chunk of chunksOf(got.Body)) {
      const all = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = all.length - (all.length % 3);
      await out.write(all.subarray(0, whole).toString('base64'));
      carry = Buffer.from(all.subarray(whole));
    }
    if (carry.length) await out.write(carry.toString('base64'));
  }
  await out.write('"}');
}
