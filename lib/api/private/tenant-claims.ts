import { Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
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


/**
 * The user pool clients in the app that let a user write the tenant claim's attribute: a client
 * without `writeAttributes` lets users write every writable attribute (UpdateUserAttributes,
 * SignUp), so its users could name any tenant. Checked when the app is synthesized, as clients can
 * be added after the API.
 */
export function writableClaimClients(scope: IConstruct, userPool: cognito.IUserPool, claim: string): string[] {
  const stack = Stack.of(userPool);
  const pool = JSON.stringify(stack.resolve(userPool.userPoolId));
  const out: string[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (!(c instanceof cognito.CfnUserPoolClient)) continue;
    if (JSON.stringify(Stack.of(c).resolve(c.userPoolId)) !== pool) continue;
    const writable = c.writeAttributes === undefined || (Array.isArray(c.writeAttributes) && c.writeAttributes.includes(claim));
    if (writable) out.push(c.node.path);
  }
  return out;
}
