import * as fs from 'fs';
import { CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EXPECTED_EXEMPTIONS_METADATA_KEY } from '../private/expected-exemptions';

/** One rule a cdk-ccpa resource differs from by design. */
export interface ExpectedExemption {
  /** `<plugin>::<rule>`, e.g. `cdk-validator-cfnguard::s3_bucket_logging_enabled`. */
  readonly ruleId: string;
  /** Why the resource differs from the rule. */
  readonly reason: string;
  /** The construct path of the CloudFormation resource that records it. */
  readonly resourcePath: string;
}

/**
 * An opt-in for the validation rules cdk-ccpa's resources differ from by design (an access-log
 * bucket that does not log itself, a personal-data bucket without Object Lock, ...): each such
 * resource carries its reason in its template metadata, and `filter` drops exactly those findings.
 */
export class ExpectedExemptions {
  /** The template metadata key cdk-ccpa records its exemptions under: `{ "<plugin>::<rule>": "<reason>" }`. */
  public static readonly METADATA_KEY = EXPECTED_EXEMPTIONS_METADATA_KEY;

  /**
   * Wraps a validation plugin (e.g. `new CfnGuardValidator(...)`) so that a finding of rule R on a
   * resource whose metadata records `<plugin>::R` is dropped; every other finding, on every other
   * resource, stays and fails synth as before.
   */
  public static filter(plugin: IPolicyValidationPlugin): IPolicyValidationPlugin {
    return new ExemptionFilter(plugin);
  }

  /** The expected exemptions recorded on the CloudFormation resources in `scope`'s subtree. */
  public static of(scope: IConstruct): ExpectedExemption[] {
    return scope.node.findAll().filter(CfnResource.isCfnResource).flatMap((r) => {
      const recorded = (r.getMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY) ?? {}) as Record<string, unknown>;
      return Object.entries(recorded)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([ruleId, reason]) => ({ ruleId, reason, resourcePath: r.node.path }));
    });
  }

  private constructor() {}
}

class ExemptionFilter implements IPolicyValidationPlugin {
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
    const templates = new Map<string, Record<string, unknown> | undefined>();
    let dropped = 0;
    const exempt = (ruleName: string, r: PolicyViolatingResource): boolean => {
      if (!r.templatePath || !r.resourceLogicalId) return false;
      if (!templates.has(r.templatePath)) templates.set(r.templatePath, readResources(r.templatePath));
      const resource = templates.get(r.templatePath)?.[r.resourceLogicalId] as { Metadata?: Record<string, unknown> } | undefined;
      const reasons = resource?.Metadata?.[EXPECTED_EXEMPTIONS_METADATA_KEY] as Record<string, unknown> | undefined;
      const reason = reasons?.[`${this.name.replace(/ /g, '-')}::${ruleName.replace(/ /g, '-')}`];
      return typeof reason === 'string' && reason.trim().length > 0;
    };
    const violations = report.violations
      .map((v) => {
        const kept = v.violatingResources.filter((r) => !exempt(v.ruleName, r));
        dropped += v.violatingResources.length - kept.length;
        return { ...v, violatingResources: kept };
      })
      .filter((v) => v.violatingResources.length > 0);
    // a failed run without violations (the plugin itself failed) stays failed
    const success = report.success || (report.violations.length > 0 && violations.every((v) => v.severity === 'warning' || v.severity === 'info'));
    return {
      ...report,
      success,
      violations,
      metadata: { ...report.metadata, [EXPECTED_EXEMPTIONS_METADATA_KEY]: `${dropped} finding(s) on resources whose template metadata records the rule as an expected exemption` },
    };
  }
}

/** The Resources section of a synthesized template, or undefined when it cannot be read. */
function readResources(templatePath: string): Record<string, unknown> | undefined {
  try {
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, unknown> };
    return template.Resources;
  } catch {
    return undefined;
  }
}
