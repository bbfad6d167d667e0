import { Duration, ResourceEnvironment, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeHandler, acknowledgePolicy, iam5, INLINE_REASON, XRAY_REASON } from './acknowledgements';
import { createHandler, HandlerContext, HandlerSpec, Invocation } from './handlers';
import { networkInterfacesArn } from './network';
import { PrivacyClassification } from '../../classification/privacy-classification';
import { DataClassification } from '../../classification/privacy-tag-keys';
import { acknowledgeAll, HIPAA_NIST_PACKS, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../../private/acknowledgements';
import { CFN_GUARD_PLUGIN, expectExemption } from '../../private/expected-exemptions';
import { flattenForNag } from '../../private/nag-ids';
import { PropsValidator } from '../../private/validation';
import { IPersonalDataStore } from '../../storage/personal-data-store';
import { PrivacyRecipient, RecipientNotificationKind } from '../../storage/privacy-recipient';
import { PrivacyTable } from '../../storage/privacy-table';
import { AcknowledgementsFunction } from '../handlers/acknowledgements-function';
import { RecipientsFunction } from '../handlers/recipients-function';
import { EVENT_SOURCE } from '../handlers/shared/config';
import { ACK_QUEUES_ENV, CONTEXT_RECIPIENT, CONTEXT_REQUEST, NOTICE_DETAIL_TYPE, RecipientConfig, RECIPIENTS_ENV, WAITING_PK } from '../handlers/shared/recipients-contract';

/** At most this many recipients per workflow (their configuration travels in the functions' 4 KB environment). */
export const MAX_RECIPIENTS = 10;

/**
 * The problems of `recipients` for a workflow over `stores`: each must declare the role it
 * acknowledges with, receive data from one of the stores, and be reachable: an API destination only
 * by rules of its own account and region, an SQS queue only in the workflow's region and not
 * encrypted with the AWS managed key (EventBridge cannot use it), the identifier key in the
 * workflow's region.
 */
export function checkRecipients(v: PropsValidator, workflow: Construct, recipients: PrivacyRecipient[], stores: IPersonalDataStore[]): void {
  v.check(recipients.length > MAX_RECIPIENTS, 'DsrWorkflowRecipientsTooMany',
    `recipients has ${recipients.length} recipients; give at most ${MAX_RECIPIENTS} per workflow (their configuration travels in the handlers' 4 KB environment), or split the stores over several workflows.`);
  v.check(new Set(recipients).size !== recipients.length, 'DsrWorkflowRecipientRepeated',
    'recipients names a recipient more than once; list each PrivacyRecipient once, as each gets one notice per request.');
  const stack = Stack.of(workflow);
  for (const r of recipients) {
    v.check(r.acknowledgingRole === undefined, 'DsrWorkflowRecipientWithoutAcknowledgingRole',
      `recipients: ${r.node.path} has no acknowledgingRole; declare the role the recipient acknowledges notices with, as the request completes only once each recipient acknowledged and only that role may acknowledge for it.`);
    v.check(stores.length > 0 && !stores.some((s) => r.receivesFrom(s)), 'DsrWorkflowRecipientReceivesFromNoStore',
      `recipients: ${r.node.path} receives data from none of the workflow's stores (by its stores or categories); give it to the workflow that serves its stores, or declare its stores.`);
    const n = r.notification;
    const target = envOfArn(n.targetArn, n.apiDestination ?? n.queue ?? n.eventBus);
    if (n.kind === RecipientNotificationKind.API_DESTINATION) {
      v.check(differs(target.region, stack.region) || differs(target.account, stack.account), 'DsrWorkflowRecipientUnreachable',
        `recipients: ${r.node.path} notifies API destination ${n.targetArn} in ${target.account}/${target.region}, but a rule can only target an API destination of its own account and region (${stack.account}/${stack.region}); create the destination there, or notify through the recipient's event bus.`);
    } else if (n.kind === RecipientNotificationKind.QUEUE) {
      v.check(differs(target.region, stack.region), 'DsrWorkflowRecipientUnreachable',
        `recipients: ${r.node.path} notifies queue ${n.targetArn} in region ${target.region}, but EventBridge delivers to SQS queues of its own region (${stack.region}) only; use a queue there, or the recipient's event bus.`);
      v.check(n.queue?.encryptionType === sqs.QueueEncryption.KMS_MANAGED, 'DsrWorkflowRecipientUnreachable',
        `recipients: ${r.node.path} notifies queue ${n.queue?.node.path} encrypted with the AWS managed key alias/aws/sqs, which EventBridge cannot use; encrypt it with SQS managed keys or a customer managed key whose policy lets events.amazonaws.com use it.`);
    }
    if (r.identifierKey) {
      const key = envOfArn(r.identifierKey.keyArn, r.identifierKey);
      v.check(differs(key.region, stack.region), 'DsrWorkflowIdentifierKeyUnreachable',
        `recipients: ${r.node.path} has identifierKey in region ${key.region}, but the workflow encrypts identifiers in ${stack.region}; use a key (or a multi-Region replica) in ${stack.region}.`);
    }
  }
}

function differs(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
}

/** The account and region of an ARN, or of the resource when the ARN is a token. */
function envOfArn(arn: string, resource?: { readonly env: ResourceEnvironment }): { account?: string; region?: string } {
  if (!Token.isUnresolved(arn)) {
    const parts = arn.split(':');
    return { region: parts[3] || undefined, account: parts[4] || undefined };
  }
  return { account: resource?.env.account, region: resource?.env.region };
}

/** What the workflow's recipients add to it. */
export interface WorkflowRecipients {
  /** Sends the notices (the request state machine's notice loops) and settles the request. */
  readonly recipientsFunction: lambda.Function;
  /** Records acknowledgements from the queues. */
  readonly acknowledgementsFunction: lambda.Function;
  /** One queue per recipient (by recipient id): only its acknowledgingRole may send to it. */
  readonly acknowledgementQueues: Record<string, sqs.Queue>;
  /** Acknowledgements that could not be processed after 5 receives. */
  readonly deadLetterQueue: sqs.Queue;
  /** The longest acknowledgement timeout. */
  readonly longestWait: Duration;
  /** The rules that route each recipient's notices. */
  readonly noticeRules: events.Rule[];
  /** The audit records bucket's ARN (for the acknowledgements of its grant). */
  readonly auditRecordsArn?: string;
}

export interface RecipientResources {
  readonly recipients: PrivacyRecipient[];
  readonly eventBus: events.IEventBus;
  readonly ledger: PrivacyTable;
  readonly finalize: lambda.Function;
  readonly deadlineCheck: lambda.Function;
}

/**
 * The recipients' resources in `scope` (the workflow): the Recipients and Acknowledgements
 * functions, a rule per recipient on the workflow's bus that routes its notices (and only its) to
 * its notification target, with a dead-letter queue, and an acknowledgement queue per recipient.
 * Undefined without recipients (the workflow is then unchanged).
 */
export function createRecipients(scope: Construct, ctx: HandlerContext, r: RecipientResources): WorkflowRecipients | undefined {
  if (r.recipients.length === 0) return undefined;
  const fn = (spec: Omit<HandlerSpec, 'ctor'> & { ctor: unknown }) => createHandler(scope, ctx, spec as HandlerSpec);
  const recipientsFunction = fn({
    ctor: RecipientsFunction, id: 'Recipients', description: 'cdk-ccpa DsrWorkflow: notify each recipient of a deletion, correction or opt-out, and complete the request once all acknowledged', timeout: Duration.minutes(1),
  });
  const acknowledgementsFunction = fn({
    ctor: AcknowledgementsFunction, id: 'Acknowledgements', description: 'cdk-ccpa DsrWorkflow: record recipients\' acknowledgements from their queues', timeout: Duration.minutes(1),
  });
  // the queues hold acknowledgements only (request id, recipient id, outcome: no personal
  // information), sent from the recipients' accounts: SSE-SQS, which needs no grant on a key of ours
  const deadLetterQueue = new sqs.Queue(scope, 'AcknowledgementDeadLetters', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // a dead-letter queue (of the acknowledgement queues, which name it; naming them here would be a cycle)
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
  });
  PrivacyClassification.apply(deadLetterQueue, { classification: DataClassification.NON_PERSONAL });
  const acknowledgementQueues: Record<string, sqs.Queue> = {};
  const full: RecipientConfig[] = [];
  const noticeRules: events.Rule[] = [];
  for (const recipient of r.recipients) {
    const id = recipient.recipientId;
    const queue = new sqs.Queue(scope, `Acknowledgements${id}`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
    });
    const role = recipient.acknowledgingRole!;
    // the recipient's role may send acknowledgements; no other principal, of any account, may
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'RecipientAcknowledges',
      principals: [new iam.ArnPrincipal(role.roleArn)],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
    }));
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyAcknowledgementsFromOthers',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
    }));
    acknowledgementsFunction.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
    PrivacyClassification.apply(queue, { classification: DataClassification.NON_PERSONAL });
    acknowledgementQueues[id] = queue;

    noticeRules.push(new events.Rule(scope, `Notices${id}`, {
      eventBus: r.eventBus,
      description: `cdk-ccpa DsrWorkflow: notices to ${recipient.node.path}`,
      eventPattern: { source: [EVENT_SOURCE], detailType: [NOTICE_DETAIL_TYPE], detail: { recipientId: [id] } },
      targets: [noticeTarget(recipient)],
    }));
    full.push({
      id,
      role: recipient.role,
      timeoutSeconds: recipient.acknowledgementTimeout.toSeconds(),
      name: recipient.recipientName,
      contract: recipient.contractReference,
      categories: recipient.categories.map((c) => c.key),
      ...(recipient.identifierKey ? { keyArn: recipient.identifierKey.keyArn } : {}),
      ackQueueUrl: queue.queueUrl,
    });
    if (recipient.identifierKey) {
      // the identifier is encrypted for this recipient only, with the request and the recipient as context
      iam.Grant.addToPrincipal({
        grantee: recipientsFunction,
        actions: ['kms:Encrypt'],
        resourceArns: [recipient.identifierKey.keyArn],
        conditions: {
          'StringEquals': { [`kms:EncryptionContext:${CONTEXT_RECIPIENT}`]: id },
          'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [CONTEXT_REQUEST, CONTEXT_RECIPIENT] },
          'Null': { [`kms:EncryptionContext:${CONTEXT_REQUEST}`]: 'false' },
        },
      });
    }
  }
  const stack = Stack.of(scope);
  const compact = full.map((c) => ({ id: c.id, role: c.role, timeoutSeconds: c.timeoutSeconds }));
  recipientsFunction.addEnvironment(RECIPIENTS_ENV, stack.toJsonString(full));
  r.finalize.addEnvironment(RECIPIENTS_ENV, JSON.stringify(compact));
  r.deadlineCheck.addEnvironment(RECIPIENTS_ENV, JSON.stringify(compact));
  acknowledgementsFunction.addEnvironment(ACK_QUEUES_ENV, stack.toJsonString(
    Object.fromEntries(Object.entries(acknowledgementQueues).map(([id, q]) => [q.queueArn, id])),
  ));

  const ledger = r.ledger.table.tableArn;
  // Recipients: read the request (the identifier, to encrypt it for a recipient that needs it),
  // record each attempt, complete the request (and clear the waiting item), publish notices and the completion event
  iam.Grant.addToPrincipal({ grantee: recipientsFunction, actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resourceArns: [ledger] });
  r.eventBus.grantPutEventsTo(recipientsFunction);
  // Acknowledgements: the same, without the identifier (it reads a projection) and without notices
  iam.Grant.addToPrincipal({ grantee: acknowledgementsFunction, actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resourceArns: [ledger] });
  r.eventBus.grantPutEventsTo(acknowledgementsFunction);
  // the deadline check reads the waiting items only (no identifier there)
  iam.Grant.addToPrincipal({
    grantee: r.deadlineCheck,
    actions: ['dynamodb:Query'],
    resourceArns: [ledger],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [WAITING_PK] }, 'Null': { 'dynamodb:LeadingKeys': 'false' } },
  });
  const longestWait = Duration.seconds(Math.max(...r.recipients.map((x) => x.acknowledgementTimeout.toSeconds())));
  return {
    recipientsFunction,
    acknowledgementsFunction,
    acknowledgementQueues,
    deadLetterQueue,
    longestWait,
    noticeRules,
    auditRecordsArn: ctx.auditBucket.bucket.bucketArn,
  };
}

/**
 * The rule target of a recipient's notices. EventBridge retries a delivery for 24 hours; a notice it
 * drops is sent again by the notice loop (no dead-letter queue: it would copy notices, pseudonyms
 * and encrypted identifiers, into one more store, and the loop already re-sends until acknowledged).
 */
function noticeTarget(recipient: PrivacyRecipient): events.IRuleTarget {
  const n = recipient.notification;
  const common = { retryAttempts: 185, maxEventAge: Duration.hours(24) };
  switch (n.kind) {
    case RecipientNotificationKind.EVENT_BUS: return new targets.EventBus(n.eventBus!);
    case RecipientNotificationKind.QUEUE: return new targets.SqsQueue(n.queue!, common);
    default: return new targets.ApiDestination(n.apiDestination!, common);
  }
}

/** The findings the recipient functions answer by design, on their own L1s with the reason. */
export function acknowledgeRecipientFunctions(r: WorkflowRecipients, stateMachineRole: iam.IRole, inVpc: boolean): void {
  acknowledgeHandler(r.recipientsFunction, Invocation.STATE_MACHINE, inVpc);
  const stack = Stack.of(r.recipientsFunction);
  const name = (v: string) => flattenForNag(stack.resolve(v));
  const auditRecords = r.auditRecordsArn ? [iam5(`${name(r.auditRecordsArn)}/records/*`)] : [];
  for (const f of [r.recipientsFunction, r.acknowledgementsFunction]) {
    acknowledgePolicy(f.role!, (policy) => {
      acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'), INLINE_REASON);
      acknowledgeAll(policy, [iam5('*')], inVpc
        ? `${XRAY_REASON} In the network, so do ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets, which Lambda needs to attach the function.`
        : XRAY_REASON);
      if (inVpc) {
        acknowledgeAll(policy, [iam5(networkInterfacesArn(stack))], 'Lambda creates and deletes the function\'s network interfaces and names no interface id in advance; creating one is allowed only in the network\'s isolated subnets with its handler security group (same statement), and these are the actions of AWSLambdaVPCAccessExecutionRole, inline and scoped.');
      }
      acknowledgeAll(policy, auditRecords,
        'Each audit record is a new object under records/<request>/<time>#<random id>: s3:PutObject only, which the bucket policy allows only with If-None-Match: * (no overwrite); no read, no delete.');
    });
  }
  acknowledgePolicy(stateMachineRole, (policy) => acknowledgeAll(policy, [iam5(`${name(r.recipientsFunction.functionArn)}:*`)],
    'lambda:InvokeFunction on the versions and aliases of the workflow\'s own function (CDK grants the function ARN and its qualifiers).'));
  for (const rule of r.noticeRules) {
    const role = rule.node.tryFindChild('EventsRole') as iam.IRole | undefined;
    if (role) {
      acknowledgePolicy(role, (policy) => acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'),
        'The role EventBridge assumes to deliver one recipient\'s notices to its event bus: events:PutEvents on that bus only, created and deleted with the rule; as a customer managed policy it could be attached elsewhere.'));
    }
  }
  acknowledgeAll(r.acknowledgementsFunction.node.defaultChild!, ['CCPA-LambdaDsrFailureDestination'],
    'It is invoked by SQS event source mappings only: a message it cannot process stays on the recipient\'s acknowledgement queue, is retried, and after 5 receives moves to the workflow\'s acknowledgement dead-letter queue; the request it concerns stays AWAITING_RECIPIENTS, which the deadline check escalates.');
  const cfn = r.acknowledgementsFunction.node.defaultChild!;
  const invokedBy = 'It is invoked by SQS event source mappings on the recipients\' acknowledgement queues only, which retry a message it reports as failed and then move it to the workflow\'s recipient dead-letter queue';
  acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaDLQ'), `${invokedBy}; a function dead-letter queue only serves asynchronous invocations.`);
  acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaConcurrency'),
    `${invokedBy}; the queues hold acknowledgements until the function takes them, so reserving concurrency would only take it from the account's unreserved pool.`);
  if (!inVpc) {
    acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'LambdaInsideVPC'),
      'The function calls only AWS APIs (DynamoDB, S3, EventBridge) over TLS with IAM-authenticated credentials; it has no network-facing endpoint and reaches no VPC resource. Attach it to a VPC with endpoints (the network prop) if your network policy requires it.');
    for (const f of [r.recipientsFunction, r.acknowledgementsFunction]) {
      expectExemption(f, CFN_GUARD_PLUGIN, 'lambda_inside_vpc_check',
        'The function calls only AWS APIs (DynamoDB, S3, KMS, EventBridge) over TLS with IAM-authenticated credentials; it has no network-facing endpoint and reaches no VPC resource (Control Tower CT.LAMBDA.PR.3 applies to functions that reach VPC resources).');
    }
  }
}
