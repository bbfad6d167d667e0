#!/usr/bin/env node
// Runs the construct tests on the newest aws-cdk-lib the npm registry serves (what `npm install`
// gives a new user), next to the floor version package.json pins for development. The newest one is
// installed with --no-save (package.json and the lock file stay as they are) and the locked version
// is put back afterwards, also when the tests fail.
//   node projenrc/test-latest.js [jest paths...]
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');

const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const floor = lock.packages['node_modules/aws-cdk-lib'].version;
const npm = (...args) => execFileSync('npm', [...args, '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
const installed = () => JSON.parse(fs.readFileSync('node_modules/aws-cdk-lib/package.json', 'utf8')).version;

// the construct tests: everything that synthesizes a construct (not the CLI, the local DSR harness or the kit's own tests)
const DEFAULT_PATHS = [
  'test/classification', 'test/encryption', 'test/storage', 'test/inventory', 'test/audit', 'test/network',
  'test/governance', 'test/api', 'test/examples', 'test/nag', 'test/dsr/dsr-workflow.test.ts', 'test/dsr/config.test.ts',
  'test/dsr/private-processing.test.ts',
];
const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_PATHS;

npm('install', 'aws-cdk-lib@latest');
const latest = installed();
console.log(`aws-cdk-lib ${latest} (latest on the registry; the floor is ${floor})`);
let status = 1;
try {
  const run = spawnSync('npx', ['jest', ...paths, '--ci', '--coverage=false', '--reporters=default'], { stdio: 'inherit' });
  status = run.status ?? 1;
} finally {
  npm('install', `aws-cdk-lib@${floor}`);
  console.log(`aws-cdk-lib ${installed()} restored`);
}
console.log(status === 0 ? `construct tests pass on aws-cdk-lib ${latest}` : `construct tests FAIL on aws-cdk-lib ${latest}`);
process.exit(status);
