/**
 * The template property each CcpaChecks rule is about, in order of preference: a finding points
 * at the first one the resource writes, and at the resource when it writes none (a missing
 * setting is a finding about the resource). Rules not listed point at the resource.
 */
const RULE_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'CCPA-S3BucketCustomerManagedKey': ['BucketEncryption'],
  'CCPA-S3BucketPublicAccessBlocked': ['PublicAccessBlockConfiguration'],
  'CCPA-S3BucketAccessAudited': ['LoggingConfiguration'],
  'CCPA-S3BucketNoncurrentVersionExpiration': ['LifecycleConfiguration', 'VersioningConfiguration'],
  'CCPA-S3BucketNoObjectLock': ['ObjectLockConfiguration', 'ObjectLockEnabled'],
  'CCPA-DynamoDBTablePointInTimeRecovery': ['PointInTimeRecoverySpecification', 'Replicas'],
  'CCPA-DynamoDBTableCustomerManagedKey': ['SSESpecification', 'Replicas'],
  'CCPA-KMSKeyPolicyDecryptConditioned': ['KeyPolicy'],
  'CCPA-KMSKeyNoWildcardPrincipal': ['KeyPolicy'],
  'CCPA-KMSKeyRotationEnabled': ['EnableKeyRotation'],
  'CCPA-LogsRetentionTwelveMonths': ['RetentionInDays'],
  'CCPA-LogsDsrRetention24Months': ['RetentionInDays'],
  'CCPA-CloudTrailLogFileValidation': ['EnableLogFileValidation'],
  'CCPA-CloudTrailEncrypted': ['KMSKeyId'],
  'CCPA-CloudTrailMultiRegion': ['IsMultiRegionTrail'],
  'CCPA-LambdaDsrFailureDestination': ['DeadLetterConfig'],
  'CCPA-LambdaNotInPublicSubnet': ['VpcConfig'],
  'CCPA-StepFunctionsDsrLogging': ['LoggingConfiguration'],
  'CCPA-StepFunctionsDsrTracing': ['TracingConfiguration'],
  'CCPA-APIGWMethodAuthorization': ['AuthorizationType'],
  'CCPA-APIGWStageAccessLogging': ['AccessLogSetting', 'AccessLogSettings'],
  'CCPA-EC2SecurityGroupOpenIngress': ['SecurityGroupIngress', 'CidrIp', 'CidrIpv6'],
  'CCPA-IAMDataAccessResourceScoped': ['PolicyDocument', 'Policies'],
  'CCPA-IAMDsrRoleNotAdmin': ['ManagedPolicyArns', 'Policies'],
  'CCPA-IAMPooledStoreTenantCondition': ['PolicyDocument', 'Policies'],
  'CCPA-RDSCustomerManagedKey': ['KmsKeyId', 'StorageEncrypted'],
  'CCPA-EFSCustomerManagedKey': ['KmsKeyId', 'Encrypted'],
  'CCPA-SQSCustomerManagedKey': ['KmsMasterKeyId', 'SqsManagedSseEnabled'],
  'CCPA-SNSCustomerManagedKey': ['KmsMasterKeyId'],
  'CCPA-KinesisCustomerManagedKey': ['StreamEncryption'],
  'CCPA-OpenSearchCustomerManagedKey': ['EncryptionAtRestOptions'],
  'CCPA-ElastiCacheCustomerManagedKey': ['KmsKeyId', 'AtRestEncryptionEnabled'],
  'CCPA-BackupVaultCustomerManagedKey': ['EncryptionKeyArn'],
};

/** The property of `properties` a finding of `rule` points at, if the template writes one. */
export function propertyOf(rule: string, properties: unknown): string | undefined {
  if (typeof properties !== 'object' || properties === null) return undefined;
  return (RULE_PROPERTIES[rule] ?? []).find((p) => p in properties);
}
