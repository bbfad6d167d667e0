import { CfnCondition, CfnOutput, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AdversarialCase, runCases, templateFile } from './kit';

const T = ['S3BucketTlsOnly'];
/** The TLS deny for a bucket ARN expression (bucket and objects). */
const tlsDeny = (arn: unknown) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [arn, { 'Fn::Join': ['', [arn, '/*']] }],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
const readFor = (arn: unknown) => ({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [arn, '/*']] } });
const policy = (s: Stack, id: string, bucket: unknown, ...statements: unknown[]) =>
  new s3.CfnBucketPolicy(s, id, { bucket: bucket as string, policyDocument: { Version: '2012-10-17', Statement: statements } });

const cases: AdversarialCase[] = [
  {
    name: 'GIVEN enforceSSL and a second raw CfnBucketPolicy without the TLS deny for the same bucket THEN error (CloudFormation keeps one)',
    rules: T,
    build: (s) => {
      const b = new s3.Bucket(s, 'Bucket', { enforceSSL: true });
      policy(s, 'Extra', b.bucketName, readFor(b.bucketArn));
    },
    expect: ['CCPA-S3BucketTlsOnly at Test/Bucket/Resource'],
  },
  {
    name: 'GIVEN two bucket policies for one bucket that both carry the TLS deny THEN no finding',
    rules: T,
    build: (s) => {
      const b = new s3.CfnBucket(s, 'Bucket');
      const arn = { 'Fn::GetAtt': [b.logicalId, 'Arn'] };
      policy(s, 'One', b.ref, tlsDeny(arn));
      policy(s, 'Two', b.ref, tlsDeny(arn), readFor(arn));
    },
    expect: [],
  },
  {
    name: 'GIVEN a bucket policy onto a bucket outside the app (literal name) without the TLS deny THEN error on the policy',
    rules: T,
    build: (s) => { policy(s, 'External', 'legacy-customer-exports', readFor('arn:aws:s3:::legacy-customer-exports')); },
    expect: ['CCPA-S3BucketTlsOnly at Test/External'],
  },
  {
    name: 'GIVEN a bucket policy onto a bucket outside the app that carries its TLS deny THEN no finding',
    rules: T,
    build: (s) => { policy(s, 'External', 'legacy-customer-exports', tlsDeny('arn:aws:s3:::legacy-customer-exports')); },
    expect: [],
  },
  {
    name: 'GIVEN new s3.BucketPolicy on an imported bucket (fromBucketName) with only an Allow THEN error on the policy',
    rules: T,
    build: (s) => {
      const imported = s3.Bucket.fromBucketName(s, 'Imported', 'crm-attachments');
      const p = new s3.BucketPolicy(s, 'Policy', { bucket: imported });
      p.document.addStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [imported.arnForObjects('*')], principals: [new iam.AccountRootPrincipal()] }));
    },
    expect: ['CCPA-S3BucketTlsOnly at Test/Policy/Resource'],
  },
  {
    name: 'GIVEN a bucket policy whose Bucket is a parameter and whose TLS deny names the same parameter THEN no finding',
    rules: T,
    build: (s) => {
      const name = new CfnParameter(s, 'BucketName').valueAsString;
      policy(s, 'ByParam', name, tlsDeny(Fn.join('', ['arn:aws:s3:::', name])));
    },
    expect: [],
  },
  {
    name: 'GIVEN a bucket and its policy both named by Fn::Sub ${AWS::StackName}-data with the TLS deny THEN no finding',
    rules: T,
    build: (s) => {
      new s3.CfnBucket(s, 'Bucket', { bucketName: Fn.sub('${AWS::StackName}-data') });
      policy(s, 'Policy', Fn.sub('${AWS::StackName}-data'), tlsDeny(Fn.sub('arn:${AWS::Partition}:s3:::${AWS::StackName}-data')));
    },
    expect: [],
  },
  {
    name: 'GIVEN a bucket and its policy named by the same Fn::Sub without the TLS deny THEN error on the bucket',
    rules: T,
    build: (s) => {
      new s3.CfnBucket(s, 'Bucket', { bucketName: Fn.sub('${AWS::StackName}-data') });
      policy(s, 'Policy', Fn.sub('${AWS::StackName}-data'), readFor(Fn.sub('arn:aws:s3:::${AWS::StackName}-data')));
    },
    expect: ['CCPA-S3BucketTlsOnly at Test/Bucket'],
  },
  {
    name: 'GIVEN one policy on an unmapped import (with its own TLS deny) THEN other buckets are still verified (no [CannotVerify] spill-over)',
    rules: T,
    build: (s) => {
      new s3.Bucket(s, 'Good', { enforceSSL: true });
      new s3.Bucket(s, 'Bad');
      const imported = Fn.importValue('OtherApp-BucketName');
      policy(s, 'Foreign', imported, tlsDeny(Fn.join('', ['arn:aws:s3:::', imported])));
    },
    expect: ['CCPA-S3BucketTlsOnly at Test/Bad/Resource'],
  },
  {
    name: 'GIVEN a policy on an unmapped import without any TLS deny THEN error on that policy only',
    rules: T,
    build: (s) => {
      new s3.Bucket(s, 'Good', { enforceSSL: true });
      policy(s, 'Foreign', Fn.importValue('OtherApp-BucketName'), readFor('arn:aws:s3:::x'));
    },
    expect: ['CCPA-S3BucketTlsOnly at Test/Foreign'],
  },
  {
    name: 'GIVEN a policy document in Fn::If (with or without the TLS deny) THEN error (one branch lacks it)',
    rules: T,
    build: (s) => {
      const b = new s3.CfnBucket(s, 'Bucket');
      const arn = { 'Fn::GetAtt': [b.logicalId, 'Arn'] };
      const c = new CfnCondition(s, 'Strict', { expression: Fn.conditionEquals(new CfnParameter(s, 'Mode').valueAsString, 'strict') });
      new s3.CfnBucketPolicy(s, 'Policy', {
        bucket: b.ref,
        policyDocument: Fn.conditionIf(c.logicalId, { Statement: [tlsDeny(arn)] }, { Statement: [readFor(arn)] }),
      });
    },
    expect: ['CCPA-S3BucketTlsOnly at Test/Bucket'],
  },
  {
    name: 'GIVEN the bucket in one stack and its TLS policy in another through an export THEN no finding',
    rules: T,
    build: (s, app) => {
      const b = new s3.CfnBucket(s, 'Bucket');
      new CfnOutput(s, 'Name', { value: b.ref, exportName: 'Data-BucketName' });
      new CfnOutput(s, 'Arn', { value: b.attrArn, exportName: 'Data-BucketArn' });
      const other = new Stack(app, 'Policies');
      policy(other, 'Policy', Fn.importValue('Data-BucketName'), tlsDeny(Fn.importValue('Data-BucketArn')));
    },
    expect: [],
  },
  {
    name: 'GIVEN a YAML template (CfnInclude) with two policies for one bucket, one without the deny THEN error on the bucket',
    rules: T,
    build: (s) => {
      new CfnInclude(s, 'Legacy', {
        templateFile: templateFile('legacy.yaml', [
          'Resources:',
          '  Bucket:',
          '    Type: AWS::S3::Bucket',
          '  Tls:',
          '    Type: AWS::S3::BucketPolicy',
          '    Properties:',
          '      Bucket: !Ref Bucket',
          '      PolicyDocument:',
          '        Statement:',
          '          - Effect: Deny',
          '            Principal: "*"',
          '            Action: "s3:*"',
          '            Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]',
          '            Condition: { Bool: { "aws:SecureTransport": "false" } }',
          '  Readers:',
          '    Type: AWS::S3::BucketPolicy',
          '    Properties:',
          '      Bucket: !Ref Bucket',
          '      PolicyDocument:',
          '        Statement:',
          '          - Effect: Allow',
          '            Principal: { AWS: "arn:aws:iam::111111111111:root" }',
          '            Action: "s3:GetObject"',
          '            Resource: !Sub "${Bucket.Arn}/*"',
        ].join('\n')),
      });
    },
    expect: ['CCPA-S3BucketTlsOnly at Test/Legacy/Bucket'],
  },
];

describe('S3: bucket policies', () => runCases(cases));
