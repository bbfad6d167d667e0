/**
 * The consumer test (issue 16): what a new user does with the README only.
 *
 *   npx projen test:consumer      (CI: CONSUMER_TARBALL=<the tarball it packed>)
 *
 * 1. `npm pack` this repository (its `prepack` compiles and bundles), or take CONSUMER_TARBALL;
 * 2. a fresh CDK app outside the repository (under os.tmpdir()) installs the tarball and what
 *    `npm install` gives a new user today: aws-cdk-lib@latest (CONSUMER_CDK_VERSION to pin) with
 *    its CLI, constructs, cdk-nag and cfn-guard's validator;
 * 3. its app holds the README's Quickstart and DSR snippet verbatim (test/examples/readme-app.ts:
 *    extracted from README.md, each placeholder filled with a real resource), compiled with `tsc`
 *    in strict mode;
 * 4. the aws-cdk CLI (`cdk synth`) must exit 0 with the packs registered, and exit 1 with a failing
 *    report naming the user's resource when it violates CcpaChecks or a cfn-guard rule.
 * With CONSUMER_WORK_DIR the app stays in that folder (CI then runs the construct tests on the
 * aws-cdk-lib it installed: `CDK_LATEST_DIR=<folder>/app npx projen test:latest`).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readmeApp } from '../examples/readme-app';

const repo = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** app.ts: the README's Quickstart and DSR snippet (test/examples/readme-app.ts), then the variant's code. */
export function consumerApp(readme: string, extra: string): string {
  return [
    "import * as cdk from 'aws-cdk-lib';",
    "import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';",
    "import { ExpectedExemptions } from 'cdk-ccpa';",
    readmeApp(true, readme),
    '',
    '// The variant under test (empty for the README as written).',
    extra,
    '',
  ].join('\n');
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
      'Validations.of(app).addPlugins(ExpectedExemptions.filter(new CfnGuardValidator({ controlTowerRulesEnabled: true })));',
      "new cdk.aws_lambda.CfnFunction(stack, 'UserFunction', { role: 'arn:aws:iam::111111111111:role/x', code: { zipFile: 'x' }, runtime: 'nodejs22.x', handler: 'index.handler' });",
    ].join('\n'),
    expectExit: 1,
    failingPlugin: /guard/i,
    at: /UserFunction/,
  },
];

/** `npm pack` of this repository into `dir`; checks the tarball holds what a user needs. */
function pack(dir: string): string {
  const packed = execFileSync('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  const info = JSON.parse(packed.slice(packed.lastIndexOf('\n[\n') + 1))[0];
  const files: string[] = info.files.map((f: { path: string }) => f.path);
  const missing = ['.jsii', 'build/index.js', 'build/index.d.ts', 'assets/lib/dsr/handlers/requests.lambda/index.js', 'API.md']
    .filter((f) => !files.includes(f));
  if (missing.length > 0) throw new Error(`npm pack: the tarball lacks ${missing.join(', ')}`);
  console.log(`::: packed ${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(0)} KB`);
  return path.join(dir, info.filename);
}

function sh(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function main(): number {
  // CONSUMER_WORK_DIR: keep the app there (CI runs the construct tests on its aws-cdk-lib next)
  const keep = process.env.CONSUMER_WORK_DIR ? path.resolve(process.env.CONSUMER_WORK_DIR) : undefined;
  if (keep) fs.mkdirSync(keep, { recursive: true });
  const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ccpa-consumer-'));
  // 1. the package, as `npm pack` builds it (prepack), or the tarball CI packed already
  const tarball = process.env.CONSUMER_TARBALL ? path.resolve(process.env.CONSUMER_TARBALL) : pack(work);
  // 2. a fresh app outside the repository, with what `npm install` gives a new user today
  const appDir = path.join(work, 'app');
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.mkdirSync(appDir);
  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, version: '0.0.0' }, null, 2));
  const dev = pkg.devDependencies;
  const cdkLib = process.env.CONSUMER_CDK_VERSION ?? 'latest';
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, `aws-cdk-lib@${cdkLib}`,
    // the CLI that goes with it: the newest for the newest library (its cloud assembly schema), else the repository's
    `aws-cdk@${cdkLib === 'latest' ? 'latest' : dev['aws-cdk']}`,
    'constructs@^10', 'cdk-nag@^3', '@cdklabs/cdk-validator-cfnguard@latest', `typescript@${dev.typescript}`, '@types/node@^20'], appDir);
  const versions = ['aws-cdk-lib', 'aws-cdk', 'cdk-nag', '@cdklabs/cdk-validator-cfnguard']
    .map((n) => `${n}@${JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules', n, 'package.json'), 'utf8')).version}`);
  console.log(`::: consumer app: ${path.basename(tarball)}, ${versions.join(', ')}`);
  // one app file per variant, compiled in one TypeScript program (strict, as `cdk init` sets it up)
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const appFile = (i: number) => `app${i}.ts`;
  VARIANTS.forEach((v, i) => fs.writeFileSync(path.join(appDir, appFile(i)), consumerApp(readme, v.extra)));
  fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, outDir: 'out' },
    files: VARIANTS.map((_, i) => appFile(i)),
  }, null, 2));
  const tsc = spawnSync('node', [path.join(appDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: appDir, encoding: 'utf8' });
  if (tsc.status !== 0) {
    console.error(`consumer test failed: the README's snippets do not compile in a fresh app (${appDir}):\n${tsc.stdout}${tsc.stderr}`);
    return 1;
  }
  const cdkCli = path.join(appDir, 'node_modules', 'aws-cdk', 'bin', 'cdk');

  const problems: string[] = [];
  for (const [i, v] of VARIANTS.entries()) {
    const out = path.join(appDir, `cdk.out.${i}`);
    const synth = spawnSync('node', [cdkCli, 'synth', '--app', `node out/app${i}.js`, '--output', out, '--quiet',
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
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
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
