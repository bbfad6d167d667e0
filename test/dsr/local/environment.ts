import './polyfills';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eventbridge from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as cdkS3 from 'aws-cdk-lib/aws-s3';
import { definitionFromTemplate } from './asl';
import {
  ExecutionStatus, FaultProxy, Local, s3Operation, StartExecutionCall, startAwsJsonStandIn, startDynalite, startS3rver, startStepFunctionsStandIn,
  StepFunctionsStandIn,
} from './stand-ins';
import {
  DataCategory, DataClassification, DataPurpose, DsrWorkflow, ExistingPersonalDataBucket, ExistingPersonalDataTable, IPersonalDataStore,
  PersonalDataBucket, PrivacyKey, PrivacyRecipient, PrivacyTable, RecipientNotification, RecipientRole, TenancyModel,
} from '../../../lib';
import { handler as acknowledgements } from '../../../lib/dsr/handlers/acknowledgements.lambda';
import { handler as deadlineCheck } from '../../../lib/dsr/handlers/deadline-check.lambda';
import { handler as finalize } from '../../../lib/dsr/handlers/finalize.lambda';
import { handler as intake } from '../../../lib/dsr/handlers/intake.lambda';
import { handler as recipientsHandler } from '../../../lib/dsr/handlers/recipients.lambda';
import { handler as replay } from '../../../lib/dsr/handlers/replay.lambda';
import { handler as requests, RequestsEvent, RequestStatus } from '../../../lib/dsr/handlers/requests.lambda';
import { DsrRequestInput, StoreConfig } from '../../../lib/dsr/handlers/shared/model';
import { handler as storeStep } from '../../../lib/dsr/handlers/store-step.lambda';

// aws-local-stepfunctions is an ES module package with a CommonJS build ("require" export), which
// jest loads; its typings are ESM-only, so TypeScript (CommonJS output) takes the types alone from them
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' } });

/** The app under test: a pooled PrivacyTable and a pooled PersonalDataBucket served by a DsrWorkflow. */
export interface Synthesized {
  readonly template: Record<string, any>;
  readonly definition: Record<string, unknown>;
  readonly replayDefinition: Record<string, unknown>;
  readonly config: Record<string, any>;
  /** The Requests function's own environment variables (DSR_STATE_MACHINE_ARN, DSR_HOLIDAYS), resolved. */
  readonly requestsEnvironment: Record<string, string>;
  /** The ARN of the request state machine, from its StateMachineName. */
  readonly stateMachineArn: string;
  /** With `recipients`: the Recipients function's DSR_RECIPIENTS and the Acknowledgements function's DSR_ACK_QUEUES, resolved. */
  readonly recipientsEnvironment: Record<string, string>;
}

/** The identifier key of the `Ads` recipient (a key of the recipient's, imported). */
export const ADS_KEY_ARN = 'arn:aws:kms:us-east-1:666666666666:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The stack's environment (the placeholders asl.ts resolves the definitions with, too). */
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

/**
 * `kycTenant`: the SaaS layout, a sensitive silo bucket `Kyc` of that one tenant (subject prefix
 * `subjects/{subject}/`, no tenant in its keys) next to the pooled stores.
 */
export function synthesize(opts: { holidays?: string[]; kycTenant?: string; existingStores?: boolean; recipients?: boolean } = {}): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'Local', { env: { account: ACCOUNT, region: REGION } });
  const { customers, documents } = opts.existingStores ? existingStores(stack) : {
    customers: new PrivacyTable(stack, 'Customers', { tenancy: TenancyModel.POOLED }),
    documents: new PersonalDataBucket(stack, 'Documents', { tenancy: TenancyModel.POOLED }),
  };
  const kyc = opts.kycTenant === undefined ? [] : [new PersonalDataBucket(stack, 'Kyc', {
    classification: DataClassification.SENSITIVE,
    encryptionKey: new PrivacyKey(stack, 'KycKey', { classification: DataClassification.SENSITIVE }),
    siloTenant: opts.kycTenant,
  })];
  // `recipients`: a service provider (notified on its bus) and a third party that needs the raw
  // identifier (encrypted under its key), each acknowledging with its own role, 2 hours to acknowledge
  const recipients = opts.recipients ? [
    new PrivacyRecipient(stack, 'Mail', {
      name: 'Mail Inc.',
      role: RecipientRole.SERVICE_PROVIDER,
      contractReference: 'DPA-1',
      categories: [DataCategory.CONTACT],
      purposes: [DataPurpose.PROVIDE_SERVICE],
      stores: [customers],
      notification: RecipientNotification.toEventBus(eventbridge.EventBus.fromEventBusArn(stack, 'MailBus', 'arn:aws:events:us-east-1:444444444444:event-bus/notices')),
      acknowledgingRole: iam.Role.fromRoleArn(stack, 'MailAck', 'arn:aws:iam::444444444444:role/mail-acknowledger', { mutable: false }),
      acknowledgementTimeout: Duration.hours(2),
    }),
    new PrivacyRecipient(stack, 'Ads', {
      name: 'Ads LLC',
      role: RecipientRole.THIRD_PARTY,
      contractReference: 'C-2',
      categories: [DataCategory.CONTACT],
      purposes: [DataPurpose.ADVERTISING],
      stores: [customers, documents],
      needsRawIdentifier: true,
      identifierKey: kms.Key.fromKeyArn(stack, 'AdsKey', ADS_KEY_ARN),
      notification: RecipientNotification.toEventBus(eventbridge.EventBus.fromEventBusArn(stack, 'AdsBus', 'arn:aws:events:us-east-1:666666666666:event-bus/notices')),
      acknowledgingRole: iam.Role.fromRoleArn(stack, 'AdsAck', 'arn:aws:iam::666666666666:role/ads-acknowledger', { mutable: false }),
      acknowledgementTimeout: Duration.hours(2),
    }),
  ] : [];
  new DsrWorkflow(stack, 'Dsr', {
    stores: [customers, documents, ...kyc], ...(opts.holidays ? { holidays: opts.holidays } : {}), ...(opts.recipients ? { recipients } : {}),
  });
  const template = Template.fromStack(stack).toJSON();
  return {
    template,
    definition: definitionFromTemplate(template as any),
    replayDefinition: definitionFromTemplate(template as any, 'replay'),
    config: configFromTemplate(template),
    requestsEnvironment: requestsEnvironmentFromTemplate(template),
    stateMachineArn: stateMachineArnFromTemplate(template),
    recipientsEnvironment: recipientsEnvironmentFromTemplate(template),
  };
}

/** The names of the existing stores of `existingStores` (the harness creates them, as a team did before adopting cdk-ccpa). */
export const EXISTING_TABLE = 'legacy-customers';
export const EXISTING_BUCKET = 'legacy-documents';

/**
 * `existingStores`: the same layout, as a table and a bucket this library did not create,
 * imported by name and registered as ExistingPersonalDataTable / ExistingPersonalDataBucket
 * under an imported key (construct ids Customers and Documents, so the store names stay).
 */
function existingStores(stack: Stack): { customers: IPersonalDataStore; documents: IPersonalDataStore } {
  const key = kms.Key.fromKeyArn(stack, 'LegacyKey', `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`);
  return {
    customers: new ExistingPersonalDataTable(stack, 'Customers', {
      table: dynamodb.Table.fromTableName(stack, 'LegacyTable', EXISTING_TABLE),
      encryptionKey: key,
      partitionKeyName: 'pk',
      sortKeyName: 'sk',
      tenancy: TenancyModel.POOLED,
    }),
    documents: new ExistingPersonalDataBucket(stack, 'Documents', {
      bucket: cdkS3.Bucket.fromBucketName(stack, 'LegacyBucket', EXISTING_BUCKET),
      encryptionKey: key,
      tenancy: TenancyModel.POOLED,
    }),
  };
}

/** DSR_RECIPIENTS of the Recipients function and DSR_ACK_QUEUES of the Acknowledgements function, resolved (queue URLs and ARNs as local names). */
export function recipientsEnvironmentFromTemplate(template: Record<string, any>): Record<string, string> {
  const resolve = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return v['Fn::Join'][1].map(resolve).join(v['Fn::Join'][0]);
    if (v.Ref) return `https://sqs.local/${localName(v.Ref)}`;
    if (v['Fn::GetAtt']) return `arn:aws:local:${v['Fn::GetAtt'][0]}`;
    throw new Error(`unsupported ${JSON.stringify(v)}`);
  };
  const out: Record<string, string> = {};
  for (const r of Object.values<any>(template.Resources)) {
    const vars = r.Type === 'AWS::Lambda::Function' ? r.Properties.Environment?.Variables ?? {} : {};
    if (vars.DSR_ACK_QUEUES) out.DSR_ACK_QUEUES = resolve(vars.DSR_ACK_QUEUES);
    if (vars.DSR_RECIPIENTS && typeof vars.DSR_RECIPIENTS !== 'string') out.DSR_RECIPIENTS = resolve(vars.DSR_RECIPIENTS);
  }
  return out;
}

/** The DSR_CONFIG the construct gives the functions, Refs resolved to local resource names. */
export function configFromTemplate(template: Record<string, any>): Record<string, any> {
  const fn = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.DSR_CONFIG);
  const resolve = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return v['Fn::Join'][1].map(resolve).join(v['Fn::Join'][0]);
    if (v.Ref) return localName(v.Ref);
    if (v['Fn::GetAtt']) return `arn:aws:local:${v['Fn::GetAtt'][0]}`;
    throw new Error(`unsupported ${JSON.stringify(v)}`);
  };
  return JSON.parse(resolve(fn.Properties.Environment.Variables.DSR_CONFIG));
}

/**
 * The variables the construct sets on the Requests function only (the function whose environment
 * has DSR_STATE_MACHINE_ARN), pseudo parameters resolved to the stack's environment. DSR_CONFIG and
 * POWERTOOLS_SERVICE_NAME, which every function has, are left to applyEnv.
 */
export function requestsEnvironmentFromTemplate(template: Record<string, any>): Record<string, string> {
  // the Requests function (the deadline check has the state machine's ARN too, to restart requests)
  const fns = Object.entries<any>(template.Resources)
    .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.DSR_STATE_MACHINE_ARN && /Requests/.test(id))
    .map(([, r]) => r);
  if (fns.length !== 1) throw new Error(`expected one function with DSR_STATE_MACHINE_ARN, found ${fns.length}`);
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
  const resolve = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return v['Fn::Join'][1].map(resolve).join(v['Fn::Join'][0]);
    if (v.Ref && pseudo[v.Ref]) return pseudo[v.Ref];
    if (v.Ref) return localName(v.Ref); // a table of the workflow (DSR_CONSENT_TABLE)
    throw new Error(`unsupported in the Requests function's environment: ${JSON.stringify(v)}`);
  };
  const { DSR_CONFIG: _config, POWERTOOLS_SERVICE_NAME: _service, ...own } = fns[0].Properties.Environment.Variables;
  return Object.fromEntries(Object.entries(own).map(([k, v]) => [k, resolve(v)]));
}

/** `arn:aws:states:<region>:<account>:stateMachine:<StateMachineName>` of the request state machine (not the replay one). */
export function stateMachineArnFromTemplate(template: Record<string, any>): string {
  const machines = Object.entries<any>(template.Resources)
    .filter(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && !id.includes('ReplayStateMachine'));
  if (machines.length !== 1 || typeof machines[0][1].Properties.StateMachineName !== 'string') throw new Error('expected one named request state machine');
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${machines[0][1].Properties.StateMachineName}`;
}

/** A CloudFormation logical id as a local table/bucket name (S3 names are lowercase). */
export function localName(logicalId: string): string {
  return `l-${logicalId.toLowerCase()}`.slice(0, 63);
}

/** The end of a local execution. */
export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** The execution input the state machine ran with. */
  readonly input: unknown;
  readonly output?: any;
  readonly error?: string;
  readonly events: any[];
}

/** A SUBMIT to the Requests function, and what it asked Step Functions for. */
export interface Submission {
  /** The Requests function's answer. */
  readonly result: RequestStatus;
  /** The StartExecution requests it made (the stand-in's records), in order. */
  readonly calls: StartExecutionCall[];
  /** The call that started a new execution, if one did. */
  readonly started?: StartExecutionCall;
}

/**
 * `env.run(request)`: the SUBMIT, and the execution it started, run locally and closed. NOT_STARTED:
 * the SUBMIT started no new execution (the request is completed, or its execution is running).
 */
export type Run = Submission & {
  readonly status: Execution['status'] | 'NOT_STARTED';
  readonly input?: unknown;
  readonly output?: any;
  readonly error?: string;
  readonly events: any[];
};

/** The names of the Wait states of a definition, nested ones (Map item processors) included. */
function waitStates(definition: Record<string, unknown>): string[] {
  const names: string[] = [];
  const visit = (states: Record<string, any> | undefined) => {
    for (const [name, state] of Object.entries(states ?? {})) {
      if (state.Type === 'Wait') names.push(name);
      visit(state.ItemProcessor?.States ?? state.Iterator?.States);
      for (const branch of state.Branches ?? []) visit(branch.States);
    }
  };
  visit(definition.States as Record<string, any>);
  return names;
}

/** Subjects of the scenario: 3 subjects in 2 tenants; `alice` exists in both tenants. */
export const SUBJECTS = [
  { tenant: 'acme', subject: 'alice@example.com' },
  { tenant: 'acme', subject: 'bob@example.com' },
  { tenant: 'globex', subject: 'alice@example.com' },
] as const;

/** Everything a test needs: stand-ins, clients, the definition and the bound handlers. */
export class LocalDsr {
  public static async start(
    opts: {
      fillerItems?: number;
      itemsPerSubject?: number;
      objectsPerSubject?: number;
      holidays?: string[];
      kycTenant?: string;
      existingStores?: boolean;
      recipients?: boolean;
    } = {},
  ): Promise<LocalDsr> {
    const synthesized = synthesize({
      holidays: opts.holidays, kycTenant: opts.kycTenant, existingStores: opts.existingStores, recipients: opts.recipients,
    });
    const { definition, replayDefinition, config } = synthesized;
    const dynalite = await startDynalite();
    const ddbProxy = await new FaultProxy(dynalite.url).start();
    const buckets = config.stores.filter((s: StoreConfig) => s.kind === 's3-bucket').map((s: StoreConfig) => s.name).concat(config.exportBucket, config.auditBucket);
    const s3 = await startS3rver(buckets);
    const s3Proxy = await new FaultProxy(s3.url, s3Operation).start();
    const aws = await startAwsJsonStandIn();
    // only the request state machine exists: StartExecution of any other ARN is refused
    const sfn = await startStepFunctionsStandIn([synthesized.stateMachineArn]);
    const env = new LocalDsr(definition, config, dynalite, s3, aws, ddbProxy, s3Proxy, sfn);
    env.replayDefinition = replayDefinition;
    env.template = synthesized.template;
    env.requestsEnvironment = synthesized.requestsEnvironment;
    env.stateMachineArn = synthesized.stateMachineArn;
    env.recipientsEnvironment = synthesized.recipientsEnvironment;
    env.applyEnv();
    await env.createTables();
    await env.seed(opts.fillerItems ?? 10_000, opts.itemsPerSubject ?? 120, opts.objectsPerSubject ?? 15);
    return env;
  }

  public readonly ddb: DynamoDBClient;
  public readonly s3: S3Client;
  public logLines: string[] = [];
  /** The inputs of the executions replays asked to continue in (ContinueReplay), in order. */
  public replayContinuations: Array<Record<string, unknown>> = [];
  /** The tombstone replay state machine's definition. */
  public replayDefinition: Record<string, unknown> = {};
  /** The synthesized template. */
  public template: Record<string, any> = {};
  /** The Requests function's own variables, as synthesized (DSR_STATE_MACHINE_ARN, DSR_HOLIDAYS if any). */
  public requestsEnvironment: Record<string, string> = {};
  /** The request state machine's ARN (the one the Step Functions stand-in knows). */
  public stateMachineArn = '';
  /** With recipients: DSR_RECIPIENTS (the Recipients function's, a superset of Finalize's and the deadline check's) and DSR_ACK_QUEUES. */
  public recipientsEnvironment: Record<string, string> = {};
  /** The Requests function's variables this test overrides (undefined: unset); applyEnv() resets them. */
  private requestsOverrides: Record<string, string | undefined> = {};
  private capturing = false;
  /** How long the definition's Wait states (the settle waits of deletion verification) wait locally, in ms. */
  public waitMs = 0;
  /** Wraps each bound handler (fault injection: crash after the real handler ran, ...). */
  public wrap: (state: string, run: () => Promise<unknown>) => Promise<unknown> = (_s, run) => run();

  // the async factory start() reads first; the constructor only stores what it built
  // eslint-disable-next-line @typescript-eslint/member-ordering
  private constructor(
    public readonly definition: Record<string, unknown>,
    public readonly config: Record<string, any>,
    private readonly dynalite: Local,
    private readonly s3rver: Local,
    public readonly aws: Awaited<ReturnType<typeof startAwsJsonStandIn>>,
    public readonly ddbProxy: FaultProxy,
    public readonly s3Proxy: FaultProxy,
    /** Step Functions (StartExecution) stand-in: the executions the Requests function started. */
    public readonly sfn: StepFunctionsStandIn,
  ) {
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    this.ddb = new DynamoDBClient({ region: 'us-east-1', endpoint: dynalite.url, credentials });
    this.s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.url, forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
  }

  /** The tables, and `audit`: the audit records bucket (`scan(tables.audit)` reads its records). */
  public get tables(): { ledger: string; audit: string; customers: string; consent: string } {
    return {
      ledger: this.config.ledgerTable, audit: this.config.auditBucket, customers: this.store('dynamodb-table').name, consent: this.requestsEnvironment.DSR_CONSENT_TABLE,
    };
  }

  public store(kind: StoreConfig['kind']): StoreConfig {
    return this.config.stores.find((s: StoreConfig) => s.kind === kind);
  }

  /** After each test: no faults left in the proxies, the handlers unwrapped, the synthesized environment back. */
  public reset(): void {
    this.ddbProxy.reset();
    this.s3Proxy.reset();
    this.wrap = (_s, run) => run();
    this.applyEnv();
  }

  /**
   * The handlers' environment: the synthesized config (s3rver has no versioning), stand-in endpoints
   * through the proxies. `requestsVariables` override the Requests function's own variables
   * (e.g. DSR_HOLIDAYS, DSR_TENANT_CLAIM; undefined unsets one) until the next applyEnv().
   */
  public applyEnv(overrides: Record<string, unknown> = {}, requestsVariables: Record<string, string | undefined> = {}): void {
    this.requestsOverrides = requestsVariables;
    const config = {
      ...this.config,
      stores: this.config.stores.map((s: StoreConfig) => (s.kind === 's3-bucket' ? { ...s, versioned: false } : s)),
      ...overrides,
    };
    Object.assign(process.env, {
      DSR_CONFIG: JSON.stringify(config),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: this.ddbProxy.url,
      AWS_ENDPOINT_URL_S3: this.s3Proxy.url,
      AWS_ENDPOINT_URL_KMS: this.aws.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: this.aws.url,
      AWS_ENDPOINT_URL_SFN: this.sfn.url,
      DSR_SDK_MAX_ATTEMPTS: '3',
      POWERTOOLS_SERVICE_NAME: 'cdk-ccpa-dsr',
    });
    delete process.env.AWS_SESSION_TOKEN;
    for (const k of ['DSR_RECIPIENTS', 'DSR_ACK_QUEUES']) {
      if (this.recipientsEnvironment[k] === undefined) delete process.env[k];
      else process.env[k] = this.recipientsEnvironment[k];
    }
  }

  /**
   * Invoke the Requests function (the real handler) as Lambda would: with its own variables from
   * the template (DSR_STATE_MACHINE_ARN, DSR_HOLIDAYS) set for the invocation only, log lines captured.
   */
  public async requests(event: RequestsEvent | Record<string, unknown>): Promise<any> {
    const variables = { ...this.requestsEnvironment, ...this.requestsOverrides };
    const saved = Object.fromEntries(Object.keys(variables).map((k) => [k, process.env[k]]));
    const set = (vars: Record<string, string | undefined>) => {
      for (const [k, v] of Object.entries(vars)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
    set(variables);
    try {
      return await this.capture(() => requests(event as RequestsEvent));
    } finally {
      set(saved);
    }
  }

  /** SUBMIT a request to the Requests function; the StartExecution calls it made are returned with its answer. */
  public async submit(request: Partial<DsrRequestInput> | Record<string, unknown>): Promise<Submission> {
    const before = this.sfn.calls.length;
    const result = await this.requests({ action: 'SUBMIT', request: request as DsrRequestInput }) as RequestStatus;
    const calls = this.sfn.calls.slice(before);
    return { result, calls, started: calls.find((c) => c.outcome === 'STARTED') };
  }

  /**
   * Run an execution the Requests function started (by name): its recorded StartExecution input
   * goes through the synthesized definition, tasks bound to the real handlers; then the stand-in
   * closes the execution with the outcome, as Step Functions would.
   */
  public async runExecution(name: string, closeAs?: Exclude<ExecutionStatus, 'RUNNING' | 'SUCCEEDED' | 'FAILED'>): Promise<Execution> {
    const started = this.sfn.executions.get(name);
    if (!started || started.status !== 'RUNNING') throw new Error(`the stand-in has no RUNNING execution named ${name}`);
    const execution = await this.runDirect(JSON.parse(started.input));
    this.sfn.finish(name, closeAs ?? execution.status);
    return execution;
  }

  /**
   * The way in: SUBMIT the request (the Requests function records it and starts `<requestId>_r<n>`),
   * then run the execution it started (if it started one) locally and close it.
   */
  public async run(request: Partial<DsrRequestInput> | Record<string, unknown>): Promise<Run> {
    const submission = await this.submit(request);
    if (!submission.started) return { ...submission, status: 'NOT_STARTED', events: [] };
    return { ...submission, ...(await this.runExecution(submission.started.name)) };
  }

  /**
   * Run the synthesized definition on `input` directly, as a caller with StartExecution on the
   * state machine could, bypassing the Requests function (tasks bound to the real handlers).
   */
  public async runDirect(input: unknown): Promise<Execution> {
    return this.execute(this.definition, input, {
      Intake: intake,
      StoreStep: storeStep,
      RecordStoreFailure: storeStep,
      Finalize: finalize,
      RecordFailure: finalize,
      NotifyRecipient: recipientsHandler,
      SettleRecipients: recipientsHandler,
    });
  }

  /**
   * A recipient acknowledges: the Acknowledgements function gets an SQS event from the queue of
   * `queueOf` (the recipient whose role sent it; the queue policy admits no other), with `body`.
   */
  public async acknowledge(queueOf: string, body: Record<string, unknown> | string): Promise<Awaited<ReturnType<typeof acknowledgements>>> {
    const queues = JSON.parse(this.recipientsEnvironment.DSR_ACK_QUEUES ?? '{}') as Record<string, string>;
    const arn = Object.entries(queues).find(([, id]) => id === queueOf)?.[0];
    if (!arn) throw new Error(`no acknowledgement queue of ${queueOf}`);
    return this.capture(() => acknowledgements({
      Records: [{
        messageId: `m-${Math.random().toString(36).slice(2)}`,
        receiptHandle: 'r',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        attributes: {} as any,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: arn,
        awsRegion: 'us-east-1',
      }],
    }));
  }

  /** The recipients' ids, as the workflow configured them. */
  public recipientIds(): { mail: string; ads: string } {
    const all = JSON.parse(this.recipientsEnvironment.DSR_RECIPIENTS ?? '[]') as Array<{ id: string; role: string }>;
    return { mail: all.find((r) => r.role === 'service-provider')!.id, ads: all.find((r) => r.role === 'third-party')!.id };
  }

  /**
   * Run one execution of the synthesized tombstone replay definition, tasks bound to the real
   * handlers; its ContinueReplay (StartExecution of the replay state machine) is recorded in
   * `replayContinuations` (the input it would start a new execution with).
   */
  public async runReplay(input: Record<string, unknown>): Promise<Execution> {
    return this.execute(this.replayDefinition, input, {
      ReplayPage: replay,
      TombstoneReplayed: replay,
      RecordReplayFailure: replay,
      ReplayStoreStep: storeStep,
      RecordReplayStoreFailure: storeStep,
      ContinueReplay: async (i: { StateMachineArn: string; Input: Record<string, unknown> }) => {
        this.replayContinuations.push(i.Input);
        return { ExecutionArn: `${i.StateMachineArn.replace(':stateMachine:', ':execution:')}:continued-${this.replayContinuations.length}` };
      },
    });
  }

  /** Run a replay and every execution it continues in, as Step Functions would start them; `max` bounds the chain. */
  public async runReplayChain(input: Record<string, unknown>, max = 1_000): Promise<Execution[]> {
    const runs: Execution[] = [];
    let next: Record<string, unknown> | undefined = input;
    while (next !== undefined) {
      if (runs.length >= max) throw new Error(`the replay did not finish in ${max} executions`);
      const before = this.replayContinuations.length;
      runs.push(await this.runReplay(next));
      next = this.replayContinuations.length > before ? this.replayContinuations[this.replayContinuations.length - 1] : undefined;
    }
    return runs;
  }

  /** Invoke the deadline check as its schedule would, capturing its log lines. */
  public async checkDeadlines(): Promise<Awaited<ReturnType<typeof deadlineCheck>>> {
    // the deadline check's own variable: the request state machine it restarts never-started requests of
    const saved = process.env.DSR_STATE_MACHINE_ARN;
    process.env.DSR_STATE_MACHINE_ARN = this.requestsEnvironment.DSR_STATE_MACHINE_ARN;
    try {
      return await this.capture(() => deadlineCheck({ 'detail-type': 'Scheduled Event', 'source': 'aws.events' }));
    } finally {
      if (saved === undefined) delete process.env.DSR_STATE_MACHINE_ARN;
      else process.env.DSR_STATE_MACHINE_ARN = saved;
    }
  }

  /** Run `fn` with the handlers' log lines (stdout and stderr) captured into logLines (tests search them for identifiers), not echoed. */
  public async capture<T>(fn: () => Promise<T>): Promise<T> {
    if (this.capturing) return fn();
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const keep = ((chunk: any) => {
      this.logLines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    process.stdout.write = keep;
    process.stderr.write = keep;
    this.capturing = true;
    try {
      return await fn();
    } finally {
      this.capturing = false;
      process.stdout.write = out;
      process.stderr.write = err;
    }
  }

  private async execute(
    definition: Record<string, unknown>, input: unknown, handlers: Record<string, (i: any) => Promise<unknown>>,
  ): Promise<Execution> {
    const machine = new StateMachine(definition as any, { validationOptions: { checkArn: false } });
    const bind = (name: string, fn: (i: any) => Promise<unknown>) => async (i: any) => this.wrap(name, () => fn(i)) as Promise<any>;
    const execution = machine.run(input as any, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(Object.entries(handlers).map(([name, fn]) => [name, bind(name, fn)])),
        // the definition's backoff (2 s x 2, jitter) is pinned in the template tests; locally retry at once
        retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((name) => [name, 0])),
        waitTimeOverrides: Object.fromEntries(waitStates(definition).map((name) => [name, this.waitMs])),
      },
    });
    const events: any[] = [];
    return this.capture(async () => {
      try {
        const output = await execution.result;
        for await (const e of execution.eventLogs) events.push(e);
        return { status: 'SUCCEEDED' as const, input, output, events };
      } catch (e) {
        for await (const ev of execution.eventLogs) events.push(ev);
        return { status: 'FAILED' as const, input, error: (e as Error).name, events };
      }
    });
  }

  public async createTables(): Promise<void> {
    // the tables as synthesized: the ledger also has its sparse open-requests and tombstones indexes
    const ledger = this.ledgerIndexes();
    for (const name of [this.tables.ledger, this.tables.customers, this.tables.consent]) {
      await this.ddb.send(new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'subjectId', AttributeType: 'S' },
          ...(name === this.tables.ledger ? ['open', 'receivedAt', 'tombstone', 'deletedAt'].map((a) => ({ AttributeName: a, AttributeType: 'S' as const })) : []),
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: [
          { IndexName: 'subject-index', KeySchema: [{ AttributeName: 'subjectId', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
          ...(name === this.tables.ledger ? ledger : []),
        ],
      }));
    }
  }

  /** The ledger's open-requests and tombstones indexes, as the template declares them. */
  public ledgerIndexes(): any[] {
    const ledger = Object.values<any>(this.template.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table'
      && (r.Properties.GlobalSecondaryIndexes ?? []).some((i: any) => i.IndexName === 'open-requests'));
    return ledger.Properties.GlobalSecondaryIndexes
      .filter((i: any) => i.IndexName !== 'subject-index')
      .map((i: any) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }));
  }

  /** Put `perSubject` items and `objects` objects of one subject (again: a restore from backup brings them back like this). */
  public async seedSubject(tenant: string, subject: string, perSubject: number, objects: number): Promise<void> {
    const items: Array<Record<string, any>> = [];
    for (let i = 0; i < perSubject; i++) {
      items.push({
        pk: { S: `${tenant}#${subject}#${i}` },
        sk: { S: i === 0 ? 'PROFILE' : `EVENT#${i}` },
        subjectId: { S: `${tenant}#${subject}` },
        name: { S: `Name of ${subject}` },
        city: { S: 'Oakland' },
      });
    }
    for (let i = 0; i < items.length; i += 25) {
      const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      await this.ddb.send(new BatchWriteItemCommand({ RequestItems: { [this.tables.customers]: batch } }));
    }
    for (let i = 0; i < objects; i++) {
      const Key = `tenants/${tenant}/subjects/${subject}/doc-${i}.json`;
      await this.s3.send(new PutObjectCommand({ Bucket: this.store('s3-bucket').name, Key, Body: JSON.stringify({ note: `document ${Key}` }), ContentType: 'application/json' }));
    }
  }

  /** `fillerItems` items of 1,000 other subjects, plus `perSubject` items and objects of each scenario subject. */
  public async seed(fillerItems: number, perSubject: number, objectsPerSubject: number): Promise<void> {
    const items: Array<Record<string, any>> = [];
    for (let i = 0; i < fillerItems; i++) {
      const tenant = i % 2 ? 'acme' : 'globex';
      items.push({ pk: { S: `${tenant}#order-${i}` }, sk: { S: 'ORDER' }, subjectId: { S: `${tenant}#filler-${i % 1000}@example.com` }, total: { N: String(i) } });
    }
    for (const { tenant, subject } of SUBJECTS) {
      for (let i = 0; i < perSubject; i++) {
        items.push({ pk: { S: `${tenant}#${subject}#${i}` }, sk: { S: i === 0 ? 'PROFILE' : `EVENT#${i}` }, subjectId: { S: `${tenant}#${subject}` }, name: { S: `Name of ${subject}` }, city: { S: 'Oakland' } });
      }
    }
    for (let i = 0; i < items.length; i += 25) {
      const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      await this.ddb.send(new BatchWriteItemCommand({ RequestItems: { [this.tables.customers]: batch } }));
    }
    const bucket = this.store('s3-bucket').name;
    const put = (Key: string) => this.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: JSON.stringify({ note: `document ${Key}` }), ContentType: 'application/json' }));
    for (const { tenant, subject } of SUBJECTS) {
      for (let i = 0; i < objectsPerSubject; i++) await put(`tenants/${tenant}/subjects/${subject}/doc-${i}.json`);
    }
    for (let i = 0; i < 20; i++) await put(`tenants/acme/subjects/filler-${i}@example.com/doc.json`);
  }

  public async itemsOf(tenant: string, subject: string): Promise<number> {
    const out = await this.ddb.send(new QueryCommand({
      TableName: this.tables.customers,
      IndexName: 'subject-index',
      KeyConditionExpression: 'subjectId = :v',
      ExpressionAttributeValues: { ':v': { S: `${tenant}#${subject}` } },
      Select: 'COUNT',
    }));
    return out.Count ?? 0;
  }

  public async objectsOf(tenant: string, subject: string): Promise<number> {
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.store('s3-bucket').name, Prefix: `tenants/${tenant}/subjects/${subject}/` }));
    return out.KeyCount ?? 0;
  }

  /** Every item of a table; of `tables.audit`, every audit record (one JSON object each, in key order). */
  public async scan(table: string): Promise<Array<Record<string, any>>> {
    if (table === this.config.auditBucket) return this.auditRecords();
    const items: Array<Record<string, any>> = [];
    let start: any;
    do {
      const out = await this.ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []).map((i) => unmarshall(i)));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The audit records as the handlers wrote them: every object under `records/` of the audit bucket, parsed. */
  public async auditRecords(): Promise<Array<Record<string, any>>> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.config.auditBucket, Prefix: 'records/', ContinuationToken: token }));
      keys.push(...(out.Contents ?? []).map((o) => o.Key!));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    const records: Array<Record<string, any>> = [];
    for (let i = 0; i < keys.length; i += 20) {
      records.push(...await Promise.all(keys.slice(i, i + 20).map(async (Key) => {
        const got = await this.s3.send(new GetObjectCommand({ Bucket: this.config.auditBucket, Key }));
        return { ...JSON.parse(await got.Body!.transformToString()), key: Key };
      })));
    }
    return records;
  }

  public async close(): Promise<void> {
    this.ddb.destroy();
    this.s3.destroy();
    await Promise.all([this.ddbProxy.close(), this.s3Proxy.close(), this.aws.close(), this.sfn.close()]);
    await this.dynalite.close();
    await this.s3rver.close();
  }
}
