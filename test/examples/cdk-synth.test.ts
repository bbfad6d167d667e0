/**
 * The README's promise for the examples: `cdk synth` on them succeeds without AWS credentials,
 * with every rule pack registered (CcpaChecks included), so a CI pipeline can run it as is.
 */
import { cdkSynth } from '../kit/cdk-cli';

describe('cdk synth on the examples', () => {
  test.each(['examples/saas-app.ts', 'examples/org-app.ts', 'examples/brownfield-app.ts'])('GIVEN %s WHEN cdk synth runs without credentials THEN it exits 0 with no error', (app) => {
    const r = cdkSynth(app);
    expect(r.output).not.toMatch(/^ERROR /m);
    expect(r.status).toBe(0);
  });
});
