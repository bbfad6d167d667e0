import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { EvidenceArchive, OrganizationTrailCoverage, PersonalDataBucket, SensitiveDataDiscovery, VulnerabilityScanning } from '../../lib';
import { CcpaChecks, ExpectedExemptions } from '../../lib/nag';
import { synthAsCli } from '../kit/cdk-cli';
import { ComplianceFinding, ComplianceReport, formatFindings, ORG_TRAIL_ARN, runComplianceKit } from '../kit/compliance';

// aws-cdk-lib shares one provider function among every AwsCustomResource of a stack, and one
// BucketDeployment handler among every BucketDeployment of a stack with the same memory size. The
// library answers their findings only while it is their only user.

const ENV = { account: '111111111111', region: 'us-east-1' };
const PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
const WARNING_ID = 'cdk-ccpa:SharedProviderNotAcknowledged';

function appCustomResource(scope: Construct, id: string): cr.AwsCustomResource {
  return new cr.AwsCustomResource(scope, id, {
    onCreate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'app-setting' }, physicalResourceId: cr.PhysicalResourceId.of('app-setting') },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  });
}

function nagOnly(stack: Stack): ComplianceReport {
  return runComplianceKit(stack, { nagPacks: [new CcpaChecks(), new AwsSolutionsChecks()], cfnGuard: false });
}

function under(report: ComplianceReport, path: string): ComplianceFinding[] {
  return report.findings.filter((f) => f.path === path || f.path.startsWith(`${path}/`));
}

function sharedWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING_ID)).map((w) => String(w.entry.data));
}

describe.each([
  ['VulnerabilityScanning', (stack: Stack) => { new VulnerabilityScanning(stack, 'Scanning'); }],
  ['SensitiveDataDiscovery', (stack: Stack) => {
    const customers = new PersonalDataBucket(stack, 'Customers');
    new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    new SensitiveDataDiscovery(stack, 'Discovery', { buckets: [customers] });
  }],
])('%s next to an AwsCustomResource of the app', (_name, addLibrary) => {
  let stack: Stack;
  let report: ComplianceReport;
  beforeAll(() => {
    stack = new Stack(new App(), 'Security', { env: ENV });
    addLibrary(stack);
    appCustomResource(stack, 'AppSetting');
    report = nagOnly(stack);
  });

  test('the shared provider function\'s findings are reported, not acknowledged by the library', () => {
    const findings = under(report, `Security/${PROVIDER_ID}`);
    const ids = findings.filter((f) => !f.acknowledgement).map((f) => f.ruleId);
    expect(ids).toEqual(expect.arrayContaining([
      'AwsSolutions-L1',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ]));
    expect(formatFindings(findings.filter((f) => f.acknowledgement))).toBe(formatFindings([]));
    expect(ExpectedExemptions.of(stack.node.findChild(PROVIDER_ID))).toEqual([]);
  });

  test('a warning on the provider names the app\'s AwsCustomResource', () => {
    const warnings = sharedWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Security/AppSetting');
  });
});

describe('VulnerabilityScanning and SensitiveDataDiscovery alone share the provider', () => {
  let stack: Stack;
  let report: ComplianceReport;
  beforeAll(() => {
    stack = new Stack(new App(), 'Security', { env: ENV });
    new VulnerabilityScanning(stack, 'Scanning');
    const customers = new PersonalDataBucket(stack, 'Customers');
    new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    new SensitiveDataDiscovery(stack, 'Discovery', { buckets: [customers] });
    report = nagOnly(stack);
  });

  test('the provider\'s findings are answered and no warning is added', () => {
    expect(formatFindings(under(report, `Security/${PROVIDER_ID}`).filter((f) => !f.acknowledgement))).toBe(formatFindings([]));
    expect(ExpectedExemptions.of(stack.node.findChild(PROVIDER_ID)).map((e) => e.ruleId)).toEqual(['cdk-validator-cfnguard::lambda_inside_vpc_check']);
    expect(sharedWarnings(stack)).toEqual([]);
    // each acknowledgement once, though two constructs use the provider (the packs that ran: CCPA, AwsSolutions)
    expect(report.unusedAcknowledgements.filter((a) => /^(AwsSolutions|CCPA)-/.test(a.id))).toEqual([]);
  });
});

describe('an AwsCustomResource of the app in another stack', () => {
  test('leaves the provider of VulnerabilityScanning\'s stack answered, with no warning', () => {
    const app = new App();
    const stack = new Stack(app, 'Security', { env: ENV });
    new VulnerabilityScanning(stack, 'Scanning');
    appCustomResource(new Stack(app, 'Other', { env: ENV }), 'AppSetting');
    const report = nagOnly(stack);
    expect(formatFindings(under(report, `Security/${PROVIDER_ID}`).filter((f) => !f.acknowledgement))).toBe(formatFindings([]));
    expect(sharedWarnings(stack)).toEqual([]);
  });
});

describe('EvidenceArchive next to a BucketDeployment of the app with another memory size', () => {
  test('the archive\'s handler is its own: answered, with no warning', () => {
    const stack = new Stack(new App(), 'Evidence', { env: ENV });
    new PersonalDataBucket(stack, 'Customers');
    new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    new EvidenceArchive(stack, 'Archive');
    new s3deploy.BucketDeployment(stack, 'SiteDeployment', { destinationBucket: new s3.Bucket(stack, 'Site'), sources: [], memoryLimit: 256 });
    const report = nagOnly(stack);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment') && c.node.id.endsWith('512MiB'))!;
    expect(formatFindings(report.findings.filter((f) => f.path === `${handler.node.path}/Resource` && !f.acknowledgement))).toBe(formatFindings([]));
    expect(formatFindings(under(report, 'Evidence/Archive').filter((f) => !f.acknowledgement && f.level === 'error'))).toBe(formatFindings([]));
    expect(sharedWarnings(stack)).toEqual([]);
  });
});

describe('EvidenceArchive next to a BucketDeployment of the app with the same memory size', () => {
  let stack: Stack;
  let report: ComplianceReport;
  let handlerPath: string;
  beforeAll(() => {
    stack = new Stack(new App(), 'Evidence', { env: ENV });
    new PersonalDataBucket(stack, 'Customers');
    new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
    new EvidenceArchive(stack, 'Archive');
    const site = new s3.Bucket(stack, 'Site');
    new s3deploy.BucketDeployment(stack, 'SiteDeployment', { destinationBucket: site, sources: [], memoryLimit: 512 });
    report = nagOnly(stack);
    handlerPath = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment') && c.node.id.endsWith('512MiB'))!.node.path;
  });

  test('the shared handler\'s findings are reported, not acknowledged by the library', () => {
    const findings = under(report, handlerPath).filter((f) => f.path === `${handlerPath}/Resource`);
    expect(findings.filter((f) => !f.acknowledgement).map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AwsSolutions-L1']));
    expect(formatFindings(findings.filter((f) => f.acknowledgement))).toBe(formatFindings([]));
    expect(ExpectedExemptions.of(stack.node.findChild(handlerPath.split('/')[1]))).toEqual([]);
  });

  test('the app\'s deployment runs as the archive\'s role (the shared handler\'s): that policy\'s findings are reported too', () => {
    const onPolicy = report.findings.filter((f) => f.path === 'Evidence/Archive/DeploymentRole/DefaultPolicy/Resource');
    expect(onPolicy.filter((f) => !f.acknowledgement).map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AwsSolutions-IAM5[Action::s3:GetObject*]']));
    expect(formatFindings(onPolicy.filter((f) => f.acknowledgement))).toBe(formatFindings([]));
  });

  test('a warning on the handler names the app\'s BucketDeployment', () => {
    const warnings = sharedWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Evidence/SiteDeployment');
  });
});

/** Synthesizes `app` as `cdk synth` does, with the packs registered: the printed report and exit code. */
function synthAppAsCli(app: App): { exitCode: number | undefined; report: string } {
  const { exitCode, printed } = synthAsCli(() => app.synth());
  return { exitCode, report: printed };
}

describe('with the packs registered, synthesized as `cdk synth` does', () => {
  function app(withAppCustomResource: boolean): App {
    const a = new App();
    Validations.of(a).addPlugins(new CcpaChecks(a), new AwsSolutionsChecks(a));
    const stack = new Stack(a, 'Security', { env: ENV });
    new VulnerabilityScanning(stack, 'Scanning');
    if (withAppCustomResource) appCustomResource(stack, 'AppSetting');
    return a;
  }

  test('VulnerabilityScanning alone: the provider\'s findings stay answered and synth succeeds', () => {
    const { exitCode, report } = synthAppAsCli(app(false));
    expect(report).not.toContain('AwsSolutions-L1');
    expect(exitCode).toBeUndefined();
  });

  test('next to an AwsCustomResource of the app: AwsSolutions-L1 on the shared provider fails synth', () => {
    const { exitCode, report } = synthAppAsCli(app(true));
    expect(report).toContain('AwsSolutions-L1');
    expect(report).toContain(PROVIDER_ID);
    expect(exitCode).toBe(1);
  });
});
