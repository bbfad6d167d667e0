import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CyberAuditEvidence, OrganizationTrailCoverage, PersonalDataBucket, SensitiveDataDiscovery } from '../../lib';
import { ComplianceReport, formatFindings, ORG_TRAIL_ARN, runComplianceKit } from '../kit/compliance';
import { arnPrincipal, IamSimulator } from '../kit/iam-sim';

const ENV = { account: '111111111111', region: 'us-east-1' };
const MACIE_ROLE = `arn:aws:iam::${ENV.account}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;

describe('SensitiveDataDiscovery', () => {
  let stack: Stack;
  let customers: PersonalDataBucket;
  let report: ComplianceReport;
  beforeAll(() => {
    stack = new Stack(new App(), 'Security', { env: ENV });
    customers = new PersonalDataBucket(stack, 'Customers');
    new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    new SensitiveDataDiscovery(stack, 'Discovery', { buckets: [customers] });
    report = runComplianceKit(stack);
  });

  test('a Macie session and a weekly job over the buckets tagged personal or sensitive', () => {
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Macie::Session', { Status: 'ENABLED' });
    const job = (Object.values(t.findResources('Custom::CdkCcpaMacieClassificationJob')) as any[])[0];
    const create = JSON.parse(job.Properties.Create);
    expect(create.parameters).toMatchObject({
      jobType: 'SCHEDULED',
      managedDataIdentifierSelector: 'RECOMMENDED',
      s3JobDefinition: {
        bucketCriteria: {
          includes: {
            and: [{
              tagCriterion: {
                comparator: 'EQ',
                tagValues: [
                  { key: 'privacy:classification', value: 'personal' }, { key: 'privacy:classification', value: 'sensitive' },
                ],
              },
            }],
          },
        },
      },
    });
    expect(JSON.parse(job.Properties.Delete)).toMatchObject({ action: 'updateClassificationJob', parameters: { jobStatus: 'CANCELLED' } });
    expect(job.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId((stack.node.findChild('Discovery').node.findChild('Session')) as any)]));
  });

  test('Macie\'s service-linked role may decrypt the bucket\'s objects through S3 only', async () => {
    const sim = IamSimulator.fromStack(stack);
    const key = { logicalId: stack.getLogicalId(customers.encryptionKey.node.defaultChild as any) };
    const macie = arnPrincipal(MACIE_ROLE);
    await sim.expectDecision({ principal: macie, action: 'kms:Decrypt', resource: key, context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, 'Allowed');
    await sim.expectDecision({ principal: macie, action: 'kms:Decrypt', resource: key, context: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } }, 'ImplicitlyDenied');
    await sim.expectDecision({ principal: macie, action: 'kms:Decrypt', resource: key, omitContextKeys: ['kms:ViaService'] }, 'ImplicitlyDenied');
  });

  test('the compliance kit (CcpaChecks, four cdk-nag packs, Control Tower) finds no unacknowledged error', () => {
    expect(formatFindings(report.errors)).toBe(formatFindings([]));
  });

  test('the evidence recognises it: data-loss prevention (8) met', () => {
    const evidence = JSON.parse(CyberAuditEvidence.of(stack).renderJson());
    const r = evidence.components.find((c: any) => c.number === 8).requirements.find((x: any) => x.id === 'data-loss-prevention');
    expect(r.met).toBe(true);
    expect(r.evidence.map((e: any) => e.type).sort()).toEqual(['AWS::Macie::Session', 'Custom::CdkCcpaMacieClassificationJob']);
  });
});
