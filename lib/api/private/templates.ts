import { REQUEST_ID_PATTERN, TENANT_PATTERN } from './request-model';

/** Where the caller's tenant comes from. */
export interface TenantSource {
  /** The Cognito token claim that carries the tenant; undefined for IAM (the path, bound by the resource policy). */
  readonly claim?: string;
}

/**
 * The caller's tenant and the checks every template starts with.
 *
 * IAM: the `{tenant}` path segment, which the resource policy binds to `${aws:PrincipalTag/tenant}`.
 * Cognito: the token claim, which must equal the path segment. Any mismatch, or a tenant or request
 * id outside the accepted charset, makes the template name no execution that can exist (a name with
 * `:`, which Step Functions refuses), so the call fails with a 400 instead of reaching a request.
 */
function prelude(source: TenantSource, requestIdExpr: string): string {
  const lines = [
    '#set($tenant = $input.params(\'tenant\'))',
    `#set($requestId = ${requestIdExpr})`,
    `#set($ok = $tenant.matches('${TENANT_PATTERN}') && $requestId.matches('${REQUEST_ID_PATTERN}'))`,
  ];
  if (source.claim) {
    lines.push(`#set($claimed = "$!context.authorizer.claims['${source.claim}']")`);
    lines.push('#if($claimed != $tenant)#set($ok = false)#end');
  }
  lines.push('#if($ok)#set($name = "${tenant}_${requestId}")#else#set($name = \'rejected:tenant-or-request-id\')#end');
  return lines.join('\n');
}

/**
 * StartExecution: the DsrWorkflow input `{ requestId, type, tenant, subject, receivedAt?, corrections? }`
 * with the tenant from the caller. The body was validated against the model before this runs, so
 * requestId, type, subject and receivedAt hold no quote or backslash; corrections are escaped.
 */
export function startExecutionTemplate(stateMachineArn: string, source: TenantSource): string {
  return [
    prelude(source, '"$!input.path(\'$.requestId\')"'),
    '#set($receivedAt = "$!input.path(\'$.receivedAt\')")',
    '#set($corrections = "$!input.json(\'$.corrections\')")',
    '{',
    `  "stateMachineArn": "${stateMachineArn}",`,
    '  "name": "$name",',
    '  "input": "{\\"requestId\\":\\"$requestId\\",\\"type\\":\\"$!input.path(\'$.type\')\\",\\"tenant\\":\\"$tenant\\",\\"subject\\":\\"$!input.path(\'$.subject\')\\"'
      + '#if($receivedAt != ""),\\"receivedAt\\":\\"$receivedAt\\"#end'
      + '#if($corrections != "" && $corrections != "null"),\\"corrections\\":$util.escapeJavaScript($corrections).replaceAll("\\\\\'", "\'")#end}"',
    '}',
  ].join('\n');
}

/**
 * DescribeExecution of the caller's own request (`<tenant>_<requestId>`), metadata only: the
 * execution input (which holds the identifier) and output are not requested.
 */
export function describeExecutionTemplate(executionArnPrefix: string, source: TenantSource): string {
  return [
    prelude(source, '"$!input.params(\'requestId\')"'),
    '{',
    `  "executionArn": "${executionArnPrefix}$name",`,
    '  "includedData": "METADATA_ONLY"',
    '}',
  ].join('\n');
}

/** The request id, from the execution ARN (`...:execution:<stateMachine>:<tenant>_<requestId>`). */
const REQUEST_ID_FROM_ARN = [
  '#set($arn = "$!input.path(\'$.executionArn\')")',
  '#set($from = $arn.lastIndexOf(\':\') + 1)',
  '#set($name = $arn.substring($from))',
  '#set($from = $name.indexOf(\'_\') + 1)',
  '#set($requestId = $name.substring($from))',
].join('\n');

/** StartExecution succeeded: the request id and that it was submitted. Nothing else. */
export const SUBMITTED_RESPONSE = [
  REQUEST_ID_FROM_ARN,
  '{"requestId":"$requestId","status":"SUBMITTED","startDate":$input.path(\'$.startDate\')}',
].join('\n');

/** DescribeExecution: status and dates only, never input, output, error or cause. */
export const STATUS_RESPONSE = [
  REQUEST_ID_FROM_ARN,
  '#set($stop = "$!input.path(\'$.stopDate\')")',
  '{"requestId":"$requestId","status":"$input.path(\'$.status\')","startDate":$input.path(\'$.startDate\')#if($stop != ""),"stopDate":$stop#end}',
].join('\n');

/** A Step Functions 4xx, reduced to a status code and a fixed message (never the service's message). */
export const CLIENT_ERROR_RESPONSE = [
  '#set($type = "$!input.path(\'$.__type\')")',
  '#if($type.contains(\'ExecutionDoesNotExist\'))#set($context.responseOverride.status = 404){"message":"No such request for this tenant."}',
  '#elseif($type.contains(\'ExecutionAlreadyExists\'))#set($context.responseOverride.status = 409){"message":"This requestId was already used."}',
  '#else{"message":"The request was rejected."}#end',
].join('\n');

/** A Step Functions 5xx. */
export const SERVER_ERROR_RESPONSE = '{"message":"The DSR workflow is unavailable; retry with the same requestId."}';

/**
 * The access log format: who called what, when, with which outcome. No identifier, no body, no
 * path values (resourcePath is the template `/tenants/{tenant}/requests/{requestId}`), no source IP
 * or user agent (personal information under Cal. Civ. Code 1798.140(v)), no token claims.
 */
export const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  stage: '$context.stage',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  callerAccount: '$context.identity.accountId',
  callerArn: '$context.identity.userArn',
  wafResponseCode: '$context.wafResponseCode',
  error: '$context.error.responseType',
  vpceId: '$context.identity.vpceId',
};
