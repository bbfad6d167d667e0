import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, SaasDataPlaneStack } from '../../examples/saas-app';
import { PrivacyInventory } from '../../lib';
import { ComplianceReport, runComplianceKit } from '../kit/compliance';

describe('examples/saas-app', () => {
  let app: App;
  let report: ComplianceReport;
  beforeAll(() => {
    app = buildApp();
    report = runComplianceKit(app);
  });

  test('the example app is compliant under the kit, with only the acknowledgements it and the stores document', () => {
    expect(report.errors).toEqual([]);
    const acks = report.acknowledgementsUsed.map((a) => `${a.id} @ ${a.path}`);
    // the app's own: inline policies and the subject-prefix wildcards of the DSR grants
    expect(acks.filter((a) => a.includes('/DsrRole/')).sort()).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<KycDocumentsBucket[0-9A-F]+\.Arn>\/subjects\/\*\/\*\] @ SaasDataPlane\/DsrRole\/DefaultPolicy$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<TenantDocumentsBucket[0-9A-F]+\.Arn>\/tenants\/\*\/subjects\/\*\/\*\] @ SaasDataPlane\/DsrRole\/DefaultPolicy$/),
      'HIPAA.Security-IAMNoInlinePolicy @ SaasDataPlane/DsrRole/DefaultPolicy',
      'NIST.800.53.R5-IAMNoInlinePolicy @ SaasDataPlane/DsrRole/DefaultPolicy',
      'PCI.DSS.321-IAMNoInlinePolicy @ SaasDataPlane/DsrRole/DefaultPolicy',
    ]);
    // the rest are the stores' design decisions, each on the store's own L1
    expect(acks.filter((a) => !a.includes('/DsrRole/')).length).toBeGreaterThanOrEqual(10);
    expect(acks.filter((a) => !a.includes('/DsrRole/')).every((a) => /@ SaasDataPlane\/(TenantDocuments|KycDocuments|CustomerProfiles)\/\w+\/Resource$/.test(a))).toBe(true);
    expect(report.unusedAcknowledgements).toEqual([]);
  });

  test('synth writes the privacy inventory with both pooled stores and the sensitive silo bucket', () => {
    const inventory = app.node.findChild('CdkCcpaPrivacyInventory') as PrivacyInventory;
    expect(inventory.entries().map((e) => [e.path, e.kind, e.classification, e.tenancy])).toEqual([
      ['SaasDataPlane/CustomerProfiles', 'dynamodb-table', 'personal', 'pooled'],
      ['SaasDataPlane/TenantDocuments', 's3-bucket', 'personal', 'pooled'],
      ['SaasDataPlane/KycDocuments', 's3-bucket', 'sensitive', 'silo'],
      ['SaasDataPlane/DsrAuditLog', 'AWS::Logs::LogGroup', 'personal', undefined],
    ]);
  });

  test('the DSR role is tagged for the workflow and the audit log is kept two years under the customer key', () => {
    const stack = app.node.findChild('SaasDataPlane') as SaasDataPlaneStack;
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'privacy:workflow', Value: 'dsr' }] });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 731,
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(stack.customerDataKey.node.defaultChild as any), 'Arn'] },
    });
  });
});
