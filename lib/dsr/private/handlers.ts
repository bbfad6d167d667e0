import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { grantNetworkInterfaces } from './network';
import { WorkflowRecords } from './records';
import { newestNodeRuntime } from './runtime';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { PrivacyKey } from '../../encryption/privacy-key';
import { PseudonymizationKey } from '../../encryption/pseudonymization-key';
import { PrivateProcessingNetwork } from '../../network/private-processing-network';
import { PersonalDataBucket } from '../../storage/personal-data-bucket';
import { IPersonalDataStore, PersonalDataStoreDescription, PersonalDataStoreKind } from '../../storage/personal-data-store';
import { PrivacyTable } from '../../storage/privacy-table';
import { DeadlineCheckFunction } from '../handlers/deadline-check-function';
import { FinalizeFunction } from '../handlers/finalize-function';
import { IntakeFunction } from '../handlers/intake-function';
import { ReplayFunction } from '../handlers/replay-function';
import { RequestsFunction } from '../handlers/requests-function';
import { AUDIT_RECORDS_PREFIX, DsrConfig, DSR_ENV, OPEN_REQUESTS_INDEX, OUTBOX_ATTRIBUTES, RESTART_ATTRIBUTES, SERVICE_NAME, TOMBSTONES_INDEX } from '../handlers/shared/config';
import { StoreStepFunction } from '../handlers/store-step-function';

/** Who invokes a handler: it decides which findings the handler answers by design. */
export enum Invocation {
  /** Synchronously, by a state machine that retries and catches every failure. */
  STATE_MACHINE = 'STATE_MACHINE',
  /** Synchronously, by DsrApi or a principal given grantRequests. */
  CALLER = 'CALLER',
  /** Asynchronously, by an EventBridge schedule. */
  SCHEDULE = 'SCHEDULE',
}

/** What every handler shares. */
export interface HandlerContext {
  readonly config: DsrConfig;
  readonly encryptionKey: PrivacyKey;
  readonly auditLogGroup: logs.LogGroup;
  readonly auditBucket: PersonalDataBucket;
  readonly network?: PrivateProcessingNetwork;
}

/** The six handlers of a DsrWorkflow. */
export interface WorkflowHandlers {
  readonly requests: lambda.Function;
  readonly intake: lambda.Function;
  readonly storeStep: lambda.Function;
  readonly finalize: lambda.Function;
  readonly deadlineCheck: lambda.Function;
  readonly replay: lambda.Function;
}

/** How each handler is invoked. */
export const HANDLER_INVOCATIONS: Record<keyof WorkflowHandlers, Invocation> = {
  requests: Invocation.CALLER,
  intake: Invocation.STATE_MACHINE,
  storeStep: Invocation.STATE_MACHINE,
  finalize: Invocation.STATE_MACHINE,
  deadlineCheck: Invocation.SCHEDULE,
  replay: Invocation.STATE_MACHINE,
};

export interface HandlerSpec {
  readonly ctor: typeof IntakeFunction;
  readonly id: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
}

/**
 * Create the six handlers in `scope` (ids `<Name>` and `<Name>Role`, as the workflow's direct
 * children). `requestsEnvironment` is the Requests function's own variables.
 */
export function createHandlers(scope: Construct, ctx: HandlerContext, requestsEnvironment: Record<string, string>): WorkflowHandlers {
  const fn = (spec: HandlerSpec) => createHandler(scope, ctx, spec);
  return {
    requests: fn({ ctor: RequestsFunction, id: 'Requests', description: 'cdk-ccpa DsrWorkflow: submit (pseudonymize, record, start), status and extension of requests', timeout: Duration.seconds(25), environment: requestsEnvironment }),
    intake: fn({ ctor: IntakeFunction, id: 'Intake', description: 'cdk-ccpa DsrWorkflow: start the work of a recorded request', timeout: Duration.minutes(1) }),
    storeStep: fn({ ctor: StoreStepFunction, id: 'StoreStep', description: 'cdk-ccpa DsrWorkflow: one bounded page of work on one store', timeout: Duration.minutes(5) }),
    finalize: fn({ ctor: FinalizeFunction, id: 'Finalize', description: 'cdk-ccpa DsrWorkflow: tombstone, report, consent, completion or failure', timeout: Duration.minutes(5) }),
    deadlineCheck: fn({
      ctor: DeadlineCheckFunction,
      id: 'DeadlineCheck',
      description: 'cdk-ccpa DsrWorkflow: warn before a request\'s confirmation or response deadline passes',
      timeout: Duration.minutes(5),
      // it restarts requests whose execution never started (see shared/restart.ts)
      environment: { [DSR_ENV.STATE_MACHINE_ARN]: requestsEnvironment[DSR_ENV.STATE_MACHINE_ARN] },
    }),
    replay: fn({ ctor: ReplayFunction, id: 'Replay', description: 'cdk-ccpa DsrWorkflow: page through deletion tombstones and record their replay after a restore', timeout: Duration.minutes(1) }),
  };
}

/** One handler: its own role, the function (in the network, if any), and what every handler may do (write audit lines and records). */
export function createHandler(scope: Construct, ctx: HandlerContext, spec: HandlerSpec): lambda.Function {
  const role = new iam.Role(scope, `${spec.id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `cdk-ccpa DsrWorkflow ${spec.id} (privacy:workflow=dsr)`,
  });
  const f = new spec.ctor(scope, spec.id, {
    description: spec.description,
    role,
    timeout: spec.timeout,
    memorySize: 512,
    architecture: lambda.Architecture.ARM_64,
    tracing: lambda.Tracing.ACTIVE,
    vpc: ctx.network?.vpc,
    vpcSubnets: ctx.network?.subnetSelection,
    securityGroups: ctx.network ? [ctx.network.handlerSecurityGroup] : undefined,
    logGroup: ctx.auditLogGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: {
      [DSR_ENV.CONFIG]: Stack.of(scope).toJsonString(ctx.config),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      ...spec.environment,
    },
  });
  // the generated function classes pin the floor's runtime; follow the installed aws-cdk-lib's newest
  (f.node.defaultChild as lambda.CfnFunction).runtime = newestNodeRuntime().name;
  ctx.auditLogGroup.grantWrite(role);
  // every handler writes audit records, and only ever appends them (the bucket refuses a PutObject
  // without If-None-Match: *); no read, no delete
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject'], resourceArns: [ctx.auditBucket.bucket.arnForObjects(`${AUDIT_RECORDS_PREFIX}*`)] });
  ctx.encryptionKey.grantToDsrWorkflow(role);
  if (ctx.network) grantNetworkInterfaces(role, ctx.network);
  // the function, like its role, is the DSR workflow: EncryptionScp keeps its code and callers to the pipeline
  Tags.of(f).add(PrivacyTagKeys.WORKFLOW, PrivacyTagKeys.WORKFLOW_DSR, { includeResourceTypes: ['AWS::Lambda::Function'] });
  return f;
}

/** What the handlers act on, besides the audit records. */
export interface HandlerResources {
  readonly records: WorkflowRecords;
  readonly eventBus: events.IEventBus;
  readonly pseudonymizationKey: PseudonymizationKey;
  readonly stores: IPersonalDataStore[];
  readonly descriptions: PersonalDataStoreDescription[];
}

/** Grant each handler exactly what its step needs (StartExecution comes with the state machine). */
export function grantHandlers(h: WorkflowHandlers, r: HandlerResources): void {
  const ledger = r.records.ledgerTable;
  // Requests: the MAC key, the ledger (record, read, resubmit, extend)
  r.pseudonymizationKey.grantGenerateMac(h.requests);
  grantLedger(ledger, h.requests, ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
  // Requests: apply choices to the consent records (read the linked group, set each record), and
  // publish "DSR Confirmation Due"
  grantLedger(r.records.consentTable, h.requests, ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem']);
  r.eventBus.grantPutEventsTo(h.requests);
  // ... and reads access reports, to reissue a report's link on STATUS while the report exists
  r.records.exportBucket.grantRead(h.requests, 'exports/*');
  // Intake: the ledger (read, mark in progress)
  grantLedger(ledger, h.intake, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  // StoreStep: exactly what each store grants a DSR role, plus BatchWriteItem on tables (batched deletes)
  for (const [i, store] of r.stores.entries()) {
    store.grantDsrAccess(h.storeStep);
    if (r.descriptions[i].kind === PersonalDataStoreKind.DYNAMODB_TABLE) {
      // batched reads (ACCESS, 100 keys a request) and deletes (25 a request)
      iam.Grant.addToPrincipal({ grantee: h.storeStep, actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'], resourceArns: [r.descriptions[i].arn] });
    }
  }
  // Query: a replay reads the digests of what a request deleted (REQUEST#<id> / DELETED#...)
  grantLedger(ledger, h.storeStep, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query']);
  r.records.exportBucket.grantDsrAccess(h.storeStep);
  // Finalize: ledger (tombstones, consent, status), report assembly, events
  grantLedger(ledger, h.finalize, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  r.records.exportBucket.grantDsrAccess(h.finalize);
  // ... and aborts the report uploads its earlier runs left (listed under the request's prefix)
  iam.Grant.addToPrincipal({ grantee: h.finalize, actions: ['s3:ListBucketMultipartUploads'], resourceArns: [r.records.exportBucket.bucket.bucketArn] });
  iam.Grant.addToPrincipal({ grantee: h.finalize, actions: ['s3:AbortMultipartUpload'], resourceArns: [r.records.exportBucket.bucket.arnForObjects('exports/*/*')] });
  r.eventBus.grantPutEventsTo(h.finalize);
  // DeadlineCheck: read-only, and only the open-requests index (no identifier is projected there)
  iam.Grant.addToPrincipal({ grantee: h.deadlineCheck, actions: ['dynamodb:Query'], resourceArns: [`${ledger.table.tableArn}/index/${OPEN_REQUESTS_INDEX}`] });
  r.eventBus.grantPutEventsTo(h.deadlineCheck);
  // ... and reads a request's status, recording time and execution counter, never another attribute
  // (no identifier), to restart a request whose execution never started
  iam.Grant.addToPrincipal({
    grantee: h.deadlineCheck,
    actions: ['dynamodb:GetItem'],
    resourceArns: [ledger.table.tableArn],
    conditions: {
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...RESTART_ATTRIBUTES] },
      'StringEqualsIfExists': { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      'Null': { 'dynamodb:Attributes': 'false' },
    },
  });
  // ... and drains pending completion events: reads and clears a request's outbox, no other attribute
  iam.Grant.addToPrincipal({
    grantee: h.deadlineCheck,
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    resourceArns: [ledger.table.tableArn],
    conditions: {
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...OUTBOX_ATTRIBUTES] },
      'StringEqualsIfExists': { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': 'NONE' },
      'Null': { 'dynamodb:Attributes': 'false' },
    },
  });
  // Replay: the tombstones index, the tombstones' flags and its own saved progress only; StoreStep does the deleting
  iam.Grant.addToPrincipal({ grantee: h.replay, actions: ['dynamodb:Query'], resourceArns: [`${ledger.table.tableArn}/index/${TOMBSTONES_INDEX}`] });
  iam.Grant.addToPrincipal({
    grantee: h.replay,
    actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    resourceArns: [ledger.table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REPLAY#*', 'TOMBSTONE#*'] }, 'Null': { 'dynamodb:LeadingKeys': 'false' } },
  });
  r.eventBus.grantPutEventsTo(h.replay);
}

function grantLedger(ledger: PrivacyTable, grantee: iam.IGrantable, actions: string[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [ledger.table.tableArn] });
}
