/**
 * Runs the real `cdk synth` CLI (aws-cdk, a devDependency) on the fixture apps: no AWS
 * credentials, no network (IMDS, version check, notices and telemetry switched off).
 * About 2 s per synth on this machine.
 */
import { cdkSynth } from '../kit/cdk-cli';

function synth(fixture: string, ...extra: string[]) {
  return cdkSynth(`test/nag/fixtures/${fixture}`, ...extra);
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
