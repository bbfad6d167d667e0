import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataClassification, PrivacyKey, PrivacyPrincipal, PrivacyAccessLevel } from '../../lib';
import { expectCompliant } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';
import { IamSimulator } from '../kit/iam-sim';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
}

/** The key policy with every intrinsic resolved (partition aws, URL suffix amazonaws.com). */
function keyPolicyStatements(stack: Stack): any[] {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  return IamSimulator.fromStack(stack).resolve(Object.values(keys)[0].Properties.KeyPolicy.Statement) as any[];
}

function statement(stack: Stack, sid: string): any {
  return keyPolicyStatements(stack).find((s) => s.Sid === sid);
}

describe('PrivacyKey defaults', () => {
  test('GIVEN no props THEN a symmetric key with rotation, a 30-day window, RETAIN, an alias and the personal tag', () => {
    const stack = newStack();

    new PrivacyKey(stack, 'Key');

    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        EnableKeyRotation: true,
        PendingWindowInDays: 30,
        Tags: [{ Key: 'privacy:classification', Value: 'personal' }],
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: Match.stringLikeRegexp('^alias/privacy/Stack-Key-[0-9A-F]{8}$') });
  });

  test('GIVEN no props THEN the key policy has exactly the five statements of the model', () => {
    const stack = newStack();
    new PrivacyKey(stack, 'Key');

    expect(keyPolicyStatements(stack).map((s) => `${s.Effect} ${s.Sid}`)).toEqual([
      'Allow KeyAdministrationWithoutUseByAccount',
      'Allow UseByPrincipalsTaggedForThisClassification',
      'Allow UseByDsrWorkflowRoles',
      'Allow AllowGrantsForAwsResourcesOnly',
      'Deny DenyGrantsExceptForAwsResourcesAndServices',
    ]);
  });

  test('the account administers the key but is given no cryptographic action and no CreateGrant', () => {
    const stack = newStack();
    new PrivacyKey(stack, 'Key');

    const admin = statement(stack, 'KeyAdministrationWithoutUseByAccount');
    expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:root' });
    expect(admin.Condition).toBeUndefined();
    expect(admin.Action).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation', 'kms:TagResource']));
    for (const action of admin.Action as string[]) {
      expect(action).not.toMatch(/\*|Decrypt|Encrypt|GenerateDataKey|GenerateMac|CreateGrant|Sign|Verify/);
    }
  });

  test('tagged principals use the key only through S3 and DynamoDB in this account', () => {
    const stack = newStack();
    new PrivacyKey(stack, 'Key');

    expect(statement(stack, 'UseByPrincipalsTaggedForThisClassification')).toMatchObject({
      Action: [
        'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom', 'kms:ReEncryptTo',
      ],
      Condition: {
        StringEquals: {
          'aws:PrincipalTag/privacy:access': ['personal', 'sensitive'],
          'kms:CallerAccount': '111122223333',
          'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com'],
        },
      },
    });
  });

  test('DSR roles use the key directly, in this account', () => {
    const stack = newStack();
    new PrivacyKey(stack, 'Key');

    expect(statement(stack, 'UseByDsrWorkflowRoles').Condition).toEqual({
      StringEquals: { 'aws:PrincipalTag/privacy:workflow': 'dsr', 'kms:CallerAccount': '111122223333' },
    });
  });

  test('grants are possible only for AWS resources (the statement Control Tower CT.KMS.PR.3 requires)', () => {
    const stack = newStack();
    new PrivacyKey(stack, 'Key');

    expect(statement(stack, 'AllowGrantsForAwsResourcesOnly')).toMatchObject({
      Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    });
    expect(statement(stack, 'DenyGrantsExceptForAwsResourcesAndServices')).toEqual({
      Sid: 'DenyGrantsExceptForAwsResourcesAndServices',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });
});

describe('PrivacyKey props', () => {
  test('GIVEN a sensitive classification THEN only privacy:access=sensitive may use it and the key is tagged sensitive', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key', { classification: DataClassification.SENSITIVE });

    expect(key.classification).toBe(DataClassification.SENSITIVE);
    expect(statement(stack, 'UseByPrincipalsTaggedForThisClassification').Condition.StringEquals['aws:PrincipalTag/privacy:access']).toEqual(['sensitive']);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { Tags: [{ Key: 'privacy:classification', Value: 'sensitive' }] });
  });

  test('GIVEN alias, description, viaServices, rotationPeriod and removalPolicy THEN they are synthesized', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key', {
      alias: 'customers',
      description: 'Customer records',
      viaServices: ['sqs'],
      rotationPeriod: Duration.days(180),
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(30),
    });

    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Delete',
      Properties: { Description: 'Customer records', RotationPeriodInDays: 180 },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/customers' });
    expect(statement(stack, 'UseByPrincipalsTaggedForThisClassification').Condition.StringEquals['kms:ViaService']).toEqual(['sqs.us-east-1.amazonaws.com']);
    expect(key.viaServices).toEqual(['sqs']);
  });

  test.each([
    [{ pendingWindow: Duration.days(6) }, /\[PendingWindowTooShort\] pendingWindow 6 days is shorter than 30 days: .*1798\.81\.5\(b\)/],
    [{ pendingWindow: Duration.days(29) }, /pendingWindow 29 days is shorter than 30 days/],
    [{ alias: '' }, /alias "" is empty/],
    [{ alias: 'alias/' }, /alias "alias\/" is empty/],
    [{ alias: 'alias/aws/mine' }, /alias "alias\/aws\/mine": the "alias\/aws\/" prefix is reserved/],
    [{ alias: 'customers,prod' }, /alias "customers,prod" is not a valid KMS alias/],
    [{ classification: DataClassification.NON_PERSONAL }, /classification "non-personal": a PrivacyKey protects personal information/],
    [{ viaServices: [] }, /viaServices is empty/],
    [{ viaServices: ['s3.us-east-1.amazonaws.com'] }, /viaServices entry "s3.us-east-1.amazonaws.com" is not a service prefix/],
  ])('GIVEN %p THEN it is refused naming the prop and the value', (props, message) => {
    const stack = newStack();
    const thrown = validationErrorOf(() => new PrivacyKey(stack, 'Key', props));
    expect(thrown).toMatch(message);
  });

  test('GIVEN several wrong props THEN one error lists each of them', () => {
    expect(() => new PrivacyKey(newStack(), 'Key', { pendingWindow: Duration.days(7), alias: '' }))
      .toThrow(/\(1\) \[AliasEmpty\] alias "" is empty.*\n\(2\) \[PendingWindowTooShort\] pendingWindow 7 days/);
  });
});

describe('PrivacyKey grants', () => {
  test('GIVEN bucket.grantRead(role) on a bucket under the key THEN the role is tagged personal and gets kms:Decrypt on the key', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    bucket.grantRead(role);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:access', Value: 'personal' }] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'] })]) },
    });
  });

  test('GIVEN bucket.grantReadWrite(role) THEN the KMS actions are explicit, never wildcards (no AwsSolutions-IAM5 finding)', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    bucket.grantReadWrite(role);

    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];
    const kmsActions = policy.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()).filter((a: string) => a.startsWith('kms:'));
    expect(kmsActions.sort()).toEqual([
      'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
    ]);
  });

  test('no key policy statement uses a wildcard action', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    key.allowCloudWatchLogs();
    key.grantEncryptDecrypt(new iam.ServicePrincipal('logging.s3.amazonaws.com'));

    const actions = keyPolicyStatements(stack).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });

  test('GIVEN a sensitive key WHEN granted to a role tagged personal THEN the role rises to sensitive', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key', { classification: DataClassification.SENSITIVE });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    PrivacyPrincipal.tag(role, { access: PrivacyAccessLevel.PERSONAL });

    key.grantEncryptDecrypt(role);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:access', Value: 'sensitive' }] });
  });

  test('GIVEN grantToDsrWorkflow THEN the role is tagged privacy:workflow=dsr, not privacy:access', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    const role = new iam.Role(stack, 'Dsr', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });

    key.grantToDsrWorkflow(role);

    const roleProps = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0].Properties;
    expect(roleProps.Tags).toEqual([{ Key: 'privacy:workflow', Value: 'dsr' }]);
  });

  test('GIVEN a service principal grantee THEN the key policy statement is limited by aws:SourceAccount', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');

    key.grantEncryptDecrypt(new iam.ServicePrincipal('logging.s3.amazonaws.com'));

    expect(keyPolicyStatements(stack)).toContainEqual(expect.objectContaining({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    }));
  });

  test('GIVEN a role that ends up with a tag the key does not accept THEN synth is refused', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const key = new PrivacyKey(stack, 'Key', { classification: DataClassification.SENSITIVE });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantDecrypt(role);
    // a later, higher-priority tag overrides what the grant set
    (role.node.defaultChild as iam.CfnRole).tags.setTag('privacy:access', 'personal', 1000);

    expect(() => app.synth()).toThrow(/Stack\/Role\/Resource was granted use of Stack\/Key, but carries neither privacy:access=sensitive nor privacy:workflow=dsr \(found privacy:access=personal\)/);
  });

  test('GIVEN an imported role THEN the grant warns that it must be tagged where it is defined', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');

    key.grantDecrypt(iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/analytics'));

    AssertAnnotations.fromStack(stack).hasWarning('/Stack/Key', Match.stringLikeRegexp('uses? the key only if it carries the tag privacy:access=personal\\|sensitive'));
  });
});

describe('PrivacyKey.allowCloudWatchLogs', () => {
  test('THEN CloudWatch Logs of this region may use the key for matching log groups only', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    key.allowCloudWatchLogs('/cdk-ccpa/*');
    new logs.LogGroup(stack, 'Logs', { logGroupName: '/cdk-ccpa/dsr', encryptionKey: key, retention: logs.RetentionDays.TWO_YEARS });

    expect(keyPolicyStatements(stack)).toContainEqual(expect.objectContaining({
      Sid: 'AllowCloudWatchLogs',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111122223333:log-group:/cdk-ccpa/*' } },
    }));
  });

  test('called twice THEN two statements with distinct Sids', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    key.allowCloudWatchLogs('/a/*');
    key.allowCloudWatchLogs('/b/*');

    expect(keyPolicyStatements(stack).map((s) => s.Sid).filter((s) => s.startsWith('AllowCloudWatchLogs'))).toEqual(['AllowCloudWatchLogs', 'AllowCloudWatchLogs1']);
  });
});

describe('PrivacyKey compliance', () => {
  test('GIVEN no props THEN the 4 cdk-nag packs and the Control Tower rules find nothing, with no acknowledgement', () => {
    const stack = newStack();
    new PrivacyKey(stack, 'Key');

    const report = expectCompliant(stack);

    expect(report.acknowledgementsUsed).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  test('GIVEN a sensitive key with a grant and CloudWatch Logs THEN still nothing is found', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key', { classification: DataClassification.SENSITIVE });
    key.allowCloudWatchLogs();
    key.grantEncryptDecrypt(new iam.ServicePrincipal('logging.s3.amazonaws.com'));

    const report = expectCompliant(stack);

    expect(report.acknowledgementsUsed).toEqual([]);
  });
});

describe('PrivacyKey and Step Functions', () => {
  const arn = 'arn:aws:states:us-east-1:111122223333:stateMachine:dsr-requests';

  test('GIVEN allowStepFunctions THEN account principals may use the key only through Step Functions called by CloudFormation for that state machine, and log delivery only for this account\'s logs', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    key.allowStepFunctions(arn);

    expect(statement(stack, 'AllowStepFunctionsDeploymentByCloudFormation')).toEqual({
      Sid: 'AllowStepFunctionsDeploymentByCloudFormation',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        'StringEquals': {
          'kms:CallerAccount': '111122223333',
          'kms:ViaService': 'states.us-east-1.amazonaws.com',
          'kms:EncryptionContext:aws:states:stateMachineArn': arn,
        },
        'ForAnyValue:StringEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' },
      },
    });
    expect(statement(stack, 'AllowStepFunctionsLogDelivery')).toEqual({
      Sid: 'AllowStepFunctionsLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:SourceArn': 'arn:aws:logs:us-east-1:111122223333:*' } },
    });
  });

  test('GIVEN allowStepFunctions for two state machines THEN two deployment statements and one log delivery statement', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    key.allowStepFunctions(arn);
    key.allowStepFunctions(`${arn}-replay`);

    const sids = keyPolicyStatements(stack).map((s) => s.Sid).filter((s) => s.startsWith('AllowStepFunctions'));
    expect(sids).toEqual(['AllowStepFunctionsDeploymentByCloudFormation', 'AllowStepFunctionsLogDelivery', 'AllowStepFunctionsDeploymentByCloudFormation1']);
  });

  test.each([
    'arn:aws:states:us-east-1:111122223333:stateMachine:*',
    'arn:aws:states:us-east-1:111122223333:execution:dsr-requests:r-1',
    'dsr-requests',
  ])('GIVEN allowStepFunctions(%p) THEN it is refused: the key policy names exactly one state machine', (bad) => {
    const key = new PrivacyKey(newStack(), 'Key');
    const thrown = validationErrorOf(() => key.allowStepFunctions(bad));
    expect(thrown).toMatch(/allowStepFunctions: stateMachineArn .* is not the ARN of one state machine/);
  });

  test('GIVEN grantViaStepFunctions THEN the role is tagged privacy:workflow=dsr and may use the key only through Step Functions with that state machine\'s encryption context', () => {
    const stack = newStack();
    const key = new PrivacyKey(stack, 'Key');
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    key.grantViaStepFunctions(role, arn, 'kms:Decrypt', 'kms:GenerateDataKey*');

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'privacy:workflow', Value: 'dsr' }]) });
    const sim = IamSimulator.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Policy'))[0] as any;
    expect(sim.resolve(policy.Properties.PolicyDocument.Statement)).toEqual([{
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
      Resource: expect.stringMatching(/^arn:aws:kms:us-east-1:111122223333:key\//),
      Condition: { StringEquals: { 'kms:ViaService': 'states.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:states:stateMachineArn': arn } },
    }]);
  });
});
