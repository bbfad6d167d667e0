/** The provisions the rules cite (Cal. Civ. Code unless said otherwise; 11 CCR = CCPA regulations). */
export const Cite = {
  SECURITY: 'Cal. Civ. Code 1798.100(e) and 1798.81.5(b): reasonable security procedures appropriate to the nature of the personal information',
  BREACH: 'Cal. Civ. Code 1798.150(a)(1): statutory damages when nonencrypted and nonredacted personal information is breached for want of reasonable security',
  DELETE: 'Cal. Civ. Code 1798.105(c)(1): delete the consumer\'s personal information on a verifiable request, and have service providers delete it',
  LOOKBACK: 'Cal. Civ. Code 1798.130(a)(2)(B): an access request covers at least the 12 months before it',
  RECORDS: '11 CCR § 7101: keep records of consumer requests and responses for at least 24 months',
  DSR_TIMELINESS: 'Cal. Civ. Code 1798.130(a)(2) and 11 CCR § 7021: confirm within 10 business days, respond within 45 calendar days',
  AUDIT: 'Cal. Civ. Code 1798.185(a)(15)(A): cybersecurity audits of businesses whose processing presents significant risk',
  MINIMIZATION: 'Cal. Civ. Code 1798.100(c): collection, use and access reasonably necessary and proportionate (data minimization)',
} as const;

/** The failure patterns of seed/aws-ccpa-dossier.txt, quoted short. */
export const Pattern = {
  IAM_BROAD: 'IAM policies granting s3:GetObject permissions without resource-level constraints',
  IAM_DSR: 'IAM role configurations where excessive permissions allow unauthorized access to personal data during subject request processing',
  TENANCY: 'multi-tenant architectures without proper data isolation at the storage layer',
  S3_ENCRYPTION: 'S3 buckets storing personal data without server-side encryption enabled',
  S3_POLICY: 'S3 bucket policies without proper encryption and access logging',
  S3_LOGGING: 'S3 bucket policies without proper encryption and access logging; CloudTrail logging gaps in sensitive data operations',
  DELETION: 'verification that deletion requests actually remove data from all storage layers, including backups and logs',
  DDB_PITR: 'DynamoDB tables lacking point-in-time recovery for deletion request verification',
  KMS_POLICY: 'KMS key policies that don\'t properly restrict decryption to authorized privacy workflows',
  CMK: 'Enable encryption using AWS KMS with customer-managed keys and strict key policies (remediation direction)',
  LOG_RETENTION: 'CloudWatch Logs retention periods shorter than CCPA\'s 12-month lookback requirement for access requests',
  TRAIL: 'CloudTrail logging gaps in sensitive data operations prevent demonstration of compliance during investigations',
  LAMBDA_DSR: 'Lambda functions processing deletion requests without proper error handling and audit trails',
  SFN_DSR: 'step functions for data subject request workflows with built-in audit logging at each processing stage (remediation direction)',
  APIGW: 'API Gateway configurations without proper authentication for privacy-related endpoints',
  NETWORK: 'VPC configurations that expose personal data processing to public internet without proper network segmentation',
  STORES: 'unencrypted storage (AWS Config rules not monitoring compliance-critical resources)',
} as const;
