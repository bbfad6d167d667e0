import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DsrApi, DsrApiAuthorization, DsrWorkflow, OrganizationTrailCoverage, PersonalDataBucket, PrivacyTable } from '../../lib';
import { ComplianceReport, expectCompliant, runComplianceKit } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';

const ENV = { account: '111111111111', region: 'us-east-1' };
const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org';

function workflowStack(env: { account: string; region: string } | null = ENV) {
  const app = new App();
  const stack = new Stack(app, 'S', { env: env ?? undefined });
  const workflow = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'Customers'), new PersonalDataBucket(stack, 'Documents')] });
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

  test('THEN both methods use IAM authorization, the request validator and exactly two methods exist (no OPTIONS, no proxy)', () => {
    expect(methods.map((m) => [m.Properties.HttpMethod, m.Properties.AuthorizationType]).sort()).toEqual([['GET', 'AWS_IAM'], ['POST', 'AWS_IAM']]);
    for (const m of methods) expect(m.Properties.RequestValidatorId).toEqual({ Ref: stack.getLogicalId(api.api.node.findChild('Validator').node.defaultChild as any) });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  test('THEN the integrations call Step Functions directly with the integration role (no Lambda in the API)', () => {
    const uris = methods.map((m) => JSON.stringify(m.Properties.Integration.Uri));
    expect(uris.some((u) => u.includes(':states:action/StartExecution'))).toBe(true);
    expect(uris.some((u) => u.includes(':states:action/DescribeExecution'))).toBe(true);
    for (const m of methods) {
      expect(m.Properties.Integration).toMatchObject({ Type: 'AWS', IntegrationHttpMethod: 'POST', PassthroughBehavior: 'NEVER' });
    }
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('Api'))).toEqual([]);
  });

  test('THEN the integration role may only start this state machine (with the key use that needs, through Step Functions) and describe its executions', () => {
    const resources = template.toJSON().Resources;
    const role = resources[stack.getLogicalId(api.integrationRole.node.defaultChild as any)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    }]);
    // the key policy accepts it only as a DSR role: it hands the raw subject to the workflow
    expect(role.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'privacy:workflow', Value: 'dsr' }]));
    const defaultPolicy = resources[stack.getLogicalId(api.integrationRole.node.findChild('DefaultPolicy').node.defaultChild as any)];
    expect(defaultPolicy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: stack.getLogicalId(workflow.stateMachine.node.defaultChild as any) } },
      {
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(workflow.encryptionKey.node.defaultChild as any), 'Arn'] },
        Condition: {
          StringEquals: {
            'kms:ViaService': { 'Fn::Join': ['', ['states.us-east-1.', { Ref: 'AWS::URLSuffix' }]] },
            'kms:EncryptionContext:aws:states:stateMachineArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:us-east-1:111111111111:stateMachine:${(workflow.stateMachine.node.defaultChild as any).stateMachineName}`]],
            },
          },
        },
      },
    ]);
    const statements = role.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements).toEqual([
      {
        Action: 'states:DescribeExecution',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:aws:states:us-east-1:111111111111:execution:', { 'Fn::GetAtt': [stack.getLogicalId(workflow.stateMachine.node.defaultChild as any), 'Name'] }, ':*']] },
      },
    ]);
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
      ['POST', '/~1tenants~1{tenant}~1requests', 10, 20],
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

  test('THEN the mapping templates take the tenant from the path, never the body, and read metadata only', () => {
    const submit = methods.find((m) => m.Properties.HttpMethod === 'POST').Properties.Integration;
    const status = methods.find((m) => m.Properties.HttpMethod === 'GET').Properties.Integration;
    const submitTemplate = JSON.stringify(submit.RequestTemplates['application/json']);
    expect(submitTemplate).toContain("#set($tenant = $input.params('tenant'))");
    expect(submitTemplate).not.toContain('$.tenant');
    expect(submitTemplate).not.toContain("$input.json('$')");
    expect(submitTemplate).toContain('${tenant}_${requestId}');
    const statusTemplate = JSON.stringify(status.RequestTemplates['application/json']);
    expect(statusTemplate).toContain('\\"includedData\\": \\"METADATA_ONLY\\"');
    // the answers are built from status and dates only: never input, output, error or cause
    for (const integration of [submit, status]) {
      const ok = integration.IntegrationResponses.find((r: any) => !r.SelectionPattern).ResponseTemplates['application/json'] as string;
      for (const field of ['$.input', '$.output', '$.error', '$.cause']) expect([field, ok.includes(field)]).toEqual([field, false]);
      const errors = integration.IntegrationResponses.filter((r: any) => r.SelectionPattern);
      expect(errors.map((r: any) => [r.SelectionPattern, r.StatusCode])).toEqual([['4\\d{2}', '400'], ['5\\d{2}', '502']]);
      for (const r of errors) expect(r.ResponseTemplates['application/json']).not.toMatch(/\$\.(message|Message|cause)/);
    }
  });

  test('THEN there is no resource policy statement that allows anyone outside the account', () => {
    const rest = only(template, 'AWS::ApiGateway::RestApi');
    const allows = rest.Properties.Policy.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows.map((s: any) => s.Principal)).toEqual([{ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } }]);
  });
});

describe('GIVEN a DsrApi with Cognito authorization, a private endpoint, or a custom domain', () => {
  test('WHEN authorization is COGNITO THEN both methods use the user pool authorizer and the templates compare the tenant claim with the path', () => {
    const { stack, workflow } = workflowStack();
    const userPool = new cognito.UserPool(stack, 'Users');
    new DsrApi(stack, 'Api', { workflow, authorization: DsrApiAuthorization.COGNITO, userPool, tenantClaim: 'custom:org' });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: Match.anyValue() }, 2);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
    const templates = JSON.stringify(template.findResources('AWS::ApiGateway::Method'));
    expect(templates).toContain("$!context.authorizer.claims['custom:org']");
    expect(templates).toContain('#if($claimed != $tenant)#set($ok = false)#end');
    // no resource policy: the authorizer decides on a REGIONAL API
    expect(only(template, 'AWS::ApiGateway::RestApi').Properties.Policy).toBeUndefined();
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

  test('WHEN the stack is environment-agnostic THEN DescribeExecution is scoped by state machine name with wildcard partition, region and account', () => {
    const { stack, workflow } = workflowStack(null);
    const api = new DsrApi(stack, 'Api', { workflow });
    const role = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(api.integrationRole.node.defaultChild as any)];
    expect(role.Properties.Policies[0].PolicyDocument.Statement[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:*:states:*:*:execution:', { 'Fn::GetAtt': [stack.getLogicalId(workflow.stateMachine.node.defaultChild as any), 'Name'] }, ':*']],
    });
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
      '<pack>-IAMNoInlinePolicy',
      '<pack>-WAFv2LoggingEnabled',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM5[Resource::arn:aws:states:us-east-1:111111111111:execution:<DsrStateMachineD099FFC4.Name>:*]',
    ]);
    for (const a of ours) expect(a.reason.length).toBeGreaterThan(80);
  });
});

describe('refused props', () => {
  const expectRefused = (build: (stack: Stack, workflow: DsrWorkflow) => unknown, ...fragments: string[]) => {
    const { stack, workflow } = workflowStack();
    const thrown = validationErrorOf(() => build(stack, workflow));
    for (const f of fragments) expect(thrown).toContain(f);
  };

  test('GIVEN an authorization that is not IAM or COGNITO (e.g. NONE from JavaScript) THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, authorization: 'NONE' as DsrApiAuthorization }), 'authorization "NONE"', 'never open');
  });
  test('GIVEN COGNITO without a user pool THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, authorization: DsrApiAuthorization.COGNITO }), 'COGNITO without userPool');
  });
  test('GIVEN a user pool or a tenant claim with IAM THEN they are refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, userPool: new cognito.UserPool(s, 'U'), tenantClaim: 'custom:t' }),
      'userPool is set with authorization IAM', 'tenantClaim is set with authorization IAM');
  });
  test('GIVEN a tenant claim that could break out of the mapping template THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', {
      workflow, authorization: DsrApiAuthorization.COGNITO, userPool: new cognito.UserPool(s, 'U'), tenantClaim: "x'])#set($ok = true)",
    }), 'tenantClaim "x\'])#set($ok = true)"');
  });
  test('GIVEN a bad stage name THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, stageName: 'v1/x' }), 'stageName "v1/x"');
  });
  test('GIVEN throttling off or out of range THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, throttlingRateLimit: 0, throttlingBurstLimit: 0.5 }), 'throttlingRateLimit 0', 'throttlingBurstLimit 0.5');
  });
  test('GIVEN a WAF rate limit below the WAF minimum THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, wafRateLimit: 5 }), 'wafRateLimit 5');
  });
  test('GIVEN access logs kept less than a year THEN it is refused; INFINITE and 13 months are accepted', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, accessLogRetention: logs.RetentionDays.SIX_MONTHS }), 'accessLogRetention 180 days', '365');
    const { stack, workflow } = workflowStack();
    expect(() => new DsrApi(stack, 'A', { workflow, accessLogRetention: logs.RetentionDays.INFINITE })).not.toThrow();
    expect(() => new DsrApi(stack, 'B', { workflow, accessLogRetention: logs.RetentionDays.ONE_YEAR })).not.toThrow();
  });
  test('GIVEN a domain without a certificate, or a certificate without a domain THEN it is refused', () => {
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, domainName: 'privacy.example.com' }), 'domainName without certificate');
    expectRefused((s, workflow) => new DsrApi(s, 'Api', {
      workflow, certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
    }), 'certificate without domainName');
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
    }, 'domainName with a private endpoint', 'vpc and vpcEndpoint are both set');
    expectRefused((s, workflow) => new DsrApi(s, 'Api', { workflow, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), 'vpcSubnets without vpc');
  });
  test('GIVEN no workflow (from JavaScript) THEN it is refused', () => {
    expectRefused((s) => new DsrApi(s, 'Api', {} as any), 'workflow is missing');
  });
});

describe('grants', () => {
  test('GIVEN a role WHEN granted submit and read THEN it may invoke exactly its own tenant\'s two methods', () => {
    const { stack, workflow } = workflowStack();
    const api = new DsrApi(stack, 'Api', { workflow });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantSubmit(role);
    api.grantReadStatus(role);
    const statements = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(role.node.findChild('DefaultPolicy').node.defaultChild as any)]
      .Properties.PolicyDocument.Statement;
    const resources = JSON.stringify(statements);
    expect(resources).toContain('"/POST/tenants/${aws:PrincipalTag/tenant}/requests"');
    expect(resources).toContain('"/GET/tenants/${aws:PrincipalTag/tenant}/requests/*"');
    expect(resources).toContain(stack.getLogicalId(api.stage.node.defaultChild as any));
    expect([...new Set(statements.map((s: any) => s.Action))]).toEqual(['execute-api:Invoke']);
  });

  test('GIVEN a known environment THEN the granted ARN has a literal partition, region and account (its cdk-nag finding can be acknowledged); an agnostic stack keeps the pseudo parameters', () => {
    const arnOf = (env: { account: string; region: string } | null) => {
      const { stack, workflow } = workflowStack(env);
      const api = new DsrApi(stack, 'Api', { workflow });
      const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
      api.grantSubmit(role);
      const policy = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(role.node.findChild('DefaultPolicy').node.defaultChild as any)];
      return JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
    };
    expect(arnOf(ENV)).toContain(`"arn:aws:execute-api:${ENV.region}:${ENV.account}:"`);
    expect(arnOf(ENV)).not.toContain('AWS::Partition');
    expect(arnOf(null)).toContain('AWS::Partition');
  });
});
