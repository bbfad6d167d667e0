import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { Risk } from '../../private/citations';
import { decryptConditionedOutcome } from '../../private/key-statements';
import { CcpaRule, Outcome } from '../../private/rule';

/** Nobody decrypts with a key of in-scope data without a condition (tag, kms:ViaService, source). */
export const KMSKeyPolicyDecryptConditioned: CcpaRule = {
  id: 'KMSKeyPolicyDecryptConditioned',
  service: 'kms',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  what: 'A KMS key that protects in-scope data lets someone decrypt (Decrypt, ReEncryptFrom, or CreateGrant) with no condition that limits it to some principals or uses; a whole account or organization is no limit.',
  cites: ['ccr-7123(c)(3)', 'ccr-7123(c)(2)', 'civ-1798.81.5(b)'],
  risk: Risk.KMS_POLICY,
  fix: 'Use PrivacyKey (decryption only for principals tagged privacy:access through kms:ViaService, and for roles tagged privacy:workflow=dsr); otherwise give every statement that allows decryption or grants a restricting condition on aws:PrincipalTag, aws:PrincipalArn, kms:ViaService, the encryption context, aws:SourceArn or kms:GrantIsForAWSResource (StringEquals/StringLike/ArnLike with real values, not IfExists, not "*"). kms:CallerAccount or aws:PrincipalOrgID alone let every principal of the account or organization decrypt.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    return decryptConditionedOutcome(node, index);
  },
};
