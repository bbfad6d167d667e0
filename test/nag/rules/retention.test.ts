import { CfnParameter, Duration, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DataCategory, DataClassification, PersonalDataBucket, PrivacyClassification, PrivacyTable, PrivacyTagKeys,
} from '../../../lib';
import { check, Finding, outcome } from '../helpers';

const DECLARED = 'StoreRetentionDeclared';
const SENSITIVE = 'StoreRetentionDeclaredSensitive';
const S3_RULE = 'S3BucketExpirationWithinRetention';
const DDB_RULE = 'DynamoDBTableTtlForRetention';
const LOGS_RULE = 'LogsWithinDeclaredRetention';

function severityOf(findings: Finding[], rule: string, path: string): string | undefined {
  return findings.find((f) => f.id === `CCPA-${rule}` && f.path === path)?.severity;
}

describe('CCPA-StoreRetentionDeclared and -StoreRetentionDeclaredSensitive', () => {
  test('GIVEN personal and sensitive L2 stores without a retention THEN a warning and an error', () => {
    const findings = check((stack) => {
      new PersonalDataBucket(stack, 'Profiles');
      new PrivacyTable(stack, 'Kyc', { classification: DataClassification.SENSITIVE, categories: [DataCategory.GOVERNMENT_ID] });
    });
    expect(severityOf(findings, DECLARED, 'Test/Profiles/Bucket/Resource')).toBe('warning');
    expect(outcome(findings, SENSITIVE, 'Test/Profiles/Bucket/Resource')).toBe('clean');
    expect(severityOf(findings, SENSITIVE, 'Test/Kyc/Table/Resource')).toBe('error');
    expect(outcome(findings, DECLARED, 'Test/Kyc/Table/Resource')).toBe('clean');
  });

  test('GIVEN the same stores with a retention, or an indefinite-retention reason THEN no finding', () => {
    const findings = check((stack) => {
      new PersonalDataBucket(stack, 'Profiles', { indefiniteRetentionReason: 'kept while the account is open' });
      new PrivacyTable(stack, 'Kyc', { classification: DataClassification.SENSITIVE, categories: [DataCategory.GOVERNMENT_ID], retention: Duration.days(1825) });
    });
    expect(findings.filter((f) => f.id.startsWith(`CCPA-${DECLARED}`) || f.id.startsWith(`CCPA-${SENSITIVE}`))).toEqual([]);
  });

  test('GIVEN L1 stores tagged by hand: sensitive with a malformed retention tag, personal with none THEN error and warning', () => {
    const findings = check((stack) => {
      const rds = new dynamodb.CfnTable(stack, 'Raw', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }] });
      Tags.of(rds).add(PrivacyTagKeys.CLASSIFICATION, 'sensitive');
      Tags.of(rds).add(PrivacyTagKeys.RETENTION_DAYS, 'forever');
      const b = new s3.CfnBucket(stack, 'RawBucket');
      Tags.of(b).add(PrivacyTagKeys.CLASSIFICATION, 'personal');
      const declared = new s3.CfnBucket(stack, 'Declared');
      Tags.of(declared).add(PrivacyTagKeys.CLASSIFICATION, 'personal');
      Tags.of(declared).add(PrivacyTagKeys.RETENTION_REASON, 'kept while the contract runs');
    });
    expect(outcome(findings, SENSITIVE, 'Test/Raw')).toBe('non-compliant');
    expect(outcome(findings, DECLARED, 'Test/RawBucket')).toBe('non-compliant');
    expect(outcome(findings, DECLARED, 'Test/Declared')).toBe('clean');
  });

  test('GIVEN an untagged or non-personal store THEN neither rule applies (the classification rules and the inventory see it)', () => {
    const findings = check((stack) => {
      new s3.CfnBucket(stack, 'Untagged');
      const assets = new s3.CfnBucket(stack, 'Assets');
      Tags.of(assets).add(PrivacyTagKeys.CLASSIFICATION, 'non-personal');
    });
    for (const path of ['Test/Untagged', 'Test/Assets']) {
      expect([outcome(findings, DECLARED, path), outcome(findings, SENSITIVE, path)]).toEqual(['clean', 'clean']);
    }
  });

  test('a DsrWorkflow-free PersonalDataBucket with retention: its access-log bucket declares its retention as well', () => {
    const findings = check((stack) => {
      new PersonalDataBucket(stack, 'Docs', { classification: DataClassification.SENSITIVE, categories: [DataCategory.HEALTH], retention: Duration.days(365) });
    });
    expect(findings.filter((f) => [DECLARED, SENSITIVE, S3_RULE].some((r) => f.id.startsWith(`CCPA-${r}`)))).toEqual([]);
  });
});

describe('CCPA-S3BucketExpirationWithinRetention', () => {
  function raw(stack: any, id: string, retention: string, rules?: s3.CfnBucket.RuleProperty[], versioned = true): s3.CfnBucket {
    const b = new s3.CfnBucket(stack, id, {
      versioningConfiguration: versioned ? { status: 'Enabled' } : undefined,
      lifecycleConfiguration: rules ? { rules } : undefined,
    });
    Tags.of(b).add(PrivacyTagKeys.CLASSIFICATION, 'personal');
    Tags.of(b).add(PrivacyTagKeys.RETENTION_DAYS, retention);
    return b;
  }

  test.each<[string, s3.CfnBucket.RuleProperty[] | undefined, boolean, string]>([
    ['no lifecycle at all', undefined, true, 'non-compliant'],
    ['expiration longer than the retention', [{ status: 'Enabled', expirationInDays: 120, noncurrentVersionExpiration: { noncurrentDays: 10 } }], true, 'non-compliant'],
    ['expiration only under a prefix', [{ status: 'Enabled', prefix: 'a/', expirationInDays: 30, noncurrentVersionExpiration: { noncurrentDays: 10 } }], true, 'non-compliant'],
    ['expiration only for tagged objects', [{ status: 'Enabled', tagFilters: [{ key: 'k', value: 'v' }], expirationInDays: 30, noncurrentVersionExpiration: { noncurrentDays: 10 } }], true, 'non-compliant'],
    ['the rule disabled', [{ status: 'Disabled', expirationInDays: 30, noncurrentVersionExpiration: { noncurrentDays: 10 } }], true, 'non-compliant'],
    ['a fixed expiration date', [{ status: 'Enabled', expirationDate: new Date('2030-01-01') as any, noncurrentVersionExpiration: { noncurrentDays: 10 } }], true, 'non-compliant'],
    ['current versions expire, old versions kept 60 days', [{ status: 'Enabled', expirationInDays: 30, noncurrentVersionExpiration: { noncurrentDays: 60 } }], true, 'non-compliant'],
    ['current and noncurrent within it, in two rules', [{ status: 'Enabled', expirationInDays: 30 }, { status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 30 } }], true, 'clean'],
    ['unversioned, current within it', [{ status: 'Enabled', expirationInDays: 14 }], false, 'clean'],
  ])('GIVEN an L1 bucket declaring 30 days with %s', (_, rules, versioned, expected) => {
    const findings = check((stack) => { raw(stack, 'B', '30', rules, versioned); });
    expect(outcome(findings, S3_RULE, 'Test/B')).toBe(expected);
  });

  test('GIVEN an expiration given as a parameter THEN cannot verify, naming the value', () => {
    const findings = check((stack) => {
      const p = new CfnParameter(stack, 'Days', { type: 'Number' });
      raw(stack, 'B', '30', [{ status: 'Enabled', expirationInDays: p.valueAsNumber, noncurrentVersionExpiration: { noncurrentDays: 10 } }]);
    });
    expect(outcome(findings, S3_RULE, 'Test/B')).toBe('cannot-verify');
  });

  test('GIVEN a PersonalDataBucket with retention THEN compliant; a retention tag forced above its lifecycle THEN an error', () => {
    const findings = check((stack) => {
      new PersonalDataBucket(stack, 'Ok', { retention: Duration.days(30) });
      // declared 30 days on a bucket that expires nothing: the declaration is not enforced
      const lying = new PersonalDataBucket(stack, 'Lying');
      PrivacyClassification.apply(lying.bucket, { retention: Duration.days(30) });
    });
    expect(outcome(findings, S3_RULE, 'Test/Ok/Bucket/Resource')).toBe('clean');
    expect(severityOf(findings, S3_RULE, 'Test/Lying/Bucket/Resource')).toBe('error');
  });

  test('GIVEN a bucket whose retention is declared indefinite THEN not applicable', () => {
    const findings = check((stack) => { new PersonalDataBucket(stack, 'Forever', { indefiniteRetentionReason: 'kept while the account is open' }); });
    expect(outcome(findings, S3_RULE, 'Test/Forever/Bucket/Resource')).toBe('clean');
  });
});

describe('CCPA-DynamoDBTableTtlForRetention', () => {
  test('GIVEN a PrivacyTable with retention THEN compliant', () => {
    const findings = check((stack) => { new PrivacyTable(stack, 'T', { retention: Duration.days(90) }); });
    expect(outcome(findings, DDB_RULE, 'Test/T/Table/Resource')).toBe('clean');
  });

  test.each<[string, dynamodb.CfnTable.TimeToLiveSpecificationProperty | undefined, string]>([
    ['no TTL', undefined, 'non-compliant'],
    ['TTL disabled', { enabled: false, attributeName: 'expiresAt' }, 'non-compliant'],
    ['TTL on', { enabled: true, attributeName: 'expiresAt' }, 'clean'],
  ])('GIVEN an L1 table declaring a retention with %s', (_, ttl, expected) => {
    const findings = check((stack) => {
      const t = new dynamodb.CfnTable(stack, 'T', {
        keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
        attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
        timeToLiveSpecification: ttl,
      });
      PrivacyClassification.apply(t, { retention: Duration.days(30) });
    });
    expect(outcome(findings, DDB_RULE, 'Test/T')).toBe(expected);
  });

  test('GIVEN a TableV2 declaring a retention without TTL THEN an error; with timeToLiveAttribute THEN clean', () => {
    const findings = check((stack) => {
      const none = new dynamodb.TableV2(stack, 'None', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
      PrivacyClassification.apply(none, { retention: Duration.days(30) });
      const ttl = new dynamodb.TableV2(stack, 'Ttl', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, timeToLiveAttribute: 'exp' });
      PrivacyClassification.apply(ttl, { retention: Duration.days(30) });
    });
    expect(outcome(findings, DDB_RULE, 'Test/None/Resource')).toBe('non-compliant');
    expect(outcome(findings, DDB_RULE, 'Test/Ttl/Resource')).toBe('clean');
  });

  test('GIVEN a table without a declared retention and no TTL THEN not this rule (StoreRetentionDeclared warns)', () => {
    const findings = check((stack) => {
      const t = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
      PrivacyClassification.apply(t, { classification: DataClassification.PERSONAL });
    });
    expect(outcome(findings, DDB_RULE, 'Test/T/Resource')).toBe('clean');
    expect(outcome(findings, DECLARED, 'Test/T/Resource')).toBe('non-compliant');
  });
});

describe('CCPA-LogsWithinDeclaredRetention', () => {
  function group(stack: any, id: string, retention: logs.RetentionDays, declared: number): logs.LogGroup {
    const g = new logs.LogGroup(stack, id, { retention });
    PrivacyClassification.apply(g, { retention: Duration.days(declared) });
    return g;
  }

  test.each<[string, logs.RetentionDays, number, string]>([
    ['kept 90 days, declared 30', logs.RetentionDays.THREE_MONTHS, 30, 'non-compliant'],
    ['kept forever, declared 30', logs.RetentionDays.INFINITE, 30, 'non-compliant'],
    ['kept 30 days, declared 30', logs.RetentionDays.ONE_MONTH, 30, 'clean'],
    ['kept 14 days, declared 30', logs.RetentionDays.TWO_WEEKS, 30, 'clean'],
    ['kept 2 years, declared 400', logs.RetentionDays.TWO_YEARS, 400, 'non-compliant'],
  ])('GIVEN an L2 log group %s', (_, retention, declared, expected) => {
    const findings = check((stack) => { group(stack, 'G', retention, declared); });
    expect(outcome(findings, LOGS_RULE, 'Test/G/Resource')).toBe(expected);
  });

  test('GIVEN a group holding personal data with a declared 30 days, kept 30 THEN LogsRetentionTwelveMonths yields to the declaration', () => {
    const findings = check((stack) => { group(stack, 'G', logs.RetentionDays.ONE_MONTH, 30); });
    expect(outcome(findings, 'LogsRetentionTwelveMonths', 'Test/G/Resource')).toBe('clean');
  });

  test('GIVEN an in-scope group kept 30 days with no declaration THEN LogsRetentionTwelveMonths still fails it', () => {
    const findings = check((stack) => { new logs.LogGroup(stack, 'G', { retention: logs.RetentionDays.ONE_MONTH }); });
    expect(outcome(findings, 'LogsRetentionTwelveMonths', 'Test/G/Resource')).toBe('non-compliant');
    expect(outcome(findings, LOGS_RULE, 'Test/G/Resource')).toBe('clean');
  });

  test('GIVEN an L1 group declaring 7 days by tag with no RetentionInDays THEN an error', () => {
    const findings = check((stack) => {
      const g = new logs.CfnLogGroup(stack, 'L1');
      Tags.of(g).add(PrivacyTagKeys.CLASSIFICATION, 'personal');
      Tags.of(g).add(PrivacyTagKeys.RETENTION_DAYS, '7');
    });
    expect(severityOf(findings, LOGS_RULE, 'Test/L1')).toBe('error');
  });
});
