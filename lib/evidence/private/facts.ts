import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PrivacyInventoryEntry } from '../../inventory/privacy-inventory-entry';

/** One resource or construct behind a requirement: where it is and the setting that counts. */
export interface EvidenceItem {
  /** Construct path. */
  readonly path: string;
  /** CloudFormation type, or the construct class for a construct without a resource of its own. */
  readonly type: string;
  readonly stack?: string;
  readonly logicalId?: string;
  /** The setting that makes it evidence (e.g. `RetentionInDays = 365`). */
  readonly setting?: string;
}

/** One unacknowledged CcpaChecks finding. */
export interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/** One L1 resource of the app with its resolved properties. */
export interface ResourceFact {
  readonly resource: CfnResource;
  readonly path: string;
  readonly type: string;
  readonly stack: string;
  readonly logicalId: string;
  /** The resolved `Properties` (tokens that cannot resolve stay as CloudFormation intrinsics). */
  readonly props: ResourceProps;
}

/** A resource's resolved CloudFormation `Properties`: JSON whose shape the readers check. */
export type ResourceProps = Readonly<Record<string, unknown>>;

/** What the app synthesizes, read once per render. */
export interface AppFacts {
  readonly constructs: readonly IConstruct[];
  readonly resources: readonly ResourceFact[];
  readonly inventory: readonly PrivacyInventoryEntry[];
  readonly backupPlans: readonly { path: string; retentionDays: number }[];
  readonly findings: readonly Finding[];
  /** Ids (`CCPA-<Rule>`) of every rule the pack ran. */
  readonly rulesRun: readonly string[];
}

/** The resolved properties of an L1 (empty when it cannot render). */
export function resolvedProps(r: CfnResource): ResourceProps {
  try {
    const stack = Stack.of(r);
    // the L1's own CloudFormation fragment: { Resources: { <logicalId>: { Type, Properties, ... } } }
    const render = (r as unknown as { _toCloudFormation(): unknown })._toCloudFormation();
    const cfn = stack.resolve(render) as { Resources?: Record<string, { Properties?: ResourceProps }> } | undefined;
    const body = cfn?.Resources ? Object.values(cfn.Resources)[0] : undefined;
    return body?.Properties ?? {};
  } catch {
    return {};
  }
}

/** A property that is a list, or none (an intrinsic such as `Fn::If` in its place counts as none). */
export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A property that is an object, or an empty one. */
export function objectOf(value: unknown): ResourceProps {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as ResourceProps : {};
}

/** The resource facts of the given CloudFormation types. */
export function ofType(facts: AppFacts, ...types: string[]): ResourceFact[] {
  return facts.resources.filter((r) => types.includes(r.type));
}

/** The evidence item of a resource fact. */
export function item(r: ResourceFact, setting?: string): EvidenceItem {
  return { path: r.path, type: r.type, stack: r.stack, logicalId: r.logicalId, ...(setting !== undefined ? { setting } : {}) };
}

/** Whether the JSON text of a value contains `needle` (policy documents, event patterns). */
export function mentions(value: unknown, needle: string): boolean {
  return value !== undefined && JSON.stringify(value).includes(needle);
}
