/**
 * The compliance kit on a stack whose Lambda role is granted read/write on PersonalDataBuckets and
 * PrivacyTables (silo and pooled): the grants carry no wildcard action, so cdk-nag's
 * AwsSolutions-IAM5 finds nothing in them but the object ARN patterns a bucket-wide grant must name;
 * the pooled grants carry the tenant conditions, so CcpaChecks finds nothing in them.
 */
import { CfnElement, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PersonalDataBucket, PrivacyTable, TenancyModel } from '../../lib';
import { ComplianceReport, runComplianceKit, auditedStack } from '../kit/compliance';

function buildStack(acknowledgeObjectPattern: boolean) {
  const stack = auditedStack('S');
  const bucket = new PersonalDataBucket(stack, 'Documents');
  const uploads = new PersonalDataBucket(stack, 'Uploads', { tenancy: TenancyModel.POOLED });
  const silo = new PrivacyTable(stack, 'Orders');
  const pooled = new PrivacyTable(stack, 'Profiles', { tenancy: TenancyModel.POOLED });
  const role = new iam.Role(stack, 'Handler', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  bucket.grantReadWrite(role);
  bucket.grantDelete(role);
  uploads.grantReadWrite(role);
  uploads.grantDelete(role);
  silo.grantReadWriteData(role);
  pooled.grantReadData(role);
  pooled.grantWriteData(role);
  const objectPattern = `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(bucket.bucket.node.defaultChild as CfnElement)}.Arn>/*]`;
  const tenantPattern = `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(uploads.bucket.node.defaultChild as CfnElement)}.Arn>/tenants/<aws:PrincipalTag/tenant>/*]`;
  if (acknowledgeObjectPattern) {
    // what a user does on their own role: a bucket-wide grant names every object of the bucket,
    // a pooled grant every object of the session's tenant
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: objectPattern,
      reason: 'The handler reads and writes every object of the Documents bucket; its bucket policy limits access to principals tagged privacy:access.',
    }, {
      id: tenantPattern,
      reason: 'The handler reads and writes every object of its session\'s tenant in the Uploads bucket; the tenant is the tenant session tag.',
    });
  }
  return { stack, objectPattern, tenantPattern };
}

const iam5 = (report: ComplianceReport) => report.findings.filter((f) => f.ruleId.startsWith('AwsSolutions-IAM5'));

describe('GIVEN a Lambda role granted read/write on a silo and a pooled bucket, a silo table and a pooled table', () => {
  let report: ComplianceReport;
  let patterns: string[];
  beforeAll(() => {
    const built = buildStack(false);
    patterns = [built.objectPattern, built.tenantPattern];
    report = runComplianceKit(built.stack);
  });

  test('THEN AwsSolutions-IAM5 finds no wildcard action and no index wildcard: only the buckets\' object ARN patterns, each in the bucket\'s own grant policy', () => {
    expect(iam5(report).map((f) => [f.ruleId, f.path]).sort()).toEqual([
      [patterns[0], 'S/Documents/GrantPolicySHandler9681E1B3/Resource'],
      [patterns[1], 'S/Uploads/GrantPolicySHandler9681E1B3/Resource'],
    ].sort());
  });

  test('THEN each is acknowledged by the bucket on its own grant policy only, so the user has nothing to acknowledge', () => {
    expect(report.errors.filter((f) => f.ruleId.startsWith('AwsSolutions-IAM5'))).toEqual([]);
    expect(iam5(report).map((f) => f.acknowledgement?.path).sort()).toEqual([
      'S/Documents/GrantPolicySHandler9681E1B3/Resource', 'S/Uploads/GrantPolicySHandler9681E1B3/Resource',
    ]);
  });

  test('THEN CcpaChecks finds nothing in the role\'s policy: the pooled grants carry the tenant conditions', () => {
    // (the stores are covered by data subject requests by default and no DsrWorkflow is in this app, and
    // they declare no retention: those warnings are about the stores, not the role)
    const aboutStores = ['CCPA-DsrCoveredStoreServed', 'CCPA-StoreRetentionDeclared'];
    expect(report.findings.filter((f) => f.ruleId.startsWith('CCPA-') && !aboutStores.includes(f.ruleId)).map((f) => `${f.ruleId} @ ${f.path}`)).toEqual([]);
  });
});

describe('GIVEN the same stack and no acknowledgement by the user', () => {
  let report: ComplianceReport;
  beforeAll(() => {
    report = runComplianceKit(buildStack(false).stack);
  });

  test('THEN the only other errors on the role are its inline-policy findings (no CCPA finding)', () => {
    // IAMNoInlinePolicy: the user's choice of a default policy
    expect(report.errors.map((f) => `${f.ruleId} @ ${f.path}`).sort()).toEqual([
      'HIPAA.Security-IAMNoInlinePolicy @ S/Handler/DefaultPolicy/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy @ S/Handler/DefaultPolicy/Resource',
      'PCI.DSS.321-IAMNoInlinePolicy @ S/Handler/DefaultPolicy/Resource',
    ]);
  });
});
