import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CyberAuditEvidence, OrganizationTrailCoverage, PersonalDataBucket, ThreatDetection } from '../../lib';
import { ComplianceReport, formatFindings, ORG_TRAIL_ARN, runComplianceKit } from '../kit/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

describe('ThreatDetection', () => {
  let stack: Stack;
  let td: ThreatDetection;
  let customers: PersonalDataBucket;
  let report: ComplianceReport;
  beforeAll(() => {
    stack = new Stack(new App(), 'Security', { env: ENV });
    customers = new PersonalDataBucket(stack, 'Customers');
    new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    td = new ThreatDetection(stack, 'Threats', { protectedBuckets: [customers] });
    report = runComplianceKit(stack);
  });

  test('a detector with S3 protection, Lambda network logs and EBS malware scanning', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      Features: ThreatDetection.DETECTOR_FEATURES.map((Name) => ({ Name, Status: 'ENABLED' })),
    });
    expect(ThreatDetection.DETECTOR_FEATURES).toEqual(expect.arrayContaining(['S3_DATA_EVENTS', 'EBS_MALWARE_PROTECTION']));
  });

  test('a malware protection plan on the personal bucket, tagging results, with the scan role', () => {
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
      ProtectedResource: { S3Bucket: { BucketName: { Ref: stack.getLogicalId(customers.bucket.node.defaultChild as any) } } },
      Actions: { Tagging: { Status: 'ENABLED' } },
      Role: { 'Fn::GetAtt': [stack.getLogicalId(td.malwareScanRole.node.defaultChild as any), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
        })],
      },
    });
  });

  test('GIVEN createDetector false THEN no detector, the plans stay', () => {
    const s = new Stack(new App(), 'Member', { env: ENV });
    const b = new PersonalDataBucket(s, 'B');
    const t = new ThreatDetection(s, 'T', { createDetector: false });
    t.protectBucket(b);
    t.protectBucket(new PersonalDataBucket(s, 'C'));
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    template.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 2);
  });

  test('the compliance kit (CcpaChecks, four cdk-nag packs, Control Tower) finds no unacknowledged error', () => {
    expect(formatFindings(report.errors)).toBe(formatFindings([]));
  });

  test('the evidence recognises it: intrusion detection (8) and malware protection (9) met', () => {
    const evidence = JSON.parse(CyberAuditEvidence.of(stack).renderJson());
    const req = (n: number, id: string) => evidence.components.find((c: any) => c.number === n).requirements.find((r: any) => r.id === id);
    expect(req(8, 'intrusion-detection').met).toBe(true);
    expect(req(9, 'malware-protection').met).toBe(true);
    expect(req(9, 'malware-protection').evidence.map((e: any) => e.type).sort()).toEqual(['AWS::GuardDuty::Detector', 'AWS::GuardDuty::MalwareProtectionPlan']);
  });
});
