import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { CcpaChecks } from '../../../lib/nag';
import { testTempDir } from '../../kit/temp-dir';
import { Finding, findingsOf } from '../helpers';

/**
 * One adversarial app: built as a user would write it, then checked by CcpaChecks. `expect`
 * lists every finding of the rules under test (`rules`) as `<id> at <construct path>`, where the
 * id is `CCPA-<Rule>` or `CCPA-<Rule>[CannotVerify]`; an empty list means none of them reports
 * anything on the app.
 */
export interface AdversarialCase {
  readonly name: string;
  /** The rules whose findings are compared (without the CCPA- prefix). */
  readonly rules: readonly string[];
  /** Builds the app; `stack` is a stack named Test in it. */
  readonly build: (stack: Stack, app: App) => void;
  readonly expect: readonly string[];
  readonly stackProps?: StackProps;
}

/** Synthesizes the app of a case and returns every CcpaChecks finding on it. */
export function findingsFor(c: Pick<AdversarialCase, 'build' | 'stackProps'>): Finding[] {
  const app = new App();
  const stack = new Stack(app, 'Test', c.stackProps);
  c.build(stack, app);
  app.synth();
  return findingsOf(new CcpaChecks().validateScope(app));
}

/** The findings of the given rules as `<id> at <path>`, sorted. */
export function reported(findings: Finding[], rules: readonly string[]): string[] {
  const ids = new Set(rules.flatMap((r) => [`CCPA-${r}`, `CCPA-${r}[CannotVerify]`]));
  return findings.filter((f) => ids.has(f.id)).map((f) => `${f.id} at ${f.path}`).sort();
}

/** Every [CannotVerify] finding names the property and the value it could not resolve. */
export function expectCannotVerifyNamesValue(findings: Finding[]): void {
  for (const f of findings.filter((x) => x.id.endsWith('[CannotVerify]'))) {
    expect([f.id, f.path, f.description]).toEqual([f.id, f.path, expect.stringMatching(/^Cannot verify \w+: \S.* = \S.*: not known at synth/)]);
  }
}

/** Registers one jest test per case. */
export function runCases(cases: readonly AdversarialCase[]): void {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const findings = findingsFor(c);
    expect(reported(findings, c.rules)).toEqual([...c.expect].sort());
    expectCannotVerifyNamesValue(findings);
  });
}

/** Writes a template to a temporary file (for CfnInclude) and returns its path. */
export function templateFile(name: string, body: string): string {
  const dir = testTempDir('ccpa-adversarial-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

/** An assume-role policy for Lambda (L1 roles). */
export const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
