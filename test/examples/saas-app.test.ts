import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, SaasDataPlaneStack } from '../../examples/saas-app';
import { ComplianceReport, runComplianceKit } from '../kit/compliance';

describe('examples/saas-app', () => {
  let app: App;
  let report: ComplianceReport;
  beforeAll(() => {
    app = buildApp();
    report = runComplianceKit(app);
  });

  test('the example app is compliant under the kit, with only the inline-policy acknowledgements it documents', () => {
    expect(report.errors).toEqual([]);
    expect(report.acknowledgementsUsed.map((a) => `${a.id} @ ${a.path}`).sort()).toEqual([
      'HIPAA.Security-IAMNoInlinePolicy @ SaasDataPlane/DsrRole/DefaultPolicy',
      'NIST.800.53.R5-IAMNoInlinePolicy @ SaasDataPlane/DsrRole/DefaultPolicy',
      'PCI.DSS.321-IAMNoInlinePolicy @ SaasDataPlane/DsrRole/DefaultPolicy',
    ]);
    expect(report.unusedAcknowledgements).toEqual([]);
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
