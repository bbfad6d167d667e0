/**
 * One data store in the privacy inventory (the `stores` of `privacy-inventory.json`).
 *
 * Every field is a plain string, number or list so the inventory reads the same in JSON, in
 * Markdown and in any jsii language.
 */
export interface PrivacyInventoryEntry {
  /** Construct path of the store. */
  readonly path: string;
  /** `s3-bucket`, `dynamodb-table`, or the CloudFormation type of a store no cdk-ccpa construct manages. */
  readonly kind: string;
  /** The stack (artifact id) the store is deployed with. */
  readonly stack: string;
  /** CloudFormation logical id of the store's main resource. */
  readonly logicalId: string;
  /** Whether a cdk-ccpa construct manages the store (false: a raw resource found in the app). */
  readonly managed: boolean;
  /** `personal`, `sensitive` or `non-personal`; `personal (assumed)` when untagged (fail closed). */
  readonly classification: string;
  /** Data category keys (fideslang style). */
  readonly categories: string[];
  /** The purposes the data is held for (fideslang data-use keys); empty when undeclared. */
  readonly purposes: string[];
  /**
   * How long the data is kept, in days (its `privacy:retention-days`).
   * @default - undeclared, or indefinite (see `retentionReason`)
   */
  readonly retentionDays?: number;
  /**
   * Why the data is kept without an expiration or longer than ten years (its `privacy:retention-reason`).
   * @default - none
   */
  readonly retentionReason?: string;
  /** The names of the recipients (service providers, contractors, third parties) that receive the store's data; empty when none. */
  readonly recipients: string[];
  /**
   * `pooled` or `silo`.
   * @default - undeclared
   */
  readonly tenancy?: string;
  /**
   * `covered` or `exempt`.
   * @default - undeclared
   */
  readonly dsr?: string;
  /**
   * The accountable owner.
   * @default - undeclared
   */
  readonly owner?: string;
  /**
   * The encryption key: its alias, or `not customer-managed` / `unknown` for unmanaged stores.
   * @default - unknown
   */
  readonly key?: string;
  /**
   * Days deleted data stays recoverable in the store itself (noncurrent versions, PITR window).
   * @default - unknown
   */
  readonly deletionLatencyDays?: number;
  /**
   * How earlier versions are kept, in words.
   * @default - unknown
   */
  readonly versions?: string;
  /**
   * Days server access logs are kept.
   * @default - no access logs of the store's own
   */
  readonly accessLogRetentionDays?: number;
  /** Backup plans that back the store up (it was added to them), with their retention. Empty when none. */
  readonly backups: string[];
  /**
   * How a DsrWorkflow finds one subject's records: a key prefix template or a subject index.
   * @default - no subject locator (unmanaged store)
   */
  readonly subjectLocator?: string;
  /**
   * An existing store (ExistingPersonalDataTable, ExistingPersonalDataBucket): its declared settings
   * and who checks them, `declared, verified in the account by AWS Config: <rules>: <settings>` or
   * `declared, not verified: <settings>`.
   * @default - a store defined in this app (synth checks its settings)
   */
  readonly verification?: string;
}

/** A backup plan as the privacy inventory sees it. */
export interface PrivacyInventoryBackupPlan {
  /** Construct path of the plan. */
  readonly path: string;
  /** The `privacy:classification` values the plan selects resources by. */
  readonly classifications: string[];
  /** Days a recovery point is kept. */
  readonly retentionDays: number;
  /** The account the plan is deployed to (may be a token). */
  readonly account: string;
  /** The region the plan is deployed to (may be a token). */
  readonly region: string;
  /**
   * Whether the plan also selects resources by their `privacy:classification` tag. Resources found
   * only by the tag are not listed as backed up: the plan's role can back up the stores added to it only.
   *
   * @default false
   */
  readonly selectsByTag?: boolean;
}

/** A recipient of personal information as the privacy inventory lists it (the `recipients` of `privacy-inventory.json`). */
export interface PrivacyInventoryRecipient {
  /** Construct path of the PrivacyRecipient. */
  readonly path: string;
  /** The name a privacy notice prints. */
  readonly name: string;
  /** `service-provider`, `contractor` or `third-party`. */
  readonly role: string;
  /** The reference of the contract that binds it. */
  readonly contractReference: string;
  /** The category keys it receives. */
  readonly categories: string[];
  /** The purpose keys it receives them for. */
  readonly purposes: string[];
  /** How it is notified: `event-bus`, `queue` or `api-destination`. */
  readonly notification: string;
  /** Whether its notices carry the raw identifier (encrypted). */
  readonly rawIdentifier: boolean;
  /** Construct paths of the stores whose data it receives. */
  readonly stores: string[];
}
