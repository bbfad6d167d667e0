import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { isIntrinsic, statementsOf } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { keyInScope } from '../../private/key-scope';
import { grantedActions, hasCondition, KMS_DECRYPT_ACTIONS } from '../../private/policy';
import { CcpaRule, Outcome } from '../../private/rule';

/** Nobody decrypts with a key of in-scope data without a condition (tag, kms:ViaService, source). */
export const KMSKeyPolicyDecryptConditioned: CcpaRule = {
  id: 'KMSKeyPolicyDecryptConditioned',
  service: 'kms',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  what: 'A KMS key that protects in-scope data has a key policy statement that allows kms:Decrypt or kms:ReEncryptFrom (directly or through kms:*, *, or NotAction) without any condition; the CDK default key policy (account root, kms:*) is such a key.',
  cites: ['ccr-7123(c)(3)', 'ccr-7123(c)(2)', 'civ-1798.81.5(b)'],
  risk: Risk.KMS_POLICY,
  fix: 'Use PrivacyKey (decryption only for principals tagged privacy:access through kms:ViaService, and for roles tagged privacy:workflow=dsr); otherwise give every statement that allows decryption a condition such as aws:PrincipalTag/privacy:access, kms:ViaService or aws:SourceArn.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !keyInScope(node, index)) return Outcome.NOT_APPLICABLE;
    const policy = index.props(node).KeyPolicy;
    if (policy === undefined) return Outcome.NON_COMPLIANT; // KMS default key policy: the account may do kms:*
    if (isIntrinsic(policy)) return Outcome.CANNOT_VERIFY;
    const document = typeof policy === 'string' ? JSON.parse(policy) : policy;
    const open = statementsOf(document).some((s) => grantedActions(s, KMS_DECRYPT_ACTIONS).length > 0 && !hasCondition(s));
    return open ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
  },
};
