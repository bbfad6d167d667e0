import { CfnValue } from './cfn-values';

/** A statement of an AWS managed policy, as far as the rules need it (all on Resource "*", no condition). */
interface ManagedStatement {
  readonly Effect: 'Allow';
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource: '*';
}

const on = (...actions: string[]): ManagedStatement => ({ Effect: 'Allow', Action: actions, Resource: '*' });

/**
 * AWS managed policies by name (the part after `:iam::aws:policy/`), reduced to their statements
 * that allow S3, DynamoDB or KMS actions on every resource without a condition, or to none when
 * they allow no such action. Read from the policies' published documents (AWS Managed Policy
 * Reference Guide); a policy that is not listed is reported [CannotVerify] by the rules that
 * need its contents.
 */
const AWS_MANAGED: Record<string, readonly ManagedStatement[]> = {
  // every action
  'AdministratorAccess': [on('*')],
  'PowerUserAccess': [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
  // read everything
  'ReadOnlyAccess': [on('s3:Get*', 's3:List*', 'dynamodb:BatchGet*', 'dynamodb:Get*', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect', 'kms:Describe*', 'kms:Get*', 'kms:List*')],
  // S3
  'AmazonS3ReadOnlyAccess': [on('s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*')],
  'AmazonS3FullAccess': [on('s3:*', 's3-object-lambda:*')],
  // DynamoDB
  'AmazonDynamoDBReadOnlyAccess': [on('dynamodb:BatchGetItem', 'dynamodb:Describe*', 'dynamodb:List*', 'dynamodb:GetItem', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect')],
  'AmazonDynamoDBFullAccess': [on('dynamodb:*')],
  'AmazonDynamoDBFullAccess_v2': [on('dynamodb:*')],
  'AmazonDynamoDBFullAccesswithDataPipeline': [on('dynamodb:*', 's3:*')],
  'service-role/AWSLambdaDynamoDBExecutionRole': [on('dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams')],
  'service-role/AWSLambdaInvocation-DynamoDB': [on('dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams')],
  // no S3, DynamoDB or KMS data action
  'service-role/AWSLambdaBasicExecutionRole': [],
  'service-role/AWSLambdaVPCAccessExecutionRole': [],
  'service-role/AWSLambdaSQSQueueExecutionRole': [],
  'service-role/AWSLambdaKinesisExecutionRole': [],
  'service-role/AWSLambdaRole': [],
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs': [],
  'AWSXRayDaemonWriteAccess': [],
  'AWSXrayWriteOnlyAccess': [],
  'CloudWatchLambdaInsightsExecutionRolePolicy': [],
  'CloudWatchAgentServerPolicy': [],
  'AmazonSSMManagedInstanceCore': [],
};

/** What an ARN in `ManagedPolicyArns` designates. */
export type ManagedPolicyRef =
  | { readonly kind: 'aws-known'; readonly name: string; readonly statements: readonly CfnValue[] }
  | { readonly kind: 'aws-unknown'; readonly name: string }
  | { readonly kind: 'other' };

/** Reads a rendered managed policy ARN (`arn:aws:iam::aws:policy/<path><name>`). */
export function awsManagedPolicy(rendered: string): ManagedPolicyRef {
  const m = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(rendered);
  if (!m) return { kind: 'other' };
  const statements = AWS_MANAGED[m[1]];
  return statements ? { kind: 'aws-known', name: m[1], statements } : { kind: 'aws-unknown', name: m[1] };
}
