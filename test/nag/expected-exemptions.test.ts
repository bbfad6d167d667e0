/**
 * No construct of this library changes the verdict on a resource it does not own: a user's own
 * cfn-guard (Control Tower) error fails `cdk synth` next to every construct, whether or not the user
 * opts in to the library's expected findings with ExpectedExemptions.filter().
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DsrApi } from '../../lib/api';
import { AuditLogArchive, IsolatedAuditTrail } from '../../lib/audit';
import { DsrWorkflow } from '../../lib/dsr';
import { PrivacyKey, PseudonymizationKey } from '../../lib/encryption';
import { ConfigRulePack, EncryptionScp } from '../../lib/governance';
import { ExpectedExemptions, OrganizationTrailCoverage } from '../../lib/nag';
import { PrivateProcessingNetwork } from '../../lib/network';
import { PersonalDataBackupPlan, PersonalDataBucket, PrivacyTable } from '../../lib/storage';

type Build = (stack: Stack) => void;

/** Every construct of the library, with the props a user would start from. */
const CONSTRUCTS: Record<string, Build> = {
  PrivacyKey: (s) => { new PrivacyKey(s, 'Key'); },
  PseudonymizationKey: (s) => { new PseudonymizationKey(s, 'Pseudonyms'); },
  PersonalDataBucket: (s) => { new PersonalDataBucket(s, 'Documents'); },
  PrivacyTable: (s) => { new PrivacyTable(s, 'Customers'); },
  PersonalDataBackupPlan: (s) => { new PrivacyTable(s, 'Customers', { backupPlan: new PersonalDataBackupPlan(s, 'Backups') }); },
  OrganizationTrailCoverage: (s) => { new OrganizationTrailCoverage(s, 'OrgTrail', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org' }); },
  AuditLogArchive: (s) => { new AuditLogArchive(s, 'Archive'); },
  IsolatedAuditTrail: (s) => { new IsolatedAuditTrail(s, 'Trail'); },
  PrivateProcessingNetwork: (s) => { new PrivateProcessingNetwork(s, 'Private'); },
  ConfigRulePack: (s) => { new ConfigRulePack(s, 'ConfigRules'); },
  EncryptionScp: (s) => { new EncryptionScp(s, 'Guardrails', { targetIds: ['ou-ab12-workloads'] }); },
  DsrWorkflow: (s) => { new DsrWorkflow(s, 'Dsr', { stores: [new PrivacyTable(s, 'Customers'), new PersonalDataBucket(s, 'Documents')] }); },
  DsrWorkflowInNetwork: (s) => {
    new DsrWorkflow(s, 'Dsr', { stores: [new PrivacyTable(s, 'Customers')], network: new PrivateProcessingNetwork(s, 'Private') });
  },
  DsrApi: (s) => { new DsrApi(s, 'Api', { workflow: new DsrWorkflow(s, 'Dsr', { stores: [new PrivacyTable(s, 'Customers')] }) }); },
};

/** The user's own resources, failing the very Control Tower rules the constructs record as expected. */
function addUserResources(stack: Stack): void {
  new lambda.Function(stack, 'UserFunction', { // not in a VPC: lambda_inside_vpc_check
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  new s3.Bucket(stack, 'UserBucket'); // no access logging, no Object Lock
}

interface Violation { readonly plugin: string; readonly rule: string; readonly path: string }

/** `cdk synth` in-process: the exit code it sets and the cfn-guard violations of its report. */
function synth(build: (app: App) => void, plugin: IPolicyValidationPlugin): { exitCode: number | undefined; violations: Violation[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpa-exemptions-'));
  const exitCode = process.exitCode;
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    process.exitCode = undefined;
    const app = new App({ outdir });
    build(app);
    Validations.of(app).addPlugins(plugin);
    app.synth();
    const result = process.exitCode as number | undefined;
    const files = fs.readdirSync(outdir).filter((f) => /validation-report\.json$/.test(f));
    const report = files.length > 0 ? JSON.parse(fs.readFileSync(path.join(outdir, files[0]), 'utf8')) : { pluginReports: [] };
    const violations: Violation[] = [];
    for (const r of report.pluginReports ?? []) {
      for (const v of r.violations ?? []) {
        for (const c of v.violatingConstructs ?? []) {
          violations.push({ plugin: r.pluginName ?? r.summary?.pluginName, rule: v.ruleName, path: c.constructPath });
        }
      }
    }
    return { exitCode: result, violations };
  } finally {
    printed.mockRestore();
    process.exitCode = exitCode;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const guard = () => new CfnGuardValidator({ controlTowerRulesEnabled: true });

describe('a user\'s own cfn-guard error fails synth next to every construct', () => {
  test.each(Object.keys(CONSTRUCTS))('GIVEN %s and ExpectedExemptions.filter(CfnGuardValidator) WHEN a user Lambda and bucket break Control Tower rules THEN synth exits 1 on them, and on nothing of the construct', (name) => {
    const { exitCode, violations } = synth((app) => {
      const stack = new Stack(app, 'App');
      CONSTRUCTS[name](stack);
      addUserResources(stack);
    }, ExpectedExemptions.filter(guard()));
    expect(exitCode).toBe(1);
    const onUser = violations.filter((v) => /^App\/User(Function|Bucket)\//.test(v.path));
    expect(onUser.map((v) => `${v.rule} @ ${v.path}`)).toEqual(expect.arrayContaining([
      'lambda_inside_vpc_check @ App/UserFunction/Resource',
      's3_bucket_logging_enabled_check @ App/UserBucket/Resource',
      's3_bucket_object_lock_enabled_check @ App/UserBucket/Resource',
    ]));
    expect(violations.filter((v) => !onUser.includes(v))).toEqual([]);
  });

  test('GIVEN every construct and the plain CfnGuardValidator (no opt-in) THEN the constructs\' expected findings are reported and synth exits 1', () => {
    const { exitCode, violations } = synth((app) => {
      for (const [name, build] of Object.entries(CONSTRUCTS)) build(new Stack(app, name.replace(/[^A-Za-z]/g, '')));
    }, guard());
    expect(exitCode).toBe(1);
    const rules = new Set(violations.map((v) => v.rule));
    for (const rule of ['s3_bucket_logging_enabled_check', 's3_bucket_object_lock_enabled_check', 'lambda_inside_vpc_check', 'lambda_function_public_access_prohibited_check']) {
      expect(rules).toContain(rule);
    }
  });

  test('GIVEN the construct\'s expected finding WHEN the same rule fails on a user resource of the same stack THEN the filter keeps the user\'s finding', () => {
    const { violations } = synth((app) => {
      const stack = new Stack(app, 'App');
      new PersonalDataBucket(stack, 'Documents');
      addUserResources(stack);
    }, ExpectedExemptions.filter(guard()));
    expect(violations.filter((v) => v.rule === 's3_bucket_object_lock_enabled_check').map((v) => v.path)).toEqual(['App/UserBucket/Resource']);
  });
});

describe('ExpectedExemptions', () => {
  test('GIVEN a PersonalDataBucket THEN each expected finding is recorded with its reason on the resource it concerns, in the template', () => {
    const app = new App();
    const stack = new Stack(app, 'App');
    new PersonalDataBucket(stack, 'Documents');
    const template = app.synth().getStackByName('App').template;
    const recorded = Object.entries(template.Resources as Record<string, { Metadata?: Record<string, unknown> }>)
      .flatMap(([id, r]) => ((r.Metadata?.[ExpectedExemptions.METADATA_KEY] ?? []) as { plugin: string; rule: string; reason: string }[])
        .map((e) => ({ id, ...e })));
    expect(recorded.map((e) => `${e.plugin}::${e.rule}`).sort()).toEqual([
      'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
      'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
      'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    ]);
    for (const e of recorded) expect(e.reason.length).toBeGreaterThan(40);
  });

  test('GIVEN the app THEN no construct records a Validations acknowledgement of another plugin (<plugin>::<rule>), which cdk synth would apply app-wide', () => {
    const app = new App();
    for (const [name, build] of Object.entries(CONSTRUCTS)) build(new Stack(app, name.replace(/[^A-Za-z]/g, '')));
    const ids = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data as Record<string, string>)));
    expect(ids.filter((id) => id.includes('::') && !id.startsWith('annotation::'))).toEqual([]);
  });

  test('GIVEN a plugin report that failed without violations THEN the filter keeps it failed', () => {
    const failing: IPolicyValidationPlugin = { name: 'broken', validate: () => ({ success: false, violations: [] }) };
    expect(ExpectedExemptions.filter(failing).validate({ templatePaths: [], appConstruct: new App() }).success).toBe(false);
  });
});
