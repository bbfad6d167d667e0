/**
 * Integ test: EncryptionScp, deployed in an organization's management account (the policies are
 * created but not attached, so deploying it changes no account's permissions).
 *
 * Against a real account the assertion checks that Organizations stored the policy as a service
 * control policy. Here CI synthesizes it into integ/integ.encryption-scp.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { EncryptionScp } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaEncryptionScpInteg');

const scp = new EncryptionScp(stack, 'Guardrails', { policyName: 'cdk-ccpa-integ-guardrails' });

const integ = new IntegTest(app, 'EncryptionScpTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('Organizations', 'describePolicy', { PolicyId: scp.policies[0].attrId })
  .expect(ExpectedResult.objectLike({
    Policy: { PolicySummary: { Name: 'cdk-ccpa-integ-guardrails', Type: 'SERVICE_CONTROL_POLICY' } },
  }));

app.synth();
