import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { describeValue } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** Every in-scope API stage writes access logs (a destination and a format), including stages a Deployment creates. */
export const APIGWStageAccessLogging: CcpaRule = {
  id: 'APIGWStageAccessLogging',
  service: 'apigateway',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGateway::Deployment'],
  what: 'An in-scope API Gateway stage (REST, HTTP, WebSocket, or one a Deployment creates with StageName) has no access logging: no DestinationArn, or no Format (without one API Gateway writes no access log).',
  cites: Cites.AUDIT_LOGS,
  risk: Risk.APIGW,
  fix: 'Set deployOptions.accessLogDestination and accessLogFormat (REST) or accessLogSettings { destinationArn, format } (HTTP) to a log group with at least 365 days of retention; log request ids and caller identity, not request bodies. Declare stages as AWS::ApiGateway::Stage rather than Deployment.StageName.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    let property: string;
    let settings;
    if (node.cfnResourceType === 'AWS::ApiGateway::Deployment') {
      if (props.StageName === undefined) return Outcome.NOT_APPLICABLE;
      if (index.anyUnknown({ StageDescription: props.StageDescription })) return Outcome.CANNOT_VERIFY;
      property = 'StageDescription.AccessLogSetting';
      settings = props.StageDescription?.AccessLogSetting;
    } else {
      property = node.cfnResourceType === 'AWS::ApiGateway::Stage' ? 'AccessLogSetting' : 'AccessLogSettings';
      settings = props[property];
    }
    if (index.anyUnknown({ [property]: settings })) return Outcome.CANNOT_VERIFY;
    if (!settings?.DestinationArn) {
      index.note(`${property}.DestinationArn = ${describeValue(settings?.DestinationArn)}`);
      return Outcome.NON_COMPLIANT;
    }
    if (settings.Format === undefined || settings.Format === '') {
      index.note(`${property}.Format = ${describeValue(settings.Format)}`);
      return Outcome.NON_COMPLIANT;
    }
    return Outcome.COMPLIANT;
  },
};
