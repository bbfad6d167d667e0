import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  DsrApi, DsrApiAuthorization, DsrWorkflow, OrganizationTrailCoverage, PersonalDataBucket, PrivacyTable, PrivateProcessingNetwork, TenancyModel,
} from '../../lib';
import { ComplianceReport, expectCompliant, runComplianceKit } from '../kit/compliance';
import { validationProblemsOf } from '../kit/errors';

const ENV = { account: '111111111111', region: 'us-east-1' };
const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org';

function workflowStack(env: { account: string; region: string } | null = ENV) {
  const app = new App();
  const stack = new Stack(app, 'S', { env: env ?? undefined });
  // tenants reach the workflow through the API: pooled stores, whose records carry their tenant
  const workflow = new DsrWorkflow(stack, 'Dsr', {
    stores: [new PrivacyTable(stack, 'Customers', { tenancy: TenancyModel.POOLED }), new PersonalDataBucket(stack, 'Documents', { tenancy: TenancyModel.POOLED })],
  });
  new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL });
  return { app, stack, workflow };
}

const only = (template: Template, type: string): any => {
  const all = Object.values(template.findResources(type));
  expect(all).toHaveLength(1);
  return all[0];
};

describe('GIVEN a DsrApi with no options', () => {
  const { stack, workflow } = workflowStack();
  const api = new DsrApi(stack, 'Api', { workflow });
  const template = Template.fromStack(stack);
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as any[];

  const requestsFunctionId = stack.getLogicalId(workflow.requestsFunction.node.defaultChild as any);
  const apiId = stack.getLogicalId(api.api.node.defaultChild as any);
  const resources = template.toJSON().Resources as Record<string, any>;
  const underApi = (type: string) => api.node.findAll().filter((c) => c instanceof CfnResource && c.cfnResourceType === type).map((c) => c.node.path);

  test('THEN the five methods use IAM authorization and the request validator, and no other method exists (no OPTIONS, no {proxy+})', () => {
    expect(methods.map((m) => [m.Properties.HttpMethod, m.Properties.AuthorizationType]).sort()).toEqual([
      ['GET', 'AWS_IAM'], ['POST', 'AWS_IAM'], ['POST', 'AWS_IAM'], ['POST', 'AWS_IAM'], ['POST', 'AWS_IAM'],
    ]);
    for (const m of methods) expect(m.Properties.RequestValidatorId).toEqual({ Ref: stack.getLogicalId(api.api.node.findChild('Validator').node.defaultChild as any) });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    const paths = Object.values(template.findResources('AWS::ApiGateway::Resource')).map((r: any) => r.Properties.PathPart).sort();
    expect(paths).toEqual(['confirmation', 'extension', 'opt-out-signals', 'requests', 'tenants', '{requestId}', '{tenant}']);
  });

  test('THEN every method is a Lambda proxy integration with the workflow\'s Requests function', () => {
    const uri = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:us-east-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [requestsFunctionId, 'Arn'] }, '/invocations']],
    };
    for (const method of [api.submitMethod, api.statusMethod, api.extensionMethod, api.confirmationMethod, api.optOutSignalMethod]) {
      const m = resources[stack.getLogicalId(method.node.defaultChild as any)];
      // exactly these keys: no credentials role, no mapping templates, no integration responses
      expect(m.Properties.Integration).toEqual({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: uri });
    }
  });

  test('THEN no Step Functions integration, integration role or function of its own is left in the API', () => {
    expect(JSON.stringify(methods)).not.toContain(':states:');
    expect(underApi('AWS::ApiGateway::Method')).toHaveLength(5); // the lookup sees the API's resources
    expect(underApi('AWS::IAM::Role')).toEqual([]);
    expect(underApi('AWS::IAM::Policy')).toEqual([]);
    expect(underApi('AWS::Lambda::Function')).toEqual([]);
    expect((api as any).integrationRole).toBeUndefined();
  });

  test('THEN API Gateway may invoke the Requests function only through this API\'s five methods on its stage: no test-invoke-stage permission', () => {
    const permissions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Permission'
      && JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [requestsFunctionId, 'Arn'] }));
    const stageRef = { Ref: stack.getLogicalId(api.stage.node.defaultChild as any) };
    const arn = (...rest: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:us-east-1:111111111111:', { Ref: apiId }, ...rest]] });
    expect(permissions.map((p) => p.Properties)).toEqual(expect.arrayContaining([
      ...['/POST/tenants/*/requests', '/GET/tenants/*/requests/*', '/POST/tenants/*/requests/*/extension', '/POST/tenants/*/requests/*/confirmation', '/POST/tenants/*/opt-out-signals'].flatMap((path) => [
        { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [requestsFunctionId, 'Arn'] }, Principal: 'apigateway.amazonaws.com', SourceArn: arn('/', stageRef, path) },
      ]),
    ]));
    expect(permissions).toHaveLength(5);
    expect(JSON.stringify(resources)).not.toContain('test-invoke-stage');
  });

  test('THEN the submit and extension bodies are validated against their models whatever their content type; the status method has no body model', () => {
    const method = (m: typeof api.submitMethod) => resources[stack.getLogicalId(m.node.defaultChild as any)].Properties;
    expect(method(api.submitMethod).RequestModels).toEqual({ $default: { Ref: stack.getLogicalId(api.requestModel.node.defaultChild as any) } });
    expect(method(api.extensionMethod).RequestModels).toEqual({ $default: { Ref: stack.getLogicalId(api.extensionModel.node.defaultChild as any) } });
    expect(method(api.statusMethod).RequestModels).toBeUndefined();
    expect(method(api.extensionMethod).RequestParameters).toEqual({ 'method.request.path.tenant': true, 'method.request.path.requestId': true });
    expect(resources[stack.getLogicalId(api.extensionModel.node.defaultChild as any)].Properties).toMatchObject({
      ContentType: 'application/json', Name: 'DsrExtensionRequest', Schema: { required: ['reason'], additionalProperties: false },
    });
  });

  test('THEN the answers are documented with the RequestStatus model and the error model', () => {
    const statusModelRef = { Ref: stack.getLogicalId(api.api.node.findChild('RequestStatus').node.defaultChild as any) };
    const codes = (m: typeof api.submitMethod) => resources[stack.getLogicalId(m.node.defaultChild as any)].Properties.MethodResponses
      .map((r: any) => [r.StatusCode, r.ResponseModels['application/json']]);
    const errors = ['400', '403', '404', '409', '502', '503'].map((c) => [c, 'Error']);
    expect(codes(api.submitMethod)).toEqual([['202', statusModelRef], ...errors]);
    expect(codes(api.statusMethod)).toEqual([['200', statusModelRef], ...errors]);
    expect(codes(api.extensionMethod)).toEqual([['200', statusModelRef], ...errors]);
    expect(codes(api.confirmationMethod)).toEqual([['200', statusModelRef], ...errors]);
    expect(codes(api.optOutSignalMethod)).toEqual([['202', statusModelRef], ...errors]);
  });

  test('THEN with IAM the Requests function gets no tenant claim', () => {
    const fn = resources[requestsFunctionId];
    expect(fn.Properties.Environment.Variables.DSR_TENANT_CLAIM).toBeUndefined();
  });

  test('THEN the stage throttles, traces, logs errors without data trace, does not cache, and the methods have their own throttling', () => {
    const stage = only(template, 'AWS::ApiGateway::Stage');
    expect(stage.Properties).toMatchObject({ TracingEnabled: true, StageName: 'v1' });
    const settings = stage.Properties.MethodSettings as any[];
    expect(settings.find((s) => s.ResourcePath === '/*')).toMatchObject({
      HttpMethod: '*', LoggingLevel: 'ERROR', DataTraceEnabled: false, CachingEnabled: false, ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20,
    });
    expect(settings.filter((s) => s.ResourcePath !== '/*').map((s) => [s.HttpMethod, s.ResourcePath, s.ThrottlingRateLimit, s.ThrottlingBurstLimit]).sort()).toEqual([
      ['GET', '/~1tenants~1{tenant}~1requests~1{requestId}', 10, 20],
      ['POST', '/~1tenants~1{tenant}~1opt-out-signals', 10, 20],
      ['POST', '/~1tenants~1{tenant}~1requests', 10, 20],
      ['POST', '/~1tenants~1{tenant}~1requests~1{requestId}~1confirmation', 10, 20],
      ['POST', '/~1tenants~1{tenant}~1requests~1{requestId}~1extension', 10, 20],
    ]);
  });

  test('THEN access logs go to a PrivacyKey-encrypted log group kept 13 months, in a format without identifiers, bodies, IPs or claims', () => {
    const stage = only(template, 'AWS::ApiGateway::Stage');
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(Object.keys(format)).toEqual(expect.arrayContaining(['requestId', 'httpMethod', 'resourcePath', 'status', 'responseLatency', 'callerAccount', 'callerArn']));
    const variables = Object.values(format).join(' ');
    for (const forbidden of ['$context.identity.sourceIp', '$context.identity.userAgent', '$context.path', '$context.authorizer', '$input', 'requestOverride', '$context.identity.cognito']) {
      expect([forbidden, variables.includes(forbidden)]).toEqual([forbidden, false]);
    }
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(api.accessLogGroup.node.defaultChild as any), 'Arn'] });
    for (const group of [api.accessLogGroup, api.executionLogGroup]) {
      const lg = template.toJSON().Resources[stack.getLogicalId(group.node.defaultChild as any)];
      expect(lg.Properties).toMatchObject({ RetentionInDays: 400, KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(workflow.encryptionKey.node.defaultChild as any), 'Arn'] } });
    }
  });

  test('THEN the execution log group is the one API Gateway writes to, created before the stage', () => {
    const stage = template.toJSON().Resources[stack.getLogicalId(api.stage.node.defaultChild as any)];
    expect(stage.DependsOn).toContain(stack.getLogicalId(api.executionLogGroup.node.defaultChild as any));
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: stack.getLogicalId(api.api.node.defaultChild as any) }, '/v1']] },
    });
  });

  test('THEN a REGIONAL WAFv2 web ACL with the AWS managed rule groups and a per-IP rate rule is associated with the stage', () => {
    const acl = only(template, 'AWS::WAFv2::WebACL');
    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    expect(acl.Properties.Rules.map((r: any) => r.Statement.ManagedRuleGroupStatement?.Name ?? 'RateBased')).toEqual([
      'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'RateBased',
    ]);
    expect(acl.Properties.Rules[3]).toMatchObject({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP' } } });
    const assoc = only(template, 'AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(assoc.Properties.ResourceArn)).toContain(stack.getLogicalId(api.stage.node.defaultChild as any));
    expect(assoc.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(api.webAcl), 'Arn'] });
  });

  test('THEN the API is REGIONAL with a TLS 1.2-minimum security policy in STRICT mode and is classified personal', () => {
    const rest = only(template, 'AWS::ApiGateway::RestApi');
    expect(rest.Properties).toMatchObject({
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
      DisableExecuteApiEndpoint: false,
      Tags: expect.arrayContaining([{ Key: 'privacy:classification', Value: 'personal' }]),
    });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('THEN the resource policy allows the account\'s callers only their own tenant\'s five paths and denies every other path and untagged callers', () => {
    const rest = only(template, 'AWS::ApiGateway::RestApi');
    const own = ['execute-api:/v1/POST/tenants/${aws:PrincipalTag/tenant}/requests', 'execute-api:/v1/GET/tenants/${aws:PrincipalTag/tenant}/requests/*',
      'execute-api:/v1/POST/tenants/${aws:PrincipalTag/tenant}/requests/*/extension', 'execute-api:/v1/POST/tenants/${aws:PrincipalTag/tenant}/requests/*/confirmation',
      'execute-api:/v1/POST/tenants/${aws:PrincipalTag/tenant}/opt-out-signals'];
    const bySid = Object.fromEntries(rest.Properties.Policy.Statement.map((s: any) => [s.Sid, s]));
    expect(Object.keys(bySid)).toEqual(['AccountPrincipalsOwnTenant', 'DenyCallersWithoutTenantTag', 'DenyOtherTenants']);
    expect(bySid.AccountPrincipalsOwnTenant).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: own });
    expect(bySid.DenyOtherTenants).toEqual({ Sid: 'DenyOtherTenants', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', NotResource: own });
    expect(bySid.DenyCallersWithoutTenantTag).toMatchObject({
      Effect: 'Deny', Resource: 'execute-api:/v1/*/*', Condition: { Null: { 'aws:PrincipalTag/tenant': 'true' } },
    });
  });

  test('THEN there is no resource policy statement that allows anyone outside the account', () => {
    const rest = only(template, 'AWS::ApiGateway::RestApi');
    const allows = rest.Properties.Policy.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows.map((s: any) => s.Principal)).toEqual([{ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } }]);
  });
});

describe('GIVEN a DsrApi with Cognito authorization, a private endpoint, or a custom domain', () => {
  test('WHEN authorization is COGNITO THEN the five methods use the user pool authorizer and the Requests function compares the tenant claim with the path', () => {
    const { stack, workflow } = workflowStack();
    const userPool = new cognito.UserPool(stack, 'Users');
    new DsrApi(stack, 'Api', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool, tenantClaim: 'custom:org' });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: Match.anyValue() }, 5);
    template.resourceCountIs('AWS::ApiGateway::Method', 5);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
    const fn = template.toJSON().Resources[stack.getLogicalId(workflow.requestsFunction.node.defaultChild as any)];
    expect(fn.Properties.Environment.Variables.DSR_TENANT_CLAIM).toBe('custom:org');
    // no resource policy: the authorizer decides on a REGIONAL API
    expect(only(template, 'AWS::ApiGateway::RestApi').Properties.Policy).toBeUndefined();
  });

  test('WHEN COGNITO uses the default claim THEN the Requests function compares custom:tenant', () => {
    const { stack, workflow } = workflowStack();
    new DsrApi(stack, 'Api', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool: new cognito.UserPool(stack, 'Users') });
    const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(workflow.requestsFunction.node.defaultChild as any)];
    expect(fn.Properties.Environment.Variables.DSR_TENANT_CLAIM).toBe('custom:tenant');
  });

  test('WHEN two Cognito APIs front one workflow with the same claim, or an IAM API joins them, THEN they share the function and its claim', () => {
    const { stack, workflow } = workflowStack();
    const userPool = new cognito.UserPool(stack, 'Users');
    new DsrApi(stack, 'A', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool, tenantClaim: 'custom:org' });
    expect(() => new DsrApi(stack, 'B', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool, tenantClaim: 'custom:org' })).not.toThrow();
    expect(() => new DsrApi(stack, 'C', { workflow })).not.toThrow();
    const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(workflow.requestsFunction.node.defaultChild as any)];
    expect(fn.Properties.Environment.Variables.DSR_TENANT_CLAIM).toBe('custom:org');
  });

  test('WHEN the vpc of a PrivateProcessingNetwork (isolated subnets only) is given without vpcSubnets THEN the endpoint goes into its isolated subnets', () => {
    const { stack, workflow } = workflowStack();
    const network = new PrivateProcessingNetwork(stack, 'Net', { s3PrefixListId: 'pl-63a5400a', dynamoDbPrefixListId: 'pl-02cd2c6b' });
    const api = new DsrApi(stack, 'Api', { workflow, vpc: network.vpc });
    const endpoint = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(api.vpcEndpoint!.node.defaultChild as any)];
    const isolated = network.vpc.isolatedSubnets.map((sn) => ({ Ref: stack.getLogicalId(sn.node.defaultChild as any) }));
    expect(endpoint.Properties.SubnetIds).toEqual(isolated);
  });

  test('WHEN a vpc is given THEN the API is PRIVATE behind a new execute-api endpoint and the policy denies any other source', () => {
    const { stack, workflow } = workflowStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const api = new DsrApi(stack, 'Api', { workflow, vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.us-east-1.execute-api', VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    const rest = only(template, 'AWS::ApiGateway::RestApi');
    const endpointId = { Ref: stack.getLogicalId(api.vpcEndpoint!.node.defaultChild as any) };
    expect(rest.Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: [endpointId] });
    // the endpoint admits no one until the user allows its clients
    const sg = Object.values(template.findResources('AWS::EC2::SecurityGroup')).find((g: any) => /ExecuteApiEndpoint/.test(JSON.stringify(g.Properties.GroupDescription))) as any;
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(rest.Properties.Policy.Statement).toContainEqual(expect.objectContaining({
      Sid: 'DenyOutsideVpcEndpoint', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': endpointId } },
    }));
  });

  test('WHEN a vpcEndpoint is given THEN it is used and no endpoint is created', () => {
    const { stack, workflow } = workflowStack();
    const vpcEndpoint = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Vpce', { vpcEndpointId: 'vpce-0123456789abcdef0', port: 443 });
    new DsrApi(stack, 'Api', { workflow, vpcEndpoint });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(only(template, 'AWS::ApiGateway::RestApi').Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0123456789abcdef0'] });
  });

  test('WHEN a domain is given THEN it has the TLS 1.2-minimum policy and the default endpoint is disabled', () => {
    const { stack, workflow } = workflowStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const api = new DsrApi(stack, 'Api', { workflow, domainName: 'privacy.example.com', certificate });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'privacy.example.com', SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PQ_2025_09', EndpointAccessMode: 'STRICT', EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    expect(only(template, 'AWS::ApiGateway::RestApi').Properties.DisableExecuteApiEndpoint).toBe(true);
    expect(api.url).toBe('https://privacy.example.com/');
  });

  test('WHEN cloudWatchRole is true THEN the account-level API Gateway logging role is set', () => {
    const { stack, workflow } = workflowStack();
    new DsrApi(stack, 'Api', { workflow, cloudWatchRole: true });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Account', 1);
  });
});

describe('compliance kit + CcpaChecks', () => {
  const scenarios: Record<string, (stack: Stack, workflow: DsrWorkflow) => void> = {
    'IAM, REGIONAL (default)': (stack, workflow) => { new DsrApi(stack, 'Api', { workflow }); },
    'Cognito, PRIVATE': (stack, workflow) => {
      // the user's VPC and user pool (imported: their own compliance is theirs)
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0123456789abcdef0',
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        vpcCidrBlock: '10.0.0.0/16',
        isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      });
      const api = new DsrApi(stack, 'Api', {
        workflow,
        authorization: DsrApiAuthorization.COGNITO,
        userPool: cognito.UserPool.fromUserPoolId(stack, 'Users', 'us-east-1_abcdefghi'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });
      api.vpcEndpoint!.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.1.0/24'), 'clients');
    },
  };
  const reports: Record<string, ComplianceReport> = {};
  beforeAll(() => {
    for (const [name, build] of Object.entries(scenarios)) {
      const { stack, workflow } = workflowStack();
      build(stack, workflow);
      reports[name] = runComplianceKit(stack);
    }
  });

  test.each(Object.keys(scenarios))('GIVEN %s THEN there are zero unacknowledged errors and no acknowledgement that covers nothing', (name) => {
    expectCompliant(reports[name]);
    expect(reports[name].unusedAcknowledgements.map((a) => `${a.id} @ ${a.path}`)).toEqual([]);
  });

  test('THEN CcpaChecks evaluated the API rules and they pass', () => {
    const apiRules = reports['IAM, REGIONAL (default)'].findings.filter((f) => /APIGW(MethodAuthorization|StageAccessLogging)/.test(f.ruleId));
    expect(apiRules).toEqual([]); // compliant evaluations produce no finding
  });

  test('THEN the acknowledgements on the API are exactly the reviewed ones, on its own L1s', () => {
    const ours = reports['IAM, REGIONAL (default)'].acknowledgementsUsed.filter((a) => a.path.startsWith('S/Api'));
    const ids = [...new Set(ours.map((a) => a.id.replace(/^(HIPAA\.Security|NIST\.800\.53\.R5|PCI\.DSS\.321)-/, '<pack>-')))].sort();
    expect(ids).toEqual([
      '<pack>-APIGWCacheEnabledAndEncrypted',
      '<pack>-APIGWSSLEnabled',
      '<pack>-WAFv2LoggingEnabled',
      'AwsSolutions-COG4',
      'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
    ]);
    for (const a of ours) expect(a.reason.length).toBeGreaterThan(80);
    // each on its own L1: the stage, the web ACL, the five methods, their invoke permissions (no test-invoke-stage)
    const where = (id: string) => [...new Set(ours.filter((a) => a.id === id).map((a) => a.path.replace(/^S\/Api\/Api\/Default/, '')))].sort();
    expect(where('HIPAA.Security-APIGWSSLEnabled')).toEqual(['S/Api/Api/DeploymentStage.v1/Resource']);
    expect(where('AwsSolutions-COG4')).toEqual([
      '/tenants/{tenant}/opt-out-signals/POST/Resource', '/tenants/{tenant}/requests/POST/Resource', '/tenants/{tenant}/requests/{requestId}/GET/Resource',
      '/tenants/{tenant}/requests/{requestId}/confirmation/POST/Resource', '/tenants/{tenant}/requests/{requestId}/extension/POST/Resource',
    ]);
    const permissions = where('cdk-validator-cfnguard::lambda_function_public_access_prohibited_check');
    expect(permissions).toHaveLength(5);
    for (const p of permissions) expect(p).toMatch(/^\/tenants\/\{tenant\}\/(opt-out-signals|requests(\/\{requestId\}(\/extension|\/confirmation)?)?)\/(GET|POST)\/ApiPermission\./);
    const ssl = ours.find((a) => a.id === 'NIST.800.53.R5-APIGWSSLEnabled')!.reason;
    expect(ssl).toContain('Lambda proxy integration');
    expect(ssl).not.toContain('Step Functions');
  });
});

describe('refused props', () => {
  /** Refused with exactly these error codes, in this order, and a message holding each fragment. */
  const expectRefused = (build: (stack: Stack, workflow: DsrWorkflow) => unknown, codes: string[], ...fragments: string[]) => {
    const { stack, workflow } = workflowStack();
    const thrown = validationProblemsOf(() => build(stack, workflow));
    expect(thrown.codes).toEqual(codes);
    for (const f of fragments) expect(thrown.message).toContain(f);
  };

  test('GIVEN a workflow with a SILO store of no declared tenant (the organization\'s) THEN the API is refused, naming the workflow, the store and the fix', () => {
    const { stack, workflow } = workflowStack();
    const org = new DsrWorkflow(stack, 'OrgDsr', { stores: [new PersonalDataBucket(stack, 'Kyc'), new PrivacyTable(stack, 'Tenantless', { tenancy: TenancyModel.POOLED })] });
    expect(workflow.organizationStorePaths).toEqual([]);
    expect(org.organizationStorePaths).toEqual(['S/Kyc']);
    const thrown = validationProblemsOf(() => new DsrApi(stack, 'Api', { workflow: org }));
    expect(thrown.codes).toEqual(['DsrApiWorkflowHasOrganizationStores']);
    for (const f of ['workflow S/OrgDsr', 'S/Kyc', 'siloTenant', 'TenancyModel.POOLED', 'separate DsrWorkflow']) expect(thrown.message).toContain(f);
    // a SILO store that declares its one tenant is served to that tenant only: the API is allowed
    const owned = new DsrWorkflow(stack, 'OwnedDsr', { stores: [new PersonalDataBucket(stack, 'AcmeKyc', { siloTenant: 'acme' })] });
    expect(() => new DsrApi(stack, 'OwnedApi', { workflow: owned })).not.toThrow();
  });

  // issue 12, finding 3: a default UserPoolClient lets its users write custom:tenant (UpdateUserAttributes, SignUp)
  test('GIVEN a Cognito DsrApi WHEN a client of its user pool lets users write the tenant claim THEN synth is refused, naming the pool, the client and the fix', () => {
    const { app, stack, workflow } = workflowStack();
    const userPool = new cognito.UserPool(stack, 'Users', { customAttributes: { tenant: new cognito.StringAttribute({ mutable: true }), nickname2: new cognito.StringAttribute({ mutable: true }) } });
    new DsrApi(stack, 'Api', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool });
    userPool.addClient('Safe', { writeAttributes: new cognito.ClientAttributes().withCustomAttributes('nickname2') });
    expect(() => app.synth()).not.toThrow();
    const { app: app2, stack: stack2, workflow: workflow2 } = workflowStack();
    const pool2 = new cognito.UserPool(stack2, 'Users', { customAttributes: { tenant: new cognito.StringAttribute({ mutable: true }) } });
    new DsrApi(stack2, 'Api', { workflow: workflow2, authorization: DsrApiAuthorization.COGNITO, userPool: pool2 });
    pool2.addClient('Default');
    pool2.addClient('Explicit', { writeAttributes: new cognito.ClientAttributes().withCustomAttributes('tenant') });
    let message = '';
    try { app2.synth(); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('[DsrApiTenantClaimWritable] userPool S/Users has the client S/Users/Default/Resource, whose users may write custom:tenant');
    expect(message).toContain('S/Users/Explicit/Resource');
    expect(message).toContain('writeAttributes without custom:tenant');
  });

  test('GIVEN Cognito APIs in front of a workflow THEN the Requests function knows their ids, so a call through them must carry the tenant claim', () => {
    const { stack, workflow } = workflowStack();
    const userPool = new cognito.UserPool(stack, 'Users');
    const a = new DsrApi(stack, 'A', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool });
    const b = new DsrApi(stack, 'B', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool });
    new DsrApi(stack, 'C', { workflow });
    const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(workflow.requestsFunction.node.defaultChild as any)];
    expect(fn.Properties.Environment.Variables.DSR_COGNITO_API_IDS).toEqual({
      'Fn::Join': [',', [{ Ref: stack.getLogicalId(a.api.node.defaultChild as any) }, { Ref: stack.getLogicalId(b.api.node.defaultChild as any) }]],
    });
  });

  test('GIVEN an authorization that is not IAM or COGNITO (e.g. NONE from JavaScript) THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, authorization: 'NONE' as DsrApiAuthorization }), ['DsrApiAuthorizationInvalid'], 'authorization "NONE"', 'never open');
  });
  test('GIVEN COGNITO without a user pool THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, authorization: DsrApiAuthorization.COGNITO }), ['DsrApiUserPoolMissing'], 'COGNITO without userPool');
  });
  test('GIVEN a user pool or a tenant claim with IAM THEN they are refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, userPool: new cognito.UserPool(s, 'U'), tenantClaim: 'custom:t' }),
      ['DsrApiUserPoolIgnored', 'DsrApiTenantClaimIgnored'], 'userPool is set with authorization IAM', 'tenantClaim is set with authorization IAM');
  });
  test('GIVEN a tenant claim that is not a claim name THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', {
      workflow, authorization: DsrApiAuthorization.COGNITO, userPool: new cognito.UserPool(s, 'U'), tenantClaim: "x'])#set($ok = true)",
    }), ['DsrApiTenantClaimInvalid'], 'tenantClaim "x\'])#set($ok = true)"', '[A-Za-z0-9_:.-], 1 to 64 characters');
  });
  test('GIVEN a second Cognito DsrApi on the same workflow with a different tenant claim THEN it is refused (the one Requests function compares one claim)', () => {
    expectRefused((s, workflow) => {
      const userPool = new cognito.UserPool(s, 'U');
      new DsrApi(s, 'First', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool, tenantClaim: 'custom:org' });
      return new DsrApi(s, 'Second', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool, tenantClaim: 'custom:tenant' });
    }, ['DsrApiTenantClaimConflict'], 'tenantClaim "custom:tenant" differs from the "custom:org"', 'DSR_TENANT_CLAIM');
  });
  test('GIVEN a second Cognito DsrApi with the default claim after one with another claim THEN it is refused too', () => {
    expectRefused((s, workflow) => {
      const userPool = new cognito.UserPool(s, 'U');
      new DsrApi(s, 'First', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool, tenantClaim: 'custom:org' });
      return new DsrApi(s, 'Second', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool });
    }, ['DsrApiTenantClaimConflict'], 'tenantClaim "custom:tenant" differs from the "custom:org"');
  });
  test('GIVEN a bad stage name THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, stageName: 'v1/x' }), ['DsrApiStageNameInvalid'], 'stageName "v1/x"');
  });
  test('GIVEN throttling off or out of range THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, throttlingRateLimit: 0, throttlingBurstLimit: 0.5 }), ['DsrApiThrottlingRateLimitInvalid', 'DsrApiThrottlingBurstLimitInvalid'], 'throttlingRateLimit 0', 'throttlingBurstLimit 0.5');
  });
  test('GIVEN a WAF rate limit below the WAF minimum THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, wafRateLimit: 5 }), ['DsrApiWafRateLimitInvalid'], 'wafRateLimit 5');
  });
  test('GIVEN access logs kept less than a year THEN it is refused; INFINITE and 13 months are accepted', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, accessLogRetention: logs.RetentionDays.SIX_MONTHS }), ['DsrApiAccessLogRetentionTooShort'], 'accessLogRetention 180 days', '365');
    const { stack, workflow } = workflowStack();
    expect(() => new DsrApi(stack, 'A', { workflow, accessLogRetention: logs.RetentionDays.INFINITE })).not.toThrow();
    expect(() => new DsrApi(stack, 'B', { workflow, accessLogRetention: logs.RetentionDays.ONE_YEAR })).not.toThrow();
  });
  test('GIVEN a domain without a certificate, or a certificate without a domain THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, domainName: 'privacy.example.com' }), ['DsrApiCertificateMissing'], 'domainName privacy.example.com without certificate');
    expectRefused((s, workflow) => new DsrApi(s, 'Api', {
      workflow, certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
    }), ['DsrApiCertificateIgnored'], 'certificate without domainName');
  });
  test('GIVEN a domain with a private endpoint, both vpc and vpcEndpoint, or vpcSubnets without vpc THEN they are refused together', () => {
    expectRefused((s, workflow) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
      const vpcEndpoint = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(s, 'Vpce', { vpcEndpointId: 'vpce-1', port: 443 });
      return new DsrApi(s, 'Api', {
        workflow,
        vpc,
        vpcEndpoint,
        domainName: 'privacy.example.com',
        certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      });
    }, ['DsrApiPrivateDomainUnsupported', 'DsrApiEndpointConflict'], 'domainName privacy.example.com with a private endpoint', 'vpc and vpcEndpoint are both set');
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), ['DsrApiVpcSubnetsIgnored'], 'vpcSubnets without vpc');
  });
  test('GIVEN no workflow (from JavaScript) THEN it is refused', () => {
    expectRefused((s) => new DsrApi(s, 'Api', {} as any), ['DsrApiWorkflowMissing'], 'workflow is missing');
  });
  test('GIVEN problems in authorization, limits and endpoint THEN one error lists every one of them, each under its code', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', {
      workflow, authorization: DsrApiAuthorization.COGNITO, stageName: '', wafRateLimit: 1, vpcSubnets: {},
    }), ['DsrApiUserPoolMissing', 'DsrApiStageNameInvalid', 'DsrApiWafRateLimitInvalid', 'DsrApiVpcSubnetsIgnored'], '(4) [DsrApiVpcSubnetsIgnored] vpcSubnets without vpc');
  });
  test('GIVEN one problem THEN the error is named after its code', () => {
    const { stack, workflow } = workflowStack();
    expect(() => new DsrApi(stack, 'Api', { workflow, throttlingRateLimit: 20_000 })).toThrow(expect.objectContaining({ name: 'DsrApiThrottlingRateLimitInvalid' }));
  });
});

/** The customer managed policy the API created for the role's grants (the role's own policies are untouched). */
function grantPolicyOf(stack: Stack, api: DsrApi, role: iam.Role): any {
  expect(role.node.tryFindChild('DefaultPolicy')).toBeUndefined();
  const policy = api.node.children.find((c) => c instanceof iam.ManagedPolicy) as iam.ManagedPolicy;
  const resource = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(policy.node.defaultChild as any)];
  expect(resource.Properties.Roles).toEqual([{ Ref: stack.getLogicalId(role.node.defaultChild as any) }]);
  return resource;
}

describe('grants', () => {
  const grantedResources = (grant: (api: DsrApi, role: iam.Role) => void) => {
    const { stack, workflow } = workflowStack();
    const api = new DsrApi(stack, 'Api', { workflow });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    grant(api, role);
    const statements = grantPolicyOf(stack, api, role).Properties.PolicyDocument.Statement;
    expect([...new Set(statements.map((s: any) => s.Action))]).toEqual(['execute-api:Invoke']);
    const apiId = stack.getLogicalId(api.api.node.defaultChild as any);
    const stageId = stack.getLogicalId(api.stage.node.defaultChild as any);
    // arn:aws:execute-api:us-east-1:111111111111:<apiId>/<stage>/<METHOD><path>, flattened
    return statements.flatMap((s: any) => [s.Resource].flat()).map((r: any) => r['Fn::Join'][1]
      .map((x: any) => (x.Ref === apiId ? '<api>' : x.Ref === stageId ? '<stage>' : x)).join('')).sort();
  };

  test('GIVEN a role WHEN granted submit and read THEN it may invoke exactly its own tenant\'s two methods', () => {
    expect(grantedResources((api, role) => { api.grantSubmit(role); api.grantReadStatus(role); })).toEqual([
      'arn:aws:execute-api:us-east-1:111111111111:<api>/<stage>/GET/tenants/${aws:PrincipalTag/tenant}/requests/*',
      'arn:aws:execute-api:us-east-1:111111111111:<api>/<stage>/POST/tenants/${aws:PrincipalTag/tenant}/requests',
    ]);
  });

  test('GIVEN a role WHEN granted extend THEN it may invoke exactly its own tenant\'s extension method', () => {
    expect(grantedResources((api, role) => api.grantExtend(role))).toEqual([
      'arn:aws:execute-api:us-east-1:111111111111:<api>/<stage>/POST/tenants/${aws:PrincipalTag/tenant}/requests/*/extension',
    ]);
  });

  test('GIVEN a role WHEN granted confirm and opt-out signals THEN it may invoke exactly its own tenant\'s confirmation and signal methods', () => {
    expect(grantedResources((api, role) => { api.grantConfirm(role); api.grantRecordOptOutSignals(role); })).toEqual([
      'arn:aws:execute-api:us-east-1:111111111111:<api>/<stage>/POST/tenants/${aws:PrincipalTag/tenant}/opt-out-signals',
      'arn:aws:execute-api:us-east-1:111111111111:<api>/<stage>/POST/tenants/${aws:PrincipalTag/tenant}/requests/*/confirmation',
    ]);
  });

  test('GIVEN a known environment THEN the granted ARN has a literal partition, region and account; an agnostic stack has wildcards there (its cdk-nag finding can be acknowledged either way)', () => {
    const arnOf = (env: { account: string; region: string } | null) => {
      const { stack, workflow } = workflowStack(env);
      const api = new DsrApi(stack, 'Api', { workflow });
      const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
      api.grantSubmit(role);
      return JSON.stringify(grantPolicyOf(stack, api, role).Properties.PolicyDocument.Statement[0].Resource);
    };
    expect(arnOf(ENV)).toContain(`"arn:aws:execute-api:${ENV.region}:${ENV.account}:"`);
    expect(arnOf(ENV)).not.toContain('AWS::Partition');
    // agnostic: wildcards, not pseudo parameters, so the finding id can be acknowledged on the grant policy
    expect(arnOf(null)).toContain('"arn:*:execute-api:*:*:"');
    expect(arnOf(null)).not.toContain('AWS::');
  });
});
