/**
 * Runs the real `cdk synth` CLI (aws-cdk, a devDependency) on the fixture apps: no AWS
 * credentials, no network (IMDS, version check, notices and telemetry switched off).
 * About 2 s per synth on this machine.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const TS_NODE = path.join(ROOT, 'node_modules', '.bin', 'ts-node');

function synth(fixture: string, ...extra: string[]): { status: number | null; output: string; ms: number } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpa-synth-'));
  const started = Date.now();
  try {
    const r = spawnSync(CDK, [
      'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', out, ...extra,
      '--app', `${TS_NODE} --project test/tsconfig.json --transpile-only test/nag/fixtures/${fixture}`,
    ], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000,
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

describe('cdk synth with CcpaChecks registered', () => {
  test('GIVEN a non-compliant app WHEN cdk synth THEN exit code 1, naming the rule ids and the construct path', () => {
    const r = synth('noncompliant-app.ts');
    expect(r.status).toBe(1);
    expect(r.output).toContain('CCPA-S3BucketCustomerManagedKey');
    expect(r.output).toContain('CCPA-CloudTrailDataEventCoverage');
    expect(r.output).toContain('NonCompliant/Customers/Resource');
    expect(r.output).toMatch(/1798\.150/);
    expect(r.output).toMatch(/^ERROR /m);
  });

  test('GIVEN a compliant app with one warning WHEN cdk synth THEN exit code 0 and the warning is printed', () => {
    const r = synth('compliant-app.ts');
    expect(r.output).toContain('CCPA-S3BucketNoncurrentVersionExpiration');
    expect(r.output).not.toMatch(/^ERROR /m);
    expect(r.status).toBe(0);
  });

  test('GIVEN the same app WHEN cdk synth --strict THEN the warning fails synth (exit code 1)', () => {
    const r = synth('compliant-app.ts', '--strict');
    expect(r.status).toBe(1);
    expect(r.output).toContain('--strict');
  });
});
