import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { CfnValue } from './cfn-values';
import { Outcome } from './rule';

/** CloudFormation types whose `Ref`/`Arn` names a customer-managed KMS key. */
const CUSTOMER_KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::KMS::Alias']);

/**
 * Whether a key property names a customer-managed KMS key.
 *
 * | value | outcome |
 * | --- | --- |
 * | absent / empty | NON_COMPLIANT (the service's own or AWS managed key) |
 * | Ref/GetAtt of an AWS::KMS::Key, ReplicaKey or Alias of the app (any stack) | COMPLIANT |
 * | a literal or pseudo-built string containing `alias/aws/` | NON_COMPLIANT (AWS managed key) |
 * | a literal `alias/<name>` or alias ARN | COMPLIANT (`alias/aws/` is reserved, so any other alias names a customer key) |
 * | a literal key id or key ARN, a parameter, an unmapped import | CANNOT_VERIFY (AWS managed keys have key ARNs too) |
 * | a reference to another kind of resource | CANNOT_VERIFY |
 */
export function customerManagedKeyOutcome(property: string, value: CfnValue, from: CfnResource, index: AppIndex): Outcome {
  if (value === undefined || value === null || value === '') return Outcome.NON_COMPLIANT;
  const target = index.target(value, from);
  switch (target.kind) {
    case 'resource':
      return CUSTOMER_KEY_TYPES.has(target.resource.cfnResourceType) ? Outcome.COMPLIANT : index.unknown(property, value);
    case 'literal':
      if (target.value.includes('alias/aws/')) return Outcome.NON_COMPLIANT;
      return /(^|:)alias\/[^*]+$/.test(target.value) ? Outcome.COMPLIANT : index.unknown(property, value);
    default: {
      const rendered = index.render(value, from);
      return rendered.includes('alias/aws/') ? Outcome.NON_COMPLIANT : index.unknown(property, value);
    }
  }
}

/** The worst of several outcomes: NON_COMPLIANT > CANNOT_VERIFY > COMPLIANT > NOT_APPLICABLE. */
export function worst(...outcomes: Outcome[]): Outcome {
  const order = [Outcome.NON_COMPLIANT, Outcome.CANNOT_VERIFY, Outcome.COMPLIANT, Outcome.NOT_APPLICABLE];
  for (const o of order) {
    if (outcomes.includes(o)) return o;
  }
  return Outcome.NOT_APPLICABLE;
}
