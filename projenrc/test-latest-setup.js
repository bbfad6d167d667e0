// jest setup file of `npx projen test:latest` (projenrc/test-latest.js): fails every suite unless the
// aws-cdk-lib that the tests, the library and the packs load is the newest one the run was given.
const path = require('path');

const expected = process.env.CDK_CCPA_EXPECTED_CDK_LIB;
const version = process.env.CDK_CCPA_EXPECTED_CDK_VERSION;
if (!expected || !version) throw new Error('test-latest-setup.js runs only under projenrc/test-latest.js');
const loaded = require('aws-cdk-lib/package.json');
const resolved = path.dirname(require.resolve('aws-cdk-lib/package.json'));
if (loaded.version !== version || path.resolve(resolved) !== path.resolve(expected)) {
  throw new Error(`aws-cdk-lib ${loaded.version} from ${resolved} is loaded, expected ${version} from ${expected}`);
}
