import { Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataCategory, DataClassification, PersonalDataBucket, PrivacyClassification, PrivacyKey, PrivacyTagKeys } from '../../../lib';
import { check, outcome } from '../helpers';

const RULE = 'RiskAssessmentRecorded';

function fn(stack: any, id: string): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

describe('CCPA-RiskAssessmentRecorded', () => {
  test('GIVEN a sensitive store without an assessment reference THEN a warning names the trigger', () => {
    const findings = check((stack) => {
      new PersonalDataBucket(stack, 'Kyc', { classification: DataClassification.SENSITIVE, categories: [DataCategory.GOVERNMENT_ID] });
    });
    expect(outcome(findings, RULE, 'Test/Kyc/Bucket/Resource')).toBe('non-compliant');
    const f = findings.find((x) => x.id === `CCPA-${RULE}` && x.path === 'Test/Kyc/Bucket/Resource')!;
    expect(f.severity).toBe('warning');
    expect(f.description).toContain('trigger: sensitive personal information');
  });

  test('GIVEN a raw bucket tagged with a sensitive category only (classification left personal) THEN it warns too', () => {
    const findings = check((stack) => {
      const b = new s3.Bucket(stack, 'Raw');
      Tags.of(b).add(PrivacyTagKeys.DATA_CATEGORIES, `user.contact ${DataCategory.HEALTH.key}`);
    });
    expect(outcome(findings, RULE, 'Test/Raw/Resource')).toBe('non-compliant');
  });

  test('GIVEN the sensitive store tagged with its assessment reference THEN no finding', () => {
    const findings = check((stack) => {
      const kyc = new PersonalDataBucket(stack, 'Kyc', { classification: DataClassification.SENSITIVE, categories: [DataCategory.GOVERNMENT_ID] });
      Tags.of(kyc).add(PrivacyTagKeys.RISK_ASSESSMENT, 'RA-2026-007');
    });
    expect(findings.filter((x) => x.id.startsWith(`CCPA-${RULE}`))).toEqual([]);
  });

  test('GIVEN a blank assessment reference THEN it still warns', () => {
    const findings = check((stack) => {
      const kyc = new PersonalDataBucket(stack, 'Kyc', { classification: DataClassification.SENSITIVE, categories: [DataCategory.GOVERNMENT_ID] });
      Tags.of(kyc).add(PrivacyTagKeys.RISK_ASSESSMENT, ' ');
    });
    expect(outcome(findings, RULE, 'Test/Kyc/Bucket/Resource')).toBe('non-compliant');
  });

  test('GIVEN a function tagged as automated decision-making THEN it needs a reference; its role, untagged functions and sensitive keys do not', () => {
    const findings = check((stack) => {
      Tags.of(fn(stack, 'Scoring')).add(PrivacyTagKeys.AUTOMATED_DECISION, 'credit-eligibility');
      fn(stack, 'Plain');
      new PrivacyKey(stack, 'Key', { alias: 'k', classification: DataClassification.SENSITIVE });
      PrivacyClassification.apply(new s3.Bucket(stack, 'Personal'), { categories: [DataCategory.CONTACT] });
    });
    expect(outcome(findings, RULE, 'Test/Scoring/Resource')).toBe('non-compliant');
    expect(findings.filter((x) => x.id === `CCPA-${RULE}`).map((x) => x.path)).toEqual(['Test/Scoring/Resource']);
  });
});
