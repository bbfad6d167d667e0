import { App, CfnResource, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DataCategory, DataClassification, DataPurpose, DsrCoverage, PrivacyClassification, PrivacyClassificationProps, PrivacyTagKeys, TenancyModel,
} from '../../lib';
import { validationErrorOf } from '../kit/errors';

function stackWithBucket(): { app: App; stack: Stack; bucket: s3.Bucket } {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const bucket = new s3.Bucket(stack, 'Bucket');
  return { app, stack, bucket };
}

function bucketTags(stack: Stack): Record<string, string> {
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket');
  const [bucket] = Object.values(buckets);
  const tags: { Key: string; Value: string }[] = bucket.Properties?.Tags ?? [];
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

describe('PrivacyClassification.apply', () => {
  test('GIVEN every prop WHEN applied THEN the L1 carries one privacy:* tag per prop', () => {
    const { stack, bucket } = stackWithBucket();

    PrivacyClassification.apply(bucket, {
      classification: DataClassification.SENSITIVE,
      categories: [DataCategory.CONTACT, DataCategory.GOVERNMENT_ID],
      tenancy: TenancyModel.POOLED,
      dsr: DsrCoverage.COVERED,
      owner: 'team-billing',
    });

    expect(bucketTags(stack)).toEqual({
      [PrivacyTagKeys.CLASSIFICATION]: 'sensitive',
      [PrivacyTagKeys.DATA_CATEGORIES]: 'user.contact user.government_id',
      [PrivacyTagKeys.TENANCY]: 'pooled',
      [PrivacyTagKeys.DSR]: 'covered',
      [PrivacyTagKeys.OWNER]: 'team-billing',
    });
  });

  test('GIVEN no props WHEN applied THEN the classification is personal (fail closed) and only that tag is written', () => {
    const { stack, bucket } = stackWithBucket();

    const applied = PrivacyClassification.apply(bucket);

    expect(applied.classification).toBe(DataClassification.PERSONAL);
    expect(applied.declared).toBe(true);
    expect(bucketTags(stack)).toEqual({ [PrivacyTagKeys.CLASSIFICATION]: 'personal' });
  });

  test('GIVEN a stack classified personal and a bucket in it classified non-personal THEN the nearest wins', () => {
    const { stack, bucket } = stackWithBucket();

    PrivacyClassification.apply(stack, { classification: DataClassification.PERSONAL });
    PrivacyClassification.apply(bucket, { classification: DataClassification.NON_PERSONAL });

    expect(bucketTags(stack)[PrivacyTagKeys.CLASSIFICATION]).toBe('non-personal');
    expect(PrivacyClassification.of(bucket).classification).toBe(DataClassification.NON_PERSONAL);
    expect(PrivacyClassification.of(bucket.node.defaultChild!).classification).toBe(DataClassification.NON_PERSONAL);
  });

  test('GIVEN an owner with a comma THEN it is refused naming the prop and the value', () => {
    const { bucket } = stackWithBucket();

    expect(() => PrivacyClassification.apply(bucket, { owner: 'billing,legal' }))
      .toThrow(/owner "billing,legal" contains ",", outside the AWS tag character set/);
  });

  test('GIVEN an empty owner THEN it is refused', () => {
    const { bucket } = stackWithBucket();
    expect(() => PrivacyClassification.apply(bucket, { owner: '' })).toThrow(/owner "" is empty/);
  });

  test('GIVEN a sensitive category on a personal store THEN it is refused citing 1798.140(ae), as a CDK ValidationError', () => {
    const { bucket } = stackWithBucket();

    const thrown = validationErrorOf(() => PrivacyClassification.apply(bucket, {
      classification: DataClassification.PERSONAL,
      categories: [DataCategory.HEALTH],
    }));
    expect(thrown).toMatch(/classification "personal" with sensitive categories user.health: .*1798\.140\(ae\)/);
  });

  test('GIVEN categories on a non-personal store THEN it is refused', () => {
    const { bucket } = stackWithBucket();
    expect(() => PrivacyClassification.apply(bucket, { classification: DataClassification.NON_PERSONAL, categories: [DataCategory.NAME] }))
      .toThrow(/classification "non-personal" with categories user.name/);
  });

  test('GIVEN several problems THEN one error lists all of them', () => {
    const { bucket } = stackWithBucket();
    expect(() => PrivacyClassification.apply(bucket, { owner: 'a,b', categories: [DataCategory.NEURAL] }))
      .toThrow(/\(1\) \[OwnerInvalid\] owner "a,b".*\n\(2\) \[SensitiveCategoriesNotSensitive\] classification "personal" with sensitive categories user.neural/);
  });

  test('GIVEN more categories than fit in one tag value THEN it is refused naming the tag limit', () => {
    const { bucket } = stackWithBucket();
    const many = Array.from({ length: 20 }, (_, i) => DataCategory.custom(`user.custom_category_${i}`, { sensitive: false, ccpaReference: 'Civ. Code 1798.140(v)(1)' }));
    expect(() => PrivacyClassification.apply(bucket, { categories: many })).toThrow(/AWS tags hold 256/);
  });
});

describe('PrivacyClassification read-back', () => {
  test('GIVEN an untagged bucket THEN of() is personal and not explicit (fail closed, DESIGN.md section 3)', () => {
    const { bucket } = stackWithBucket();

    const read = PrivacyClassification.of(bucket.node.defaultChild!);

    expect(read.classification).toBe(DataClassification.PERSONAL);
    expect(read.declared).toBe(false);
    expect(read.inScope).toBe(true);
  });

  test('GIVEN a raw L1 tagged with Tags.of THEN fromResource reads it after synthesis prepared the tags', () => {
    const { app, stack } = stackWithBucket();
    const raw = new s3.CfnBucket(stack, 'Raw');
    Tags.of(raw).add(PrivacyTagKeys.CLASSIFICATION, 'non-personal');
    app.synth();

    const read = PrivacyClassification.fromResource(raw as CfnResource);

    expect(read.classification).toBe(DataClassification.NON_PERSONAL);
    expect(read.declared).toBe(true);
    expect(read.inScope).toBe(false);
  });

  test('GIVEN an L1 tagged pooled but not classified THEN of() is personal (assumed) and still pooled', () => {
    const { app, stack } = stackWithBucket();
    const raw = new s3.CfnBucket(stack, 'Raw');
    Tags.of(raw).add(PrivacyTagKeys.TENANCY, 'pooled');
    app.synth();

    const read = PrivacyClassification.of(raw);

    expect([read.classification, read.declared, read.tenancy]).toEqual([DataClassification.PERSONAL, false, TenancyModel.POOLED]);
  });

  test('GIVEN template tags THEN fromTags parses classification, categories, tenancy, dsr and owner', () => {
    const read = PrivacyClassification.fromTags({
      [PrivacyTagKeys.CLASSIFICATION]: 'sensitive',
      [PrivacyTagKeys.DATA_CATEGORIES]: 'user.health  user.contact',
      [PrivacyTagKeys.TENANCY]: 'silo',
      [PrivacyTagKeys.DSR]: 'exempt',
      [PrivacyTagKeys.OWNER]: 'team-care',
    });

    expect(read.classification).toBe(DataClassification.SENSITIVE);
    expect(read.categories).toEqual([DataCategory.HEALTH, DataCategory.CONTACT]);
    expect(read.tenancy).toBe(TenancyModel.SILO);
    expect(read.dsr).toBe(DsrCoverage.EXEMPT);
    expect(read.owner).toBe('team-care');
  });

  test('GIVEN an unknown classification value THEN it is personal and not explicit', () => {
    const read = PrivacyClassification.fromTags({ [PrivacyTagKeys.CLASSIFICATION]: 'public' });
    expect(read.classification).toBe(DataClassification.PERSONAL);
    expect(read.declared).toBe(false);
  });

  test('GIVEN an unknown category key in a tag THEN it reads back as a sensitive custom category (fail closed)', () => {
    const read = PrivacyClassification.fromTags({ [PrivacyTagKeys.DATA_CATEGORIES]: 'user.shoe_size' });
    expect(read.categories[0].key).toBe('user.shoe_size');
    expect(read.categories[0].sensitive).toBe(true);
  });
});

describe('PrivacyClassification purposes and retention', () => {
  function bucketWith(props: PrivacyClassificationProps) {
    const stack = new Stack();
    const bucket = new s3.CfnBucket(stack, 'B');
    PrivacyClassification.apply(bucket, props);
    return { stack, bucket };
  }

  test('purposes and retention are written as tags and read back from the L1', () => {
    const { stack, bucket } = bucketWith({
      categories: [DataCategory.CONTACT],
      purposes: [DataPurpose.PROVIDE_SERVICE, DataPurpose.custom('essential.service.notifications')],
      retention: Duration.days(400),
    });
    const tags = Template.fromStack(stack).toJSON().Resources.B.Properties.Tags;
    expect(tags).toEqual(expect.arrayContaining([
      { Key: 'privacy:purposes', Value: 'essential.service essential.service.notifications' },
      { Key: 'privacy:retention-days', Value: '400' },
    ]));
    const read = PrivacyClassification.fromResource(bucket);
    expect(read.purposes.map((p) => p.key)).toEqual(['essential.service', 'essential.service.notifications']);
    expect(read.purposes[0]).toBe(DataPurpose.PROVIDE_SERVICE);
    expect(read.retentionDays).toBe(400);
  });

  test('nothing declared: no purpose or retention tag, and none read back', () => {
    const { stack, bucket } = bucketWith({});
    const tags: { Key: string }[] = Template.fromStack(stack).toJSON().Resources.B.Properties.Tags;
    expect(tags.map((t) => t.Key)).not.toEqual(expect.arrayContaining(['privacy:purposes']));
    expect(tags.map((t) => t.Key)).not.toEqual(expect.arrayContaining(['privacy:retention-days']));
    const read = PrivacyClassification.fromResource(bucket);
    expect([read.purposes, read.retentionDays]).toEqual([[], undefined]);
  });

  test.each([['0'], ['-5'], ['30.5'], ['forever'], ['']])('a retention tag %p that is not a positive whole number reads as undeclared', (value) => {
    expect(PrivacyClassification.fromTags({ 'privacy:retention-days': value }).retentionDays).toBeUndefined();
  });

  test('every problem is reported at once, each naming the prop, the value and the fix', () => {
    let message = '';
    try {
      bucketWith({
        classification: DataClassification.NON_PERSONAL,
        purposes: [DataPurpose.MARKETING],
        retention: Duration.hours(36),
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('classification "non-personal" with purposes marketing: purposes are disclosed for personal information');
    expect(message).toContain('retention 1 day 12 hours is not a whole number of days of at least 1');
    expect(message).toContain('use Duration.days(n) with n >= 1');
    expect(message).toContain('classification "non-personal" with retention 1 day 12 hours');
  });

  test('a zero retention is refused', () => {
    expect(() => bucketWith({ retention: Duration.days(0) })).toThrow(/retention 0 days? is not a whole number of days of at least 1/);
  });
});
