import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';

import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** Every in-scope API stage writes access logs. */
export const APIGWStageAccessLogging: CcpaRule = {
  id: 'APIGWStageAccessLogging',
  service: 'apigateway',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'],
  what: 'An in-scope API Gateway stage (REST, HTTP or WebSocket) has no access logging destination: requests to privacy endpoints leave no record.',
  cites: Cites.AUDIT_LOGS,
  risk: Risk.APIGW,
  fix: 'Set deployOptions.accessLogDestination (REST) or accessLogSettings (HTTP) to a log group with at least 365 days of retention; log request ids and caller identity, not request bodies.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const settings = node.cfnResourceType === 'AWS::ApiGateway::Stage' ? props.AccessLogSetting : props.AccessLogSettings;
    if (index.anyUnknown({ [node.cfnResourceType === 'AWS::ApiGateway::Stage' ? 'AccessLogSetting' : 'AccessLogSettings']: settings })) return Outcome.CANNOT_VERIFY;
    return settings?.DestinationArn ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
