import { App, PolicyValidationPluginReport, Stack, StackProps } from 'aws-cdk-lib';
import { CcpaChecks } from '../../lib/nag';

/** One finding of CcpaChecks: rule id (with `[CannotVerify]` when so), construct path, severity. */
export interface Finding {
  readonly id: string;
  readonly path: string;
  readonly severity: string;
  readonly description: string;
}

/** GIVEN an app built by `build` WHEN synthesized and checked by CcpaChecks THEN its findings. */
export function check(build: (stack: Stack, app: App) => void, stackProps: StackProps = {}): Finding[] {
  const app = new App();
  const stack = new Stack(app, 'Test', stackProps);
  build(stack, app);
  app.synth();
  const findings = findingsOf(new CcpaChecks().validateScope(app));
  // every [CannotVerify] names the property and the value it could not resolve
  for (const f of findings.filter((x) => x.id.endsWith('[CannotVerify]'))) {
    if (!/^Cannot verify \w+: \S.* = \S.*: not known at synth/.test(f.description)) throw new Error(`${f.id} at ${f.path} names no value: ${f.description}`);
  }
  return findings;
}

/** Flattens a validation report. */
export function findingsOf(report: PolicyValidationPluginReport): Finding[] {
  return report.violations.flatMap((v) => v.violatingResources.map((r) => ({
    id: v.ruleName, path: r.constructPath ?? '', severity: v.severity ?? '', description: v.description,
  })));
}

/** The rule ids reported on one construct path. */
export function idsAt(findings: Finding[], path: string): string[] {
  return findings.filter((f) => f.path === path).map((f) => f.id).sort();
}

/** The outcome of one rule on one path: 'non-compliant', 'cannot-verify' or 'clean'. */
export function outcome(findings: Finding[], rule: string, path: string): 'non-compliant' | 'cannot-verify' | 'clean' {
  const ids = idsAt(findings, path);
  if (ids.includes(`CCPA-${rule}`)) return 'non-compliant';
  if (ids.includes(`CCPA-${rule}[CannotVerify]`)) return 'cannot-verify';
  return 'clean';
}
