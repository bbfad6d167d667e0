/**
 * cdk-nag AwsSolutions rules that check what a CcpaChecks rule checks, and where the two differ
 * (RULES.md's peer table; rules-md.test.ts fails when a CcpaChecks id here does not exist).
 */
export interface PeerRule {
  readonly peer: string;
  readonly ccpa: readonly string[];
  readonly differs: string;
}

export const PEER_RULES: readonly PeerRule[] = [
  { peer: 'AwsSolutions-S1', ccpa: ['S3BucketAccessAudited'], differs: 'CcpaChecks also accepts S3 data events of a trail of the app or a declared organization trail; log and trail buckets are exempt.' },
  { peer: 'AwsSolutions-S2', ccpa: ['S3BucketPublicAccessBlocked'], differs: 'Agrees: all four settings pinned.' },
  { peer: 'AwsSolutions-S10', ccpa: ['S3BucketTlsOnly'], differs: 'CcpaChecks also fails a second bucket policy for the bucket (CloudFormation keeps one) and a policy replacing the policy of a bucket outside the app.' },
  { peer: 'AwsSolutions-DDB3', ccpa: ['DynamoDBTablePointInTimeRecovery'], differs: 'CcpaChecks checks every replica of a global table and a SAM SimpleTable (which cannot have PITR).' },
  { peer: 'AwsSolutions-DDB4', ccpa: ['DAXEncrypted'], differs: 'CcpaChecks also requires TLS on the cluster endpoint.' },
  { peer: 'AwsSolutions-KMS5', ccpa: ['KMSKeyRotationEnabled'], differs: 'Agrees for symmetric keys.' },
  { peer: 'AwsSolutions-IAM4', ccpa: ['IAMDataAccessResourceScoped', 'IAMDsrRoleNotAdmin'], differs: 'CcpaChecks fails only AWS managed policies that reach personal data on every resource (AmazonS3ReadOnlyAccess ...) or give a DSR role admin rights, not every managed policy.' },
  { peer: 'AwsSolutions-IAM5', ccpa: ['IAMDataAccessResourceScoped'], differs: 'CcpaChecks looks only at S3, DynamoDB and KMS data actions, resolves resource patterns that are wildcards in effect, and accepts a condition on the resource; it ignores wildcards on other services.' },
  { peer: 'AwsSolutions-APIG1', ccpa: ['APIGWStageAccessLogging'], differs: 'CcpaChecks also needs a Format and checks stages a Deployment creates through StageName.' },
  { peer: 'AwsSolutions-APIG4', ccpa: ['APIGWMethodAuthorization'], differs: 'CcpaChecks also checks OpenAPI bodies, exempts OPTIONS and WebSocket routes other than $connect, and skips APIs classified non-personal.' },
  { peer: 'AwsSolutions-APIG6', ccpa: ['APIGWNoDataTrace'], differs: 'Opposite direction: cdk-nag asks for execution logging; CcpaChecks forbids data trace (full bodies) on personal APIs and accepts INFO/ERROR logging.' },
  { peer: 'AwsSolutions-RDS2', ccpa: ['RDSCustomerManagedKey'], differs: 'CcpaChecks requires a customer-managed key, not only encryption.' },
  { peer: 'AwsSolutions-DOC1', ccpa: ['DocumentDBCustomerManagedKey'], differs: 'CcpaChecks requires a customer-managed key and checks elastic clusters.' },
  { peer: 'AwsSolutions-DOC4', ccpa: ['DatabaseBackupsEnabled'], differs: 'cdk-nag wants a minimum retention; CcpaChecks fails only backups off (0), the same bar for RDS, Aurora, DocumentDB and Neptune.' },
  { peer: 'AwsSolutions-N3', ccpa: ['DatabaseBackupsEnabled'], differs: 'As DOC4.' },
  { peer: 'AwsSolutions-RS6', ccpa: ['RedshiftCustomerManagedKey'], differs: 'CcpaChecks requires a customer-managed key and checks Serverless namespaces.' },
  { peer: 'AwsSolutions-EFS1', ccpa: ['EFSCustomerManagedKey'], differs: 'CcpaChecks requires a customer-managed key.' },
  { peer: 'AwsSolutions-EC26', ccpa: ['EBSCustomerManagedKey'], differs: 'CcpaChecks requires a customer-managed key and reports an instance with no mappings as [CannotVerify] (its AMI decides).' },
  { peer: 'AwsSolutions-EC23', ccpa: ['EC2SecurityGroupOpenIngress'], differs: 'CcpaChecks uses CIDR semantics (ranges that together cover the internet) and allows TCP 80/443.' },
  { peer: 'AwsSolutions-SQS2', ccpa: ['SQSCustomerManagedKey'], differs: 'CcpaChecks does not accept SSE-SQS or alias/aws/sqs.' },
  { peer: 'AwsSolutions-KDS1', ccpa: ['KinesisCustomerManagedKey'], differs: 'CcpaChecks requires a customer-managed key (KDS3 is cdk-nag\'s version of that).' },
  { peer: 'AwsSolutions-KDS3', ccpa: ['KinesisCustomerManagedKey'], differs: 'Agrees.' },
  { peer: 'AwsSolutions-KDF1', ccpa: ['FirehoseCustomerManagedKey'], differs: 'CcpaChecks requires a customer-managed key and skips streams whose source (Kinesis, MSK) carries the encryption.' },
  { peer: 'AwsSolutions-OS1', ccpa: ['OpenSearchNotPublic'], differs: 'CcpaChecks accepts a public endpoint whose access policy names principals or limits Principal * by condition.' },
  { peer: 'AwsSolutions-COG2', ccpa: ['CognitoUserPoolMfa'], differs: 'CcpaChecks accepts OPTIONAL MFA for consumer pools.' },
  { peer: 'AwsSolutions-COG8', ccpa: ['CognitoUserPoolThreatProtection'], differs: 'CcpaChecks asks for threat protection ENFORCED, not only the Plus plan.' },
];
