/**
 * Integ test: PrivacyKey and PseudonymizationKey as deployed.
 *
 * Against a real account the assertions check what KMS reports for the keys (customer managed,
 * symmetric with rotation on; HMAC_256 for MACs only; 30-day deletion window through the
 * template). Here CI synthesizes it into integ/integ.privacy-key.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PrivacyKey, PseudonymizationKey } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaPrivacyKeyInteg');

// DESTROY so that the test leaves nothing but keys pending deletion behind
const key = new PrivacyKey(stack, 'PersonalDataKey', { removalPolicy: RemovalPolicy.DESTROY });
const pseudonyms = new PseudonymizationKey(stack, 'SubjectPseudonyms', { removalPolicy: RemovalPolicy.DESTROY });

const integ = new IntegTest(app, 'PrivacyKeyTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('KMS', 'describeKey', { KeyId: key.keyId })
  .expect(ExpectedResult.objectLike({
    KeyMetadata: { KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' },
  }));

integ.assertions
  .awsApiCall('KMS', 'getKeyRotationStatus', { KeyId: key.keyId })
  .expect(ExpectedResult.objectLike({ KeyRotationEnabled: true }));

integ.assertions
  .awsApiCall('KMS', 'describeKey', { KeyId: pseudonyms.keyId })
  .expect(ExpectedResult.objectLike({
    KeyMetadata: { KeyManager: 'CUSTOMER', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', KeyState: 'Enabled' },
  }));

app.synth();
