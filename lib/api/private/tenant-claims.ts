import type { DsrWorkflow } from '../../dsr/dsr-workflow';
import { DSR_ENV } from '../../dsr/handlers/shared/config';

/**
 * The tenant claim each workflow's Requests function compares with the path (set by the first
 * Cognito DsrApi in front of it): one function, so one claim for every Cognito API of a workflow.
 */
const TENANT_CLAIMS = new WeakMap<DsrWorkflow, string>();

/** The claim a Cognito DsrApi already set on the workflow's Requests function, if any. */
export function claimInUse(workflow: DsrWorkflow): string | undefined {
  return TENANT_CLAIMS.get(workflow);
}

/** Make the workflow's Requests function compare `claim` with the `{tenant}` path segment. */
export function bindTenantClaim(workflow: DsrWorkflow, claim: string): void {
  TENANT_CLAIMS.set(workflow, claim);
  workflow.requestsFunction.addEnvironment(DSR_ENV.TENANT_CLAIM, claim);
}

/** The workflows an IAM DsrApi fronts. */
const IAM_FRONTED = new WeakSet<DsrWorkflow>();

/** Whether an IAM DsrApi fronts the workflow. */
export function frontedByIam(workflow: DsrWorkflow): boolean {
  return IAM_FRONTED.has(workflow);
}

/** Record that an IAM DsrApi fronts the workflow. */
export function markFrontedByIam(workflow: DsrWorkflow): void {
  IAM_FRONTED.add(workflow);
}
