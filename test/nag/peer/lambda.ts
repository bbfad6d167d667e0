import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PeerSuite } from './kit';

const DSR = [{ key: 'privacy:workflow', value: 'dsr' }];

/** cdk-nag test/rules/Lambda.test.ts: dead-letter configuration and function URL authentication. */
export const LAMBDA_SUITE: PeerSuite = {
  service: 'Lambda',
  source: 'test/rules/Lambda.test.ts',
  commit: 'b3968c0f1fa64b3e2d917a36d938a6c8161332c7',
  rules: [
    {
      rule: 'LambdaDLQ',
      nagService: 'lambda',
      ccpa: ['LambdaDsrFailureDestination'],
      cases: [
        {
          name: 'Noncompliance 1: no DeadLetterConfig',
          nag: 'non-compliant',
          build: (s) => { new lambda.CfnFunction(s, 'rFunction', { code: {}, role: 'somerole' }); },
          ccpa: [],
          differs: 'CcpaChecks asks for a failure path only on functions that execute data subject requests (tagged privacy:workflow=dsr, or run as a role so tagged): a dropped request is a right not honoured; other functions are outside its scope.',
        },
        {
          name: 'Noncompliance 2: an empty DeadLetterConfig',
          nag: 'non-compliant',
          build: (s) => { new lambda.CfnFunction(s, 'rFunction', { code: {}, role: 'somerole', deadLetterConfig: {} }); },
          ccpa: [],
          differs: 'As Noncompliance 1.',
        },
        {
          name: 'Compliance: a dead-letter target',
          nag: 'compliant',
          build: (s) => { new lambda.CfnFunction(s, 'rFunction', { code: {}, role: 'somerole', deadLetterConfig: { targetArn: 'mySnsTopicArn' } }); },
          ccpa: [],
        },
        {
          name: 'Added: Noncompliance 1 on a DSR function',
          nag: 'non-compliant',
          build: (s) => { new lambda.CfnFunction(s, 'rFunction', { code: {}, role: 'somerole', tags: DSR }); },
          ccpa: ['CCPA-LambdaDsrFailureDestination at Test/rFunction'],
        },
        {
          name: 'Added: Compliance on a DSR function',
          nag: 'compliant',
          build: (s) => { new lambda.CfnFunction(s, 'rFunction', { code: {}, role: 'somerole', tags: DSR, deadLetterConfig: { targetArn: 'mySnsTopicArn' } }); },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'LambdaFunctionUrlAuth',
      nagService: 'lambda',
      ccpa: ['LambdaFunctionUrlAuthorization'],
      cases: [
        {
          name: 'Noncompliance 1: AuthType NONE',
          nag: 'non-compliant',
          build: (s) => { new lambda.CfnUrl(s, 'rUrl', { authType: lambda.FunctionUrlAuthType.NONE, targetFunctionArn: 'somearn' }); },
          // 'somearn' names no function of the app: its classification is unknown, so not assumed compliant
          ccpa: ['CCPA-LambdaFunctionUrlAuthorization[CannotVerify] at Test/rUrl'],
        },
        {
          name: 'Compliance: AuthType AWS_IAM',
          nag: 'compliant',
          build: (s) => { new lambda.CfnUrl(s, 'rUrl', { authType: lambda.FunctionUrlAuthType.AWS_IAM, targetFunctionArn: 'somearn' }); },
          ccpa: [],
        },
        {
          name: 'Added: Noncompliance 1 on a function of the app',
          nag: 'non-compliant',
          build: (s) => {
            const f = new lambda.CfnFunction(s, 'rFunction', { code: {}, role: 'somerole' });
            new lambda.CfnUrl(s, 'rUrl', { authType: lambda.FunctionUrlAuthType.NONE, targetFunctionArn: f.attrArn });
          },
          ccpa: ['CCPA-LambdaFunctionUrlAuthorization at Test/rUrl'],
        },
        {
          name: 'Added: Noncompliance 1 on a function classified non-personal',
          nag: 'non-compliant',
          build: (s) => {
            const f = new lambda.CfnFunction(s, 'rFunction', { code: {}, role: 'somerole', tags: [{ key: 'privacy:classification', value: 'non-personal' }] });
            new lambda.CfnUrl(s, 'rUrl', { authType: lambda.FunctionUrlAuthType.NONE, targetFunctionArn: f.attrArn });
          },
          ccpa: [],
          differs: 'CcpaChecks asks for authentication only on functions that may process personal data: a function classified privacy:classification=non-personal (a public webhook, a status page) may be open.',
        },
      ],
    },
  ],
};
