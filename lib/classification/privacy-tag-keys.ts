/**
 * The tag keys of the cdk-ccpa tag model (the README's tag model).
 *
 * Resource tags say what a store holds; principal tags say what a role may touch. Key policies
 * and resource policies evaluate the principal tags (`aws:PrincipalTag/...`), so a role without
 * them is denied even when its identity policy is too broad.
 */
export class PrivacyTagKeys {
  /** Resource tag: `personal`, `sensitive` or `non-personal` (see `DataClassification`). */
  public static readonly CLASSIFICATION = 'privacy:classification';
  /** Resource tag: the CCPA data categories held, space-separated fideslang keys. */
  public static readonly DATA_CATEGORIES = 'privacy:categories';
  /** Resource tag: multi-tenant isolation model, `pooled` or `silo` (see `TenancyModel`). */
  public static readonly TENANCY = 'privacy:tenancy';
  /** Resource tag: whether a DsrWorkflow reaches the store, `covered` or `exempt`. */
  public static readonly DSR = 'privacy:dsr';
  /** Resource tag: the team accountable for the data (the inventory's owner column). */
  public static readonly OWNER = 'privacy:owner';
  /** Space-separated fideslang data-use keys: why the data is held (see `DataPurpose`). */
  public static readonly PURPOSES = 'privacy:purposes';
  /** How long the data is kept, in whole days (see `PrivacyClassificationProps.retention`). */
  public static readonly RETENTION_DAYS = 'privacy:retention-days';
  /** Why the data is kept without an expiration (see `PrivacyClassificationProps.indefiniteRetentionReason`). */
  public static readonly RETENTION_REASON = 'privacy:retention-reason';
  /**
   * Resource tag: the store is part of the audit machinery, `cloudtrail-archive` for an
   * AuditLogArchive's buckets, `dsr-records` for a DsrWorkflow's audit records (both kept
   * write-once; CcpaChecks does not require deletability there).
   */
  public static readonly AUDIT = 'privacy:audit';
  /**
   * Resource tag: the reference of the recorded risk assessment (11 CCR §§ 7150–7157) that covers
   * the processing of this store or function, e.g. `RA-2026-007`. CcpaChecks warns when a sensitive
   * store or an automated decision-making function has none.
   */
  public static readonly RISK_ASSESSMENT = 'privacy:risk-assessment';
  /**
   * Resource tag on a function: the significant decision it makes with automated decision-making
   * technology (11 CCR § 7150(b)), e.g. `credit-eligibility`. It triggers a risk assessment.
   */
  public static readonly AUTOMATED_DECISION = 'privacy:automated-decision';
  /** Principal tag: the highest classification the principal may read, `personal` or `sensitive`. */
  public static readonly ACCESS = 'privacy:access';
  /**
   * Principal tag: the privacy workflow a role executes, `dsr` (data subject requests) or
   * `backup` (the AWS Backup role of a PersonalDataBackupPlan). Both cross tenants by design:
   * pooled stores exempt them from their tenant statements.
   */
  public static readonly WORKFLOW = 'privacy:workflow';
  /** Principal (session) tag: the tenant id a session of a pooled store is limited to. */
  public static readonly TENANT = 'tenant';

  /** The value of `privacy:workflow` on roles that execute data subject requests. */
  public static readonly WORKFLOW_DSR = 'dsr';
  /**
   * The value of `privacy:workflow` on the AWS Backup role of a PersonalDataBackupPlan. Backups
   * copy a pooled store whole, so pooled buckets and tables exempt this role from their tenant
   * statements (like DSR roles); unlike DSR roles it still needs `privacy:access` to read data,
   * and the key policies give it no direct use of the keys (only through S3 and DynamoDB).
   */
  public static readonly WORKFLOW_BACKUP = 'backup';
  /** The value of `privacy:audit` on the buckets of a CloudTrail log archive. */
  public static readonly AUDIT_CLOUDTRAIL_ARCHIVE = 'cloudtrail-archive';
  /**
   * The value of `privacy:audit` on a DsrWorkflow's audit records bucket: the records of requests
   * (11 CCR § 7101), kept write-once under Object Lock; CcpaChecks does not require deletability there.
   */
  public static readonly AUDIT_DSR_RECORDS = 'dsr-records';

  private constructor() {}
}

/**
 * How a data store is classified under the CCPA/CPRA.
 *
 * A store that carries no classification is treated as `PERSONAL` (fail closed).
 */
export enum DataClassification {
  /** Personal information, Cal. Civ. Code 1798.140(v). */
  PERSONAL = 'personal',
  /** Sensitive personal information, Cal. Civ. Code 1798.140(ae); implies personal. */
  SENSITIVE = 'sensitive',
  /** Holds no personal information: a visible, reviewable decision in code. */
  NON_PERSONAL = 'non-personal',
}

/** The highest classification a principal may read (its `privacy:access` tag). */
export enum PrivacyAccessLevel {
  /** May read stores classified `personal`. */
  PERSONAL = 'personal',
  /** May read stores classified `personal` and `sensitive`. */
  SENSITIVE = 'sensitive',
}

/** Multi-tenant isolation model of a store (its `privacy:tenancy` tag). */
export enum TenancyModel {
  /** Many tenants share the store; access is limited per tenant by the `tenant` principal tag. */
  POOLED = 'pooled',
  /** The store belongs to one tenant. */
  SILO = 'silo',
}

/** Whether a DsrWorkflow reaches the store (its `privacy:dsr` tag). */
export enum DsrCoverage {
  /** A DsrWorkflow finds, exports, corrects and deletes subjects' records here. */
  COVERED = 'covered',
  /** Exempt from data subject requests; the reason belongs in the inventory and in review. */
  EXEMPT = 'exempt',
}
