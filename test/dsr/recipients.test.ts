import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { auditedStack, ComplianceReport, expectCompliant, runComplianceKit } from '../kit/compliance';
import { validationProblemsOf } from '../kit/errors';
import { allowPolicy, arnPrincipal, IamSimulator, PolicyDocumentJson, templateRole } from '../kit/iam-sim';
import { definitionFromTemplate } from './local/asl';
import {
  DataCategory, DataPurpose, DsrWorkflow, PersonalDataBucket, PrivacyRecipient, PrivacyRecipientProps, PrivacyTable, RecipientNotification,
  RecipientRole,
} from '../../lib';

const ENV = { account: '111111111111', region: 'us-east-1' };
const MAIL_ROLE = 'arn:aws:iam::444444444444:role/mail-acknowledger';
const ADS_ROLE = 'arn:aws:iam::666666666666:role/ads-acknowledger';
const ADS_KEY = 'arn:aws:kms:us-east-1:666666666666:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function recipientProps(stack: Stack, id: string, overrides: Partial<PrivacyRecipientProps> = {}): PrivacyRecipientProps {
  return {
    name: `${id} Inc.`,
    role: RecipientRole.SERVICE_PROVIDER,
    contractReference: `DPA-${id}`,
    categories: [DataCategory.CONTACT],
    purposes: [DataPurpose.PROVIDE_SERVICE],
    notification: RecipientNotification.toEventBus(events.EventBus.fromEventBusArn(stack, `${id}Bus`, `arn:aws:events:us-east-1:444444444444:event-bus/${id}`)),
    acknowledgingRole: iam.Role.fromRoleArn(stack, `${id}AckRole`, `arn:aws:iam::444444444444:role/${id}-ack`, { mutable: false }),
    ...overrides,
  };
}

function scenario(stack: Stack) {
  const customers = new PrivacyTable(stack, 'Customers', { categories: [DataCategory.CONTACT] });
  const documents = new PersonalDataBucket(stack, 'Documents');
  const mail = new PrivacyRecipient(stack, 'Mail', recipientProps(stack, 'Mail', {
    stores: [customers],
    acknowledgingRole: iam.Role.fromRoleArn(stack, 'MailAck', MAIL_ROLE, { mutable: false }),
  }));
  const ads = new PrivacyRecipient(stack, 'Ads', recipientProps(stack, 'Ads', {
    role: RecipientRole.THIRD_PARTY,
    purposes: [DataPurpose.ADVERTISING],
    needsRawIdentifier: true,
    identifierKey: kms.Key.fromKeyArn(stack, 'AdsKey', ADS_KEY),
    notification: RecipientNotification.toEventBus(events.EventBus.fromEventBusArn(stack, 'AdsNotices', 'arn:aws:events:us-east-1:666666666666:event-bus/notices')),
    acknowledgingRole: iam.Role.fromRoleArn(stack, 'AdsAck', ADS_ROLE, { mutable: false }),
    acknowledgementTimeout: Duration.days(20),
  }));
  const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], recipients: [mail, ads] });
  return { customers, documents, mail, ads, dsr };
}

const logicalIdOf = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

describe('GIVEN a DsrWorkflow with a service provider and a third party that needs the identifier', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  const { mail, ads, dsr } = scenario(stack);
  const template = Template.fromStack(stack);
  const json = template.toJSON() as Record<string, any>;
  const sim = IamSimulator.fromStack(stack);
  const queuePolicyOf = (recipient: PrivacyRecipient): PolicyDocumentJson => {
    const queueId = logicalIdOf(stack, dsr.acknowledgementQueueOf(recipient) as sqs.Queue);
    const policy = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties.Queues).includes(queueId));
    return sim.resolve(policy.Properties.PolicyDocument) as PolicyDocumentJson;
  };
  const queueArnOf = (recipient: PrivacyRecipient) => sim.getAtt(logicalIdOf(stack, dsr.acknowledgementQueueOf(recipient) as sqs.Queue), 'Arn');

  test('THEN one rule per recipient routes only its own notices from the workflow\'s bus to its bus', () => {
    for (const [recipient, bus] of [[mail, 'arn:aws:events:us-east-1:444444444444:event-bus/Mail'], [ads, 'arn:aws:events:us-east-1:666666666666:event-bus/notices']] as const) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'source': ['cdk-ccpa.dsr'], 'detail-type': ['DSR Recipient Notice'], 'detail': { recipientId: [recipient.recipientId] } },
        Targets: [Match.objectLike({ Arn: bus })],
      });
    }
    expect(Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern?.['detail-type']?.[0] === 'DSR Recipient Notice')).toHaveLength(2);
  });

  test('THEN each recipient has its own acknowledgement queue (TLS only, SSE, a dead-letter queue) read by the Acknowledgements function with partial batch failures', () => {
    const queues = [mail, ads].map((r) => dsr.acknowledgementQueueOf(r) as sqs.Queue);
    expect(new Set(queues).size).toBe(2);
    for (const q of queues) {
      const props = json.Resources[logicalIdOf(stack, q)].Properties;
      expect(props).toMatchObject({ SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 5 } });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, q), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  test('THEN the state machine notifies after Finalize, waits between notices, settles, and may run for the longest acknowledgement timeout', () => {
    const asl = definitionFromTemplate(json as any) as { States: Record<string, any> };
    expect(asl.States.Finalize.Next).toBe('AwaitingRecipients?');
    const forEach = asl.States.ForEachRecipient;
    expect(forEach).toMatchObject({ Type: 'Map', ItemsPath: '$.recipients', ResultPath: null, Next: 'SettleRecipients' });
    expect(forEach.ItemProcessor.States.RecipientResendWait).toMatchObject({ Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'NotifyRecipient' });
    expect(forEach.ItemProcessor.States.NotifyRecipient.Retry[0].ErrorEquals).toContain('Lambda.TooManyRequestsException');
    expect(forEach.ItemProcessor.States.NotifyRecipient.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'] })]);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: Match.stringLikeRegexp('Requests$'),
      DefinitionString: Match.anyValue(),
    });
    const machine = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine' && /Requests$/.test(r.Properties.StateMachineName));
    expect(JSON.stringify(machine.Properties.DefinitionString)).toContain(`"TimeoutSeconds\\":${25 * 3600 + 20 * 86_400}`);
  });

  test('THEN Finalize and the deadline check know each recipient by id, role and timeout only; the Recipients function also gets its name, categories, key and queue', () => {
    const vars = (id: string) => json.Resources[stack.getLogicalId(dsr.node.findChild(id).node.defaultChild as any)].Properties.Environment.Variables;
    const compact = [
      { id: mail.recipientId, role: 'service-provider', timeoutSeconds: 864_000 },
      { id: ads.recipientId, role: 'third-party', timeoutSeconds: 1_728_000 },
    ];
    expect(JSON.parse(vars('Finalize').DSR_RECIPIENTS)).toEqual(compact);
    expect(JSON.parse(vars('DeadlineCheck').DSR_RECIPIENTS)).toEqual(compact);
    const full = JSON.stringify(vars('Recipients').DSR_RECIPIENTS);
    for (const s of ['Ads Inc.', 'DPA-Ads', 'user.contact', ADS_KEY]) expect(full).toContain(s);
    expect(vars('Requests').DSR_RECIPIENTS).toBeUndefined();
  });

  test('THEN only the recipient\'s own role may send to its acknowledgement queue: not the other recipient, not an administrator of the account', async () => {
    const mailRole = arnPrincipal(MAIL_ROLE, { identityPolicies: [allowPolicy('sqs:*')] });
    const adsRole = arnPrincipal(ADS_ROLE, { identityPolicies: [allowPolicy('sqs:*')] });
    const admin = arnPrincipal('arn:aws:iam::111111111111:role/Admin', { identityPolicies: [allowPolicy('*')] });
    const send = (principal: any, recipient: PrivacyRecipient) => ({ principal, action: 'sqs:SendMessage', resource: queueArnOf(recipient), resourcePolicy: queuePolicyOf(recipient) });
    await sim.expectDecision(send(mailRole, mail), 'Allowed');
    await sim.expectDecision(send(adsRole, ads), 'Allowed');
    await sim.expectDecision(send(mailRole, ads), 'ExplicitlyDenied');
    await sim.expectDecision(send(adsRole, mail), 'ExplicitlyDenied');
    await sim.expectDecision(send(admin, mail), 'ExplicitlyDenied');
    // and without TLS not even the recipient
    await sim.expectDecision({ ...send(mailRole, mail), context: { 'aws:SecureTransport': 'false' } }, 'ExplicitlyDenied');
  });

  test('THEN the Recipients function may encrypt for a recipient only under that recipient\'s context, with the request named', async () => {
    const role = templateRole(logicalIdOf(stack, dsr.recipientsFunction!.role as iam.Role));
    // the recipient's key policy lets the workflow's account use it (its IAM policies decide)
    const keyPolicy: PolicyDocumentJson = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ENV.account}:root` }, Action: 'kms:*', Resource: '*' }] } as any;
    const encrypt = (context: Record<string, string | string[]>) => ({ principal: role, action: 'kms:Encrypt', resource: ADS_KEY, resourcePolicy: keyPolicy, context });
    await sim.expectDecision(encrypt({ 'kms:EncryptionContext:recipient': ads.recipientId, 'kms:EncryptionContext:requestId': 'r-1', 'kms:EncryptionContextKeys': ['recipient', 'requestId'] }), 'Allowed');
    await sim.expectDecision(encrypt({ 'kms:EncryptionContext:recipient': mail.recipientId, 'kms:EncryptionContext:requestId': 'r-1', 'kms:EncryptionContextKeys': ['recipient', 'requestId'] }), 'ImplicitlyDenied');
    await sim.expectDecision(encrypt({ 'kms:EncryptionContext:recipient': ads.recipientId, 'kms:EncryptionContextKeys': ['recipient'] }), 'ImplicitlyDenied');
    await sim.expectDecision({ ...encrypt({ 'kms:EncryptionContext:recipient': ads.recipientId, 'kms:EncryptionContext:requestId': 'r-1', 'kms:EncryptionContextKeys': ['recipient', 'requestId'] }), action: 'kms:Decrypt' }, 'ImplicitlyDenied');
  });

  test('THEN the deadline check may query the waiting items only, and the Acknowledgements function reads and updates the ledger but never writes items or encrypts', async () => {
    const ledger = logicalIdOf(stack, dsr.ledgerTable.table);
    const check = templateRole(logicalIdOf(stack, dsr.deadlineCheckFunction.role as iam.Role));
    await sim.expectDecision({ principal: check, action: 'dynamodb:Query', resource: { logicalId: ledger }, context: { 'dynamodb:LeadingKeys': ['RECIPIENTS#WAITING'] } }, 'Allowed');
    await sim.expectDecision({ principal: check, action: 'dynamodb:Query', resource: { logicalId: ledger }, context: { 'dynamodb:LeadingKeys': ['REQUEST#r-1'] } }, 'ImplicitlyDenied');
    const acks = templateRole(logicalIdOf(stack, dsr.acknowledgementsFunction!.role as iam.Role));
    await sim.expectDecision({ principal: acks, action: 'dynamodb:UpdateItem', resource: { logicalId: ledger } }, 'Allowed');
    for (const action of ['dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:Query']) {
      await sim.expectDecision({ principal: acks, action, resource: { logicalId: ledger } }, 'ImplicitlyDenied');
    }
    await sim.expectDecision({ principal: acks, action: 'kms:Encrypt', resource: ADS_KEY, resourcePolicy: null }, 'ImplicitlyDenied');
  });
});

describe('GIVEN a DsrWorkflow without recipients', () => {
  test('THEN it has no recipient resources and its execution timeout stays 24 hours', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'T')] });
    const json = Template.fromStack(stack).toJSON() as Record<string, any>;
    expect(dsr.recipientsFunction).toBeUndefined();
    // (the one queue is the deadline schedule's dead-letter queue)
    const queues = Object.entries<any>(json.Resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue').map(([id]) => id);
    expect(queues).toEqual([expect.stringMatching(/^DsrDeadlineCheckScheduleDlq/)]);
    expect(Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r).includes('Recipient Notice'))).toEqual([]);
    expect(JSON.stringify(json)).toContain('"TimeoutSeconds\\":86400');
    expect(JSON.stringify(json)).not.toContain('DSR_RECIPIENTS');
  });
});

describe('GIVEN a recipient\'s decrypt grant', () => {
  test('THEN the recipient decrypts only ciphertexts made for it, with a request named, and nothing else', async () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const key = new kms.Key(stack, 'RecipientKey');
    const recipient = new PrivacyRecipient(stack, 'R', recipientProps(stack, 'R', { needsRawIdentifier: true, identifierKey: key }));
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    recipient.grantDecryptIdentifier(reader);
    const sim = IamSimulator.fromStack(stack);
    const decrypt = (context: Record<string, string | string[]>) => ({
      principal: templateRole(logicalIdOf(stack, reader)), action: 'kms:Decrypt', resource: { logicalId: logicalIdOf(stack, key) }, context,
    });
    await sim.expectDecision(decrypt({ 'kms:EncryptionContext:recipient': recipient.recipientId, 'kms:EncryptionContext:requestId': 'r-1', 'kms:EncryptionContextKeys': ['recipient', 'requestId'] }), 'Allowed');
    await sim.expectDecision(decrypt({ 'kms:EncryptionContext:recipient': 'SOtherRecipient', 'kms:EncryptionContext:requestId': 'r-1', 'kms:EncryptionContextKeys': ['recipient', 'requestId'] }), 'ImplicitlyDenied');
    await sim.expectDecision(decrypt({ 'kms:EncryptionContext:recipient': recipient.recipientId, 'kms:EncryptionContextKeys': ['recipient'] }), 'ImplicitlyDenied');
    await sim.expectDecision(decrypt({
      'kms:EncryptionContext:recipient': recipient.recipientId, 'kms:EncryptionContext:requestId': 'r-1', 'kms:EncryptionContext:extra': 'x', 'kms:EncryptionContextKeys': ['recipient', 'requestId', 'extra'],
    }), 'ImplicitlyDenied');
    await sim.expectDecision(decrypt({}), 'ImplicitlyDenied');
  });

  test('THEN a recipient without the identifier has no grant to give', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const recipient = new PrivacyRecipient(stack, 'R', recipientProps(stack, 'R'));
    expect(validationProblemsOf(() => recipient.grantDecryptIdentifier(new iam.Role(stack, 'X', { assumedBy: new iam.AccountRootPrincipal() }))).codes).toEqual(['RecipientWithoutIdentifierKey']);
  });
});

describe('GIVEN recipients the workflow cannot serve', () => {
  const codesOf = (build: (stack: Stack, stores: { t: PrivacyTable; b: PersonalDataBucket }) => PrivacyRecipient[]) => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const t = new PrivacyTable(stack, 'T', { categories: [DataCategory.CONTACT] });
    const b = new PersonalDataBucket(stack, 'B');
    const recipients = build(stack, { t, b });
    return validationProblemsOf(() => new DsrWorkflow(stack, 'Dsr', { stores: [t, b], recipients })).codes;
  };

  test('THEN a recipient that needs the identifier without a key is refused where it is declared', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    expect(validationProblemsOf(() => new PrivacyRecipient(stack, 'R', recipientProps(stack, 'R', { needsRawIdentifier: true }))).codes).toEqual(['RawIdentifierWithoutKey']);
  });

  test('THEN a recipient without an acknowledging role is refused', () => {
    expect(codesOf((s) => [new PrivacyRecipient(s, 'R', recipientProps(s, 'R', { acknowledgingRole: undefined }))])).toEqual(['DsrWorkflowRecipientWithoutAcknowledgingRole']);
  });

  test('THEN a recipient of none of the workflow\'s stores is refused', () => {
    expect(codesOf((s) => [new PrivacyRecipient(s, 'R', recipientProps(s, 'R', { stores: [new PrivacyTable(s, 'Elsewhere')] }))])).toEqual(['DsrWorkflowRecipientReceivesFromNoStore']);
  });

  test('THEN notification targets a rule of the workflow cannot reach are refused: an API destination of another region or account, a queue of another region or with the AWS managed key', () => {
    expect(codesOf((s) => [new PrivacyRecipient(s, 'R', recipientProps(s, 'R', {
      notification: RecipientNotification.toApiDestination(events.ApiDestination.fromApiDestinationAttributes(s, 'Dest', {
        apiDestinationArn: 'arn:aws:events:eu-west-1:111111111111:api-destination/notices/1234',
        connection: events.Connection.fromEventBusArn(s, 'Conn', 'arn:aws:events:eu-west-1:111111111111:connection/c/1', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:s'),
      })),
    }))])).toEqual(['DsrWorkflowRecipientUnreachable']);
    expect(codesOf((s) => [new PrivacyRecipient(s, 'R', recipientProps(s, 'R', {
      notification: RecipientNotification.toQueue(sqs.Queue.fromQueueArn(s, 'Q', 'arn:aws:sqs:eu-west-1:111111111111:notices')),
    }))])).toEqual(['DsrWorkflowRecipientUnreachable']);
    expect(codesOf((s) => [new PrivacyRecipient(s, 'R', recipientProps(s, 'R', {
      notification: RecipientNotification.toQueue(new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.KMS_MANAGED })),
    }))])).toEqual(['DsrWorkflowRecipientUnreachable']);
    // a queue of the workflow's region with SSE-SQS is reachable
    const stack = new Stack(new App(), 'S', { env: ENV });
    const t = new PrivacyTable(stack, 'T', { categories: [DataCategory.CONTACT] });
    const r = new PrivacyRecipient(stack, 'R', recipientProps(stack, 'R', {
      notification: RecipientNotification.toQueue(new sqs.Queue(stack, 'Q', { encryption: sqs.QueueEncryption.SQS_MANAGED })),
    }));
    expect(() => new DsrWorkflow(stack, 'Dsr', { stores: [t], recipients: [r] })).not.toThrow();
  });

  test('THEN an identifier key of another region is refused', () => {
    expect(codesOf((s) => [new PrivacyRecipient(s, 'R', recipientProps(s, 'R', {
      needsRawIdentifier: true, identifierKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:eu-west-1:666666666666:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    }))])).toEqual(['DsrWorkflowIdentifierKeyUnreachable']);
  });

  test('THEN more than 10 recipients, or one twice, are refused, every problem at once', () => {
    expect(codesOf((s) => Array.from({ length: 11 }, (_, i) => new PrivacyRecipient(s, `R${i}`, recipientProps(s, `R${i}`))))).toEqual(['DsrWorkflowRecipientsTooMany']);
    expect(codesOf((s) => {
      const r = new PrivacyRecipient(s, 'R', recipientProps(s, 'R', { acknowledgingRole: undefined }));
      return [r, r];
    })).toEqual(['DsrWorkflowRecipientRepeated', 'DsrWorkflowRecipientWithoutAcknowledgingRole', 'DsrWorkflowRecipientWithoutAcknowledgingRole']);
  });

  test('THEN asking for the acknowledgement queue of a recipient the workflow was not given is refused', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'T', { categories: [DataCategory.CONTACT] })] });
    const other = new PrivacyRecipient(stack, 'R', recipientProps(stack, 'R'));
    expect(validationProblemsOf(() => dsr.acknowledgementQueueOf(other)).codes).toEqual(['DsrWorkflowNotARecipient']);
  });
});

describe('GIVEN the compliance kit', () => {
  let report: ComplianceReport;
  beforeAll(() => {
    const stack = auditedStack('Recipients', { env: ENV });
    scenario(stack);
    report = runComplianceKit(stack);
  });

  test('THEN a DsrWorkflow with recipients is compliant with CcpaChecks, the cdk-nag packs and cfn-guard', () => {
    expectCompliant(report);
  });
});
