/**
 * Every integ app (integ/integ.*.ts: each construct as it is deployed) through aws-cdk-lib's built-in
 * CloudFormation template validation, which a user's `cdk synth` runs by default from aws-cdk-lib
 * 2.27x. Its errors count as errors here (what `@aws-cdk/core:validateAgainstDefaultRules` makes
 * them); a warning must be on a resource aws-cdk-lib acknowledges it for, or it fails too.
 *
 * `npx projen test:latest` runs this suite on the newest aws-cdk-lib; the construct suites there run
 * with that validation off (`CDK_VALIDATION=false`, see projenrc/test-latest.js). The floor version
 * (2.258) has no built-in validation: the suite is skipped on it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { builtinTemplateValidation, formatFindings, runComplianceKit } from '../kit/compliance';

const INTEG = path.join(__dirname, '..', '..', 'integ');
const APPS = fs.readdirSync(INTEG).filter((f) => /^integ\..+\.ts$/.test(f)).sort();

const available = builtinTemplateValidation();
available?.dispose();
const onVersionsWithBuiltinValidation = available ? describe : describe.skip;

/**
 * Runs an integ app's file as integ-runner would, and returns the App it synthesized (a file that
 * synthesizes only as the main module exports `buildApp`).
 */
function loadIntegApp(file: string): Stage {
  const synth = jest.spyOn(Stage.prototype, 'synth');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(INTEG, file));
    if (synth.mock.contexts.length === 0 && typeof exported.buildApp === 'function') {
      const built = exported.buildApp();
      (Stage.isStage(built) ? built : built.app as Stage).synth();
    }
    const apps = [...new Set(synth.mock.contexts)] as Stage[];
    if (apps.length !== 1) throw new Error(`${file}: expected one synthesized App, saw ${apps.length}`);
    return apps[0];
  } finally {
    synth.mockRestore();
  }
}

onVersionsWithBuiltinValidation("aws-cdk-lib's built-in CloudFormation validation on every integ app", () => {
  test('the integ apps are found: one per snapshot CI verifies', () => {
    expect(APPS.length).toBeGreaterThan(0);
    expect(APPS.map((f) => `${f}.snapshot`)).toEqual(fs.readdirSync(INTEG).filter((f) => f.endsWith('.snapshot')).sort());
  });

  test('GIVEN a template the validation rejects THEN the kit reports its error on the resource (the check is not vacuous)', () => {
    const app = new App();
    const stack = new Stack(app, 'Invalid');
    new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { NoSuchProperty: true } });
    const report = runComplianceKit(app, { nagPacks: [], cfnGuard: false, includeRegisteredPlugins: false, builtinValidation: true });
    expect(report.errors.map((f) => [f.source, f.ruleId, f.path, f.message])).toEqual([
      ['CloudFormation Validate', 'F3002', 'Invalid/Bucket', expect.stringMatching(/'NoSuchProperty' was unexpected/)],
    ]);
    // without the option, the kit does not run it (and its own synth never does)
    expect(runComplianceKit(app, { nagPacks: [], cfnGuard: false, includeRegisteredPlugins: false }).findings).toEqual([]);
  });

  test.each(APPS)('GIVEN %s WHEN validated THEN no error and no unacknowledged warning', (file) => {
    const app = loadIntegApp(file);
    const report = runComplianceKit(app, {
      nagPacks: [], cfnGuard: false, includeRegisteredPlugins: false, builtinValidation: true, synthesize: false,
    });
    expect(report.timingsMs['CloudFormation Validate']).toBeGreaterThanOrEqual(0);
    expect(formatFindings([...report.errors, ...report.warnings])).toBe(formatFindings([]));
  });
});
