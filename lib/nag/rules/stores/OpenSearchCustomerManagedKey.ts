import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool, isIntrinsic } from '../../private/cfn-values';
import { Cite, Pattern } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest with a customer-managed KMS key on in-scope OpenSearchCustomerManagedKey stores. */
export const OpenSearchCustomerManagedKey: CcpaRule = {
  id: 'OpenSearchCustomerManagedKey',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
  what: 'An in-scope OpenSearch (or Elasticsearch) domain is not encrypted at rest with a customer-managed KMS key.',
  citation: `${Cite.BREACH}; ${Cite.SECURITY}`,
  pattern: Pattern.STORES,
  fix: 'Set encryptionAtRest: { enabled: true, kmsKey: a PrivacyKey with viaServices including es }.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const enc = props.EncryptionAtRestOptions;
    if (isIntrinsic(enc) || isIntrinsic(enc?.Enabled)) return Outcome.CANNOT_VERIFY;
    if (asBool(enc?.Enabled) !== true) return Outcome.NON_COMPLIANT;
    return customerManagedKeyOutcome(enc.KmsKeyId, node, index);
  },
};
