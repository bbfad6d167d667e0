/**
 * The README's promise for the examples: `cdk synth` on them succeeds without AWS credentials, with
 * every rule pack registered (CcpaChecks included), so a CI pipeline can run it as is.
 * - Without credentials the CLI can run no context lookup: no example needs one (its cloud assembly
 *   lists no missing context), checked in process for all three.
 * - The registered packs pass: org-app's suite and the summary's synthesize the org and SaaS apps with
 *   them as `cdk synth` does; the real CLI runs brownfield-app here (each CLI run costs ~20 s of CPU,
 *   most of it cfn-guard with every Control Tower rule).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildApp as buildBrownfieldApp } from '../../examples/brownfield-app';
import { buildOrgApp } from '../../examples/org-app';
import { buildApp as buildSaasApp } from '../../examples/saas-app';
import { cdkSynth } from '../kit/cdk-cli';

/** The context lookups a synth left to the CLI (each needs credentials). */
function missingContext(app: App): string[] {
  return (app.synth().manifest.missing ?? []).map((m) => `${m.provider} ${m.key}`);
}

describe('cdk synth on the examples', () => {
  test.each([
    ['examples/saas-app.ts', () => buildSaasApp(new App(), [])],
    ['examples/org-app.ts', () => buildOrgApp(new App(), [])],
    ['examples/brownfield-app.ts', () => buildBrownfieldApp(new App(), [])],
  ])('GIVEN %s THEN synth needs no context lookup, so no credentials', (_file, build) => {
    expect(missingContext(build())).toEqual([]);
  });

  test('GIVEN an app that looks a VPC up THEN the lookup is listed (the check above is not vacuous)', () => {
    const app = new App();
    ec2.Vpc.fromLookup(new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } }), 'Vpc', { vpcId: 'vpc-1' });
    expect(missingContext(app)).toEqual([expect.stringMatching(/^vpc-provider /)]);
  });

  test('GIVEN examples/brownfield-app.ts WHEN the cdk CLI synthesizes it without credentials THEN it exits 0 with no error', () => {
    const r = cdkSynth('examples/brownfield-app.ts');
    expect(r.output).not.toMatch(/^ERROR /m);
    expect(r.status).toBe(0);
  });
});
