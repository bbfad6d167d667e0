import { CfnResource, Stack } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { asArray, asBool, CfnValue, ifVariants, isIntrinsic, Part, renderPartsExact, statementsOf } from './cfn-values';
import { worst } from './keys';
import { actionsOf, isWildcardPrincipal } from './policy';
import { Outcome } from './rule';

/** The bucket policies of the app by the bucket they attach to, built once. */
interface BucketPolicyIndex {
  readonly byBucket: Map<CfnResource, CfnResource[]>;
  /** By the bucket name they name (literal, or built from pseudo parameters of their stack: see nameKey). */
  readonly byName: Map<string, CfnResource[]>;
  /** The buckets of the app by name key. */
  readonly bucketsByName: Map<string, CfnResource>;
}

/**
 * A key for a bucket name expression: its rendering when it is text and pseudo parameters only
 * (`${AWS::StackName}-data`), prefixed with the stack when a pseudo parameter makes it depend on
 * the stack; undefined for anything else (a parameter, an import, a reference).
 */
function nameKey(parts: readonly Part[], stack: Stack): string | undefined {
  if (parts.length === 0 || parts.some((p) => p.kind !== 'text' && p.kind !== 'pseudo')) return undefined;
  const rendered = renderPartsExact(parts);
  return parts.some((p) => p.kind === 'pseudo') ? `${stack.node.path}|${rendered}` : rendered;
}

function bucketPolicies(index: AppIndex): BucketPolicyIndex {
  return index.memo('bucket-policies', () => {
    const result: BucketPolicyIndex = { byBucket: new Map(), byName: new Map(), bucketsByName: new Map() };
    for (const bucket of index.resourcesOfType('AWS::S3::Bucket')) {
      const name = index.props(bucket).BucketName;
      const key = name === undefined ? undefined : nameKey(index.parts(name, bucket), Stack.of(bucket));
      if (key !== undefined) result.bucketsByName.set(key, bucket);
    }
    for (const policy of index.resourcesOfType('AWS::S3::BucketPolicy')) {
      const value = index.props(policy).Bucket;
      const target = index.target(value, policy);
      if (target.kind === 'resource') {
        result.byBucket.set(target.resource, [...(result.byBucket.get(target.resource) ?? []), policy]);
        continue;
      }
      const key = nameKey(index.parts(value, policy), Stack.of(policy));
      if (key !== undefined) result.byName.set(key, [...(result.byName.get(key) ?? []), policy]);
    }
    return result;
  });
}

/**
 * The bucket of the app a bucket policy attaches to (by reference or by the same name
 * expression), or undefined when it attaches to a bucket outside the app (a literal name of
 * another bucket, a parameter, an unmapped import).
 */
export function bucketOfPolicy(policy: CfnResource, index: AppIndex): CfnResource | undefined {
  const value = index.props(policy).Bucket;
  const target = index.target(value, policy);
  if (target.kind === 'resource') return target.resource.cfnResourceType === 'AWS::S3::Bucket' ? target.resource : undefined;
  const key = nameKey(index.parts(value, policy), Stack.of(policy));
  return key === undefined ? undefined : bucketPolicies(index).bucketsByName.get(key);
}

/** Every bucket policy of the app attached to one bucket (by reference, or by its name). */
export function policiesOf(bucket: CfnResource, index: AppIndex): CfnResource[] {
  const idx = bucketPolicies(index);
  const name = index.props(bucket).BucketName;
  const key = name === undefined ? undefined : nameKey(index.parts(name, bucket), Stack.of(bucket));
  return [...(idx.byBucket.get(bucket) ?? []), ...(key !== undefined ? idx.byName.get(key) ?? [] : [])];
}

/**
 * The renderings (`renderPartsExact`) an ARN of the bucket can take: `{{Bucket.Arn}}`,
 * `arn:aws:s3:::{{Bucket.Ref}}`, and `arn:aws:s3:::<name>` for a name expression.
 */
export function bucketArnForms(bucket: CfnResource, index: AppIndex): string[] {
  const id = index.logicalId(bucket);
  const forms = [`{{${id}.Arn}}`, `arn:aws:s3:::{{${id}.Ref}}`];
  const name = index.props(bucket).BucketName;
  if (name !== undefined) forms.push(`arn:aws:s3:::${renderPartsExact(index.parts(name, bucket))}`);
  return forms;
}

/**
 * Whether a bucket policy denies s3:* to every principal over plain HTTP on both the bucket ARN
 * (one of `arns`) and its objects (`<arn>/*`), in every Fn::If variant of its document.
 */
export function tlsDenyOutcome(policy: CfnResource, arns: readonly string[], index: AppIndex): Outcome {
  const document = index.props(policy).PolicyDocument;
  const variants = ifVariants(document);
  if (!variants) return index.unknown('PolicyDocument', document);
  const bucketForms = new Set(['*', ...arns]);
  const objectForms = new Set(['*', ...arns.map((a) => `${a}/*`)]);
  return worst(...variants.map((doc: CfnValue) => {
    if (isIntrinsic(doc)) return index.unknown('PolicyDocument', doc);
    let unknown = false;
    for (const s of statementsOf(doc)) {
      const secure = s.Condition?.Bool?.['aws:SecureTransport'] ?? s.Condition?.BoolIfExists?.['aws:SecureTransport'];
      if (s.Effect !== 'Deny' || !isWildcardPrincipal(s.Principal) || asBool(secure) !== false) continue;
      if (!actionsOf(s.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*')) continue;
      const resources = asArray(s.Resource).map((r) => renderPartsExact(index.parts(r, policy)));
      if (resources.some((r) => bucketForms.has(r)) && resources.some((r) => objectForms.has(r))) return Outcome.COMPLIANT;
      const unmatched = asArray(s.Resource).find((_r, i) => resources[i].includes('{{?') && !bucketForms.has(resources[i]) && !objectForms.has(resources[i]));
      if (unmatched !== undefined) { unknown = true; index.unknown('PolicyDocument.Statement.Resource', unmatched); }
    }
    return unknown ? Outcome.CANNOT_VERIFY : Outcome.NON_COMPLIANT;
  }));
}

/** The ARN forms of the bucket a policy names when that bucket is outside the app. */
export function externalBucketArnForms(policy: CfnResource, index: AppIndex): string[] {
  return [`arn:aws:s3:::${renderPartsExact(index.parts(index.props(policy).Bucket, policy))}`];
}
