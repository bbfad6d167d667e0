import * as fs from 'fs';
import * as path from 'path';
import { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { testTempDir } from './temp-dir';
import { isAppWideAcknowledgement, isAwsCdkLibOwnAcknowledgement, MemoizedValidator } from './validation';

describe('isAppWideAcknowledgement', () => {
  test.each([
    ['cdk-validator-cfnguard::s3_bucket_logging_enabled_check', true],
    ['CloudFormation-Validate::F3002', true],
    ['AwsSolutions::AwsSolutions-S1', true],
    ['AwsSolutions-IAM5[Resource::*]', false],
    ['AwsSolutions-IAM5[Action::s3:*]', false],
    ['annotation::AwsSolutions-S1', false],
    ['Annotation::CCPA-S3-1', false],
    ['AwsSolutions-S1', false],
  ])('%s => %s', (id, expected) => {
    expect(isAppWideAcknowledgement(id)).toBe(expected);
  });
});

describe('isAwsCdkLibOwnAcknowledgement', () => {
  test.each([
    ['CloudFormation-Validate::F3002', 'Lib/Lib/Vpc/FlowLog', true],
    ['CloudFormation-Validate::F3003', 'FlowLog', true],
    // another rule on the flow log, the same rule elsewhere, or a look-alike path: the library's, reported
    ['CloudFormation-Validate::F3001', 'Lib/Lib/Vpc/FlowLog', false],
    ['CloudFormation-Validate::F30021', 'Lib/Lib/Vpc/FlowLog', false],
    ['cdk-validator-cfnguard::F3002', 'Lib/Lib/Vpc/FlowLog', false],
    ['CloudFormation-Validate::F3002', 'Lib/Lib/Bucket', false],
    ['CloudFormation-Validate::F3002', 'Lib/Lib/MyFlowLog', false],
    ['CloudFormation-Validate::F3002', 'Lib/Lib/FlowLog/Resource', false],
  ])('%s @ %s => %s', (id, constructPath, expected) => {
    expect(isAwsCdkLibOwnAcknowledgement(id, constructPath)).toBe(expected);
  });
  test.each([
    // a Stack acknowledges literal AZs on itself; on anything else, or another rule on a stack, it is the library's
    ['CloudFormation-Validate::W3010', 'S13', true, true],
    ['CloudFormation-Validate::W3010', 'S13/Vpc', false, false],
    ['CloudFormation-Validate::W3011', 'S13', true, false],
    ['cdk-validator-cfnguard::W3010', 'S13', true, false],
  ])('%s @ %s (a stack: %s) => %s', (id, constructPath, isStack, expected) => {
    expect(isAwsCdkLibOwnAcknowledgement(id, constructPath, isStack)).toBe(expected);
  });
});

/** Reports every resource of every template as violating rule `r`, and counts its runs. */
class EveryResourcePlugin implements IPolicyValidationPlugin {
  public readonly name = 'every-resource';
  public readonly version = '1.2.3';
  public readonly ruleIds = ['r'];
  public runs = 0;
  public validate(ctx: IPolicyValidationContext): PolicyValidationPluginReport {
    this.runs++;
    const violatingResources = ctx.templatePaths.flatMap((templatePath) =>
      Object.keys(JSON.parse(fs.readFileSync(templatePath, 'utf8')).Resources).map((resourceLogicalId) => ({ resourceLogicalId, templatePath, locations: [] })));
    return { success: violatingResources.length === 0, violations: [{ ruleName: 'r', description: 'd', violatingResources }] };
  }
}

function templates(resources: Record<string, string[]>): string[] {
  const dir = testTempDir('cdk-ccpa-memo-');
  return Object.entries(resources).map(([name, ids]) => {
    const file = path.join(dir, `${name}.template.json`);
    fs.writeFileSync(file, JSON.stringify({ Resources: Object.fromEntries(ids.map((id) => [id, { Type: 'AWS::S3::Bucket' }])) }));
    return file;
  });
}

/** What synth hands a plugin. */
function context(templatePaths: string[]): IPolicyValidationContext {
  return { templatePaths, appConstruct: new App() };
}

describe('MemoizedValidator', () => {
  test('GIVEN the same templates in another folder THEN the plugin does not run again, and the report names this folder\'s templates', () => {
    const inner = new EveryResourcePlugin();
    const memo = new MemoizedValidator(inner);
    const first = templates({ Lib: ['A', 'B'], User: ['U'] });
    const second = templates({ Lib: ['A', 'B'], User: ['U'] });
    const r1 = memo.validate(context(first));
    const r2 = memo.validate(context(second));
    expect([inner.runs, memo.runs]).toEqual([1, 1]);
    expect(r1.violations[0].violatingResources.map((r) => r.templatePath)).toEqual([first[0], first[0], first[1]]);
    expect(r2.violations[0].violatingResources.map((r) => [r.resourceLogicalId, r.templatePath])).toEqual([['A', second[0]], ['B', second[0]], ['U', second[1]]]);
  });

  test('GIVEN a template whose content or file name differs THEN the plugin runs again', () => {
    const inner = new EveryResourcePlugin();
    const memo = new MemoizedValidator(inner);
    memo.validate(context(templates({ Lib: ['A'] })));
    const changed = memo.validate(context(templates({ Lib: ['A', 'C'] })));
    memo.validate(context(templates({ Other: ['A'] })));
    expect(inner.runs).toBe(3);
    expect(changed.violations[0].violatingResources.map((r) => r.resourceLogicalId)).toEqual(['A', 'C']);
  });

  test('GIVEN a caller that changes a report THEN the next one is unchanged; name, version and rule ids are the wrapped plugin\'s', () => {
    const inner = new EveryResourcePlugin();
    const memo = new MemoizedValidator(inner);
    const paths = templates({ Lib: ['A'] });
    const r1 = memo.validate(context(paths));
    (r1.violations as unknown as unknown[]).length = 0;
    expect(memo.validate(context(paths)).violations).toHaveLength(1);
    expect([memo.name, memo.version, memo.ruleIds]).toEqual([inner.name, inner.version, inner.ruleIds]);
  });
});
