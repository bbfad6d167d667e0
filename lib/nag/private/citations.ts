import { ProvisionId } from '../../private/provisions';

export { PROVISIONS, citationText } from '../../private/provisions';
export type { ProvisionId } from '../../private/provisions';

/** Citation sets shared by several rules. */
export const Cites = {
  /** Reasonable security (1798.100(e), 1798.81.5(b)). */
  SECURITY: ['civ-1798.100(e)', 'civ-1798.81.5(b)'],
  /** Encryption under a customer-managed key: the security duty, the audit's encryption component, the breach exposure. */
  ENCRYPTION: ['civ-1798.81.5(b)', 'ccr-7123(c)(2)', 'civ-1798.150(a)(1)'],
  /** Least privilege. */
  LEAST_PRIVILEGE: ['ccr-7123(c)(3)', 'civ-1798.81.5(b)'],
  /** Audit logs (security evidence, not request records). */
  AUDIT_LOGS: ['ccr-7123(c)(7)', 'civ-1798.100(e)', 'civ-1798.81.5(b)'],
  /** CloudTrail: audit-log management and the audit documents. */
  TRAIL: ['ccr-7123(c)(7)', 'ccr-7122'],
  /** Network exposure. */
  NETWORK: ['ccr-7123(c)(10)', 'civ-1798.81.5(b)'],
  /** Retention: disclosed per category, no longer than the purpose needs, and disposal. */
  RETENTION: ['civ-1798.100(a)(3)', 'ccr-7002(d)', 'ccr-7123(c)(16)'],
  /** Data subject request processing on time. */
  DSR_TIMELINESS: ['civ-1798.130(a)(2)(A)', 'ccr-7021'],
} as const satisfies Record<string, readonly ProvisionId[]>;

/** The failures the rules prevent, in plain words (RULES.md "risk", `Risk:` in findings). */
export const Risk = {
  IAM_BROAD: 'A role allowed to read every bucket, table or key of the account exposes all personal data when its credentials leak or its code is misused.',
  IAM_DSR: 'A data subject request role with administrator rights can reach far more than the stores it serves, so one faulty request can read or destroy anything.',
  TENANCY: 'Without a tenant condition, one tenant\'s code or credentials can read and change the personal data of every other tenant in a pooled store.',
  S3_ENCRYPTION: 'Objects encrypted only with an AWS owned or AWS managed key cannot be made unreadable by revoking a key of your own, and key use is not auditable per store.',
  S3_TLS: 'Without a deny for requests over plain HTTP, personal data can travel unencrypted between clients and the bucket.',
  S3_PUBLIC: 'A Block Public Access setting not pinned in the template can be switched off later, and one public policy or ACL then exposes every object.',
  S3_AUDIT: 'Without access logs or data events nobody can tell who read or changed a consumer\'s objects, in an investigation or when answering a request.',
  DELETION: 'Old object versions and locked objects keep personal data readable after a deletion request was honoured.',
  DDB_PITR: 'A table without point-in-time recovery cannot be restored after an accidental or malicious overwrite or deletion of personal data.',
  KMS_POLICY: 'A key policy that lets a whole account, organization or anyone decrypt makes the key\'s encryption no barrier to anyone who can reach the data.',
  CMK: 'Data encrypted under a key you do not control cannot be made unreadable by revoking the key, and its use is not auditable per store.',
  KEY_ROTATION: 'A key that never rotates keeps one key material in use for every object it ever protected.',
  RETENTION: 'Personal information with no retention, or one that nothing enforces, is kept past its purpose: a violation regulators fine, and more data to lose in a breach or to answer for in every request.',
  LOG_RETENTION: 'Logs that expire too soon leave no evidence of who accessed personal data when a breach or a complaint is investigated.',
  DSR_RECORDS: 'Logs of request processing that expire before 24 months remove the record of how consumer requests were handled.',
  TRAIL: 'Gaps in the audit trail (no data events, one region only, no validation, no encryption) leave access to personal data unrecorded or the record untrustworthy.',
  LAMBDA_DSR: 'A request-processing function without a failure destination or audit trail can drop a consumer request silently.',
  SFN_DSR: 'A request workflow without step-by-step logs and tracing cannot show when and how each request was processed.',
  APIGW: 'An API that handles personal data without authentication or access logs lets anyone call it, unrecorded.',
  NETWORK: 'A workload or store reachable from the internet exposes personal data to anyone who finds a weakness in it.',
  STORES: 'A data store encrypted only with an AWS owned or AWS managed key cannot be made unreadable by revoking a key of your own.',
  RISK_ASSESSMENT: 'Sensitive personal information or an automated significant decision processed without a recorded risk assessment is processing the regulations require to be assessed first.',
  LAMBDA_URL: 'A function URL with AuthType NONE lets anyone on the internet call the function, unsigned and unidentified, and reach the personal data it can read or change.',
  LAMBDA_ASYNC: 'An asynchronous event that the function fails to process, or that its source cannot deliver, is discarded after the retries with no record: the consumer\'s request is never honoured and nobody knows.',
  TAGS: 'A privacy tag with a value the pack does not know is read as the fail-closed default, so the store is checked as personal data with no hint why.',
} as const;
