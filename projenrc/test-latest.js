#!/usr/bin/env node
// Runs the construct tests on the newest aws-cdk-lib the npm registry serves (what `npm install`
// gives a new user), next to the floor version package.json pins for development.
//   node projenrc/test-latest.js [jest paths...]
//   CDK_LATEST_DIR=<folder>   a folder whose node_modules already holds aws-cdk-lib@latest (CI passes
//                             the consumer app's); without it aws-cdk-lib@latest is installed into a
//                             temporary folder. The repository's node_modules is never touched.
// jest resolves every `aws-cdk-lib` import (the tests', the library's, cdk-nag's and cfn-guard's
// validator's) to that copy through moduleNameMapper, and `constructs` to the repository's one, so
// one aws-cdk-lib is loaded; a setup file fails the run if another one is. Reports go to
// test-reports/junit-latest.xml (CI's closing line counts both runs).
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
const floor = lock.packages['node_modules/aws-cdk-lib'].version;

// The construct tests: the suites of lib/'s construct modules (test/<module>/ for every lib/<module>/
// but the rule pack, the CLI and the shared private code), without the local DSR harness (handlers
// against stand-ins: no aws-cdk-lib in them). Derived, not listed by hand, so a new construct's suite
// is in it the day it is added. On the newest aws-cdk-lib the rule pack and the README's app with
// every pack registered run in the consumer step (a real `cdk synth`); the examples' and the
// integ snapshots' suites are pinned to the floor.
const NOT_CONSTRUCT_MODULES = new Set(['nag', 'cli', 'private']);
function constructTests() {
  const modules = fs.readdirSync(path.join(repo, 'lib'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_CONSTRUCT_MODULES.has(d.name)).map((d) => d.name);
  return modules.flatMap((m) => {
    const dir = path.join(repo, 'test', m);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { recursive: true }).map((f) => path.posix.join('test', m, String(f).split(path.sep).join('/')));
  }).filter((f) => f.endsWith('.test.ts') && !/^test\/dsr\/local/.test(f)).concat(LATEST_ONLY).sort();
}
// every integ app through aws-cdk-lib's built-in template validation (which the construct suites run
// without, see CDK_VALIDATION below); skipped on the floor version, which has none
const LATEST_ONLY = ['test/integ/builtin-validation.test.ts'];

let temporary; // the folder this run installed into (removed at the end), if CDK_LATEST_DIR named none
function latestDir() {
  if (process.env.CDK_LATEST_DIR) return path.resolve(process.env.CDK_LATEST_DIR);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ccpa-latest-'));
  temporary = dir;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cdk-latest', private: true }));
  execFileSync('npm', ['install', 'aws-cdk-lib@latest', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  return dir;
}

const dir = latestDir();
const cdkLib = path.join(dir, 'node_modules', 'aws-cdk-lib');
if (!fs.existsSync(path.join(cdkLib, 'package.json'))) {
  console.error(`no aws-cdk-lib in ${dir}/node_modules (CDK_LATEST_DIR)`);
  process.exit(1);
}
const latest = JSON.parse(fs.readFileSync(path.join(cdkLib, 'package.json'), 'utf8')).version;
console.log(`aws-cdk-lib ${latest} from ${cdkLib} (the floor is ${floor})`);

const constructs = path.dirname(require.resolve('constructs/package.json', { paths: [repo] }));
const config = {
  ...pkg.jest,
  rootDir: repo,
  collectCoverage: false,
  moduleNameMapper: {
    '^aws-cdk-lib$': cdkLib,
    '^aws-cdk-lib/(.*)$': `${cdkLib}/$1`,
    '^constructs$': constructs,
  },
  setupFiles: [...(pkg.jest.setupFiles ?? []), '<rootDir>/projenrc/test-latest-setup.js'],
  reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-latest.xml' }]],
};
const configFile = path.join(os.tmpdir(), `cdk-ccpa-jest-latest-${process.pid}.json`);
fs.writeFileSync(configFile, JSON.stringify(config));

const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : constructTests();
const jest = path.join(path.dirname(require.resolve('jest/package.json', { paths: [repo] })), 'bin', 'jest.js');
const run = spawnSync(process.execPath, [jest, '--config', configFile, '--ci', ...paths], {
  cwd: repo,
  stdio: 'inherit',
  // CDK_VALIDATION=false (aws-cdk-lib's switch for its built-in template validation, from 2.27x): on
  // every synth it runs a WebAssembly engine, which tripled the suites' CPU time; the compliance kit
  // (test/kit/compliance.ts) runs that validation itself on every stack it checks, errors as errors
  env: { ...process.env, CDK_VALIDATION: 'false', CDK_CCPA_EXPECTED_CDK_LIB: cdkLib, CDK_CCPA_EXPECTED_CDK_VERSION: latest },
});
fs.rmSync(configFile, { force: true });
if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
const status = run.status ?? 1;
console.log(status === 0
  ? `construct tests (${paths.length} suites) pass on aws-cdk-lib ${latest}`
  : `construct tests FAIL on aws-cdk-lib ${latest}`);
process.exit(status);
