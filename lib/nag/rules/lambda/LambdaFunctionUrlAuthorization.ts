import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { isIntrinsic } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { resolveFunction } from '../../private/function-refs';
import { CcpaRule, Outcome } from '../../private/rule';

/** A function URL of a function that processes personal data requires IAM authentication. */
export const LambdaFunctionUrlAuthorization: CcpaRule = {
  id: 'LambdaFunctionUrlAuthorization',
  service: 'lambda',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Url', 'AWS::Serverless::Function'],
  what: 'A function URL with AuthType NONE (AWS::Lambda::Url, or FunctionUrlConfig of a SAM function) serves an in-scope Lambda function or a DSR function, also through an alias or version; a URL whose target is outside the app is [CannotVerify].',
  cites: ['ccr-7123(c)(1)', 'civ-1798.81.5(b)'],
  choice: 'a URL for a function outside the app (TargetFunctionArn a parameter, an import of another app or a literal ARN of no function here) is reported as [CannotVerify], not as compliant: the pack cannot see that function\'s classification, and an unclassified function is in scope',
  risk: Risk.LAMBDA_URL,
  fix: 'Use authType: FunctionUrlAuthType.AWS_IAM and grant callers grantInvokeUrl, or put the function behind an API with an authorizer (see APIGWMethodAuthorization). Classify a function that serves only public data non-personal.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    const props = index.props(node);
    if (node.cfnResourceType === 'AWS::Serverless::Function') {
      // SAM: the URL is a property of the function (FunctionUrlConfig.AuthType)
      const auth = props.FunctionUrlConfig?.AuthType;
      if (auth === undefined || (!isIntrinsic(auth) && auth !== 'NONE')) return Outcome.NOT_APPLICABLE;
      if (!index.inScope(node) && !index.isDsrWorkload(node)) return Outcome.NOT_APPLICABLE;
      return isIntrinsic(auth) ? index.unknown('FunctionUrlConfig.AuthType', auth) : Outcome.NON_COMPLIANT;
    }
    if (node.cfnResourceType !== 'AWS::Lambda::Url') return Outcome.NOT_APPLICABLE;
    const auth = props.AuthType;
    if (!isIntrinsic(auth) && auth !== 'NONE') return Outcome.COMPLIANT;
    const target = resolveFunction(index, props.TargetFunctionArn, node);
    if (!target) {
      return isIntrinsic(auth) ? index.unknown('AuthType', auth) : index.unknown('TargetFunctionArn', props.TargetFunctionArn);
    }
    if (!index.inScope(target.fn) && !index.isDsrWorkload(target.fn)) return Outcome.NOT_APPLICABLE;
    if (isIntrinsic(auth)) return index.unknown('AuthType', auth);
    index.note(`AuthType NONE on ${target.fn.node.path}${props.Qualifier !== undefined ? ` (Qualifier ${typeof props.Qualifier === 'string' ? props.Qualifier : 'not a literal'})` : ''}`);
    return Outcome.NON_COMPLIANT;
  },
};
