import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { cli, expectValidSarif, findingsOf, FIXTURES, JsonFinding, lineOf, workspace } from './helpers';
import { PersonalDataBucket } from '../../lib';
import { ALL_RULES } from '../../lib/nag/rules';
import { check } from '../nag/helpers';

const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-data-events';
const NONCOMPLIANT = join(FIXTURES, 'noncompliant.yaml');

const idsOf = (stdout: string): string[] => findingsOf(stdout).map((f) => `${f.logicalId} ${f.ruleId}`).sort();

/** A template a user would have synthesized from this library: a PersonalDataBucket, compliant with the org trail declared. */
function compliantTemplate(dir: string): string {
  const app = new App();
  const stack = new Stack(app, 'Data');
  new PersonalDataBucket(stack, 'Customers');
  const file = join(dir, 'compliant.json');
  writeFileSync(file, JSON.stringify(app.synth().getStackByName('Data').template, undefined, 1));
  return file;
}

describe('GIVEN a template with personal data stores that were never written with cdk-ccpa', () => {
  test('WHEN audited THEN every finding names the rule and the resource at its line, and the exit code is 1', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const findings = findingsOf(r.stdout);
    expect(idsOf(r.stdout)).toEqual([
      'AppLogs CCPA-LogsRetentionTwelveMonths',
      'Customers CCPA-CloudTrailDataEventCoverage',
      'Customers CCPA-S3BucketAccessAudited',
      'Customers CCPA-S3BucketCustomerManagedKey',
      'Customers CCPA-S3BucketPublicAccessBlocked',
      'Customers CCPA-S3BucketTlsOnly',
      'Profiles CCPA-CloudTrailDataEventCoverage',
      'Profiles CCPA-DynamoDBTableCustomerManagedKey',
      'Profiles CCPA-DynamoDBTablePointInTimeRecovery[CannotVerify]',
    ]);
    const at = (id: string, rule: string): JsonFinding => findings.find((f) => f.logicalId === id && f.ruleId === rule)!;
    expect(at('Customers', 'CCPA-S3BucketTlsOnly')).toMatchObject({ file: 'noncompliant.yaml', line: lineOf(NONCOMPLIANT, /^ {2}Customers:/), column: 3 });
    // the property a rule is about, where the template writes it
    expect(at('AppLogs', 'CCPA-LogsRetentionTwelveMonths')).toMatchObject({ property: 'RetentionInDays', propertyLine: lineOf(NONCOMPLIANT, /RetentionInDays: 30/) });
    expect(at('Profiles', 'CCPA-DynamoDBTableCustomerManagedKey')).toMatchObject({ property: 'SSESpecification', propertyLine: lineOf(NONCOMPLIANT, /SSESpecification:/) });
  });

  test('WHEN a tag in the template classifies a store non-personal THEN it is out of scope, as at synth', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'json']);
    expect(findingsOf(r.stdout).filter((f) => f.logicalId === 'Assets')).toEqual([]);
  });

  test('WHEN a parameter fixes the value a rule could not see THEN the finding is decided', async () => {
    const prod = await cli(['audit', 'noncompliant.yaml', '--format', 'json', '--parameters', 'Pitr=true']);
    expect(idsOf(prod.stdout).filter((id) => id.includes('PointInTimeRecovery'))).toEqual([]);
    const dev = await cli(['audit', 'noncompliant.yaml', '--format', 'json', '--parameters', 'Env=dev,Pitr=false,Unused=1']);
    expect(idsOf(dev.stdout)).toContain('Profiles CCPA-DynamoDBTablePointInTimeRecovery');
    const dir = workspace('noncompliant.yaml');
    writeFileSync(join(dir, 'params.json'), JSON.stringify([{ ParameterKey: 'Pitr', ParameterValue: 'true' }]));
    const fromFile = await cli(['audit', 'noncompliant.yaml', '--format', 'json', '--parameters', 'params.json'], dir);
    expect(idsOf(fromFile.stdout)).toEqual(idsOf(prod.stdout));
  });

  test('WHEN --org-trail declares the organization trail THEN the data event coverage findings go, as with OrganizationTrailCoverage', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'json', '--org-trail', ORG_TRAIL]);
    expect(idsOf(r.stdout).filter((id) => /CloudTrailDataEventCoverage|S3BucketAccessAudited/.test(id))).toEqual([]);
    expect(r.code).toBe(1);
  });

  test('WHEN --rules selects rules THEN only those are reported (the prefix is optional)', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'json', '--rules', 'S3BucketTlsOnly,CCPA-LogsRetentionTwelveMonths']);
    expect(idsOf(r.stdout)).toEqual(['AppLogs CCPA-LogsRetentionTwelveMonths', 'Customers CCPA-S3BucketTlsOnly']);
  });

  test('WHEN --fail-on never THEN the findings are reported and the exit code is 0', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^noncompliant\.yaml:\d+:\d+: error CCPA-S3BucketTlsOnly Customers \(AWS::S3::Bucket\)/m);
  });

  test('WHEN --packs aws-solutions THEN cdk-nag findings are added', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'json', '--packs', 'aws-solutions']);
    expect(findingsOf(r.stdout).some((f) => f.ruleId.startsWith('AwsSolutions-') && f.logicalId === 'Customers')).toBe(true);
  });
});

describe('GIVEN the same template in YAML and in JSON', () => {
  test('WHEN both are audited THEN the findings are the same and each points at its own lines', async () => {
    const dir = workspace('noncompliant.yaml');
    const yaml = await cli(['audit', 'noncompliant.yaml', '--format', 'json'], dir);
    // the JSON form, long-form intrinsics, another layout
    const jsonText = JSON.stringify({
      Parameters: { Env: { Type: 'String', Default: 'dev' }, Pitr: { Type: 'String' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Resources: {
        Assets: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'privacy:classification', Value: 'non-personal' }] } },
        AppLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
        Customers: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'customers-${Env}' } } },
        Profiles: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: { Ref: 'Pitr' } },
            SSESpecification: { SSEEnabled: true },
          },
        },
      },
    }, undefined, '\t');
    writeFileSync(join(dir, 'noncompliant.json'), jsonText);
    const json = await cli(['audit', 'noncompliant.json', '--format', 'json'], dir);
    expect(idsOf(json.stdout)).toEqual(idsOf(yaml.stdout));
    const tls = findingsOf(json.stdout).find((f) => f.logicalId === 'Customers' && f.ruleId === 'CCPA-S3BucketTlsOnly')!;
    expect(tls).toMatchObject({ line: lineOf(join(dir, 'noncompliant.json'), /^\t\t"Customers"/), column: 3 });
  });
});

describe('GIVEN a SAM template', () => {
  test('WHEN audited THEN the transform is accepted and its CloudFormation resources are checked', async () => {
    const r = await cli(['audit', 'sam.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const sam = join(FIXTURES, 'sam.yaml');
    expect(findingsOf(r.stdout).filter((f) => f.ruleId === 'CCPA-S3BucketCustomerManagedKey'))
      .toEqual([expect.objectContaining({ logicalId: 'Uploads', line: lineOf(sam, /^ {2}Uploads:/) })]);
  });
});

describe('GIVEN a compliant template synthesized from cdk-ccpa constructs', () => {
  let dir: string;
  beforeAll(() => {
    dir = workspace();
    compliantTemplate(dir);
  });

  test.each(['text', 'json', 'sarif', 'junit'])('WHEN audited with --org-trail as %s THEN it passes with exit code 0', async (format) => {
    const r = await cli(['audit', 'compliant.json', '--org-trail', ORG_TRAIL, '--format', format], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // two warnings: the bucket is covered by data subject requests by default, and no DsrWorkflow
    // in this template serves it (the workflow may live in another app); it declares no retention
    if (format === 'text') expect(r.stdout).toMatch(/CCPA-DsrCoveredStoreServed[\s\S]*CCPA-StoreRetentionDeclared[\s\S]*1 template checked: 0 errors, 2 warnings\n$/);
    if (format === 'json') {
      expect(findingsOf(r.stdout).map((f) => `${f.severity} ${f.ruleId} ${f.logicalId}`)).toEqual([
        expect.stringMatching(/^warning CCPA-DsrCoveredStoreServed CustomersBucket[0-9A-F]{8}$/),
        expect.stringMatching(/^warning CCPA-StoreRetentionDeclared CustomersBucket[0-9A-F]{8}$/),
      ]);
    }
    if (format === 'sarif') {
      expectValidSarif(JSON.parse(r.stdout));
      expect(JSON.parse(r.stdout).runs[0].results.map((x: any) => `${x.level} ${x.ruleId}`)).toEqual(['warning CCPA-DsrCoveredStoreServed', 'warning CCPA-StoreRetentionDeclared']);
    }
    if (format === 'junit') expect(r.stdout).toMatch(/<testsuites name="cdk-ccpa audit" tests="2" failures="0">/);
  });

  test('WHEN audited without the trail declaration THEN the coverage rules fail it, as synth would', async () => {
    const r = await cli(['audit', 'compliant.json', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect([...new Set(findingsOf(r.stdout).filter((f) => f.severity === 'error').map((f) => f.ruleId))].sort()).toEqual(['CCPA-CloudTrailDataEventCoverage']);
  });
});

describe('GIVEN a failing template WHEN reported in every format', () => {
  test('THEN text names file:line:column, rule and resource', async () => {
    const r = await cli(['audit', 'noncompliant.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`noncompliant.yaml:${lineOf(NONCOMPLIANT, /^ {2}Customers:/)}:3: error CCPA-S3BucketTlsOnly Customers (AWS::S3::Bucket)`);
    expect(r.stdout).toMatch(/1 template checked: 9 errors, 0 warnings\n$/);
  });

  test('THEN SARIF validates against the SARIF 2.1.0 schema, lists every rule with help, and points to the lines', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expectValidSarif(log);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(ALL_RULES.map((x) => `CCPA-${x.id}`));
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text).toMatch(/Why: .+Fix: /s);
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    const result = (logicalId: string, ruleId: string): any =>
      run.results.find((x: any) => x.locations[0].logicalLocations[0].name === logicalId && x.properties.ruleId === ruleId);
    const tls = result('Customers', 'CCPA-S3BucketTlsOnly');
    expect(tls).toMatchObject({ ruleId: 'CCPA-S3BucketTlsOnly', level: 'error' });
    expect(run.tool.driver.rules[tls.ruleIndex].id).toBe('CCPA-S3BucketTlsOnly');
    expect(tls.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'noncompliant.yaml' },
      region: { startLine: lineOf(NONCOMPLIANT, /^ {2}Customers:/), startColumn: 3, endLine: lineOf(NONCOMPLIANT, /^ {2}Customers:/), endColumn: 12 },
    });
    expect(tls.partialFingerprints['cdkCcpaFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    // a property where the template writes it
    expect(result('AppLogs', 'CCPA-LogsRetentionTwelveMonths').locations[0].physicalLocation.region.startLine).toBe(lineOf(NONCOMPLIANT, /RetentionInDays: 30/));
    // [CannotVerify] of an error-level rule is a warning in code scanning (still an error for --fail-on)
    expect(result('Profiles', 'CCPA-DynamoDBTablePointInTimeRecovery[CannotVerify]')).toMatchObject({ ruleId: 'CCPA-DynamoDBTablePointInTimeRecovery', level: 'warning' });
  });

  test('THEN JUnit has one failing test case per finding', async () => {
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="cdk-ccpa audit" tests="9" failures="9">/);
    expect(r.stdout).toContain('<testcase classname="noncompliant.yaml" name="CCPA-S3BucketTlsOnly Customers"><failure type="error"');
  });

  test('THEN several formats go to several files in one run', async () => {
    const dir = workspace('noncompliant.yaml');
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'sarif=out/audit.sarif,json=out/audit.json', '--format', 'junit', '--output', 'out/junit.xml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectValidSarif(JSON.parse(readFileSync(join(dir, 'out/audit.sarif'), 'utf8')));
    expect(findingsOf(readFileSync(join(dir, 'out/audit.json'), 'utf8'))).toHaveLength(9);
    expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toContain('<testsuites');
  });
});

describe('GIVEN a baseline of the findings of today', () => {
  test('WHEN the template is reformatted THEN nothing is new and the exit code is 0; WHEN a store is added THEN only its findings fail', async () => {
    const dir = workspace('noncompliant.yaml');
    const file = join(dir, 'noncompliant.yaml');
    for (const format of ['json', 'sarif']) {
      await cli(['audit', 'noncompliant.yaml', '--format', `${format}=baseline.${format}`], dir);
    }
    // reformatting: comments and blank lines move every resource, a property is edited in place
    writeFileSync(file, `# reformatted\n\n${readFileSync(NONCOMPLIANT, 'utf8').replace('RetentionInDays: 30', 'RetentionInDays: 90').replace(/\n {2}Profiles:/, '\n\n\n  Profiles:')}`);
    for (const format of ['json', 'sarif']) {
      const same = await cli(['audit', 'noncompliant.yaml', '--baseline', `baseline.${format}`, '--format', 'json'], dir);
      expect(same.code).toBe(0);
      expect(findingsOf(same.stdout).map((f) => f.baseline)).toEqual(new Array(9).fill('unchanged'));
    }
    writeFileSync(file, readFileSync(file, 'utf8').replace('Outputs:', 'Orders:\n    Type: AWS::S3::Bucket\nOutputs:').replace('Resources:\n', 'Resources:\n  Orders:\n    Type: AWS::S3::Bucket\n').replace(/Orders:\n {4}Type: AWS::S3::Bucket\nOutputs:/, 'Outputs:'));
    for (const format of ['json', 'sarif']) {
      const grown = await cli(['audit', 'noncompliant.yaml', '--baseline', `baseline.${format}`, '--format', 'json'], dir);
      expect(grown.code).toBe(1);
      expect(findingsOf(grown.stdout).filter((f) => f.baseline === 'new').map((f) => f.logicalId)).toEqual(new Array(5).fill('Orders'));
      const text = await cli(['audit', 'noncompliant.yaml', '--baseline', `baseline.${format}`], dir);
      expect(text.stdout).toMatch(/\(9 in the baseline, 5 new\)/);
    }
    const sarif = await cli(['audit', 'noncompliant.yaml', '--baseline', 'baseline.json', '--format', 'sarif'], dir);
    const states = JSON.parse(sarif.stdout).runs[0].results.map((x: { baselineState: string }) => x.baselineState);
    expect(states.filter((s: string) => s === 'new')).toHaveLength(5);
    expectValidSarif(JSON.parse(sarif.stdout));
  });
});

describe('GIVEN acknowledgements written into template Metadata (cdk-nag writeSuppressionsToCloudFormation)', () => {
  test('WHEN audited THEN the acknowledged finding of that resource is gone, the others stay', async () => {
    const dir = workspace('noncompliant.yaml');
    const file = join(dir, 'noncompliant.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  AppLogs:\n    Type: AWS::Logs::LogGroup\n',
      '  AppLogs:\n    Type: AWS::Logs::LogGroup\n    Metadata:\n      cdk_nag:\n        rules_to_suppress:\n          - id: CCPA-LogsRetentionTwelveMonths\n            reason: application logs hold no personal data\n'));
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'json'], dir);
    expect(idsOf(r.stdout).filter((id) => id.startsWith('AppLogs'))).toEqual([]);
    expect(idsOf(r.stdout)).toContain('Customers CCPA-S3BucketTlsOnly');
  });

  test('WHEN the entry gives no reason (or a placeholder under 10 characters) THEN it acknowledges nothing', async () => {
    const dir = workspace('noncompliant.yaml');
    const file = join(dir, 'noncompliant.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  AppLogs:\n    Type: AWS::Logs::LogGroup\n',
      '  AppLogs:\n    Type: AWS::Logs::LogGroup\n    Metadata:\n      cdk_nag:\n        rules_to_suppress:\n          - id: CCPA-LogsRetentionTwelveMonths\n            reason: TODO\n'));
    const r = await cli(['audit', 'noncompliant.yaml', '--format', 'json'], dir);
    expect(idsOf(r.stdout)).toContain('AppLogs CCPA-LogsRetentionTwelveMonths');
  });
});

describe('GIVEN a folder of templates and other files', () => {
  test('WHEN the folder is audited THEN every template is checked and other JSON/YAML files are skipped with a note', async () => {
    const dir = workspace('noncompliant.yaml', 'sam.yaml');
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
    writeFileSync(join(dir, 'values.yaml'), 'replicas: 2\n');
    const r = await cli(['audit', '.', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.templates).toBe(2);
    expect(new Set(findingsOf(r.stdout).map((f) => f.file))).toEqual(new Set(['noncompliant.yaml', 'sam.yaml']));
    expect(r.stderr).toContain('skipped package.json: not a CloudFormation template');
  });

  test('WHEN more than a few templates are audited THEN a progress line goes to stderr', async () => {
    const dir = workspace('noncompliant.yaml');
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `copy-${i}.yaml`), readFileSync(NONCOMPLIANT, 'utf8'));
    const r = await cli(['audit', '.', '--format', 'json'], dir);
    expect(r.stderr).toMatch(/^cdk-ccpa audit: 7\/7 checked/m);
    expect(r.stderr).toMatch(/7 templates in [\d.]+ s \(\d+\/s\)/);
    const quiet = await cli(['audit', '.', '--format', 'json', '--quiet'], dir);
    expect(quiet.stderr).toBe('');
  });
});

describe('GIVEN bad input', () => {
  const oneLine = (r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([expect.stringMatching(pattern), '']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  test('a missing file', async () => {
    oneLine(await cli(['audit', 'nope.yaml']), /^cdk-ccpa audit: error: nope\.yaml: no such file or directory$/);
  });
  test('invalid YAML, with the line and column', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'broken.yaml'), 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n   Properties: [\n');
    oneLine(await cli(['audit', 'broken.yaml'], dir), /^cdk-ccpa audit: error: broken\.yaml: invalid YAML\/JSON at line \d+, column \d+: .+$/);
  });
  test('invalid JSON', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'broken.json'), '{"Resources": {"A": {"Type": "AWS::S3::Bucket",}');
    oneLine(await cli(['audit', 'broken.json'], dir), /^cdk-ccpa audit: error: broken\.json: invalid YAML\/JSON at line 1, column \d+/);
  });
  test('a file that is not a template', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'values.yaml'), 'replicas: 2\n');
    oneLine(await cli(['audit', 'values.yaml'], dir), /^cdk-ccpa audit: error: values\.yaml: not a CloudFormation template \(it has no Resources section\)$/);
    writeFileSync(join(dir, 'typeless.json'), '{"Resources":{"A":{"Properties":{}}}}');
    oneLine(await cli(['audit', 'typeless.json'], dir), /typeless\.json: not a CloudFormation template \(resource A has no Type\)$/);
  });
  test('a template CloudFormation would refuse (a cycle)', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'cycle.yaml'), 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: !GetAtt B.TopicName }\n  B:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: !GetAtt A.TopicName }\n');
    oneLine(await cli(['audit', 'cycle.yaml'], dir), /^cdk-ccpa audit: error: cycle\.yaml: cannot load the template: Found a cycle/);
  });
  test.each([
    [['audit', 'noncompliant.yaml', '--frmat', 'json'], /unknown option --frmat \(see cdk-ccpa audit --help\)$/],
    [['audit', 'noncompliant.yaml', '--format', 'xml'], /--format xml: use one of text, json, sarif, junit$/],
    [['audit', 'noncompliant.yaml', '--fail-on'], /option --fail-on needs a value$/],
    [['audit', 'noncompliant.yaml', '--fail-on', 'info'], /--fail-on info: use one of error, warning, never$/],
    [['audit', 'noncompliant.yaml', '--rules', 'NoSuchRule'], /--rules NoSuchRule: no such CcpaChecks rule/],
    [['audit', 'noncompliant.yaml', '--packs', 'nist-800-53-r4'], /--packs nist-800-53-r4: use one of aws-solutions, /],
    [['audit', 'noncompliant.yaml', '--org-trail', 'my-trail'], /--org-trail my-trail is not a CloudTrail trail ARN/],
    [['audit', 'noncompliant.yaml', '--format', 'json', '--format', 'sarif'], /only one report can go to stdout/],
    [['audit', 'noncompliant.yaml', '--parameters', 'missing.json'], /--parameters missing\.json: cannot read the file \(ENOENT\)$/],
    [['audit', 'noncompliant.yaml', '--baseline', 'missing.sarif'], /missing\.sarif: cannot read the baseline \(ENOENT\)$/],
    [['audit'], /no template, folder or cdk\.out given/],
    [['lint', 'x'], /^cdk-ccpa: error: unknown command lint/],
  ])('usage %j', async (argv, pattern) => {
    oneLine(await cli(argv), pattern);
  });
  test('a baseline that is not a report', async () => {
    oneLine(await cli(['audit', 'noncompliant.yaml', '--baseline', 'sam.yaml']), /sam\.yaml: the baseline is not JSON/);
  });
});

describe('GIVEN an app whose template was synthesized with an unacknowledged bucket', () => {
  test('WHEN the raw template is audited THEN it finds what CcpaChecks finds at synth', async () => {
    const build = (stack: Stack): void => { new s3.Bucket(stack, 'Raw'); };
    const atSynth = check(build).map((f) => f.id).sort();
    const app = new App();
    const stack = new Stack(app, 'Test');
    build(stack);
    const dir = workspace();
    writeFileSync(join(dir, 'raw.json'), JSON.stringify(app.synth().getStackByName('Test').template));
    const r = await cli(['audit', 'raw.json', '--format', 'json'], dir);
    expect(findingsOf(r.stdout).map((f) => f.ruleId).sort()).toEqual(atSynth);
  });
});
