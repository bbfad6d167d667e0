import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp } from '../../examples/saas-app';
import { CyberAuditEvidence, PersonalDataBucket } from '../../lib';
import { ALL_RULES } from '../../lib/nag/rules';
import { testTempDir } from '../kit/temp-dir';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '../../docs/cyber-audit-evidence.schema.json'), 'utf8'));

function evidenceOf(configure: (app: App) => void): any {
  const outdir = testTempDir('evidence-schema-');
  const app = new App({ outdir });
  configure(app);
  CyberAuditEvidence.of(app);
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(outdir, CyberAuditEvidence.JSON_FILE), 'utf8'));
}

describe('docs/cyber-audit-evidence.schema.json', () => {
  const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

  test.each([
    ['the SaaS example', (app: App) => buildApp(app, [])],
    ['an app with open findings and unclassified stores', (app: App) => {
      const stack = new Stack(app, 'Data');
      new PersonalDataBucket(stack, 'Docs', {});
      new s3.Bucket(stack, 'Raw', { encryption: s3.BucketEncryption.S3_MANAGED });
    }],
    ['an empty app', (app: App) => new Stack(app, 'Empty')],
  ])('GIVEN %s THEN the evidence file validates against the committed schema', (_, configure) => {
    const json = evidenceOf(configure);
    expect(validate(json) ? [] : validate.errors).toEqual([]);
  });

  test('GIVEN a file that breaks the contract THEN the schema rejects it (the test can fail)', () => {
    const json = evidenceOf((app) => buildApp(app, []));
    const broken = [
      { ...json, components: json.components.slice(1) },
      { ...json, components: json.components.map((c: any, i: number) => (i === 0 ? { ...c, status: 'compliant' } : c)) },
      {
        ...json,
        components: json.components.map((c: any, i: number) => (i === 0
          ? { ...c, requirements: c.requirements.map((r: any) => ({ ...r, met: false, missing: undefined })) } : c)),
      },
    ].map((b) => JSON.parse(JSON.stringify(b)));
    for (const b of broken) expect(validate(b)).toBe(false);
  });

  test('GIVEN every CcpaChecks rule THEN each cites a § 7123(c) component or its findings land in otherFindings', () => {
    // the evidence maps findings by citation; a rule without one is reported, never dropped
    const json = evidenceOf((app) => {
      const stack = new Stack(app, 'Data');
      new s3.Bucket(stack, 'Raw', { encryption: s3.BucketEncryption.S3_MANAGED });
    });
    const placed = [...json.components.flatMap((c: any) => c.findings), ...json.otherFindings];
    expect(new Set(placed.map((f: any) => `${f.rule} ${f.path}`)).size).toBe(json.summary.openFindings);
    expect(ALL_RULES.length).toBeGreaterThan(0);
  });
});
