import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope SQSCustomerManagedKey stores. */
export const SQSCustomerManagedKey: CcpaRule = {
  id: 'SQSCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::SQS::Queue'],
  what: 'An in-scope SQS queue is not encrypted with a customer-managed KMS key (SSE-SQS and alias/aws/sqs do not count).',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Set encryption: QueueEncryption.KMS with encryptionMasterKey: a PrivacyKey with viaServices including sqs.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    return customerManagedKeyOutcome('KmsMasterKeyId', props.KmsMasterKeyId, node, index);
  },
};
