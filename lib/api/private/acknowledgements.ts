import { Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { acknowledgeAll, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../../private/acknowledgements';

/** The stage's findings answered by design: no cache, and no client certificate for a Lambda backend. */
export function acknowledgeStage(stage: apigw.Stage): void {
  const cfn = stage.node.defaultChild!;
  acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'APIGWCacheEnabledAndEncrypted'),
    'Caching is off by design: the only cacheable answer is a request status that changes while the request runs, and a cache would serve stale statuses; responses carry no personal data to protect at rest.');
  acknowledgeAll(cfn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'APIGWSSLEnabled'),
    'The only backend is the DsrWorkflow\'s Requests Lambda function, behind a Lambda proxy integration: API Gateway calls it through the Lambda Invoke API over HTTPS, signed with SigV4 and allowed by the function\'s resource policy for this API\'s methods only. A client certificate authenticates API Gateway to HTTP backends, of which there are none.');
}

/** IAM-authorized methods: the Cognito authorizer AwsSolutions asks for is the other option. */
export function acknowledgeIamMethods(methods: apigw.Method[]): void {
  for (const method of methods) {
    acknowledgeAll(method.node.defaultChild!, ['AwsSolutions-COG4'],
      'The method uses IAM (SigV4) authorization, and the API resource policy binds the {tenant} path segment to the caller\'s tenant principal tag; a Cognito user pool authorizer is the authorization: COGNITO option.');
  }
}

/**
 * The account's API Gateway CloudWatch Logs role (`cloudWatchRole: true`): aws-cdk-lib gives it the
 * AWS managed policy API Gateway documents for it, which only writes logs.
 */
export function acknowledgeCloudWatchRole(api: apigw.RestApi): void {
  const role = api.node.tryFindChild('CloudWatchRole')?.node.defaultChild;
  if (!role) return;
  // the finding id names `<AWS::Partition>`, whose `::` Validations.acknowledge refuses: recorded as it would record it
  role.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
    'The account\'s API Gateway CloudWatch Logs role (cloudWatchRole: true), which execution logging needs: aws-cdk-lib gives it AmazonAPIGatewayPushToCloudWatchLogs, the AWS managed policy API Gateway documents for this role; it creates log groups and streams and writes log events, and grants no access to data.',
  });
}

/** The web ACL logs nothing: its logs would hold credentials and personal information. */
export function acknowledgeWebAcl(webAcl: wafv2.CfnWebACL): void {
  acknowledgeAll(webAcl, packRuleIds(HIPAA_NIST_PCI_PACKS, 'WAFv2LoggingEnabled'),
    'WAF logs record client IP addresses and request headers, including the SigV4 or Cognito authorization header: personal information and credentials. The web ACL publishes per-rule CloudWatch metrics, and API Gateway access logs record every call without them.');
}
