import { App, CfnElement, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addOrgStacks, ORG_ENVIRONMENT } from '../../examples/org-app';
import { buildApp, ORGANIZATION_TRAIL_ARN, rulePacks, SAAS_HOLIDAYS, SaasDataPlaneStack } from '../../examples/saas-app';
import { CcpaChecks, PrivacyInventory, PrivacyTagKeys } from '../../lib';
import { ComplianceReport, runComplianceKit } from '../kit/compliance';

describe('examples/saas-app', () => {
  let app: App;
  let report: ComplianceReport;
  beforeAll(() => {
    app = buildApp();
    // the kit runs CcpaChecks (and the registered packs) with scoped acknowledgements
    report = runComplianceKit(app);
  });

  test('the rule packs a CI pipeline registers start with CcpaChecks', () => {
    expect(rulePacks(new App()).map((p) => p.name)).toEqual(['CCPA', 'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'cdk-validator-cfnguard']);
  });

  test('the stack declares the organization trail of examples/org-app.ts, which covers S3 and DynamoDB data events', () => {
    const stack = app.node.findChild('SaasDataPlane') as SaasDataPlaneStack;
    const management = addOrgStacks(new App()).management;
    expect(ORGANIZATION_TRAIL_ARN).toBe(`arn:aws:cloudtrail:${ORG_ENVIRONMENT.region}:${ORG_ENVIRONMENT.managementAccount}:trail/${management.trail.trailName}`);
    expect(stack.organizationTrail.trailArn).toBe(ORGANIZATION_TRAIL_ARN);
    expect([stack.organizationTrail.s3DataEvents, stack.organizationTrail.dynamoDbDataEvents]).toEqual([true, true]);
  });

  test('without the organization trail declaration, CcpaChecks finds the stores unaudited (the declaration is not vacuous)', () => {
    const bare = buildApp(new App(), []);
    const stack = bare.node.findChild('SaasDataPlane') as SaasDataPlaneStack;
    stack.node.tryRemoveChild(stack.organizationTrail.node.id);
    const r = runComplianceKit(stack, { nagPacks: [new CcpaChecks()], cfnGuard: false });
    expect([...new Set(r.errors.filter((f) => f.ruleId === 'CCPA-CloudTrailDataEventCoverage').map((f) => f.path))].sort()).toEqual([
      'SaasDataPlane/CustomerProfiles/Table/Resource',
      'SaasDataPlane/Dsr/AuditRecords/Bucket/Resource',
      'SaasDataPlane/Dsr/Consent/Table/Resource',
      'SaasDataPlane/Dsr/Exports/Bucket/Resource',
      'SaasDataPlane/Dsr/Ledger/Table/Resource',
      'SaasDataPlane/KycDocuments/Bucket/Resource',
      'SaasDataPlane/TenantDocuments/Bucket/Resource',
    ]);
  });

  test('the example app is compliant under the kit, with only the acknowledgements it and the stores document', () => {
    expect(report.errors).toEqual([]);
    const acks = report.acknowledgementsUsed.map((a) => `${a.id} @ ${a.path}`);
    // the app acknowledges nothing on its tenant application role: DsrApi puts its grants into its own policy
    expect(acks.filter((a) => a.includes('/TenantApp/'))).toEqual([]);
    expect(acks.filter((a) => /\/PrivacyApi\/GrantPolicy\w+\/Resource$/.test(a)).sort()).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:aws:execute-api:us-east-1:333333333333:<PrivacyApi[0-9A-F]+>\/<PrivacyApiDeploymentStage\w+>\/GET\/tenants\/<aws:PrincipalTag\/tenant>\/requests\/\*\] @ /),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:aws:execute-api:us-east-1:333333333333:<PrivacyApi[0-9A-F]+>\/<PrivacyApiDeploymentStage\w+>\/POST\/tenants\/<aws:PrincipalTag\/tenant>\/requests\/\*\/extension\] @ /),
    ]);
    // the backup role policy's wildcard resources, on its L1: each store's objects or backups, the managed rules and recovery points
    expect(acks.filter((a) => a.includes('/Backups/')).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ SaasDataPlane/Backups/RolePolicy',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<CustomerProfilesTable[0-9A-F]+\.Arn>-restore\*\] @ SaasDataPlane\/Backups\/RolePolicy$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<CustomerProfilesTable[0-9A-F]+\.Arn>\/backup\/\*\] @ SaasDataPlane\/Backups\/RolePolicy$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<KycDocumentsBucket[0-9A-F]+\.Arn>\/\*\] @ SaasDataPlane\/Backups\/RolePolicy$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<TenantDocumentsBucket[0-9A-F]+\.Arn>\/\*\] @ SaasDataPlane\/Backups\/RolePolicy$/),
      'AwsSolutions-IAM5[Resource::arn:*:backup:*:*:recovery-point:*] @ SaasDataPlane/Backups/RolePolicy',
      'AwsSolutions-IAM5[Resource::arn:*:events:*:*:rule/AwsBackupManagedRule*] @ SaasDataPlane/Backups/RolePolicy',
    ]);
    // the rest are design decisions of the library's constructs, each recorded inside the construct
    const libraryAcks = acks.filter((a) => !a.includes('/TenantApp/') && !a.includes('/Backups/'));
    expect(libraryAcks.length).toBeGreaterThanOrEqual(10);
    expect(libraryAcks.every((a) => /@ SaasDataPlane\/(TenantDocuments|KycDocuments|CustomerProfiles|Dsr|PrivacyApi|PrivateProcessing)\//.test(a))).toBe(true);
    expect(report.unusedAcknowledgements).toEqual([]);
  });

  test('synth writes the privacy inventory with both pooled stores and the sensitive silo bucket, each in the 30-day backup plan', () => {
    const inventory = app.node.findChild('CdkCcpaPrivacyInventory') as PrivacyInventory;
    expect(inventory.entries().map((e) => [e.path, e.kind, e.classification, e.tenancy])).toEqual([
      ['SaasDataPlane/CustomerProfiles', 'dynamodb-table', 'personal', 'pooled'],
      ['SaasDataPlane/TenantDocuments', 's3-bucket', 'personal', 'pooled'],
      ['SaasDataPlane/KycDocuments', 's3-bucket', 'sensitive', 'silo'],
      ['SaasDataPlane/Dsr/Ledger', 'dynamodb-table', 'personal', 'silo'],
      ['SaasDataPlane/Dsr/AuditRecords', 's3-bucket', 'personal', 'silo'],
      ['SaasDataPlane/Dsr/Exports', 's3-bucket', 'personal', 'silo'],
      ['SaasDataPlane/Dsr/Consent', 'dynamodb-table', 'personal', 'pooled'],
      ['SaasDataPlane/PrivateProcessing/FlowLogs', 'AWS::Logs::LogGroup', 'personal', undefined],
      ['SaasDataPlane/Dsr/AuditLogs', 'AWS::Logs::LogGroup', 'personal', undefined],
      ['SaasDataPlane/Dsr/StateMachineLogs', 'AWS::Logs::LogGroup', 'personal', undefined],
      // the recipients' acknowledgement queues: request ids, recipient ids and outcomes only
      ['SaasDataPlane/Dsr/AcknowledgementDeadLetters', 'AWS::SQS::Queue', 'non-personal', undefined],
      ['SaasDataPlane/Dsr/AcknowledgementsSaasDataPlaneMailProvider86C6532B', 'AWS::SQS::Queue', 'non-personal', undefined],
      ['SaasDataPlane/Dsr/AcknowledgementsSaasDataPlaneKycVendor3C60D087', 'AWS::SQS::Queue', 'non-personal', undefined],
      // the deadline schedule's dead-letter queue: scheduled ticks only
      ['SaasDataPlane/Dsr/DeadlineCheckScheduleDlq', 'AWS::SQS::Queue', 'non-personal', undefined],
      ['SaasDataPlane/PrivacyApi/AccessLogs', 'AWS::Logs::LogGroup', 'personal', undefined],
      ['SaasDataPlane/PrivacyApi/ExecutionLogs', 'AWS::Logs::LogGroup', 'personal', undefined],
    ]);
    expect(inventory.entries().slice(0, 3).map((e) => e.backups)).toEqual(Array(3).fill(['SaasDataPlane/Backups (30 days)']));
  });

  test('the inventory discloses purposes and retention per store and the two recipients of their data', () => {
    const inventory = app.node.findChild('CdkCcpaPrivacyInventory') as PrivacyInventory;
    const byPath = Object.fromEntries(inventory.entries().map((e) => [e.path, e]));
    expect(byPath['SaasDataPlane/CustomerProfiles']).toEqual(expect.objectContaining({
      purposes: ['essential.service', 'essential.service.authentication'],
      retentionReason: 'kept while the customer account is open and erased when it closes',
      recipients: ['Example Mail Delivery Inc.'],
    }));
    expect(byPath['SaasDataPlane/TenantDocuments']).toEqual(expect.objectContaining({ purposes: ['essential.service'], retentionDays: 365, recipients: [] }));
    expect(byPath['SaasDataPlane/KycDocuments']).toEqual(expect.objectContaining({
      purposes: ['essential.legal_obligation', 'essential.service.security'], retentionDays: 1825, recipients: ['Example Identity Verification LLC'],
    }));
    expect(inventory.recipients().map((r) => [r.name, r.role, r.contractReference, r.notification, r.rawIdentifier, r.stores])).toEqual([
      ['Example Mail Delivery Inc.', 'service-provider', 'DPA-2026-014', 'event-bus', false, ['SaasDataPlane/CustomerProfiles']],
      ['Example Identity Verification LLC', 'contractor', 'MSA-2025-031', 'event-bus', false, ['SaasDataPlane/KycDocuments']],
    ]);
    expect(inventory.renderMarkdown()).toContain('| SaasDataPlane/KycDocuments | s3-bucket | sensitive | user.government_id | essential.legal_obligation, essential.service.security | 1825 days | Example Identity Verification LLC |');
  });

  test('CcpaChecks passes the example on retention, and fails a copy whose stores declare none', () => {
    const retentionRules = ['CCPA-StoreRetentionDeclared', 'CCPA-StoreRetentionDeclaredSensitive', 'CCPA-S3BucketExpirationWithinRetention',
      'CCPA-DynamoDBTableTtlForRetention', 'CCPA-LogsWithinDeclaredRetention'];
    expect([...report.errors, ...report.warnings].filter((f) => retentionRules.includes(f.ruleId))).toEqual([]);
    // the copy: the same app with every retention declaration removed from the three stores
    const copy = buildApp(new App(), []);
    const stack = copy.node.findChild('SaasDataPlane') as SaasDataPlaneStack;
    for (const store of [stack.customerProfiles, stack.tenantDocuments, stack.kycDocuments]) {
      Tags.of(store).remove(PrivacyTagKeys.RETENTION_DAYS, { priority: 1000 });
      Tags.of(store).remove(PrivacyTagKeys.RETENTION_REASON, { priority: 1000 });
    }
    const r = runComplianceKit(stack, { nagPacks: [new CcpaChecks()], cfnGuard: false });
    // (the removal reaches the stores' access-log buckets too; the sensitive one's is an error as well)
    expect(r.errors.filter((f) => retentionRules.includes(f.ruleId)).map((f) => `${f.ruleId} @ ${f.path}`).sort()).toEqual([
      'CCPA-StoreRetentionDeclaredSensitive @ SaasDataPlane/KycDocuments/AccessLogs/Resource',
      'CCPA-StoreRetentionDeclaredSensitive @ SaasDataPlane/KycDocuments/Bucket/Resource',
    ]);
    expect(r.warnings.filter((f) => f.ruleId === 'CCPA-StoreRetentionDeclared').map((f) => f.path).sort()).toEqual([
      'SaasDataPlane/CustomerProfiles/Table/Resource',
      'SaasDataPlane/TenantDocuments/AccessLogs/Resource',
      'SaasDataPlane/TenantDocuments/Bucket/Resource',
    ]);
  });

  test('the backup plan keeps recovery points 30 days and selects each store explicitly, through the customer-managed role policy', () => {
    const stack = app.node.findChild('SaasDataPlane') as SaasDataPlaneStack;
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 30 } })] } });
    const explicit = Object.values(template.findResources('AWS::Backup::BackupSelection'))
      .flatMap((s: any) => s.Properties.BackupSelection.Resources ?? []);
    expect(explicit).toEqual([stack.customerProfiles.table, stack.tenantDocuments.bucket, stack.kycDocuments.bucket]
      .map((r) => ({ 'Fn::GetAtt': [stack.getLogicalId(r.node.defaultChild as any), 'Arn'] })));
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toMatch(/iam::aws:policy/);
  });

  test('the DSR workflow reaches the three stores, its handler roles are tagged for the workflow and its audit log is kept two years', () => {
    const stack = app.node.findChild('SaasDataPlane') as SaasDataPlaneStack;
    const template = Template.fromStack(stack);
    expect(stack.dsr.pseudonymizationKey).toBe(stack.pseudonyms);
    template.hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'privacy:workflow', Value: 'dsr' }]) });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.anyValue(),
      RetentionInDays: 731,
    });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    // the handlers run in the isolated subnets of the private processing network
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.map((f: any) => f.Properties.VpcConfig?.SecurityGroupIds?.length)).toEqual(Array(8).fill(1));
    // both DSR alarms page the encrypted on-call topic, so no alarm-action finding is acknowledged
    const topic = { Ref: stack.getLogicalId(stack.oncallTopic.node.defaultChild as CfnElement) };
    for (const alarm of [stack.dsr.failureAlarm, stack.dsr.deadlineAlarm]) {
      expect(template.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as CfnElement)].Properties.AlarmActions).toEqual([topic]);
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(report.acknowledgementsUsed.filter((a) => /AlarmAction|alarm_action/.test(a.id))).toEqual([]);
    // the business's closure days reach the Requests function, which computes the deadlines
    const requests = template.toJSON().Resources[stack.getLogicalId(stack.dsr.requestsFunction.node.defaultChild as CfnElement)];
    expect(requests.Properties.Environment.Variables.DSR_HOLIDAYS.split(',')).toEqual([...SAAS_HOLIDAYS].sort());
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });
});
