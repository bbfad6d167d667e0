import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DSR_ENV, EVENT_SOURCE } from './handlers/shared/config';
import { acknowledgeAlarmWithoutActions, acknowledgeHandlers, acknowledgePolicies, NO_ALARM_ACTIONS_REASON } from './private/acknowledgements';
import { createAlarms } from './private/alarms';
import { reserveConcurrency } from './private/concurrency';
import { handlerConfig } from './private/handler-config';
import { createHandlers, grantHandlers, WorkflowHandlers } from './private/handlers';
import { organizationStorePaths, workflowSettings } from './private/props';
import { acknowledgeRecipientFunctions, createRecipients } from './private/recipients';
import { createLogGroups, createRecords } from './private/records';
import { createStateMachines, namedArnOf, stateMachineNames } from './private/state-machines';
import { PrivacyPrincipal } from '../classification/privacy-principal';
import { PrivacyAccessLevel, PrivacyTagKeys } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { PseudonymizationKey } from '../encryption/pseudonymization-key';
import { PrivateProcessingNetwork } from '../network/private-processing-network';
import { CFN_GUARD_PLUGIN, expectExemption } from '../private/expected-exemptions';
import { PropsValidator } from '../private/validation';
import { viaServiceName } from '../private/via-service';
import { PersonalDataBucket } from '../storage/personal-data-bucket';
import { IPersonalDataStore } from '../storage/personal-data-store';
import { PrivacyRecipient } from '../storage/privacy-recipient';
import { PrivacyTable } from '../storage/privacy-table';

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
   * (source `cdk-ccpa.dsr`), for service providers and contractors (Cal. Civ. Code 1798.105(c)),
   * and "DSR Confirmation Due" for the business's notifier (11 CCR § 7021(a)).
   *
   * @default - a new event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * How many stores are processed in parallel: the Map state of each request over its stores, and
   * of a tombstone replay over its stores and over the tombstones of a page (at most
   * `maxConcurrency` x `maxConcurrency` StoreStep invocations in a replay). 1 to 40.
   *
   * @default 4
   */
  readonly maxConcurrency?: number;

  /**
   * The reserved concurrency of each function the state machines invoke (Intake, StoreStep,
   * Finalize, Replay): a burst of requests never runs more than this many of each at once, so it
   * cannot starve the account's other functions of Lambda's shared concurrency; invocations over
   * it are throttled and retried by the state machine (with backoff and jitter). Reserving takes
   * 4 x this value from the account's unreserved pool (Lambda keeps at least 100 unreserved), also
   * while the workflow is idle. A whole number from `maxConcurrency` to 1,000.
   *
   * @default - none: the functions share the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;

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

  /**
   * The service providers, contractors and third parties to tell of each request that concerns
   * them: a DELETE, every recipient (Cal. Civ. Code 1798.105(c)(1), (3); 11 CCR § 7022(b)); a
   * CORRECT, the service providers and contractors (11 CCR § 7023(c)); an OPT_OUT, the third
   * parties (11 CCR § 7026(f)). Each gets its own notice (no raw identifier unless its contract
   * needs one, then encrypted for it alone), re-sent with backoff until it acknowledges on its own
   * queue; the request is COMPLETED only once every one of them acknowledged
   * (AWAITING_RECIPIENTS until then; the deadline check escalates an acknowledgement that is
   * late). Each must declare its `acknowledgingRole`; at most 10. See the README's "Recipients".
   *
   * @default - no recipients: a request completes when its own work is done
   */
  readonly recipients?: PrivacyRecipient[];
}

/**
 * Verified, audited data subject requests (CCPA/CPRA: ACCESS, DELETE, CORRECT, OPT_OUT, LIMIT)
 * over every registered personal data store, on Step Functions Standard state machines.
 *
 * Requests go in through `requestsFunction` (DsrApi, or `grantRequests`); the subject is
 * pseudonymized and recorded in the ledger before an execution starts with the request id alone.
 * See the README's "Data subject requests" section for the request flow, deadlines and tombstone replay.
 */
export class DsrWorkflow extends Construct {
  /** The Standard state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The request ledger: requests (with the raw identifier, encrypted), page cursors, tombstones. */
  public readonly ledgerTable: PrivacyTable;
  /**
   * The append-only audit records (11 CCR § 7101): one object per record, S3 Object Lock in
   * COMPLIANCE mode for the audit retention, written only with `If-None-Match: *`; no principal
   * but the break-glass role `cdk-ccpa-break-glass` may delete or unlock one (and none before the
   * retention ends).
   */
  public readonly auditBucket: PersonalDataBucket;
  /**
   * The consent records applications read before they sell or share personal information or use
   * sensitive personal information: one item per `<tenant>#<pseudonym>` (see `grantReadConsent`).
   */
  public readonly consentTable: PrivacyTable;
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
  /**
   * The construct paths of the stores that belong to the organization rather than to a tenant
   * (SILO stores without `siloTenant`). Tenants must not reach them: a DsrApi refuses a workflow
   * that has any, and the Requests function refuses API calls for it.
   */
  public readonly organizationStorePaths: string[];
  /** The recipients the workflow notifies. */
  public readonly recipients: PrivacyRecipient[];
  /** Sends recipients their notices and completes requests once all acknowledged (with `recipients`). */
  public readonly recipientsFunction?: lambda.Function;
  /** Records the recipients' acknowledgements (with `recipients`). */
  public readonly acknowledgementsFunction?: lambda.Function;
  /** Acknowledgements that could not be processed after 5 receives (with `recipients`). */
  public readonly recipientDeadLetterQueue?: sqs.IQueue;
  private readonly acknowledgementQueues: Record<string, sqs.IQueue> = {};

  constructor(scope: Construct, id: string, props: DsrWorkflowProps) {
    super(scope, id);
    const settings = workflowSettings(this, props);
    this.network = settings.network;
    this.organizationStorePaths = organizationStorePaths(settings.descriptions);
    this.encryptionKey = props.encryptionKey ?? new PrivacyKey(this, 'Key');
    this.pseudonymizationKey = props.pseudonymizationKey ?? new PseudonymizationKey(this, 'PseudonymizationKey');

    const records = createRecords(this, this.encryptionKey, settings.exportRetention, settings.auditRetention);
    this.ledgerTable = records.ledgerTable;
    this.auditBucket = records.auditBucket;
    this.exportBucket = records.exportBucket;
    this.consentTable = records.consentTable;
    this.eventBus = props.eventBus ?? new events.EventBus(this, 'Events', { description: `cdk-ccpa DsrWorkflow: DSR Request Completed / Failed (source ${EVENT_SOURCE})` });
    const logGroups = createLogGroups(this, this.encryptionKey, settings.auditRetention.toDays());
    this.auditLogGroup = logGroups.auditLogGroup;
    this.stateMachineLogGroup = logGroups.stateMachineLogGroup;

    const workflow = Names.uniqueResourceName(this, { maxLength: 64 });
    const config = handlerConfig({
      ledgerTable: this.ledgerTable.table.tableName,
      auditBucket: this.auditBucket.bucket.bucketName,
      pseudonymizationKeyArn: this.pseudonymizationKey.keyArn,
      exportBucket: this.exportBucket.bucket.bucketName,
      eventBusName: this.eventBus.eventBusName,
      auditRetention: settings.auditRetention,
      exportLinkExpiry: settings.exportLinkExpiry,
      deadlineWarningWindow: settings.deadlineWarningWindow,
      workflow,
      stores: settings.descriptions,
    });
    const names = stateMachineNames(this);
    const context = {
      config, encryptionKey: this.encryptionKey, auditLogGroup: this.auditLogGroup, auditBucket: this.auditBucket, network: this.network,
    };
    const handlers = createHandlers(this, context, {
      [DSR_ENV.STATE_MACHINE_ARN]: namedArnOf(this, names.requests),
      [DSR_ENV.CONSENT_TABLE]: this.consentTable.table.tableName,
      ...(settings.holidays.length > 0 ? { [DSR_ENV.HOLIDAYS]: settings.holidays.join(',') } : {}),
    });
    this.requestsFunction = handlers.requests;
    this.intakeFunction = handlers.intake;
    this.storeStepFunction = handlers.storeStep;
    this.finalizeFunction = handlers.finalize;
    this.deadlineCheckFunction = handlers.deadlineCheck;
    this.replayFunction = handlers.replay;
    reserveConcurrency(handlers, settings.reservedConcurrency);
    grantHandlers(handlers, {
      records, eventBus: this.eventBus, pseudonymizationKey: this.pseudonymizationKey, stores: settings.stores, descriptions: settings.descriptions,
    });
    this.recipients = settings.recipients;
    const recipients = createRecipients(this, context, {
      recipients: settings.recipients,
      eventBus: this.eventBus,
      ledger: this.ledgerTable,
      finalize: handlers.finalize,
      deadlineCheck: handlers.deadlineCheck,
    });
    this.recipientsFunction = recipients?.recipientsFunction;
    this.acknowledgementsFunction = recipients?.acknowledgementsFunction;
    this.recipientDeadLetterQueue = recipients?.deadLetterQueue;
    this.acknowledgementQueues = recipients?.acknowledgementQueues ?? {};

    const machines = createStateMachines(this, {
      names,
      handlers,
      maxConcurrency: settings.maxConcurrency,
      logGroup: this.stateMachineLogGroup,
      encryptionKey: this.encryptionKey,
      recipients: recipients?.recipientsFunction,
      recipientWait: recipients?.longestWait,
    });
    this.stateMachine = machines.stateMachine;
    this.replayStateMachine = machines.replayStateMachine;
    acknowledgePolicies(this, {
      handlers,
      machines,
      exportBucket: this.exportBucket,
      auditBucket: this.auditBucket,
      stores: settings.descriptions,
      inVpc: this.network !== undefined,
    });

    const alarms = createAlarms(this, {
      machines,
      deadlineCheckFunction: this.deadlineCheckFunction,
      eventBus: this.eventBus,
      auditLogGroup: this.auditLogGroup,
      workflow,
      deadlineWarningWindow: settings.deadlineWarningWindow,
      deadlineCheckInterval: settings.deadlineCheckInterval,
      alarmActions: settings.alarmActions,
    });
    this.failureAlarm = alarms.failureAlarm;
    this.deadlineAlarm = alarms.deadlineAlarm;
    this.acknowledge(handlers, settings.alarmActions.length > 0);
    if (recipients) acknowledgeRecipientFunctions(recipients, this.stateMachine.role, this.network !== undefined);
  }

  /**
   * The queue `recipient` acknowledges its notices on (its URL is in every notice): only the
   * recipient's `acknowledgingRole` may send to it. Throws for a recipient the workflow was not given.
   */
  public acknowledgementQueueOf(recipient: PrivacyRecipient): sqs.IQueue {
    const queue = this.acknowledgementQueues[recipient.recipientId];
    if (!queue) {
      new PropsValidator(this, 'DsrWorkflowNotARecipient').fail('DsrWorkflowNotARecipient',
        `${recipient.node.path} is not one of the recipients of ${this.node.path}; pass it in the workflow's recipients prop.`).throwIfInvalid();
    }
    return queue!;
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

  /**
   * Allow `grantee` (an application of one tenant) to look up consumers' choices before it sells or
   * shares their personal information or uses their sensitive personal information: compute the
   * pseudonym (`kms:GenerateMac` on the pseudonymization key, message `<tenant>\u0000<id>`) and
   * read the record (`dynamodb:GetItem` on the consent table, key `pk = <tenant>#<pseudonym>`,
   * `sk = CONSENT`), only under its own tenant: `dynamodb:LeadingKeys` `${aws:PrincipalTag/tenant}#*`,
   * which the table's policy enforces too (a principal without a `tenant` tag reads nothing). The
   * key is used only to decrypt this table (`kms:ViaService` dynamodb and the table's encryption
   * context). Tags the grantee `privacy:access=personal`. See the README's "Consent lookup".
   */
  public grantReadConsent(grantee: iam.IGrantable): iam.Grant {
    const principal = grantee.grantPrincipal;
    const resource = principal instanceof iam.Role || principal instanceof iam.User ? principal : undefined;
    if (resource) PrivacyPrincipal.tag(resource, { access: PrivacyAccessLevel.PERSONAL });
    const stack = Stack.of(this);
    const read = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem'],
      resourceArns: [this.consentTable.table.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}#*`] },
        'Null': { 'dynamodb:LeadingKeys': 'false' },
      },
    });
    const decrypt = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.encryptionKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': viaServiceName(stack, 'dynamodb'),
          'kms:EncryptionContext:aws:dynamodb:tableName': this.consentTable.table.tableName,
        },
      },
    });
    return read.combine(decrypt).combine(this.pseudonymizationKey.grantGenerateMac(grantee));
  }

  /** The findings the workflow's handlers and alarms answer by design, on their own L1s with the reason. */
  private acknowledge(handlers: WorkflowHandlers, alarmsHaveActions: boolean): void {
    if (!this.network) {
      for (const f of Object.values(handlers)) {
        expectExemption(f, CFN_GUARD_PLUGIN, 'lambda_inside_vpc_check',
          'The function calls only AWS APIs (DynamoDB, S3, KMS, EventBridge) over TLS with IAM-authenticated, ABAC-scoped credentials; it has no network-facing endpoint and reaches no VPC resource (Control Tower CT.LAMBDA.PR.3 applies to functions that reach VPC resources).');
      }
    }
    acknowledgeHandlers(handlers, this.network !== undefined);
    if (!alarmsHaveActions) {
      for (const a of [this.failureAlarm, this.deadlineAlarm]) {
        expectExemption(a, CFN_GUARD_PLUGIN, 'cloudwatch_alarm_action_check', NO_ALARM_ACTIONS_REASON);
        acknowledgeAlarmWithoutActions(a);
      }
    }
  }
}
