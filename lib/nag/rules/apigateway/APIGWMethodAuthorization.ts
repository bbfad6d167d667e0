import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { describeValue } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { unauthenticatedOperations } from '../../private/openapi';
import { CcpaRule, Outcome } from '../../private/rule';

/**
 * Authentication on every method (REST), route (HTTP, WebSocket `$connect`) and operation of an
 * OpenAPI body of an in-scope API.
 */
export const APIGWMethodAuthorization: CcpaRule = {
  id: 'APIGWMethodAuthorization',
  service: 'apigateway',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'],
  what: 'A method (REST), route (HTTP; WebSocket $connect only) or OpenAPI operation (Body of a SpecRestApi or HTTP API) of an in-scope API needs no authentication; OPTIONS (CORS preflight) is exempt.',
  cites: ['ccr-7123(c)(1)', 'civ-1798.81.5(b)'],
  risk: Risk.APIGW,
  fix: 'Set an authorizer (Cognito, IAM or a Lambda authorizer) as defaultMethodOptions / defaultAuthorizer of the API; in an OpenAPI body, a security requirement naming such a scheme on every operation (API keys are not authentication). Classify a public API non-personal.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (node.cfnResourceType === 'AWS::ApiGateway::RestApi' || node.cfnResourceType === 'AWS::ApiGatewayV2::Api') {
      if (!index.inScope(node)) return Outcome.NOT_APPLICABLE;
      if (props.Body === undefined) {
        return props.BodyS3Location !== undefined ? index.unknown('BodyS3Location', props.BodyS3Location) : Outcome.NOT_APPLICABLE;
      }
      const open = unauthenticatedOperations(props.Body);
      if (open === undefined) return index.unknown('Body', props.Body);
      if (open.length === 0) return Outcome.COMPLIANT;
      index.note(`Body operations without authentication: ${open.slice(0, 5).join(', ')}${open.length > 5 ? ` and ${open.length - 5} more` : ''}`);
      return Outcome.NON_COMPLIANT;
    }
    const rest = node.cfnResourceType === 'AWS::ApiGateway::Method';
    const api = index.target(rest ? props.RestApiId : props.ApiId, node);
    // an API outside the app is in scope like any other (fail-closed): the method or route decides by its own classification
    if (!index.inScope(api.kind === 'resource' ? api.resource : node)) return Outcome.NOT_APPLICABLE;
    if (rest ? props.HttpMethod === 'OPTIONS' : typeof props.RouteKey === 'string' && props.RouteKey.startsWith('OPTIONS ')) return Outcome.NOT_APPLICABLE;
    if (!rest) {
      // WebSocket APIs authorize only on $connect (AWS rejects an authorizer on any other route)
      const protocol = api.kind === 'resource' ? index.props(api.resource).ProtocolType : undefined;
      if (protocol === 'WEBSOCKET' && props.RouteKey !== '$connect') return Outcome.NOT_APPLICABLE;
      if (api.kind !== 'resource' && props.RouteKey !== '$connect') {
        // the API's protocol is not in the app: `METHOD /path` is HTTP; `$default` may be either; other keys are WebSocket routes
        const key = props.RouteKey;
        if (typeof key !== 'string') return index.unknown('RouteKey', key);
        if (!/^[A-Z]+ \//.test(key)) {
          if (key !== '$default' || (props.AuthorizationType !== undefined && props.AuthorizationType !== 'NONE')) return Outcome.NOT_APPLICABLE;
          return index.unknown('ApiId (HTTP or WebSocket API, route $default)', props.ApiId);
        }
      }
    }
    const type = props.AuthorizationType;
    if (index.anyUnknown({ AuthorizationType: type })) return Outcome.CANNOT_VERIFY;
    if (type === undefined || type === 'NONE') {
      index.note(`AuthorizationType = ${describeValue(type)}`);
      return Outcome.NON_COMPLIANT;
    }
    return Outcome.COMPLIANT;
  },
};
