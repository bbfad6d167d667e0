/**
 * Benchmark: CcpaChecks against cdk-nag's AwsSolutionsChecks on the same generated app of about
 * 100, 1,000 and 10,000 resources, in one run. Both packs validate the same synthesized app
 * (validateScope, what `cdk synth` calls), best of N runs each, so the ratio is machine-independent.
 *
 *   npm run bench                 # sizes 100 1000 10000
 *   npm run bench -- 100 1000     # chosen sizes
 *
 * Targets (issue 4): CcpaChecks at most 0.5x AwsSolutions' time; 10x the resources costs at most 11x the time.
 */
import * as os from 'os';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { CcpaChecks } from '../lib/nag';

process.env.CDK_DISABLE_STACK_TRACE = '1';

/** Resources per stack: CloudFormation allows 500. */
const PER_STACK = 400;

/** One "unit" of a SaaS data plane: about 10 L1 resources, half of them compliant, half not. */
function addUnit(stack: Stack, i: number, key: kms.IKey): void {
  const compliant = i % 2 === 0;
  const good: s3.BucketProps = {
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    versioned: true,
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
  };
  const bucket = new s3.Bucket(stack, `Bucket${i}`, { ...(compliant ? good : {}), removalPolicy: RemovalPolicy.DESTROY });
  const table = new dynamodb.Table(stack, `Table${i}`, {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    ...(compliant ? {
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    } : {}),
  });
  const role = new iam.Role(stack, `Role${i}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  bucket.grantRead(role);
  table.grantReadData(role);
  if (!compliant) role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  new logs.LogGroup(stack, `Logs${i}`, { retention: compliant ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  new sqs.Queue(stack, `Queue${i}`, compliant ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true } : {});
}

/** An app with about `target` L1 resources, in stacks of at most PER_STACK, each with a key and a trail. */
function buildApp(target: number): { app: App; resources: number } {
  const app = new App();
  let stack: Stack | undefined;
  let key: kms.IKey | undefined;
  let inStack = 0;
  let unit = 0;
  let resources = 0;
  while (resources < target) {
    if (!stack || inStack >= PER_STACK) {
      stack = new Stack(app, `DataPlane${app.node.children.length}`);
      key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const trail = new cloudtrail.Trail(stack, 'Trail', { encryptionKey: key });
      trail.logAllS3DataEvents();
      inStack = countResources(stack);
      resources += inStack;
    }
    const before = countResources(stack);
    addUnit(stack, unit++, key!);
    const added = countResources(stack) - before;
    inStack += added;
    resources += added;
  }
  return { app, resources };
}

function countResources(scope: Stack | App): number {
  return scope.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
}

/** A full garbage collection before each timed run, so no run pays for the garbage of the one before. */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function timeIt(pack: () => NagPack, app: App, runs: number): { ms: number; findings: number } {
  let best = Infinity;
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const p = pack();
    collectGarbage();
    const t = process.hrtime.bigint();
    const report = p.validateScope(app);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    best = Math.min(best, ms);
    findings = report.violations.reduce((n, v) => n + v.violatingResources.length, 0);
  }
  return { ms: best, findings };
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const targets = sizes.length > 0 ? sizes : [100, 1000, 10000];
  const rows: { target: number; resources: number; ccpa: number; aws: number; ccpaFindings: number; awsFindings: number; synth: number }[] = [];
  for (const target of targets) {
    const t = Date.now();
    const { app, resources } = buildApp(target);
    app.synth();
    const synth = Date.now() - t;
    // best of N: the minimum is the estimate least disturbed by other load on a shared machine; CcpaChecks
    // is cheap enough to take five runs at every size (AwsSolutions takes over a minute a run at 10,000)
    const ccpa = timeIt(() => new CcpaChecks(), app, 5);
    const aws = timeIt(() => new AwsSolutionsChecks(), app, target >= 10000 ? 2 : 3);
    rows.push({ target, resources, ccpa: ccpa.ms, aws: aws.ms, ccpaFindings: ccpa.findings, awsFindings: aws.findings, synth });
    console.error(`  ${resources} resources: build+synth ${synth} ms, CcpaChecks ${ccpa.ms.toFixed(0)} ms, AwsSolutions ${aws.ms.toFixed(0)} ms`);
  }
  console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; best of 5 runs for CcpaChecks, of 3 for AwsSolutions (2 at 10,000), each after a full GC\n`);
  console.log('| resources | CcpaChecks (ms) | AwsSolutionsChecks (ms) | ratio | CcpaChecks growth vs previous size | AwsSolutions growth | findings (CCPA / AwsSolutions) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    const growth = (a: number, b: number, ra: number, rb: number) => prev ? `${(a / b).toFixed(1)}x for ${(ra / rb).toFixed(1)}x resources` : '-';
    console.log(`| ${r.resources} | ${r.ccpa.toFixed(0)} | ${r.aws.toFixed(0)} | ${(r.ccpa / r.aws).toFixed(2)}x | ${prev ? growth(r.ccpa, prev.ccpa, r.resources, prev.resources) : '-'} | ${prev ? growth(r.aws, prev.aws, r.resources, prev.resources) : '-'} | ${r.ccpaFindings} / ${r.awsFindings} |`);
  });
}

if (require.main === module) main();
export { buildApp };
