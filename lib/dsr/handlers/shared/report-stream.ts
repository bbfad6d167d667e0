import { Readable } from 'stream';
import { StringDecoder } from 'string_decoder';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import {
  AbortMultipartUploadCommand, CompletedPart, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectsCommand, GetObjectCommand,
  ListMultipartUploadsCommand, ListObjectVersionsCommand, ObjectIdentifier, UploadPartCommand,
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

/** The base64 alphabet, as bytes. */
const B64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

export class MultipartReport {
  private uploadId?: string;
  private readonly parts: CompletedPart[] = [];
  /**
   * The one part buffer, allocated once and reused for every part: text is encoded straight into
   * it and it is uploaded when full, so no buffer is allocated per write or per part (garbage that
   * V8 collects late would make the peak grow with the report).
   */
  private part?: Buffer;
  private used = 0;
  /** Bytes written in all. */
  public bytes = 0;
  /** The size of each part uploaded, in order (every one but the last exactly MIN_PART_BYTES). */
  public readonly partSizes: number[] = [];

  public constructor(
    private readonly rt: Runtime, private readonly bucket: string, private readonly key: string, private readonly contentType: string,
  ) {}

  public async start(): Promise<void> {
    const out = await this.rt.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ContentType: this.contentType }));
    if (!out.UploadId) throw new Error('S3 CreateMultipartUpload returned no UploadId');
    this.uploadId = out.UploadId;
  }

  /** Append text (UTF-8) or bytes; a part is uploaded whenever MIN_PART_BYTES are buffered. */
  public async write(data: string | Buffer): Promise<void> {
    if (data.length === 0) return;
    const part = (this.part ??= Buffer.allocUnsafeSlow(MIN_PART_BYTES));
    if (typeof data === 'string') {
      const size = Buffer.byteLength(data, 'utf8');
      if (size <= part.length - this.used) {
        this.used += part.write(data, this.used, 'utf8');
        this.bytes += size;
        if (this.used === part.length) await this.flush();
        return;
      }
      // across a part boundary (at most once a part): the bytes, then split
      data = Buffer.from(data, 'utf8');
    }
    for (let at = 0; at < data.length;) {
      const n = data.copy(part, this.used, at, Math.min(data.length, at + part.length - this.used));
      at += n;
      this.used += n;
      this.bytes += n;
      if (this.used === part.length) await this.flush();
    }
  }

  /**
   * Append the base64 encoding of `bytes` (whose length must be a multiple of 3 unless it is the
   * last run of a document), encoded straight into the part buffer: no string is built.
   */
  public async writeBase64(bytes: Buffer): Promise<void> {
    const whole = bytes.length - (bytes.length % 3);
    for (let i = 0; i < whole;) {
      const part = (this.part ??= Buffer.allocUnsafeSlow(MIN_PART_BYTES));
      // the whole groups that fit in what is left of this part
      const end = Math.min(whole, i + Math.floor((part.length - this.used) / 4) * 3);
      let o = this.used;
      /* eslint-disable no-bitwise -- base64: 3 bytes as 4 sextets */
      for (; i < end; i += 3) {
        const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        part[o++] = B64[n >>> 18];
        part[o++] = B64[(n >>> 12) & 63];
        part[o++] = B64[(n >>> 6) & 63];
        part[o++] = B64[n & 63];
      }
      /* eslint-enable no-bitwise */
      this.bytes += o - this.used;
      this.used = o;
      if (part.length - this.used < 4) {
        if (this.used === part.length) {
          await this.flush();
        } else if (i < whole) {
          // 1 to 3 bytes left in this part: the next group is written across the boundary
          await this.write(bytes.subarray(i, i + 3).toString('base64'));
          i += 3;
        }
      }
    }
    if (whole < bytes.length) await this.write(bytes.subarray(whole).toString('base64'));
  }

  /** Upload what is left as the last part and complete the upload. */
  public async complete(): Promise<void> {
    if (this.used > 0 || this.parts.length === 0) await this.flush();
    await this.rt.s3.send(new CompleteMultipartUploadCommand({
      Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts },
    }));
    this.part = undefined;
  }

  /**
   * Abort the upload (its parts are discarded). An abort that fails (or a run that ends before it
   * can abort: a timeout) leaves the upload to the next run's abortUploads, and to the bucket's
   * lifecycle rule (AbortIncompleteMultipartUpload).
   */
  public async abort(): Promise<void> {
    this.part = undefined;
    if (!this.uploadId) return;
    await this.rt.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId })).catch(() => undefined);
  }

  /** Upload the part buffer (one part in flight; the buffer is reused once S3 has answered). */
  private async flush(): Promise<void> {
    const body = (this.part ?? Buffer.alloc(0)).subarray(0, this.used);
    const partNumber = this.parts.length + 1;
    const out = await this.rt.s3.send(new UploadPartCommand({
      Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length,
    }));
    this.parts.push({ ETag: out.ETag, PartNumber: partNumber });
    this.partSizes.push(body.length);
    this.used = 0;
    releaseChunks();
  }
}

type Collect = (options: { type: 'minor' | 'major' }) => void;
let collect: Collect | null | undefined;

/**
 * Free the source chunks read for the part just uploaded. Every chunk a socket reads is a buffer of
 * its own outside the JS heap; V8 frees those only when a young-generation collection finds them
 * dead, and starts one late when little JS is allocated (up to about 32 MB of dead chunks), so
 * the peak would grow with the report up to that. A young-generation collection per part (about
 * 1 ms per 5 MiB) keeps it at one part's chunks. Where collections cannot be asked for, V8's own
 * schedule applies (memory stays bounded, a little higher).
 */
function releaseChunks(): void {
  if (collect === undefined) {
    collect = null;
    try {
      const exposed = (globalThis as { gc?: Collect }).gc;
      if (typeof exposed === 'function') {
        collect = exposed;
      } else {
        // the collector of a new context, exposed for this one call only (the Lambda's own process)
        setFlagsFromString('--expose-gc');
        collect = runInNewContext('gc') as Collect;
        setFlagsFromString('--no-expose-gc');
      }
    } catch {
      collect = null;
    }
  }
  collect?.({ type: 'minor' });
}

/** The bytes of an S3 object's body, chunk by chunk (never read whole). */
async function* chunksOf(body: unknown): AsyncGenerator<Buffer> {
  for await (const chunk of body as Readable) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    for (let i = 0; i < b.length; i += CHUNK_BYTES) yield b.subarray(i, i + CHUNK_BYTES);
  }
}

/**
 * The records of an export part (one JSON record a line, see shared/manifest.ts), each line's
 * bytes as written (never decoded or parsed): the part is streamed, one line held at a time (a
 * line split across chunks is joined; every other line is a view of its chunk).
 */
export async function* partLines(rt: Runtime, key: string): AsyncGenerator<Buffer> {
  const got = await rt.s3.send(new GetObjectCommand({ Bucket: rt.exportBucket, Key: key }));
  let pending: Buffer[] = [];
  for await (const chunk of chunksOf(got.Body)) {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
      const line = pending.length ? Buffer.concat([...pending, chunk.subarray(from, nl)]) : chunk.subarray(from, nl);
      pending = [];
      if (line.length > 0) yield line;
      from = nl + 1;
    }
    // kept as a copy: the source may reuse its chunk
    if (from < chunk.length) pending.push(Buffer.from(chunk.subarray(from)));
  }
  if (pending.length) yield Buffer.concat(pending);
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
    // (the 0-2 bytes left over from a chunk are completed from the next; no chunk is copied)
    const carry = Buffer.alloc(3);
    let carried = 0;
    for await (const chunk of chunksOf(got.Body)) {
      let at = 0;
      if (carried > 0) {
        at = chunk.copy(carry, carried, 0, 3 - carried);
        carried += at;
        if (carried < 3) continue;
        await out.writeBase64(carry);
        carried = 0;
      }
      const whole = at + Math.floor((chunk.length - at) / 3) * 3;
      await out.writeBase64(chunk.subarray(at, whole));
      carried = chunk.copy(carry, 0, whole);
    }
    if (carried > 0) await out.writeBase64(carry.subarray(0, carried));
  }
  await out.write('"}');
}

/**
 * Abort every multipart upload under `prefix` (a request's exports): the uploads of earlier runs
 * that failed without aborting (an abort refused, a timeout). Called before a run starts its own,
 * so all it finds are leftovers. Returns how many were aborted.
 */
export async function abortUploads(rt: Runtime, bucket: string, prefix: string): Promise<number> {
  let aborted = 0;
  let marker: { KeyMarker?: string; UploadIdMarker?: string } = {};
  for (;;) {
    const out = await rt.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, ...marker }));
    for (const u of out.Uploads ?? []) {
      await rt.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId })).catch((e: Error) => {
        if (e.name !== 'NoSuchUpload') throw e;
      });
      aborted++;
    }
    if (!out.IsTruncated) return aborted;
    marker = { KeyMarker: out.NextKeyMarker, UploadIdMarker: out.NextUploadIdMarker };
  }
}

/**
 * Delete every version of the export parts under `prefix` (`<request>/parts/<attempt>/...`) whose
 * attempt is not in `keep`: the parts of earlier export attempts, which no report reads (the
 * manifest names the attempt each store finished with). Returns the versions deleted.
 */
export async function deleteOtherAttempts(rt: Runtime, bucket: string, prefix: string, keep: ReadonlySet<string>): Promise<number> {
  let deleted = 0;
  let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const out = await rt.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...marker }));
    const stale: ObjectIdentifier[] = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])]
      .filter((v) => v.Key !== undefined && !keep.has(v.Key.slice(prefix.length).split('/')[0]))
      .map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (stale.length > 0) {
      const res = await rt.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale, Quiet: true } }));
      if ((res.Errors ?? []).length > 0) throw new Error(`S3 could not delete ${res.Errors!.length} parts of earlier export attempts`);
      deleted += stale.length;
    }
    if (!out.IsTruncated) return deleted;
    marker = { KeyMarker: out.NextKeyMarker, VersionIdMarker: out.NextVersionIdMarker };
  }
}
