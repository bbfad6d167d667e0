import { parentPort } from 'worker_threads';
import { auditUnit } from './engine';
import { AuditUnit, CheckOptions } from './model';
import { InputError } from './template-source';

/** A worker thread of `cdk-ccpa audit`: audits the units it is sent, one at a time. */
parentPort?.on('message', (msg: { index: number; unit: AuditUnit; options: CheckOptions }) => {
  try {
    parentPort!.postMessage({ index: msg.index, result: auditUnit(msg.unit, msg.options) });
  } catch (e) {
    const error = e instanceof InputError ? { file: e.file, reason: e.reason }
      : { file: msg.unit.label, reason: `cannot audit: ${(e as Error).message.split('\n')[0]}` };
    parentPort!.postMessage({ index: msg.index, error });
  }
});
