import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool, isIntrinsic } from '../../private/cfn-values';
import { Cite, Pattern } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

const SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/** All four S3 Block Public Access settings on every in-scope bucket. */
export const S3BucketPublicAccessBlocked: CcpaRule = {
  id: 'S3BucketPublicAccessBlocked',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  what: 'An in-scope S3 bucket does not turn on all four Block Public Access settings (BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets).',
  citation: Cite.SECURITY,
  pattern: Pattern.S3_POLICY,
  fix: 'Use PersonalDataBucket, or set blockPublicAccess: BlockPublicAccess.BLOCK_ALL (L1: PublicAccessBlockConfiguration with the four settings true).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const block = index.props(node).PublicAccessBlockConfiguration;
    if (isIntrinsic(block)) return Outcome.CANNOT_VERIFY;
    if (!block) return Outcome.NON_COMPLIANT;
    const values = SETTINGS.map((s) => block[s]);
    if (values.some((v) => isIntrinsic(v))) return Outcome.CANNOT_VERIFY;
    return values.every((v) => asBool(v) === true) ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
