/**
 * The access log format of DsrApi: who called what, when, with which outcome. No identifier, no
 * body, no path values (resourcePath is the template `/tenants/{tenant}/requests/{requestId}`), no
 * source IP or user agent (personal information under Cal. Civ. Code 1798.140(v)), no token claims.
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
