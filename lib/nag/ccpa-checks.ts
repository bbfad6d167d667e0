import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AppIndex } from './private/app-index';
import { citationText } from './private/citations';
import { CcpaRule, Outcome } from './private/rule';
import { ALL_RULES } from './rules';

/** Props of CcpaChecks. */
export interface CcpaChecksProps extends NagPackProps {}

/** The suffix of a finding for a value the rule cannot see at synth (a token, an import). */
const CANNOT_VERIFY = 'CannotVerify';

/**
 * The CCPA/CPRA rule pack (cdk-nag v3): synth-time checks for the common ways personal data is
 * exposed on AWS, each cited to the provisions it serves (RULES.md). Register it with
 * `Validations.of(app).addPlugins(new CcpaChecks(app))`; the README's CcpaChecks section describes
 * its scope (fail-closed), levels, `[CannotVerify]` findings and acknowledgements.
 */
export class CcpaChecks extends NagPack {
  /** The plugin name `cdk synth` reports under. */
  public readonly name = 'CCPA';
  /** Every rule id of the pack (`CCPA-<Rule>`). A rule whose resourceTypes is `['*']` sees every resource. */
  public readonly ruleIds?: string[];

  private index?: AppIndex;
  private readonly rulesByType = new Map<string, CcpaRule[]>();
  private readonly whyByRule = new Map<CcpaRule, string>();
  private readonly rulesByResolvedType = new Map<string, readonly CcpaRule[]>();

  constructor(scope?: IConstruct, props: CcpaChecksProps = {}) {
    super(scope, props);
    this.packName = 'CCPA';
    this.ruleIds = ALL_RULES.map((r) => `CCPA-${r.id}`);
    for (const rule of ALL_RULES) {
      for (const type of rule.resourceTypes) {
        this.rulesByType.set(type, [...(this.rulesByType.get(type) ?? []), rule]);
      }
    }
  }

  /**
   * Check every L1 resource below `scope` (call after the app was synthesized, so that tags and
   * cross-stack references are prepared). `success` is false only when an error-level finding
   * remains unacknowledged.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.index = AppIndex.build(scope);
    try {
      const report = super.validateScope(scope);
      return { ...report, success: report.violations.every((v) => v.severity !== 'error') };
    } finally {
      this.index = undefined;
    }
  }

  /** The rules of one resource type, and those for every type: computed once per type, not per resource. */
  private rulesFor(type: string): readonly CcpaRule[] {
    let rules = this.rulesByResolvedType.get(type);
    if (rules === undefined) {
      rules = [...(this.rulesByType.get(type) ?? []), ...(this.rulesByType.get('*') ?? [])];
      this.rulesByResolvedType.set(type, rules);
    }
    return rules;
  }

  protected checkResource(node: CfnResource): void {
    const rules = this.rulesFor(node.cfnResourceType);
    if (rules.length === 0) return;
    const index = this.index ?? AppIndex.build(node);
    for (const rule of rules) {
      let outcome: Outcome;
      let unknowns: string[];
      let notes: string[] = [];
      index.takeUnknowns();
      index.takeNotes();
      try {
        outcome = rule.evaluate(node, index);
        unknowns = index.takeUnknowns();
        notes = index.takeNotes();
      } catch (e) {
        outcome = Outcome.CANNOT_VERIFY;
        unknowns = [`a property = unreadable (${(e as Error).message})`];
      }
      if (outcome !== Outcome.NON_COMPLIANT && outcome !== Outcome.CANNOT_VERIFY) continue;
      // the explanation is built once per rule and run, and only for a finding (most resources have none)
      let why = this.whyByRule.get(rule);
      if (why === undefined) {
        why = `Why: ${citationText(rule.cites)}${rule.choice ? ` (${rule.choice})` : ''}. Risk: ${rule.risk}`;
        this.whyByRule.set(rule, why);
      }
      if (outcome === Outcome.NON_COMPLIANT) {
        this.applyRule({
          ruleSuffixOverride: rule.id,
          info: `${rule.what}${notes.length > 0 ? ` Found: ${notes.join('; ')}.` : ''} ${why} Fix: ${rule.fix}`,
          explanation: why,
          level: rule.level,
          node,
          rule: () => NagRuleCompliance.NON_COMPLIANT,
        });
      } else if (outcome === Outcome.CANNOT_VERIFY) {
        const what = unknowns.length > 0 ? [...new Set(unknowns)].join('; ') : 'a value it depends on';
        this.applyRule({
          ruleSuffixOverride: rule.id,
          info: `Cannot verify ${rule.id}: ${what}: not known at synth (a token, parameter or import), so the resource is not assumed compliant. The rule: ${rule.what} ${why} Fix: ${rule.fix} If the value is right, acknowledge CCPA-${rule.id}[${CANNOT_VERIFY}] on this resource with the reason.`,
          explanation: why,
          level: rule.level === NagMessageLevel.INFO ? NagMessageLevel.WARN : rule.level,
          node,
          rule: () => [CANNOT_VERIFY],
        });
      }
    }
  }
}
