import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { describeValue } from '../../private/cfn-values';
import { CcpaRule, Outcome } from '../../private/rule';

/** Multi-factor authentication on in-scope Cognito user pools. */
export const CognitoUserPoolMfa: CcpaRule = {
  id: 'CognitoUserPoolMfa',
  service: 'cognito',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Cognito::UserPool'],
  what: 'An in-scope Cognito user pool (the personal data of every user) has MFA off (MfaConfiguration absent or OFF).',
  cites: ['ccr-7123(c)(1)', 'civ-1798.81.5(b)'],
  choice: 'OPTIONAL counts: a consumer pool cannot force every consumer to enrol a second factor, but it must offer one (with threat protection, CognitoUserPoolThreatProtection, asking for it on risky sign-ins).',
  risk: 'A user pool without a second factor lets one phished or reused password open a consumer\'s account and the personal data behind it.',
  fix: 'Set mfa: Mfa.REQUIRED (or Mfa.OPTIONAL for consumers) with mfaSecondFactor { otp: true } (L1: MfaConfiguration ON or OPTIONAL, EnabledMfas).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Cognito::UserPool' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const mfa = index.props(node).MfaConfiguration;
    if (index.anyUnknown({ MfaConfiguration: mfa })) return Outcome.CANNOT_VERIFY;
    if (mfa === 'ON' || mfa === 'OPTIONAL') return Outcome.COMPLIANT;
    index.note(`MfaConfiguration = ${describeValue(mfa)}`);
    return Outcome.NON_COMPLIANT;
  },
};
