import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CcpaChecks } from '../../../lib/nag';
import { Finding, findingsOf } from '../helpers';

/**
 * The peer suite: cdk-nag's own positive/negative test cases (test/rules/<Service>.test.ts in
 * https://github.com/cdklabs/cdk-nag, each file at the commit its suite names), rebuilt here
 * resource for resource, and what CcpaChecks reports on the same app. RULES.md's peer table is
 * rendered from these declarations (test/nag/rules-md.ts); test/nag/peer/peer.test.ts checks each
 * declaration against both packs, so the table cannot drift from what the packs do.
 */

/** cdk-nag's verdict in its own test: the rule reports the app (`non-compliant`) or nothing on it. */
export type NagVerdict = 'non-compliant' | 'compliant';

/** One of cdk-nag's test cases, rebuilt. */
export interface PeerCase {
  /** cdk-nag's test name (`Noncompliance 2`, `Compliance`). */
  readonly name: string;
  /** What cdk-nag's test asserts for its rule on this app. */
  readonly nag: NagVerdict;
  /** Builds the same resources as cdk-nag's test, in a stack named Test. */
  readonly build: (stack: Stack) => void;
  /** Every finding of the peer's CcpaChecks rules on the app, `<id> at <construct path>`; [] is none. */
  readonly ccpa: readonly string[];
  /**
   * Why CcpaChecks deliberately reaches another verdict than cdk-nag: required exactly when the two
   * differ (cdk-nag non-compliant and CcpaChecks silent, or the reverse).
   */
  readonly differs?: string;
}

/** One cdk-nag rule and the CcpaChecks rules that check the same thing. */
export interface PeerRule {
  /** cdk-nag's rule name, exported as `rules.<service>.<rule>` by cdk-nag. */
  readonly rule: string;
  /** The namespace of cdk-nag's `rules` the rule is in (`s3`, `dynamodb`, ...). */
  readonly nagService: string;
  /** The AwsSolutions pack's id for the rule, when that pack runs it. */
  readonly awsSolutions?: string;
  /** The CcpaChecks rules (ids without `CCPA-`) whose findings are compared. */
  readonly ccpa: readonly string[];
  readonly cases: readonly PeerCase[];
}

/** The ported cases of one of cdk-nag's test files. */
export interface PeerSuite {
  /** The service, as the file of this suite is named. */
  readonly service: string;
  /** The test file in cdk-nag's repository. */
  readonly source: string;
  /** The commit of cdk-nag's repository the cases were ported from. */
  readonly commit: string;
  readonly rules: readonly PeerRule[];
}

/** The repository the cases come from. */
export const CDK_NAG_REPOSITORY = 'https://github.com/cdklabs/cdk-nag';

/** Builds a case's app: one stack named Test, synthesized. */
export function buildCase(c: Pick<PeerCase, 'build'>): App {
  const app = new App();
  const stack = new Stack(app, 'Test');
  c.build(stack);
  app.synth();
  return app;
}

/** The construct paths of the L1 resources cdk-nag's rule finds non-compliant in the app. */
export function nagFlagged(app: App, rule: (node: CfnResource) => NagRuleResult): string[] {
  const out: string[] = [];
  const visit = (c: IConstruct): void => {
    if (CfnResource.isCfnResource(c)) {
      const result = rule(c);
      const flagged = result === NagRuleCompliance.NON_COMPLIANT || (Array.isArray(result) && result.length > 0);
      if (flagged) out.push(c.node.path);
    }
    for (const child of c.node.children) visit(child);
  };
  visit(app);
  return out.sort();
}

/** Every CcpaChecks finding on the app. */
export function ccpaFindings(app: App): Finding[] {
  return findingsOf(new CcpaChecks().validateScope(app));
}

/** The findings of the given rules as `<id> at <path>`, sorted. */
export function reportedBy(findings: Finding[], rules: readonly string[]): string[] {
  const ids = new Set(rules.flatMap((r) => [`CCPA-${r}`, `CCPA-${r}[CannotVerify]`]));
  return findings.filter((f) => ids.has(f.id)).map((f) => `${f.id} at ${f.path}`).sort();
}

/** True when CcpaChecks reaches cdk-nag's verdict: it reports something exactly when cdk-nag does. */
export function agrees(c: PeerCase): boolean {
  return (c.ccpa.length > 0) === (c.nag === 'non-compliant');
}
