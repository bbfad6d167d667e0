/**
 * The consumer test (issue 16): what a new user does with the README only.
 *
 *   npm run test:consumer
 *
 * 1. `npm pack` this repository (its `prepack` compiles and bundles) and check the tarball holds
 *    build/, assets/ and .jsii;
 * 2. a fresh CDK app outside the repository (under os.tmpdir()) installs the tarball, aws-cdk-lib,
 *    constructs, cdk-nag and cfn-guard's validator from the npm registry;
 * 3. its app.ts holds the README's Quickstart and DSR snippets verbatim (extracted from README.md,
 *    so the README cannot drift): only the Quickstart's one placeholder (`declare const apiHandler`)
 *    is filled with a real `lambda.Function`, and the DSR snippet's free names are declared around it;
 * 4. the aws-cdk CLI (`cdk synth`) must exit 0 with the packs registered, and exit 1 when a user
 *    resource violates CcpaChecks, and exit 1 when a user resource violates a cfn-guard rule.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** The ```ts block that follows `## <heading>` in README.md, verbatim. */
export function readmeSnippet(readme: string, heading: string): string {
  const at = readme.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README.md section "${heading}" has no ts block`);
  return block[1];
}

const PLACEHOLDER = 'declare const apiHandler: lambda.Function;';

/** app.ts: the Quickstart, its placeholder filled, then the DSR snippet in a stack of its own. */
export function consumerApp(readme: string, extra: string): string {
  const quickstart = readmeSnippet(readme, 'Quickstart');
  if (!quickstart.includes(PLACEHOLDER)) throw new Error(`the Quickstart no longer has the placeholder "${PLACEHOLDER}"`);
  const [imports, body] = splitImports(quickstart.replace(PLACEHOLDER, [
    'const apiHandler = new lambda.Function(stack, \'ApiHandler\', {',
    '  runtime: lambda.Runtime.NODEJS_22_X, handler: \'index.handler\',',
    '  code: lambda.Code.fromInline(\'exports.handler = async () => ({ statusCode: 200 });\'),',
    '});',
  ].join('\n')));
  const dsr = readmeSnippet(readme, 'Data subject requests');
  return [
    imports,
    "import * as cdk from 'aws-cdk-lib';",
    "import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';",
    "import * as events from 'aws-cdk-lib/aws-events';",
    "import * as iam from 'aws-cdk-lib/aws-iam';",
    "import * as sns from 'aws-cdk-lib/aws-sns';",
    "import * as ccpa from 'cdk-ccpa';",
    "import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';",
    '',
    body,
    '',
    '// The README\'s DSR snippet, verbatim, in a stack with the names it uses.',
    'class DsrStack extends cdk.Stack {',
    '  constructor(scope: cdk.App, id: string) {',
    '    super(scope, id);',
    '    const { DsrWorkflow, DsrApi, PrivateProcessingNetwork } = ccpa;',
    "    const customerProfiles = new ccpa.PrivacyTable(this, 'CustomerProfiles', { tenancy: ccpa.TenancyModel.POOLED });",
    "    const tenantDocuments = new ccpa.PersonalDataBucket(this, 'TenantDocuments', { tenancy: ccpa.TenancyModel.POOLED });",
    "    const pseudonyms = new ccpa.PseudonymizationKey(this, 'Pseudonyms');",
    "    const oncallTopic = new sns.Topic(this, 'Oncall', { masterKey: new ccpa.PrivacyKey(this, 'OncallKey') });",
    "    const tenantAppRole = new iam.Role(this, 'TenantApp', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });",
    dsr.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n'),
    '    void api;',
    '  }',
    '}',
    "new DsrStack(app, 'Privacy');",
    '',
    '// The variant under test (empty for the README as written).',
    extra,
    '',
  ].join('\n');
}

/** The snippet's import declarations (up to the last `from '...';` line at its top) and the rest. */
function splitImports(code: string): [string, string] {
  const lines = code.split('\n');
  const firstCode = lines.findIndex((l) => l.trim() !== '' && !/^import |^\s|^} from /.test(l));
  const head = lines.slice(0, firstCode < 0 ? lines.length : firstCode);
  const last = head.map((l) => /from '[^']+';\s*$/.test(l)).lastIndexOf(true);
  return [lines.slice(0, last + 1).join('\n'), lines.slice(last + 1).join('\n')];
}

/** Variants: a user resource each pack must fail on. */
const VARIANTS: Array<{ name: string; extra: string; expectExit: number; failingPlugin?: RegExp; at?: RegExp }> = [
  { name: 'README as written', extra: '', expectExit: 0 },
  {
    name: 'user bucket violating CcpaChecks',
    // classified personal, no customer-managed key, no PITR-like protection: CcpaChecks must fail it
    extra: "new cdk.aws_s3.Bucket(stack, 'UserPersonalBucket', { enforceSSL: true });",
    expectExit: 1,
    failingPlugin: /CCPA|Ccpa/,
    at: /UserPersonalBucket/,
  },
  {
    name: 'user Lambda violating a cfn-guard rule, CfnGuardValidator registered',
    extra: [
      'Validations.of(app).addPlugins(new CfnGuardValidator());',
      "new cdk.aws_lambda.CfnFunction(stack, 'UserFunction', { role: 'arn:aws:iam::111111111111:role/x', code: { zipFile: 'x' }, runtime: 'nodejs22.x', handler: 'index.handler' });",
    ].join('\n'),
    expectExit: 1,
    failingPlugin: /guard/i,
    at: /UserFunction/,
  },
];

function sh(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function main(): number {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ccpa-consumer-'));
  // 1. the package, as `npm pack` builds it (prepack)
  const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  const info = JSON.parse(packed.slice(packed.indexOf('[')))[0];
  const files: string[] = info.files.map((f: { path: string }) => f.path);
  const missing = ['.jsii', 'build/index.js', 'build/index.d.ts', 'assets/lib/dsr/handlers/requests.lambda/index.js', 'API.md']
    .filter((f) => !files.includes(f));
  if (missing.length > 0) throw new Error(`npm pack: the tarball lacks ${missing.join(', ')}`);
  const tarball = path.join(work, info.filename);
  console.log(`::: packed ${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(0)} KB`);

  // 2. a fresh app outside the repository
  const appDir = path.join(work, 'app');
  fs.mkdirSync(appDir);
  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, version: '0.0.0' }, null, 2));
  const dev = pkg.devDependencies;
  sh('npm', ['install', '--no-audit', '--no-fund', tarball, `aws-cdk-lib@${process.env.CONSUMER_CDK_VERSION ?? dev['aws-cdk-lib']}`,
    `constructs@${dev.constructs}`, `cdk-nag@${dev['cdk-nag']}`, `@cdklabs/cdk-validator-cfnguard@${dev['@cdklabs/cdk-validator-cfnguard']}`,
    `typescript@${dev.typescript}`, '@types/node@^20'], appDir);
  fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, outDir: 'out' },
    files: ['app.ts'],
  }, null, 2));
  const cdkCli = path.join(repo, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

  const problems: string[] = [];
  for (const v of VARIANTS) {
    fs.writeFileSync(path.join(appDir, 'app.ts'), consumerApp(readme, v.extra));
    const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: appDir, encoding: 'utf8' });
    if (tsc.status !== 0) {
      problems.push(`${v.name}: the README's snippets do not compile:\n${tsc.stdout}${tsc.stderr}`);
      continue;
    }
    const out = path.join(appDir, `cdk.out.${VARIANTS.indexOf(v)}`);
    const synth = spawnSync('node', [cdkCli, 'synth', '--app', 'node out/app.js', '--output', out, '--quiet',
      '--context', '@aws-cdk/core:validationReportJson=true'], {
      cwd: appDir,
      encoding: 'utf8',
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: '1' },
    });
    const report = readReport(out);
    const plugins = report.map((r) => `${r.pluginName}=${r.conclusion}`).join(', ');
    console.log(`::: ${v.name}: cdk synth exit ${synth.status}; plugin reports: ${plugins || '(none)'}`);
    if (synth.status !== v.expectExit) {
      problems.push(`${v.name}: cdk synth exited ${synth.status}, expected ${v.expectExit}\n${tail(synth.stdout + synth.stderr)}`);
    }
    if (!/CcpaChecks|CCPA/i.test(synth.stdout + synth.stderr + plugins) && v.expectExit === 0 && report.length === 0) {
      // with no finding the JSON report may be absent; the packs' registration shows in the assembly
      const manifest = fs.readFileSync(path.join(out, 'manifest.json'), 'utf8');
      if (!/validation|CCPA/i.test(manifest)) console.log('::: note: no validation report written (no finding)');
    }
    if (v.failingPlugin) {
      const failing = report.filter((r) => v.failingPlugin!.test(r.pluginName) && r.conclusion !== 'success');
      const blamed = failing.some((r) => r.violations.some((x) => (x.violatingConstructs ?? []).some((c) => v.at!.test(c.constructPath))));
      if (!blamed) problems.push(`${v.name}: no failing ${v.failingPlugin} report names ${v.at} (reports: ${plugins || 'none'})`);
    }
  }
  if (problems.length > 0) {
    console.error(`consumer test failed (app in ${appDir}):\n- ${problems.join('\n- ')}`);
    return 1;
  }
  console.log('::: consumer test passed');
  fs.rmSync(work, { recursive: true, force: true });
  return 0;
}

interface Report {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: Array<{ readonly violatingConstructs?: Array<{ readonly constructPath: string }> }>;
}
function readReport(out: string): Report[] {
  const file = path.join(out, 'validation-report.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).pluginReports : [];
}
function tail(text: string): string {
  return text.split('\n').slice(-40).join('\n');
}

if (require.main === module) {
  process.exitCode = main();
}
