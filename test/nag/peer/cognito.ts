import * as cognito from 'aws-cdk-lib/aws-cognito';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/Cognito.test.ts (MFA; threat protection, which cdk-nag v3 checks as CognitoUserPoolPlusTier). */
export const COGNITO_SUITE: PeerSuite = {
  service: 'Cognito',
  source: 'test/rules/Cognito.test.ts',
  commit: '96b45e035c5c30d66fb41e4ed186188bb91891ba',
  rules: [
    {
      rule: 'CognitoUserPoolMFA',
      nagService: 'cognito',
      awsSolutions: 'AwsSolutions-COG2',
      ccpa: ['CognitoUserPoolMfa'],
      cases: [
        {
          name: 'Noncompliance 1: MFA off',
          nag: 'non-compliant',
          build: (s) => { new cognito.UserPool(s, 'rUserPool'); },
          ccpa: ['CCPA-CognitoUserPoolMfa at Test/rUserPool/Resource'],
        },
        {
          name: 'Noncompliance 2: MFA optional',
          nag: 'non-compliant',
          build: (s) => { new cognito.UserPool(s, 'rUserPool', { mfa: cognito.Mfa.OPTIONAL }); },
          ccpa: [],
          differs: 'CcpaChecks accepts OPTIONAL MFA: a consumer pool cannot force every consumer to enrol a second factor, but must offer one (threat protection asks for it on risky sign-ins).',
        },
        {
          name: 'Compliance: MFA required',
          nag: 'compliant',
          build: (s) => { new cognito.UserPool(s, 'rUserPool', { mfa: cognito.Mfa.REQUIRED }); },
          ccpa: [],
        },
      ],
    },
    {
      // cdk-nag's test file at this commit checks CognitoUserPoolAdvancedSecurityModeEnforced, which
      // cdk-nag v3 replaced with CognitoUserPoolPlusTier; the same apps are checked against the v3 rule
      rule: 'CognitoUserPoolPlusTier',
      nagService: 'cognito',
      awsSolutions: 'AwsSolutions-COG8',
      ccpa: ['CognitoUserPoolThreatProtection'],
      cases: [
        {
          name: 'Noncompliance 1: the Essentials plan, no threat protection',
          nag: 'non-compliant',
          build: (s) => { new cognito.UserPool(s, 'rUserPool'); },
          ccpa: ['CCPA-CognitoUserPoolThreatProtection at Test/rUserPool/Resource'],
        },
        {
          name: 'Noncompliance 2: AdvancedSecurityMode OFF',
          nag: 'non-compliant',
          build: (s) => { new cognito.CfnUserPool(s, 'rUserPool', { userPoolAddOns: { advancedSecurityMode: 'OFF' } }); },
          ccpa: ['CCPA-CognitoUserPoolThreatProtection at Test/rUserPool'],
        },
        {
          name: 'Compliance (v3): the Plus plan, threat protection in audit mode only',
          nag: 'compliant',
          build: (s) => { new cognito.UserPool(s, 'rUserPool', { featurePlan: cognito.FeaturePlan.PLUS, standardThreatProtectionMode: cognito.StandardThreatProtectionMode.AUDIT_ONLY }); },
          ccpa: ['CCPA-CognitoUserPoolThreatProtection at Test/rUserPool/Resource'],
          differs: 'CcpaChecks asks for threat protection ENFORCED (risky sign-ins blocked), not only the Plus plan: audit mode records leaked-credential sign-ins and lets them in.',
        },
        {
          name: 'Compliance (v3): the Plus plan with threat protection enforced',
          nag: 'compliant',
          build: (s) => { new cognito.UserPool(s, 'rUserPool', { featurePlan: cognito.FeaturePlan.PLUS, standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION }); },
          ccpa: [],
        },
      ],
    },
  ],
};
