import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope BackupVaultCustomerManagedKey stores. */
export const BackupVaultCustomerManagedKey: CcpaRule = {
  id: 'BackupVaultCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Backup::BackupVault'],
  what: 'An in-scope AWS Backup vault does not encrypt recovery points with a customer-managed KMS key (EncryptionKeyArn); backups of personal data are personal data.',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Set encryptionKey: a PrivacyKey with viaServices including backup (the storage construct\'s backup plan does).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    return customerManagedKeyOutcome('EncryptionKeyArn', props.EncryptionKeyArn, node, index);
  },
};
