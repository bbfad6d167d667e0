import { APIGATEWAY_SUITE } from './apigateway';
import { CLOUDTRAIL_SUITE } from './cloudtrail';
import { COGNITO_SUITE } from './cognito';
import { DOCUMENTDB_SUITE } from './documentdb';
import { DYNAMODB_SUITE } from './dynamodb';
import { EC2_SUITE } from './ec2';
import { EFS_SUITE } from './efs';
import { ELASTICACHE_SUITE } from './elasticache';
import { IAM_SUITE } from './iam';
import { KINESIS_SUITE } from './kinesis';
import { PeerSuite } from './kit';
import { KMS_SUITE } from './kms';
import { LAMBDA_SUITE } from './lambda';
import { LOGS_SUITE } from './logs';
import { NEPTUNE_SUITE } from './neptune';
import { OPENSEARCH_SUITE } from './opensearch';
import { RDS_SUITE } from './rds';
import { REDSHIFT_SUITE } from './redshift';
import { S3_SUITE } from './s3';
import { SNS_SUITE } from './sns';
import { SQS_SUITE } from './sqs';

export * from './kit';

/** Every ported cdk-nag test file, in RULES.md's order. */
export const PEER_SUITES: readonly PeerSuite[] = [
  S3_SUITE,
  DYNAMODB_SUITE,
  KMS_SUITE,
  IAM_SUITE,
  LOGS_SUITE,
  CLOUDTRAIL_SUITE,
  SQS_SUITE,
  SNS_SUITE,
  KINESIS_SUITE,
  EFS_SUITE,
  EC2_SUITE,
  ELASTICACHE_SUITE,
  APIGATEWAY_SUITE,
  OPENSEARCH_SUITE,
  RDS_SUITE,
  REDSHIFT_SUITE,
  COGNITO_SUITE,
  LAMBDA_SUITE,
  NEPTUNE_SUITE,
  DOCUMENTDB_SUITE,
];
