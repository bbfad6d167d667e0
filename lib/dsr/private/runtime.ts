import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The handlers' bundles are built for this Node.js version (esbuild `--target`); any later runtime runs them. */
const BUNDLE_TARGET_MAJOR = 24;

/**
 * The newest Node.js Lambda runtime the installed aws-cdk-lib knows (`lambda.Runtime.ALL`), which
 * is what AwsSolutions-L1 asks for: the handlers follow the user's aws-cdk-lib instead of pinning
 * the runtime of the version this library was built with (nodejs24.x on the floor, 2.258).
 */
export function newestNodeRuntime(): lambda.Runtime {
  const major = (r: lambda.Runtime) => Number(/^nodejs(\d+)\.x$/.exec(r.name)?.[1] ?? NaN);
  const candidates = lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.NODEJS && major(r) >= BUNDLE_TARGET_MAJOR);
  const newest = candidates.sort((a, b) => major(a) - major(b)).pop();
  return newest ?? new lambda.Runtime(`nodejs${BUNDLE_TARGET_MAJOR}.x`, lambda.RuntimeFamily.NODEJS);
}
