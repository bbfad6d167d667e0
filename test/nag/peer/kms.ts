import * as kms from 'aws-cdk-lib/aws-kms';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/KMS.test.ts. */
export const KMS_SUITE: PeerSuite = {
  service: 'KMS',
  source: 'test/rules/KMS.test.ts',
  commit: '4281f4ca9995273ea1553523bc0aab5909b1e077',
  rules: [
    {
      rule: 'KMSBackingKeyRotationEnabled',
      nagService: 'kms',
      awsSolutions: 'AwsSolutions-KMS5',
      ccpa: ['KMSKeyRotationEnabled'],
      cases: [
        {
          name: 'Noncompliance 1: a symmetric key without rotation',
          nag: 'non-compliant',
          build: (s) => { new kms.Key(s, 'rSymmetricKey'); },
          ccpa: ['CCPA-KMSKeyRotationEnabled at Test/rSymmetricKey/Resource'],
        },
        {
          name: 'Compliance: a rotated symmetric key and an RSA key (rotation does not apply)',
          nag: 'compliant',
          build: (s) => {
            new kms.Key(s, 'rSymmetricKey', { enableKeyRotation: true });
            new kms.Key(s, 'rAsymmetricKey', { keySpec: kms.KeySpec.RSA_4096 });
          },
          ccpa: [],
        },
      ],
    },
  ],
};
