import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { DataClassification, PrivacyTagKeys } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { RETENTION_STORE_TYPES, retentionUndeclared } from '../../private/retention';
import { CcpaRule, Outcome } from '../../private/rule';

/** A store classified personal declares how long it keeps the data (a warning; sensitive stores: StoreRetentionDeclaredSensitive). */
export const StoreRetentionDeclared: CcpaRule = {
  id: 'StoreRetentionDeclared',
  service: 'classification',
  level: NagMessageLevel.WARN,
  resourceTypes: RETENTION_STORE_TYPES,
  what: `A store classified personal (${PrivacyTagKeys.CLASSIFICATION}=personal) declares no retention: neither ${PrivacyTagKeys.RETENTION_DAYS} nor ${PrivacyTagKeys.RETENTION_REASON}, so the privacy notice cannot say how long the data is kept and nothing expires it.`,
  cites: Cites.RETENTION,
  choice: 'Only stores with a declared classification are checked (an untagged store is found by the inventory and the classification rules first), and a warning rather than an error for personal data: a retention is a business decision the library cannot make. Sensitive stores are an error (StoreRetentionDeclaredSensitive).',
  risk: Risk.RETENTION,
  fix: 'Pass retention: Duration.days(n) to PersonalDataBucket or PrivacyTable (it becomes the lifecycle expiration or the TTL), or PrivacyClassification.apply(store, { retention }); for data kept while an account is open, give indefiniteRetentionReason instead.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const c = index.classification(node);
    if (!c.declared || c.classification !== DataClassification.PERSONAL) return Outcome.NOT_APPLICABLE;
    return retentionUndeclared(node, index, DataClassification.PERSONAL) ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
  },
};
