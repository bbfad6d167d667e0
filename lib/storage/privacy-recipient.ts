import { Duration, Names, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { IPersonalDataStore } from './personal-data-store';
import { DataCategory } from '../classification/data-category';
import { DataPurpose } from '../classification/data-purpose';
import { PropsValidator } from '../private/validation';

/** Who receives personal information from the business, as the CCPA's definitions name them. */
export enum RecipientRole {
  /** Processes personal information on the business's behalf under a written contract. */
  SERVICE_PROVIDER = 'service-provider',
  /** Receives personal information for a business purpose under a written contract. */
  CONTRACTOR = 'contractor',
  /** Any other recipient, to whom the business sells or shares. */
  THIRD_PARTY = 'third-party',
}

/** How a recipient receives its notices. */
export enum RecipientNotificationKind {
  /** An EventBridge event bus (the recipient's, or one of the business that forwards to it). */
  EVENT_BUS = 'event-bus',
  /** An SQS queue the recipient reads. */
  QUEUE = 'queue',
  /** An EventBridge API destination: an HTTPS endpoint of the recipient. */
  API_DESTINATION = 'api-destination',
}

/**
 * Where a recipient's deletion, correction and opt-out notices go: an EventBridge bus, an SQS queue
 * or an API destination. A DsrWorkflow routes each notice there with an EventBridge rule of its own
 * bus, so EventBridge retries delivery and dead-letters what it cannot deliver.
 */
export class RecipientNotification {
  /** Notices go to an EventBridge event bus (e.g. the recipient's, in its account). */
  public static toEventBus(bus: events.IEventBus): RecipientNotification {
    return new RecipientNotification(RecipientNotificationKind.EVENT_BUS, bus.eventBusArn, bus, undefined, undefined);
  }

  /** Notices go to an SQS queue. */
  public static toQueue(queue: sqs.IQueue): RecipientNotification {
    return new RecipientNotification(RecipientNotificationKind.QUEUE, queue.queueArn, undefined, queue, undefined);
  }

  /** Notices go to an HTTPS endpoint of the recipient through an EventBridge API destination. */
  public static toApiDestination(destination: events.IApiDestination): RecipientNotification {
    return new RecipientNotification(RecipientNotificationKind.API_DESTINATION, destination.apiDestinationArn, undefined, undefined, destination);
  }

  /** The kind of target. */
  public readonly kind: RecipientNotificationKind;
  /** The ARN of the target. */
  public readonly targetArn: string;
  /** The event bus, for `EVENT_BUS`. */
  public readonly eventBus?: events.IEventBus;
  /** The queue, for `QUEUE`. */
  public readonly queue?: sqs.IQueue;
  /** The API destination, for `API_DESTINATION`. */
  public readonly apiDestination?: events.IApiDestination;

  private constructor(kind: RecipientNotificationKind, targetArn: string, bus?: events.IEventBus, queue?: sqs.IQueue,
    destination?: events.IApiDestination) {
    this.kind = kind;
    this.targetArn = targetArn;
    this.eventBus = bus;
    this.queue = queue;
    this.apiDestination = destination;
  }
}

/** Props of a PrivacyRecipient. */
export interface PrivacyRecipientProps {
  /** The recipient's name as a privacy notice prints it, e.g. `Acme Mail Ltd.` (1 to 128 characters). */
  readonly name: string;

  /** Service provider, contractor or third party. */
  readonly role: RecipientRole;

  /** The reference of the written contract (data processing agreement) the recipient is bound by, e.g. `DPA-2026-014`. */
  readonly contractReference: string;

  /** The categories of personal information the recipient receives (at least one). */
  readonly categories: DataCategory[];

  /** The purposes for which the recipient receives them (at least one). */
  readonly purposes: DataPurpose[];

  /** Where its deletion, correction and opt-out notices go. */
  readonly notification: RecipientNotification;

  /**
   * The stores whose data the recipient receives.
   *
   * @default - every store of the app that holds one of `categories`
   */
  readonly stores?: IPersonalDataStore[];

  /**
   * Whether the recipient's contract says it needs the consumer's raw identifier to find their
   * data. Then the notice carries it encrypted under `identifierKey`; otherwise the notice carries
   * the request id and the pseudonym only.
   *
   * @default false
   */
  readonly needsRawIdentifier?: boolean;

  /**
   * The KMS key the raw identifier is encrypted under for the recipient (a key it can decrypt).
   * Required with `needsRawIdentifier`, refused without it.
   *
   * @default - none
   */
  readonly identifierKey?: kms.IKey;

  /**
   * How long the recipient has to acknowledge a notice before the DsrWorkflow's deadline check
   * warns about it (the request stays open until it does).
   *
   * @default Duration.days(10)
   */
  readonly acknowledgementTimeout?: Duration;

  /**
   * The role the recipient acknowledges notices with (in its own account, e.g.
   * `iam.Role.fromRoleArn(...)`). A DsrWorkflow given the recipient creates one acknowledgement
   * queue for it whose policy lets this role, and no other principal, send to it: an
   * acknowledgement is attributed to the recipient whose queue it arrived on, so one recipient
   * cannot acknowledge for another. Required when the recipient is given to a DsrWorkflow.
   *
   * @default - none: the recipient is listed in the inventory only
   */
  readonly acknowledgingRole?: iam.IRole;
}

/**
 * A service provider, contractor or third party that receives personal information, declared in
 * code: the inventory lists it per store, and a DsrWorkflow given it in `recipients` sends it its
 * own notice of each deletion, correction and opt-out and waits for its acknowledgement
 * (Cal. Civ. Code 1798.105(c)(1), (3); 11 CCR § 7022(b)).
 */
export class PrivacyRecipient extends Construct {
  /** Whether a construct is a PrivacyRecipient (across copies of the library). */
  public static isPrivacyRecipient(x: any): x is PrivacyRecipient {
    return typeof x === 'object' && x !== null && RECIPIENT_SYMBOL in x;
  }

  /** The recipients in the construct tree of `scope`'s app, in tree order. */
  public static allIn(scope: IConstruct): PrivacyRecipient[] {
    return scope.node.root.node.findAll().filter((c): c is PrivacyRecipient => PrivacyRecipient.isPrivacyRecipient(c));
  }

  /** The name a privacy notice prints. */
  public readonly recipientName: string;
  /** The id notices and acknowledgements carry: unique in the app, letters and digits. */
  public readonly recipientId: string;
  /** Service provider, contractor or third party. */
  public readonly role: RecipientRole;
  /** The contract reference. */
  public readonly contractReference: string;
  /** The categories received. */
  public readonly categories: DataCategory[];
  /** The purposes they are received for. */
  public readonly purposes: DataPurpose[];
  /** Where notices go. */
  public readonly notification: RecipientNotification;
  /** Whether notices carry the raw identifier, encrypted under `identifierKey`. */
  public readonly needsRawIdentifier: boolean;
  /** The key the raw identifier is encrypted under, with `needsRawIdentifier`. */
  public readonly identifierKey?: kms.IKey;
  /** How long the recipient has to acknowledge a notice. */
  public readonly acknowledgementTimeout: Duration;
  /** The role the recipient acknowledges notices with, if declared. */
  public readonly acknowledgingRole?: iam.IRole;

  private readonly declaredStores?: IPersonalDataStore[];

  constructor(scope: Construct, id: string, props: PrivacyRecipientProps) {
    super(scope, id);
    const v = new PropsValidator(this, 'InvalidPrivacyRecipientProps');
    const needsRaw = props.needsRawIdentifier ?? false;
    const timeout = props.acknowledgementTimeout ?? Duration.days(10);
    if (!Token.isUnresolved(props.name)) {
      v.check(props.name.trim().length === 0 || props.name.length > 128, 'RecipientNameInvalid',
        `name ${JSON.stringify(props.name)} must be 1 to 128 characters: it is the name a privacy notice prints.`);
    }
    if (!Token.isUnresolved(props.contractReference)) {
      v.check(props.contractReference.trim().length === 0, 'ContractReferenceEmpty',
        'contractReference is empty: a service provider, contractor or third party receives personal information under a written contract (Cal. Civ. Code 1798.100(d)); give its reference.');
    }
    v.check(props.categories.length === 0, 'RecipientCategoriesEmpty',
      'categories is empty: declare the categories of personal information the recipient receives, which the privacy notice discloses per recipient.');
    v.check(props.purposes.length === 0, 'RecipientPurposesEmpty',
      'purposes is empty: declare why the recipient receives the data (Cal. Civ. Code 1798.100(d) limits it to the specified purposes).');
    v.check(needsRaw && props.identifierKey === undefined, 'RawIdentifierWithoutKey',
      'needsRawIdentifier true without identifierKey: the raw identifier is only sent encrypted; give the KMS key the recipient decrypts it with.');
    v.check(!needsRaw && props.identifierKey !== undefined, 'IdentifierKeyWithoutRawIdentifier',
      'identifierKey is given but needsRawIdentifier is false: the notice carries no raw identifier; remove identifierKey, or set needsRawIdentifier if the contract requires the identifier.');
    const hours = timeout.toHours({ integral: false });
    if (!Token.isUnresolved(hours)) {
      v.check(hours < 1 || hours > 45 * 24, 'AcknowledgementTimeoutOutOfRange',
        `acknowledgementTimeout ${timeout.toHumanString()} is outside 1 hour to 45 days: a deletion is due within 45 days (Cal. Civ. Code 1798.130(a)(2)(A)), so recipients must confirm well before; pick a duration in that range.`);
    }
    v.throwIfInvalid();

    this.recipientName = props.name;
    this.recipientId = Names.uniqueResourceName(this, { maxLength: 64, separator: '' });
    this.role = props.role;
    this.contractReference = props.contractReference;
    this.categories = props.categories;
    this.purposes = props.purposes;
    this.notification = props.notification;
    this.needsRawIdentifier = needsRaw;
    this.identifierKey = props.identifierKey;
    this.acknowledgementTimeout = timeout;
    this.acknowledgingRole = props.acknowledgingRole;
    this.declaredStores = props.stores;
    Object.defineProperty(this, RECIPIENT_SYMBOL, { value: true });
  }

  /**
   * Allow `grantee` (the recipient's role) to decrypt the raw identifiers of its own notices:
   * `kms:Decrypt` on `identifierKey`, only with the encryption context a DsrWorkflow encrypts them
   * under, `recipient` = this recipient's id (and `requestId`, the request's id): a ciphertext made
   * for another recipient, or without that context, does not decrypt. For a key in another account,
   * the key's owner adds the same condition to its key policy. Throws without `needsRawIdentifier`.
   */
  public grantDecryptIdentifier(grantee: iam.IGrantable): iam.Grant {
    if (!this.identifierKey) {
      const v = new PropsValidator(this, 'InvalidPrivacyRecipientProps');
      v.check(true, 'RecipientWithoutIdentifierKey',
        `${this.node.path} has no identifierKey: its notices carry no raw identifier, so there is nothing to decrypt; set needsRawIdentifier and identifierKey if its contract requires the identifier.`);
      v.throwIfInvalid();
      throw new Error('unreachable');
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.identifierKey.keyArn],
      conditions: {
        'StringEquals': { [`kms:EncryptionContext:${RECIPIENT_CONTEXT_KEY}`]: this.recipientId },
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [REQUEST_CONTEXT_KEY, RECIPIENT_CONTEXT_KEY] },
        'Null': { [`kms:EncryptionContext:${REQUEST_CONTEXT_KEY}`]: 'false' },
      },
    });
  }

  /**
   * Whether the recipient receives data from `store`: it names the store in `stores`, or, without
   * `stores`, the store holds one of its categories (or a parent or child of one).
   */
  public receivesFrom(store: IPersonalDataStore): boolean {
    if (this.declaredStores !== undefined) return this.declaredStores.includes(store);
    const held = store.describePersonalData().categories.map((c) => c.key);
    return this.categories.some((c) => held.some((h) => h === c.key || h.startsWith(`${c.key}.`) || c.key.startsWith(`${h}.`)));
  }
}

/** The encryption context keys of a notice's raw identifier: the request and the recipient it is for. */
const REQUEST_CONTEXT_KEY = 'requestId';
const RECIPIENT_CONTEXT_KEY = 'recipient';
const RECIPIENT_SYMBOL = Symbol.for('cdk-ccpa.PrivacyRecipient');
