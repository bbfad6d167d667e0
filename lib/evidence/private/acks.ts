import { Stack, Validations } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { acknowledgeAll, HIPAA_NIST_PACKS, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../../private/acknowledgements';
import { CFN_GUARD_PLUGIN, expectExemption } from '../../private/expected-exemptions';

/**
 * Acknowledge one finding id on `scope`. aws-cdk-lib's `Validations.acknowledge` refuses an id
 * with more than one `::` (granular cdk-nag ids naming `arn:<AWS::Partition>:...` or
 * `arn:...:s3:::...`); those are recorded in the same metadata `acknowledge` writes.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length <= 2) {
    Validations.of(scope).acknowledge({ id, reason });
  } else {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

/** The id aws-cdk-lib gives the provider function every AwsCustomResource of a stack shares. */
const PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

/**
 * The findings on an AwsCustomResource's own policy and on aws-cdk-lib's provider function (one
 * per stack, invoked by CloudFormation only), answered by design. The provider's findings are the
 * same whoever else uses it: its runtime, VPC and logging are aws-cdk-lib's. `wildcardResource` is
 * the policy's wildcard resource as cdk-nag names it.
 */
export function acknowledgeCustomResourceProvider(resource: cr.AwsCustomResource, wildcardResource: string, why: string): void {
  const policy = resource.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
  if (policy) {
    acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'),
      'The policy of one AwsCustomResource, deployed and deleted with it; aws-cdk-lib attaches it to the provider function\'s role.');
    acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::${wildcardResource}]`, `${why}.`);
  }
  const provider = Stack.of(resource).node.tryFindChild(PROVIDER_ID);
  const fn = provider?.node.defaultChild;
  if (!provider || !fn) return;
  const reason = 'aws-cdk-lib\'s AwsCustomResource provider, invoked by CloudFormation only at deploy time to make one AWS API call';
  acknowledgeAll(fn, ['AwsSolutions-L1'], `${reason}; its runtime is set by aws-cdk-lib and moves with it.`);
  acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaDLQ'), `${reason}; CloudFormation invokes it synchronously and fails the deployment on error, so a dead-letter queue would never receive anything.`);
  acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaConcurrency'), `${reason}; one invocation per deployment, so reserving concurrency would only take it from the account's unreserved pool.`);
  acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'LambdaInsideVPC'), `${reason}; it calls an AWS control-plane API and handles no personal data.`);
  expectExemption(fn, CFN_GUARD_PLUGIN, 'lambda_inside_vpc_check', `${reason}; it calls an AWS control-plane API and handles no personal data.`);
  const role = provider.node.tryFindChild('ServiceRole')?.node.defaultChild;
  if (role) {
    acknowledgeFinding(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${reason}; aws-cdk-lib gives its role the managed policy that lets it write its own logs.`);
  }
}
