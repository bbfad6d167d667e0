import { Aspects, CfnCondition, CfnParameter, Fn, IAspect, Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { AdversarialCase, LAMBDA_TRUST, runCases } from './kit';
import { PrivacyPrincipal } from '../../../lib/classification';

const R = ['IAMDataAccessResourceScoped'];
const role = (s: Stack, id = 'Role') => new iam.Role(s, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
const awsManaged = (name: string) => iam.ManagedPolicy.fromAwsManagedPolicyName(name);
const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
  new iam.PolicyStatement({ actions, resources, conditions });
const cfnRole = (s: Stack, props: Partial<iam.CfnRoleProps>) => new iam.CfnRole(s, 'Role', { assumeRolePolicyDocument: LAMBDA_TRUST, ...props });
const inline = (statement: unknown) => [{ policyName: 'p', policyDocument: { Version: '2012-10-17', Statement: [statement] } }];
const cond = (s: Stack) => new CfnCondition(s, 'IsProd', { expression: Fn.conditionEquals(new CfnParameter(s, 'Env').valueAsString, 'prod') });

/** AWS managed policies attached by ARN: the common way s3:Get* on * reaches production. */
const managedPolicies: AdversarialCase[] = [
  ...['AmazonS3ReadOnlyAccess', 'AmazonDynamoDBReadOnlyAccess', 'AmazonS3FullAccess', 'ReadOnlyAccess', 'AdministratorAccess', 'PowerUserAccess', 'AmazonDynamoDBFullAccess', 'service-role/AWSLambdaDynamoDBExecutionRole']
    .map((name): AdversarialCase => ({
      name: `GIVEN addManagedPolicy(${name}) on an L2 role THEN error on the role`,
      rules: R,
      build: (s) => { role(s).addManagedPolicy(awsManaged(name)); },
      expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/Resource'],
    })),
  {
    name: 'GIVEN an L1 role with ManagedPolicyArns literal arn:aws:iam::aws:policy/AmazonS3FullAccess THEN error',
    rules: R,
    build: (s) => { cfnRole(s, { managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] }); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role'],
  },
  {
    name: 'GIVEN AdministratorAccess on an IAM user and PowerUserAccess on a group THEN an error on each',
    rules: R,
    build: (s) => {
      new iam.User(s, 'User', { managedPolicies: [awsManaged('AdministratorAccess')] });
      new iam.Group(s, 'Group', { managedPolicies: [awsManaged('PowerUserAccess')] });
    },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Group/Resource', 'CCPA-IAMDataAccessResourceScoped at Test/User/Resource'],
  },
  {
    name: 'GIVEN only AWSLambdaBasicExecutionRole and AWSXRayDaemonWriteAccess THEN no finding',
    rules: R,
    build: (s) => {
      const r = role(s);
      r.addManagedPolicy(awsManaged('service-role/AWSLambdaBasicExecutionRole'));
      r.addManagedPolicy(awsManaged('AWSXRayDaemonWriteAccess'));
    },
    expect: [],
  },
  {
    name: 'GIVEN an AWS managed policy the pack does not know THEN [CannotVerify] naming the ARN',
    rules: R,
    build: (s) => { role(s).addManagedPolicy(awsManaged('AmazonBrandNewServiceFullAccess')); },
    expect: ['CCPA-IAMDataAccessResourceScoped[CannotVerify] at Test/Role/Resource'],
  },
  {
    name: 'GIVEN a managed policy ARN from a parameter THEN [CannotVerify]',
    rules: R,
    build: (s) => { cfnRole(s, { managedPolicyArns: [new CfnParameter(s, 'PolicyArn').valueAsString] }); },
    expect: ['CCPA-IAMDataAccessResourceScoped[CannotVerify] at Test/Role'],
  },
  {
    name: 'GIVEN a customer managed policy of another app attached by ARN THEN [CannotVerify]',
    rules: R,
    build: (s) => { role(s).addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyArn(s, 'Team', 'arn:aws:iam::111111111111:policy/team-data-access')); },
    expect: ['CCPA-IAMDataAccessResourceScoped[CannotVerify] at Test/Role/Resource'],
  },
  {
    name: 'GIVEN a managed policy of the app attached by ARN THEN its own statements decide (scoped: no finding)',
    rules: R,
    build: (s) => {
      const bucket = new s3.Bucket(s, 'Bucket');
      role(s).addManagedPolicy(new iam.ManagedPolicy(s, 'Mine', { statements: [allow(['s3:GetObject'], [bucket.arnForObjects('*')])] }));
    },
    expect: [],
  },
];

/** Resource patterns that are wildcards in effect. */
const wildcardResources: AdversarialCase[] = [
  ...['arn*', 'arn:*', 'arn:aws:s3:::*-prod/*', 'arn:aws:s3:::*', 'arn:aws:s3:::?/*', '*/*', 'arn:aws:*:*:*:*']
    .map((resource): AdversarialCase => ({
      name: `GIVEN s3:GetObject on ${resource} THEN error`,
      rules: R,
      build: (s) => { role(s).addToPolicy(allow(['s3:GetObject'], [resource])); },
      expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/DefaultPolicy/Resource'],
    })),
  {
    name: 'GIVEN Fn::Sub arn:${AWS::Partition}:s3:::* THEN error',
    rules: R,
    build: (s) => { role(s).addToPolicy(allow(['s3:GetObject'], [Fn.sub('arn:${AWS::Partition}:s3:::*/*')])); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/DefaultPolicy/Resource'],
  },
  {
    name: 'GIVEN every table of the account through formatArn in an environment-agnostic stack THEN error',
    rules: R,
    build: (s) => { role(s).addToPolicy(allow(['dynamodb:Query'], [s.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' })])); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/DefaultPolicy/Resource'],
  },
  {
    name: 'GIVEN Fn::Join of a region pseudo parameter and key/* THEN error',
    rules: R,
    build: (s) => { role(s).addToPolicy(allow(['kms:Decrypt'], [Fn.join('', ['arn:aws:kms:', s.region, ':', s.account, ':key/*'])])); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/DefaultPolicy/Resource'],
  },
  {
    name: 'GIVEN a name family with a literal prefix (customer-*) or a bucket ARN followed by -restore* THEN no finding (the author named the family)',
    rules: R,
    build: (s) => {
      role(s).addToPolicy(allow(['s3:GetObject'], ['arn:aws:s3:::customer-*/*', `${new s3.Bucket(s, 'Bucket').bucketArn}-restore*`]));
    },
    expect: [],
  },
  {
    name: 'GIVEN objects of one bucket (bucketArn/*), a literal table ARN and a key alias ARN THEN no finding',
    rules: R,
    build: (s) => {
      const r = role(s);
      r.addToPolicy(allow(['s3:GetObject'], [new s3.Bucket(s, 'Bucket').arnForObjects('*')]));
      r.addToPolicy(allow(['dynamodb:Query'], ['arn:aws:dynamodb:us-east-1:111111111111:table/Users', 'arn:aws:dynamodb:us-east-1:111111111111:table/Users/index/*']));
      r.addToPolicy(allow(['kms:Decrypt'], [Fn.sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab')]));
    },
    expect: [],
  },
  {
    name: 'GIVEN kms:Decrypt on every alias (alias/*) THEN error',
    rules: R,
    build: (s) => { role(s).addToPolicy(allow(['kms:Decrypt'], ['arn:aws:kms:us-east-1:111111111111:alias/*'])); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/DefaultPolicy/Resource'],
  },
];

/** Conditions that constrain nothing about the resource do not exempt a statement. */
const conditions: AdversarialCase[] = [
  ...[
    ['a transport-only aws:SecureTransport', { Bool: { 'aws:SecureTransport': 'true' } }],
    ['aws:SourceIp', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }],
    ['aws:MultiFactorAuthPresent', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }],
    ['StringLike aws:ResourceTag with "*"', { StringLike: { 'aws:ResourceTag/privacy:classification': '*' } }],
    ['StringEqualsIfExists aws:ResourceTag (untagged resources pass)', { StringEqualsIfExists: { 'aws:ResourceTag/privacy:classification': 'non-personal' } }],
    ['StringNotEquals aws:ResourceTag (everything but one value)', { StringNotEquals: { 'aws:ResourceTag/privacy:classification': 'sensitive' } }],
    ['aws:ResourceAccount of its own account', { StringEquals: { 'aws:ResourceAccount': '111111111111' } }],
  ].map(([what, condition]): AdversarialCase => ({
    name: `GIVEN s3:GetObject on * with only ${what} THEN error`,
    rules: R,
    build: (s) => { role(s).addToPolicy(allow(['s3:GetObject'], ['*'], condition as Record<string, unknown>)); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/DefaultPolicy/Resource'],
  })),
  {
    name: 'GIVEN s3:GetObject on * with StringEquals aws:ResourceTag/privacy:classification non-personal THEN no finding',
    rules: R,
    build: (s) => { role(s).addToPolicy(allow(['s3:GetObject'], ['*'], { StringEquals: { 'aws:ResourceTag/privacy:classification': 'non-personal' } })); },
    expect: [],
  },
  {
    name: 'GIVEN kms:Decrypt on * limited to kms:ViaService of one service and an encryption context THEN no finding',
    rules: R,
    build: (s) => { role(s).addToPolicy(allow(['kms:Decrypt'], ['*'], { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::orders' } })); },
    expect: [],
  },
];

/** Intrinsic Action, Effect, Principal or a whole statement in Fn::If: evaluated both ways, or [CannotVerify]. */
const intrinsics: AdversarialCase[] = [
  {
    name: 'GIVEN an Action in Fn::If (s3:GetObject or s3:ListAllMyBuckets) on * THEN error (one branch violates)',
    rules: R,
    build: (s) => { cfnRole(s, { policies: inline({ Effect: 'Allow', Action: Fn.conditionIf(cond(s).logicalId, 's3:GetObject', 's3:ListAllMyBuckets'), Resource: '*' }) }); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role'],
  },
  {
    name: 'GIVEN a whole statement in Fn::If (s3:* on *, or nothing) THEN error',
    rules: R,
    build: (s) => { cfnRole(s, { policies: inline(Fn.conditionIf(cond(s).logicalId, { Effect: 'Allow', Action: 's3:*', Resource: '*' }, Fn.ref('AWS::NoValue'))) }); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role'],
  },
  {
    name: 'GIVEN a Resource in Fn::If between two named buckets THEN no finding',
    rules: R,
    build: (s) => {
      const c = cond(s);
      const a = new s3.Bucket(s, 'A');
      const b = new s3.Bucket(s, 'B');
      cfnRole(s, { policies: inline({ Effect: 'Allow', Action: 's3:GetObject', Resource: Fn.conditionIf(c.logicalId, a.arnForObjects('*'), b.arnForObjects('*')) }) });
    },
    expect: [],
  },
  {
    name: 'GIVEN an Action from a parameter on * THEN [CannotVerify]',
    rules: R,
    build: (s) => { cfnRole(s, { policies: inline({ Effect: 'Allow', Action: new CfnParameter(s, 'Action').valueAsString, Resource: '*' }) }); },
    expect: ['CCPA-IAMDataAccessResourceScoped[CannotVerify] at Test/Role'],
  },
  {
    name: 'GIVEN an Effect from a parameter with s3:GetObject on * THEN [CannotVerify]',
    rules: R,
    build: (s) => { cfnRole(s, { policies: inline({ Effect: new CfnParameter(s, 'Effect').valueAsString, Action: 's3:GetObject', Resource: '*' }) }); },
    expect: ['CCPA-IAMDataAccessResourceScoped[CannotVerify] at Test/Role'],
  },
  {
    name: 'GIVEN the whole PolicyDocument from Fn::If (open or scoped) on an L1 managed policy THEN error',
    rules: R,
    build: (s) => {
      new iam.CfnManagedPolicy(s, 'Managed', {
        policyDocument: Fn.conditionIf(cond(s).logicalId,
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '*' }] },
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Scan', Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/T' }] }),
      });
    },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Managed'],
  },
];

class OpenReadAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof iam.CfnRole) {
      node.addPropertyOverride('Policies', [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::*/*' }] } }]);
    }
  }
}

/** The same violations written through escape hatches, Aspects and Stages. */
const shapes: AdversarialCase[] = [
  {
    name: 'GIVEN an Aspect that gives every role s3:Get* on arn:aws:s3:::*/* THEN an error on each role',
    rules: R,
    build: (s) => { role(s, 'A'); role(s, 'B'); Aspects.of(s).add(new OpenReadAspect()); },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/A/Resource', 'CCPA-IAMDataAccessResourceScoped at Test/B/Resource'],
  },
  {
    name: 'GIVEN an escape hatch that widens a grant\'s Resource to * THEN error',
    rules: R,
    build: (s) => {
      const r = role(s);
      new s3.Bucket(s, 'Bucket').grantRead(r);
      (r.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).addPropertyOverride('PolicyDocument.Statement.0.Resource', '*');
    },
    expect: ['CCPA-IAMDataAccessResourceScoped at Test/Role/DefaultPolicy/Resource'],
  },
  {
    name: 'GIVEN a role with AmazonS3ReadOnlyAccess inside a Stage THEN error at its path in the stage',
    rules: R,
    build: (_s, app) => {
      const stage = new Stage(app, 'Prod');
      role(new Stack(stage, 'Data')).addManagedPolicy(awsManaged('AmazonS3ReadOnlyAccess'));
    },
    expect: ['CCPA-IAMDataAccessResourceScoped at Prod/Data/Role/Resource'],
  },
  {
    name: 'GIVEN a DSR role with PowerUserAccess THEN IAMDsrRoleNotAdmin too',
    rules: ['IAMDsrRoleNotAdmin'],
    build: (s) => {
      const r = role(s);
      PrivacyPrincipal.tag(r, { dsrWorkflow: true });
      r.addManagedPolicy(awsManaged('PowerUserAccess'));
    },
    expect: ['CCPA-IAMDsrRoleNotAdmin at Test/Role/Resource'],
  },
];

describe('IAM: managed policies', () => runCases(managedPolicies));
describe('IAM: wildcard resources in effect', () => runCases(wildcardResources));
describe('IAM: conditions that constrain nothing about the resource', () => runCases(conditions));
describe('IAM: intrinsics and Fn::If', () => runCases(intrinsics));
describe('IAM: escape hatches, Aspects, Stages', () => runCases(shapes));
