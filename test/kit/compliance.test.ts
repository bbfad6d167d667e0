import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnResource, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagMessageLevel,
  NagPack,
  NagRuleCompliance,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import {
  CFN_GUARD_SOURCE,
  ComplianceReport,
  controlTowerRulesFor,
  ControlTowerGuard,
  expectCompliant,
  formatFindings,
  reasonProblem,
  runComplianceKit,
} from './compliance';

const NAG_SOURCES = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

/** A pack with one warning-level rule that flags every resource. */
class WarnEverythingPack extends NagPack {
  public readonly name = 'KitTest';
  constructor() {
    super();
    this.packName = 'KitTest';
  }
  protected checkResource(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'Warn1',
      info: 'A warning-level finding.',
      explanation: 'Used by the kit self-test.',
      level: NagMessageLevel.WARN,
      rule: () => NagRuleCompliance.NON_COMPLIANT,
      node,
    });
  }
}

describe('compliance kit: a plain s3.Bucket', () => {
  // GIVEN a stack with an unconfigured bucket (one scenario, one kit run for all tests below)
  let stack: Stack;
  let report: ComplianceReport;
  beforeAll(() => {
    const app = new App();
    stack = new Stack(app, 'Plain');
    new s3.Bucket(stack, 'B');
    // WHEN
    report = runComplianceKit(stack);
  });

  test('THEN every nag pack and cfn-guard report unacknowledged errors on the bucket', () => {
    const sources = new Set(report.errors.map((f) => f.source));
    for (const s of [...NAG_SOURCES, CFN_GUARD_SOURCE]) expect(sources).toContain(s);
    expect(report.errors.every((f) => f.path === 'Plain/B/Resource')).toBe(true);
    expect(report.acknowledged).toEqual([]);
  });

  test('THEN cfn-guard findings are mapped back to construct path and logical id, with the CT control id', () => {
    const logging = report.errors.find((f) => f.ruleId === 's3_bucket_logging_enabled_check');
    expect(logging).toMatchObject({
      source: CFN_GUARD_SOURCE,
      controlId: 'CT.S3.PR.2',
      path: 'Plain/B/Resource',
      logicalId: stack.getLogicalId(stack.node.findChild('B').node.defaultChild as s3.CfnBucket),
      ackId: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
      level: 'error',
    });
  });

  test('THEN expectCompliant throws and lists every error with rule id, path and message', () => {
    let message = '';
    try {
      expectCompliant(report);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`${report.errors.length} unacknowledged compliance error(s) in 'Plain'`);
    for (const f of report.errors) {
      expect(message).toContain(`[${f.source}] ${f.ruleId}`);
      expect(message).toContain(f.message);
    }
    expect(message).toContain('at Plain/B/Resource');
  });

  test('THEN the report records how long each pack took', () => {
    for (const s of NAG_SOURCES) expect(report.timingsMs[s]).toBeGreaterThanOrEqual(0);
    expect(report.timingsMs[CFN_GUARD_SOURCE]).toBeGreaterThan(0);
  });
});

/**
 * aws-cdk-lib changed how it records and checks acknowledgements after the floor version (the
 * README's table of differences): these tests assert each version's behaviour where they differ.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ON_FLOOR = require('aws-cdk-lib/package.json').version === require('../../package.json').devDependencies['aws-cdk-lib'];
/** `acknowledge({ id: 'AwsSolutions-S1' })` records `annotation::` on the floor, `Annotation::` on the newest. */
const BARE_ID_PREFIX = ON_FLOOR ? 'annotation::' : 'Annotation::';

describe('compliance kit: acknowledgements', () => {
  test('GIVEN one exact finding acknowledged on the bucket WHEN the kit runs THEN exactly that finding is removed', () => {
    // GIVEN
    const base = (() => {
      const app = new App();
      const stack = new Stack(app, 'S');
      new s3.Bucket(stack, 'B');
      return runComplianceKit(stack, { cfnGuard: false });
    })();
    const app = new App();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Access logs are covered by the trail in this fixture' });
    // WHEN
    const report = runComplianceKit(stack, { cfnGuard: false });
    // THEN
    const key = (f: { source: string; ruleId: string; path: string }) => `${f.source}|${f.ruleId}|${f.path}`;
    expect(base.errors.map(key)).toContain('AwsSolutions|AwsSolutions-S1|S/B/Resource');
    expect(report.errors.map(key)).toEqual(base.errors.map(key).filter((k) => k !== 'AwsSolutions|AwsSolutions-S1|S/B/Resource'));
    expect(report.acknowledged.map(key)).toEqual(['AwsSolutions|AwsSolutions-S1|S/B/Resource']);
    expect(report.acknowledgementsUsed).toEqual([{
      id: 'AwsSolutions-S1',
      rawId: `${BARE_ID_PREFIX}AwsSolutions-S1`,
      reason: 'Access logs are covered by the trail in this fixture',
      path: 'S/B',
    }]);
  });

  test('GIVEN acknowledgements for bare ids WHEN compared with cdk-nag\'s own filtering THEN both give the same unacknowledged errors', () => {
    // GIVEN two buckets, several acknowledgements on one of them and on the stack
    const app = new App();
    const stack = new Stack(app, 'S');
    const b = new s3.Bucket(stack, 'B');
    new s3.Bucket(stack, 'Other');
    Validations.of(b).acknowledge(
      { id: 'AwsSolutions-S1', reason: 'Fixture: access logs are out of scope here' },
      { id: 'HIPAA.Security-S3BucketReplicationEnabled', reason: 'Fixture: replication is out of scope here' },
    );
    Validations.of(stack).acknowledge({ id: 'NIST.800.53.R5-S3BucketVersioningEnabled', reason: 'Fixture: stack-wide ack for the equivalence test' });
    const cdkNagPacks = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
    // WHEN the kit runs cdk-nag's four packs (this test compares the kit's filtering with cdk-nag's own)
    const report = runComplianceKit(stack, { cfnGuard: false, nagPacks: cdkNagPacks() });
    // THEN
    const ours = report.errors.map((f) => `${f.ruleId}|${f.path}`).sort();
    const theirs = cdkNagPacks()
      .flatMap((p) => p.validateScope(stack).violations.filter((v) => v.severity === 'error')
        .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}|${r.constructPath}`)))
      .sort();
    expect(ours).toEqual(theirs);
    expect(report.acknowledged).toHaveLength(4); // S1 + HIPAA on B, NIST on B and Other
  });

  test('GIVEN a cfn-guard rule acknowledged on one bucket WHEN the kit runs THEN it is removed for that bucket only', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S');
    const b = new s3.Bucket(stack, 'B');
    new s3.Bucket(stack, 'Other');
    Validations.of(b).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: 'Fixture: B is itself a log bucket' });
    // WHEN
    const report = runComplianceKit(stack, { nagPacks: [] });
    // THEN (cdk synth would have silenced it for 'Other' as well)
    const logging = report.findings.filter((f) => f.ruleId === 's3_bucket_logging_enabled_check');
    expect(logging.map((f) => [f.path, f.acknowledgement?.path])).toEqual([
      ['S/B/Resource', 'S/B'],
      ['S/Other/Resource', undefined],
    ]);
    expect(report.errors.map((f) => f.ruleId)).toContain('s3_bucket_logging_enabled_check');
    expect(report.acknowledgementsUsed.map((a) => a.rawId)).toEqual(['cdk-validator-cfnguard::s3_bucket_logging_enabled_check']);
  });

  test('GIVEN a granular IAM5 finding WHEN acknowledged with its exact id THEN only that finding is acknowledged', () => {
    // GIVEN a role with wildcard object access to a bucket of the stack, and to a second bucket
    const app = new App();
    const stack = new Stack(app, 'S');
    const data = new s3.Bucket(stack, 'Data');
    const more = new s3.Bucket(stack, 'More');
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    data.grantRead(role);
    more.grantRead(role);
    const iam5 = (r: ComplianceReport) => r.findings.filter((f) => f.ruleId.startsWith('AwsSolutions-IAM5[')).map((f) => f.ruleId).sort();
    const before = runComplianceKit(stack, { cfnGuard: false });
    const dataId = `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(data.node.defaultChild as s3.CfnBucket)}.Arn>/*]`;
    expect(iam5(before)).toContain(dataId);
    expect(iam5(before).length).toBeGreaterThan(1);
    // WHEN
    Validations.of(role).acknowledge({ id: dataId, reason: 'Fixture: the role reads every object of the data bucket' });
    const after = runComplianceKit(stack, { cfnGuard: false });
    // THEN
    expect(after.acknowledged.map((f) => f.ruleId)).toEqual([dataId]);
    expect(after.errors).toHaveLength(before.errors.length - 1);
  });

  test.each([
    ['a granular id with a literal ARN (more than one "::")', 'AwsSolutions-IAM5[Resource::arn:aws:s3:::example/*]'],
    ['a pack-prefixed granular id (its "::" is reserved)', 'AwsSolutions::AwsSolutions-IAM5[Resource::*]'],
  ])('GIVEN %s WHEN acknowledged THEN aws-cdk-lib refuses it on the floor, and records it on the newest release', (_what, id) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const acknowledge = () => Validations.of(stack).acknowledge({ id, reason: 'Fixture: shows the CDK limit' });
    if (ON_FLOOR) {
      expect(acknowledge).toThrow(/Invalid validation rule ID/);
    } else {
      acknowledge();
      expect(stack.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data)))
        .toEqual([expect.stringContaining(id.replace(/^AwsSolutions::/, ''))]);
    }
  });

  test.each([[''], ['   '], ['TODO'], ['n/a'], ['TODO: explain later'], ['short']])(
    'GIVEN an acknowledgement with reason %p WHEN the kit runs THEN it refuses it', (reason) => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'S');
      const bucket = new s3.Bucket(stack, 'B');
      Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason });
      // WHEN / THEN
      expect(() => runComplianceKit(stack, { cfnGuard: false })).toThrow(new RegExp(`acknowledgement\\(s\\) without a real reason[\\s\\S]*${BARE_ID_PREFIX}AwsSolutions-S1' on 'S/B'`));
    });

  test('GIVEN reasons WHEN checked THEN only real explanations pass', () => {
    expect(reasonProblem('')).toBe('empty reason');
    expect(reasonProblem('tbd')).toMatch(/placeholder/);
    expect(reasonProblem('The access-log bucket cannot log to itself')).toBeUndefined();
  });

  test('GIVEN an acknowledgement nothing needs WHEN the kit runs THEN it is reported as unused', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-DDB3', reason: 'Fixture: a stale acknowledgement' });
    const report = runComplianceKit(stack, { cfnGuard: false });
    expect(report.unusedAcknowledgements.map((a) => a.id)).toEqual(['AwsSolutions-DDB3']);
  });
});

describe('compliance kit: scopes', () => {
  test('GIVEN an App with two stacks WHEN the kit runs on one stack THEN only that stack is reported; on the App, both', () => {
    // GIVEN
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    new s3.Bucket(a, 'Bucket');
    new s3.Bucket(b, 'Bucket');
    // WHEN
    const onA = runComplianceKit(a);
    const onApp = runComplianceKit(app);
    // THEN
    expect(new Set(onA.findings.map((f) => f.path))).toEqual(new Set(['A/Bucket/Resource']));
    expect(new Set(onApp.findings.map((f) => f.path))).toEqual(new Set(['A/Bucket/Resource', 'B/Bucket/Resource']));
    expect(onApp.findings.filter((f) => f.source === CFN_GUARD_SOURCE).map((f) => f.path)).toContain('B/Bucket/Resource');
  });

  test('GIVEN a bucket in a NestedStack WHEN the kit runs on the parent THEN cfn-guard findings map to the nested construct path', () => {
    // GIVEN
    const app = new App();
    const parent = new Stack(app, 'Parent');
    const nested = new NestedStack(parent, 'Nested');
    new s3.Bucket(nested, 'Bucket');
    // WHEN
    const report = runComplianceKit(parent);
    // THEN
    const guardPaths = report.findings.filter((f) => f.source === CFN_GUARD_SOURCE).map((f) => f.path);
    expect(guardPaths).toContain('Parent/Nested/Bucket/Resource');
  });

  test('GIVEN a plugin registered on the App WHEN the kit runs THEN synth does not fail the process and the kit reports it', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S');
    new s3.Bucket(stack, 'B');
    Validations.of(app).addPlugins(new AwsSolutionsChecks());
    const exitCode = process.exitCode;
    // WHEN
    const report = runComplianceKit(stack, { nagPacks: [], cfnGuard: false });
    // THEN
    expect(process.exitCode).toBe(exitCode);
    expect(report.errors.map((f) => f.source)).toContain('AwsSolutions');
  });

  test('GIVEN only warning-level findings WHEN expectCompliant runs THEN they are reported but do not fail', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S');
    new s3.Bucket(stack, 'B');
    // WHEN
    const report = expectCompliant(stack, { nagPacks: [new WarnEverythingPack()], cfnGuard: false });
    // THEN
    expect(report.warnings.map((f) => [f.source, f.ruleId, f.level, f.path])).toEqual([['KitTest', 'KitTest-Warn1', 'warning', 'S/B/Resource']]);
    expect(report.errors).toEqual([]);
  });

  test('GIVEN a compliant-looking empty stack WHEN expectCompliant runs THEN it passes and formats nothing', () => {
    const app = new App();
    const stack = new Stack(app, 'Empty');
    const report = expectCompliant(stack);
    expect(report.errors).toEqual([]);
    expect(formatFindings([])).toBe('0 finding(s):\n');
  });
});

describe('compliance kit: cfn-guard runs only the Control Tower rules that can apply', () => {
  const rulesDir = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
  const ruleFiles = fs.readdirSync(rulesDir, { recursive: true }).map(String).filter((f) => f.endsWith('.guard'));
  const ruleTypes = [...new Set(ruleFiles.flatMap((f) => fs.readFileSync(path.join(rulesDir, f), 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? []))].sort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-guard-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A template with one property-less resource (it violates most rules for its type) of each given type. */
  function template(name: string, types: string[]): string {
    const file = path.join(dir, `${name}.template.json`);
    const resources = Object.fromEntries(types.map((t, i) => [`R${i}${t.replace(/[^A-Za-z0-9]/g, '')}`, { Type: t, Properties: {} }]));
    fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
    return file;
  }
  function violations(validator: CfnGuardValidator, templatePaths: string[]): string[] {
    const report = validator.validate({ templatePaths, appConstruct: new App() } as any);
    return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${path.basename(r.templatePath)}#${r.resourceLogicalId}`)).sort();
  }

  test.each([
    ['every other type the rules name', (types: string[]) => types.filter((_, i) => i % 2 === 0)],
    ['the remaining types', (types: string[]) => types.filter((_, i) => i % 2 === 1)],
    ['a type no rule names', () => ['AWS::SNS::Subscription']],
  ])('GIVEN a template with %s WHEN cfn-guard runs the selected rules THEN it finds exactly what all the rules find', (name, pick) => {
    const templates = [template(name.replace(/ /g, '-'), pick(ruleTypes))];
    const selected = controlTowerRulesFor(templates);
    const all = violations(new CfnGuardValidator({ controlTowerRulesEnabled: true }), templates);
    expect(violations(new CfnGuardValidator(selected), templates)).toEqual(all);
    if (pick(ruleTypes).length > 1) {
      expect(all.length).toBeGreaterThan(10);
      expect(selected.rules!.length).toBeLessThan(ruleFiles.length);
    }
  });

  test('GIVEN two templates WHEN rules are selected THEN the rules for the types of both are run', () => {
    const a = template('only-s3', ['AWS::S3::Bucket']);
    const b = template('only-lambda', ['AWS::Lambda::Function']);
    const both = controlTowerRulesFor([a, b]).rules!;
    expect(both.length).toBe(new Set([...controlTowerRulesFor([a]).rules!, ...controlTowerRulesFor([b]).rules!]).size);
    expect(violations(new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: both }), [a, b]))
      .toEqual(violations(new CfnGuardValidator({ controlTowerRulesEnabled: true }), [a, b]));
  });

  test('GIVEN ControlTowerGuard (what tests register on an app) THEN it reports what the plain validator reports, under its name, version and rule ids', () => {
    const plain = new CfnGuardValidator({ controlTowerRulesEnabled: true });
    const guard = new ControlTowerGuard();
    expect([guard.name, guard.version, guard.ruleIds]).toEqual([plain.name, plain.version, plain.ruleIds]);
    const templates = [template('ct-s3', ['AWS::S3::Bucket', 'AWS::KMS::Key']), template('ct-lambda', ['AWS::Lambda::Function'])];
    const found = guard.validate({ templatePaths: templates, appConstruct: new App() } as any).violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${path.basename(r.templatePath)}#${r.resourceLogicalId}`)).sort();
    expect(found.length).toBeGreaterThan(5);
    expect(found).toEqual(violations(plain, templates));
  });
});
