import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';

/**
 * L1 resources that belong to the audit machinery itself (the archive bucket, its access-log
 * bucket). An IsolatedAuditTrail never selects them for data events: logging CloudTrail's own
 * deliveries would feed every delivery back into the trail.
 */
const AUDIT_RESOURCES = new WeakSet<IConstruct>();

/** Mark an L1 as part of the audit machinery. */
export function markAuditResource(resource: CfnResource): void {
  AUDIT_RESOURCES.add(resource);
}

/** Whether an L1 is part of the audit machinery. */
export function isAuditResource(resource: IConstruct): boolean {
  return AUDIT_RESOURCES.has(resource);
}

/** The tag (under the protected `privacy:` prefix) that marks the audit archive's buckets. */
export const AUDIT_ROLE_TAG_KEY = PrivacyTagKeys.AUDIT;
