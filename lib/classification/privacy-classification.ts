import { CfnResource, Duration, Tags, TagManager, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DataCategory } from './data-category';
import { DataPurpose } from './data-purpose';
import { DataClassification, DsrCoverage, PrivacyTagKeys, TenancyModel } from './privacy-tag-keys';
import { cite } from '../private/provisions';
import { tagValueProblem, MAX_TAG_VALUE_LENGTH } from '../private/tag-charset';
import { PropsValidator } from '../private/validation';

/** What to record about the data a construct holds. */
export interface PrivacyClassificationProps {
  /**
   * How the data is classified.
   *
   * @default DataClassification.PERSONAL - fail closed: anything not declared otherwise is personal
   */
  readonly classification?: DataClassification;

  /**
   * The categories of personal information held. A sensitive category (1798.140(ae)) requires
   * `classification: SENSITIVE`; categories on a `NON_PERSONAL` store are refused.
   *
   * @default - none declared (the inventory shows "undeclared")
   */
  readonly categories?: DataCategory[];

  /**
   * The multi-tenant isolation model of the store.
   *
   * @default - no tenancy tag (single-tenant or not a store)
   */
  readonly tenancy?: TenancyModel;

  /**
   * Whether a DsrWorkflow reaches this store.
   *
   * @default - no DSR tag (the DsrWorkflow and inventory decide)
   */
  readonly dsr?: DsrCoverage;

  /**
   * The team accountable for the data, e.g. `team-billing`. AWS tag character set only.
   *
   * @default - no owner tag
   */
  readonly owner?: string;

  /**
   * Why the data is held (the purposes a privacy notice discloses, Cal. Civ. Code 1798.100(a)(1)).
   * Written to the `privacy:purposes` tag; refused on a `NON_PERSONAL` store.
   *
   * @default - none declared (the inventory shows "undeclared")
   */
  readonly purposes?: DataPurpose[];

  /**
   * How long the data is kept, in whole days (Cal. Civ. Code 1798.100(a)(3)). Written to the
   * `privacy:retention-days` tag; refused on a `NON_PERSONAL` store.
   *
   * @default - none declared (the inventory shows "undeclared")
   */
  readonly retention?: Duration;

  /**
   * Why the data is kept without an expiration, for a privacy notice and for review (e.g.
   * `kept while the account is open and deleted by the account service on closure`). Written to
   * the `privacy:retention-reason` tag, so the AWS tag character set applies. It declares the
   * retention indefinite when `retention` is absent, and it is required for a `retention` above
   * ten years (3653 days), which never expires in practice.
   *
   * @default - none: a retention must be declared for the data to count as having one
   */
  readonly indefiniteRetentionReason?: string;
}

/** The longest retention accepted without `indefiniteRetentionReason`: ten years, this library's bound on "expires". */
export const MAX_EXPIRING_RETENTION_DAYS = 3653;

/**
 * The privacy classification of a construct, written as `privacy:*` tags onto every taggable
 * resource below it (`PrivacyClassification.apply(bucket, { classification, categories })`) and
 * read back by the rule pack and the inventory. The tag model is in the README.
 */
export class PrivacyClassification {
  /**
   * Tag `scope` and everything taggable below it with the classification. Applying again on a
   * construct lower in the tree overrides it there (nearest wins, as with `Tags.of`).
   *
   * Throws a ValidationError naming the prop and value when a value is outside the AWS tag
   * character set, a sensitive category sits on a store not classified `SENSITIVE`, or categories
   * are declared on a `NON_PERSONAL` store.
   */
  public static apply(scope: IConstruct, props: PrivacyClassificationProps = {}): PrivacyClassification {
    const classification = props.classification ?? DataClassification.PERSONAL;
    const categories = props.categories ?? [];
    const categoriesValue = categories.map((c) => c.key).join(' ');

    const v = new PropsValidator(scope, 'InvalidPrivacyClassification');
    if (props.owner !== undefined && !Token.isUnresolved(props.owner)) {
      const problem = props.owner.length === 0 ? 'is empty' : tagValueProblem(props.owner);
      v.check(problem !== undefined, 'OwnerInvalid', `owner ${JSON.stringify(props.owner)} ${problem}: it is written to the ${PrivacyTagKeys.OWNER} tag`);
    }
    v.check(categoriesValue.length > MAX_TAG_VALUE_LENGTH, 'CategoriesTagTooLong',
      `categories: the ${categories.length} keys make a ${PrivacyTagKeys.DATA_CATEGORIES} tag of ${categoriesValue.length} characters; AWS tags hold ${MAX_TAG_VALUE_LENGTH}. Declare parent categories (e.g. user.contact instead of its children)`);
    const sensitive = categories.filter((c) => c.sensitive);
    v.check(classification === DataClassification.PERSONAL && sensitive.length > 0, 'SensitiveCategoriesNotSensitive',
      `classification "personal" with sensitive categories ${sensitive.map((c) => c.key).join(', ')}: sensitive personal information (Cal. Civ. Code 1798.140(ae)) needs classification DataClassification.SENSITIVE, so that only principals tagged privacy:access=sensitive can read it`);
    v.check(classification === DataClassification.NON_PERSONAL && categories.length > 0, 'NonPersonalWithCategories',
      `classification "non-personal" with categories ${categoriesValue}: a store that holds categories of personal information is personal (Cal. Civ. Code 1798.140(v)); classify it PERSONAL or SENSITIVE`);
    const purposes = props.purposes ?? [];
    const purposesValue = purposes.map((p) => p.key).join(' ');
    v.check(classification === DataClassification.NON_PERSONAL && purposes.length > 0, 'NonPersonalWithPurposes',
      `classification "non-personal" with purposes ${purposesValue}: purposes are disclosed for personal information; classify the store PERSONAL or SENSITIVE, or drop purposes`);
    v.check(purposesValue.length > MAX_TAG_VALUE_LENGTH, 'PurposesTagTooLong',
      `purposes: the ${purposes.length} keys make a ${PrivacyTagKeys.PURPOSES} tag of ${purposesValue.length} characters; AWS tags hold ${MAX_TAG_VALUE_LENGTH}. Declare parent purposes (e.g. essential.service instead of its children)`);
    let retentionDays: number | undefined;
    if (props.retention !== undefined && !props.retention.isUnresolved()) {
      const days = props.retention.toDays({ integral: false });
      v.check(!(Number.isInteger(days) && days >= 1), 'RetentionNotWholeDays',
        `retention ${props.retention.toHumanString()} is not a whole number of days of at least 1: stores expire data by the day; use Duration.days(n) with n >= 1`);
      v.check(classification === DataClassification.NON_PERSONAL, 'NonPersonalWithRetention',
        `classification "non-personal" with retention ${props.retention.toHumanString()}: retention is declared for personal information; classify the store PERSONAL or SENSITIVE, or drop retention`);
      retentionDays = days;
      v.check(days > MAX_EXPIRING_RETENTION_DAYS && props.indefiniteRetentionReason === undefined, 'RetentionUnbounded',
        `retention ${props.retention.toHumanString()} is longer than ten years (${MAX_EXPIRING_RETENTION_DAYS} days) and never expires in practice: personal information is kept no longer than reasonably necessary for its purpose (${cite('civ-1798.100(a)(3)')}), so shorten it, or give indefiniteRetentionReason saying why it is kept that long`);
    }
    const reason = props.indefiniteRetentionReason;
    if (reason !== undefined && !Token.isUnresolved(reason)) {
      const problem = reason.trim().length === 0 ? 'is empty' : tagValueProblem(reason);
      v.check(problem !== undefined, 'IndefiniteRetentionReasonInvalid',
        `indefiniteRetentionReason ${JSON.stringify(reason)} ${problem}: it is written to the ${PrivacyTagKeys.RETENTION_REASON} tag; write the reason in words of that character set`);
      v.check(classification === DataClassification.NON_PERSONAL, 'NonPersonalWithRetentionReason',
        `classification "non-personal" with indefiniteRetentionReason ${JSON.stringify(reason)}: retention is declared for personal information; classify the store PERSONAL or SENSITIVE, or drop the reason`);
    }
    v.throwIfInvalid();

    const tags = Tags.of(scope);
    if (purposes.length > 0) {
      tags.add(PrivacyTagKeys.PURPOSES, purposesValue);
    }
    if (retentionDays !== undefined) {
      tags.add(PrivacyTagKeys.RETENTION_DAYS, `${retentionDays}`);
    }
    if (reason !== undefined) {
      tags.add(PrivacyTagKeys.RETENTION_REASON, reason);
    }
    tags.add(PrivacyTagKeys.CLASSIFICATION, classification);
    if (categories.length > 0) {
      tags.add(PrivacyTagKeys.DATA_CATEGORIES, categoriesValue);
    }
    if (props.tenancy) {
      tags.add(PrivacyTagKeys.TENANCY, props.tenancy);
    }
    if (props.dsr) {
      tags.add(PrivacyTagKeys.DSR, props.dsr);
    }
    if (props.owner) {
      tags.add(PrivacyTagKeys.OWNER, props.owner);
    }

    const applied = new PrivacyClassification(classification, categories, true, props.tenancy, props.dsr, props.owner, purposes,
      retentionDays, reason);
    APPLIED.set(scope, applied);
    return applied;
  }

  /**
   * The classification that applies to a construct: for an L1 resource, what its own `privacy:*`
   * tags say; else the nearest `apply` on it or an ancestor; else `PERSONAL` with
   * `declared: false` (fail closed), keeping the L1's other `privacy:*`
   * tags (a `privacy:tenancy=pooled` tag without a classification still reads as pooled).
   */
  public static of(construct: IConstruct): PrivacyClassification {
    // Tags set on the L1 itself are the nearest declaration (and, once synthesis has prepared
    // the tags, they include every `apply` above it).
    const fromTags = CfnResource.isCfnResource(construct) ? PrivacyClassification.fromResource(construct) : undefined;
    if (fromTags?.declared) {
      return fromTags;
    }
    for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
      const applied = APPLIED.get(c);
      if (applied) {
        return applied;
      }
    }
    // personal, not declared; an L1 keeps whatever other privacy:* tags it carries (tenancy, ...)
    return fromTags ?? new PrivacyClassification(DataClassification.PERSONAL, [], false);
  }

  /**
   * The classification an L1 resource's tags declare, as the rule pack sees it after synthesis
   * prepared the tags. Untagged resources are `PERSONAL` with `declared: false`.
   */
  public static fromResource(resource: CfnResource): PrivacyClassification {
    const manager = TagManager.of(resource);
    return PrivacyClassification.fromTags(manager ? manager.tagValues() : {});
  }

  /**
   * The classification a set of tags declares (for templates read outside CDK). An unknown
   * `privacy:classification` value is treated as `PERSONAL` and not declared; category keys that
   * are not fideslang-style keys are left out.
   */
  public static fromTags(tags: { [key: string]: string }): PrivacyClassification {
    const raw = tags[PrivacyTagKeys.CLASSIFICATION];
    const known = Object.values(DataClassification).find((c) => c === raw);
    // keys that are not fideslang-style keys (a free-form value) are left out, not thrown on:
    // a tag read back at synth has no construct to blame (CcpaChecks' PrivacyTagsValid names it)
    const categories = (tags[PrivacyTagKeys.DATA_CATEGORIES] ?? '').split(/\s+/)
      .filter((k) => /^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(k)).map(DataCategory.fromKey);
    const tenancy = Object.values(TenancyModel).find((t) => t === tags[PrivacyTagKeys.TENANCY]);
    const dsr = Object.values(DsrCoverage).find((d) => d === tags[PrivacyTagKeys.DSR]);
    const purposes = (tags[PrivacyTagKeys.PURPOSES] ?? '').split(/\s+/)
      .filter((k) => /^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(k)).map(DataPurpose.fromKey);
    const rawDays = tags[PrivacyTagKeys.RETENTION_DAYS];
    // only a positive whole number of days is a declaration; anything else reads as undeclared
    const retentionDays = rawDays !== undefined && /^[1-9][0-9]*$/.test(rawDays) ? Number(rawDays) : undefined;
    return new PrivacyClassification(known ?? DataClassification.PERSONAL, categories, known !== undefined, tenancy, dsr,
      tags[PrivacyTagKeys.OWNER], purposes, retentionDays, tags[PrivacyTagKeys.RETENTION_REASON] || undefined);
  }

  /** The classification. */
  public readonly classification: DataClassification;
  /** The declared categories of personal information (empty when undeclared). */
  public readonly categories: DataCategory[];
  /** False when nothing declared a classification and `PERSONAL` was assumed (fail closed). */
  public readonly declared: boolean;
  /** The tenancy model, if declared. */
  public readonly tenancy?: TenancyModel;
  /** DSR coverage, if declared. */
  public readonly dsr?: DsrCoverage;
  /** The accountable owner, if declared. */
  public readonly owner?: string;
  /** The declared purposes (empty when undeclared). */
  public readonly purposes: DataPurpose[];
  /** The declared retention in whole days, if declared. */
  public readonly retentionDays?: number;
  /** Why the data is kept without an expiration (or longer than ten years), if declared. */
  public readonly indefiniteRetentionReason?: string;

  private constructor(
    classification: DataClassification,
    categories: DataCategory[],
    declared: boolean,
    tenancy?: TenancyModel,
    dsr?: DsrCoverage,
    owner?: string,
    purposes: DataPurpose[] = [],
    retentionDays?: number,
    indefiniteRetentionReason?: string,
  ) {
    this.indefiniteRetentionReason = indefiniteRetentionReason;
    this.purposes = purposes;
    this.retentionDays = retentionDays;
    this.classification = classification;
    this.categories = categories;
    this.declared = declared;
    this.tenancy = tenancy;
    this.dsr = dsr;
    this.owner = owner;
  }

  /** True unless the data is explicitly non-personal: an untagged store holds personal data (fail closed). */
  public get inScope(): boolean {
    return this.classification !== DataClassification.NON_PERSONAL;
  }

  /** True when a retention in days or a reason for keeping the data indefinitely is declared. */
  public get retentionDeclared(): boolean {
    return this.retentionDays !== undefined || this.indefiniteRetentionReason !== undefined;
  }
}

/** Classifications applied with `PrivacyClassification.apply`, by construct. */
const APPLIED = new WeakMap<IConstruct, PrivacyClassification>();
