import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';

import { Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** Methods of APIs that handle personal data require authorization (CORS preflight excepted). */
export const APIGWMethodAuthorization: CcpaRule = {
  id: 'APIGWMethodAuthorization',
  service: 'apigateway',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route'],
  what: 'A method (REST) or route (HTTP/WebSocket) of an API explicitly classified personal or sensitive (PrivacyClassification on the API) has AuthorizationType NONE; OPTIONS methods are exempt (CORS preflight).',
  cites: ['ccr-7123(c)(1)', 'civ-1798.81.5(b)'],
  risk: Risk.APIGW,
  fix: 'Set an authorizer (Cognito, IAM or a Lambda authorizer) as defaultMethodOptions / defaultAuthorizer of the API; API keys are not authentication.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const rest = node.cfnResourceType === 'AWS::ApiGateway::Method';
    const api = index.target(rest ? props.RestApiId : props.ApiId, node);
    if (api.kind !== 'resource') return Outcome.NOT_APPLICABLE; // an imported API carries no classification here
    const classification = index.classification(api.resource);
    if (!classification.declared || !classification.inScope) return Outcome.NOT_APPLICABLE;
    if (rest ? props.HttpMethod === 'OPTIONS' : typeof props.RouteKey === 'string' && props.RouteKey.startsWith('OPTIONS ')) return Outcome.NOT_APPLICABLE;
    const type = props.AuthorizationType;
    if (index.anyUnknown({ AuthorizationType: type })) return Outcome.CANNOT_VERIFY;
    return type === undefined || type === 'NONE' ? Outcome.NON_COMPLIANT : Outcome.COMPLIANT;
  },
};
