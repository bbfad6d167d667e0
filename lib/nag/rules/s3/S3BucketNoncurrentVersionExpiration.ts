import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** Versioned in-scope buckets expire noncurrent versions, so deleted personal data does not live on. */
export const S3BucketNoncurrentVersionExpiration: CcpaRule = {
  id: 'S3BucketNoncurrentVersionExpiration',
  service: 's3',
  level: NagMessageLevel.WARN,
  resourceTypes: ['AWS::S3::Bucket'],
  what: 'A versioned in-scope S3 bucket has no enabled, bucket-wide lifecycle rule that expires noncurrent versions: overwritten and deleted personal data stays readable in old versions indefinitely.',
  cites: ['civ-1798.105(c)(1)', 'ccr-7123(c)(16)'],
  risk: Risk.DELETION,
  fix: 'Use PersonalDataBucket, or add a lifecycle rule with noncurrentVersionExpiration (e.g. Duration.days(30)) and no prefix or tag filter; a DSR deletion must also delete every version explicitly.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const status = props.VersioningConfiguration?.Status;
    if (index.anyUnknown({ 'VersioningConfiguration.Status': status })) return Outcome.CANNOT_VERIFY;
    if (status !== 'Enabled' && status !== 'Suspended') return Outcome.NOT_APPLICABLE;
    const rules = props.LifecycleConfiguration?.Rules;
    if (index.anyUnknown({ 'LifecycleConfiguration.Rules': rules })) return Outcome.CANNOT_VERIFY;
    const expires = asArray(rules).some((r) =>
      r?.Status === 'Enabled'
      && (r.NoncurrentVersionExpiration !== undefined || r.NoncurrentVersionExpirationInDays !== undefined)
      && r.Prefix === undefined && r.TagFilters === undefined
      && r.ObjectSizeGreaterThan === undefined && r.ObjectSizeLessThan === undefined);
    return expires ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
