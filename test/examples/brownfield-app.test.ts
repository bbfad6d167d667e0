import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BrownfieldStack, buildApp, EXISTING } from '../../examples/brownfield-app';
import { PrivacyInventory } from '../../lib';
import { ComplianceReport, runComplianceKit } from '../kit/compliance';

describe('examples/brownfield-app', () => {
  let app: App;
  let report: ComplianceReport;
  beforeAll(() => {
    app = buildApp();
    report = runComplianceKit(app);
  });

  test('the example app is compliant under the kit (CcpaChecks, the cdk-nag packs, cfn-guard)', () => {
    expect(report.errors).toEqual([]);
  });

  test('the workflow serves the two existing stores and the new table; the inventory lists all three, the existing ones verified in the account', () => {
    const stack = app.node.findChild('Brownfield') as BrownfieldStack;
    expect(stack.dsr.node.path).toBe('Brownfield/Dsr');
    const entries = PrivacyInventory.of(stack).entries().filter((e) => e.managed && !e.path.includes('/Dsr/'));
    expect(entries.map((e) => [e.path, e.kind, e.verification?.split(':')[0]])).toEqual([
      ['Brownfield/LegacyOrders', 'dynamodb-table', 'declared, verified in the account by AWS Config'],
      ['Brownfield/LegacyUploads', 's3-bucket', 'declared, verified in the account by AWS Config'],
      ['Brownfield/Profiles', 'dynamodb-table', undefined],
    ]);
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::Config::ConfigRule')).map((r: any) => [r.Properties.Source.SourceIdentifier, r.Properties.Scope.ComplianceResourceId]);
    expect(rules.sort()).toEqual([
      ['DYNAMODB_PITR_ENABLED', EXISTING.tableName],
      ['DYNAMODB_TABLE_ENCRYPTED_KMS', EXISTING.tableName],
      ['S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', EXISTING.bucketName],
      ['S3_BUCKET_LOGGING_ENABLED', EXISTING.bucketName],
      ['S3_BUCKET_SSL_REQUESTS_ONLY', EXISTING.bucketName],
      ['S3_BUCKET_VERSIONING_ENABLED', EXISTING.bucketName],
      ['S3_DEFAULT_ENCRYPTION_KMS', EXISTING.bucketName],
    ]);
  });
});
