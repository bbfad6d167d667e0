/**
 * The DsrApi integ test's caller: a function that sends real, SigV4-signed HTTPS requests to a
 * deployed DsrApi as the test's tenants (integ/dsr-api-caller.lambda.ts), and a role per test tenant.
 *
 * - Each tenant role carries the `tenant` role tag, which becomes the session's `aws:PrincipalTag/tenant`,
 *   the key the API's resource policy binds the `{tenant}` path segment to; it is granted submit,
 *   read-status and extend through the API's own grants. Only the caller's role may assume it, and
 *   nobody may pass session tags (no `sts:TagSession` in the trust policy or the caller's policy), so
 *   a session cannot name another tenant.
 * - The caller's own role has no `tenant` tag: it may invoke any method of the API's stage, which the
 *   API's resource policy must refuse (the "caller without a tenant" case), and assume the tenant roles.
 * Everything here is integ-test infrastructure, deleted with the test stack.
 */
import * as path from 'path';
import { IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { CfnResource, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import type { ApiCall, CallerEvent } from './dsr-api-caller.lambda';
import { DataClassification, DsrApi, ExpectedExemptions, PrivacyClassification, PrivacyKey, PrivacyTagKeys } from '../lib';
import { newestNodeRuntime } from '../lib/dsr/private/runtime';

/** Acknowledges each of `ids` on `scope` with `reason`. */
function acknowledgeAll(scope: IConstruct, ids: readonly string[], reason: string): void {
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}

/** The bundle `npx projen bundle` writes (integ:update and integ:verify bundle first). */
export const CALLER_ASSET = path.join(__dirname, '..', 'assets', 'integ', 'dsr-api-caller.lambda');

/** Props of a DsrApiCaller. */
export interface DsrApiCallerProps {
  /** The API to call. */
  readonly api: DsrApi;
  /** The test tenants: a role each. */
  readonly tenants: readonly string[];
  /** The key of the caller's log group. */
  readonly encryptionKey: PrivacyKey;
}

/** A function that calls a DsrApi as the test tenants, unsigned, or as itself (no tenant). */
export class DsrApiCaller extends Construct {
  /** The caller function. */
  public readonly function: lambda.Function;
  /** The caller function's role (no `tenant` tag). */
  public readonly role: iam.Role;
  /** The log group of the caller function. */
  public readonly logGroup: logs.LogGroup;
  /** The caller role's only policy. */
  public readonly policy: iam.ManagedPolicy;
  private readonly api: DsrApi;
  private readonly tenantRoles = new Map<string, iam.Role>();

  constructor(scope: Construct, id: string, props: DsrApiCallerProps) {
    super(scope, id);
    this.api = props.api;
    const logGroupName = `/cdk-ccpa/integ/${this.node.addr}`;
    props.encryptionKey.allowCloudWatchLogs(logGroupName);
    // the function logs nothing of its own (Lambda's START/END/REPORT lines only)
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    PrivacyClassification.apply(this.logGroup, { classification: DataClassification.NON_PERSONAL });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-ccpa integ: the DsrApi caller (no tenant tag): invokes the API, assumes the test tenants\' roles',
    });
    for (const tenant of props.tenants) {
      const role = new iam.Role(this, `Tenant-${tenant}`, {
        assumedBy: new iam.ArnPrincipal(this.role.roleArn), // sts:AssumeRole only: no session tags
        description: `cdk-ccpa integ: test tenant ${tenant} of the DsrApi (role tag tenant=${tenant})`,
        maxSessionDuration: Duration.hours(1),
      });
      Tags.of(role).add(PrivacyTagKeys.TENANT, tenant);
      props.api.grantSubmit(role);
      props.api.grantReadStatus(role);
      props.api.grantExtend(role);
      this.tenantRoles.set(tenant, role);
    }
    // the caller's whole policy, a managed policy of its own: its log group, this API's stage, the tenant roles
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'cdk-ccpa integ: what the DsrApi caller may do',
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
        // every method of this API's stage: the resource policy, not this grant, must refuse a caller without a tenant
        new iam.PolicyStatement({ sid: 'InvokeThisApi', actions: ['execute-api:Invoke'], resources: [props.api.api.arnForExecuteApi('*', '/*', props.api.stage.stageName)] }),
        new iam.PolicyStatement({ sid: 'AssumeTestTenantRoles', actions: ['sts:AssumeRole'], resources: [...this.tenantRoles.values()].map((r) => r.roleArn) }),
      ],
    });

    this.function = new lambda.Function(this, 'Function', {
      description: 'cdk-ccpa integ: calls the DsrApi over HTTPS, SigV4-signed as a test tenant, as itself, or unsigned',
      // the DSR handlers' runtime: the newest Node.js the installed aws-cdk-lib knows (AwsSolutions-L1)
      runtime: newestNodeRuntime(),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(CALLER_ASSET),
      role: this.role,
      logGroup: this.logGroup,
      timeout: Duration.minutes(2),
      memorySize: 256,
    });
    this.function.node.addDependency(this.policy);
    PrivacyClassification.apply(this.function, { classification: DataClassification.NON_PERSONAL });
    this.acknowledge();
  }

  /** The role of a test tenant (tagged `tenant=<tenant>`). */
  public tenantRole(tenant: string): iam.Role {
    const role = this.tenantRoles.get(tenant);
    if (!role) throw new Error(`no test tenant ${tenant}: the tenants are ${[...this.tenantRoles.keys()].join(', ')}`);
    return role;
  }

  /** `as` of a call made by a test tenant. */
  public as(tenant: string): string {
    return this.tenantRole(tenant).roleArn;
  }

  /** An assertion that invokes the caller with these calls (made in order); its Payload is `{ results: [{ status, body }] }`. */
  public call(integ: IntegTest, calls: readonly ApiCall[]): IApiCall {
    const event: CallerEvent = { url: this.api.api.url, calls };
    return integ.assertions.invokeFunction({ functionName: this.function.functionName, payload: JSON.stringify(event) });
  }

  /** The findings of integ-only infrastructure that are answered by what it is, each on its own resource. */
  private acknowledge(): void {
    const fn = this.function.node.defaultChild as CfnResource;
    const what = 'An integ-test function, deleted with the test stack, that the assertion provider invokes synchronously to call the DsrApi\'s public regional endpoint over HTTPS';
    const noVpc = `${what}: it needs the internet path of a real client, holds no data but the answers it returns, and has no VPC to run in.`;
    acknowledgeAll(fn, ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC'], noVpc);
    // the cfn-guard rule as a cdk-ccpa expected exemption, on this function only (an acknowledgement would apply app-wide)
    fn.addMetadata(ExpectedExemptions.METADATA_KEY, { 'cdk-validator-cfnguard::lambda_inside_vpc_check': noVpc });
    acknowledgeAll(fn, ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'],
      `${what}: a synchronous invocation returns its error to the caller, so a dead-letter queue (for asynchronous invocations) would never receive anything.`);
    acknowledgeAll(fn, ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'],
      `${what}: a handful of invocations per test run, one at a time; reserving concurrency would only take it from the account's unreserved pool (a new account's minimum of 10 leaves none to reserve).`);
    const invokeArn = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${Stack.of(this).getLogicalId(this.api.api.node.defaultChild as CfnResource)}>/<${Stack.of(this).getLogicalId(this.api.stage.node.defaultChild as CfnResource)}>/*/*`;
    // the finding id names pseudo parameters (`::`), which Validations.acknowledge refuses: recorded as it would record it
    this.policy.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
      [`AwsSolutions-IAM5[Resource::${invokeArn}]`]: 'The integ test\'s caller may invoke every method and path of this one API\'s stage (and no other API): the test proves that the API\'s resource policy refuses a signed caller without a tenant tag whatever its own policy allows.',
    });
  }
}
