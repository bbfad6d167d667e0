import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool, describeValue } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { valueAt } from '../../private/cmk-rule';
import { CcpaRule, Outcome } from '../../private/rule';

/** Encryption at rest and in transit on in-scope DAX clusters (DAX offers no customer-managed key). */
export const DAXEncrypted: CcpaRule = {
  id: 'DAXEncrypted',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::DAX::Cluster'],
  what: 'An in-scope DAX cluster caches table items unencrypted: SSESpecification.SSEEnabled is not true (at rest) or ClusterEndpointEncryptionType is not TLS (in transit).',
  cites: Cites.ENCRYPTION,
  choice: 'DAX encrypts at rest only with an AWS owned key (no customer-managed key can be chosen), so this rule asks for encryption on, not a key of your own; revoking the table\'s key still makes the table unreadable, and the cache expires.',
  risk: Risk.STORES,
  fix: 'Set SSESpecification: { SSEEnabled: true } and ClusterEndpointEncryptionType: TLS on the AWS::DAX::Cluster (both can only be set at creation).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::DAX::Cluster' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const sse = valueAt(props, 'SSESpecification.SSEEnabled');
    const tls = valueAt(props, 'ClusterEndpointEncryptionType');
    if (index.anyUnknown({ 'SSESpecification.SSEEnabled': sse, 'ClusterEndpointEncryptionType': tls })) return Outcome.CANNOT_VERIFY;
    let outcome = Outcome.COMPLIANT;
    if (asBool(sse) !== true) { index.note(`SSESpecification.SSEEnabled = ${describeValue(sse)}`); outcome = Outcome.NON_COMPLIANT; }
    if (tls !== 'TLS') { index.note(`ClusterEndpointEncryptionType = ${describeValue(tls)}`); outcome = Outcome.NON_COMPLIANT; }
    return outcome;
  },
};
