import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { bucketArnForms, policiesOf } from '../../private/bucket-policies';
import { asArray, asBool, isIntrinsic, statementsOf } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { actionsOf, isWildcardPrincipal } from '../../private/policy';
import { CcpaRule, Outcome } from '../../private/rule';

/** A bucket policy that denies every S3 action over plain HTTP, on the bucket and its objects. */
export const S3BucketTlsOnly: CcpaRule = {
  id: 'S3BucketTlsOnly',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  what: 'An in-scope S3 bucket has no bucket policy statement that denies s3:* to every principal when aws:SecureTransport is false, on both the bucket and its objects.',
  cites: ['ccr-7123(c)(2)', 'civ-1798.81.5(b)'],
  risk: Risk.S3_TLS,
  fix: 'Use PersonalDataBucket, or set enforceSSL: true (L1: an AWS::S3::BucketPolicy statement Effect Deny, Principal *, Action s3:*, Resource [bucket ARN, bucket ARN/*], Condition Bool aws:SecureTransport false).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const { policies, unresolved } = policiesOf(node, index);
    const bucketForms = new Set(['*', ...bucketArnForms(node, index, '')]);
    const objectForms = new Set(['*', ...bucketArnForms(node, index, '/*')]);
    let unknown = unresolved;
    for (const policy of policies) {
      const document = index.props(policy).PolicyDocument;
      if (isIntrinsic(document)) { unknown = true; continue; }
      for (const s of statementsOf(document)) {
        const secure = s.Condition?.Bool?.['aws:SecureTransport'] ?? s.Condition?.BoolIfExists?.['aws:SecureTransport'];
        if (s.Effect !== 'Deny' || !isWildcardPrincipal(s.Principal) || asBool(secure) !== false) continue;
        if (!actionsOf(s.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*')) continue;
        const resources = asArray(s.Resource).map((r) => index.render(r, policy));
        if (resources.some((r) => r.includes('{{?}}'))) { unknown = true; continue; }
        if (resources.some((r) => bucketForms.has(r)) && resources.some((r) => objectForms.has(r))) return Outcome.COMPLIANT;
      }
    }
    return unknown ? Outcome.CANNOT_VERIFY : Outcome.NON_COMPLIANT;
  },
};
