import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  DataCategory, DataClassification, DataPurpose, PersonalDataBucket, PrivacyInventory, PrivacyRecipient, PrivacyTable,
  RecipientNotification, RecipientRole,
} from '../../lib';
import { validationProblemsOf } from '../kit/errors';
import { testTempDir } from '../kit/temp-dir';

describe('PrivacyInventory: purposes, retention and recipients', () => {
  const outdir = testTempDir('inventory-rr-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Shop');
  const orders = new PrivacyTable(stack, 'Orders', {
    categories: [DataCategory.CONTACT, DataCategory.FINANCIAL],
    purposes: [DataPurpose.PROVIDE_SERVICE, DataPurpose.PAYMENT_PROCESSING],
    retention: Duration.days(2557),
  });
  new PersonalDataBucket(stack, 'Profiles', {
    categories: [DataCategory.custom('user.contact.email', { sensitive: false, ccpaReference: 'Civ. Code 1798.140(v)(1)(A)', description: 'E-mail address' })],
    purposes: [DataPurpose.PROVIDE_SERVICE],
    indefiniteRetentionReason: 'kept while the account is open',
  });
  new PersonalDataBucket(stack, 'Scans', { classification: DataClassification.SENSITIVE, categories: [DataCategory.GOVERNMENT_ID], retention: Duration.days(90) });
  new PrivacyRecipient(stack, 'Mailer', {
    name: 'Acme Mail',
    role: RecipientRole.SERVICE_PROVIDER,
    contractReference: 'DPA-2026-014',
    categories: [DataCategory.CONTACT],
    purposes: [DataPurpose.PROVIDE_SERVICE],
    notification: RecipientNotification.toQueue(new sqs.Queue(stack, 'MailerNotices', { encryption: sqs.QueueEncryption.KMS_MANAGED })),
  });
  new PrivacyRecipient(stack, 'Payments', {
    name: 'PayCo',
    role: RecipientRole.CONTRACTOR,
    contractReference: 'MSA-77',
    categories: [DataCategory.FINANCIAL],
    purposes: [DataPurpose.PAYMENT_PROCESSING],
    stores: [orders],
    notification: RecipientNotification.toEventBus(events.EventBus.fromEventBusArn(stack, 'PayBus', 'arn:aws:events:us-east-1:222222222222:event-bus/payco')),
    needsRawIdentifier: true,
    identifierKey: kms.Key.fromKeyArn(stack, 'PayKey', 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
  });
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, PrivacyInventory.JSON_FILE), 'utf8'));
  const markdown = fs.readFileSync(path.join(outdir, PrivacyInventory.MARKDOWN_FILE), 'utf8');
  const byPath = Object.fromEntries(json.stores.map((s: any) => [s.path, s]));

  test('each store lists its purposes, its retention (days or the reason) and its recipients', () => {
    expect(byPath['Shop/Orders']).toEqual(expect.objectContaining({
      purposes: ['essential.service', 'essential.service.payment_processing'], retentionDays: 2557, recipients: ['Acme Mail', 'PayCo'],
    }));
    expect(byPath['Shop/Profiles']).toEqual(expect.objectContaining({
      purposes: ['essential.service'], retentionReason: 'kept while the account is open', recipients: ['Acme Mail'],
    }));
    expect(byPath['Shop/Profiles'].retentionDays).toBeUndefined();
    // a parent category (user.contact) reaches a store holding a child (user.contact.email); government ids go to nobody
    expect(byPath['Shop/Scans']).toEqual(expect.objectContaining({ retentionDays: 90, recipients: [] }));
    // the access-log buckets declare their own retention and purpose
    expect(byPath['Shop/Scans'].retentionDays).toBe(90);
  });

  test('the recipients section names role, contract, categories, purposes, channel, raw identifier and stores', () => {
    expect(json.recipients).toEqual([
      {
        path: 'Shop/Mailer',
        name: 'Acme Mail',
        role: 'service-provider',
        contractReference: 'DPA-2026-014',
        categories: ['user.contact'],
        purposes: ['essential.service'],
        notification: 'queue',
        rawIdentifier: false,
        stores: ['Shop/Orders', 'Shop/Profiles'],
      },
      {
        path: 'Shop/Payments',
        name: 'PayCo',
        role: 'contractor',
        contractReference: 'MSA-77',
        categories: [DataCategory.FINANCIAL.key],
        purposes: ['essential.service.payment_processing'],
        notification: 'event-bus',
        rawIdentifier: true,
        stores: ['Shop/Orders'],
      },
    ]);
    // the one store without a retention is the mailer's notice queue: an unmanaged, untagged store (personal, assumed)
    expect(json.summary).toEqual(expect.objectContaining({ recipients: 2, withoutRetention: 1 }));
  });

  test('the Markdown has purposes, retention and recipients columns and a recipients table', () => {
    expect(markdown).toContain('| store | kind | classification | categories | purposes | retention | recipients |');
    expect(markdown).toMatch(/\| Shop\/Orders \| dynamodb-table \| personal \| [^|]+ \| essential\.service, essential\.service\.payment_processing \| 2557 days \| Acme Mail, PayCo \|/);
    expect(markdown).toMatch(/\| Shop\/Profiles \| s3-bucket \| personal \| user\.contact\.email \| essential\.service \| indefinite: kept while the account is open \| Acme Mail \|/);
    expect(markdown).toContain('## Recipients');
    expect(markdown).toContain('| PayCo | contractor | MSA-77 |');
  });
});

describe('PrivacyRecipient', () => {
  const base = () => {
    const stack = new Stack();
    return {
      stack,
      props: {
        name: 'Acme',
        role: RecipientRole.THIRD_PARTY,
        contractReference: 'C-1',
        categories: [DataCategory.CONTACT],
        purposes: [DataPurpose.ADVERTISING],
        notification: RecipientNotification.toQueue(new sqs.Queue(stack, 'Q')),
      },
    };
  };

  test('every problem at once, each with its code, naming the prop and the fix', () => {
    const { stack, props } = base();
    const { codes, message } = validationProblemsOf(() => new PrivacyRecipient(stack, 'R', {
      ...props, name: ' ', contractReference: '', categories: [], purposes: [], needsRawIdentifier: true, acknowledgementTimeout: Duration.days(60),
    }));
    expect(codes).toEqual(['RecipientNameInvalid', 'ContractReferenceEmpty', 'RecipientCategoriesEmpty', 'RecipientPurposesEmpty',
      'RawIdentifierWithoutKey', 'AcknowledgementTimeoutOutOfRange']);
    expect(message).toContain('needsRawIdentifier true without identifierKey');
    expect(message).toContain('acknowledgementTimeout 60 days is outside 1 hour to 45 days');
  });

  test('a key without needsRawIdentifier is refused (no identifier is sent)', () => {
    const { stack, props } = base();
    const key = new kms.Key(stack, 'K');
    expect(validationProblemsOf(() => new PrivacyRecipient(stack, 'R', { ...props, identifierKey: key })).codes).toEqual(['IdentifierKeyWithoutRawIdentifier']);
  });

  test('defaults: no raw identifier, 10 days to acknowledge, a stable id of letters and digits', () => {
    const { stack, props } = base();
    const r = new PrivacyRecipient(stack, 'Ads-Partner', props);
    expect([r.needsRawIdentifier, r.acknowledgementTimeout.toDays()]).toEqual([false, 10]);
    expect(r.recipientId).toMatch(/^[A-Za-z0-9]{1,64}$/);
    expect(PrivacyRecipient.allIn(stack)).toEqual([r]);
  });
});
