/**
 * DsrWorkflow DELETE: requests per store API for one subject (120 items, 15 objects) in a table
 * of 1,000 and of 100,000 other items, the way every request goes: SUBMIT to the Requests function
 * (KMS GenerateMac, the ledger PutItem, its audit record, StartExecution with `{ requestId }`), then
 * the execution it started. Counts, not times: discovery is a Query on the subject index and a
 * listing of the subject's prefix, so the counts must not grow with the table.
 *
 *   npx projen bench:dsr            (about a minute: most of it seeds 100,000 items into dynalite)
 */
import { LocalDsr } from '../test/dsr/local/environment';

type Counts = Record<'dynamodb' | 's3' | 'kms' | 'sfn', Record<string, number>>;
const SERVICES = ['dynamodb', 's3', 'kms', 'sfn'] as const;

interface Measured {
  /** The whole request: the SUBMIT and its execution. */
  readonly total: Counts;
  /** The SUBMIT alone. */
  readonly submit: Counts;
}

async function measure(filler: number): Promise<Measured> {
  const env = await LocalDsr.start({ fillerItems: filler, itemsPerSubject: 120, objectsPerSubject: 15 });
  try {
    env.ddbProxy.reset();
    env.s3Proxy.reset();
    const macs = env.aws.macCalls;
    const starts = env.sfn.calls.length;
    const snapshot = (): Counts => ({
      dynamodb: { ...env.ddbProxy.counts },
      s3: { ...env.s3Proxy.counts },
      kms: { GenerateMac: env.aws.macCalls - macs },
      sfn: { StartExecution: env.sfn.calls.length - starts },
    });
    const requestId = `bench-${filler}`;
    const submitted = await env.submit({ requestId, type: 'DELETE', tenant: 'acme', subject: 'alice@example.com' });
    const submit = snapshot();
    if (submitted.started?.input !== JSON.stringify({ requestId })) throw new Error(`the SUBMIT did not start ${requestId}_r1 with { requestId }`);
    const run = await env.runExecution(submitted.started.name);
    if (run.status !== 'SUCCEEDED' || (await env.itemsOf('acme', 'alice@example.com')) !== 0) throw new Error(`DELETE did not complete at ${filler} items`);
    return { total: snapshot(), submit };
  } finally {
    await env.close();
  }
}

function table(small: Counts, large: Counts): boolean {
  let grows = false;
  console.log('| service | operation | 1,000 items | 100,000 items | ratio |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const k of SERVICES) {
    for (const op of [...new Set([...Object.keys(small[k]), ...Object.keys(large[k])])].sort()) {
      const a = small[k][op] ?? 0;
      const b = large[k][op] ?? 0;
      grows ||= b > a || op === 'Scan';
      console.log(`| ${k} | ${op} | ${a} | ${b} | ${a ? (b / a).toFixed(2) : '-'} |`);
    }
  }
  return grows;
}

async function main(): Promise<void> {
  const small = await measure(1_000);
  const large = await measure(100_000);
  console.log('One DELETE, SUBMIT to completion:\n');
  const grows = table(small.total, large.total);
  console.log('\nOf which the SUBMIT (Requests function):\n');
  table(small.submit, large.submit);
  if (grows) {
    console.error('the request count grows with the table size (or a Scan was issued)');
    process.exit(1);
  }
}

void main().catch((e) => { console.error(e); process.exit(1); });
