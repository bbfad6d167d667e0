import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope SNSCustomerManagedKey stores. */
export const SNSCustomerManagedKey: CcpaRule = {
  id: 'SNSCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::SNS::Topic'],
  what: 'An in-scope SNS topic is not encrypted with a customer-managed KMS key (alias/aws/sns does not count).',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Set masterKey: a PrivacyKey with viaServices including sns, and enforceSSL: true.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    return customerManagedKeyOutcome('KmsMasterKeyId', props.KmsMasterKeyId, node, index);
  },
};
