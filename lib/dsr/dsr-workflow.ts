import { ArnFormat, Duration, Names, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import { DeadlineCheckFunction } from './handlers/deadline-check-function';
import { FinalizeFunction } from './handlers/finalize-function';
import { IntakeFunction } from './handlers/intake-function';
import { ReplayFunction } from './handlers/replay-function';
import { RequestsFunction } from './handlers/requests-function';
import { StoreStepFunction } from './handlers/store-step-function';
import { buildDefinition, buildReplayDefinition } from './private/definition';
import { DataCategory } from '../classification/data-category';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage, PrivacyTagKeys } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { PseudonymizationKey } from '../encryption/pseudonymization-key';
import { PrivateProcessingNetwork } from '../network/private-processing-network';
import { flattenForNag } from '../private/nag-ids';
import { PropsValidator } from '../private/validation';
import { PersonalDataBucket } from '../storage/personal-data-bucket';
import { IPersonalDataStore, PersonalDataStoreDescription, PersonalDataStoreKind } from '../storage/personal-data-store';
import { PrivacyTable } from '../storage/privacy-table';
import { placeholdersToWildcards } from '../storage/subject-key-layout';

/** 11 CCR § 7101: records of requests and responses are kept for at least 24 months. */
const MIN_AUDIT_RETENTION_DAYS = 731;
/** SigV4 presigned URLs are valid for at most 7 days. */
const MAX_LINK_SECONDS = 7 * 86_400;
/** The ledger's sparse index of open requests (`open` = OPEN until completion, sorted by `receivedAt`). */
const OPEN_REQUESTS_INDEX = 'open-requests';
/** The ledger's sparse index of deletion tombstones (`tombstone` = TOMBSTONE, sorted by `deletedAt`). */
const TOMBSTONES_INDEX = 'tombstones';
/** How long Step Functions reuses a data key of the PrivacyKey (60 to 900 s; the service default). */
const DATA_KEY_REUSE_SECONDS = 300;
/** The namespace of the workflow's metrics. */
const METRIC_NAMESPACE = 'cdk-ccpa/DSR';
/** At most this many holidays (they travel in one Lambda environment variable; Lambda allows 4 KB for all of them). */
const MAX_HOLIDAYS = 200;

/** Props of a DsrWorkflow. */
export interface DsrWorkflowProps {
  /**
   * The personal data stores the workflow serves (PersonalDataBucket, PrivacyTable, or any
   * IPersonalDataStore). Each must be DSR-covered (`privacy:dsr=covered`); at least one is needed.
   */
  readonly stores: IPersonalDataStore[];

  /**
   * The key of the workflow's own records: request ledger, audit table, export bucket, log groups.
   *
   * @default - a new PrivacyKey (personal)
   */
  readonly encryptionKey?: PrivacyKey;

  /**
   * The HMAC key that pseudonymizes subject identifiers before anything is logged or recorded.
   * Use one key per organization, so that pseudonyms match across workflows and over time.
   *
   * @default - a new PseudonymizationKey
   */
  readonly pseudonymizationKey?: PseudonymizationKey;

  /**
   * How long audit records (table items and log events) are kept; at least 731 days
   * (11 CCR § 7101: 24 months). Log groups keep the CloudWatch retention just above it.
   *
   * @default Duration.days(731)
   */
  readonly auditRetention?: Duration;

  /**
   * How long an access report stays in the export bucket before it expires (1 to 30 days).
   *
   * @default Duration.days(7)
   */
  readonly exportRetention?: Duration;

  /**
   * How long the link to an access report is valid (a presigned URL: at most 7 days, at most
   * `exportRetention`, and in practice also bounded by the signing role's session).
   *
   * @default Duration.hours(1)
   */
  readonly exportLinkExpiry?: Duration;

  /**
   * The event bus that receives "DSR Request Completed" and "DSR Request Failed" events
   * (source `cdk-ccpa.dsr`), for service providers and contractors (Cal. Civ. Code 1798.105(c)).
   *
   * @default - a new event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * How many stores are processed in parallel.
   *
   * @default 4
   */
  readonly maxConcurrency?: number;

  /**
   * What the failure alarm does when it fires (e.g. an SNS topic action).
   *
   * @default - no action: add one with `failureAlarm.addAlarmAction()`
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * How long before a deadline (confirmation: 10 business days; response: 45 days, or 90 after
   * the extension) the deadline check warns: an open request whose deadline is this close, or
   * passed, gets a "DSR Deadline Approaching" or "DSR Deadline Passed" event and counts in the
   * deadline alarm. Whole hours, 1 hour to 30 days; keep it longer than `deadlineCheckInterval`.
   *
   * @default Duration.days(5)
   */
  readonly deadlineWarningWindow?: Duration;

  /**
   * How often the deadline check runs (an EventBridge schedule), and the period of the deadline
   * alarm. Whole hours, 1 hour to 1 day.
   *
   * @default Duration.days(1)
   */
  readonly deadlineCheckInterval?: Duration;

  /**
   * The days the business is closed besides Saturdays and Sundays (UTC dates, `YYYY-MM-DD`, at
   * most 200): they are not counted as business days for the confirmation deadline (10 business
   * days, 11 CCR 7021(a)). List the holidays your business observes, a few years ahead, and extend
   * the list yearly. Without it every weekday counts, which puts the deadline at the earliest date
   * it can legally be: never late, at most a few days early.
   *
   * @default - none: every weekday is a business day
   */
  readonly holidays?: string[];

  /**
   * Run every handler in this network's isolated subnets with its `handlerSecurityGroup`: no
   * route to the internet, AWS reached only through the network's VPC endpoints (S3 and DynamoDB
   * gateway endpoints that admit only this account's resources, and KMS, EventBridge and Step
   * Functions interface endpoints, which the network must have). The handlers' roles get the EC2 network-interface
   * actions Lambda needs, scoped to the network's subnets and security group.
   *
   * @default - the handlers run outside a VPC (they call only AWS APIs, over TLS)
   */
  readonly network?: PrivateProcessingNetwork;
}

/**
 * Verified, audited data subject requests (CCPA/CPRA) over every registered personal data store,
 * on a Step Functions Standard state machine: ACCESS (know), DELETE, CORRECT, OPT_OUT (of sale
 * and sharing) and LIMIT (use of sensitive personal information).
 *
 * Submit requests to `requestsFunction` (through DsrApi, or invoke it after `grantRequests`) with
 * `{ "action": "SUBMIT", "request": { "requestId", "type", "tenant", "subject", "receivedAt"?, "corrections"? } }`.
 * It validates the request, pseudonymizes the subject with KMS GenerateMac, records it with the
 * confirmation (10 business days, `holidays` skipped) and response (45 days, one 45-day extension)
 * deadlines in the request ledger, and only then starts the execution `<requestId>_r<n>` with
 * `{ "requestId" }` as its input: the subject identifier and the corrections never reach Step
 * Functions, so no execution history holds them, and between states only the request id and the
 * pseudonym travel. `{ "action": "STATUS", "tenant", "requestId" }` answers the request's state and
 * deadlines (and, for ACCESS, the report link while it is valid); `{ "action": "EXTEND", "tenant",
 * "requestId", "reason" }` records the one 45-day extension with the reason given to the consumer
 * (11 CCR 7021(b); within the first 45 days only).
 *
 * Each store is processed in bounded pages (Query on the subject index, ListObjectVersions on
 * the subject prefix: cost grows with the subject's data, never with the store); DELETE removes
 * every item, object version and delete marker, verifies by re-discovery and writes a tombstone;
 * ACCESS writes a portable JSON report to an encrypted, expiring export bucket with an expiring
 * link; OPT_OUT and LIMIT record the choice in the consent records. Every step writes an
 * append-only audit record; completion and failure are published on EventBridge; an alarm fires on
 * any failed, timed-out or aborted execution. Submitting a request id again is idempotent: a
 * running execution is not started twice, a completed request is not redone, and a failed one gets
 * its next execution (`_r2`, ...), which resumes it.
 *
 * Deadlines: a scheduled check (daily by default) reads the ledger's sparse index of open
 * requests (a Query: its cost follows the open requests, not the ledger) and, for each request
 * whose confirmation or response deadline is within `deadlineWarningWindow` or passed, writes an
 * audit record and sends "DSR Deadline Approaching" / "DSR Deadline Passed" (request id, pseudonym,
 * deadline, due time) to the event bus. `deadlineAlarm` fires when any request is at risk, and
 * also when the check did not report (missing data is breaching). Once EXTEND recorded the
 * extension, the check uses the 90-day deadline.
 *
 * Execution history: an execution's input is a request id and its states carry pseudonyms, so the
 * history Step Functions keeps for 90 days holds no raw identifier. Both state machines are still
 * encrypted with `encryptionKey` (`CUSTOMER_MANAGED_KMS_KEY`, a second layer over Step Functions'
 * AWS-owned key): request ids and pseudonyms are personal information for the business that can
 * re-link them (Cal. Civ. Code 1798.140(v)), and reading the history makes Step Functions call
 * `kms:Decrypt` with the reader's credentials, which the key policy allows only to roles tagged
 * `privacy:workflow=dsr` (and to account principals while CloudFormation, `aws:CalledVia`, creates or
 * updates these two state machines). The state machine refuses an input that carries `subject` or
 * `corrections` (it was not submitted through the Requests function) before any task runs; only the
 * Requests function's role is granted `StartExecution`. The raw identifier is stored once,
 * encrypted, in the ledger (ACCESS, CORRECT and the tombstone replay need it).
 *
 * Tombstone replay after a restore (11 CCR 7022(d)): a backup or point-in-time restore brings back
 * the data of consumers who asked for deletion. After restoring, start an execution of
 * `replayStateMachine` with `{ "replayId": "restore-2026-11-30", "since"?: "<restore point, ISO 8601>",
 * "tenant"?: "<tenant>", "stores"?: ["<construct path of a store>", ...] }`. It pages through the
 * tombstones (written at or after `since`; pass the restore point, so that consumers who came
 * back after an earlier deletion keep their new data), and re-runs DELETE with re-discovery for
 * each on the selected stores (default: all), idempotently; every tombstone and store is audited
 * under `REPLAY#<replayId>`, and "DSR Replay Completed" / "DSR Replay Failed" is published. The
 * replay acts on the stores the workflow is configured with: a DynamoDB restore (PITR or AWS
 * Backup) creates a NEW table, so run the replay after the restored items are back in the
 * registered table (copied back into it), or after the app registers the restored table as the
 * store and is redeployed; an S3 restore into the registered bucket can be replayed at once.
 * Until the replay has succeeded, keep the restored data from being used (§ 7022(d)).
 */
export class DsrWorkflow extends Construct {
  /** The Standard state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The request ledger: requests (with the raw identifier, encrypted), page cursors, tombstones, consent records. */
  public readonly ledgerTable: PrivacyTable;
  /** The append-only audit table (11 CCR § 7101). */
  public readonly auditTable: PrivacyTable;
  /** The bucket that holds access reports until they expire. */
  public readonly exportBucket: PersonalDataBucket;
  /** The log group of the state machine (level ALL, no execution data). */
  public readonly stateMachineLogGroup: logs.LogGroup;
  /** The log group the handlers write their (pseudonymized) audit lines to. */
  public readonly auditLogGroup: logs.LogGroup;
  /** The Intake function. */
  public readonly intakeFunction: lambda.Function;
  /**
   * The Requests function, the one way into the workflow: submit a request (it is pseudonymized and
   * recorded, then its execution is started with the request id only), read its status, record its
   * extension. Invoke it through `grantRequests`, or front it with DsrApi.
   */
  public readonly requestsFunction: lambda.Function;
  /** The StoreStep function. */
  public readonly storeStepFunction: lambda.Function;
  /** The Finalize function. */
  public readonly finalizeFunction: lambda.Function;
  /** The event bus completion and failure events go to. */
  public readonly eventBus: events.IEventBus;
  /** Alarms when an execution (of either state machine) fails, times out or is aborted (a request that would otherwise miss its deadline). */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** The scheduled deadline check. */
  public readonly deadlineCheckFunction: lambda.Function;
  /**
   * Alarms when an open request's confirmation or response deadline is within the warning window
   * or passed, or when the deadline check did not report.
   */
  public readonly deadlineAlarm: cloudwatch.Alarm;
  /** The Replay function (pages through tombstones, records each replay). */
  public readonly replayFunction: lambda.Function;
  /** Re-applies the deletion tombstones after a restore from backup or PITR (11 CCR 7022(d)). */
  public readonly replayStateMachine: sfn.StateMachine;
  /** The key of the workflow's records. */
  public readonly encryptionKey: PrivacyKey;
  /** The pseudonymization key. */
  public readonly pseudonymizationKey: PseudonymizationKey;
  /** The network the handlers run in (`network` prop), if any. */
  public readonly network?: PrivateProcessingNetwork;

  constructor(scope: Construct, id: string, props: DsrWorkflowProps) {
    super(scope, id);
    const auditRetention = props.auditRetention ?? Duration.days(MIN_AUDIT_RETENTION_DAYS);
    const exportRetention = props.exportRetention ?? Duration.days(7);
    const linkExpiry = props.exportLinkExpiry ?? Duration.hours(1);
    const maxConcurrency = props.maxConcurrency ?? 4;
    const warningWindow = props.deadlineWarningWindow ?? Duration.days(5);
    const checkInterval = props.deadlineCheckInterval ?? Duration.days(1);
    validate(this, props, auditRetention, exportRetention, linkExpiry, maxConcurrency);
    validateDeadlineCheck(this, warningWindow, checkInterval);
    validateNetwork(this, props.network);
    validateHolidays(this, props.holidays);
    this.network = props.network;

    this.encryptionKey = props.encryptionKey ?? new PrivacyKey(this, 'Key');
    this.pseudonymizationKey = props.pseudonymizationKey ?? new PseudonymizationKey(this, 'PseudonymizationKey');
    const auditDays = auditRetention.toDays();

    this.ledgerTable = new PrivacyTable(this, 'Ledger', {
      encryptionKey: this.encryptionKey,
      dsr: DsrCoverage.EXEMPT, // records of requests, kept under 11 CCR 7101 and 1798.105(d)
      categories: [DataCategory.UNIQUE_ID, DataCategory.PRIVACY_PREFERENCES],
    });
    // sparse indexes (only items with the key attribute appear), projecting no identifier:
    // the deadline check and the replay read them instead of scanning the ledger
    this.ledgerTable.table.addGlobalSecondaryIndex({
      indexName: OPEN_REQUESTS_INDEX,
      partitionKey: { name: 'open', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'receivedAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['requestId', 'type', 'status', 'subjectId', 'confirmBy', 'confirmedAt', 'dueBy', 'extendedDueBy', 'extendedAt'],
    });
    this.ledgerTable.table.addGlobalSecondaryIndex({
      indexName: TOMBSTONES_INDEX,
      partitionKey: { name: 'tombstone', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'deletedAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['requestId', 'tenant', 'subjectId'],
    });
    this.auditTable = new PrivacyTable(this, 'Audit', {
      encryptionKey: this.encryptionKey,
      dsr: DsrCoverage.EXEMPT,
      categories: [DataCategory.PRIVACY_PREFERENCES],
    });
    // append-only: nobody may change or delete a record (TTL expiry is done by DynamoDB itself)
    this.auditTable.table.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AuditRecordsAreAppendOnly',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
      resources: ['*'],
    }));

    this.exportBucket = new PersonalDataBucket(this, 'Exports', {
      encryptionKey: this.encryptionKey,
      dsr: DsrCoverage.EXEMPT, // copies made for the consumer, expiring after exportRetention
      subjectPrefixTemplate: 'exports/{subject}/',
      noncurrentVersionExpiration: Duration.days(1),
      bucketProps: { lifecycleRules: [{ id: 'ExpireAccessReports', prefix: 'exports/', expiration: exportRetention }] },
    });

    const eventBus = props.eventBus ?? new events.EventBus(this, 'Events', { description: 'cdk-ccpa DsrWorkflow: DSR Request Completed / Failed (source cdk-ccpa.dsr)' });
    this.eventBus = eventBus;

    const logRetention = retentionAtLeast(auditDays);
    const logPrefix = `/cdk-ccpa/dsr/${Names.uniqueResourceName(this, { maxLength: 64 })}`;
    this.encryptionKey.allowCloudWatchLogs(`${logPrefix}/*`);
    this.auditLogGroup = new logs.LogGroup(this, 'AuditLogs', {
      logGroupName: `${logPrefix}/handlers`,
      retention: logRetention,
      encryptionKey: this.encryptionKey,
    });
    this.stateMachineLogGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      logGroupName: `${logPrefix}/state-machine`,
      retention: logRetention,
      encryptionKey: this.encryptionKey,
    });
    // Both hold pseudonyms and request ids, never raw identifiers; a pseudonym is still personal
    // information for the business that can re-link it (Civ. Code 1798.140(v), (aa)).
    for (const group of [this.auditLogGroup, this.stateMachineLogGroup]) {
      PrivacyClassification.apply(group, {
        classification: DataClassification.PERSONAL,
        categories: [DataCategory.UNIQUE_ID],
        dsr: DsrCoverage.EXEMPT,
      });
    }

    const descriptions = props.stores.map((s) => s.describePersonalData());
    const workflowId = Names.uniqueResourceName(this, { maxLength: 64 });
    const config = {
      ledgerTable: this.ledgerTable.table.tableName,
      auditTable: this.auditTable.table.tableName,
      pseudonymKeyId: this.pseudonymizationKey.keyArn,
      exportBucket: this.exportBucket.bucket.bucketName,
      eventBusName: eventBus.eventBusName,
      auditRetentionDays: auditDays,
      exportLinkSeconds: linkExpiry.toSeconds(),
      openRequestsIndex: OPEN_REQUESTS_INDEX,
      tombstonesIndex: TOMBSTONES_INDEX,
      deadlineWarningSeconds: warningWindow.toSeconds(),
      workflow: workflowId,
      stores: descriptions.map((d, i) => ({
        id: String(i),
        path: d.constructPath,
        kind: d.kind,
        name: d.name,
        prefixTemplate: d.subjectPrefixTemplate,
        versioned: d.kind === PersonalDataStoreKind.S3_BUCKET ? true : undefined,
        indexName: d.subjectIndexName,
        subjectAttribute: d.subjectAttribute,
        valueTemplate: d.subjectValueTemplate,
        keyAttributes: d.tableKeyAttributes,
      })),
    };

    const fn = (
      ctor: typeof IntakeFunction, fnId: string, description: string, timeout: Duration, invokedBy: string = INVOKED_BY_STATE_MACHINE,
      environment: Record<string, string> = {},
    ): lambda.Function => {
      const role = new iam.Role(this, `${fnId}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `cdk-ccpa DsrWorkflow ${fnId} (privacy:workflow=dsr)`,
      });
      const f = new ctor(this, fnId, {
        description,
        role,
        timeout,
        memorySize: 512,
        architecture: lambda.Architecture.ARM_64,
        tracing: lambda.Tracing.ACTIVE,
        vpc: this.network?.vpc,
        vpcSubnets: this.network?.subnetSelection,
        securityGroups: this.network ? [this.network.handlerSecurityGroup] : undefined,
        logGroup: this.auditLogGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        environment: {
          DSR_CONFIG: Stack.of(this).toJsonString(config),
          POWERTOOLS_SERVICE_NAME: 'cdk-ccpa-dsr',
          ...environment,
        },
      });
      this.auditLogGroup.grantWrite(role);
      // every handler writes audit records, and only ever appends them
      iam.Grant.addToPrincipal({ grantee: role, actions: ['dynamodb:PutItem'], resourceArns: [this.auditTable.table.tableArn] });
      this.encryptionKey.grantToDsrWorkflow(role);
      if (this.network) grantNetworkInterfaces(role, this.network);
      acknowledgeFunction(f, invokedBy, this.network !== undefined);
      return f;
    };

    // named, so that the key policy, the roles and the Requests function can name their ARNs without a dependency cycle
    const machineName = (suffix: string) => `${Names.uniqueResourceName(this, { maxLength: 72 })}-${suffix}`;
    const requestsMachineName = machineName('Requests');
    this.requestsFunction = fn(RequestsFunction, 'Requests', 'cdk-ccpa DsrWorkflow: submit (pseudonymize, record, start), status and extension of requests', Duration.seconds(25), INVOKED_BY_CALLER, {
      DSR_STATE_MACHINE_ARN: namedArnOf(this, requestsMachineName),
      ...((props.holidays ?? []).length > 0 ? { DSR_HOLIDAYS: [...new Set(props.holidays)].sort().join(',') } : {}),
    });
    this.intakeFunction = fn(IntakeFunction, 'Intake', 'cdk-ccpa DsrWorkflow: start the work of a recorded request', Duration.minutes(1));
    this.storeStepFunction = fn(StoreStepFunction, 'StoreStep', 'cdk-ccpa DsrWorkflow: one bounded page of work on one store', Duration.minutes(5));
    this.finalizeFunction = fn(FinalizeFunction, 'Finalize', 'cdk-ccpa DsrWorkflow: tombstone, report, consent, completion or failure', Duration.minutes(5));
    this.deadlineCheckFunction = fn(DeadlineCheckFunction, 'DeadlineCheck', 'cdk-ccpa DsrWorkflow: warn before a request\'s confirmation or response deadline passes', Duration.minutes(5), INVOKED_BY_SCHEDULE);
    this.replayFunction = fn(ReplayFunction, 'Replay', 'cdk-ccpa DsrWorkflow: page through deletion tombstones and record their replay after a restore', Duration.minutes(1));

    // Requests: the MAC key, the ledger (record, read, resubmit, extend); StartExecution after the state machine exists
    this.pseudonymizationKey.grantGenerateMac(this.requestsFunction);
    grantLedger(this.ledgerTable, this.requestsFunction, ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // Intake: the ledger (read, mark in progress)
    grantLedger(this.ledgerTable, this.intakeFunction, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // StoreStep: exactly what each store grants a DSR role, plus BatchWriteItem on tables (batched deletes)
    for (const [i, store] of props.stores.entries()) {
      store.grantDsrAccess(this.storeStepFunction);
      if (descriptions[i].kind === PersonalDataStoreKind.DYNAMODB_TABLE) {
        iam.Grant.addToPrincipal({ grantee: this.storeStepFunction, actions: ['dynamodb:BatchWriteItem'], resourceArns: [descriptions[i].arn] });
      }
    }
    grantLedger(this.ledgerTable, this.storeStepFunction, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']);
    this.exportBucket.grantDsrAccess(this.storeStepFunction);
    // Finalize: ledger (tombstones, consent, status), report assembly, events
    grantLedger(this.ledgerTable, this.finalizeFunction, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    this.exportBucket.grantDsrAccess(this.finalizeFunction);
    eventBus.grantPutEventsTo(this.finalizeFunction);
    // DeadlineCheck: read-only, and only the open-requests index (no identifier is projected there)
    iam.Grant.addToPrincipal({ grantee: this.deadlineCheckFunction, actions: ['dynamodb:Query'], resourceArns: [`${this.ledgerTable.table.tableArn}/index/${OPEN_REQUESTS_INDEX}`] });
    eventBus.grantPutEventsTo(this.deadlineCheckFunction);
    // Replay: read-only, and only the tombstones index; StoreStep does the deleting
    iam.Grant.addToPrincipal({ grantee: this.replayFunction, actions: ['dynamodb:Query'], resourceArns: [`${this.ledgerTable.table.tableArn}/index/${TOMBSTONES_INDEX}`] });
    eventBus.grantPutEventsTo(this.replayFunction);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: requestsMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(buildDefinition(new Construct(this, 'States'), {
        intake: this.intakeFunction, storeStep: this.storeStepFunction, finalize: this.finalizeFunction,
      }, maxConcurrency)),
      comment: 'cdk-ccpa DsrWorkflow: ACCESS, DELETE, CORRECT, OPT_OUT, LIMIT over every registered personal data store',
      logs: { destination: this.stateMachineLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      timeout: Duration.hours(24),
    });
    this.replayStateMachine = new sfn.StateMachine(this, 'ReplayStateMachine', {
      stateMachineName: machineName('Replay'),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(buildReplayDefinition(new Construct(this, 'ReplayStates'), {
        replay: this.replayFunction, storeStep: this.storeStepFunction,
      }, maxConcurrency)),
      comment: 'cdk-ccpa DsrWorkflow: re-apply deletion tombstones after a restore from backup or PITR (11 CCR 7022(d))',
      logs: { destination: this.stateMachineLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      timeout: Duration.hours(24),
    });
    for (const machine of [this.stateMachine, this.replayStateMachine]) {
      Tags.of(machine).add(PrivacyTagKeys.WORKFLOW, PrivacyTagKeys.WORKFLOW_DSR, { includeResourceTypes: ['AWS::StepFunctions::StateMachine', 'AWS::IAM::Role'] });
      encryptWithKey(machine, this.encryptionKey);
    }
    // the Requests function starts executions: StartExecution, and the KMS calls Step Functions makes
    // with its credentials for that (the state machine is encrypted with the workflow's key)
    this.stateMachine.grantStartExecution(this.requestsFunction);
    this.encryptionKey.grantViaStepFunctions(this.requestsFunction, namedArnOf(this, requestsMachineName), 'kms:Decrypt', 'kms:GenerateDataKey');
    acknowledgePolicies(this, descriptions, [
      this.requestsFunction, this.intakeFunction, this.storeStepFunction, this.finalizeFunction, this.deadlineCheckFunction, this.replayFunction,
    ]);

    const failures = new cloudwatch.MathExpression({
      expression: 'failed + timedOut + aborted + replayFailed + replayTimedOut + replayAborted',
      usingMetrics: {
        failed: this.stateMachine.metricFailed({ statistic: 'Sum' }),
        timedOut: this.stateMachine.metricTimedOut({ statistic: 'Sum' }),
        aborted: this.stateMachine.metricAborted({ statistic: 'Sum' }),
        replayFailed: this.replayStateMachine.metricFailed({ statistic: 'Sum' }),
        replayTimedOut: this.replayStateMachine.metricTimedOut({ statistic: 'Sum' }),
        replayAborted: this.replayStateMachine.metricAborted({ statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
      label: 'DSR executions failed, timed out or aborted',
    });
    const alarm = failures.createAlarm(this, 'FailureAlarm', {
      alarmDescription: 'A data subject request failed, timed out or was aborted: it is recorded in the audit table; fix the cause and re-run it with the same requestId before its deadline (45 days, Cal. Civ. Code 1798.130(a)(2)).',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm = alarm;

    // the deadline check: scheduled, one summary log line per run -> metric -> alarm
    // a run that fails after Lambda's own retries is announced on the workflow's bus (the scheduled
    // event carries no personal data), besides the alarm's missing datapoint
    this.deadlineCheckFunction.configureAsyncInvoke({
      onFailure: new destinations.EventBridgeDestination(eventBus),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    new events.Rule(this, 'DeadlineCheckSchedule', {
      description: `cdk-ccpa DsrWorkflow: check open requests against their deadlines every ${checkInterval.toHumanString()}`,
      schedule: events.Schedule.rate(checkInterval),
      targets: [new targets.LambdaFunction(this.deadlineCheckFunction, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
    new logs.MetricFilter(this, 'DeadlineRiskMetricFilter', {
      logGroup: this.auditLogGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'dsr deadline check'),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'RequestsAtDeadlineRisk',
      metricValue: '$.atRisk',
      dimensions: { Workflow: '$.workflow' },
    });
    const atRisk = new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: 'RequestsAtDeadlineRisk',
      dimensionsMap: { Workflow: workflowId },
      statistic: 'Maximum',
      period: checkInterval,
      label: 'Open DSRs within the warning window of a deadline, or past it',
    });
    this.deadlineAlarm = atRisk.createAlarm(this, 'DeadlineAlarm', {
      alarmDescription: `An open data subject request is within ${warningWindow.toHumanString()} of its confirmation (10 business days) or response deadline (45 days, 90 with the extension), or past it (Cal. Civ. Code 1798.130(a)(2), 11 CCR 7021): see the "DSR Deadline Approaching/Passed" events and the DeadlineCheck audit records. Also fires when the deadline check did not report (missing data).`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // a check that stops running (errors, a disabled schedule) must not look like "no request at risk"
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    for (const a of [this.failureAlarm, this.deadlineAlarm]) {
      for (const action of props.alarmActions ?? []) a.addAlarmAction(action);
      if ((props.alarmActions ?? []).length === 0) {
        const reason = 'No alarmActions were given: the alarm state is the signal (dashboards, EventBridge "CloudWatch Alarm State Change" rules); pass alarmActions or call addAlarmAction() on the alarm to page someone.';
        Validations.of(a.node.defaultChild!).acknowledge(
          { id: 'cdk-validator-cfnguard::cloudwatch_alarm_action_check', reason },
          ...['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => ({ id: `${pack}-CloudWatchAlarmAction`, reason })),
        );
      }
    }
  }

  /**
   * Allow `grantee` to invoke the Requests function (`lambda:InvokeFunction`): submit requests for
   * any tenant, read their status and record extensions. For callers inside the platform (a service
   * that receives requests from its own authenticated users); tenant-facing callers go through
   * DsrApi, which binds every call to the caller's tenant. The grantee never touches Step Functions
   * or the workflow's keys: the function pseudonymizes and records the request before it starts
   * the execution with the request id alone.
   */
  public grantRequests(grantee: iam.IGrantable): iam.Grant {
    return this.requestsFunction.grantInvoke(grantee);
  }
}

/** The ARN of the state machine `name` in the scope's stack, named at synth: no reference to the resource. */
function namedArnOf(scope: IConstruct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * Encrypt a state machine's definition and execution history (its input, the raw subject
 * identifier included) with the workflow's PrivacyKey. Set on the L1, not through the L2's
 * `encryptionConfiguration`: aws-cdk-lib 2.258 would add a key-policy statement letting
 * `delivery.logs.amazonaws.com` call `kms:Decrypt*` without any condition. The role (tagged
 * `privacy:workflow=dsr`, which the key policy accepts) gets what the Step Functions guide lists
 * for an execution role, each limited by its encryption context.
 */
function encryptWithKey(machine: sfn.StateMachine, key: PrivacyKey): void {
  const cfn = machine.node.defaultChild as sfn.CfnStateMachine;
  const name = cfn.stateMachineName!;
  const arn = namedArnOf(machine, name);
  cfn.encryptionConfiguration = {
    type: 'CUSTOMER_MANAGED_KMS_KEY',
    kmsKeyId: key.keyArn,
    kmsDataKeyReusePeriodSeconds: DATA_KEY_REUSE_SECONDS,
  };
  machine.addToRolePolicy(new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': arn } },
  }));
  // log events with execution metadata, encrypted for CloudWatch Logs delivery
  machine.addToRolePolicy(new iam.PolicyStatement({
    actions: ['kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { ArnLike: { 'kms:EncryptionContext:SourceArn': Stack.of(machine).formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) } },
  }));
  key.allowStepFunctions(arn);
}

function grantLedger(ledger: PrivacyTable, grantee: iam.IGrantable, actions: string[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [ledger.table.tableArn] });
}

/** The smallest CloudWatch Logs retention of at least `days`. */
function retentionAtLeast(days: number): logs.RetentionDays {
  const all = Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0).sort((a, b) => a - b);
  return all.find((d) => d >= days) ?? logs.RetentionDays.INFINITE;
}

function validate(
  scope: Construct, props: DsrWorkflowProps, audit: Duration, exportRetention: Duration, link: Duration, maxConcurrency: number,
): void {
  const v = new PropsValidator(scope, 'InvalidDsrWorkflowProps');
  v.check(!props.stores || props.stores.length === 0,
    'stores is empty: a DsrWorkflow must reach every store that holds the consumer\'s personal information (Cal. Civ. Code 1798.105, 1798.110)');
  for (const store of props.stores ?? []) {
    const d = store.describePersonalData();
    v.check(d.dsrCoverage !== DsrCoverage.COVERED,
      `stores: ${d.constructPath} is tagged privacy:dsr=${d.dsrCoverage}: an exempt store is outside data subject requests by decision; pass only covered stores, or change its dsr prop`);
    v.check(d.kind === PersonalDataStoreKind.DYNAMODB_TABLE && (!d.tableKeyAttributes || d.tableKeyAttributes.length === 0),
      `stores: ${d.constructPath} does not describe its table key attributes (tableKeyAttributes), so its items cannot be deleted by key`);
  }
  const auditDays = audit.toDays({ integral: false });
  if (!Token.isUnresolved(auditDays)) {
    v.check(auditDays < MIN_AUDIT_RETENTION_DAYS || !Number.isInteger(auditDays),
      `auditRetention ${auditDays} days: records of consumer requests and responses are kept for at least 24 months, ${MIN_AUDIT_RETENTION_DAYS} whole days (11 CCR 7101)`);
  }
  const exportDays = exportRetention.toDays({ integral: false });
  if (!Token.isUnresolved(exportDays)) {
    v.check(exportDays < 1 || exportDays > 30 || !Number.isInteger(exportDays),
      `exportRetention ${exportDays} days: an access report is a full copy of the consumer's personal information; it expires after 1 to 30 whole days`);
  }
  const linkSeconds = link.toSeconds({ integral: false });
  if (!Token.isUnresolved(linkSeconds) && !Token.isUnresolved(exportDays)) {
    v.check(linkSeconds < 60 || linkSeconds > MAX_LINK_SECONDS || linkSeconds > exportDays * 86_400,
      `exportLinkExpiry ${linkSeconds} s: the link to an access report must expire (60 s to 7 days, the SigV4 presigned URL limit) and not outlive the report (exportRetention)`);
  }
  v.check(!Token.isUnresolved(maxConcurrency) && (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 40),
    `maxConcurrency ${maxConcurrency}: 1 to 40 stores in parallel`);
  v.throwIfInvalid();
}

const INVOKED_BY_STATE_MACHINE = 'It is invoked synchronously by a DsrWorkflow state machine only, which retries it with backoff and jitter and catches every failure into a recorded failed state, an EventBridge event and an alarm';
const INVOKED_BY_CALLER = 'It is invoked synchronously by its callers only (DsrApi, or a principal given grantRequests), who see every failure and submit again with the same requestId, which is idempotent';
const INVOKED_BY_SCHEDULE = 'It is invoked by an EventBridge schedule only (Lambda retries a failed run twice); it reads and warns without changing state, the next scheduled run repeats the whole check, and a run that fails reports no metric, which the deadline alarm treats as breaching';

function validateHolidays(scope: Construct, holidays: string[] | undefined): void {
  if (!holidays) return;
  const v = new PropsValidator(scope, 'InvalidDsrWorkflowHolidays');
  const isDate = (d: string) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  };
  const bad = holidays.filter((d) => Token.isUnresolved(d) || !isDate(d));
  v.check(bad.length > 0,
    `holidays ${JSON.stringify(bad.slice(0, 3))}: dates as YYYY-MM-DD (real calendar dates, no tokens), the days not counted as business days for the confirmation deadline (11 CCR 7021(a))`);
  v.check(holidays.length > MAX_HOLIDAYS,
    `holidays has ${holidays.length} dates: at most ${MAX_HOLIDAYS} (they travel in the Requests function's environment, which Lambda limits to 4 KB); list a few years ahead and extend yearly`);
  v.throwIfInvalid();
}

function validateDeadlineCheck(scope: Construct, window: Duration, interval: Duration): void {
  const v = new PropsValidator(scope, 'InvalidDsrWorkflowDeadlineProps');
  const windowHours = window.toHours({ integral: false });
  const intervalHours = interval.toHours({ integral: false });
  if (!Token.isUnresolved(windowHours)) {
    v.check(!Number.isInteger(windowHours) || windowHours < 1 || windowHours > 30 * 24,
      `deadlineWarningWindow ${windowHours} hours: whole hours, 1 hour to 30 days, so that a warning comes before the confirmation (10 business days) and response (45 days) deadlines pass (Cal. Civ. Code 1798.130(a)(2))`);
  }
  if (!Token.isUnresolved(intervalHours)) {
    v.check(!Number.isInteger(intervalHours) || intervalHours < 1 || intervalHours > 24,
      `deadlineCheckInterval ${intervalHours} hours: whole hours, 1 hour to 1 day (the deadline alarm's period; CloudWatch evaluates at most one day)`);
  }
  if (!Token.isUnresolved(windowHours) && !Token.isUnresolved(intervalHours)) {
    v.check(windowHours < intervalHours,
      `deadlineWarningWindow ${windowHours} hours is shorter than deadlineCheckInterval ${intervalHours} hours: a deadline could pass between two checks without a warning`);
  }
  v.throwIfInvalid();
}

/** The interface endpoints the handlers call through (besides the S3 and DynamoDB gateway endpoints). */
const HANDLER_INTERFACE_SERVICES = [
  ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE, ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
];

function validateNetwork(scope: Construct, network: PrivateProcessingNetwork | undefined): void {
  if (!network) return;
  const v = new PropsValidator(scope, 'InvalidDsrWorkflowNetwork');
  const have = new Set(network.interfaceEndpointServices.map((s) => s.shortName));
  const missing = HANDLER_INTERFACE_SERVICES.map((s) => s.shortName).filter((n) => !have.has(n));
  v.check(missing.length > 0,
    `network ${network.node.path} has no interface endpoint for ${missing.join(', ')}: the handlers call KMS (GenerateMac, to pseudonymize), EventBridge (PutEvents, to notify service providers, 1798.105(c)) and Step Functions (StartExecution, from the Requests function), and in isolated subnets they reach AWS only through endpoints; add ${missing.join(', ')} to its interfaceEndpointServices`);
  v.throwIfInvalid();
}

/**
 * What Lambda needs to attach a function to the network (the actions of the AWS managed
 * AWSLambdaVPCAccessExecutionRole, inline and scoped): create interfaces only in the network's
 * subnets with its handler group; describe actions have no resource-level permissions; delete and
 * (un)assign addresses on this account's and region's interfaces (Lambda names no interface id in
 * advance; the Lambda developer guide asks for all interface ids there).
 */
function grantNetworkInterfaces(role: iam.IRole, network: PrivateProcessingNetwork): void {
  const stack = Stack.of(role);
  // subnets and the group are named exactly (pseudo parameters are fine there: no wildcard, no finding)
  const arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
  const interfaces = ec2Arn(stack, 'network-interface', '*');
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ec2:CreateNetworkInterface'],
    resources: [
      interfaces,
      ...network.vpc.selectSubnets(network.subnetSelection).subnetIds.map((id) => arn('subnet', id)),
      arn('security-group', network.handlerSecurityGroup.securityGroupId),
    ],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
    resources: [interfaces],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
    resources: ['*'],
  }));
}

/**
 * `arn:<partition>:ec2:<region>:<account>:<resource>/<name>` with literals when the stack's environment
 * is known and `*` when it is not: a pseudo parameter would put `::` into the cdk-nag finding id of
 * `network-interface/*`, which Validations.acknowledge refuses.
 */
function ec2Arn(stack: Stack, resource: string, name: string): string {
  const known = (v: string) => (Token.isUnresolved(v) ? '*' : v);
  const region = known(stack.region);
  const partition = region === '*' ? '*' : RegionInfo.get(region).partition ?? '*';
  return `arn:${partition}:ec2:${region}:${known(stack.account)}:${resource}/${name}`;
}

/** The findings a DSR function answers by design (acknowledged on its own L1, with the reason). */
function acknowledgeFunction(f: lambda.Function, invokedBy: string, inVpc: boolean): void {
  const cfn = f.node.defaultChild!;
  if (!inVpc) {
    Validations.of(cfn).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'The function calls only AWS APIs (DynamoDB, S3, KMS, EventBridge) over TLS with IAM-authenticated, ABAC-scoped credentials; it has no network-facing endpoint and reaches no VPC resource (Control Tower CT.LAMBDA.PR.3 applies to functions that reach VPC resources).',
    });
  }
  const dlq = invokedBy === INVOKED_BY_SCHEDULE
    ? `${invokedBy}; a dead-letter queue would hold only a scheduled tick, which the next run replaces.`
    : `${invokedBy}; a dead-letter queue only serves asynchronous invocations.`;
  const concurrency = invokedBy === INVOKED_BY_SCHEDULE
    ? `${invokedBy}; one run per interval, so reserving concurrency would only take it from the account's unreserved pool.`
    : invokedBy === INVOKED_BY_CALLER
      ? `${invokedBy}; DsrApi throttles its callers (stage and method limits, a WAF rate rule), and reserving concurrency would take it from the account's unreserved pool.`
      : `${invokedBy}; its concurrency is bounded by the Map state's maxConcurrency per request, and reserving concurrency would take it from the account's unreserved pool.`;
  Validations.of(cfn).acknowledge(
    // PCI DSS 3.2.1 has no LambdaDLQ or LambdaConcurrency rule: only HIPAA and NIST 800-53 R5 do
    ...['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => ({ id: `${pack}-LambdaDLQ`, reason: dlq })),
    ...(inVpc ? [] : ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']).map((pack) => ({ id: `${pack}-LambdaInsideVPC`, reason: 'The function calls only AWS APIs (DynamoDB, S3, KMS, EventBridge) over TLS with IAM-authenticated, ABAC-scoped credentials; it has no network-facing endpoint and reaches no VPC resource. Attach it to a VPC with endpoints (the network prop) if your network policy requires it.' })),
    ...['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => ({ id: `${pack}-LambdaConcurrency`, reason: concurrency })),
  );
  if (invokedBy === INVOKED_BY_CALLER) {
    Validations.of(cfn).acknowledge({
      id: 'CCPA-LambdaDsrFailureDestination',
      reason: `${invokedBy}: its answer is the request's recorded status, so a failure is the caller's error response, never a silent drop (the deadline check also reports every recorded request that nears its deadline). An on-failure destination or dead-letter queue would copy the submitted request, raw subject identifier included, out of the encrypted ledger into another store.`,
    });
  }
}

const INLINE_REASON = 'This policy belongs to exactly one role of the DsrWorkflow and is created and deleted with it; as a customer managed policy it could be attached to other principals, widening access to personal data. Its statements are reviewed in the construct\'s tests (IAM simulation).';

/**
 * Acknowledge, with reasons, the findings on the workflow's role policies that are by design:
 * inline policies (one role each), `*` for X-Ray and CloudWatch Logs delivery (no resource-level
 * permissions), Lambda ARN `:*` (versions of the workflow's own functions), and the subject-prefix
 * wildcards of the stores' DSR grants (`{tenant}`/`{subject}` placeholders: one statement for every subject).
 */
function acknowledgePolicies(wf: DsrWorkflow, stores: PersonalDataStoreDescription[], fns: lambda.Function[]): void {
  const stack = Stack.of(wf);
  const name = (v: string) => flattenForNag(stack.resolve(v));
  const bucketWildcards = [
    ...stores.filter((d) => d.kind === PersonalDataStoreKind.S3_BUCKET).map((d) => `${name(d.arn)}/${placeholdersToWildcards(d.subjectPrefixTemplate!)}*`),
  ];
  const exportsWildcard = `${name(wf.exportBucket.bucket.bucketArn)}/exports/*/*`;
  const inline = (policy: IConstruct) => Validations.of(policy).acknowledge(
    ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-IAMNoInlinePolicy`, reason: INLINE_REASON })),
  );
  const iam5 = (policy: IConstruct, resource: string, reason: string) => Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
  const xray = 'X-Ray PutTraceSegments and PutTelemetryRecords (tracing, which the DSR rules require) and CloudWatch Logs delivery actions have no resource-level permissions; they carry no data access.';
  const fnStar = wf.network
    ? `${xray} In the network, so do ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets, which Lambda needs to attach the function.`
    : xray;
  const interfaces = ec2Arn(stack, 'network-interface', '*');
  for (const f of fns) {
    const policy = f.role!.node.tryFindChild('DefaultPolicy')!.node.defaultChild!;
    inline(policy);
    iam5(policy, '*', fnStar);
    if (wf.network) {
      iam5(policy, interfaces, 'Lambda creates and deletes the function\'s network interfaces and names no interface id in advance; creating one is allowed only in the network\'s isolated subnets with its handler security group (same statement), and these are the actions of AWSLambdaVPCAccessExecutionRole, inline and scoped.');
    }
  }
  for (const resource of [...bucketWildcards, exportsWildcard]) {
    iam5(wf.storeStepFunction.role!.node.tryFindChild('DefaultPolicy')!.node.defaultChild!, resource,
      'The wildcards stand for the {tenant} and {subject} placeholders of the store\'s subject prefix template: the workflow serves every data subject, and the handlers address exactly one subject\'s prefix per request.');
  }
  iam5(wf.finalizeFunction.role!.node.tryFindChild('DefaultPolicy')!.node.defaultChild!, exportsWildcard,
    'Access reports are written under exports/<pseudonym>/<requestId>/: the wildcards stand for one subject\'s pseudonym and request.');
  const invoked: Array<[sfn.StateMachine, lambda.Function[]]> = [
    [wf.stateMachine, [wf.intakeFunction, wf.storeStepFunction, wf.finalizeFunction]],
    [wf.replayStateMachine, [wf.replayFunction, wf.storeStepFunction]],
  ];
  for (const [machine, machineFns] of invoked) {
    const smPolicy = machine.role.node.tryFindChild('DefaultPolicy')!.node.defaultChild!;
    inline(smPolicy);
    iam5(smPolicy, '*', xray);
    for (const f of machineFns) {
      iam5(smPolicy, `${name(f.functionArn)}:*`, 'lambda:InvokeFunction on the versions and aliases of the workflow\'s own function (CDK grants the function ARN and its qualifiers).');
    }
  }
}
