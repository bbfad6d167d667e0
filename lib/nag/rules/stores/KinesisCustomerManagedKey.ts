import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';

import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope KinesisCustomerManagedKey stores. */
export const KinesisCustomerManagedKey: CcpaRule = {
  id: 'KinesisCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Kinesis::Stream'],
  what: 'An in-scope Kinesis data stream is not encrypted with a customer-managed KMS key (alias/aws/kinesis does not count).',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Set encryption: StreamEncryption.KMS with encryptionKey: a PrivacyKey with viaServices including kinesis.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const enc = props.StreamEncryption;
    if (index.anyUnknown({ 'StreamEncryption': enc, 'StreamEncryption.EncryptionType': enc?.EncryptionType })) return Outcome.CANNOT_VERIFY;
    if (enc?.EncryptionType !== 'KMS') return Outcome.NON_COMPLIANT;
    return customerManagedKeyOutcome('StreamEncryption.KeyId', enc.KeyId, node, index);
  },
};
