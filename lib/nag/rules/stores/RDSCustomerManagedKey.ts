import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope RDSCustomerManagedKey stores. */
export const RDSCustomerManagedKey: CcpaRule = {
  id: 'RDSCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  what: 'An in-scope RDS DB instance or Aurora/Multi-AZ DB cluster is not storage-encrypted with a customer-managed KMS key (instances of a cluster inherit the cluster\'s encryption).',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Set storageEncrypted: true and storageEncryptionKey (instance) / storageEncryptionKey (cluster) to a PrivacyKey with viaServices including rds.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (node.cfnResourceType === 'AWS::RDS::DBInstance' && props.DBClusterIdentifier !== undefined) return Outcome.NOT_APPLICABLE;
    if (index.anyUnknown({ StorageEncrypted: props.StorageEncrypted })) return Outcome.CANNOT_VERIFY;
    if (asBool(props.StorageEncrypted) !== true) return Outcome.NON_COMPLIANT;
    return customerManagedKeyOutcome('KmsKeyId', props.KmsKeyId, node, index);
  },
};
