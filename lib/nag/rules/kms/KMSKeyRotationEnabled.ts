import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool, isIntrinsic } from '../../private/cfn-values';
import { Cite, Pattern } from '../../private/citations';
import { keyInScope } from '../../private/key-scope';
import { CcpaRule, Outcome } from '../../private/rule';

/** Automatic rotation on symmetric encryption keys of in-scope data (KMS cannot rotate the others). */
export const KMSKeyRotationEnabled: CcpaRule = {
  id: 'KMSKeyRotationEnabled',
  service: 'kms',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::KMS::Key'],
  what: 'A symmetric encryption KMS key that protects in-scope data does not have automatic key rotation enabled (HMAC and asymmetric keys, which KMS cannot rotate, are not checked).',
  citation: Cite.SECURITY,
  pattern: Pattern.CMK,
  fix: 'Use PrivacyKey (rotation always on), or set enableKeyRotation: true (L1: EnableKeyRotation true).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::KMS::Key') return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const spec = props.KeySpec ?? 'SYMMETRIC_DEFAULT';
    const usage = props.KeyUsage ?? 'ENCRYPT_DECRYPT';
    if (isIntrinsic(spec) || isIntrinsic(usage)) return Outcome.CANNOT_VERIFY;
    if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT' || props.Origin === 'EXTERNAL') return Outcome.NOT_APPLICABLE;
    if (!keyInScope(node, index)) return Outcome.NOT_APPLICABLE;
    if (isIntrinsic(props.EnableKeyRotation)) return Outcome.CANNOT_VERIFY;
    return asBool(props.EnableKeyRotation) === true ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
