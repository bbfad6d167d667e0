/**
 * The summary `npm run example` prints (examples/summary.ts): one screen of at most 100 columns,
 * whatever the app holds; `--full` lines are whole. Run on the SaaS example with every pack, and on
 * an app that fails, so the findings lines are exercised too.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp, rulePacks } from '../../examples/saas-app';
import { summarize, SUMMARY_COLUMNS } from '../../examples/summary';
import { CcpaChecks } from '../../lib';
import { withControlTowerGuard } from '../kit/compliance';
import { testTempDir } from '../kit/temp-dir';

function synth(build: (app: App) => string[]): { app: App; outdir: string; packs: string[] } {
  const outdir = testTempDir('cdk-ccpa-summary-');
  const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const packs = build(app);
  app.synth();
  return { app, outdir, packs };
}

describe('the example summary', () => {
  let saas: ReturnType<typeof synth>;
  beforeAll(() => {
    saas = synth((app) => {
      // the example's packs, cfn-guard running only the Control Tower rules that can apply (same findings, less CPU)
      const packs = withControlTowerGuard(rulePacks(app));
      buildApp(app, packs);
      return packs.map((p) => p.name);
    });
  });

  test('GIVEN the SaaS example THEN one screen (at most 50 lines) of at most 100 columns, and PASS', () => {
    const { lines, failed } = summarize({ ...saas, appFile: 'examples/saas-app.ts', seconds: 12.3 });
    expect(failed).toBe(false);
    expect(lines.length).toBeLessThanOrEqual(50);
    expect(lines.filter((l) => l.length > SUMMARY_COLUMNS)).toEqual([]);
    expect(lines).toContain('Result: PASS: no unacknowledged error.');
    for (const pack of saas.packs) expect(lines.some((l) => l.startsWith(`  ${pack.padEnd(24)}  pass`))).toBe(true);
    // the stores of the inventory, without the stack name every path repeats
    expect(lines.some((l) => /^ {2}KycDocuments +s3-bucket +sensitive +silo +covered/.test(l))).toBe(true);
  });

  test('GIVEN --full THEN every acknowledgement and expected exemption is listed whole, with its reason', () => {
    const { lines } = summarize({ ...saas, appFile: 'examples/saas-app.ts', seconds: 12.3, full: true });
    const count = Number(/^Acknowledged findings: (\d+)/.exec(lines.find((l) => l.startsWith('Acknowledged findings:'))!)![1]);
    expect(count).toBeGreaterThan(0);
    const exempt = Number(/^Expected exemptions: (\d+)/.exec(lines.find((l) => l.startsWith('Expected exemptions:'))!)![1]);
    expect(exempt).toBeGreaterThan(0);
    expect(lines.filter((l) => / on SaasDataPlane\/.+: .+/.test(l))).toHaveLength(count + exempt);
  });

  test('GIVEN an app with findings and long construct paths THEN FAIL, and still no line over 100 columns', () => {
    const failing = synth((app) => {
      const stack = new Stack(app, 'AStackWithAVeryLongNameThatRepeatsInEveryConstructPathOfTheApp');
      for (let i = 0; i < 5; i++) new s3.Bucket(stack, `AnUnencryptedBucketWithAnEquallyLongConstructIdNumber${i}`);
      const packs = [new CcpaChecks()];
      Validations.of(app).addPlugins(...packs);
      return packs.map((p) => p.name);
    });
    const { lines, failed } = summarize({ ...failing, appFile: 'a test app', seconds: 1 });
    expect(failed).toBe(true);
    expect(lines.filter((l) => l.length > SUMMARY_COLUMNS)).toEqual([]);
    expect(lines).toContain('Result: FAIL: cdk synth would exit 1.');
    expect(lines.some((l) => l.includes('more (npm run example -- --full)'))).toBe(true);
  });
});
