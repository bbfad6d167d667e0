import { availableParallelism, cpus } from 'os';
import { join } from 'path';
import { Worker } from 'worker_threads';
import { auditUnit } from './engine';
import { AuditUnit, CheckOptions, UnitResult } from './model';
import { InputError } from './template-source';

/**
 * Units per extra worker thread. A worker first loads aws-cdk-lib and cdk-nag (~1.9 s of CPU) and
 * then audits a template in ~14 ms of CPU (`npm run bench:audit`, 240 templates, 2 cores): a second
 * thread saves time only from a few hundred templates on an idle machine, and on a busy one
 * (load 17 on 2 cores) it cost 30% more wall time at 240 templates.
 */
const UNITS_PER_EXTRA_WORKER = 500;

/** The threads to use for `units` units: 1 (in-process) for few units, up to the cores for many. */
export function workersFor(units: number, requested?: number): number {
  const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  if (requested !== undefined) return Math.max(1, Math.min(requested, units));
  return Math.max(1, Math.min(cores, Math.floor(units / UNITS_PER_EXTRA_WORKER) + 1));
}

/**
 * Audits every unit and returns the results in input order: `threads - 1` worker threads and this
 * thread take the next unit as they free up. The first unit that cannot be loaded rejects with its
 * InputError; the workers are then stopped.
 */
export async function runUnits(units: readonly AuditUnit[], options: CheckOptions, threads: number,
  progress: (done: number) => void): Promise<UnitResult[]> {
  const workerFile = join(__dirname, 'worker.js');
  // from sources (the tests) there is no worker.js: everything runs here
  const workerCount = __filename.endsWith('.js') ? threads - 1 : 0;
  // the main thread audits too: N threads are N-1 workers plus this one (aws-cdk-lib is loaded here already)
  const results: UnitResult[] = new Array(units.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const finished = (index: number, result: UnitResult): void => {
    results[index] = result;
    done++;
    progress(done);
    wake?.();
  };
  const feed = (w: Worker): void => {
    if (next < units.length && !failure) {
      w.postMessage({ index: next, unit: units[next], options });
      next++;
    }
  };
  try {
    for (let i = 0; i < workerCount; i++) {
      const w = new Worker(workerFile);
      workers.push(w);
      w.on('message', (msg: { index: number; result?: UnitResult; error?: { file: string; reason: string } }) => {
        if (msg.error !== undefined) {
          failure ??= new InputError(msg.error.file, msg.error.reason);
          wake?.();
          return;
        }
        finished(msg.index, msg.result!);
        feed(w);
      });
      w.on('error', (e) => { failure ??= e; wake?.(); });
      feed(w);
    }
    while (!failure && next < units.length) {
      const index = next++;
      finished(index, auditUnit(units[index], options));
      await new Promise<void>((resolve) => setImmediate(resolve)); // hand the workers their next units
    }
    while (!failure && done < units.length) {
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    }
    if (failure) throw failure;
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
