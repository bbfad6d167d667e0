import { awscdk, javascript, JsonFile } from 'projen';
import { restrictedPathZones } from './projenrc/layers';

/**
 * cdk-ccpa: CCPA/CPRA-compliant-by-default CDK constructs and a cdk-nag rule pack.
 *
 * Layout (DESIGN.md section 2): sources in `lib/`, compiled JavaScript in the
 * git-ignored `build/` (projen's `dist/` is its packaging folder), tests in `test/`,
 * integ tests in `integ/`, user-facing apps in `examples/`.
 */
const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ccpa',
  description:
    'AWS CDK constructs and a cdk-nag rule pack that make CCPA/CPRA-compliant infrastructure the default: customer-managed KMS keys, ABAC tags, PITR, audit trails and data subject request workflows.',
  license: 'Apache-2.0',
  author: 'cdk-ccpa contributors',
  authorAddress: 'cdk-ccpa@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-ccpa/cdk-ccpa.git',
  keywords: ['awscdk', 'aws-cdk', 'ccpa', 'cpra', 'privacy', 'compliance', 'cdk-nag', 'kms', 'abac'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Toolchain (DESIGN.md section 9).
  cdkVersion: '2.258.0', // cdk-nag v3 needs the construct tree 2.258 hands to validation plugins
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',
  workflowNodeVersion: '20.x',

  srcdir: 'lib',
  libdir: 'build',
  testdir: 'test',
  entrypoint: 'build/index.js',
  entrypointTypes: 'build/index.d.ts',

  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard',
    '@cloud-copilot/iam-simulate', // AGPL: devDependency only, never shipped
    '@aws-cdk/integ-tests-alpha',
    'aws-cdk@^2.1148.0', // the cdk CLI, for the `cdk synth` test of CcpaChecks (assembly schema 54 needs >= 2.1144)
    // DsrWorkflow handlers (lib/dsr/handlers/*.lambda.ts): pre-bundled into assets/ at build time,
    // so none of these is a runtime dependency of the published library (DESIGN.md section 9)
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-kms',
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-sfn',
    '@aws-sdk/s3-request-presigner',
    '@aws-sdk/util-dynamodb',
    '@aws-lambda-powertools/logger',
    '@types/aws-lambda',
    // local stand-ins for the DsrWorkflow end-to-end tests (DESIGN.md section 8)
    'aws-local-stepfunctions@^3.0.0', // needs Node >= 22: test/dsr/local/polyfills.ts adds Promise.withResolvers on 20
    'dynalite@^4.0.0',
    's3rver@^3.7.1',
    'ajv@^6', // validates DsrApi's request models in tests: draft-04, the JSON-schema dialect of API Gateway
    // the DsrApi integ test's caller (integ/dsr-api-caller.lambda.ts): assumes the test tenants' roles
    // (the runtime's STS client, external) and signs its HTTPS calls with SigV4 (bundled)
    '@aws-sdk/client-sts',
    '@smithy/signature-v4',
  ],

  // Lambda handlers: every lib/**/*.lambda.ts is bundled by esbuild into assets/<path>.lambda/index.js
  // (pre-compile), and projen generates a lambda.Function subclass next to it (<name>-function.ts).
  // The AWS SDK v3 clients are external (the Node.js Lambda runtime provides them); the helpers
  // the runtime may not ship (util-dynamodb, s3-request-presigner) and Powertools are bundled, minified.
  lambdaAutoDiscover: true,
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X, // the newest Node.js runtime aws-cdk-lib 2.258 offers
    // `minify` is an AddBundleOptions field that projen's LambdaFunction passes through to esbuild
    bundlingOptions: { externals: ['@aws-sdk/client-*'], minify: true } as javascript.BundlingOptions,
  },

  // jsii targets, named by Construct Hub's conventions. CI generates each one's code
  // (`package:code`, jsii-pacmak --code-only); full builds need PyPI, Maven, NuGet and the Go proxy,
  // which this workplace cannot reach, so publishing them is for a release pipeline.
  publishToPypi: { distName: 'cdk-ccpa', module: 'cdk_ccpa' },
  publishToMaven: { javaPackage: 'io.github.cdkccpa', mavenGroupId: 'io.github.cdk-ccpa', mavenArtifactId: 'cdk-ccpa' },
  publishToNuget: { dotNetNamespace: 'CdkCcpa', packageId: 'CdkCcpa' },
  publishToGo: { moduleName: 'github.com/cdk-ccpa/cdk-ccpa-go', packageName: 'cdkccpa' },

  // CI is `.ci/run` on a clean clone; there is no GitHub in this workplace.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  docgen: true,
  docgenFilePath: 'API.md',

  tsconfig: {
    compilerOptions: {
      // jsii owns tsconfig.json; tsconfig.dev.json (tests, examples, integ) needs these too.
      skipLibCheck: true,
    },
  },

  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'integ', 'examples', 'bench', 'projenrc'],
    // CI lints; it must not rewrite the tree it is checking
    commandOptions: { fix: false },
  },

  jestOptions: {
    jestConfig: {
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      // a full app synth through five rule packs takes a while on 2 cores
      testTimeout: 120_000,
      // one worker per core (jest's default leaves one core to its parent, which only waits): on
      // CI's 2 cores this halves the wall time of the suite
      maxWorkers: '100%',
    },
  },

  // projen's default `logs` entry would also ignore source folders named logs (lib/nag/rules/logs/): re-include them
  gitignore: ['/build/', 'cdk.out/', '*.integ.out/', '/.tmp/', '!/lib/**/logs/', '!/test/**/logs/'],
});

// /assets/integ/: the integ tests' own bundles (the DsrApi caller), never shipped
for (const devOnly of ['/integ/', '/assets/integ/', '/examples/', '/bench/', '/.ci/']) {
  project.addPackageIgnore(devOnly);
}

// Architecture: the modules of lib/ form layers (projenrc/layers.ts lists them; the README's
// "Architecture" section explains them): lib/private < classification < encryption < storage <
// inventory | audit | network | governance < nag | dsr < api. An import from a module into one of
// its own layer or a higher one, or into another module's private/ folder, fails the lint
// (test/architecture/layers.test.ts proves it on deliberate bad imports).
project.eslint?.addRules({ 'import/no-restricted-paths': ['error', { zones: restrictedPathZones() }] });

// The handlers' shared runtime modules import the (bundled) AWS SDK and Powertools, devDependencies.
project.eslint?.allowDevDeps('lib/dsr/handlers/**/*.ts');

// eslint's project service takes each file's nearest tsconfig.json: integ/ and examples/ get one
// that extends the tests' (test/tsconfig.json), so they are type-checked and linted like tests.
for (const dir of ['integ', 'examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
    marker: true,
    allowComments: true,
  });
}

// ---------------------------------------------------------------------------
// Tasks. The README's two commands are `npm run example` and `npm run check`.
// ---------------------------------------------------------------------------

// jsii warnings (a reserved word in one of the target languages, ...) fail the build: a name that
// works in TypeScript but not in C# or Python is found here, not by a user of that package
project.compileTask.reset('jsii --fail-on-warnings');
const tsNode = 'ts-node --project test/tsconfig.json --transpile-only';

// Jest must never rewrite snapshots in CI.
project.testTask.reset('jest --passWithNoTests --coverage=false --ci');
project.testTask.spawn(project.tasks.tryFind('eslint')!);

const integVerify = project.addTask('integ:verify', {
  description: 'Synthesize every integ/integ.*.ts and fail if it differs from its committed snapshot',
  exec: `${tsNode} integ/snapshot.ts --verify`,
});
const integUpdate = project.addTask('integ:update', {
  description: 'Synthesize every integ/integ.*.ts and rewrite its committed snapshot',
  exec: `${tsNode} integ/snapshot.ts --update`,
});
// snapshots pin the Lambda bundles' asset hashes: bundle the current handlers first
for (const integTask of [integVerify, integUpdate]) {
  integTask.prependSpawn(project.tasks.tryFind('bundle')!);
}
project.testTask.spawn(integVerify);

const apiCheck = project.addTask('api:check', {
  description: 'Fail if API.md differs from what jsii-docgen generates from the compiled sources',
  // the tasks run in projen's own shell (no `test -z`); ls-files also catches a never-committed API.md
  exec: 'git ls-files --error-unmatch API.md > /dev/null && git diff --exit-code --stat -- API.md || (echo "API.md is stale or uncommitted: run \'npx projen compile\' and commit API.md" >&2 && exit 1)',
});

// The README's first command on a fresh clone: assets/ (the bundled handlers) is git-ignored, so the
// example bundles them before it synthesizes (`check` bundles in pre-compile; `example` runs alone).
const example = project.addTask('example', {
  description: 'Bundle the Lambda handlers, synthesize the example app with CcpaChecks and print its compliance summary',
});
// quietly (esbuild's lines would fill the screen the summary is meant to fit); its output on a failure
example.exec('node projenrc/quietly.js projen bundle');
example.exec(`${tsNode} examples/report.ts`, { receiveArgs: true });

// `npm pack` (and `npm publish`, and an install from git) on a fresh clone must ship what
// `npx projen package:js` ships: the compiled build/, the .jsii assembly and the bundled handlers.
project.setScript('prepack', 'projen bundle && projen compile');

// Every jsii target's code, generated without its toolchain (pip, Maven, dotnet and go need registries
// this workplace cannot reach), then checked: a class with no binding in some language fails.
const packageCode = project.addTask('package:code', {
  description: 'Generate the Python, Java, .NET and Go bindings (jsii-pacmak --code-only) into dist/code and check them',
});
packageCode.exec('jsii-pacmak --code-only --target python --target java --target dotnet --target go -o dist/code');
packageCode.exec('node projenrc/check-bindings.js dist/code');

// The construct tests on the newest aws-cdk-lib the registry serves, what a user gets from
// `npm install` today (CDK_LATEST_DIR=<folder with it>, else installed into a temporary folder; the
// repository's node_modules stays as it is).
project.addTask('test:latest', {
  description: 'Run the tests on the newest aws-cdk-lib (CDK_LATEST_DIR or a temporary install): all but the examples, the local DSR harness and the CLI runs',
  exec: 'node projenrc/test-latest.js',
  receiveArgs: true,
});

// The consumer test: the packed tarball in a fresh CDK app outside the repo, README snippets verbatim.
project.addTask('test:consumer', {
  description: 'npm pack, install the tarball into a fresh CDK app under $TMPDIR with the README snippets, cdk synth',
  exec: `${tsNode} test/consumer/consumer-app.ts`,
});

project.addTask('bench', {
  description: 'Time CcpaChecks against AwsSolutionsChecks on generated apps of 100, 1,000 and 10,000 resources',
  exec: `${tsNode} bench/ccpa-checks.bench.ts`,
  receiveArgs: true,
});

// The DsrApi integ test's caller, bundled like the library's handlers (integ/ is not shipped):
// assets/integ/dsr-api-caller.lambda/index.js
project.bundler.addBundle('integ/dsr-api-caller.lambda.ts', {
  platform: 'node',
  target: 'node24',
  tsconfigPath: 'test/tsconfig.json',
  externals: ['@aws-sdk/client-*'],
  minify: true,
});

// Each Lambda bundle stays small (cold starts, and a hard limit the DsrWorkflow README promises): fail the build above 250 KB.
const bundleSize = project.addTask('bundle:size', {
  description: 'Fail if a Lambda bundle in assets/ is larger than 250 KB',
  exec: 'node projenrc/bundle-size.js assets 256000',
});
project.tasks.tryFind('bundle')?.spawn(bundleSize);

const benchDsr = project.addTask('bench:dsr', {
  description: 'Count DynamoDB and S3 requests of one DsrWorkflow DELETE at 1,000 and 100,000 table items (local stand-ins)',
  exec: `${tsNode} bench/dsr-delete.bench.ts`,
});
// ACCESS request ratio, Finalize memory 1 MB vs 200 MB (the bundled handler), history events, replay chain
benchDsr.spawn(project.addTask('bench:dsr-scale', {
  description: 'DsrWorkflow at scale: ACCESS requests vs the lower bound, Finalize memory 1 MB vs 200 MB, history events, replay of many tombstones',
  exec: `${tsNode} bench/dsr-scale.bench.ts`,
}));

// jsii type-checks lib/ only, and ts-jest and ts-node (--transpile-only) do not type-check: a type
// error in a test, an integ test, an example or a benchmark would otherwise go unnoticed
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the tests, integ tests, examples and benchmarks (tsc --noEmit)',
});
// one program for the four folders (their tsconfig.json extend test/tsconfig.json: same options), so
// lib/ and the type declarations are checked once, not four times
const typecheckDirs = ['test', 'integ', 'examples', 'bench'];
new JsonFile(project, 'tsconfig.typecheck.json', {
  obj: { extends: './test/tsconfig.json', include: typecheckDirs.map((d) => `${d}/**/*.ts`) },
});
typecheck.exec('tsc --noEmit -p tsconfig.typecheck.json');

const check = project.addTask('check', {
  description: 'What CI runs: jsii compile, API.md regeneration and staleness check, type-check of tests/integ/examples/bench, jest, eslint, integ snapshots',
});
check.spawn(project.preCompileTask);
check.spawn(project.compileTask);
check.spawn(project.postCompileTask);
check.spawn(apiCheck);
check.spawn(typecheck);
check.spawn(project.testTask);

// ---------------------------------------------------------------------------
// `cdk-ccpa audit` (lib/cli): the command-line tool shipped in the package. Its one runtime
// dependency, `yaml` (templates with positions and CloudFormation short-form tags), is bundled:
// a jsii library's consumers install only its peer dependencies.
// ---------------------------------------------------------------------------
project.addBins({ 'cdk-ccpa': 'build/cli/main.js' });
project.addBundledDeps('yaml@^2.8.0');
project.addDevDeps('@microsoft/jest-sarif'); // ships sarif-schema-2.1.0.json: the CLI's SARIF is validated against it in test/cli
project.addTask('bench:audit', {
  description: 'Time `cdk-ccpa audit` against `cfn-guard validate` (Control Tower rules) on the same generated corpus of templates',
  exec: `${tsNode} bench/audit.bench.ts`,
  receiveArgs: true,
});

project.synth();
