import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bin, BIN, cli, expectValidSarif, findingsOf, lineOf, workspace } from './helpers';


/**
 * A cdk.out as `cdk synth` writes it: a stack with a nested stack (whose table and bucket live in
 * the nested template), a stage (a nested cloud assembly), and acknowledgements recorded with
 * Validations.acknowledge (in the manifest, by construct path).
 */
function synthesizeAssembly(dir: string): string {
  const outdir = join(dir, 'cdk.out');
  const app = new App({ outdir });
  const parent = new Stack(app, 'Parent');
  new s3.Bucket(parent, 'Top');
  const nested = new NestedStack(parent, 'Data');
  const table = new dynamodb.Table(nested, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const acked = new s3.Bucket(nested, 'Acked');
  Validations.of(acked).acknowledge({ id: 'CCPA-S3BucketTlsOnly', reason: 'a test acknowledgement on the L2 above the L1' });
  Validations.of(table).acknowledge({ id: 'CCPA-DynamoDBTableCustomerManagedKey', reason: 'a test acknowledgement of the table' });
  const stage = new Stage(app, 'Prod');
  const edge = new Stack(stage, 'Edge');
  new s3.Bucket(edge, 'Logs');
  // a `<plugin>::<rule>` id: cdk synth collects it from the whole app
  Validations.of(edge).acknowledge({ id: 'CCPA::CCPA-S3BucketPublicAccessBlocked', reason: 'a test acknowledgement for the whole app' });
  app.synth();
  return outdir;
}

describe('GIVEN a cdk.out with a nested stack, a stage and acknowledgements', () => {
  let dir: string;
  let outdir: string;
  beforeAll(() => {
    dir = workspace();
    outdir = synthesizeAssembly(dir);
  });

  test('WHEN audited THEN the nested stack and the stage are checked, each finding in its own template file', async () => {
    const r = await cli(['audit', 'cdk.out', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const findings = findingsOf(r.stdout);
    const nestedFile = readdirSync(outdir).find((f) => f.endsWith('.nested.template.json'))!;
    expect(nestedFile).toBeDefined();
    const byFile = (file: string): string[] => [...new Set(findings.filter((f) => f.file === file).map((f) => f.logicalId.replace(/[0-9A-F]{8}$/, '')))].sort();
    expect(byFile('cdk.out/Parent.template.json')).toEqual(['Top']);
    expect(byFile(`cdk.out/${nestedFile}`)).toEqual(['Acked', 'Orders']);
    const stageFile = readdirSync(join(outdir, 'assembly-Prod')).find((f) => f.endsWith('.template.json'))!;
    expect(byFile(`cdk.out/assembly-Prod/${stageFile}`)).toEqual(['Logs']);
    const orders = findings.find((f) => f.file === `cdk.out/${nestedFile}` && f.logicalId.startsWith('Orders'))!;
    expect(orders.line).toBe(lineOf(join(outdir, nestedFile), new RegExp(`^  "${orders.logicalId}": \\{`)));
    expect(JSON.parse(r.stdout).summary.templates).toBe(3);
  });

  test('WHEN audited THEN the acknowledgements recorded in the assembly are honoured on their constructs only', async () => {
    const r = await cli(['audit', 'cdk.out', '--format', 'json'], dir);
    const ids = (prefix: string): string[] => findingsOf(r.stdout).filter((f) => f.logicalId.startsWith(prefix)).map((f) => f.ruleId);
    expect(ids('Acked')).not.toContain('CCPA-S3BucketTlsOnly');
    expect(ids('Acked')).toContain('CCPA-S3BucketCustomerManagedKey');
    expect(ids('Top')).toContain('CCPA-S3BucketTlsOnly');
    expect(ids('Orders')).not.toContain('CCPA-DynamoDBTableCustomerManagedKey');
    expect(ids('Orders')).toContain('CCPA-DynamoDBTablePointInTimeRecovery');
    expect(findingsOf(r.stdout).filter((f) => f.ruleId === 'CCPA-S3BucketPublicAccessBlocked')).toEqual([]);
  });

  test('WHEN the manifest itself is named THEN the audit is the same', async () => {
    const a = await cli(['audit', 'cdk.out', '--format', 'json'], dir);
    const b = await cli(['audit', 'cdk.out/manifest.json', '--format', 'json'], dir);
    expect(findingsOf(b.stdout).map((f) => f.fingerprint)).toEqual(findingsOf(a.stdout).map((f) => f.fingerprint));
  });

  test('WHEN the compiled bin audits it with worker threads THEN the findings equal the in-process ones', async () => {
    expect(existsSync(BIN)).toBe(true); // `npx projen compile` first (npm run check does)
    const inProcess = findingsOf((await cli(['audit', 'cdk.out', '--format', 'json'], dir)).stdout).map((f) => f.fingerprint);
    const r = bin(['audit', 'cdk.out', '--format', 'json', '--jobs', '2'], dir);
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout).map((f) => f.fingerprint)).toEqual(inProcess);
  });
});

describe('GIVEN the compiled bin (node build/cli/main.js), as npx runs it', () => {
  test('WHEN a failing template is audited to SARIF THEN exit 1 and a valid log', () => {
    const r = bin(['audit', 'noncompliant.yaml', '--format', 'sarif']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expectValidSarif(JSON.parse(r.stdout));
  });

  test('WHEN several templates go to worker threads THEN the result equals one thread, in input order', () => {
    const dir = workspace('noncompliant.yaml', 'sam.yaml');
    const one = bin(['audit', 'noncompliant.yaml', 'sam.yaml', 'noncompliant.yaml', '--format', 'json', '--jobs', '1'], dir);
    const two = bin(['audit', 'noncompliant.yaml', 'sam.yaml', '--format', 'json', '--jobs', '2'], dir);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
  });

  test('WHEN a worker meets a broken template THEN exit 2 with one line naming it', () => {
    const dir = workspace('noncompliant.yaml');
    writeFileSync(join(dir, 'broken.yaml'), 'Resources:\n  A: [\n');
    const r = bin(['audit', 'noncompliant.yaml', 'broken.yaml', '--jobs', '2'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cdk-ccpa audit: error: broken\.yaml: invalid YAML\/JSON at line \d+, column \d+: [^\n]+\n$/);
  });

  test('WHEN a file is missing or an option unknown THEN exit 2 with one line and no stack trace', () => {
    const missing = bin(['audit', 'nope.json']);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'cdk-ccpa audit: error: nope.json: no such file or directory\n' });
    const unknown = bin(['audit', 'noncompliant.yaml', '--strict']);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: 'cdk-ccpa audit: error: unknown option --strict (see cdk-ccpa audit --help)\n' });
  });

  test('WHEN asked for help or the version THEN it answers on stdout with exit 0', () => {
    expect(bin(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: cdk-ccpa audit <path...> [options]') });
    const version = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    expect(bin(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
