import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { DataCategory } from '../../../classification/data-category';
import { DataClassification, DsrCoverage, PrivacyAccessLevel, PrivacyTagKeys, TenancyModel } from '../../../classification/privacy-tag-keys';
import { AppIndex, CATEGORY_KEY } from '../../private/app-index';
import { Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** The values each privacy tag may take (`privacy:categories` is checked key by key). */
const ALLOWED: Record<string, readonly string[]> = {
  [PrivacyTagKeys.CLASSIFICATION]: Object.values(DataClassification),
  [PrivacyTagKeys.TENANCY]: Object.values(TenancyModel),
  [PrivacyTagKeys.DSR]: Object.values(DsrCoverage),
  [PrivacyTagKeys.ACCESS]: Object.values(PrivacyAccessLevel),
};

/** The privacy tags of a resource whose values the pack does not understand, as `key = "value"`. */
export function invalidPrivacyTags(node: CfnResource, index: AppIndex): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(index.tags(node))) {
    if (!key.startsWith('privacy:')) continue;
    const allowed = ALLOWED[key];
    if (allowed && !allowed.includes(value)) out.push(`${key} = ${JSON.stringify(value)} (allowed: ${allowed.join(', ')})`);
    if (key === PrivacyTagKeys.DATA_CATEGORIES && value.split(/\s+/).some((k) => k.length > 0 && !CATEGORY_KEY.test(k))) {
      out.push(`${key} = ${JSON.stringify(value)} (allowed: space-separated category keys such as ${DataCategory.all().slice(0, 4).map((c) => c.key).join(', ')}: lower-case dot-separated segments, no commas)`);
    }
  }
  return out;
}

/** Privacy tags carry values the pack understands (a warning: the store is still checked, fail closed). */
export const PrivacyTagsValid: CcpaRule = {
  id: 'PrivacyTagsValid',
  service: 'classification',
  level: NagMessageLevel.WARN,
  resourceTypes: ['*'],
  what: 'A resource carries a privacy:* tag whose value CcpaChecks does not understand (a classification, tenancy, dsr or access value outside the allowed ones, or privacy:categories that are not category keys); it is read as the fail-closed default.',
  cites: ['ccr-7123(c)(4)'],
  risk: Risk.TAGS,
  fix: 'Apply tags with PrivacyClassification.apply / PrivacyPrincipal.tag (they validate values), or correct the value named in the finding.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    const invalid = invalidPrivacyTags(node, index);
    if (invalid.length === 0) return Outcome.NOT_APPLICABLE;
    index.note(`Tags: ${invalid.join('; ')}`);
    return Outcome.NON_COMPLIANT;
  },
};
