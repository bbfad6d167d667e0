import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DataClassification, DataPurpose, PersonalDataBucket, PersonalDataBucketProps, PrivacyClassification, PrivacyTable, PrivacyTableProps,
} from '../../lib';
import { validationErrorOf } from '../kit/errors';

function bucket(props: PersonalDataBucketProps = {}): { b: PersonalDataBucket; t: Template } {
  const stack = new Stack(new App(), 'S');
  const b = new PersonalDataBucket(stack, 'B', props);
  return { b, t: Template.fromStack(stack) };
}

function table(props: PrivacyTableProps = {}): { tb: PrivacyTable; t: Template } {
  const stack = new Stack(new App(), 'S');
  const tb = new PrivacyTable(stack, 'T', props);
  return { tb, t: Template.fromStack(stack) };
}

/** The lifecycle rules of the data bucket (the one with server access logging). */
function dataRules(t: Template): any[] {
  const found = Object.values(t.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } })) as any[];
  expect(found).toHaveLength(1);
  return found[0].Properties.LifecycleConfiguration.Rules;
}

describe('PersonalDataBucket retention -> lifecycle', () => {
  test('GIVEN retention 90 days THEN current versions expire after 90 days, noncurrent after 30, delete markers are cleaned, all bucket-wide', () => {
    const { b, t } = bucket({ retention: Duration.days(90), purposes: [DataPurpose.PROVIDE_SERVICE] });
    const rules = dataRules(t);
    expect(rules).toEqual(expect.arrayContaining([
      { Id: 'ExpireAfterRetention', Status: 'Enabled', ExpirationInDays: 90 },
      { Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
      expect.objectContaining({ Id: 'CleanUpDeleteMarkersAndUploads', ExpiredObjectDeleteMarker: true }),
    ]));
    for (const r of rules) expect([r.Prefix, r.TagFilters]).toEqual([undefined, undefined]);
    expect(b.retention?.toDays()).toBe(90);
    const c = PrivacyClassification.of(b.bucket);
    expect([c.retentionDays, c.purposes.map((p) => p.key)]).toEqual([90, ['essential.service']]);
  });

  test('GIVEN a retention shorter than the noncurrent expiration THEN noncurrent versions expire within the retention too', () => {
    const rules = dataRules(bucket({ retention: Duration.days(7) }).t);
    expect(rules).toEqual(expect.arrayContaining([
      { Id: 'ExpireAfterRetention', Status: 'Enabled', ExpirationInDays: 7 },
      { Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 7 } },
    ]));
  });

  test('GIVEN no retention THEN no current-version expiration (unchanged), and no retention tag', () => {
    const { b, t } = bucket();
    expect(dataRules(t).map((r) => r.Id)).not.toContain('ExpireAfterRetention');
    expect(PrivacyClassification.of(b.bucket).retentionDeclared).toBe(false);
  });

  test('the access-log bucket declares its own retention (its expiration) and purpose', () => {
    const { b } = bucket({ accessLogsRetention: Duration.days(400) });
    const c = PrivacyClassification.of(b.accessLogsBucket);
    expect([c.retentionDays, c.purposes.map((p) => p.key)]).toEqual([400, ['essential.service.security']]);
  });

  test('GIVEN a retention above ten years without a reason THEN refused with RetentionUnbounded naming the value and the fix', () => {
    const message = validationErrorOf(() => bucket({ retention: Duration.days(4000) }));
    expect(message).toMatch(/\[RetentionUnbounded\] retention 4000 days is longer than ten years/);
    expect(message).toContain('give indefiniteRetentionReason');
  });

  test('GIVEN a retention above ten years with a reason THEN accepted, expiring at that retention, the reason tagged', () => {
    const { b, t } = bucket({ retention: Duration.days(4000), indefiniteRetentionReason: 'tax records kept 11 years by law' });
    expect(dataRules(t)).toEqual(expect.arrayContaining([{ Id: 'ExpireAfterRetention', Status: 'Enabled', ExpirationInDays: 4000 }]));
    expect(PrivacyClassification.of(b.bucket).indefiniteRetentionReason).toBe('tax records kept 11 years by law');
  });

  test('GIVEN only an indefinite-retention reason THEN nothing expires and the reason is the declaration', () => {
    const { b, t } = bucket({ indefiniteRetentionReason: 'kept while the account is open' });
    expect(dataRules(t).map((r) => r.Id)).not.toContain('ExpireAfterRetention');
    const tags = (Object.values(t.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } }))[0] as any).Properties.Tags;
    expect(tags).toEqual(expect.arrayContaining([{ Key: 'privacy:retention-reason', Value: 'kept while the account is open' }]));
    expect(PrivacyClassification.of(b.bucket).retentionDeclared).toBe(true);
  });

  test.each([
    ['', /\[IndefiniteRetentionReasonInvalid\] indefiniteRetentionReason "" is empty/],
    ['kept (forever), by policy', /indefiniteRetentionReason "kept \(forever\), by policy" contains "\(", "\)", ","/],
  ])('GIVEN the reason %p THEN refused naming the value', (reason, expected) => {
    expect(validationErrorOf(() => bucket({ indefiniteRetentionReason: reason }))).toMatch(expected);
  });

  test('GIVEN a retention of part of a day THEN refused (classification check) before anything expires at a wrong time', () => {
    expect(validationErrorOf(() => bucket({ retention: Duration.hours(30) }))).toMatch(/retention 1 day 6 hours is not a whole number of days/);
  });

  test('the noncurrent-version bound is still validated on the value given, not the shortened one', () => {
    expect(validationErrorOf(() => bucket({ retention: Duration.days(7), noncurrentVersionExpiration: Duration.days(60) })))
      .toMatch(/NoncurrentVersionExpirationTooLong/);
  });

  test('a user lifecycle rule stays, next to the retention rule', () => {
    const rules = dataRules(bucket({
      retention: Duration.days(30),
      bucketProps: { lifecycleRules: [{ id: 'Tmp', prefix: 'tmp/', expiration: Duration.days(1) }] } as s3.BucketProps,
    }).t);
    expect(rules.map((r) => r.Id)).toEqual(expect.arrayContaining(['Tmp', 'ExpireAfterRetention']));
  });
});

describe('PrivacyTable retention -> TTL', () => {
  test('GIVEN retention THEN TTL is on the declared attribute and the retention is tagged', () => {
    const { tb, t } = table({ retention: Duration.days(30), timeToLiveAttribute: 'ttl' });
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      Tags: Match.arrayWith([{ Key: 'privacy:retention-days', Value: '30' }]),
    });
    expect(tb.retention?.toDays()).toBe(30);
  });

  test('GIVEN no attribute named THEN TTL is on expiresAt', () => {
    table({ retention: Duration.days(30) }).t.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  test('expiryOf gives the epoch seconds to write: the write time plus the retention', () => {
    const { tb } = table({ retention: Duration.days(30) });
    const written = new Date('2026-12-04T10:00:00Z');
    expect(tb.expiryOf(written)).toBe(Date.parse('2027-01-03T10:00:00Z') / 1000);
  });

  test('expiryOf on a table without a retention throws naming the prop and the fix', () => {
    const { tb } = table();
    expect(validationErrorOf(() => tb.expiryOf(new Date()))).toMatch(/\[PrivacyTableNoRetention\] expiryOf: retention is not declared.*set the retention prop/);
  });

  test.each([
    [{ timeToLiveAttribute: ' ' }, /\[TimeToLiveAttributeEmpty\]/],
    [{ timeToLiveAttribute: 'pk' }, /\[TimeToLiveAttributeIsKey\] timeToLiveAttribute "pk" is a key attribute/],
    [{ timeToLiveAttribute: 'subjectId' }, /\[TimeToLiveAttributeIsKey\] timeToLiveAttribute "subjectId"/],
  ])('GIVEN %p THEN refused', (props, expected) => {
    expect(validationErrorOf(() => table(props as PrivacyTableProps))).toMatch(expected);
  });

  test('GIVEN a sensitive table kept longer than ten years without a reason THEN refused', () => {
    expect(validationErrorOf(() => table({ classification: DataClassification.SENSITIVE, retention: Duration.days(3654) })))
      .toMatch(/RetentionUnbounded/);
  });
});
