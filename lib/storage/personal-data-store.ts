import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { DataCategory } from '../classification/data-category';
import { DataPurpose } from '../classification/data-purpose';
import { DataClassification, DsrCoverage, TenancyModel } from '../classification/privacy-tag-keys';

/** The kind of a personal data store, which says how a DsrWorkflow reaches a subject's records. */
export enum PersonalDataStoreKind {
  /**
   * An S3 bucket: a subject's objects live under `subjectPrefixTemplate`; find with
   * `ListObjectVersions` on the prefix, export with `GetObject`, correct with `PutObject`, delete
   * every version with `DeleteObject` + `VersionId`.
   */
  S3_BUCKET = 's3-bucket',
  /**
   * A DynamoDB table: a subject's items are found with `Query` on `subjectIndexName` for
   * `subjectAttribute = subjectValueTemplate`; export with `GetItem`, correct with `UpdateItem`,
   * delete with `DeleteItem` on the keys the index returns.
   */
  DYNAMODB_TABLE = 'dynamodb-table',
}

/**
 * What a DsrWorkflow and the privacy inventory need to know about a personal data store:
 * where it is, how it is protected, and how one data subject's records are found in it at a cost
 * that grows with the subject's data, not with the store.
 */
export interface PersonalDataStoreDescription {
  /** The kind of store. */
  readonly kind: PersonalDataStoreKind;
  /** The construct path of the store. */
  readonly constructPath: string;
  /** The bucket or table name (a token until deployment). */
  readonly name: string;
  /** The bucket or table ARN (a token until deployment). */
  readonly arn: string;
  /** The classification of the data held. */
  readonly classification: DataClassification;
  /** The declared categories of personal information (empty when undeclared). */
  readonly categories: DataCategory[];
  /**
   * The declared purposes the data is held for (an access report states them, Cal. Civ. Code 1798.110(a)(3)).
   * @default - undeclared
   */
  readonly purposes?: DataPurpose[];
  /**
   * The categories of sources the data is collected from (an access report states them, 1798.110(a)(2)).
   * @default - undeclared
   */
  readonly sources?: string[];
  /**
   * The categories of third parties the data is disclosed to (an access report states them, 1798.110(a)(4)).
   * @default - undeclared
   */
  readonly recipients?: string[];
  /** The multi-tenant isolation model. */
  readonly tenancy: TenancyModel;
  /** Whether a DsrWorkflow reaches the store. */
  readonly dsrCoverage: DsrCoverage;
  /**
   * SILO: the one tenant the store belongs to. A DsrWorkflow serves the store only for this
   * tenant's requests. A SILO store without it belongs to the organization, and a DsrWorkflow
   * that has one cannot be fronted by a DsrApi (tenants never reach it).
   * @default - POOLED, or a SILO store of the organization
   */
  readonly siloTenant?: string;
  /**
   * The customer-managed key the data is encrypted under: a PrivacyKey for the library's own
   * stores, an imported key for an existing store (ExistingPersonalDataTable, ExistingPersonalDataBucket).
   */
  readonly encryptionKey: kms.IKey;
  /**
   * S3: the key prefix of one subject's objects, with `{tenant}` and `{subject}` placeholders,
   * e.g. `tenants/{tenant}/subjects/{subject}/`.
   * @default - not an S3 bucket
   */
  readonly subjectPrefixTemplate?: string;
  /**
   * DynamoDB: the global secondary index keyed by the subject attribute.
   * @default - not a DynamoDB table
   */
  readonly subjectIndexName?: string;
  /**
   * DynamoDB: the attribute that holds the subject key (the subject index's partition key).
   * @default - not a DynamoDB table
   */
  readonly subjectAttribute?: string;
  /**
   * DynamoDB: the value of `subjectAttribute` for a subject, with `{tenant}` and `{subject}`
   * placeholders: `{tenant}#{subject}` in pooled tables (so tenant sessions can query it under
   * `dynamodb:LeadingKeys`), `{subject}` otherwise.
   * @default - not a DynamoDB table
   */
  readonly subjectValueTemplate?: string;
  /**
   * DynamoDB: the table's key attribute names, partition key first, then the sort key if any
   * (a DsrWorkflow deletes and updates the items its subject index finds by these keys).
   * @default - not a DynamoDB table
   */
  readonly tableKeyAttributes?: string[];
  /**
   * DynamoDB: the attributes a correction may set where an item lacks them.
   * @default - a correction changes only the attributes an item already has
   */
  readonly correctableAttributes?: string[];
  /**
   * How long deleted data stays recoverable in the store itself (noncurrent object versions, or
   * the point-in-time recovery window): the deletion latency under 11 CCR § 7022(d).
   */
  readonly deletionLatency: Duration;
  /**
   * How long server access logs of the store are kept.
   * @default - the store has no server access logs of its own (DynamoDB: use CloudTrail data events)
   */
  readonly accessLogRetention?: Duration;
  /**
   * The attribute DynamoDB TTL expires items by.
   * @default - no TTL
   */
  readonly timeToLiveAttribute?: string;
  /**
   * An existing store (not defined in this app): the settings the app declared for it that synth
   * cannot read from an imported resource, in words (e.g. "point-in-time recovery on, 35-day window").
   * @default - none: the store is defined in this app, and synth checks its settings
   */
  readonly declaredSettings?: string[];
  /**
   * An existing store: the construct paths of the AWS Config rules that verify `declaredSettings`
   * in the account. Empty: declared, not verified.
   * @default - none
   */
  readonly verifiedBy?: string[];
}

/**
 * A store of personal information that a DsrWorkflow can serve: it describes how to find,
 * export, correct and delete one data subject's records (its key included:
 * `describePersonalData().encryptionKey`), and grants a workflow role exactly those permissions,
 * the use of its key included.
 */
export interface IPersonalDataStore extends IConstruct {
  /** Where the store is and how a subject's records are found in it. */
  describePersonalData(): PersonalDataStoreDescription;

  /**
   * Grant a role that executes data subject requests exactly the actions to find, export,
   * correct and delete one subject's records (on the store's own ARNs, nothing on `*`), tag it
   * `privacy:workflow=dsr`, and let it use the store's key (`PrivacyKey.grantToDsrWorkflow`, or the
   * identity policy alone for an imported key).
   */
  grantDsrAccess(grantee: iam.IGrantable): iam.Grant;
}
