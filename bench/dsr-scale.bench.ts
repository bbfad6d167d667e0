/**
 * DsrWorkflow at scale (issue 14), side by side in one run on the local stand-ins: ratios and
 * counts, not times.
 *
 * - ACCESS of 5,000 items: requests to the table against the lower bound ⌈n/100⌉ BatchGetItem + Query pages.
 * - Finalize's peak memory (peak RSS, VmHWM, of a process that runs the bundled Finalize alone
 *   against the stand-ins in this process) for a 1 MB and a 200 MB report: the ratio must stay
 *   within 1.2.
 * - History events of one execution: measured per StoreStep invocation on two DELETE sizes and
 *   computed for a subject of 1,000,000 items with the default page sizes.
 * - Replay: a real chain of executions over 300 tombstones with the default page sizes; events of
 *   the largest execution, and the computed chain for 10,000 tombstones.
 *
 *   npx projen bundle && npx projen bench:dsr-scale
 */
import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import * as path from 'path';
import { promisify } from 'util';
import { AttributeValue, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DEFAULT_DYNAMO_PAGE_SIZE, DEFAULT_MAX_PAGES_PER_INVOCATION, DEFAULT_REPLAY_PAGE_SIZE, DEFAULT_REPLAY_PAGES_PER_EXECUTION,
} from '../lib/dsr/handlers/shared/config';
import { shardedIndexValue } from '../lib/dsr/handlers/shared/model';
import { LocalDsr } from '../test/dsr/local/environment';

const HISTORY_LIMIT = 25_000;
const rows: string[][] = [];
let failed = false;

function row(what: string, measured: string, bound: string, ok: boolean): void {
  rows.push([what, measured, bound, ok ? 'ok' : 'FAIL']);
  console.log(`| ${rows[rows.length - 1].join(' | ')} |`);
  failed ||= !ok;
}

async function access(env: LocalDsr): Promise<void> {
  const n = 5_000;
  await env.seedSubject('acme', 'erin@example.com', n, 0);
  env.ddbProxy.reset();
  let table = 0;
  env.ddbProxy.inject({
    operation: '*',
    kind: 'throttle',
    times: Number.MAX_SAFE_INTEGER,
    match: (body) => {
      if (body.includes(`"${env.tables.customers}"`)) table++;
      return false;
    },
  });
  const run = await env.run({ requestId: 'bench-access-5000', type: 'ACCESS', tenant: 'acme', subject: 'erin@example.com' });
  if (run.status !== 'SUCCEEDED') throw new Error('ACCESS of 5,000 items failed');
  const bound = Math.ceil(n / 100) + Math.ceil(n / DEFAULT_DYNAMO_PAGE_SIZE) + 1;
  row('ACCESS 5,000 items: table requests / lower bound', `${table} / ${bound} = ${(table / bound).toFixed(2)}x (BatchGetItem ${env.ddbProxy.counts.BatchGetItem ?? 0})`, '<= 1.2x', table <= 1.2 * bound);
  env.reset();
}

/**
 * Run the bundled Finalize in a process of its own (the stand-ins it calls run in this one, so
 * their memory is not counted) and return its peak resident set (MB): VmHWM of /proc/self/status,
 * the high-water mark of the process's own address space since exec. Not ru_maxrss
 * (process.resourceUsage().maxRSS): on Linux that also counts the pages of this process the
 * child had between fork and exec.
 */
async function finalizeRss(input: unknown): Promise<number> {
  const asset = path.join(__dirname, '..', 'assets', 'lib', 'dsr', 'handlers', 'finalize.lambda', 'index.js');
  const script = `const { handler } = require(${JSON.stringify(asset)});
handler(JSON.parse(process.env.BENCH_INPUT)).then(() => {
  const hwm = /^VmHWM:\\s+(\\d+) kB$/m.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
  if (!hwm) throw new Error('no VmHWM in /proc/self/status (Linux only)');
  console.log(JSON.stringify({ peakRss: Number(hwm[1]) / 1024 }));
}, (e) => { console.error(e); process.exit(1); });`;
  // asynchronously: the stand-ins it calls run in this process
  const env = { ...process.env, BENCH_INPUT: JSON.stringify(input) };
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env, encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!).peakRss;
}

async function finalizeMemory(env: LocalDsr): Promise<void> {
  const sizes = [1, 200];
  const rss: number[] = [];
  for (const mb of sizes) {
    const subject = `memory-${mb}@example.com`;
    const bucket = env.store('s3-bucket').name;
    // binary documents (base64 in the report: 3 bytes become 4) of at most 10 MB each
    let left = Math.ceil((mb * 1024 * 1024 * 3) / 4);
    for (let i = 0; left > 0; i++) {
      const size = Math.min(left, 10 * 1024 * 1024);
      await env.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `tenants/acme/subjects/${subject}/scan-${i}.bin`, Body: randomBytes(size), ContentType: 'application/octet-stream' }));
      left -= size;
    }
    await env.seedSubject('acme', subject, 200, 0);
    const requestId = `bench-memory-${mb}`;
    const run = await env.run({ requestId, type: 'ACCESS', tenant: 'acme', subject });
    if (run.status !== 'SUCCEEDED') throw new Error(`ACCESS of ${mb} MB failed`);
    const entered = run.events.find((e) => e.type === 'StateEntered' && e.state?.name === 'Finalize');
    rss.push(await finalizeRss({ outcome: 'COMPLETE', requestId, storeResults: entered.state.input.storeResults }));
  }
  const ratio = rss[1] / rss[0];
  row('Finalize peak RSS (its own process), 1 MB vs 200 MB report', `${rss[0].toFixed(0)} MB vs ${rss[1].toFixed(0)} MB = ${ratio.toFixed(2)}x`, '<= 1.2x', ratio <= 1.2);
}

async function historyEvents(env: LocalDsr): Promise<void> {
  // 200 items an invocation: the table store takes 5 and 10 invocations
  env.applyEnv({ dynamoPageSize: 100, maxPagesPerInvocation: 2 });
  const events: number[] = [];
  for (const n of [1_000, 2_000]) {
    const subject = `history-${n}@example.com`;
    await env.seedSubject('acme', subject, n, 0);
    const run = await env.run({ requestId: `bench-history-${n}`, type: 'DELETE', tenant: 'acme', subject });
    if (run.status !== 'SUCCEEDED') throw new Error(`DELETE of ${n} items failed`);
    events.push(run.events.length);
  }
  env.reset();
  const perInvocation = (events[1] - events[0]) / 5;
  const fixed = events[0] - 5 * perInvocation;
  const invocations = Math.ceil(1_000_000 / (DEFAULT_DYNAMO_PAGE_SIZE * DEFAULT_MAX_PAGES_PER_INVOCATION)) + 1;
  const computed = Math.round(fixed + invocations * perInvocation);
  row('History events, DELETE of 1,000,000 items (computed)',
    `${computed} (${fixed.toFixed(0)} + ${invocations} invocations x ${perInvocation.toFixed(1)}; measured ${events.join(' / ')} at 5 / 10 invocations)`,
    `< ${HISTORY_LIMIT}`, computed < HISTORY_LIMIT / 2);
}

async function replay(env: LocalDsr): Promise<void> {
  const n = 300;
  const since = '2030-01-01T00:00:00.000Z';
  const items: Array<Record<string, AttributeValue>> = [];
  for (let i = 0; i < n; i++) {
    const requestId = `bench-tomb-${i}`;
    const subjectId = `bench-pseudonym-${i}`;
    const subject = `tomb-${i}@example.com`;
    items.push(
      { pk: { S: `REQUEST#${requestId}` }, sk: { S: 'REQUEST' }, requestId: { S: requestId }, type: { S: 'DELETE' }, tenant: { S: 'acme' }, subject: { S: subject }, subjectId: { S: subjectId }, status: { S: 'COMPLETED' } },
      {
        pk: { S: 'TOMBSTONE#acme' },
        sk: { S: subjectId },
        subjectId: { S: subjectId },
        subject: { S: subject },
        tenant: { S: 'acme' },
        requestId: { S: requestId },
        deletedAt: { S: new Date(Date.parse(since) + i * 1000).toISOString() },
        // as Finalize writes it: the sharded index value
        tombstone: { S: shardedIndexValue('TOMBSTONE', requestId) },
        keysRecorded: { BOOL: true },
      },
    );
  }
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await env.ddb.send(new BatchWriteItemCommand({ RequestItems: { [env.tables.ledger]: batch } }));
  }
  const runs = await env.runReplayChain({ replayId: 'bench-replay', since });
  const ok = runs.every((r) => r.status === 'SUCCEEDED');
  const most = Math.max(...runs.map((r) => r.events.length));
  const perExecution = DEFAULT_REPLAY_PAGE_SIZE * DEFAULT_REPLAY_PAGES_PER_EXECUTION;
  const perTombstone = most / perExecution;
  row(`Replay of ${n} tombstones (run)`, `${runs.length} executions, largest ${most} events (${perTombstone.toFixed(1)} a tombstone)`, `< ${HISTORY_LIMIT} each`, ok && most < HISTORY_LIMIT);
  row('Replay of 10,000 tombstones (computed)', `${Math.ceil(10_000 / perExecution)} executions of <= ${most} events`, `< ${HISTORY_LIMIT} each`, most < HISTORY_LIMIT);
}

async function main(): Promise<void> {
  const env = await LocalDsr.start({ fillerItems: 1_000, itemsPerSubject: 10, objectsPerSubject: 1 });
  try {
    await finalizeMemory(env);
    await access(env);
    await historyEvents(env);
    await replay(env);
  } finally {
    await env.close();
  }
  console.log('| DsrWorkflow at scale | measured | bound | |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (failed) process.exit(1);
}

void main().catch((e) => { console.error(e); process.exit(1); });
