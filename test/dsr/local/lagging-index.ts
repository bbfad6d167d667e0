import * as http from 'http';
import { AddressInfo } from 'net';

type Item = Record<string, Record<string, unknown>>;

/**
 * A DynamoDB proxy whose global secondary index lags the base table by `lagMs`, as a GSI does
 * (updates reach it asynchronously): for `lagMs` after a write the index does not yet show the
 * new item, and for `lagMs` after a delete it still shows the deleted item's keys. Base-table
 * reads (GetItem, consistent Query) are not affected. Writes must pass through the proxy for it
 * to see them (the handlers' and the test's "application" client).
 */
export class LaggingIndexProxy {
  public lagMs = 0;
  /** Stale index entries answered (deleted items shown) and hidden fresh ones, for the test's assertions. */
  public staleAnswered = 0;
  public hiddenAnswered = 0;
  /** Runs before a request is forwarded (e.g. the application writes between a handler's read and its update). */
  public beforeForward?: (operation: string, body: any) => Promise<void>;
  private readonly seen = new Map<string, { item: Item; value: string }>();
  private readonly writtenAt = new Map<string, number>();
  private readonly deletedAt = new Map<string, number>();
  private server?: http.Server;
  public url = '';

  constructor(
    private readonly target: string, private readonly index: string,
    private readonly subjectAttribute: string, private readonly keyAttributes: string[],
  ) {}

  public async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  public reset(): void {
    this.lagMs = 0;
    this.staleAnswered = 0;
    this.hiddenAnswered = 0;
    this.beforeForward = undefined;
    this.writtenAt.clear();
    this.deletedAt.clear();
  }

  public close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
  }

  private keyOf(item: Item): string {
    return JSON.stringify(this.keyAttributes.map((a) => item[a]));
  }

  private record(op: string, body: any): void {
    const now = Date.now();
    const put = (item: Item) => {
      const k = this.keyOf(item);
      this.writtenAt.set(k, now);
      this.deletedAt.delete(k);
      const v = item[this.subjectAttribute]?.S;
      if (typeof v === 'string') this.seen.set(k, { item: Object.fromEntries([...this.keyAttributes, this.subjectAttribute].map((a) => [a, item[a]])), value: v });
    };
    const del = (key: Item) => {
      const k = this.keyOf(key);
      this.deletedAt.set(k, now);
      this.writtenAt.delete(k);
    };
    if (op === 'PutItem') put(body.Item);
    if (op === 'DeleteItem') del(body.Key);
    if (op === 'BatchWriteItem') {
      for (const requests of Object.values<any[]>(body.RequestItems ?? {})) {
        for (const r of requests) {
          if (r.PutRequest) put(r.PutRequest.Item);
          if (r.DeleteRequest) del(r.DeleteRequest.Key);
        }
      }
    }
  }

  /** The index's view of a Query answer: fresh writes hidden, recently deleted items still listed. */
  private lagged(body: any, answer: any): any {
    const value = Object.values<any>(body.ExpressionAttributeValues ?? {}).find((v) => typeof v.S === 'string')?.S;
    const now = Date.now();
    const items: Item[] = (answer.Items ?? []).filter((item: Item) => {
      const at = this.writtenAt.get(this.keyOf(item));
      const hidden = at !== undefined && now - at < this.lagMs;
      if (hidden) this.hiddenAnswered++;
      return !hidden;
    });
    for (const item of items) this.seen.set(this.keyOf(item), { item, value: item[this.subjectAttribute]?.S as string });
    if (!answer.LastEvaluatedKey) {
      const listed = new Set(items.map((i) => this.keyOf(i)));
      for (const [k, at] of this.deletedAt) {
        const known = this.seen.get(k);
        if (now - at >= this.lagMs || !known || known.value !== value || listed.has(k)) continue;
        if (body.Limit !== undefined && items.length >= body.Limit) break;
        items.push(known.item);
        this.staleAnswered++;
      }
    }
    return { ...answer, Items: items, Count: items.length, ScannedCount: items.length };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      let body: any = {};
      try {
        body = JSON.parse(raw.toString('utf8') || '{}');
      } catch {
        body = {};
      }
      void (this.beforeForward?.(op, body) ?? Promise.resolve()).then(() => this.forward(req, res, op, body, raw));
    });
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, op: string, body: any, raw: Buffer): void {
    {
      const url = new URL(req.url ?? '/', this.target);
      const upstream = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          let payload = Buffer.concat(out);
          if (up.statusCode === 200) {
            this.record(op, body);
            if (op === 'Query' && body.IndexName === this.index) {
              payload = Buffer.from(JSON.stringify(this.lagged(body, JSON.parse(payload.toString('utf8')))));
            }
          }
          const h: Record<string, string | string[] | undefined> = { ...up.headers, 'content-length': String(payload.length) };
          delete h['x-amz-crc32'];
          delete h['transfer-encoding'];
          res.writeHead(up.statusCode ?? 500, h);
          res.end(payload);
        });
      });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      upstream.end(raw);
    }
  }
}
