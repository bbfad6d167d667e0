import * as fs from 'fs';
import * as path from 'path';
import {
  CfnResource,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolatingResource,
  PolicyViolation,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EXPECTED_EXEMPTIONS_METADATA_KEY, ExpectedExemptionEntry } from '../private/expected-exemptions';

/**
 * Opt-in for the findings this library's constructs are expected to raise by design.
 *
 * Where a construct deliberately differs from a rule of another validation plugin (for example a
 * Control Tower rule of `CfnGuardValidator`: Object Lock is refused on personal data buckets so
 * deletion requests can be honoured), it records the rule and the reason in the resource's template
 * metadata under `cdk-ccpa:expected-exemptions`. Nothing is acknowledged: the plugin still reports
 * the finding and `cdk synth` still fails, until you wrap the plugin yourself:
 *
 *   Validations.of(app).addPlugins(ExpectedExemptions.filter(new CfnGuardValidator({ ... })));
 *
 * The wrapper drops a finding only on a resource whose metadata names that plugin and that rule;
 * the same rule on any other resource (yours) still fails synth.
 */
export class ExpectedExemptions {
  /** The template metadata key the constructs record their expected findings under. */
  public static readonly METADATA_KEY: string = EXPECTED_EXEMPTIONS_METADATA_KEY;

  /**
   * Wraps a validation plugin so that the findings recorded as expected on this library's
   * resources are dropped from its report, with the same name, version and rules; every other
   * finding is kept, and the report fails as long as one is left.
   */
  public static filter(plugin: IPolicyValidationPlugin): IPolicyValidationPlugin {
    return new ExemptingPlugin(plugin);
  }

  /**
   * The findings expected on one resource of a synthesized template (from its metadata).
   * @param templatePath a CloudFormation template file
   * @param logicalId the resource's logical id
   * @returns `<plugin>::<rule>` of each recorded exemption
   */
  public static of(templatePath: string, logicalId: string): string[] {
    return entriesOf(new TemplateCache(), templatePath, logicalId).map((e) => `${e.plugin}::${e.rule}`);
  }

  private constructor() {}
}

class TemplateCache {
  private readonly templates = new Map<string, { Resources?: Record<string, { Metadata?: Record<string, unknown> }> }>();

  public read(templatePath: string) {
    const file = path.resolve(templatePath);
    let t = this.templates.get(file);
    if (!t) {
      try {
        t = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        t = {};
      }
      this.templates.set(file, t!);
    }
    return t!;
  }
}

function entriesOf(cache: TemplateCache, templatePath: string, logicalId: string): ExpectedExemptionEntry[] {
  return validEntries(cache.read(templatePath).Resources?.[logicalId]?.Metadata?.[EXPECTED_EXEMPTIONS_METADATA_KEY]);
}

function findByPath(root: IConstruct | undefined, constructPath: string): IConstruct | undefined {
  return root?.node.findAll().find((c) => c.node.path === constructPath);
}

function validEntries(entries: unknown): ExpectedExemptionEntry[] {
  if (!Array.isArray(entries)) return [];
  return entries.filter((e): e is ExpectedExemptionEntry =>
    typeof e === 'object' && e !== null && typeof e.plugin === 'string' && typeof e.rule === 'string' && typeof e.reason === 'string');
}

/** A validation plugin whose report omits the findings recorded as expected on the violating resource. */
class ExemptingPlugin implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(private readonly inner: IPolicyValidationPlugin) {
    this.name = inner.name;
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.inner.validate(context);
    const cache = new TemplateCache();
    let exempted = 0;
    const violations: PolicyViolation[] = [];
    const recorded = (r: PolicyViolatingResource): ExpectedExemptionEntry[] => {
      if (r.templatePath !== undefined && r.resourceLogicalId !== undefined) return entriesOf(cache, r.templatePath, r.resourceLogicalId);
      const construct = r.constructPath !== undefined ? findByPath(context.appConstruct, r.constructPath) : undefined;
      return CfnResource.isCfnResource(construct) ? validEntries(construct.getMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY)) : [];
    };
    for (const v of report.violations) {
      const violatingResources = v.violatingResources.filter((r) => {
        const expected = recorded(r).some((e) => e.plugin === this.inner.name && e.rule === v.ruleName);
        if (expected) exempted++;
        return !expected;
      });
      if (violatingResources.length > 0) violations.push({ ...v, violatingResources });
    }
    // A report that failed with nothing but expected findings succeeds; one that failed for any
    // other reason (no violations listed at all, or findings left) still fails.
    const success = report.success || (report.violations.length > 0 && violations.length === 0);
    return {
      ...report,
      violations,
      success,
      metadata: { ...report.metadata, 'cdk-ccpa:expected-findings-omitted': String(exempted) },
    };
  }
}
