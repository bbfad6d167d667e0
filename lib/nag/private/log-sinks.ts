import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';

/** Buckets that receive logs: CloudTrail destinations, and S3 server access log targets; built once. */
export interface LogSinks {
  readonly trailDestinations: Set<CfnResource>;
  readonly accessLogTargets: Set<CfnResource>;
}

export function logSinks(index: AppIndex): LogSinks {
  return index.memo('log-sinks', () => {
    const byName = new Map<string, CfnResource>();
    for (const b of index.resourcesOfType('AWS::S3::Bucket')) {
      const name = index.props(b).BucketName;
      if (typeof name === 'string') byName.set(name, b);
    }
    const resolve = (value: unknown, from: CfnResource): CfnResource | undefined => {
      const t = index.target(value, from);
      if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::S3::Bucket') return t.resource;
      return t.kind === 'literal' ? byName.get(t.value) : undefined;
    };
    const trailDestinations = new Set<CfnResource>();
    for (const trail of index.resourcesOfType('AWS::CloudTrail::Trail')) {
      const b = resolve(index.props(trail).S3BucketName, trail);
      if (b) trailDestinations.add(b);
    }
    const accessLogTargets = new Set<CfnResource>();
    for (const bucket of index.resourcesOfType('AWS::S3::Bucket')) {
      const dest = index.props(bucket).LoggingConfiguration?.DestinationBucketName;
      const b = dest === undefined ? undefined : resolve(dest, bucket);
      if (b && b !== bucket) accessLogTargets.add(b);
    }
    return { trailDestinations, accessLogTargets };
  });
}

/** Whether the bucket receives CloudTrail log files or S3 server access logs (auditing it with data events or access logs would loop). */
export function isLogSink(bucket: CfnResource, index: AppIndex): boolean {
  const sinks = logSinks(index);
  return sinks.trailDestinations.has(bucket) || sinks.accessLogTargets.has(bucket);
}
