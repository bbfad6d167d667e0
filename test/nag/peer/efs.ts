import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/EFS.test.ts. */
export const EFS_SUITE: PeerSuite = {
  service: 'EFS',
  source: 'test/rules/EFS.test.ts',
  commit: '96b45e035c5c30d66fb41e4ed186188bb91891ba',
  rules: [
    {
      rule: 'EFSEncrypted',
      nagService: 'efs',
      awsSolutions: 'AwsSolutions-EFS1',
      ccpa: ['EFSCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance 1: encrypted false',
          nag: 'non-compliant',
          build: (s) => { new efs.FileSystem(s, 'rEFS', { vpc: new ec2.Vpc(s, 'rVpc'), encrypted: false }); },
          ccpa: ['CCPA-EFSCustomerManagedKey at Test/rEFS/Resource'],
        },
        {
          name: 'Compliance: the construct default (encrypted with the AWS managed key)',
          nag: 'compliant',
          build: (s) => { new efs.FileSystem(s, 'rEFS', { vpc: new ec2.Vpc(s, 'rVpc') }); },
          ccpa: ['CCPA-EFSCustomerManagedKey at Test/rEFS/Resource'],
          differs: 'CcpaChecks requires a customer-managed key (aws/elasticfilesystem lets every principal of the account with EFS access read the files).',
        },
        {
          name: 'Added: encrypted with a key of the app',
          nag: 'compliant',
          build: (s) => { new efs.FileSystem(s, 'rEFS', { vpc: new ec2.Vpc(s, 'rVpc'), kmsKey: new kms.Key(s, 'rKey') }); },
          ccpa: [],
        },
      ],
    },
  ],
};
