import { CfnResource, TagManager } from 'aws-cdk-lib';
import { AppFacts, ResourceProps } from './facts';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { riskAssessmentTrigger, sensitiveCategoriesOf } from '../../nag/rules/classification/RiskAssessmentRecorded';

/** The tags of an L1: its written `Tags` overridden by the tag manager's (as CcpaChecks reads them). */
function tagsOf(r: CfnResource, props: ResourceProps): Record<string, string> {
  const tags: Record<string, string> = {};
  const written = props.Tags;
  if (Array.isArray(written)) {
    for (const t of written as Array<{ Key?: unknown; Value?: unknown } | null>) if (typeof t?.Key === 'string' && typeof t?.Value === 'string') tags[t.Key] = t.Value;
  } else if (written && typeof written === 'object') {
    for (const [k, v] of Object.entries(written)) if (typeof v === 'string') tags[k] = v;
  }
  return { ...tags, ...(TagManager.of(r)?.tagValues() ?? {}) };
}

/**
 * The risk-assessment triggers of the app (11 CCR § 7150(b)): sensitive stores and automated
 * decision-making functions, each with the § 7152(a) fields the app knows and its assessment reference.
 */
export function riskAssessmentTriggers(facts: AppFacts): object {
  const triggers = facts.resources.flatMap((r) => {
    const tags = tagsOf(r.resource, r.props);
    const trigger = riskAssessmentTrigger(r.resource, tags);
    if (trigger === undefined) return [];
    const reference = (tags[PrivacyTagKeys.RISK_ASSESSMENT] ?? '').trim();
    const store = facts.inventory.find((s) => r.path === s.path || r.path.startsWith(`${s.path}/`));
    const decision = tags[PrivacyTagKeys.AUTOMATED_DECISION];
    const isDecision = trigger.startsWith('automated decision-making');
    return [{
      kind: isDecision ? 'automated-decision-making' : 'sensitive-personal-information',
      path: r.path,
      type: r.type,
      stack: r.stack,
      logicalId: r.logicalId,
      trigger,
      assessmentReference: reference.length > 0 ? reference : null,
      ...(isDecision ? { decision } : {}),
      // what § 7152(a) asks the assessment to record, as far as the app knows it
      section7152a: {
        categories: (tags[PrivacyTagKeys.DATA_CATEGORIES] ?? '').split(/\s+/).filter((k) => k.length > 0),
        sensitiveCategories: sensitiveCategoriesOf(tags[PrivacyTagKeys.DATA_CATEGORIES]),
        owner: tags[PrivacyTagKeys.OWNER] ?? store?.owner ?? null,
        retention: store?.deletionLatencyDays !== undefined
          ? `deleted data is unreadable after ${store.deletionLatencyDays} days; backups: ${store.backups.length > 0 ? store.backups.join(', ') : 'none'}`
          : null,
        recipients: null,
        safeguards: [
          ...(store?.key ? [`encrypted with ${store.key}`] : []),
          ...(store?.tenancy ? [`tenancy ${store.tenancy}`] : []),
          ...(store?.accessLogRetentionDays !== undefined ? [`access logs kept ${store.accessLogRetentionDays} days`] : []),
          ...facts.findings.filter((f) => f.path === r.path || f.path.startsWith(`${r.path}/`)).map((f) => `open finding ${f.rule}`),
        ],
        purposes: null,
      },
    }];
  });
  return {
    version: 1,
    generatedBy: 'cdk-ccpa',
    regulation: '11 CCR §§ 7150-7157 (risk assessments); contents of § 7152(a)',
    note: 'Pre-filled from the synthesized app: purposes and recipients are for the business to record. Tag each resource with its assessment reference (privacy:risk-assessment).',
    summary: {
      triggers: triggers.length,
      withoutAssessment: triggers.filter((t) => t.assessmentReference === null).length,
    },
    triggers,
    sellingOrSharing: {
      recipients: [],
      note: 'The app has no model of selling or sharing recipients: list them in the assessment.',
    },
  };
}
