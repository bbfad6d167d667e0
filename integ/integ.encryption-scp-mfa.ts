/**
 * Integ test: EncryptionScp with requireMfaForHumans, deployed in an organization's management
 * account (the policies are created but not attached, so deploying it changes no account's
 * permissions).
 *
 * Against a real account the assertions check that Organizations stored the policies. Here CI
 * synthesizes it into integ/integ.encryption-scp-mfa.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { EncryptionScp } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaEncryptionScpMfaInteg');

const scp = new EncryptionScp(stack, 'Guardrails', { policyName: 'cdk-ccpa-integ-mfa-guardrails', requireMfaForHumans: true });

const integ = new IntegTest(app, 'EncryptionScpMfaTest', { testCases: [stack] });

scp.policies.forEach((policy) => {
  integ.assertions
    .awsApiCall('Organizations', 'describePolicy', { PolicyId: policy.attrId })
    .expect(ExpectedResult.objectLike({ Policy: { PolicySummary: { Type: 'SERVICE_CONTROL_POLICY' } } }));
});

app.synth();
