import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { isLogSink } from '../../private/log-sinks';
import { CcpaRule, Outcome } from '../../private/rule';
import { Coverage, DataEventType, TrailCoverageIndex } from '../../private/trail-coverage';

/** Every in-scope bucket and table is covered by the data events of a trail. */
export const CloudTrailDataEventCoverage: CcpaRule = {
  id: 'CloudTrailDataEventCoverage',
  service: 'cloudtrail',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  what: 'An in-scope S3 bucket or DynamoDB table is not covered by the read and write data events of a logging trail of the app or of a declared OrganizationTrailCoverage. Buckets that receive trail or access logs are not checked.',
  cites: Cites.TRAIL,
  risk: Risk.TRAIL,
  fix: 'Add an IsolatedAuditTrail (or a trail with data event selectors for the bucket/table) to the app, or declare the organization trail that covers the stores with new OrganizationTrailCoverage(scope, id, { trailArn }).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    if (node.cfnResourceType === 'AWS::S3::Bucket' && isLogSink(node, index)) return Outcome.NOT_APPLICABLE;
    const s3 = node.cfnResourceType === 'AWS::S3::Bucket';
    const declared = index.declaredCoverage(node);
    if (declared && (s3 ? declared.s3 : declared.dynamoDb)) return Outcome.COMPLIANT;
    const coverage = TrailCoverageIndex.of(index).coverage(node, s3 ? DataEventType.S3_OBJECT : DataEventType.DYNAMODB_TABLE);
    if (coverage === Coverage.COVERED) return Outcome.COMPLIANT;
    if (coverage !== Coverage.UNKNOWN) return Outcome.NON_COMPLIANT;
    return TrailCoverageIndex.of(index).explainUnknown(node, s3 ? DataEventType.S3_OBJECT : DataEventType.DYNAMODB_TABLE);
  },
};
