import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CyberAuditEvidence, PrivilegedChangeAlerts } from '../../lib';
import { ComplianceReport, runComplianceKit, formatFindings } from '../kit/compliance';
import { IamSimulator, servicePrincipal } from '../kit/iam-sim';

const ENV = { account: '111111111111', region: 'us-east-1' };

describe('PrivilegedChangeAlerts', () => {
  let stack: Stack;
  let alerts: PrivilegedChangeAlerts;
  let report: ComplianceReport;
  beforeAll(() => {
    stack = new Stack(new App(), 'Security', { env: ENV });
    alerts = new PrivilegedChangeAlerts(stack, 'Alerts');
    report = runComplianceKit(stack);
  });

  test('one rule per source (IAM, KMS, Organizations) on CloudTrail API calls, each to the topic', () => {
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 3);
    for (const source of ['aws.iam', 'aws.kms', 'aws.organizations']) {
      template.hasResourceProperties('AWS::Events::Rule', {
        State: 'ENABLED',
        EventPattern: {
          'source': [source],
          'detail-type': ['AWS API Call via CloudTrail'],
          'detail': { eventSource: [`${source.replace('aws.', '')}.amazonaws.com`], eventName: PrivilegedChangeAlerts.WATCHED_EVENTS[source] },
        },
        Targets: [Match.objectLike({ Arn: { Ref: stack.getLogicalId(alerts.topic.node.defaultChild as any) } })],
      });
    }
    expect(PrivilegedChangeAlerts.WATCHED_EVENTS['aws.iam']).toEqual(expect.arrayContaining(['AttachRolePolicy', 'PutRolePolicy', 'UpdateAssumeRolePolicy', 'CreateAccessKey', 'DeactivateMFADevice']));
    expect(PrivilegedChangeAlerts.WATCHED_EVENTS['aws.kms']).toEqual(expect.arrayContaining(['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy']));
    expect(PrivilegedChangeAlerts.WATCHED_EVENTS['aws.organizations']).toEqual(expect.arrayContaining(['UpdatePolicy', 'DetachPolicy', 'DeletePolicy']));
  });

  test('the topic is encrypted with its PrivacyKey, TLS only, classified personal', () => {
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(alerts.encryptionKey.node.defaultChild as any), 'Arn'] },
      Tags: [{ Key: 'privacy:classification', Value: 'personal' }],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('EventBridge may use the key for rules of this account only; another account\'s rule may not', async () => {
    const sim = IamSimulator.fromStack(stack);
    const keyId = stack.getLogicalId(alerts.encryptionKey.node.defaultChild as any);
    const own = { 'aws:SourceAccount': ENV.account, 'aws:SourceArn': `arn:aws:events:us-east-1:${ENV.account}:rule/x` };
    await sim.expectDecision({ principal: servicePrincipal('events.amazonaws.com'), action: 'kms:GenerateDataKey', resource: { logicalId: keyId }, context: own }, 'Allowed');
    await sim.expectDecision({ principal: servicePrincipal('events.amazonaws.com'), action: 'kms:Decrypt', resource: { logicalId: keyId }, context: own }, 'Allowed');
    await sim.expectDecision({
      principal: servicePrincipal('events.amazonaws.com'),
      action: 'kms:GenerateDataKey',
      resource: { logicalId: keyId },
      context: { 'aws:SourceAccount': '222222222222', 'aws:SourceArn': 'arn:aws:events:us-east-1:222222222222:rule/x' },
    }, 'ImplicitlyDenied');
    await sim.expectDecision({ principal: servicePrincipal('events.amazonaws.com'), action: 'kms:ScheduleKeyDeletion', resource: { logicalId: keyId }, context: own }, 'ImplicitlyDenied');
  });

  test('GIVEN includeGlobalServices false THEN only the KMS rule (IAM and Organizations events arrive in us-east-1 only)', () => {
    const other = new Stack(new App(), 'West', { env: { ...ENV, region: 'us-west-2' } });
    new PrivilegedChangeAlerts(other, 'Alerts', { includeGlobalServices: false });
    const rules = Object.values(Template.fromStack(other).findResources('AWS::Events::Rule')) as any[];
    expect(rules.map((r) => r.Properties.EventPattern.source)).toEqual([['aws.kms']]);
  });

  test('the compliance kit (CcpaChecks, four cdk-nag packs, Control Tower) finds no unacknowledged error', () => {
    expect(formatFindings(report.errors)).toBe(formatFindings([]));
  });

  test('the evidence recognises it: privileged-change alerting met in (3) and (17), the topic encrypted', () => {
    const evidence = JSON.parse(CyberAuditEvidence.of(stack).renderJson());
    for (const n of [3, 17]) {
      const r = evidence.components.find((c: any) => c.number === n).requirements.find((x: any) => x.id === 'privileged-change-alerting');
      expect(r.met).toBe(true);
      expect(r.evidence).toHaveLength(3);
    }
    const topic = evidence.components.find((c: any) => c.number === 17).requirements.find((x: any) => x.id === 'encrypted-alert-topic');
    expect(topic.met).toBe(true);
  });
});
