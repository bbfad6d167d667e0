#!/usr/bin/env node
// Runs the tests (all but those NOT_ON_LATEST leaves out) on the newest aws-cdk-lib the npm registry
// serves (what `npm install` gives a new user), next to the floor version package.json pins for
// development.
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

// The suites: every test file under test/ but those below, each left out for the reason given.
// Derived, not listed by hand, so a new suite runs on the newest aws-cdk-lib the day it is added.
// test/integ/builtin-validation.test.ts (every integ app through aws-cdk-lib's built-in template
// validation) is skipped on the floor, which has none, and runs here.
const NOT_ON_LATEST = [
  // the DSR handlers against the local stand-ins: no aws-cdk-lib in them
  /^test\/dsr\/local/,
  // the cdk CLI in child processes, which load the repository's aws-cdk-lib, not the mapped one (the
  // consumer step runs the CLI on the newest)
  /^test\/nag\/cdk-synth\.test\.ts$/,
  // the example apps: 20-60 s of CPU each with every pack on 2 cores; on the newest, the consumer step
  // synthesizes the README's app with every pack through the real CLI
  /^test\/examples\//,
  // eslint over the sources: no aws-cdk-lib
  /^test\/architecture\//,
];
function latestSuites() {
  return fs.readdirSync(path.join(repo, 'test'), { recursive: true })
    .map((f) => path.posix.join('test', String(f).split(path.sep).join('/')))
    .filter((f) => f.endsWith('.test.ts') && !NOT_ON_LATEST.some((re) => re.test(f)))
    .sort();
}

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

const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : latestSuites();
const jest = path.join(path.dirname(require.resolve('jest/package.json', { paths: [repo] })), 'bin', 'jest.js');
const run = spawnSync(process.execPath, [jest, '--config', configFile, '--ci', ...paths], {
  cwd: repo,
  stdio: 'inherit',
  // CDK_VALIDATION=false (aws-cdk-lib's switch for its built-in template validation, from 2.27x): on
  // every synth it runs a WebAssembly engine, which tripled the suites' CPU time; the validation itself
  // runs on every integ app in test/integ/builtin-validation.test.ts, errors as errors
  env: { ...process.env, CDK_VALIDATION: 'false', CDK_CCPA_EXPECTED_CDK_LIB: cdkLib, CDK_CCPA_EXPECTED_CDK_VERSION: latest },
});
fs.rmSync(configFile, { force: true });
if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
const status = run.status ?? 1;
console.log(status === 0
  ? `${paths.length} suites pass on aws-cdk-lib ${latest}`
  : `tests FAIL on aws-cdk-lib ${latest}`);
process.exit(status);
