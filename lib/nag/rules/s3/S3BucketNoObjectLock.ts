import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { PrivacyTagKeys } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { logSinks } from '../../private/log-sinks';
import { CcpaRule, Outcome } from '../../private/rule';

/** The `privacy:audit` values of write-once audit archives. */
const WRITE_ONCE_AUDIT: ReadonlyArray<string | undefined> = [PrivacyTagKeys.AUDIT_CLOUDTRAIL_ARCHIVE, PrivacyTagKeys.AUDIT_DSR_RECORDS];

/** No Object Lock on buckets that hold personal data: locked versions cannot be deleted on request. */
export const S3BucketNoObjectLock: CcpaRule = {
  id: 'S3BucketNoObjectLock',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  what: 'An in-scope S3 bucket has Object Lock enabled, so locked versions cannot be deleted on request. Trail log buckets and buckets tagged privacy:audit=cloudtrail-archive or dsr-records (the records of requests of a DsrWorkflow) are not checked.',
  cites: ['civ-1798.105(c)(1)'],
  risk: Risk.DELETION,
  fix: 'Remove objectLockEnabled / objectLockDefaultRetention from buckets that hold personal data; keep WORM storage for records that are not personal (classify that bucket non-personal) or for audit logs in a separate, non-personal archive. Immutable audit logs are security evidence kept under a legal obligation (the deletion exceptions of Cal. Civ. Code 1798.105(d); audit documents under 11 CCR § 7122): keep them in a separate archive.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket' || !index.inScope(node) || logSinks(index).trailDestinations.has(node)
      || WRITE_ONCE_AUDIT.includes(index.tags(node)[PrivacyTagKeys.AUDIT])) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const enabled = props.ObjectLockEnabled;
    const config = props.ObjectLockConfiguration?.ObjectLockEnabled;
    if (index.anyUnknown({ 'ObjectLockEnabled': enabled, 'ObjectLockConfiguration.ObjectLockEnabled': config })) return Outcome.CANNOT_VERIFY;
    return asBool(enabled) === true || config === 'Enabled' ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
  },
};
