/**
 * Integ test: PrivilegedChangeAlerts, to be deployed in us-east-1 (where CloudTrail delivers IAM and Organizations
 * events to EventBridge).
 *
 * Against a real account the assertions check that the three rules are enabled and target the
 * encrypted topic. Here CI synthesizes it into integ/integ.privileged-change-alerts.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { PrivilegedChangeAlerts } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaPrivilegedChangeAlertsInteg'); // deploy it to us-east-1

const alerts = new PrivilegedChangeAlerts(stack, 'Alerts');

const integ = new IntegTest(app, 'PrivilegedChangeAlertsTest', { testCases: [stack] });

for (const rule of alerts.rules) {
  integ.assertions
    .awsApiCall('EventBridge', 'describeRule', { Name: rule.ruleName })
    .expect(ExpectedResult.objectLike({ State: 'ENABLED' }));
}
integ.assertions
  .awsApiCall('SNS', 'getTopicAttributes', { TopicArn: alerts.topic.topicArn })
  .expect(ExpectedResult.objectLike({ Attributes: { KmsMasterKeyId: alerts.encryptionKey.keyArn } }));

app.synth();
