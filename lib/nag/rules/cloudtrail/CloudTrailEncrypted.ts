import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** Trail log files (identities, IPs, object keys: personal data) are encrypted with a customer-managed key. */
export const CloudTrailEncrypted: CcpaRule = {
  id: 'CloudTrailEncrypted',
  service: 'cloudtrail',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::CloudTrail::Trail'],
  what: 'A trail does not encrypt its log files with a customer-managed KMS key (KMSKeyId); its records hold identities, IP addresses and object keys.',
  cites: Cites.ENCRYPTION,
  risk: Risk.TRAIL,
  fix: 'Set encryptionKey to a customer-managed key whose policy lets cloudtrail.amazonaws.com encrypt with an aws:SourceArn condition (IsolatedAuditTrail does).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::CloudTrail::Trail' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    return customerManagedKeyOutcome('KMSKeyId', index.props(node).KMSKeyId, node, index);
  },
};
