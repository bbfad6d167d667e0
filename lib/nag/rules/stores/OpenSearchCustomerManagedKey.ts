import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope OpenSearchCustomerManagedKey stores. */
export const OpenSearchCustomerManagedKey: CcpaRule = {
  id: 'OpenSearchCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
  what: 'An in-scope OpenSearch (or Elasticsearch) domain is not encrypted at rest with a customer-managed KMS key.',
  cites: Cites.ENCRYPTION,
  risk: Risk.STORES,
  fix: 'Set encryptionAtRest: { enabled: true, kmsKey: a PrivacyKey with viaServices including es }.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const enc = props.EncryptionAtRestOptions;
    if (index.anyUnknown({ 'EncryptionAtRestOptions': enc, 'EncryptionAtRestOptions.Enabled': enc?.Enabled })) return Outcome.CANNOT_VERIFY;
    if (asBool(enc?.Enabled) !== true) return Outcome.NON_COMPLIANT;
    return customerManagedKeyOutcome('EncryptionAtRestOptions.KmsKeyId', enc.KmsKeyId, node, index);
  },
};
