import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { DataClassification, PrivacyTagKeys } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { Cites, Risk } from '../../private/citations';
import { RETENTION_STORE_TYPES, retentionUndeclared } from '../../private/retention';
import { CcpaRule, Outcome } from '../../private/rule';

/** A store classified sensitive declares how long it keeps the data. */
export const StoreRetentionDeclaredSensitive: CcpaRule = {
  id: 'StoreRetentionDeclaredSensitive',
  service: 'classification',
  level: NagMessageLevel.ERROR,
  resourceTypes: RETENTION_STORE_TYPES,
  what: `A store classified sensitive (${PrivacyTagKeys.CLASSIFICATION}=sensitive) declares no retention: neither ${PrivacyTagKeys.RETENTION_DAYS} nor ${PrivacyTagKeys.RETENTION_REASON}.`,
  cites: [...Cites.RETENTION, 'civ-1798.121'],
  choice: 'An error for sensitive personal information, where keeping data past its purpose does the most harm; personal stores get a warning (StoreRetentionDeclared).',
  risk: Risk.RETENTION,
  fix: 'Pass retention: Duration.days(n) to PersonalDataBucket or PrivacyTable (it becomes the lifecycle expiration or the TTL), or PrivacyClassification.apply(store, { retention }); for data kept while an account is open, give indefiniteRetentionReason instead.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    const c = index.classification(node);
    if (!c.declared || c.classification !== DataClassification.SENSITIVE) return Outcome.NOT_APPLICABLE;
    return retentionUndeclared(node, index, DataClassification.SENSITIVE) ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
  },
};
