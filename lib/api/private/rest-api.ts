import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ACCESS_LOG_FIELDS } from './access-log';
import { ApiSettings } from './props';
import { PrivacyClassification } from '../../classification/privacy-classification';
import { DataClassification, PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { DsrApiAuthorization } from '../dsr-api-authorization';

/** The TLS policy of the API and its custom domain: TLS 1.3 and TLS 1.2 only. */
export const SECURITY_POLICY = apigw.SecurityPolicy.TLS13_1_2_PQ_2025_09;
/** The resource paths (the `{tenant}` segment is bound to the caller). */
export const REQUESTS_PATH = '/tenants/{tenant}/requests';
export const STATUS_PATH = '/tenants/{tenant}/requests/{requestId}';
export const EXTENSION_PATH = '/tenants/{tenant}/requests/{requestId}/extension';
export const CONFIRMATION_PATH = '/tenants/{tenant}/requests/{requestId}/confirmation';
export const OPT_OUT_SIGNALS_PATH = '/tenants/{tenant}/opt-out-signals';

export interface RestApiProps {
  readonly settings: ApiSettings;
  readonly accessLogGroup: logs.ILogGroup;
  readonly vpcEndpoint?: ec2.IInterfaceVpcEndpoint;
  readonly disableExecuteApiEndpoint: boolean;
  readonly cloudWatchRole: boolean;
}

/**
 * The REST API `Api` in `scope`: REGIONAL, or PRIVATE behind `vpcEndpoint`; its resource policy;
 * a stage with access logs, tracing, ERROR execution logs without data trace, no cache, and
 * throttling on the stage and on each method; TLS 1.2 minimum.
 */
export function createRestApi(scope: Construct, props: RestApiProps): apigw.RestApi {
  const s = props.settings;
  const throttling = { throttlingRateLimit: s.throttlingRateLimit, throttlingBurstLimit: s.throttlingBurstLimit };
  const api = new apigw.RestApi(scope, 'Api', {
    description: 'cdk-ccpa DsrApi: submit data subject requests, read their status (never their data), record their extension',
    endpointConfiguration: props.vpcEndpoint
      ? { types: [apigw.EndpointType.PRIVATE], vpcEndpoints: [props.vpcEndpoint] }
      : { types: [apigw.EndpointType.REGIONAL] },
    disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
    cloudWatchRole: props.cloudWatchRole,
    policy: resourcePolicy(Stack.of(scope), s.stageName, s.authorization, props.vpcEndpoint),
    deployOptions: {
      stageName: s.stageName,
      accessLogDestination: new apigw.LogGroupLogDestination(props.accessLogGroup),
      accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      tracingEnabled: true,
      metricsEnabled: true,
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false, // never request or response bodies
      cachingEnabled: false,
      ...throttling,
      // each method its own limit too, so one cannot starve the others
      methodOptions: {
        [`${REQUESTS_PATH}/POST`]: throttling,
        [`${STATUS_PATH}/GET`]: throttling,
        [`${EXTENSION_PATH}/POST`]: throttling,
        [`${CONFIRMATION_PATH}/POST`]: throttling,
        [`${OPT_OUT_SIGNALS_PATH}/POST`]: throttling,
      },
    },
  });
  const cfnApi = api.node.defaultChild as apigw.CfnRestApi;
  cfnApi.securityPolicy = SECURITY_POLICY;
  cfnApi.endpointAccessMode = apigw.EndpointAccessMode.STRICT;
  PrivacyClassification.apply(api, { classification: DataClassification.PERSONAL });
  return api;
}

/**
 * IAM: account principals may call the five methods for their own tenant (`{tenant}` =
 * `${aws:PrincipalTag/tenant}`), and everything else is denied, callers without the tag included.
 * Cognito: the authorizer decides (a private API still needs an Allow). A private endpoint: calls
 * from anywhere but the VPC endpoint are denied.
 */
function resourcePolicy(
  stack: Stack, stageName: string, authorization: DsrApiAuthorization, endpoint?: ec2.IInterfaceVpcEndpoint,
): iam.PolicyDocument | undefined {
  // `execute-api:/<stage>/<METHOD>/<path>`: API Gateway expands it to this API's ARN
  // (arn:<partition>:execute-api:<region>:<account>:<apiId>/...), which the policy cannot name itself
  const methodArn = (method: string, path: string) => `execute-api:/${stageName}/${method}${path}`;
  const anyMethod = methodArn('*', '/*');
  const tenant = `\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}`;
  // the five methods, for the caller's own tenant only (a `*` stands for the request id)
  const ownTenant = [
    methodArn('POST', `/tenants/${tenant}/requests`),
    methodArn('GET', `/tenants/${tenant}/requests/*`),
    methodArn('POST', `/tenants/${tenant}/requests/*/extension`),
    methodArn('POST', `/tenants/${tenant}/requests/*/confirmation`),
    methodArn('POST', `/tenants/${tenant}/opt-out-signals`),
  ];
  const invoke = { actions: ['execute-api:Invoke'] };
  const statements: iam.PolicyStatement[] = [];
  if (authorization === DsrApiAuthorization.IAM) {
    statements.push(
      new iam.PolicyStatement({ sid: 'AccountPrincipalsOwnTenant', principals: [new iam.AccountPrincipal(stack.account)], ...invoke, resources: ownTenant }),
      new iam.PolicyStatement({
        sid: 'DenyCallersWithoutTenantTag',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        ...invoke,
        resources: [anyMethod],
        conditions: { Null: { [`aws:PrincipalTag/${PrivacyTagKeys.TENANT}`]: 'true' } },
      }),
      new iam.PolicyStatement({ sid: 'DenyOtherTenants', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], ...invoke, notResources: ownTenant }),
    );
  } else if (endpoint) {
    statements.push(new iam.PolicyStatement({ sid: 'AuthorizerDecides', principals: [new iam.AnyPrincipal()], ...invoke, resources: [anyMethod] }));
  }
  if (endpoint) {
    statements.push(new iam.PolicyStatement({
      sid: 'DenyOutsideVpcEndpoint',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      ...invoke,
      resources: [anyMethod],
      conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
    }));
  }
  return statements.length > 0 ? new iam.PolicyDocument({ statements }) : undefined;
}
