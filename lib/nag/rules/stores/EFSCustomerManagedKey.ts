import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope EFSCustomerManagedKey stores. */
export const EFSCustomerManagedKey: CcpaRule = {
  id: 'EFSCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::EFS::FileSystem'],
  what: 'An in-scope EFS file system is not encrypted at rest with a customer-managed KMS key.',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Set encrypted: true and kmsKey: a PrivacyKey with viaServices including elasticfilesystem.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (index.anyUnknown({ Encrypted: props.Encrypted })) return Outcome.CANNOT_VERIFY;
    if (asBool(props.Encrypted) !== true) return Outcome.NON_COMPLIANT;
    return customerManagedKeyOutcome('KmsKeyId', props.KmsKeyId, node, index);
  },
};
