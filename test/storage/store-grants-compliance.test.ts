/**
 * The compliance kit on a stack whose Lambda role is granted read/write on a PersonalDataBucket and
 * on PrivacyTables (silo and pooled): the grants carry no wildcard action, so cdk-nag's
 * AwsSolutions-IAM5 finds nothing in them but the object ARN pattern a bucket-wide grant must name.
 */
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OrganizationTrailCoverage, PersonalDataBucket, PrivacyTable, TenancyModel } from '../../lib';
import { ComplianceReport, ORG_TRAIL_ARN, runComplianceKit } from '../kit/compliance';

function buildStack(acknowledgeObjectPattern: boolean) {
  const stack = new Stack(new App(), 'S');
  new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
  const bucket = new PersonalDataBucket(stack, 'Documents');
  const silo = new PrivacyTable(stack, 'Orders');
  const pooled = new PrivacyTable(stack, 'Profiles', { tenancy: TenancyModel.POOLED });
  const role = new iam.Role(stack, 'Handler', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  bucket.grantReadWrite(role);
  bucket.grantDelete(role);
  silo.grantReadWriteData(role);
  pooled.grantReadData(role);
  pooled.grantWriteData(role);
  const objectPattern = `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(bucket.bucket.node.defaultChild as CfnElement)}.Arn>/*]`;
  if (acknowledgeObjectPattern) {
    // what a user does on their own role: a bucket-wide grant names every object of the bucket
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: objectPattern,
      reason: 'The handler reads and writes every object of the Documents bucket; its bucket policy limits access to principals tagged privacy:access.',
    });
  }
  return { stack, objectPattern };
}

const iam5 = (report: ComplianceReport) => report.findings.filter((f) => f.ruleId.startsWith('AwsSolutions-IAM5'));

describe('GIVEN a Lambda role granted read/write on a bucket, a silo table and a pooled table', () => {
  let report: ComplianceReport;
  let objectPattern: string;
  beforeAll(() => {
    const built = buildStack(false);
    objectPattern = built.objectPattern;
    report = runComplianceKit(built.stack);
  });

  test('THEN AwsSolutions-IAM5 finds no wildcard action and no index wildcard: only the bucket\'s object ARN pattern', () => {
    expect(iam5(report).map((f) => [f.ruleId, f.path])).toEqual([[objectPattern, 'S/Handler/DefaultPolicy/Resource']]);
  });
});

describe('GIVEN the same stack WHEN the user acknowledges the object ARN pattern on their role', () => {
  let report: ComplianceReport;
  beforeAll(() => {
    report = runComplianceKit(buildStack(true).stack);
  });

  test('THEN no AwsSolutions-IAM5 error remains and the acknowledgement is the only one used for IAM5', () => {
    expect(report.errors.filter((f) => f.ruleId.startsWith('AwsSolutions-IAM5'))).toEqual([]);
    expect(report.acknowledgementsUsed.filter((a) => a.id.startsWith('AwsSolutions-IAM5')).map((a) => a.path)).toEqual(['S/Handler/DefaultPolicy']);
  });

  test('THEN the only other errors on the role are its inline-policy findings and the pooled table\'s tenant condition', () => {
    // IAMNoInlinePolicy: the user's choice of a default policy. CCPA-IAMPooledStoreTenantCondition: the
    // pooled grants leave tenant isolation to the table's resource policy (dynamodb:LeadingKeys) and put
    // no tenant condition in the identity policy (open follow-up of issue 3)
    expect(report.errors.map((f) => `${f.ruleId} @ ${f.path}`).sort()).toEqual([
      'CCPA-IAMPooledStoreTenantCondition @ S/Handler/DefaultPolicy/Resource',
      'HIPAA.Security-IAMNoInlinePolicy @ S/Handler/DefaultPolicy/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy @ S/Handler/DefaultPolicy/Resource',
      'PCI.DSS.321-IAMNoInlinePolicy @ S/Handler/DefaultPolicy/Resource',
    ]);
  });
});
