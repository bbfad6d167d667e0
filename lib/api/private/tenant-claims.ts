import { Fn, Lazy } from 'aws-cdk-lib';
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

/** The ids of the Cognito APIs in front of each workflow. */
const COGNITO_APIS = new WeakMap<DsrWorkflow, string[]>();

/**
 * Make the workflow's Requests function compare `claim` with the `{tenant}` path segment on calls
 * through `restApiId` (`DSR_COGNITO_API_IDS`): a call through a Cognito API without the claim is
 * refused, whatever else the event carries; calls through an IAM API carry no claims.
 */
export function bindTenantClaim(workflow: DsrWorkflow, claim: string, restApiId: string): void {
  TENANT_CLAIMS.set(workflow, claim);
  workflow.requestsFunction.addEnvironment(DSR_ENV.TENANT_CLAIM, claim);
  const ids = COGNITO_APIS.get(workflow);
  if (ids) {
    ids.push(restApiId);
    return;
  }
  const list = [restApiId];
  COGNITO_APIS.set(workflow, list);
  workflow.requestsFunction.addEnvironment(DSR_ENV.COGNITO_API_IDS, Lazy.string({ produce: () => Fn.join(',', list) }));
}

