import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { isIntrinsic } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { isLogSink } from '../../private/log-sinks';
import { CcpaRule, Outcome } from '../../private/rule';
import { Coverage, DataEventType, TrailCoverageIndex } from '../../private/trail-coverage';

/** Every access to an in-scope bucket is recorded: server access logs, or a trail's S3 data events. */
export const S3BucketAccessAudited: CcpaRule = {
  id: 'S3BucketAccessAudited',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  what: 'An in-scope S3 bucket has neither server access logging nor coverage by the S3 data events of a trail of the app or a declared OrganizationTrailCoverage. Buckets that receive trail or access logs are not checked.',
  cites: Cites.AUDIT_LOGS,
  risk: Risk.S3_AUDIT,
  fix: 'Use PersonalDataBucket (server access logging), set serverAccessLogsBucket, add the bucket to an IsolatedAuditTrail or a trail\'s S3 data events, or declare the organization trail with new OrganizationTrailCoverage(scope, id, { trailArn }).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket' || !index.inScope(node) || isLogSink(node, index)) return Outcome.NOT_APPLICABLE;
    const logging = index.props(node).LoggingConfiguration;
    if (logging && !isIntrinsic(logging)) return Outcome.COMPLIANT;
    if (index.declaredCoverage(node)?.s3) return Outcome.COMPLIANT;
    const coverage = TrailCoverageIndex.of(index).coverage(node, DataEventType.S3_OBJECT);
    if (coverage === Coverage.COVERED) return Outcome.COMPLIANT;
    if (index.anyUnknown({ LoggingConfiguration: logging })) return Outcome.CANNOT_VERIFY;
    return coverage === Coverage.UNKNOWN ? TrailCoverageIndex.of(index).explainUnknown(node, DataEventType.S3_OBJECT) : Outcome.NON_COMPLIANT;
  },
};
