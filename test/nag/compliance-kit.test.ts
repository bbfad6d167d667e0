import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CcpaChecks } from '../../lib/nag';
import { runComplianceKit } from '../kit/compliance';

describe('CcpaChecks through the shared compliance kit', () => {
  test('GIVEN a raw bucket with one acknowledged CCPA rule THEN the kit reports CCPA errors and applies the acknowledgement to that bucket only', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const acked = new s3.Bucket(stack, 'Acked');
    Validations.of(acked).acknowledge({ id: 'CCPA-S3BucketTlsOnly', reason: 'Served only through a VPC endpoint policy that requires TLS (SEC-88)' });
    new s3.Bucket(stack, 'Raw');
    const report = runComplianceKit(stack, { nagPacks: [], extraNagPacks: [new CcpaChecks()], cfnGuard: false });
    const tls = report.findings.filter((f) => f.ruleId === 'CCPA-S3BucketTlsOnly');
    expect(tls.map((f) => [f.source, f.path, f.acknowledgement !== undefined])).toEqual([
      ['CCPA', 'S/Acked/Resource', true],
      ['CCPA', 'S/Raw/Resource', false],
    ]);
    expect(report.errors.some((f) => f.ruleId === 'CCPA-S3BucketCustomerManagedKey' && f.path === 'S/Raw/Resource')).toBe(true);
  });
});
