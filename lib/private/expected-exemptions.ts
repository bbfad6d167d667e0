import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The CloudFormation resource metadata key under which a cdk-ccpa construct records the
 * validation rules its resource differs from by design: `{ "<plugin>::<rule>": "<reason>" }`.
 * Nothing reads it unless the user wraps a validator in `ExpectedExemptions.filter`: unlike an
 * acknowledgement, which aws-cdk-lib applies to every resource of the app, it never changes the
 * verdict on anyone else's resource.
 */
export const EXPECTED_EXEMPTIONS_METADATA_KEY = 'cdk-ccpa:expected-exemptions';

/** The plugin name of `@cdklabs/cdk-validator-cfnguard` (the Control Tower proactive controls). */
export const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

/**
 * Records on `resource` (an L1, or a construct whose default child is one) that it differs from
 * `plugin`'s `rule` by design, and why. One entry a rule; a later reason for the same rule wins.
 */
export function expectExemption(resource: IConstruct, plugin: string, rule: string, reason: string): void {
  const cfn = CfnResource.isCfnResource(resource) ? resource : resource.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) {
    throw new Error(`expectExemption: ${resource.node.path} is not a CloudFormation resource and has none as its default child`);
  }
  const existing = (cfn.getMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY) ?? {}) as Record<string, string>;
  cfn.addMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY, { ...existing, [`${plugin}::${rule}`]: reason });
}

/**
 * Withdraws what `expectExemption` recorded for `plugin`'s `rule` on `resource`: the resource
 * now follows the rule (e.g. a bucket that a construct turned write-once after its base construct
 * recorded why it is not).
 */
export function withdrawExemption(resource: IConstruct, plugin: string, rule: string): void {
  const cfn = CfnResource.isCfnResource(resource) ? resource : resource.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) return;
  const existing = (cfn.getMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY) ?? {}) as Record<string, string>;
  const { [`${plugin}::${rule}`]: _withdrawn, ...rest } = existing;
  cfn.addMetadata(EXPECTED_EXEMPTIONS_METADATA_KEY, rest);
}
