import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asBool, CfnValue, isIntrinsic } from '../../private/cfn-values';
import { Cites } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** No request/response body logging (DataTraceEnabled) on in-scope API stages. */
export const APIGWNoDataTrace: CcpaRule = {
  id: 'APIGWNoDataTrace',
  service: 'apigateway',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Stage'],
  what: 'An in-scope API Gateway stage logs full requests and responses (DataTraceEnabled true in MethodSettings, StageDescription, DefaultRouteSettings or RouteSettings): request bodies with personal data land in execution logs.',
  cites: Cites.SECURITY,
  risk: 'Execution logs with full request and response bodies copy consumers\' personal data into logs that are kept, searched and shared far more widely than the store.',
  fix: 'Set dataTraceEnabled: false (deployOptions / methodOptions; L1: MethodSettings[].DataTraceEnabled, DefaultRouteSettings.DataTraceEnabled); use access logs with request ids and caller identity instead.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const sites: [string, CfnValue][] = [];
    const methodSettings = (prefix: string, list: CfnValue) => {
      if (isIntrinsic(list)) sites.push([prefix, list]);
      else asArray(list).forEach((m, i) => sites.push([`${prefix}[${i}].DataTraceEnabled`, isIntrinsic(m) ? m : m?.DataTraceEnabled]));
    };
    switch (node.cfnResourceType) {
      case 'AWS::ApiGateway::Stage':
        methodSettings('MethodSettings', props.MethodSettings);
        break;
      case 'AWS::ApiGateway::Deployment': {
        if (props.StageName === undefined) return Outcome.NOT_APPLICABLE;
        const d = props.StageDescription;
        if (isIntrinsic(d)) {sites.push(['StageDescription', d]);} else {
          sites.push(['StageDescription.DataTraceEnabled', d?.DataTraceEnabled]);
          methodSettings('StageDescription.MethodSettings', d?.MethodSettings);
        }
        break;
      }
      default: {
        const d = props.DefaultRouteSettings;
        sites.push(['DefaultRouteSettings.DataTraceEnabled', isIntrinsic(d) ? d : d?.DataTraceEnabled]);
        const routes = props.RouteSettings;
        if (isIntrinsic(routes)) sites.push(['RouteSettings', routes]);
        else for (const [k, v] of Object.entries((routes ?? {}) as Record<string, CfnValue>)) sites.push([`RouteSettings.${k}.DataTraceEnabled`, isIntrinsic(v) ? v : v?.DataTraceEnabled]);
      }
    }
    let outcome = Outcome.COMPLIANT;
    for (const [property, value] of sites) {
      if (asBool(value) === true) {
        index.note(`${property} = true`);
        outcome = Outcome.NON_COMPLIANT;
      }
    }
    if (outcome === Outcome.NON_COMPLIANT) return outcome;
    return index.anyUnknown(Object.fromEntries(sites)) ? Outcome.CANNOT_VERIFY : Outcome.COMPLIANT;
  },
};
