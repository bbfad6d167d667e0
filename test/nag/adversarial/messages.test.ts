import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { expectCannotVerifyNamesValue, findingsFor } from './kit';

describe('finding texts', () => {
  test('GIVEN a topic keyed by an unmapped import THEN the [CannotVerify] finding names KmsMasterKeyId = ImportValue KeyAliasName', () => {
    const findings = findingsFor({ build: (s) => { new sns.CfnTopic(s, 'Topic', { kmsMasterKeyId: Fn.importValue('KeyAliasName') }); } });
    const f = findings.find((x) => x.id === 'CCPA-SNSCustomerManagedKey[CannotVerify]');
    expect(f?.description).toMatch(/^Cannot verify SNSCustomerManagedKey: KmsMasterKeyId = ImportValue KeyAliasName: not known at synth/);
  });

  test('GIVEN parameters in several rules\' properties THEN each [CannotVerify] names its property and parameter', () => {
    const findings = findingsFor({
      build: (s) => {
        new logs.CfnLogGroup(s, 'Logs', { retentionInDays: new CfnParameter(s, 'Days', { type: 'Number' }).valueAsNumber });
        new dynamodb.CfnTable(s, 'Table', {
          keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
          attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: Fn.conditionIf('Never', true, false) as unknown as boolean },
        });
      },
    });
    expectCannotVerifyNamesValue(findings);
    expect(findings.find((f) => f.id === 'CCPA-LogsRetentionTwelveMonths[CannotVerify]')?.description).toMatch(/RetentionInDays = Ref Days/);
    expect(findings.find((f) => f.id === 'CCPA-DynamoDBTablePointInTimeRecovery[CannotVerify]')?.description).toMatch(/PointInTimeRecoveryEnabled = If/);
  });

  test('GIVEN a bucket without a public access block THEN the finding says the settings are not pinned in the template, not that public access is on', () => {
    const findings = findingsFor({ build: (s) => { new s3.CfnBucket(s, 'Raw'); } });
    const f = findings.find((x) => x.id === 'CCPA-S3BucketPublicAccessBlocked');
    expect(f?.description).toMatch(/not pin all four Block Public Access settings .* in the template/);
    expect(f?.description).toMatch(/since April 2023/);
  });

  test('GIVEN findings of every kind THEN each says Why, Risk and Fix, and none refers to an unpublished source', () => {
    const findings = findingsFor({ build: (s) => { new s3.Bucket(s, 'Raw'); new sns.CfnTopic(s, 'Topic', { kmsMasterKeyId: Fn.importValue('X') }); } });
    expect(findings.length).toBeGreaterThan(3);
    for (const f of findings) {
      expect(f.description).toMatch(/Why: .*Risk: .*Fix: /);
      expect(f.description).not.toMatch(/dossier|pattern:/i);
    }
  });
});
