import { availableParallelism, cpus } from 'os';
import { join } from 'path';
import { Worker } from 'worker_threads';
import { auditUnit } from './engine';
import { AuditUnit, CheckOptions, UnitResult } from './model';
import { InputError } from './template-source';

/** Below this many units a second thread costs more (loading aws-cdk-lib) than it saves. */
const UNITS_PER_EXTRA_WORKER = 24;

/** The threads to use for `units` units: 1 (in-process) for few units, up to the cores for many. */
export function workersFor(units: number, requested?: number): number {
  const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  if (requested !== undefined) return Math.max(1, Math.min(requested, units));
  return Math.max(1, Math.min(cores, Math.floor(units / UNITS_PER_EXTRA_WORKER) + 1));
}

/**
 * Audits every unit and returns the results in input order. With one thread (or when running
 * from sources, as the tests do) it works in-process; otherwise it hands units to worker threads
 * as they free up. The first unit that cannot be loaded rejects with its InputError message.
 */
export async function runUnits(units: readonly AuditUnit[], options: CheckOptions, threads: number,
  progress: (done: number) => void): Promise<UnitResult[]> {
  const workerFile = join(__dirname, 'worker.js');
  if (threads <= 1 || !__filename.endsWith('.js')) {
    const results: UnitResult[] = [];
    for (const unit of units) {
      results.push(auditUnit(unit, options));
      progress(results.length);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let the progress line reach stderr
    }
    return results;
  }
  return new Promise<UnitResult[]>((resolve, reject) => {
    const results: UnitResult[] = new Array(units.length);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const stop = (): void => { for (const w of workers) void w.terminate(); };
    const feed = (w: Worker): void => {
      if (next < units.length) {
        w.postMessage({ index: next, unit: units[next], options });
        next++;
      }
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(workerFile);
      workers.push(w);
      w.on('message', (msg: { index: number; result?: UnitResult; error?: { file: string; reason: string } }) => {
        if (failed) return;
        if (msg.error !== undefined) {
          failed = true;
          stop();
          reject(new InputError(msg.error.file, msg.error.reason));
          return;
        }
        results[msg.index] = msg.result!;
        done++;
        progress(done);
        if (done === units.length) { stop(); resolve(results); } else feed(w);
      });
      w.on('error', (e) => {
        if (failed) return;
        failed = true;
        stop();
        reject(e);
      });
      feed(w);
    }
  });
}
