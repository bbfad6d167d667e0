import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { describeValue } from '../../private/cfn-values';
import { valueAt } from '../../private/cmk-rule';
import { CcpaRule, Outcome } from '../../private/rule';

/** Threat protection (advanced security) enforced on in-scope Cognito user pools. */
export const CognitoUserPoolThreatProtection: CcpaRule = {
  id: 'CognitoUserPoolThreatProtection',
  service: 'cognito',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Cognito::UserPool'],
  what: 'An in-scope Cognito user pool does not enforce threat protection (UserPoolAddOns.AdvancedSecurityMode is not ENFORCED): compromised credentials and risky sign-ins are not blocked.',
  cites: ['ccr-7123(c)(1)', 'civ-1798.81.5(b)'],
  risk: 'Without threat protection, sign-ins with leaked credentials or from unusual places reach consumers\' accounts unchallenged and unrecorded.',
  fix: 'Set featurePlan: FeaturePlan.PLUS and standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION (L1: UserPoolTier PLUS, UserPoolAddOns { AdvancedSecurityMode: ENFORCED }).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Cognito::UserPool' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const mode = valueAt(index.props(node), 'UserPoolAddOns.AdvancedSecurityMode');
    if (index.anyUnknown({ 'UserPoolAddOns.AdvancedSecurityMode': mode })) return Outcome.CANNOT_VERIFY;
    if (mode === 'ENFORCED') return Outcome.COMPLIANT;
    index.note(`UserPoolAddOns.AdvancedSecurityMode = ${describeValue(mode)}`);
    return Outcome.NON_COMPLIANT;
  },
};
