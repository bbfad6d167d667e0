import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivacyAccessLevel, PrivacyPrincipal, PseudonymizationKey } from '../../lib';
import { expectCompliant } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';
import { IamSimulator } from '../kit/iam-sim';

function newStack(app = new App()): Stack {
  return new Stack(app, 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
}

function keyPolicyStatements(stack: Stack): any[] {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  return IamSimulator.fromStack(stack).resolve(Object.values(keys)[0].Properties.KeyPolicy.Statement) as any[];
}

describe('PseudonymizationKey', () => {
  test('GIVEN no props THEN an HMAC_256 key for MACs only, no rotation (KMS cannot rotate HMAC keys), 30-day window, RETAIN, alias', () => {
    const stack = newStack();

    new PseudonymizationKey(stack, 'Pseudonyms');

    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySpec: 'HMAC_256',
        KeyUsage: 'GENERATE_VERIFY_MAC',
        EnableKeyRotation: false,
        PendingWindowInDays: 30,
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: Match.stringLikeRegexp('^alias/pseudonymization/Stack-Pseudonyms-') });
  });

  test('THEN tagged principals and DSR roles may only GenerateMac, VerifyMac and DescribeKey, directly, in this account', () => {
    const stack = newStack();
    new PseudonymizationKey(stack, 'Pseudonyms');

    const statements = keyPolicyStatements(stack);
    expect(statements.map((s) => s.Sid)).toEqual([
      'KeyAdministrationWithoutUseByAccount', 'UseByPrincipalsTaggedForThisClassification', 'UseByDsrWorkflowRoles',
      'AllowGrantsForAwsResourcesOnly', 'DenyGrantsExceptForAwsResourcesAndServices',
    ]);
    expect(statements[1]).toMatchObject({
      Action: ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'],
      Condition: { StringEquals: { 'aws:PrincipalTag/privacy:access': ['personal', 'sensitive'], 'kms:CallerAccount': '111122223333' } },
    });
    expect(statements[1].Condition.StringEquals['kms:ViaService']).toBeUndefined();
    expect(statements[2].Action).toEqual(['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac']);
  });

  test('GIVEN a grant to a tagged role THEN the identity policy allows GenerateMac and the role is not re-tagged', () => {
    const stack = newStack();
    const key = new PseudonymizationKey(stack, 'Pseudonyms');
    const role = new iam.Role(stack, 'Logger', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    PrivacyPrincipal.tag(role, { access: PrivacyAccessLevel.SENSITIVE });

    key.grantGenerateMac(role);
    key.grantVerifyMac(role);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'kms:GenerateMac', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pseudonyms'), 'Arn'] } }),
          Match.objectLike({ Action: 'kms:VerifyMac' }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:access', Value: 'sensitive' }] });
  });

  test('GIVEN a grant to an untagged role THEN synth is refused: KMS would deny it at run time', () => {
    const app = new App();
    const stack = newStack(app);
    const key = new PseudonymizationKey(stack, 'Pseudonyms');
    key.grantGenerateMac(new iam.Role(stack, 'Untagged', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));

    expect(() => app.synth()).toThrow(/Stack\/Untagged\/Resource was granted use of Stack\/Pseudonyms, but carries neither privacy:access=personal\|sensitive nor privacy:workflow=dsr \(found privacy:access=none\)/);
  });

  test.each([
    [{ pendingWindow: Duration.days(7) }, /pendingWindow 7 days is shorter than 30 days/],
    [{ alias: ' ' }, /alias " " is empty/],
  ])('GIVEN %p THEN it is refused naming the prop and the value', (props, message) => {
    const thrown = validationErrorOf(() => new PseudonymizationKey(newStack(), 'Pseudonyms', props));
    expect(thrown).toMatch(message);
  });
});

describe('PseudonymizationKey compliance', () => {
  test('GIVEN no props THEN the 4 cdk-nag packs and the Control Tower rules find nothing, with no acknowledgement', () => {
    const stack = newStack();
    new PseudonymizationKey(stack, 'Pseudonyms');

    const report = expectCompliant(stack);

    expect(report.acknowledgementsUsed).toEqual([]);
    expect(report.warnings).toEqual([]);
  });
});
