import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

const SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/** All four S3 Block Public Access settings on every in-scope bucket. */
export const S3BucketPublicAccessBlocked: CcpaRule = {
  id: 'S3BucketPublicAccessBlocked',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  what: 'An in-scope S3 bucket does not pin all four Block Public Access settings to true in the template. AWS has blocked public access on new buckets by default since April 2023, but a setting not pinned can be turned off later.',
  cites: Cites.SECURITY,
  risk: Risk.S3_PUBLIC,
  fix: 'Use PersonalDataBucket, or set blockPublicAccess: BlockPublicAccess.BLOCK_ALL (L1: PublicAccessBlockConfiguration with the four settings true).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const block = index.props(node).PublicAccessBlockConfiguration;
    if (index.anyUnknown({ PublicAccessBlockConfiguration: block })) return Outcome.CANNOT_VERIFY;
    if (!block) return Outcome.NON_COMPLIANT;
    const values = SETTINGS.map((s) => block[s]);
    if (index.anyUnknown(Object.fromEntries(SETTINGS.map((s) => [`PublicAccessBlockConfiguration.${s}`, block[s]])))) return Outcome.CANNOT_VERIFY;
    return values.every((v) => asBool(v) === true) ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
