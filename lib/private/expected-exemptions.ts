import { CfnResource } from 'aws-cdk-lib';

/** Template metadata key under which a resource lists the findings its construct expects by design. */
export const EXPECTED_EXEMPTIONS_METADATA_KEY = 'cdk-ccpa:expected-exemptions';

/** The validation plugin name of `@cdklabs/cdk-validator-cfnguard`. */
export const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

/** One expected finding, as recorded in a resource's template metadata. */
export interface ExpectedExemptionEntry {
  /** The validation plugin that reports the finding (e.g. `cdk-validator-cfnguard`). */
  readonly plugin: string;
  /** The plugin's rule name (e.g. `s3_bucket_logging_enabled_check`). */
  readonly rule: string;
  /** Why the construct deliberately differs from the rule. */
  readonly reason: string;
}

/**
 * Records on `resource` (its template `Metadata`) that `plugin` is expected to report `rule` on it,
 * and why. This changes no verdict: only a validation plugin the user wraps explicitly with
 * `ExpectedExemptions.filter()` drops the finding, and only on this resource.
 */
export function recordExpectedExemption(resource: CfnResource, plugin: string, rule: string, reason: string): void {
  const existing = (resource.getMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY) ?? []) as ExpectedExemptionEntry[];
  if (existing.some((e) => e.plugin === plugin && e.rule === rule)) return;
  resource.addMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY, [...existing, { plugin, rule, reason }]);
}

/** {@link recordExpectedExemption} for a cfn-guard (Control Tower) rule. */
export function expectCfnGuardFinding(resource: CfnResource, rule: string, reason: string): void {
  recordExpectedExemption(resource, CFN_GUARD_PLUGIN, rule, reason);
}
