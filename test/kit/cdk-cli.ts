/**
 * Runs the real `cdk synth` CLI (aws-cdk, a devDependency) on an app file of this repository:
 * no AWS credentials, no network (IMDS, version check, notices and telemetry switched off).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const TS_NODE = path.join(ROOT, 'node_modules', '.bin', 'ts-node');

/** The outcome of one `cdk synth`. */
export interface CdkSynthResult {
  readonly status: number | null;
  /** stdout and stderr. */
  readonly output: string;
  readonly ms: number;
}

/** `cdk synth --quiet` of `appFile` (a path from the repository root) with extra CLI arguments. */
export function cdkSynth(appFile: string, ...extra: string[]): CdkSynthResult {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpa-synth-'));
  const started = Date.now();
  try {
    const r = spawnSync(CDK, [
      'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', out, ...extra,
      '--app', `${TS_NODE} --project test/tsconfig.json --transpile-only ${appFile}`,
    ], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        AWS_EC2_METADATA_DISABLED: 'true', // never reach for instance credentials
        CDK_DISABLE_VERSION_CHECK: '1', // no npm registry lookup
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        AWS_ACCESS_KEY_ID: '', // make sure no credentials are found or used
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: '',
        CDK_DISABLE_STACK_TRACE: '1',
      },
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}`, ms: Date.now() - started };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** What an in-process synth printed and the exit code it set (see `synthAsCli`). */
export interface InProcessSynth<T> {
  /** What the callback returned. */
  readonly result: T;
  /** `process.exitCode` after synth: 1 when a validation plugin failed. */
  readonly exitCode: number | undefined;
  /** What synth printed to stderr (the validation report). */
  readonly printed: string;
}

/**
 * Runs `synth` (e.g. `() => app.synth()`) in this process the way an app runs under `cdk synth`, and
 * returns what it printed and the exit code it set; `process.exitCode` and `console.error` are
 * restored afterwards. Under the CLI a failing validation prints the report and sets
 * `process.exitCode = 1` (the CLI then exits 1). aws-cdk-lib 2.258 always does that; 2.27x throws
 * instead when it believes it runs in a test (NODE_ENV=test), so the app mode is set to `process`,
 * as under the CLI, for the call (`CDK_APP_MODE`, which 2.258 ignores).
 */
export function synthAsCli<T>(synth: () => T): InProcessSynth<T> {
  const exitCode = process.exitCode;
  const mode = process.env.CDK_APP_MODE;
  const error = console.error;
  const printed: string[] = [];
  try {
    process.exitCode = undefined;
    process.env.CDK_APP_MODE = 'process';
    console.error = (...args: unknown[]) => { printed.push(args.map(String).join(' ')); };
    const result = synth();
    return { result, exitCode: process.exitCode as number | undefined, printed: printed.join('\n') };
  } finally {
    console.error = error;
    process.exitCode = exitCode;
    if (mode === undefined) delete process.env.CDK_APP_MODE; else process.env.CDK_APP_MODE = mode;
  }
}
