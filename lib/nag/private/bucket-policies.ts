import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { CfnValue } from './cfn-values';

/** The bucket policies of the app by the bucket they attach to, built once. */
export interface BucketPolicyIndex {
  readonly byBucket: Map<CfnResource, CfnResource[]>;
  readonly byName: Map<string, CfnResource[]>;
  /** Policies whose `Bucket` is a token the index cannot map to a bucket. */
  readonly unresolved: CfnResource[];
}

export function bucketPolicies(index: AppIndex): BucketPolicyIndex {
  return index.memo('bucket-policies', () => {
    const result: BucketPolicyIndex = { byBucket: new Map(), byName: new Map(), unresolved: [] };
    for (const policy of index.resourcesOfType('AWS::S3::BucketPolicy')) {
      const target = index.target(index.props(policy).Bucket, policy);
      if (target.kind === 'resource') {
        result.byBucket.set(target.resource, [...(result.byBucket.get(target.resource) ?? []), policy]);
      } else if (target.kind === 'literal') {
        result.byName.set(target.value, [...(result.byName.get(target.value) ?? []), policy]);
      } else {
        result.unresolved.push(policy);
      }
    }
    return result;
  });
}

/** The bucket policies attached to one bucket (by reference, or by its literal name). */
export function policiesOf(bucket: CfnResource, index: AppIndex): { policies: CfnResource[]; unresolved: boolean } {
  const idx = bucketPolicies(index);
  const name: CfnValue = index.props(bucket).BucketName;
  return {
    policies: [...(idx.byBucket.get(bucket) ?? []), ...(typeof name === 'string' ? idx.byName.get(name) ?? [] : [])],
    unresolved: idx.unresolved.length > 0,
  };
}

/**
 * The renderings an ARN of the bucket (suffix '') or of all its objects (suffix '/*') can take:
 * `{{Bucket.Arn}}<suffix>`, `arn:aws:s3:::{{Bucket.Ref}}<suffix>` and, for a literal name,
 * `arn:aws:s3:::<name><suffix>`.
 */
export function bucketArnForms(bucket: CfnResource, index: AppIndex, suffix: string): string[] {
  const id = index.logicalId(bucket);
  const forms = [`{{${id}.Arn}}${suffix}`, `arn:aws:s3:::{{${id}.Ref}}${suffix}`];
  const name = index.props(bucket).BucketName;
  if (typeof name === 'string') forms.push(`arn:aws:s3:::${name}${suffix}`);
  return forms;
}
