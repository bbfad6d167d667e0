/**
 * The README's Quickstart and DSR snippets as one app, extracted from README.md so they cannot
 * drift: used by the in-repo test (test/examples/readme-snippets.test.ts) and by the consumer test
 * (test/consumer/consumer-app.ts), which compiles the same code against the packed tarball.
 */
import * as fs from 'fs';
import * as path from 'path';

export const README_PATH = path.join(__dirname, '..', '..', 'README.md');

/** The first ```ts block after the heading `## <title>` of the README text. */
export function readmeSnippet(readme: string, title: string): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  if (!section) throw new Error(`README.md has no section '## ${title}'`);
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error(`README.md section '## ${title}' has no ts block`);
  return m[1];
}

/**
 * A real function in place of the Quickstart's one placeholder: the user's own, made to pass
 * AwsSolutions on its own (a role without AWS managed policies, the newest Node.js runtime of the
 * installed aws-cdk-lib, as AwsSolutions-L1 asks), so that any finding left is the library's.
 */
const API_HANDLER = `const apiHandler = new lambda.Function(stack, 'ApiHandler', {
  runtime: lambda.Runtime.ALL.filter((r) => /^nodejs\\d+\\.x$/.test(r.name) && r.supportsInlineCode)
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })).pop()!,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  role: new iam.Role(stack, 'ApiHandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
});`;
const API_HANDLER_PLACEHOLDER = /^declare const apiHandler: lambda\.Function;.*$/m;

/** Imports the filled placeholders and the DSR snippet use (the snippet continues the Quickstart). */
const PRELUDE = `import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DsrApi, DsrWorkflow, PrivacyKey, PrivateProcessingNetwork, PseudonymizationKey } from 'cdk-ccpa';`;

/** The DSR snippet's one placeholder, the role a tenant-facing service runs as. */
const TENANT_APP_ROLE = 'const tenantAppRole = new iam.Role(stack, \'TenantAppRole\', { assumedBy: new iam.AccountRootPrincipal() });';
const TENANT_APP_ROLE_PLACEHOLDER = /^declare const tenantAppRole: iam\.Role;.*$/m;

/** The user's own constructs in this app: their findings are the user's to answer. */
export const USER_OWNED_PATHS = /^DataPlane\/(ApiHandler|ApiHandlerRole|TenantAppRole)\//;

/**
 * The Quickstart (its placeholder filled with a real function), followed by the DSR snippet (its
 * placeholder filled with a real role) when `dsr` is true: TypeScript source whose module scope
 * has `app` and `stack`.
 */
export function readmeApp(dsr: boolean, readme: string = fs.readFileSync(README_PATH, 'utf8')): string {
  const quickstart = fill(readmeSnippet(readme, 'Quickstart'), API_HANDLER_PLACEHOLDER, API_HANDLER);
  if (!dsr) return `${PRELUDE}\n${quickstart}`;
  const dsrCode = fill(readmeSnippet(readme, 'Data subject requests'), TENANT_APP_ROLE_PLACEHOLDER, TENANT_APP_ROLE);
  return `${PRELUDE}\n${quickstart}\n${dsrCode}`;
}

function fill(code: string, placeholder: RegExp, value: string): string {
  if (!placeholder.test(code)) throw new Error(`the README snippet no longer has the placeholder ${placeholder.source}`);
  return code.replace(placeholder, value);
}
