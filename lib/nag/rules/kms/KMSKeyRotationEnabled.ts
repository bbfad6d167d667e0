import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { keyInScope } from '../../private/key-scope';
import { CcpaRule, Outcome } from '../../private/rule';

/** Automatic rotation on symmetric encryption keys of in-scope data (KMS cannot rotate the others). */
export const KMSKeyRotationEnabled: CcpaRule = {
  id: 'KMSKeyRotationEnabled',
  service: 'kms',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::KMS::Key'],
  what: 'A symmetric encryption KMS key that protects in-scope data does not have automatic key rotation enabled (HMAC and asymmetric keys, which KMS cannot rotate, are not checked).',
  cites: ['ccr-7123(c)(2)', 'civ-1798.81.5(b)'],
  choice: 'Yearly automatic rotation is the library\'s choice of key management practice; no provision sets a rotation period.',
  risk: Risk.KEY_ROTATION,
  fix: 'Use PrivacyKey (rotation always on), or set enableKeyRotation: true (L1: EnableKeyRotation true).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::KMS::Key') return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const spec = props.KeySpec ?? 'SYMMETRIC_DEFAULT';
    const usage = props.KeyUsage ?? 'ENCRYPT_DECRYPT';
    if (index.anyUnknown({ KeySpec: spec, KeyUsage: usage })) return Outcome.CANNOT_VERIFY;
    if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT' || props.Origin === 'EXTERNAL') return Outcome.NOT_APPLICABLE;
    if (!keyInScope(node, index)) return Outcome.NOT_APPLICABLE;
    if (index.anyUnknown({ EnableKeyRotation: props.EnableKeyRotation })) return Outcome.CANNOT_VERIFY;
    return asBool(props.EnableKeyRotation) === true ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
