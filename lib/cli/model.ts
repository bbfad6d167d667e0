import { SourcePosition } from './template-source';

/** One template to load into a Stack, with the nested stack templates it includes. */
export interface StackInput {
  /** Path to read. */
  readonly file: string;
  /** Path shown in reports (relative to the working directory, `/` separators). */
  readonly display: string;
  /** Nested stack templates by the logical id of their AWS::CloudFormation::Stack resource. */
  readonly nested: Readonly<Record<string, StackInput>>;
  /** Construct paths (no leading `/`) by logical id, from a cloud assembly's `aws:cdk:logicalId` metadata. */
  readonly paths?: Readonly<Record<string, string>>;
}

/** An acknowledgement recorded in a cloud assembly (manifest metadata), by construct path. */
export interface PathAcknowledgement {
  /** The construct path without the leading `/` (as in a resource's `aws:cdk:path`). */
  readonly path: string;
  /** The metadata key as written (`annotation::CCPA-X`, `CCPA::CCPA-X`). */
  readonly id: string;
  readonly reason: string;
}

/** What one App holds: a single template, or every stack of a cloud assembly. */
export interface AuditUnit {
  readonly label: string;
  readonly stacks: readonly StackInput[];
  readonly acknowledgements: readonly PathAcknowledgement[];
}

/** The options that change what a unit's audit finds. */
export interface CheckOptions {
  /** Template parameter values (applied where a template declares the parameter). */
  readonly parameters: Readonly<Record<string, string>>;
  /** The ARN of an organization trail declared with OrganizationTrailCoverage. */
  readonly orgTrail?: string;
  /** Extra cdk-nag packs by short name. */
  readonly packs: readonly string[];
}

export type Severity = 'error' | 'warning';

/** One finding, located in its source template. */
export interface Finding {
  /** The rule id as the pack reports it (`CCPA-S3BucketTlsOnly`, `CCPA-X[CannotVerify]`, `AwsSolutions-S1`). */
  readonly ruleId: string;
  /** The rule id without a `[...]` suffix. */
  readonly rule: string;
  readonly cannotVerify: boolean;
  readonly severity: Severity;
  readonly message: string;
  /** The template the resource is written in (display path). */
  readonly file: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The resource's key in the template. */
  readonly resourcePosition?: SourcePosition;
  /** The property the rule is about, when the template writes it. */
  readonly property?: string;
  readonly propertyPosition?: SourcePosition;
  /** Stable across reformatting and edits that keep the logical id. */
  readonly fingerprint: string;
}

/** A finding after comparison with a baseline. */
export interface ReportedFinding extends Finding {
  /** `new` unless the baseline holds the same fingerprint. */
  readonly baseline: 'new' | 'unchanged';
}

/** The outcome of one unit, as a worker sends it back. */
export interface UnitResult {
  readonly templates: number;
  readonly findings: readonly Finding[];
}
