import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PeerSuite } from './kit';

/** cdk-nag test/rules/IAM.test.ts: the managed-policy and wildcard rules (AwsSolutions-IAM4, IAM5). */
export const IAM_SUITE: PeerSuite = {
  service: 'IAM',
  source: 'test/rules/IAM.test.ts',
  commit: 'd745f29de752eacc5b984924327b68ffbe251bf7',
  rules: [
    {
      rule: 'IAMNoManagedPolicies',
      nagService: 'iam',
      awsSolutions: 'AwsSolutions-IAM4',
      ccpa: ['IAMDataAccessResourceScoped', 'IAMDsrRoleNotAdmin'],
      cases: [
        {
          name: 'Noncompliance 1: an AWS managed policy (named foo) on a role',
          nag: 'non-compliant',
          build: (s) => { new iam.Role(s, 'rRole', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('foo')] }); },
          // CcpaChecks fails the AWS managed policies it knows reach personal data on every resource
          // (AmazonS3ReadOnlyAccess ...); one it does not know (foo) it cannot read: [CannotVerify]
          ccpa: ['CCPA-IAMDataAccessResourceScoped[CannotVerify] at Test/rRole/Resource'],
        },
        {
          name: 'Compliance: customer managed policies by name and by ARN',
          nag: 'compliant',
          build: (s) => {
            new iam.Role(s, 'rRole', {
              assumedBy: new iam.AccountRootPrincipal(),
              managedPolicies: [
                iam.ManagedPolicy.fromManagedPolicyName(s, 'rPolicyWithRef', 'foo'),
                iam.ManagedPolicy.fromManagedPolicyArn(s, 'rPolicyWithNumber', 'arn:aws:iam::123456789012:policy/describestack'),
              ],
            });
          },
          ccpa: ['CCPA-IAMDataAccessResourceScoped[CannotVerify] at Test/rRole/Resource'],
          differs: 'CcpaChecks cannot read a managed policy that is not in the app, so it reports [CannotVerify] (acknowledge it once the policy is reviewed) rather than assume the policy reaches no personal data.',
        },
        {
          name: 'Added: AmazonS3ReadOnlyAccess on a role',
          nag: 'non-compliant',
          build: (s) => { new iam.Role(s, 'rRole', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3ReadOnlyAccess')] }); },
          ccpa: ['CCPA-IAMDataAccessResourceScoped at Test/rRole/Resource'],
        },
      ],
    },
    {
      rule: 'IAMNoWildcardPermissions',
      nagService: 'iam',
      awsSolutions: 'AwsSolutions-IAM5',
      ccpa: ['IAMDataAccessResourceScoped'],
      cases: [
        {
          name: 'Noncompliance 1: s3:PutObject on Resource *',
          nag: 'non-compliant',
          build: (s) => {
            new iam.Role(s, 'rRole', {
              assumedBy: new iam.AccountRootPrincipal(),
              inlinePolicies: { foo: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['*'] })] }) },
            });
          },
          ccpa: ['CCPA-IAMDataAccessResourceScoped at Test/rRole/Resource'],
        },
        {
          name: 'Noncompliance 2: s3:* on one bucket of the app',
          nag: 'non-compliant',
          build: (s) => { new iam.Group(s, 'rGroup').addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [new s3.Bucket(s, 'rBucket').bucketArn] })); },
          ccpa: [],
          differs: 'CcpaChecks looks at the resources a data action reaches, not at wildcards in the action: s3:* on one bucket of the app reaches that bucket only.',
        },
        {
          name: 'Noncompliance 3: s3:PutObject on arn:<partition>:s3:<region>:<account>:myBucket/*',
          nag: 'non-compliant',
          build: (s) => {
            new iam.Role(s, 'rRole', {
              assumedBy: new iam.AccountRootPrincipal(),
              inlinePolicies: {
                foo: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [s.formatArn({ service: 's3', resource: 'myBucket', resourceName: '*' })] })] }),
              },
            });
          },
          ccpa: [],
          differs: 'CcpaChecks accepts every object of one named bucket (the bucket is the scope it asks for); the wildcard covers only the object keys.',
        },
        {
          name: 'Compliance: s3:ListBucket on one bucket of the app',
          nag: 'compliant',
          build: (s) => { new iam.User(s, 'rUser').addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [new s3.Bucket(s, 'rBucket').bucketArn] })); },
          ccpa: [],
        },
      ],
    },
  ],
};
