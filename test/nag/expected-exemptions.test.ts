/**
 * A library must never change the verdict on resources it does not own. aws-cdk-lib applies any
 * `<plugin>::<rule>` acknowledgement app-wide, so a cdk-ccpa construct that acknowledged a cfn-guard
 * rule on its own resource made the same rule pass on every resource of the user's app. Here each
 * construct sits next to the user's own resources that break the Control Tower rules the library's
 * resources are expected to differ on; with a plain CfnGuardValidator registered, synth must still
 * fail on every one of the user's resources. Then the opt-in: `ExpectedExemptions.filter` drops the
 * findings on the library's marked resources only, never the user's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AuditLogArchive, ConfigRulePack, DsrApi, DsrWorkflow, EncryptionScp, ExpectedExemptions, IsolatedAuditTrail,
  OrganizationTrailCoverage, PersonalDataBackupPlan, PersonalDataBucket, PrivacyKey, PrivacyTable, PrivateProcessingNetwork,
  PseudonymizationKey,
} from '../../lib';
import { ControlTowerGuard } from '../kit/compliance';
import { testTempDir } from '../kit/temp-dir';
import { isAppWideAcknowledgement, isAwsCdkLibOwnAcknowledgement, MemoizedValidator } from '../kit/validation';

/** Every construct of the library, as a user adds it with (nearly) no props. */
const CONSTRUCTS: Record<string, (stack: Stack) => void> = {
  PrivacyKey: (s) => new PrivacyKey(s, 'Lib'),
  PseudonymizationKey: (s) => new PseudonymizationKey(s, 'Lib'),
  PersonalDataBucket: (s) => new PersonalDataBucket(s, 'Lib'),
  PrivacyTable: (s) => new PrivacyTable(s, 'Lib'),
  PersonalDataBackupPlan: (s) => new PersonalDataBackupPlan(s, 'Lib').addStore(new PrivacyTable(s, 'LibTable')),
  DsrWorkflow: (s) => new DsrWorkflow(s, 'Lib', { stores: [new PrivacyTable(s, 'LibTable'), new PersonalDataBucket(s, 'LibBucket')] }),
  // a DsrApi serves only stores of one tenant or pooled ones (never the whole organization's)
  DsrApi: (s) => new DsrApi(s, 'Lib', { workflow: new DsrWorkflow(s, 'LibDsr', { stores: [new PrivacyTable(s, 'LibTable', { siloTenant: 'acme' })] }) }),
  IsolatedAuditTrail: (s) => new IsolatedAuditTrail(s, 'Lib'),
  AuditLogArchive: (s) => new AuditLogArchive(s, 'Lib'),
  EncryptionScp: (s) => new EncryptionScp(s, 'Lib'),
  ConfigRulePack: (s) => new ConfigRulePack(s, 'Lib'),
  PrivateProcessingNetwork: (s) => new PrivateProcessingNetwork(s, 'Lib', { s3PrefixListId: 'pl-63a5400a', dynamoDbPrefixListId: 'pl-02cd2c6b' }),
  OrganizationTrailCoverage: (s) => new OrganizationTrailCoverage(s, 'Lib', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org' }),
};

/** The user's resources, each breaking one of the Control Tower rules a cdk-ccpa resource may be exempt from. */
const USER_VIOLATIONS: Record<string, string> = {
  s3_bucket_logging_enabled_check: 'User/Unlogged/Resource',
  s3_bucket_object_lock_enabled_check: 'User/Unlogged/Resource',
  lambda_function_public_access_prohibited_check: 'User/Fn/Public',
  lambda_inside_vpc_check: 'User/Fn/Resource',
  cloudwatch_alarm_action_check: 'User/Alarm/Resource',
};

function userResources(stack: Stack): void {
  const user = new Stack(stack.node.scope as App, 'User');
  new s3.Bucket(user, 'Unlogged');
  const fn = new lambda.Function(user, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'),
  });
  fn.addPermission('Public', { principal: new iam.AnyPrincipal() });
  new cloudwatch.Alarm(user, 'Alarm', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
}

/**
 * cfn-guard with the Control Tower rules, run once per distinct set of templates: the plain and the
 * filtered synth of one construct write the same templates, so the second reuses the first's report
 * (the filter still reads this synth's templates). Each run passes only the rule files that can apply
 * (ControlTowerGuard: what the plain validator finds, see test/kit/compliance.test.ts); all of them
 * cost up to ~25 s of CPU on a DSR stack.
 */
const guard = new MemoizedValidator(new ControlTowerGuard());

interface GuardReport { conclusion: string; violations: Array<{ ruleName: string; violatingConstructs?: Array<{ constructPath: string }> }> }

/** Synthesizes with the plugin registered and returns cfn-guard's report from validation-report.json. */
function synthWith(plugin: IPolicyValidationPlugin, add: (s: Stack) => void): GuardReport {
  const outdir = testTempDir('cdk-ccpa-exemptions-');
  const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stack = new Stack(app, 'Lib');
  add(stack);
  userResources(stack);
  Validations.of(app).addPlugins(plugin);
  app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'cdk-validator-cfnguard');
}

function pathsOf(report: GuardReport, rule: string): string[] {
  return report.violations.filter((v) => v.ruleName === rule).flatMap((v) => (v.violatingConstructs ?? []).map((c) => c.constructPath));
}

describe.each(Object.entries(CONSTRUCTS))('%s next to a user\'s non-compliant resources', (_name, add) => {
  test('WHEN CfnGuardValidator is registered THEN synth fails on every one of the user\'s violations', () => {
    const report = synthWith(guard, add);
    expect(report.conclusion).toBe('failure');
    for (const [rule, userPath] of Object.entries(USER_VIOLATIONS)) {
      expect([rule, pathsOf(report, rule)]).toEqual([rule, expect.arrayContaining([userPath])]);
    }
  });

  test('WHEN the validator is wrapped in ExpectedExemptions.filter THEN the user\'s violations still fail synth, and no finding remains on the library\'s marked resources', () => {
    const report = synthWith(ExpectedExemptions.filter(guard), add);
    expect(report.conclusion).toBe('failure');
    for (const [rule, userPath] of Object.entries(USER_VIOLATIONS)) {
      expect([rule, pathsOf(report, rule)]).toEqual([rule, expect.arrayContaining([userPath])]);
    }
  });
});

describe('ExpectedExemptions.filter', () => {
  test('GIVEN only library resources THEN the filtered validator passes where the plain one fails', () => {
    const plain = synthWith(guard, (s) => new PersonalDataBucket(s, 'Lib'));
    expect(pathsOf(plain, 's3_bucket_object_lock_enabled_check')).toContain('Lib/Lib/Bucket/Resource');
    const filtered = synthWith(ExpectedExemptions.filter(guard), (s) => new PersonalDataBucket(s, 'Lib'));
    expect(filtered.violations.flatMap((v) => (v.violatingConstructs ?? []).map((c) => c.constructPath)).filter((p) => p.startsWith('Lib/'))).toEqual([]);
  });

  test('ExpectedExemptions.of lists what the library records, with the resource path, and nothing on the user\'s resources', () => {
    const app = new App();
    const stack = new Stack(app, 'Lib');
    new PersonalDataBucket(stack, 'Lib');
    const user = new s3.CfnBucket(stack, 'UserBucket');
    user.addMetadata(ExpectedExemptions.METADATA_KEY, { 'cdk-validator-cfnguard::x': 42 }); // not a reason: ignored
    const listed = ExpectedExemptions.of(app);
    expect(listed).toContainEqual({
      ruleId: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: expect.stringMatching(/\w{10}/), resourcePath: 'Lib/Lib/Bucket/Resource',
    });
    expect(listed.filter((e) => !e.resourcePath.startsWith('Lib/Lib/'))).toEqual([]);
    expect(ExpectedExemptions.of(user)).toEqual([]);
  });

  test('keeps the name, version and rule ids of the validator it wraps', () => {
    const inner = new CfnGuardValidator({ controlTowerRulesEnabled: true });
    const outer = ExpectedExemptions.filter(inner);
    expect([outer.name, outer.version, outer.ruleIds]).toEqual([inner.name, inner.version, inner.ruleIds]);
  });
});

test('no cdk-ccpa construct records an acknowledgement aws-cdk-lib applies app-wide (<plugin>::<rule>)', () => {
  const app = new App();
  const stack = new Stack(app, 'Lib');
  for (const add of Object.values(CONSTRUCTS)) {
    const scope = new Stack(app, `S${app.node.children.length}`);
    add(scope);
  }
  stack.node.addMetadata('placeholder', 'keeps the stack non-empty');
  const appWide = app.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.keys(m.data as Record<string, string>).filter((id) => isAppWideAcknowledgement(id) && !isAwsCdkLibOwnAcknowledgement(id, c.node.path, Stack.isStack(c))).map((id) => `${id} @ ${c.node.path}`)));
  expect(appWide).toEqual([]);
});
