import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import type { AppIndex } from './app-index';
import type { ProvisionId } from './citations';

/** What a rule concluded about one resource. */
export enum Outcome {
  NOT_APPLICABLE = 'N/A',
  COMPLIANT = 'Compliant',
  NON_COMPLIANT = 'Non-Compliant',
  /** A value the rule needs is a token or an import: reported as `<rule>[CannotVerify]`, never a silent pass. */
  CANNOT_VERIFY = 'CannotVerify',
}

/**
 * One CcpaChecks rule: a pure function of one L1 resource, plus the
 * metadata RULES.md is generated from. `evaluate` returns NOT_APPLICABLE first for every
 * resource type it does not check; whole-app facts come from the one `AppIndex` of the run.
 */
export interface CcpaRule {
  /** The rule id without the pack prefix, e.g. `S3BucketCustomerManagedKey` (full id `CCPA-S3BucketCustomerManagedKey`). */
  readonly id: string;
  /** The folder under rules/ (s3, dynamodb, kms, iam, logs, cloudtrail, ...). */
  readonly service: string;
  readonly level: NagMessageLevel;
  /** The CloudFormation types the rule looks at (the pack dispatches on them). */
  readonly resourceTypes: readonly string[];
  /** What is non-compliant, one sentence of at most about 250 characters (RULES.md "what"). */
  readonly what: string;
  /** The provisions the rule serves: ids of the one table in citations.ts. */
  readonly cites: readonly ProvisionId[];
  /** Where a threshold or default is the library's choice rather than the law's, what was chosen and why. */
  readonly choice?: string;
  /** The failure it prevents, in plain words. */
  readonly risk: string;
  /** How to fix it. */
  readonly fix: string;
  evaluate(node: CfnResource, index: AppIndex): Outcome;
}
