import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp } from '../../examples/saas-app';
import { CyberAuditEvidence, DataCategory, PersonalDataBucket, PrivacyTagKeys } from '../../lib';
import { testTempDir } from '../kit/temp-dir';

/** Synthesize `app` into a fresh directory and read the evidence files back. */
function synthEvidence(configure: (app: App) => void): { json: any; markdown: string } {
  const outdir = testTempDir('evidence-');
  const app = new App({ outdir });
  configure(app);
  CyberAuditEvidence.of(app);
  app.synth();
  return {
    json: JSON.parse(fs.readFileSync(path.join(outdir, CyberAuditEvidence.JSON_FILE), 'utf8')),
    markdown: fs.readFileSync(path.join(outdir, CyberAuditEvidence.MARKDOWN_FILE), 'utf8'),
  };
}

const byNumber = (json: any) => Object.fromEntries(json.components.map((c: any) => [c.number, c]));

describe('CyberAuditEvidence', () => {
  describe('GIVEN the SaaS example', () => {
    const { json, markdown } = synthEvidence((app) => buildApp(app, []));
    const c = byNumber(json);

    test('THEN synth writes the 18 components of § 7123(c), in order, each with a status', () => {
      expect(json.components.map((x: any) => x.number)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
      for (const x of json.components) expect(['met', 'partial', 'gap', 'needs-a-person']).toContain(x.status);
      expect(markdown).toMatch(/^# Cybersecurity audit evidence/);
      expect(markdown).toContain('| (7) | Audit-log management');
      expect(json.summary.met + json.summary.partial + json.summary.gap + json.summary.needsAPerson).toBe(18);
    });

    test('THEN each infrastructure component names the resources and settings behind it', () => {
      // (2) encryption: the three stores with their keys
      const enc = c[2].requirements.find((r: any) => r.id === 'stores-encrypted');
      // the three stores of the example and the DSR workflow's own (ledger, audit, consent, exports)
      expect(enc.evidence.map((e: any) => e.path).sort()).toEqual([
        'SaasDataPlane/CustomerProfiles', 'SaasDataPlane/Dsr/AuditRecords', 'SaasDataPlane/Dsr/Consent', 'SaasDataPlane/Dsr/Exports', 'SaasDataPlane/Dsr/Ledger',
        'SaasDataPlane/KycDocuments', 'SaasDataPlane/TenantDocuments',
      ]);
      expect(enc.evidence.find((e: any) => e.path === 'SaasDataPlane/KycDocuments').setting).toBe('key alias/saas/kyc-data');
      // (7) the organization trail declared by OrganizationTrailCoverage
      expect(c[7].status).toBe('met');
      expect(c[7].requirements[0].evidence[0]).toEqual(expect.objectContaining({ path: 'SaasDataPlane/OrganizationTrail', type: 'OrganizationTrailCoverage' }));
      // (10) the DSR handlers run in the private processing network
      expect(c[10].requirements[0].evidence.length).toBeGreaterThan(0);
      expect(c[10].requirements[0].evidence.every((e: any) => e.type === 'AWS::Lambda::Function' && /VpcConfig/.test(e.setting))).toBe(true);
      // (18) the example's stores are in the backup plan; the DSR workflow's own stores are not (partial)
      expect(c[18].status).toBe('partial');
      expect(c[18].missing[0]).toMatch(/^stores without backup: .*SaasDataPlane\/Dsr\/Ledger/);
      expect(c[18].requirements[0].evidence.map((e: any) => e.path)).toEqual(expect.arrayContaining(['SaasDataPlane/CustomerProfiles', 'SaasDataPlane/KycDocuments', 'SaasDataPlane/TenantDocuments']));
      // the components that rest on CcpaChecks rules list them
      expect(c[2].rules).toEqual(expect.arrayContaining(['CCPA-S3BucketCustomerManagedKey', 'CCPA-S3BucketTlsOnly', 'CCPA-KMSKeyRotationEnabled']));
      expect(c[7].rules).toEqual(expect.arrayContaining(['CCPA-LogsRetentionTwelveMonths']));
    });

    test('THEN controls the app does not deploy are gaps, and people-only components say so', () => {
      // no GuardDuty, no Inspector in the example
      expect(c[8].status).toBe('gap');
      expect(c[9].status).toBe('gap');
      expect(c[6].status).toBe('gap');
      expect(c[6].needsAPerson).toEqual(['penetration tests and their remediation']);
      for (const n of [12, 13, 15]) {
        expect(c[n].status).toBe('needs-a-person');
        expect(c[n].needsAPerson.length).toBeGreaterThan(0);
      }
      // every non-met component says what is missing
      for (const x of json.components.filter((y: any) => y.status === 'gap' || y.status === 'partial')) {
        expect(x.missing.length).toBeGreaterThan(0);
      }
    });

    test('THEN the compliant example has no open CcpaChecks finding', () => {
      expect(json.summary.openFindings).toBe(0);
    });
  });

  describe('GIVEN the SaaS example without its trail', () => {
    test('THEN audit-log management turns to gap, naming the missing trail', () => {
      const { json } = synthEvidence((app) => {
        buildApp(app, []);
        (app.node.findChild('SaasDataPlane') as Stack).node.tryRemoveChild('OrganizationTrail');
      });
      const c7 = byNumber(json)[7];
      expect(c7.status).toBe('gap');
      expect(c7.missing[0]).toMatch(/no CloudTrail trail/);
      // and the CcpaChecks finding on the unaudited stores is attached to it
      expect(c7.findings.map((f: any) => f.rule)).toEqual(expect.arrayContaining(['CCPA-CloudTrailDataEventCoverage']));
    });
  });

  describe('GIVEN a store whose encryption or backup is taken away', () => {
    test('THEN an open CcpaChecks finding makes the component partial and unbacked stores are named', () => {
      const { json } = synthEvidence((app) => {
        const stack = new Stack(app, 'Data');
        new PersonalDataBucket(stack, 'Docs', {});
        new s3.Bucket(stack, 'Raw', { encryption: s3.BucketEncryption.S3_MANAGED });
      });
      const c = byNumber(json);
      expect(c[2].status).toBe('partial');
      expect(c[2].findings.map((f: any) => `${f.rule} ${f.path}`)).toEqual(expect.arrayContaining(['CCPA-S3BucketCustomerManagedKey Data/Raw/Resource']));
      expect(c[4].missing.join(' ')).toContain('Data/Raw');
      expect(c[18].status).toBe('gap');
      expect(c[7].status).toBe('gap');
    });
  });

  test('GIVEN CyberAuditEvidence.of twice THEN the app has one', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    expect(CyberAuditEvidence.of(stack)).toBe(CyberAuditEvidence.of(app));
  });
});

describe('risk-assessment-triggers.json', () => {
  function triggersOf(configure: (app: App) => void): any {
    const outdir = testTempDir('triggers-');
    const app = new App({ outdir });
    configure(app);
    CyberAuditEvidence.of(app);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, CyberAuditEvidence.RISK_ASSESSMENT_TRIGGERS_FILE), 'utf8'));
  }

  test('GIVEN the SaaS example THEN the KYC bucket is a trigger with its reference and pre-filled § 7152(a) fields', () => {
    const json = triggersOf((app) => buildApp(app, []));
    const kyc = json.triggers.find((t: any) => t.path === 'SaasDataPlane/KycDocuments/Bucket/Resource');
    expect(kyc).toEqual(expect.objectContaining({ kind: 'sensitive-personal-information', assessmentReference: 'RA-2026-KYC' }));
    expect(kyc.section7152a).toEqual(expect.objectContaining({ sensitiveCategories: ['user.government_id'], owner: 'team-kyc', recipients: null, purposes: null }));
    expect(kyc.section7152a.retention).toMatch(/^deleted data is unreadable after \d+ days; backups: SaasDataPlane\/Backups/);
    expect(kyc.section7152a.safeguards).toEqual(expect.arrayContaining(['encrypted with alias/saas/kyc-data']));
    // the non-sensitive stores are not triggers
    expect(json.triggers.some((t: any) => t.path.startsWith('SaasDataPlane/CustomerProfiles'))).toBe(false);
    expect(json.summary.withoutAssessment).toBe(0);
  });

  test('GIVEN a new sensitive category and an automated-decision function without references THEN both are listed as unassessed', () => {
    const json = triggersOf((app) => {
      const stack = new Stack(app, 'Data');
      const b = new s3.Bucket(stack, 'Raw');
      Tags.of(b).add(PrivacyTagKeys.DATA_CATEGORIES, DataCategory.HEALTH.key);
      const f = new lambda.Function(stack, 'Scoring', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'i.h', code: lambda.Code.fromInline('x') });
      Tags.of(f).add(PrivacyTagKeys.AUTOMATED_DECISION, 'credit-eligibility');
    });
    expect(json.triggers.map((t: any) => [t.kind, t.path, t.assessmentReference])).toEqual([
      ['sensitive-personal-information', 'Data/Raw/Resource', null],
      ['automated-decision-making', 'Data/Scoring/Resource', null],
    ]);
    expect(json.triggers[1].decision).toBe('credit-eligibility');
    expect(json.summary).toEqual({ triggers: 2, withoutAssessment: 2 });
  });
});
