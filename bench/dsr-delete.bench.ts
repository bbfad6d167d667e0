/**
 * DsrWorkflow DELETE: requests per store API for one subject (120 items, 15 objects) in a table
 * of 1,000 and of 100,000 other items. Counts, not times: discovery is a Query on the subject
 * index and a listing of the subject's prefix, so the counts must not grow with the table.
 *
 *   npx projen bench:dsr            (about a minute: most of it seeds 100,000 items into dynalite)
 */
import { LocalDsr } from '../test/dsr/local/environment';

async function measure(filler: number): Promise<{ dynamodb: Record<string, number>; s3: Record<string, number> }> {
  const env = await LocalDsr.start({ fillerItems: filler, itemsPerSubject: 120, objectsPerSubject: 15 });
  try {
    env.ddbProxy.reset();
    env.s3Proxy.reset();
    const run = await env.run({ requestId: `bench-${filler}`, type: 'DELETE', tenant: 'acme', subject: 'alice@example.com' });
    if (run.status !== 'SUCCEEDED' || (await env.itemsOf('acme', 'alice@example.com')) !== 0) throw new Error(`DELETE did not complete at ${filler} items`);
    return { dynamodb: { ...env.ddbProxy.counts }, s3: { ...env.s3Proxy.counts } };
  } finally {
    await env.close();
  }
}

async function main(): Promise<void> {
  const small = await measure(1_000);
  const large = await measure(100_000);
  const ops = (k: 'dynamodb' | 's3') => [...new Set([...Object.keys(small[k]), ...Object.keys(large[k])])].sort();
  console.log('| service | operation | 1,000 items | 100,000 items | ratio |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  let failed = false;
  for (const k of ['dynamodb', 's3'] as const) {
    for (const op of ops(k)) {
      const a = small[k][op] ?? 0;
      const b = large[k][op] ?? 0;
      failed ||= b > a || op === 'Scan';
      console.log(`| ${k} | ${op} | ${a} | ${b} | ${a ? (b / a).toFixed(2) : '-'} |`);
    }
  }
  if (failed) {
    console.error('the request count grows with the table size (or a Scan was issued)');
    process.exit(1);
  }
}

void main().catch((e) => { console.error(e); process.exit(1); });
