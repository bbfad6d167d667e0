import { Names, Stack, Token } from 'aws-cdk-lib';
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
import { DsrApiAuthorization } from './dsr-api-authorization';
import { acknowledgeCloudWatchRole, acknowledgeIamMethods, acknowledgeStage, acknowledgeWebAcl } from './private/acknowledgements';
import { addMethods } from './private/methods';
import { apiSettings } from './private/props';
import { createRestApi, SECURITY_POLICY } from './private/rest-api';
import { bindTenantClaim, writableClaimClients } from './private/tenant-claims';
import { buildWebAcl } from './private/waf';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage, PrivacyTagKeys } from '../classification/privacy-tag-keys';
import { DsrWorkflow } from '../dsr/dsr-workflow';
import { PrivacyKey } from '../encryption/privacy-key';
import { CFN_GUARD_PLUGIN, expectExemption } from '../private/expected-exemptions';
import { grantInLibraryPolicy } from '../private/library-grants';

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
 * An authenticated API Gateway REST API in front of a DsrWorkflow's Requests function: submit a data
 * subject request, read its status (never its data), record its one 45-day extension or the
 * confirmation of its receipt, record an opt-out preference signal, for the caller's own tenant only. See the README's "Data subject requests" section for the endpoints,
 * answers and tenant isolation.
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
  /** `POST /tenants/{tenant}/requests/{requestId}/confirmation`: the business's notifier told the consumer (know, delete, correct). */
  public readonly confirmationMethod: apigw.Method;
  /** `POST /tenants/{tenant}/opt-out-signals`: an opt-out preference signal (Global Privacy Control), recorded as an OPT_OUT. */
  public readonly optOutSignalMethod: apigw.Method;
  /** The model submitted requests are validated against. */
  public readonly requestModel: apigw.Model;
  /** The model extension requests (`{ reason }`) are validated against. */
  public readonly extensionModel: apigw.Model;
  /** The model opt-out preference signals (`{ subject, gpc? }`) are validated against. */
  public readonly optOutSignalModel: apigw.Model;
  /** The execute-api interface VPC endpoint (private-endpoint mode). */
  public readonly vpcEndpoint?: ec2.IInterfaceVpcEndpoint;
  /** The custom domain, when `domainName` is set. */
  public readonly domain?: apigw.DomainName;
  /** How callers authenticate. */
  public readonly authorization: DsrApiAuthorization;

  /** The key of the API's log groups. */
  public readonly encryptionKey: PrivacyKey;

  private readonly domainName?: string;

  constructor(scope: Construct, id: string, props: DsrApiProps) {
    super(scope, id);
    const settings = apiSettings(this, props);
    this.authorization = settings.authorization;
    this.domainName = props.domainName;
    this.encryptionKey = props.encryptionKey ?? props.workflow.encryptionKey;

    const logPrefix = `/cdk-ccpa/api/${Names.uniqueResourceName(this, { maxLength: 64 })}`;
    const retention = settings.accessLogRetention;
    this.encryptionKey.allowCloudWatchLogs(`${logPrefix}/*`);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { logGroupName: `${logPrefix}/access`, retention, encryptionKey: this.encryptionKey });
    this.vpcEndpoint = props.vpc
      ? new ec2.InterfaceVpcEndpoint(this, 'ExecuteApiEndpoint', {
        vpc: props.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
        subnets: props.vpcSubnets ?? {
          subnetType: props.vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        },
        privateDnsEnabled: true,
        open: false, // no ingress until you allow your clients: api.vpcEndpoint.connections.allowDefaultPortFrom(...)
      })
      : props.vpcEndpoint;

    this.api = createRestApi(this, {
      settings,
      accessLogGroup: this.accessLogGroup,
      vpcEndpoint: this.vpcEndpoint,
      disableExecuteApiEndpoint: props.domainName !== undefined,
      cloudWatchRole: props.cloudWatchRole ?? false,
    });
    this.stage = this.api.deploymentStage;
    // the execution log group API Gateway writes to, created first: encrypted, retained like the access logs
    const executionLogGroupName = `API-Gateway-Execution-Logs_${this.api.restApiId}/${settings.stageName}`;
    this.encryptionKey.allowCloudWatchLogs(executionLogGroupName);
    this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', { logGroupName: executionLogGroupName, retention, encryptionKey: this.encryptionKey });
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
    if (settings.authorization === DsrApiAuthorization.COGNITO) {
      // the function compares this claim with the {tenant} path segment (a different claim already set was refused)
      bindTenantClaim(props.workflow, settings.tenantClaim, this.api.restApiId);
      const userPool = props.userPool!;
      const claim = settings.tenantClaim;
      this.node.addValidation({
        validate: () => writableClaimClients(this, userPool, claim).map((client) =>
          `[DsrApiTenantClaimWritable] userPool ${userPool.node.path} has the client ${client}, whose users may write ${claim} (no writeAttributes, or writeAttributes with it), so a user could name any tenant; give the client writeAttributes without ${claim} (cognito.ClientAttributes().withCustomAttributes(...) of the other attributes), or set the tenant only as an administrator.`),
      });
    }
    const methods = addMethods(this, this.api, {
      authorization: settings.authorization, userPool: props.userPool, requestsFunction: props.workflow.requestsFunction,
    });
    this.submitMethod = methods.submitMethod;
    this.statusMethod = methods.statusMethod;
    this.extensionMethod = methods.extensionMethod;
    this.confirmationMethod = methods.confirmationMethod;
    this.optOutSignalMethod = methods.optOutSignalMethod;
    this.requestModel = methods.requestModel;
    this.extensionModel = methods.extensionModel;
    this.optOutSignalModel = methods.optOutSignalModel;

    this.webAcl = buildWebAcl(this, 'WebAcl', Names.uniqueResourceName(this, { maxLength: 96 }), settings.wafRateLimit);
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.stage.stageArn, webAclArn: this.webAcl.attrArn });
    this.acknowledge();
  }

  /** The findings that are answered by design, acknowledged on the exact L1 with the reason. */
  private acknowledge(): void {
    acknowledgeStage(this.stage);
    const methods = [this.submitMethod, this.statusMethod, this.extensionMethod, this.confirmationMethod, this.optOutSignalMethod];
    // the invoke permissions LambdaIntegration adds under each method (the stage only: no test-invoke-stage permission)
    for (const permission of methods.flatMap((m) => m.node.children.filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission))) {
      expectExemption(permission, CFN_GUARD_PLUGIN, 'lambda_function_public_access_prohibited_check',
        'The permission is not public: it names apigateway.amazonaws.com with SourceArn set to this API\'s own method ARN (arn:<partition>:execute-api:<region>:<account>:<this API\'s id>/<stage>/<METHOD>/<path>), so only this method of this API can invoke the function. CT.LAMBDA.PR.2 accepts a SourceArn only as a literal or a bare Ref/GetAtt and cannot evaluate the Fn::Join that names the API id; the account is in the ARN.');
    }
    if (this.authorization === DsrApiAuthorization.IAM) acknowledgeIamMethods(methods);
    acknowledgeWebAcl(this.webAcl);
    acknowledgeCloudWatchRole(this.api);
  }

  /**
   * Allow `grantee` to submit requests for its own tenant: `execute-api:Invoke` on
   * `POST /tenants/${aws:PrincipalTag/tenant}/requests`. The grantee needs a `tenant` principal tag.
   */
  public grantSubmit(grantee: iam.IGrantable): iam.Grant {
    return this.grantInvoke(grantee, 'POST', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/requests`);
  }

  /**
   * Allow `grantee` to read the status of its own tenant's requests: `execute-api:Invoke` on
   * `GET /tenants/${aws:PrincipalTag/tenant}/requests/*`.
   */
  public grantReadStatus(grantee: iam.IGrantable): iam.Grant {
    return this.grantInvoke(grantee, 'GET', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/requests/*`);
  }

  /**
   * Allow `grantee` to record the one 45-day extension of its own tenant's requests (11 CCR 7021(b)):
   * `execute-api:Invoke` on `POST /tenants/${aws:PrincipalTag/tenant}/requests/{requestId}/extension`
   * for any request id. The grantee needs a `tenant` principal tag.
   */
  public grantExtend(grantee: iam.IGrantable): iam.Grant {
    return this.grantInvoke(grantee, 'POST', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/requests/*/extension`);
  }

  /**
   * Allow `grantee` (the business's notifier) to record that it confirmed receipt of its own
   * tenant's know, delete and correct requests to the consumer (11 CCR 7021(a)): `execute-api:Invoke`
   * on `POST /tenants/${aws:PrincipalTag/tenant}/requests/{requestId}/confirmation` for any request id.
   */
  public grantConfirm(grantee: iam.IGrantable): iam.Grant {
    return this.grantInvoke(grantee, 'POST', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/requests/*/confirmation`);
  }

  /**
   * Allow `grantee` (the business's web tier) to record opt-out preference signals of its own
   * tenant's consumers (Global Privacy Control): `execute-api:Invoke` on
   * `POST /tenants/${aws:PrincipalTag/tenant}/opt-out-signals`.
   */
  public grantRecordOptOutSignals(grantee: iam.IGrantable): iam.Grant {
    return this.grantInvoke(grantee, 'POST', `/tenants/\${aws:PrincipalTag/${PrivacyTagKeys.TENANT}}/opt-out-signals`);
  }

  /**
   * `execute-api:Invoke` on one method of this API's stage for the session's tenant, in a policy
   * this API creates for the grantee's role (AwsSolutions-IAM5 of its request-id wildcard is
   * acknowledged on that policy only).
   */
  private grantInvoke(grantee: iam.IGrantable, method: string, path: string): iam.Grant {
    const grant = { actions: ['execute-api:Invoke'], resourceArns: [this.invokeArn(method, path)] };
    return grantInLibraryPolicy(this, grantee, [grant],
      'Request ids are chosen at run time: the grant names one action on one method and path of this API\'s stage, under the session\'s own tenants/${aws:PrincipalTag/tenant}/ path, in a policy cdk-ccpa creates for these grants only. In an environment-agnostic stack partition, region and account are wildcards (a pseudo parameter cannot be named in an acknowledgement): the API id names this API, and another account\'s API would also have to allow the caller in its own policy.',
      (g) => iam.Grant.addToPrincipal({ grantee, ...g }));
  }

  /**
   * The `execute-api:Invoke` ARN of a method. With a known environment, partition, region and
   * account are literals (`arn:aws:execute-api:us-east-1:...`); in an environment-agnostic stack
   * they are wildcards, so that the cdk-nag finding on the grant's policy can be acknowledged (a
   * pseudo parameter puts `::` into the finding id, which Validations.acknowledge refuses).
   */
  private invokeArn(method: string, path: string): string {
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
      return `arn:*:execute-api:*:*:${this.api.restApiId}/${this.stage.stageName}/${method}${path}`;
    }
    const partition = RegionInfo.get(stack.region).partition ?? 'aws';
    return `arn:${partition}:execute-api:${stack.region}:${stack.account}:${this.api.restApiId}/${this.stage.stageName}/${method}${path}`;
  }

  /** The URL of the default endpoint's stage (the custom domain's when `domainName` is set). */
  public get url(): string {
    return this.domainName ? `https://${this.domainName}/` : this.api.url;
  }
}
