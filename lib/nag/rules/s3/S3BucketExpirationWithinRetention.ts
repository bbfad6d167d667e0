import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { PrivacyTagKeys } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { asArray, asNumber, CfnValue } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { declaredRetentionDays } from '../../private/retention';
import { CcpaRule, Outcome } from '../../private/rule';

/** Whether a lifecycle rule is enabled and applies to every object (no prefix, tag or size filter). */
function bucketWide(r: CfnValue): boolean {
  return r?.Status === 'Enabled' && r.Prefix === undefined && r.TagFilters === undefined
    && r.ObjectSizeGreaterThan === undefined && r.ObjectSizeLessThan === undefined;
}

/** A bucket that declares a retention expires objects (and noncurrent versions) within it. */
export const S3BucketExpirationWithinRetention: CcpaRule = {
  id: 'S3BucketExpirationWithinRetention',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  what: `An S3 bucket that declares a retention (${PrivacyTagKeys.RETENTION_DAYS}) has no enabled bucket-wide lifecycle rule expiring objects (or, versioned, noncurrent versions) within it: the retention is not enforced.`,
  cites: Cites.RETENTION,
  risk: Risk.RETENTION,
  fix: 'Use PersonalDataBucket with retention: Duration.days(n) (it writes the rules), or add a lifecycle rule without prefix or tag filter with expiration and noncurrentVersionExpiration at most the declared days; a fixed ExpirationDate does not follow a retention.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket') return Outcome.NOT_APPLICABLE;
    const days = declaredRetentionDays(node, index);
    if (days === undefined) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const status = props.VersioningConfiguration?.Status;
    const rules = props.LifecycleConfiguration?.Rules;
    if (index.anyUnknown({ 'VersioningConfiguration.Status': status, 'LifecycleConfiguration.Rules': rules })) return Outcome.CANNOT_VERIFY;
    const wide = asArray(rules).filter(bucketWide);
    const within = (value: CfnValue, property: string): boolean | Outcome => {
      const n = asNumber(value);
      if (value !== undefined && n === undefined) return index.unknown(property, value);
      return n !== undefined && n <= days;
    };
    let current = false;
    let noncurrent = false;
    for (const r of wide) {
      const c = within(r.ExpirationInDays, 'LifecycleConfiguration.Rules.ExpirationInDays');
      const nc = within(r.NoncurrentVersionExpiration?.NoncurrentDays ?? r.NoncurrentVersionExpirationInDays, 'LifecycleConfiguration.Rules.NoncurrentVersionExpiration');
      if (c === Outcome.CANNOT_VERIFY || nc === Outcome.CANNOT_VERIFY) return Outcome.CANNOT_VERIFY;
      current = current || c === true;
      noncurrent = noncurrent || nc === true;
    }
    const versioned = status === 'Enabled' || status === 'Suspended';
    if (!current) index.note(`no bucket-wide rule expires current objects within the declared ${days} days`);
    if (versioned && !noncurrent) index.note(`no bucket-wide rule expires noncurrent versions within the declared ${days} days`);
    return current && (!versioned || noncurrent) ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
