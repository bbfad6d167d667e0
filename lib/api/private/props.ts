import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { claimInUse } from './tenant-claims';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { DSR_ENV } from '../../dsr/handlers/shared/config';
import { cite } from '../../private/provisions';
import { PropsValidator } from '../../private/validation';
import type { DsrApiProps } from '../dsr-api';
import { DsrApiAuthorization } from '../dsr-api-authorization';

/** Access logs are kept at least 365 days: this library's choice for security logs (11 CCR § 7123(c)(7) sets no period). */
const MIN_ACCESS_LOG_DAYS = 365;

/** A DsrApi's props with their defaults applied: the one place the defaults live. */
export interface ApiSettings {
  readonly authorization: DsrApiAuthorization;
  readonly tenantClaim: string;
  readonly stageName: string;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly wafRateLimit: number;
  readonly accessLogRetention: logs.RetentionDays;
}

/** The settings of `props`, after one validation that reports every problem at once. */
export function apiSettings(scope: Construct, props: DsrApiProps): ApiSettings {
  const s: ApiSettings = {
    authorization: props.authorization ?? DsrApiAuthorization.IAM,
    tenantClaim: props.tenantClaim ?? 'custom:tenant',
    stageName: props.stageName ?? 'v1',
    throttlingRateLimit: props.throttlingRateLimit ?? 10,
    throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
    wafRateLimit: props.wafRateLimit ?? 300,
    accessLogRetention: props.accessLogRetention ?? logs.RetentionDays.THIRTEEN_MONTHS,
  };
  const v = new PropsValidator(scope, 'DsrApiPropsInvalid');
  v.check(!props.workflow, 'DsrApiWorkflowMissing', 'workflow is missing; pass the DsrWorkflow whose requests the API receives.');
  checkAuthorization(v, props, s);
  checkTenantReach(v, props);
  checkLimits(v, s);
  checkEndpoint(v, props);
  v.throwIfInvalid();
  return s;
}

function checkAuthorization(v: PropsValidator, props: DsrApiProps, s: ApiSettings): void {
  const cognito = s.authorization === DsrApiAuthorization.COGNITO;
  v.check(!Object.values(DsrApiAuthorization).includes(s.authorization), 'DsrApiAuthorizationInvalid',
    `authorization ${JSON.stringify(s.authorization)} is not IAM or COGNITO; privacy request endpoints are always authenticated, so the workflow can verify who asks (${cite('ccr-7060')}), never open.`);
  v.check(cognito && !props.userPool, 'DsrApiUserPoolMissing',
    'authorization COGNITO without userPool; pass the user pool whose tokens the API accepts.');
  v.check(!cognito && props.userPool !== undefined, 'DsrApiUserPoolIgnored',
    `userPool is set with authorization ${s.authorization}; set authorization to COGNITO, or leave userPool out.`);
  v.check(!cognito && props.tenantClaim !== undefined, 'DsrApiTenantClaimIgnored',
    `tenantClaim is set with authorization ${s.authorization}; leave it out, as with IAM the tenant is the caller's ${PrivacyTagKeys.TENANT} principal tag.`);
  v.check(!Token.isUnresolved(s.tenantClaim) && !/^[A-Za-z0-9_:.-]{1,64}$/.test(s.tenantClaim), 'DsrApiTenantClaimInvalid',
    `tenantClaim ${JSON.stringify(s.tenantClaim)} is not a claim name; use [A-Za-z0-9_:.-], 1 to 64 characters.`);
  const inUse = props.workflow ? claimInUse(props.workflow) : undefined;
  v.check(cognito && inUse !== undefined && inUse !== s.tenantClaim, 'DsrApiTenantClaimConflict',
    `tenantClaim ${JSON.stringify(s.tenantClaim)} differs from the ${JSON.stringify(inUse)} another Cognito DsrApi of this workflow uses; use the same claim, as the workflow's one Requests function compares one claim (${DSR_ENV.TENANT_CLAIM}).`);
}

/**
 * Tenants reach the workflow through the API: refuse a workflow with organization stores (SILO
 * without siloTenant, whose records carry no tenant).
 */
function checkTenantReach(v: PropsValidator, props: DsrApiProps): void {
  if (!props.workflow) return;
  const org = props.workflow.organizationStorePaths ?? [];
  v.check(org.length > 0, 'DsrApiWorkflowHasOrganizationStores',
    `workflow ${props.workflow.node.path} has stores of the organization (${org.join(', ')}: TenancyModel.SILO without siloTenant) that a tenant's request would reach whatever its tenant; set each store's siloTenant to the one tenant it belongs to, make it TenancyModel.POOLED, or serve it with a separate DsrWorkflow that no DsrApi fronts.`);
}

function checkLimits(v: PropsValidator, s: ApiSettings): void {
  const rate = s.throttlingRateLimit;
  const burst = s.throttlingBurstLimit;
  const waf = s.wafRateLimit;
  const retention = s.accessLogRetention;
  v.check(!Token.isUnresolved(s.stageName) && !/^[A-Za-z0-9_-]{1,64}$/.test(s.stageName), 'DsrApiStageNameInvalid',
    `stageName ${JSON.stringify(s.stageName)} is not a stage name; use [A-Za-z0-9_-], 1 to 64 characters.`);
  v.check(!Token.isUnresolved(rate) && !(rate > 0 && rate <= 10_000), 'DsrApiThrottlingRateLimitInvalid',
    `throttlingRateLimit ${rate} is out of range; limit requests per second to more than 0 and at most 10,000, so a flood cannot exhaust the workflow.`);
  v.check(!Token.isUnresolved(burst) && !(Number.isInteger(burst) && burst >= 1 && burst <= 5_000), 'DsrApiThrottlingBurstLimitInvalid',
    `throttlingBurstLimit ${burst} is out of range; use a whole number from 1 to 5,000.`);
  v.check(!Token.isUnresolved(waf) && !(Number.isInteger(waf) && waf >= 10 && waf <= 2_000_000_000), 'DsrApiWafRateLimitInvalid',
    `wafRateLimit ${waf} is out of range; use a whole number of requests per IP in 5 minutes from 10 to 2,000,000,000 (the WAF limits).`);
  v.check(!Token.isUnresolved(retention) && retention !== logs.RetentionDays.INFINITE && retention < MIN_ACCESS_LOG_DAYS, 'DsrApiAccessLogRetentionTooShort',
    `accessLogRetention ${retention} days is too short; keep access records of privacy endpoints at least ${MIN_ACCESS_LOG_DAYS} days (this library's choice for security logs, ${cite('ccr-7123(c)(7)')}).`);
}

function checkEndpoint(v: PropsValidator, props: DsrApiProps): void {
  const isPrivate = props.vpc !== undefined || props.vpcEndpoint !== undefined;
  v.check(props.domainName !== undefined && !props.certificate, 'DsrApiCertificateMissing',
    `domainName ${props.domainName} without certificate; pass the ACM certificate the custom domain serves TLS with.`);
  v.check(props.certificate !== undefined && props.domainName === undefined, 'DsrApiCertificateIgnored',
    'certificate without domainName; set domainName, or leave certificate out.');
  v.check(props.domainName !== undefined && isPrivate, 'DsrApiPrivateDomainUnsupported',
    `domainName ${props.domainName} with a private endpoint; custom domains are for the REGIONAL endpoint only, so reach a private API through its VPC endpoint.`);
  v.check(props.vpc !== undefined && props.vpcEndpoint !== undefined, 'DsrApiEndpointConflict',
    'vpc and vpcEndpoint are both set; give vpc for a new execute-api endpoint, or vpcEndpoint for yours.');
  v.check(props.vpcSubnets !== undefined && props.vpc === undefined, 'DsrApiVpcSubnetsIgnored',
    'vpcSubnets without vpc; set vpc, as the subnets place the endpoint this construct creates there.');
}
