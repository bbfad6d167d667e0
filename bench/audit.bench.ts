/**
 * `npm run bench:audit`: times the compiled `cdk-ccpa audit` bin against `cfn-guard validate` with
 * the Control Tower proactive rules (the binary and rules @cdklabs/cdk-validator-cfnguard ships),
 * side by side in one run on the same generated corpus. Both write their JSON report to /dev/null;
 * both times include process start-up.
 *
 * The corpus (default 240 templates, `--templates N`) is generated here, deterministically, into
 * .tmp/bench-audit: a third small generated templates of the types CcpaChecks checks, the rest
 * shaped like public templates (a VPC web tier with RDS, a serverless API with DynamoDB, a static
 * site, a SAM app, a data lake with KMS and CloudTrail, a queue worker), half in YAML with
 * short-form tags, half in JSON. Needs `npx projen compile` first (build/cli/main.js).
 */
import { spawnSync } from 'child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'fs';
import { arch, cpus, loadavg } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'build', 'cli', 'main.js');
const CORPUS = join(ROOT, '.tmp', 'bench-audit');
const GUARD_PKG = join(ROOT, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard');
const GUARD = join(GUARD_PKG, 'bin', process.platform === 'darwin' ? 'macos' : 'ubuntu', arch() === 'arm64' ? 'aarch64' : 'x86_64', 'cfn-guard');
const GUARD_RULES = join(GUARD_PKG, 'rules', 'control-tower', 'cfn-guard');

/** A small deterministic PRNG (Park-Miller), so every run checks the same corpus. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 16807) % 2147483647;
    return (a - 1) / 2147483646;
  };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;
const ref = (id: string): unknown => ({ Ref: id });
const att = (id: string, a: string): unknown => ({ 'Fn::GetAtt': [id, a] });
const tags = (classification?: string): unknown => (classification ? [{ Key: 'privacy:classification', Value: classification }] : undefined);

const BLOCK_ALL = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };

function bucket(r: () => number, key?: string): Resources[string] {
  const good = r() < 0.5;
  return {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          ServerSideEncryptionByDefault: good && key ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: att(key, 'Arn') } : { SSEAlgorithm: 'AES256' },
        }],
      },
      PublicAccessBlockConfiguration: good ? BLOCK_ALL : undefined,
      VersioningConfiguration: r() < 0.5 ? { Status: 'Enabled' } : undefined,
      Tags: tags(r() < 0.2 ? 'non-personal' : undefined),
    },
  };
}
function table(r: () => number, key?: string): Resources[string] {
  return {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: r() < 0.5 },
      SSESpecification: key && r() < 0.5 ? { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ref(key) } : { SSEEnabled: true },
    },
  };
}
function kmsKey(r: () => number): Resources[string] {
  return {
    Type: 'AWS::KMS::Key',
    Properties: {
      EnableKeyRotation: r() < 0.7,
      KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }] },
    },
  };
}
function role(service: string, actions: string[], resource: unknown): Resources[string] {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] },
      Policies: [{ PolicyName: 'access', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] } }],
    },
  };
}
function fn(roleId: string, env: Record<string, unknown> = {}): Resources[string] {
  return { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: att(roleId, 'Arn'), Code: { ZipFile: 'exports.handler = async () => ({})' }, Environment: { Variables: env } } };
}
const logGroup = (r: () => number): Resources[string] => ({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: [7, 30, 365, 731][Math.floor(r() * 4)] } });

/** The shapes of real templates: each returns the Resources of one template. */
const SHAPES: Array<(r: () => number, n: number) => { resources: Resources; transform?: string }> = [
  // a VPC web tier: subnets, security groups, an RDS instance, an app bucket
  (r, n) => {
    const res: Resources = {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', EnableDnsSupport: true } },
      WebSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'web', VpcId: ref('Vpc'), SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }] } },
      DbSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'db', VpcId: ref('Vpc'), SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: ref('WebSg') }] } },
      Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20', StorageEncrypted: r() < 0.5, MasterUsername: 'app', ManageMasterUserPassword: true, VPCSecurityGroups: [ref('DbSg')] } },
      Assets: bucket(r),
      AppLogs: logGroup(r),
    };
    for (let i = 0; i < 2 + (n % 4); i++) {
      res[`Subnet${i}`] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref('Vpc'), CidrBlock: `10.0.${i}.0/24`, MapPublicIpOnLaunch: i % 2 === 0 } };
    }
    return { resources: res };
  },
  // a serverless API: API Gateway, Lambda, DynamoDB
  (r, n) => {
    const res: Resources = {
      Key: kmsKey(r),
      Orders: table(r, 'Key'),
      HandlerRole: role('lambda.amazonaws.com', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], r() < 0.5 ? '*' : att('Orders', 'Arn')),
      Handler: fn('HandlerRole', { TABLE: ref('Orders') }),
      HandlerLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': '/aws/lambda/${Handler}' }, RetentionInDays: 14 } },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: `api-${n}` } },
      Resource: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: ref('Api'), ParentId: att('Api', 'RootResourceId'), PathPart: 'orders' } },
      Method: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: ref('Api'), ResourceId: ref('Resource'), HttpMethod: 'POST', AuthorizationType: r() < 0.5 ? 'NONE' : 'AWS_IAM', Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations' } } } },
      Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: ref('Api') }, DependsOn: ['Method'] },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: ref('Api'), DeploymentId: ref('Deployment'), StageName: 'prod' } },
    };
    return { resources: res };
  },
  // a static site: bucket, policy, CloudFront
  (r) => ({
    resources: {
      Site: bucket(r),
      SitePolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: ref('Site'), PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [att('Site', 'Arn'), { 'Fn::Sub': '${Site.Arn}/*' }], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] } } },
      Oac: { Type: 'AWS::CloudFront::OriginAccessControl', Properties: { OriginAccessControlConfig: { Name: 'site', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } } },
      Cdn: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Enabled: true, DefaultRootObject: 'index.html', Origins: [{ Id: 's3', DomainName: att('Site', 'RegionalDomainName'), S3OriginConfig: {}, OriginAccessControlId: ref('Oac') }], DefaultCacheBehavior: { TargetOriginId: 's3', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' } } } },
    },
  }),
  // a SAM app
  (r) => ({
    transform: 'AWS::Serverless-2016-10-31',
    resources: {
      Uploads: bucket(r),
      Sessions: table(r),
      Worker: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', InlineCode: 'def handler(e, c): pass', Policies: [{ DynamoDBCrudPolicy: { TableName: ref('Sessions') } }] } } as Resources[string],
      Queue: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } },
    },
  }),
  // a data lake: KMS key, buckets, trail, Glue database
  (r, n) => {
    const res: Resources = {
      LakeKey: kmsKey(r),
      TrailBucket: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'privacy:classification', Value: 'non-personal' }] } },
      Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: ref('TrailBucket'), EnableLogFileValidation: r() < 0.5, IsMultiRegionTrail: r() < 0.5, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [{ 'Fn::Sub': '${Raw.Arn}/' }] }] }] } },
      Catalog: { Type: 'AWS::Glue::Database', Properties: { CatalogId: ref('AWS::AccountId'), DatabaseInput: { Name: `lake_${n}` } } },
      Stream: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1, StreamEncryption: r() < 0.5 ? { EncryptionType: 'KMS', KeyId: ref('LakeKey') } : undefined } },
    };
    for (const zone of ['Raw', 'Curated', 'Analytics']) res[zone] = bucket(r, 'LakeKey');
    return { resources: res };
  },
  // a queue worker: SQS, SNS, Lambda, log group
  (r) => ({
    resources: {
      Topic: { Type: 'AWS::SNS::Topic', Properties: r() < 0.5 ? { KmsMasterKeyId: 'alias/aws/sns' } : {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } },
      Dlq: { Type: 'AWS::SQS::Queue', Properties: {} },
      WorkerRole: role('lambda.amazonaws.com', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 's3:GetObject'], '*'),
      Worker: fn('WorkerRole'),
      WorkerLogs: logGroup(r),
      Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: att('Queue', 'Arn'), FunctionName: ref('Worker') } },
    },
  }),
];

/** A generated template of the types CcpaChecks checks, `size` resources. */
function generated(r: () => number, size: number): Resources {
  const res: Resources = { Key: kmsKey(r) };
  const makers = [(): Resources[string] => bucket(r, 'Key'), (): Resources[string] => table(r, 'Key'), (): Resources[string] => logGroup(r),
    (): Resources[string] => role('lambda.amazonaws.com', ['s3:GetObject'], r() < 0.5 ? '*' : 'arn:aws:s3:::b/*'), (): Resources[string] => ({ Type: 'AWS::SQS::Queue', Properties: {} })];
  for (let i = 1; i < size; i++) res[`R${i}`] = makers[Math.floor(r() * makers.length)]();
  return res;
}

/** JSON (undefined values dropped), or YAML with short-form tags (`!Ref`, `!Sub`, `!GetAtt a.b`) where an intrinsic is a whole value. */
function render(template: Record<string, unknown>, yaml: boolean): string {
  const clean = JSON.parse(JSON.stringify(template));
  if (!yaml) return JSON.stringify(clean, undefined, 2);
  return stringify(clean, { lineWidth: 0 })
    .replace(/^(\s*)([\w:-]+):\n\s+(Ref|Fn::Sub): (.+)$/gm, (_m, ws: string, k: string, fnName: string, v: string) => `${ws}${k}: !${fnName === 'Ref' ? 'Ref' : 'Sub'} ${v}`)
    .replace(/^(\s*)- (Ref|Fn::Sub): (.+)$/gm, (_m, ws: string, fnName: string, v: string) => `${ws}- !${fnName === 'Ref' ? 'Ref' : 'Sub'} ${v}`)
    .replace(/^(\s*)([\w:-]+):\n\s+Fn::GetAtt:\n\s+- (\w+)\n\s+- ([\w.]+)$/gm, (_m, ws: string, k: string, a: string, b: string) => `${ws}${k}: !GetAtt ${a}.${b}`);
}

function generateCorpus(count: number): { files: number; resources: number } {
  rmSync(CORPUS, { recursive: true, force: true });
  mkdirSync(CORPUS, { recursive: true });
  const r = random(42);
  let resources = 0;
  for (let n = 0; n < count; n++) {
    const shaped = n % 3 !== 0;
    const shape = shaped ? SHAPES[n % SHAPES.length](r, n) : { resources: generated(r, 5 + Math.floor(r() * 20)), transform: undefined };
    const template: Record<string, unknown> = { AWSTemplateFormatVersion: '2010-09-09', Description: `bench template ${n}`, Transform: shape.transform, Resources: shape.resources };
    resources += Object.keys(shape.resources).length;
    const yaml = n % 2 === 0;
    writeFileSync(join(CORPUS, `t${String(n).padStart(4, '0')}.${yaml ? 'yaml' : 'json'}`), render(template, yaml));
  }
  return { files: count, resources };
}

function timed(cmd: string, args: string[]): { ms: number; status: number | null } {
  const out = openSync('/dev/null', 'w');
  try {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', out, 'pipe'], maxBuffer: 1024 ** 3 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw r.error;
    if (r.status === 2 || r.status === null) throw new Error(`${cmd} failed (${r.status}): ${r.stderr?.toString().slice(0, 500)}`);
    return { ms, status: r.status };
  } finally {
    closeSync(out);
  }
}

function main(): void {
  const argIndex = process.argv.indexOf('--templates');
  const count = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 240;
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npx projen compile first`);
  if (!existsSync(GUARD)) throw new Error(`cfn-guard not found at ${GUARD}`);
  const corpus = generateCorpus(count);
  console.log(`corpus: ${corpus.files} templates, ${corpus.resources} resources (${CORPUS}); ${cpus().length} cores (load ${loadavg()[0].toFixed(1)}), Node ${process.version}`);
  const audit = (jobs: string[]): { ms: number; status: number | null } =>
    timed(process.execPath, [BIN, 'audit', CORPUS, '--format', 'json', '--output', '/dev/null', '--fail-on', 'never', '--quiet', ...jobs]);
  audit(['--jobs', '1']); // warm the file cache for both tools
  const auto = audit([]);
  const two = audit(['--jobs', '2']);
  const guard = timed(GUARD, ['validate', '--rules', GUARD_RULES, '--data', CORPUS, '--output-format', 'json', '--show-summary', 'none', '--structured']);
  const row = (name: string, ms: number): string =>
    `| ${name} | ${(ms / 1000).toFixed(1)} s | ${(corpus.files / (ms / 1000)).toFixed(1)} | ${(ms / guard.ms).toFixed(2)}x |`;
  console.log('');
  console.log(`| ${corpus.files} templates, ${corpus.resources} resources | time | templates/s | vs cfn-guard |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(row('`cdk-ccpa audit` (default: threads by input size)', auto.ms));
  console.log(row('`cdk-ccpa audit --jobs 2` (a worker thread too)', two.ms));
  console.log(row('`cfn-guard validate`, Control Tower rules', guard.ms));
  if (auto.ms > guard.ms) {
    console.error(`cdk-ccpa audit took ${(auto.ms / guard.ms).toFixed(2)}x cfn-guard's time (the target is <= 1.0x)`);
    process.exitCode = 1;
  }
}

main();
