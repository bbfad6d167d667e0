import { Names, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { ACCESS_LOG_FIELDS } from './private/access-log';
import { extensionRequestSchema, statusSchema, submitRequestSchema } from './private/request-model';
import { buildWebAcl } from './private/waf';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage, PrivacyTagKeys } from '../classification/privacy-tag-keys';
import { DsrWorkflow } from '../dsr/dsr-workflow';
import { PrivacyKey } from '../encryption/privacy-key';
import { PropsValidator } from '../private/validation';

/** Access logs are kept at least 12 months (Cal. Civ. Code 1798.130(a)(2)(B), 1798.185(a)(15)). */
const MIN_ACCESS_LOG_DAYS = 365;
/** The TLS policy of the API and its custom domain: TLS 1.3 and TLS 1.2 only. */
const SECURITY_POLICY = apigw.SecurityPolicy.TLS13_1_2_PQ_2025_09;
/** The resource paths (the `{tenant}` segment is bound to the caller). */
const REQUESTS_PATH = '/tenants/{tenant}/requests';
const STATUS_PATH = '/tenants/{tenant}/requests/{requestId}';
const EXTENSION_PATH = '/tenants/{tenant}/requests/{requestId}/extension';
/** The environment variable that names the Cognito tenant claim for the Requests function. */
const TENANT_CLAIM_ENV = 'DSR_TENANT_CLAIM';
/**
 * The tenant claim each workflow's Requests function compares with the path (set by the first
 * Cognito DsrApi in front of it): one function, so one claim for every Cognito API of a workflow.
 */
const TENANT_CLAIMS = new WeakMap<DsrWorkflow, string>();

/** How callers of a DsrApi authenticate. There is no unauthenticated option. */
export enum DsrApiAuthorization {
  /**
   * SigV4-signed requests (`AWS_IAM`). The caller's `tenant` principal tag (a role tag or a
   * session tag) must equal the `{tenant}` path segment: the API's resource policy denies
   * everything else, and callers without the tag.
   */
  IAM = 'IAM',
  /**
   * Cognito user pool tokens. The tenant is the token's tenant claim (`tenantClaim`); the
   * `{tenant}` path segment must equal it, or the workflow's Requests function refuses the call
   * (403) before it reads or records anything.
   */
  COGNITO = 'COGNITO',
}

/** Props of a DsrApi. */
export interface DsrApiProps {
  /** The workflow whose Requests function the API fronts: submit requests, read their status, record their extension. */
  readonly workflow: DsrWorkflow;

  /**
   * How callers authenticate. `COGNITO` needs `userPool`.
   *
   * @default DsrApiAuthorization.IAM
   */
  readonly authorization?: DsrApiAuthorization;

  /**
   * The Cognito user pool whose tokens are accepted (only with `DsrApiAuthorization.COGNITO`).
   *
   * @default - none
   */
  readonly userPool?: cognito.IUserPool;

  /**
   * The token claim that holds the caller's tenant (only with `DsrApiAuthorization.COGNITO`).
   * Make it a custom attribute that users cannot write (leave it out of the app client's write attributes).
   * It is set on the workflow's Requests function (`DSR_TENANT_CLAIM`), so every Cognito DsrApi in
   * front of the same workflow must use the same claim.
   *
   * @default 'custom:tenant'
   */
  readonly tenantClaim?: string;

  /**
   * The stage name.
   *
   * @default 'v1'
   */
  readonly stageName?: string;

  /**
   * Steady-state requests per second, for the stage and each method.
   *
   * @default 10
   */
  readonly throttlingRateLimit?: number;

  /**
   * Burst of requests, for the stage and each method.
   *
   * @default 20
   */
  readonly throttlingBurstLimit?: number;

  /**
   * The WAF rate limit: requests per client IP in any 5-minute window (10 to 2,000,000,000).
   *
   * @default 300
   */
  readonly wafRateLimit?: number;

  /**
   * The key of the access log group.
   *
   * @default - the workflow's encryption key
   */
  readonly encryptionKey?: PrivacyKey;

  /**
   * How long access log events are kept: at least one year.
   *
   * @default logs.RetentionDays.THIRTEEN_MONTHS
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Create the account's API Gateway CloudWatch Logs role (`AWS::ApiGateway::Account`, one per
   * account and region). Execution logging (level ERROR, no data trace) needs it; leave this off
   * when your landing zone already sets it, or deploying the stage fails.
   *
   * @default false
   */
  readonly cloudWatchRole?: boolean;

  /**
   * A custom domain name (REGIONAL, TLS 1.2 minimum). The default `execute-api` endpoint is then
   * disabled, so every call goes through the domain. Needs `certificate`; not with a private endpoint.
   *
   * @default - no custom domain
   */
  readonly domainName?: string;

  /**
   * The ACM certificate of `domainName` (in the stack's region).
   *
   * @default - none
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Private-endpoint mode: the API is PRIVATE and reachable only through an interface VPC endpoint
   * for execute-api, which this construct creates in this VPC (`vpcSubnets`). Its security group
   * admits no one until you allow your clients: `api.vpcEndpoint.connections.allowDefaultPortFrom(clients)`.
   *
   * @default - a REGIONAL endpoint
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of the execute-api endpoint (with `vpc`).
   *
   * @default - the VPC's private subnets with egress, or its isolated subnets when it has none (a PrivateProcessingNetwork's VPC)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Private-endpoint mode with an execute-api interface VPC endpoint you already have (instead of `vpc`).
   *
   * @default - a REGIONAL endpoint, or a new endpoint in `vpc`
   */
  readonly vpcEndpoint?: ec2.IInterfaceVpcEndpoint;
}

/**
 * An authenticated API Gateway REST API in front of a DsrWorkflow: submit a data subject request,
 * read its status (never its data), record its one 45-day extension. One Lambda, the workflow's
 * Requests function, behind a Lambda proxy integration on every method.
 *
 * - `POST /tenants/{tenant}/requests` with `{ requestId, type, subject, receivedAt?, corrections? }`:
 *   the request is validated, pseudonymized, recorded in the ledger with its deadlines and its
 *   execution started (202, the request's status).
 * - `GET /tenants/{tenant}/requests/{requestId}`: the request's state and deadlines from the ledger
 *   (200, `{ requestId, type, status, receivedAt, confirmBy, dueBy, extended, completedAt?, execution?, report? }`);
 *   another tenant's request answers 404 like a missing one.
 * - `POST /tenants/{tenant}/requests/{requestId}/extension` with `{ reason }`: records the one 45-day
 *   extension with the reason given to the consumer (200, the status; 11 CCR 7021(b)).
 * Errors answer `{ message }`: 400 (invalid), 403, 404, 409 (conflict), 503; 502 when the function fails.
 *
 * The subject identifier goes from API Gateway to the Requests function and into the ledger,
 * encrypted with the workflow's PrivacyKey; the function starts the execution with the request id
 * only, so the raw identifier never lands in Step Functions execution history. Request bodies are
 * never logged: access logs hold no body or path values, execution logs are level ERROR without data
 * trace, and the function does not log its events.
 *
 * Tenant isolation: the tenant is never taken from the body. With IAM authorization (the default) the
 * resource policy denies any call whose `{tenant}` segment is not the caller's `${aws:PrincipalTag/tenant}`,
 * and any caller without that tag; the Requests function records a request under that segment and
 * answers only the segment's own requests. With Cognito, the tenant is the token's tenant claim, which
 * the Requests function compares with the path (`DSR_TENANT_CLAIM` on the function) and refuses (403)
 * when they differ.
 *
 * Also: JSON-schema request validation for every content type (request type enum, identifier charset
 * and size, required fields, corrections only with CORRECT, the extension reason), stage and method
 * throttling, a WAFv2 web ACL with AWS managed rule groups and a per-IP rate limit, access logs
 * without personal data in a PrivacyKey-encrypted log group kept 13 months, X-Ray tracing, TLS 1.2
 * minimum (security policy on the API and the custom domain), and an optional private endpoint
 * (execute-api interface endpoint + `aws:SourceVpce` resource policy).
 */
export class DsrApi extends Construct {
  /** The REST API. */
  public readonly api: apigw.RestApi;
  /** The deployed stage. */
  public readonly stage: apigw.Stage;
  /** The web ACL associated with the stage. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The access log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The execution log group (`API-Gateway-Execution-Logs_<apiId>/<stage>`, level ERROR, no data trace), created encrypted before API Gateway would create it. */
  public readonly executionLogGroup: logs.LogGroup;
  /** `POST /tenants/{tenant}/requests`. */
  public readonly submitMethod: apigw.Method;
  /** `GET /tenants/{tenant}/requests/{requestId}`. */
  public readonly statusMethod: apigw.Method;
  /** `POST /tenants/{tenant}/requests/{requestId}/extension`. */
  public readonly extensionMethod: apigw.Method;
  /** The model submitted requests are validated against. */
  public readonly requestModel: apigw.Model;
  /** The model extension requests (`{ reason }`) are validated against. */
  public readonly extensionModel: apigw.Model;
  /** The execute-api interface VPC endpoint (private-endpoint mode). */
  public readonly vpcEndpoint?: ec2.IInterfaceVpcEndpoint;
  /** The custom domain, when `domainName` is set. */
  public readonly domain?: apigw.DomainName;
  /** How callers authenticate. */
  public readonly authorization: DsrApiAuthorization;

  private readonly domainName?: string;

  constructor(scope: Construct, id: string, props: DsrApiProps) {
    super(scope, id);
    const authorization = props.authorization ?? DsrApiAuthorization.IAM;
    const tenantClaim = props.tenantClaim ?? 'custom:tenant';
    const stageName = props.stageName ?? 'v1';
    const rate = props.throttlingRateLimit ?? 10;
    const burst = props.throttlingBurstLimit ?? 20;
    const wafRate = props.wafRateLimit ?? 300;
    const retention = props.accessLogRetention ?? logs.RetentionDays.THIRTEEN_MONTHS;
    validate(this, props, authorization, tenantClaim, stageName, rate, burst, wafRate, retention);
    this.authorization = authorization;
    this.domainName = props.domainName;

    const stack = Stack.of(this);
    const key = props.encryptionKey ?? props.workflow.encryptionKey;
    const logPrefix = `/cdk-ccpa/api/${Names.uniqueResourceName(this, { maxLength: 64 })}`;
    key.allowCloudWatchLogs(`${logPrefix}/*`);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `${logPrefix}/access`,
      retention,
      encryptionKey: key,
    });

    const isPrivate = props.vpc !== undefined || props.vpcEndpoint !== undefined;
    if (props.vpc) {
      this.vpcEndpoint = new ec2.InterfaceVpcEndpoint(this, 'ExecuteApiEndpoint', {
        vpc: props.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
        subnets: props.vpcSubnets ?? {
          subnetType: props.vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        },
        privateDnsEnabled: true,
        open: false, // no ingress until you allow your clients: api.vpcEndpoint.connections.allowDefaultPortFrom(...)
      });
    } else {
      this.vpcEndpoint = props.vpcEndpoint;
    }

    const methodThrottling = { throttlingRateLimit: rate, throttlingBurstLimit: burst };
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'cdk-ccpa DsrApi: submit data subject requests, read their status (never their data), record their extension',
      endpointConfiguration: isPrivate
        ? { types: [apigw.EndpointType.PRIVATE], vpcEndpoints: [this.vpcEndpoint!] }
        : { types: [apigw.EndpointType.REGIONAL] },
      disableExecuteApiEndpoint: props.domainName !== undefined,
      cloudWatchRole: props.cloudWatchRole ?? false,
      policy: this.resourcePolicy(stack, stageName, authorization, this.vpcEndpoint),
      deployOptions: {
        stageName,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // never request or response bodies
        cachingEnabled: false,
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        // each method its own limit too, so one cannot starve the others
        methodOptions: {
          [`${REQUESTS_PATH}/POST`]: methodThrottling,
          [`${STATUS_PATH}/GET`]: methodThrottling,
          [`${EXTENSION_PATH}/POST`]: methodThrottling,
        },
      },
    });
    const cfnApi = this.api.node.defaultChild as apigw.CfnRestApi;
    cfnApi.securityPolicy = SECURITY_POLICY;
    cfnApi.endpointAccessMode = apigw.EndpointAccessMode.STRICT;
    PrivacyClassification.apply(this.api, { classification: DataClassification.PERSONAL });
    this.stage = this.api.deploymentStage;

    // the execution log group API Gateway writes to, created first: encrypted, retained like the access logs
    const executionLogGroupName = `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`;
    key.allowCloudWatchLogs(executionLogGroupName);
    this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', { logGroupName: executionLogGroupName, retention, encryptionKey: key });
    // Caller ARNs and request ids, no consumer identifier: classified personal (fail closed), not a DSR target.
    for (const group of [this.accessLogGroup, this.executionLogGroup]) {
      PrivacyClassification.apply(group, { classification: DataClassification.PERSONAL, dsr: DsrCoverage.EXEMPT });
    }
    this.stage.node.addDependency(this.executionLogGroup);

    if (props.domainName) {
      this.domain = this.api.addDomainName('Domain', {
        domainName: props.domainName,
        certificate: props.certificate!,
        endpointType: apigw.EndpointType.REGIONAL,
        securityPolicy: SECURITY_POLICY,
        endpointAccessMode: apigw.EndpointAccessMode.STRICT,
      });
    }

    // One backend: the workflow's Requests function, through a Lambda proxy integration. CDK adds
    // its invoke permissions for API Gateway per method, each scoped to this API's method ARN
    // (`<apiId>/<stage>/<METHOD>/<path>`, and `<apiId>/test-invoke-stage/...` for TestInvokeMethod).
    const requestsFunction = props.workflow.requestsFunction;
    if (authorization === DsrApiAuthorization.COGNITO) {
      // the function compares this claim with the {tenant} path segment (validate() refused a different claim already set)
      TENANT_CLAIMS.set(props.workflow, tenantClaim);
      requestsFunction.addEnvironment(TENANT_CLAIM_ENV, tenantClaim);
    }
    const integration = new apigw.LambdaIntegration(requestsFunction, { proxy: true });

    this.requestModel = this.api.addModel('SubmitRequest', {
      contentType: 'application/json',
      modelName: 'DsrSubmitRequest',
      schema: submitRequestSchema(),
    });
    this.extensionModel = this.api.addModel('ExtensionRequest', {
      contentType: 'application/json',
      modelName: 'DsrExtensionRequest',
      schema: extensionRequestSchema(),
    });
    const statusModel = this.api.addModel('RequestStatus', { contentType: 'application/json', modelName: 'DsrRequestStatus', schema: statusSchema() });
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const auth: apigw.MethodOptions = authorization === DsrApiAuthorization.COGNITO
      ? {
        authorizationType: apigw.AuthorizationType.COGNITO,
        authorizer: new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [props.userPool!] }),
      }
      : { authorizationType: apigw.AuthorizationType.IAM };
    // documentation of the answers: a proxy integration returns the function's status code and body as they are
    const responses = (ok: string): apigw.MethodResponse[] => [
      { statusCode: ok, responseModels: { 'application/json': statusModel } },
      ...['400', '403', '404', '409', '502', '503'].map((statusCode) => ({ statusCode, responseModels: { 'application/json': apigw.Model.ERROR_MODEL } })),
    ];
    // `$default`: the body is validated whatever its Content-Type (API Gateway skips validation for a
    // content type without a model)
    const bodyModel = (model: apigw.IModel) => ({ $default: model });

    const requests = this.api.root.resourceForPath(REQUESTS_PATH);
    this.submitMethod = requests.addMethod('POST', integration, {
      ...auth,
      requestValidator: validator,
      requestModels: bodyModel(this.requestModel),
      requestParameters: { 'method.request.path.tenant': true },
      methodResponses: responses('202'),
    });
    const request = requests.addResource('{requestId}');
    this.statusMethod = request.addMethod('GET', integration, {
      ...auth,
      requestValidator: validator,
      requestParameters: { 'method.request.path.tenant': true, 'method.request.path.requestId': true },
      methodResponses: responses('200'),
    });
    this.extensionMethod = request.addResource('extension').addMethod('POST', integration, {
      ...auth,
      requestValidator: validator,
      requestModels: bodyModel(this.extensionModel),
      requestParameters: { 'method.request.path.tenant': true, 'method.request.path.requestId': true },
      methodResponses: responses('200'),
    });

    this.webAcl = buildWebAcl(this, 'WebAcl', Names.uniqueResourceName(this, { maxLength: 96 }), wafRate);
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    this.acknowledge();
  }

  /** The findings that are answered by design, acknowledged on the exact L1 with the reason. */
  private acknowledge(): void {
    const packs = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];
    const stage = this.stage.node.defaultChild!;
    Validations.of(stage).acknowledge(
      ...packs.map((pack) => ({
        id: `${pack}-APIGWCacheEnabledAndEncrypted`,
        reason: 'Caching is off by design: the only cacheable answer is a request status that changes while the request runs, and a cache would serve stale statuses; responses carry no personal data to protect at rest.',
      })),
      ...packs.map((pack) => ({
        id: `${pack}-APIGWSSLEnabled`,
        reason: 'The only backend is the DsrWorkflow\'s Requests Lambda function, behind a Lambda proxy integration: API Gateway calls it through the Lambda Invoke API over HTTPS, signed with SigV4 and allowed by the function\'s resource policy for this API\'s methods only. A client certificate authenticates API Gateway to HTTP backends, of which there are none.',
      })),
    );
    const methods = [this.submitMethod, this.statusMethod, this.extensionMethod];
    // the invoke permissions LambdaIntegration adds under each method (stage and test-invoke-stage)
    for (const permission of methods.flatMap((m) => m.node.children.filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission))) {
      Validations.of(permission).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
        reason: 'The permission is not public: it names apigateway.amazonaws.com with SourceArn set to this API\'s own method ARN (arn:<partition>:execute-api:<region>:<account>:<this API\'s id>/<stage or test-invoke-stage>/<METHOD>/<path>), so only this method of this API can invoke the function. CT.LAMBDA.PR.2 accepts a SourceArn only as a literal or a bare Ref/GetAtt and cannot evaluate the Fn::Join that names the API id; the account is in the ARN.',
      });
    }
    if (this.authorization === DsrApiAuthorization.IAM) {
      for (const method of methods) {
        Validations.of(method.node.defaultChild!).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: 'The method uses IAM (SigV4) authorization, and the API resource policy binds the {tenant} path segment to the caller\'s tenant principal tag; a Cognito user pool authorizer is the authorization: COGNITO option.',
        });
      }
    }
    Validations.of(this.webAcl).acknowledge(...packs.map((pack) => ({
      id: `${pack}-WAFv2LoggingEnabled`,
      reason: 'WAF logs record client IP addresses and request headers, including the SigV4 or Cognito authorization header: personal information and credentials. The web ACL publishes per-rule CloudWatch metrics, and API Gateway access logs record every call without them.',
    })));
  }

  /**
   * Allow `grantee` to submit requests for its own tenant: `execute-api:Invoke` on
   * `POST /tenants/${aws:PrincipalTag/tenant}/requests`. The grantee needs a `tenant` principal tag.
   */
  public grantSubmit(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.invokeArn('POST', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/requests`)],
    });
  }

  /**
   * Allow `grantee` to read the status of its own tenant's requests: `execute-api:Invoke` on
   * `GET /tenants/${aws:PrincipalTag/tenant}/requests/*`.
   */
  public grantReadStatus(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.invokeArn('GET', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/requests/*`)],
    });
  }

  /**
   * Allow `grantee` to record the one 45-day extension of its own tenant's requests (11 CCR 7021(b)):
   * `execute-api:Invoke` on `POST /tenants/${aws:PrincipalTag/tenant}/requests/{requestId}/extension`
   * for any request id. The grantee needs a `tenant` principal tag.
   */
  public grantExtend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.invokeArn('POST', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/requests/*/extension`)],
    });
  }

  /**
   * The `execute-api:Invoke` ARN of a method. With a known environment, partition, region and
   * account are literals (`arn:aws:execute-api:us-east-1:...`), so that the cdk-nag finding on a
   * grantee's policy can be acknowledged (a pseudo parameter puts `::` into the finding id, which
   * Validations.acknowledge refuses).
   */
  private invokeArn(method: string, path: string): string {
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
      return this.api.arnForExecuteApi(method, path, this.stage.stageName);
    }
    const partition = RegionInfo.get(stack.region).partition ?? 'aws';
    return `arn:${partition}:execute-api:${stack.region}:${stack.account}:${this.api.restApiId}/${this.stage.stageName}/${method}${path}`;
  }

  /** The URL of the default endpoint's stage (the custom domain's when `domainName` is set). */
  public get url(): string {
    return this.domainName ? `https://${this.domainName}/` : this.api.url;
  }

  private resourcePolicy(
    stack: Stack, stageName: string, authorization: DsrApiAuthorization, endpoint?: ec2.IInterfaceVpcEndpoint,
  ): iam.PolicyDocument | undefined {
    // `execute-api:/<stage>/<METHOD>/<path>`: API Gateway expands it to this API's ARN
    // (arn:<partition>:execute-api:<region>:<account>:<apiId>/...), which the policy cannot name itself
    const methodArn = (method: string, path: string) => `execute-api:/${stageName}/${method}${path}`;
    const anyMethod = methodArn('*', '/*');
    const tenant = `\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}`;
    // the three methods, for the caller's own tenant only (a `*` stands for the request id)
    const ownTenant = [
      methodArn('POST', `/tenants/${tenant}/requests`),
      methodArn('GET', `/tenants/${tenant}/requests/*`),
      methodArn('POST', `/tenants/${tenant}/requests/*/extension`),
    ];
    const statements: iam.PolicyStatement[] = [];
    if (authorization === DsrApiAuthorization.IAM) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'AccountPrincipalsOwnTenant',
          principals: [new iam.AccountPrincipal(stack.account)],
          actions: ['execute-api:Invoke'],
          resources: ownTenant,
        }),
        new iam.PolicyStatement({
          sid: 'DenyCallersWithoutTenantTag',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: [anyMethod],
          conditions: { Null: { [`aws:PrincipalTag/${PrivacyTagKeys.TENANT}`]: 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'DenyOtherTenants',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          notResources: ownTenant,
        }),
      );
    } else if (endpoint) {
      // Cognito: the authorizer decides; a private API still needs an Allow in its resource policy
      statements.push(new iam.PolicyStatement({
        sid: 'AuthorizerDecides',
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [anyMethod],
      }));
    }
    if (endpoint) {
      statements.push(new iam.PolicyStatement({
        sid: 'DenyOutsideVpcEndpoint',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [anyMethod],
        conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
      }));
    }
    return statements.length > 0 ? new iam.PolicyDocument({ statements }) : undefined;
  }
}

function validate(
  scope: Construct, props: DsrApiProps, authorization: DsrApiAuthorization, tenantClaim: string, stageName: string,
  rate: number, burst: number, wafRate: number, retention: logs.RetentionDays,
): void {
  const v = new PropsValidator(scope, 'InvalidDsrApiProps');
  v.check(!props.workflow, 'workflow is missing: a DsrApi submits requests to a DsrWorkflow');
  v.check(!Object.values(DsrApiAuthorization).includes(authorization),
    `authorization ${JSON.stringify(authorization)}: privacy request endpoints are authenticated (IAM or COGNITO), never open (Cal. Civ. Code 1798.150, 1798.185(a)(7): requests must be verifiable)`);
  v.check(authorization === DsrApiAuthorization.COGNITO && !props.userPool,
    'authorization COGNITO without userPool: a Cognito authorizer needs the user pool whose tokens it accepts');
  v.check(authorization !== DsrApiAuthorization.COGNITO && props.userPool !== undefined,
    `userPool is set with authorization ${authorization}: it would be ignored; set authorization to COGNITO`);
  v.check(authorization !== DsrApiAuthorization.COGNITO && props.tenantClaim !== undefined,
    `tenantClaim is set with authorization ${authorization}: with IAM the tenant is the caller's ${PrivacyTagKeys.TENANT} principal tag`);
  v.check(!Token.isUnresolved(tenantClaim) && !/^[A-Za-z0-9_:.-]{1,64}$/.test(tenantClaim),
    `tenantClaim ${JSON.stringify(tenantClaim)}: a claim name of [A-Za-z0-9_:.-], 1 to 64 characters`);
  const claimInUse = props.workflow ? TENANT_CLAIMS.get(props.workflow) : undefined;
  v.check(authorization === DsrApiAuthorization.COGNITO && claimInUse !== undefined && claimInUse !== tenantClaim,
    `tenantClaim ${JSON.stringify(tenantClaim)}: another Cognito DsrApi in front of this workflow uses ${JSON.stringify(claimInUse)}; `
    + `the workflow's one Requests function compares one claim (${TENANT_CLAIM_ENV}) with the path, so every Cognito DsrApi of a workflow uses the same tenantClaim`);
  v.check(!Token.isUnresolved(stageName) && !/^[A-Za-z0-9_-]{1,64}$/.test(stageName),
    `stageName ${JSON.stringify(stageName)}: [A-Za-z0-9_-], 1 to 64 characters`);
  v.check(!Token.isUnresolved(rate) && !(rate > 0 && rate <= 10_000),
    `throttlingRateLimit ${rate}: requests per second must be limited (more than 0, at most 10,000) so a flood of requests cannot exhaust the workflow`);
  v.check(!Token.isUnresolved(burst) && !(Number.isInteger(burst) && burst >= 1 && burst <= 5_000),
    `throttlingBurstLimit ${burst}: a whole number from 1 to 5,000`);
  v.check(!Token.isUnresolved(wafRate) && !(Number.isInteger(wafRate) && wafRate >= 10 && wafRate <= 2_000_000_000),
    `wafRateLimit ${wafRate}: requests per IP in 5 minutes, a whole number from 10 to 2,000,000,000 (the WAF limits)`);
  v.check(!Token.isUnresolved(retention) && retention !== logs.RetentionDays.INFINITE && retention < MIN_ACCESS_LOG_DAYS,
    `accessLogRetention ${retention} days: access records of privacy endpoints are kept at least ${MIN_ACCESS_LOG_DAYS} days (Cal. Civ. Code 1798.130(a)(2)(B): the 12 months before a request)`);
  v.check(props.domainName !== undefined && !props.certificate, 'domainName without certificate: a custom domain serves TLS with an ACM certificate');
  v.check(props.certificate !== undefined && props.domainName === undefined, 'certificate without domainName: it would be ignored');
  v.check(props.domainName !== undefined && (props.vpc !== undefined || props.vpcEndpoint !== undefined),
    'domainName with a private endpoint: DsrApi supports custom domains on the REGIONAL endpoint only; reach a private API through its VPC endpoint');
  v.check(props.vpc !== undefined && props.vpcEndpoint !== undefined, 'vpc and vpcEndpoint are both set: give one (a new endpoint in vpc, or your endpoint)');
  v.check(props.vpcSubnets !== undefined && props.vpc === undefined, 'vpcSubnets without vpc: they place the endpoint this construct creates in vpc');
  v.throwIfInvalid();
}
