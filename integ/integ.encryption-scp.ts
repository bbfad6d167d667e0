/**
 * Integ test: EncryptionScp, deployed in an organization's management account (the policies are
 * created but not attached, so deploying it changes no account's permissions).
 *
 * Against a real account the assertions check that Organizations stored every policy of the set
 * (the defaults make 2) as a service control policy under its name. Here CI synthesizes it into integ/integ.encryption-scp.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { EncryptionScp } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaEncryptionScpInteg');

const scp = new EncryptionScp(stack, 'Guardrails', { policyName: 'cdk-ccpa-integ-guardrails' });

const integ = new IntegTest(app, 'EncryptionScpTest', { testCases: [stack] });

scp.policies.forEach((policy, i) => {
  const name = scp.policies.length === 1 ? 'cdk-ccpa-integ-guardrails' : `cdk-ccpa-integ-guardrails-${i + 1}`;
  integ.assertions
    .awsApiCall('Organizations', 'describePolicy', { PolicyId: policy.attrId })
    .expect(ExpectedResult.objectLike({
      Policy: { PolicySummary: { Name: name, Type: 'SERVICE_CONTROL_POLICY' } },
    }));
});

app.synth();
