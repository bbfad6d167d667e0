/**
 * The README's main job: synthesize the example app with its rule packs registered and print a
 * one-screen compliance summary (resources, the privacy inventory, findings, acknowledgements).
 *
 *   npm run example            # examples/saas-app.ts
 *   npm run example -- --full  # every finding and acknowledgement, whole lines
 *
 * Exit code 1 when any rule pack fails, as `cdk synth` would. The full validation report that
 * aws-cdk-lib writes is kept in the cloud assembly folder printed at the end.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildApp, rulePacks } from './saas-app';
import { summarize } from './summary';

function main(): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ccpa-example-'));
  // the summary replaces aws-cdk-lib's long console report; the JSON report is still written
  const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const packs = rulePacks(app);
  buildApp(app, packs);
  const started = Date.now();
  app.synth();
  const seconds = (Date.now() - started) / 1000;
  const { lines, failed } = summarize({
    app, outdir, packs: packs.map((p) => p.name), appFile: 'examples/saas-app.ts', seconds, full: process.argv.includes('--full'),
  });
  console.log(lines.join('\n'));
  return failed ? 1 : 0;
}

process.exitCode = main();
