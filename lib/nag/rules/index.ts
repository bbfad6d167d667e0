import { CcpaRule } from '../private/rule';
import { APIGWMethodAuthorization } from './apigateway/APIGWMethodAuthorization';
import { APIGWNoDataTrace } from './apigateway/APIGWNoDataTrace';
import { APIGWStageAccessLogging } from './apigateway/APIGWStageAccessLogging';
import { DsrCoveredStoreServed } from './classification/DsrCoveredStoreServed';
import { PrivacyTagsValid } from './classification/PrivacyTagsValid';
import { RiskAssessmentRecorded } from './classification/RiskAssessmentRecorded';
import { StoreRetentionDeclared } from './classification/StoreRetentionDeclared';
import { StoreRetentionDeclaredSensitive } from './classification/StoreRetentionDeclaredSensitive';
import { CloudTrailDataEventCoverage } from './cloudtrail/CloudTrailDataEventCoverage';
import { CloudTrailEncrypted } from './cloudtrail/CloudTrailEncrypted';
import { CloudTrailLogFileValidation } from './cloudtrail/CloudTrailLogFileValidation';
import { CloudTrailMultiRegion } from './cloudtrail/CloudTrailMultiRegion';
import { CognitoUserPoolDeletionProtection } from './cognito/CognitoUserPoolDeletionProtection';
import { CognitoUserPoolMfa } from './cognito/CognitoUserPoolMfa';
import { CognitoUserPoolThreatProtection } from './cognito/CognitoUserPoolThreatProtection';
import { DynamoDBTableCustomerManagedKey } from './dynamodb/DynamoDBTableCustomerManagedKey';
import { DynamoDBTablePointInTimeRecovery } from './dynamodb/DynamoDBTablePointInTimeRecovery';
import { DynamoDBTableTtlForRetention } from './dynamodb/DynamoDBTableTtlForRetention';
import { EC2SecurityGroupOpenIngress } from './ec2/EC2SecurityGroupOpenIngress';
import { IAMDataAccessResourceScoped } from './iam/IAMDataAccessResourceScoped';
import { IAMDsrRoleNotAdmin } from './iam/IAMDsrRoleNotAdmin';
import { IAMPooledStoreTenantCondition } from './iam/IAMPooledStoreTenantCondition';
import { KMSKeyNoWildcardPrincipal } from './kms/KMSKeyNoWildcardPrincipal';
import { KMSKeyPolicyDecryptConditioned } from './kms/KMSKeyPolicyDecryptConditioned';
import { KMSKeyRotationEnabled } from './kms/KMSKeyRotationEnabled';
import { LambdaDsrAsyncFailureDestination } from './lambda/LambdaDsrAsyncFailureDestination';
import { LambdaDsrFailureDestination } from './lambda/LambdaDsrFailureDestination';
import { LambdaDsrLogRetention } from './lambda/LambdaDsrLogRetention';
import { LambdaFunctionUrlAuthorization } from './lambda/LambdaFunctionUrlAuthorization';
import { LambdaNotInPublicSubnet } from './lambda/LambdaNotInPublicSubnet';
import { LogsCustomerManagedKey } from './logs/LogsCustomerManagedKey';
import { LogsDsrRetention24Months } from './logs/LogsDsrRetention24Months';
import { LogsRetentionTwelveMonths } from './logs/LogsRetentionTwelveMonths';
import { LogsWithinDeclaredRetention } from './logs/LogsWithinDeclaredRetention';
import { DatabaseNotPubliclyAccessible } from './network/DatabaseNotPubliclyAccessible';
import { OpenSearchNotPublic } from './network/OpenSearchNotPublic';
import { S3BucketAccessAudited } from './s3/S3BucketAccessAudited';
import { S3BucketCustomerManagedKey } from './s3/S3BucketCustomerManagedKey';
import { S3BucketExpirationWithinRetention } from './s3/S3BucketExpirationWithinRetention';
import { S3BucketNoncurrentVersionExpiration } from './s3/S3BucketNoncurrentVersionExpiration';
import { S3BucketNoObjectLock } from './s3/S3BucketNoObjectLock';
import { S3BucketPublicAccessBlocked } from './s3/S3BucketPublicAccessBlocked';
import { S3BucketTlsOnly } from './s3/S3BucketTlsOnly';
import { StepFunctionsDsrLogging } from './stepfunctions/StepFunctionsDsrLogging';
import { StepFunctionsDsrTracing } from './stepfunctions/StepFunctionsDsrTracing';
import { BackupVaultCustomerManagedKey } from './stores/BackupVaultCustomerManagedKey';
import { DatabaseBackupsEnabled } from './stores/DatabaseBackupsEnabled';
import { DAXEncrypted } from './stores/DAXEncrypted';
import { DocumentDBCustomerManagedKey } from './stores/DocumentDBCustomerManagedKey';
import { EBSCustomerManagedKey } from './stores/EBSCustomerManagedKey';
import { EFSCustomerManagedKey } from './stores/EFSCustomerManagedKey';
import { ElastiCacheCustomerManagedKey } from './stores/ElastiCacheCustomerManagedKey';
import { FirehoseCustomerManagedKey } from './stores/FirehoseCustomerManagedKey';
import { KinesisCustomerManagedKey } from './stores/KinesisCustomerManagedKey';
import { MemoryDBCustomerManagedKey } from './stores/MemoryDBCustomerManagedKey';
import { NeptuneCustomerManagedKey } from './stores/NeptuneCustomerManagedKey';
import { OpenSearchCustomerManagedKey } from './stores/OpenSearchCustomerManagedKey';
import { RDSCustomerManagedKey } from './stores/RDSCustomerManagedKey';
import { RedshiftCustomerManagedKey } from './stores/RedshiftCustomerManagedKey';
import { SNSCustomerManagedKey } from './stores/SNSCustomerManagedKey';
import { SQSCustomerManagedKey } from './stores/SQSCustomerManagedKey';

/** Every rule of the pack, in RULES.md order. */
export const ALL_RULES: readonly CcpaRule[] = [
  IAMDataAccessResourceScoped,
  IAMDsrRoleNotAdmin,
  IAMPooledStoreTenantCondition,
  S3BucketCustomerManagedKey,
  S3BucketTlsOnly,
  S3BucketPublicAccessBlocked,
  S3BucketAccessAudited,
  S3BucketNoncurrentVersionExpiration,
  S3BucketNoObjectLock,
  DynamoDBTablePointInTimeRecovery,
  DynamoDBTableCustomerManagedKey,
  KMSKeyPolicyDecryptConditioned,
  KMSKeyRotationEnabled,
  KMSKeyNoWildcardPrincipal,
  LogsRetentionTwelveMonths,
  LogsDsrRetention24Months,
  CloudTrailDataEventCoverage,
  CloudTrailLogFileValidation,
  CloudTrailEncrypted,
  CloudTrailMultiRegion,
  LambdaDsrFailureDestination,
  LambdaDsrLogRetention,
  StepFunctionsDsrLogging,
  StepFunctionsDsrTracing,
  APIGWMethodAuthorization,
  APIGWStageAccessLogging,
  APIGWNoDataTrace,
  EC2SecurityGroupOpenIngress,
  LambdaNotInPublicSubnet,
  RDSCustomerManagedKey,
  EFSCustomerManagedKey,
  SQSCustomerManagedKey,
  SNSCustomerManagedKey,
  KinesisCustomerManagedKey,
  OpenSearchCustomerManagedKey,
  ElastiCacheCustomerManagedKey,
  BackupVaultCustomerManagedKey,
  // rules added by nag-semantics (issue 15): network exposure, privacy tags
  DatabaseNotPubliclyAccessible,
  OpenSearchNotPublic,
  PrivacyTagsValid,
  DsrCoveredStoreServed,
  // stores, backups and user pools (issue 15 items 1 and 8)
  NeptuneCustomerManagedKey,
  DocumentDBCustomerManagedKey,
  RedshiftCustomerManagedKey,
  MemoryDBCustomerManagedKey,
  FirehoseCustomerManagedKey,
  EBSCustomerManagedKey,
  DAXEncrypted,
  DatabaseBackupsEnabled,
  LogsCustomerManagedKey,
  CognitoUserPoolMfa,
  CognitoUserPoolThreatProtection,
  CognitoUserPoolDeletionProtection,
  // rule added by cyber-evidence (issue 20): risk-assessment triggers
  RiskAssessmentRecorded,
  // retention (issue 19): declared, and enforced by lifecycle, TTL and log retention
  StoreRetentionDeclared,
  StoreRetentionDeclaredSensitive,
  S3BucketExpirationWithinRetention,
  DynamoDBTableTtlForRetention,
  LogsWithinDeclaredRetention,
  // DSR and personal-data functions (issue 15 item 5): function URLs, asynchronous invocation
  LambdaFunctionUrlAuthorization,
  LambdaDsrAsyncFailureDestination,
];

/** The text of the provisions a rule cites (for reports outside the pack, e.g. the audit CLI's SARIF). */
export { citationText } from '../private/citations';
