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
  readonly props: any;
}

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

/** The resolved properties of an L1 (undefined when it cannot render). */
export function resolvedProps(r: CfnResource): any {
  try {
    const stack = Stack.of(r);
    const cfn = stack.resolve((r as any)._toCloudFormation());
    const body = cfn?.Resources ? Object.values(cfn.Resources)[0] as any : undefined;
    return body?.Properties ?? {};
  } catch {
    return {};
  }
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
