/**
 * shared/report-stream.ts on its own: the one reused part buffer, base64 encoded straight into it
 * across part boundaries, JSON-escaped text, and export-part lines split anywhere by the source.
 */
import { randomBytes } from 'crypto';
import { Readable } from 'stream';
import { MIN_PART_BYTES, MultipartReport, partLines, writeDocument } from '../../../../lib/dsr/handlers/shared/report-stream';
import { Runtime } from '../../../../lib/dsr/handlers/shared/runtime';

interface FakeS3 {
  readonly rt: Runtime;
  /** The bodies of UploadPart, copied when sent (as a socket would), by part number. */
  readonly parts: Map<number, Buffer>;
  readonly completed: Array<{ PartNumber?: number }>;
  readonly aborted: string[];
}

/** An S3 client that answers the multipart calls and GetObject with `objects`, each body in the given chunks. */
function fakeS3(objects: Record<string, { chunks: Buffer[]; contentType?: string }> = {}): FakeS3 {
  const parts = new Map<number, Buffer>();
  const completed: Array<{ PartNumber?: number }> = [];
  const aborted: string[] = [];
  const send = async (command: { constructor: { name: string }; input: any }): Promise<any> => {
    switch (command.constructor.name) {
      case 'CreateMultipartUploadCommand': return { UploadId: 'u1' };
      case 'UploadPartCommand':
        parts.set(command.input.PartNumber, Buffer.from(command.input.Body));
        return { ETag: `"e${command.input.PartNumber}"` };
      case 'CompleteMultipartUploadCommand': completed.push(...command.input.MultipartUpload.Parts); return {};
      case 'AbortMultipartUploadCommand': aborted.push(command.input.UploadId); return {};
      case 'GetObjectCommand': {
        const o = objects[command.input.Key];
        if (!o) throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
        return { Body: Readable.from(o.chunks), ContentType: o.contentType };
      }
      default: throw new Error(`unexpected ${command.constructor.name}`);
    }
  };
  return { rt: { s3: { send }, exportBucket: 'exports' } as unknown as Runtime, parts, completed, aborted };
}

function joined(s3: FakeS3): string {
  return Buffer.concat([...s3.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b)).toString('utf8');
}

/** `bytes` cut at random places (sizes 1 to 70,000), with 1- and 2-byte pieces among them. */
function cut(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = k % 7 === 0 ? 1 + (k % 2) : 1 + Math.floor(Math.random() * 70_000);
    chunks.push(Buffer.from(bytes.subarray(i, i + n)));
    i += n;
  }
  return chunks;
}

describe('MultipartReport', () => {
  test.each([0, 1, 2, 3, 5])('GIVEN %d bytes of text before a 12 MB binary document cut anywhere WHEN written THEN every part but the last is exactly 5 MiB and the base64 decodes to the bytes', async (lead) => {
    const doc = randomBytes(12 * 1024 * 1024 + 2);
    const s3 = fakeS3({ 'd/x.bin': { chunks: cut(doc), contentType: 'application/octet-stream' } });
    const out = new MultipartReport(s3.rt, 'exports', 'r.json', 'application/json');
    await out.start();
    await out.write(`[${'y'.repeat(lead)}`);
    await writeDocument(s3.rt, out, { bucket: 'b', key: 'd/x.bin', prefix: 'd/' });
    await out.write(']');
    await out.complete();
    const text = joined(s3);
    const parsed = JSON.parse(text.slice(0, 1) + text.slice(1 + lead));
    expect(parsed[0].key).toBe('x.bin');
    expect(Buffer.from(parsed[0].bodyBase64, 'base64').equals(doc)).toBe(true);
    expect(parsed[0].bodyBase64).toBe(doc.toString('base64'));
    const sizes = [...s3.parts.values()].map((b) => b.length);
    expect(sizes.slice(0, -1).every((n) => n === MIN_PART_BYTES)).toBe(true);
    expect(out.partSizes).toEqual(sizes);
    expect(out.bytes).toBe(Buffer.byteLength(text));
    expect(s3.completed.map((p) => p.PartNumber)).toEqual(sizes.map((_, i) => i + 1));
  });

  test('GIVEN text with quotes, controls and multi-byte characters split anywhere WHEN written THEN the report holds it exactly', async () => {
    const note = `"a"\\b\n\t\u0001 \u00e9\u4e2d\ud83d\ude00 ${'\u00e9'.repeat(3_000_000)}`;
    const s3 = fakeS3({ 'd/n.txt': { chunks: cut(Buffer.from(note, 'utf8')), contentType: 'text/plain' } });
    const out = new MultipartReport(s3.rt, 'exports', 'r.json', 'application/json');
    await out.start();
    await out.write('[');
    await writeDocument(s3.rt, out, { bucket: 'b', key: 'd/n.txt', prefix: 'd/' });
    await out.write(']');
    await out.complete();
    expect(JSON.parse(joined(s3))[0].body).toBe(note);
    expect(s3.parts.size).toBeGreaterThan(1);
  });

  test('GIVEN a string that crosses a part boundary WHEN written THEN no byte is lost or repeated', async () => {
    const s3 = fakeS3();
    const out = new MultipartReport(s3.rt, 'exports', 'r.json', 'application/json');
    await out.start();
    const big = '\u4e2d'.repeat(Math.ceil(MIN_PART_BYTES / 3) + 7); // 3 bytes each: a character straddles the boundary
    await out.write('"');
    await out.write(big);
    await out.write(Buffer.from('"'));
    await out.complete();
    expect(JSON.parse(joined(s3))).toBe(big);
    expect(s3.parts.get(1)!.length).toBe(MIN_PART_BYTES);
  });

  test('GIVEN nothing written WHEN completed THEN one empty part is uploaded (S3 needs one)', async () => {
    const s3 = fakeS3();
    const out = new MultipartReport(s3.rt, 'exports', 'r.json', 'application/json');
    await out.start();
    await out.complete();
    expect(s3.completed).toEqual([{ ETag: '"e1"', PartNumber: 1 }]);
  });
});

describe('partLines', () => {
  test('GIVEN lines cut anywhere, multi-byte characters split, no final newline WHEN read THEN each line comes once, byte for byte', async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ i, v: '\u00e9\u4e2d\ud83d\ude00'.repeat(i % 50) }));
    const text = `${lines.join('\n')}\n\n${lines[0]}`;
    const s3 = fakeS3({ part: { chunks: cut(Buffer.from(text, 'utf8')) } });
    const got: string[] = [];
    for await (const line of partLines(s3.rt, 'part')) got.push(line.toString('utf8'));
    expect(got).toEqual([...lines, lines[0]]);
  });
});
