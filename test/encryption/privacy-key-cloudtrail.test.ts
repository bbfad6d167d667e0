import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PrivacyKey } from '../../lib';
import { validationErrorOf } from '../kit/errors';
import { IamSimulator, servicePrincipal } from '../kit/iam-sim';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/privacy-audit';

function keyWithTrail(...trails: string[]): { stack: Stack; key: PrivacyKey } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
  const key = new PrivacyKey(stack, 'Key');
  for (const t of trails) key.allowCloudTrail(t);
  return { stack, key };
}

function statements(stack: Stack): any[] {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  return IamSimulator.fromStack(stack).resolve(Object.values(keys)[0].Properties.KeyPolicy.Statement) as any[];
}

describe('PrivacyKey.allowCloudTrail', () => {
  test('GIVEN a trail ARN THEN CloudTrail may generate data keys for that trail only, and describe the key', () => {
    const { stack } = keyWithTrail(TRAIL);

    const added = statements(stack).filter((s) => /CloudTrail/.test(s.Sid));
    expect(added).toEqual([
      {
        Sid: 'AllowCloudTrailEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': TRAIL },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL },
        },
      },
      {
        Sid: 'AllowCloudTrailDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': TRAIL } },
      },
    ]);
  });

  test('GIVEN two trails THEN each gets its own pair of statements', () => {
    const other = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/other';
    const { stack } = keyWithTrail(TRAIL, other);
    expect(statements(stack).filter((s) => /CloudTrail/.test(s.Sid)).map((s) => [s.Sid, s.Condition.StringEquals['aws:SourceArn']])).toEqual([
      ['AllowCloudTrailEncryptLogs', TRAIL], ['AllowCloudTrailDescribeKey', TRAIL],
      ['AllowCloudTrailEncryptLogs1', other], ['AllowCloudTrailDescribeKey1', other],
    ]);
  });

  test('GIVEN the key policy THEN CloudTrail encrypts for the named trail and is denied for any other trail', async () => {
    const { stack, key } = keyWithTrail(TRAIL);
    const sim = IamSimulator.fromStack(stack);
    const resource = { logicalId: stack.getLogicalId(key.node.defaultChild as any) };
    const request = (trail: string) => ({
      principal: servicePrincipal('cloudtrail.amazonaws.com'),
      action: 'kms:GenerateDataKey',
      resource,
      context: { 'aws:SourceArn': trail, 'kms:EncryptionContext:aws:cloudtrail:arn': trail },
    });
    await sim.expectDecision(request(TRAIL), 'Allowed');
    await sim.expectDecision(request('arn:aws:cloudtrail:us-east-1:444455556666:trail/privacy-audit'), 'ImplicitlyDenied');
    await sim.expectDecision({ ...request(TRAIL), context: { 'aws:SourceArn': TRAIL, 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:us-east-1:444455556666:trail/x' } }, 'ImplicitlyDenied');
    await sim.expectDecision({ principal: servicePrincipal('cloudtrail.amazonaws.com'), action: 'kms:Decrypt', resource, context: { 'aws:SourceArn': TRAIL } }, 'ImplicitlyDenied');
  });

  test('GIVEN something that is not a trail ARN THEN a ValidationError names it and the reason', () => {
    const { key } = keyWithTrail();
    const thrown = validationErrorOf(() => key.allowCloudTrail('arn:aws:cloudtrail:us-east-1:111122223333:trail/*'));
    expect(thrown).toMatch(/trailArn "arn:aws:cloudtrail:us-east-1:111122223333:trail\/\*" is not the ARN of one trail/);
  });
});
