import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PrivacyKey } from '../../lib';
import { IamSimulator, servicePrincipal } from '../kit/iam-sim';

const ACCOUNT = '111122223333';
const alarmArn = (name: string, account = ACCOUNT) => `arn:aws:cloudwatch:us-east-1:${account}:alarm:${name}`;

function keyForAlarms(pattern?: string): { stack: Stack; key: PrivacyKey } {
  const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const key = new PrivacyKey(stack, 'Key');
  key.allowCloudWatchAlarms(pattern);
  return { stack, key };
}

describe('PrivacyKey.allowCloudWatchAlarms', () => {
  test('GIVEN a topic encrypted with the key THEN CloudWatch may publish to it for an alarm of this account, and for nothing else', async () => {
    const { stack, key } = keyForAlarms();
    const topic = new sns.Topic(stack, 'Oncall', { masterKey: key, enforceSSL: true });
    new cloudwatch.Alarm(stack, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1,
    }).addAlarmAction(new cw_actions.SnsAction(topic));
    const sim = IamSimulator.fromStack(stack);
    const resource = { logicalId: stack.getLogicalId(key.node.defaultChild as any) };
    const request = (action: string, context: Record<string, string>) => ({ principal: servicePrincipal('cloudwatch.amazonaws.com'), action, resource, context });
    const own = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': alarmArn('DsrFailures') };
    await sim.expectDecision(request('kms:GenerateDataKey', own), 'Allowed');
    await sim.expectDecision(request('kms:Decrypt', own), 'Allowed');
    // the confused deputy: an alarm in another account
    await sim.expectDecision(request('kms:GenerateDataKey', { 'aws:SourceAccount': '444455556666', 'aws:SourceArn': alarmArn('x', '444455556666') }), 'ImplicitlyDenied');
    await sim.expectDecision(request('kms:Encrypt', own), 'ImplicitlyDenied');
    await sim.expectDecision(request('kms:CreateGrant', own), 'ImplicitlyDenied');
  });

  test('GIVEN an alarm name pattern THEN only matching alarms are allowed', async () => {
    const { stack, key } = keyForAlarms('Dsr*');
    const sim = IamSimulator.fromStack(stack);
    const resource = { logicalId: stack.getLogicalId(key.node.defaultChild as any) };
    const request = (name: string) => ({
      principal: servicePrincipal('cloudwatch.amazonaws.com'),
      action: 'kms:GenerateDataKey',
      resource,
      context: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': alarmArn(name) },
    });
    await sim.expectDecision(request('DsrFailures'), 'Allowed');
    await sim.expectDecision(request('Billing'), 'ImplicitlyDenied');
  });
});
