/**
 * The README's Quickstart and DSR snippets, extracted from README.md (so they cannot drift),
 * synthesized as `cdk synth` does with the packs the Quickstart registers: they must pass in an
 * environment-agnostic stack.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { readmeApp, USER_OWNED_PATHS } from './readme-app';
import { synthAsCli } from '../kit/cdk-cli';

const ROOT = path.join(__dirname, '..', '..');

/** Runs TypeScript app code with `cdk-ccpa` resolved to this repository's lib/. */
function run(code: string): Record<string, any> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const req = (id: string) => require(id === 'cdk-ccpa' ? path.join(ROOT, 'lib') : id);
  const exports: Record<string, any> = {};
  new Function('require', 'exports', 'module', js)(req, exports, { exports });
  return exports;
}

interface Synth { readonly exitCode: number | undefined; readonly printed: string; readonly report: any }

function synthReadme(code: string, extra = ''): Synth {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpa-readme-'));
  const previous = process.env.CDK_OUTDIR;
  try {
    process.env.CDK_OUTDIR = outdir;
    const { exitCode, printed } = synthAsCli(() => run(`${code}\n${extra}\nexport { app, stack };`).app.synth());
    const reportFile = fs.readdirSync(outdir).find((f) => /validation-report\.json$/.test(f));
    return {
      exitCode,
      printed,
      report: reportFile ? JSON.parse(fs.readFileSync(path.join(outdir, reportFile), 'utf8')) : undefined,
    };
  } finally {
    if (previous === undefined) delete process.env.CDK_OUTDIR; else process.env.CDK_OUTDIR = previous;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function violations(s: Synth): string[] {
  return (s.report?.pluginReports ?? []).flatMap((r: any) => (r.violations ?? []).flatMap((v: any) =>
    (v.violatingConstructs ?? []).map((c: any) => `${r.pluginName} ${v.ruleName} @ ${c.constructPath}`)));
}

/** Every pack of this repository's examples, cfn-guard with the library's expected findings opted in. */
const EVERY_PACK = `{
  const nag = require('cdk-nag');
  const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');
  Validations.of(app).addPlugins(new nag.HIPAASecurityChecks(app), new nag.NIST80053R5Checks(app), new nag.PCIDSS321Checks(app),
    require('cdk-ccpa').ExpectedExemptions.filter(new CfnGuardValidator({ controlTowerRulesEnabled: true })));
}`;

describe('README Quickstart and DSR snippet, environment-agnostic stack', () => {
  test('GIVEN the Quickstart with a real lambda.Function WHEN synthesized with the packs it registers THEN it exits 0, warning only that no DSR workflow serves its stores yet', () => {
    const s = synthReadme(readmeApp(false));
    // the stores are covered by default (privacy:dsr=covered); the DSR snippet that follows serves them
    expect(violations(s)).toEqual([
      'CCPA CCPA-DsrCoveredStoreServed @ DataPlane/CustomerProfiles/Table/Resource',
      'CCPA CCPA-DsrCoveredStoreServed @ DataPlane/TenantDocuments/Bucket/Resource',
    ]);
    expect(s.exitCode).toBeUndefined();
  });

  test('GIVEN the Quickstart followed by the DSR snippet WHEN synthesized with the packs it registers THEN it exits 0', () => {
    const s = synthReadme(readmeApp(true));
    expect(violations(s)).toEqual([]);
    expect(s.exitCode).toBeUndefined();
  });

  test('GIVEN both WHEN every pack is registered (HIPAA, NIST, PCI, cfn-guard) THEN no finding is on anything the library created', () => {
    const s = synthReadme(readmeApp(true), EVERY_PACK);
    expect(violations(s).filter((v) => !USER_OWNED_PATHS.test(v.split(' @ ')[1]))).toEqual([]);
  });

  test('GIVEN a wildcard the user adds to the same role WHEN synthesized THEN AwsSolutions-IAM5 still fails synth: the library acknowledges only on its own policy', () => {
    const s = synthReadme(readmeApp(false), `apiHandler.addToRolePolicy(new (require('aws-cdk-lib/aws-iam').PolicyStatement)({
      actions: ['s3:GetObject'], resources: [documents.bucket.arnForObjects('tenants/*')] }));`);
    expect(violations(s).filter((v) => /AwsSolutions-IAM5/.test(v))).toEqual([
      expect.stringMatching(/AwsSolutions-IAM5\[Resource::<TenantDocumentsBucket\w+\.Arn>\/tenants\/\*\] @ DataPlane\/ApiHandlerRole\/DefaultPolicy\/Resource$/),
    ]);
    expect(s.exitCode).toBe(1);
  });
});
