import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { bucketArnForms, bucketOfPolicy, externalBucketArnForms, policiesOf, tlsDenyOutcome } from '../../private/bucket-policies';
import { Risk } from '../../private/citations';
import { worst } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** A bucket policy that denies every S3 action over plain HTTP, on the bucket and its objects. */
export const S3BucketTlsOnly: CcpaRule = {
  id: 'S3BucketTlsOnly',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
  what: 'An in-scope S3 bucket is not covered by a deny of s3:* over plain HTTP (aws:SecureTransport false) in every bucket policy that names it, or a bucket policy replaces the policy of a bucket outside the app without that deny.',
  cites: ['ccr-7123(c)(2)', 'civ-1798.81.5(b)'],
  risk: Risk.S3_TLS,
  fix: 'Use PersonalDataBucket, or set enforceSSL: true and attach no second AWS::S3::BucketPolicy to the bucket (CloudFormation keeps one policy per bucket: the last one deployed replaces the others). A policy for a bucket outside the app replaces that bucket\'s whole policy: include a statement Effect Deny, Principal *, Action s3:*, Resource [bucket ARN, bucket ARN/*], Condition Bool aws:SecureTransport false.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    if (node.cfnResourceType === 'AWS::S3::BucketPolicy') {
      // a policy on a bucket of the app is judged with that bucket
      if (bucketOfPolicy(node, index)) return Outcome.NOT_APPLICABLE;
      return tlsDenyOutcome(node, externalBucketArnForms(node, index), index);
    }
    const policies = policiesOf(node, index);
    if (policies.length === 0) return Outcome.NON_COMPLIANT;
    const forms = bucketArnForms(node, index);
    return worst(...policies.map((p) => tlsDenyOutcome(p, forms, index)));
  },
};
