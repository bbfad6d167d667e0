import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { extensionRequestSchema, optOutSignalSchema, statusSchema, submitRequestSchema } from './request-model';
import { OPT_OUT_SIGNALS_PATH, REQUESTS_PATH } from './rest-api';
import { DsrApiAuthorization } from '../dsr-api-authorization';

export interface MethodsProps {
  readonly authorization: DsrApiAuthorization;
  readonly userPool?: cognito.IUserPool;
  /** The one backend: the workflow's Requests function. */
  readonly requestsFunction: lambda.IFunction;
}

export interface ApiMethods {
  readonly submitMethod: apigw.Method;
  readonly statusMethod: apigw.Method;
  readonly extensionMethod: apigw.Method;
  readonly confirmationMethod: apigw.Method;
  readonly optOutSignalMethod: apigw.Method;
  readonly requestModel: apigw.Model;
  readonly extensionModel: apigw.Model;
  readonly optOutSignalModel: apigw.Model;
}

/**
 * The five methods, each a Lambda proxy integration with the Requests function (CDK adds its
 * invoke permissions for API Gateway per method, each scoped to this API's method ARN:
 * `<apiId>/<stage>/<METHOD>/<path>`; none for TestInvokeMethod, which skips the authorizer),
 * authorized, with their bodies and parameters validated. The Cognito authorizer is created in `scope`.
 */
export function addMethods(scope: Construct, api: apigw.RestApi, props: MethodsProps): ApiMethods {
  const integration = new apigw.LambdaIntegration(props.requestsFunction, {
    proxy: true,
    // no permission for the console's test invocation: it skips the authorizer and the resource
    // policy, so any principal allowed apigateway:POST on the API could call for any tenant path
    allowTestInvoke: false,
  });
  const requestModel = api.addModel('SubmitRequest', { contentType: 'application/json', modelName: 'DsrSubmitRequest', schema: submitRequestSchema() });
  const extensionModel = api.addModel('ExtensionRequest', { contentType: 'application/json', modelName: 'DsrExtensionRequest', schema: extensionRequestSchema() });
  const optOutSignalModel = api.addModel('OptOutSignal', { contentType: 'application/json', modelName: 'DsrOptOutSignal', schema: optOutSignalSchema() });
  const statusModel = api.addModel('RequestStatus', { contentType: 'application/json', modelName: 'DsrRequestStatus', schema: statusSchema() });
  const validator = api.addRequestValidator('Validator', {
    requestValidatorName: 'body-and-parameters',
    validateRequestBody: true,
    validateRequestParameters: true,
  });
  const auth: apigw.MethodOptions = props.authorization === DsrApiAuthorization.COGNITO
    ? {
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizer: new apigw.CognitoUserPoolsAuthorizer(scope, 'Authorizer', { cognitoUserPools: [props.userPool!] }),
    }
    : { authorizationType: apigw.AuthorizationType.IAM };
  // documentation of the answers: a proxy integration returns the function's status code and body as they are
  const responses = (ok: string): apigw.MethodResponse[] => [
    { statusCode: ok, responseModels: { 'application/json': statusModel } },
    ...['400', '403', '404', '409', '502', '503'].map((statusCode) => ({ statusCode, responseModels: { 'application/json': apigw.Model.ERROR_MODEL } })),
  ];
  // `$default`: the body is validated whatever its Content-Type (API Gateway skips validation for a
  // content type without a model)
  const bodyModel = (model: apigw.IModel) => ({ $default: model });
  const tenant = { 'method.request.path.tenant': true };
  const tenantAndRequest = { ...tenant, 'method.request.path.requestId': true };

  const requests = api.root.resourceForPath(REQUESTS_PATH);
  const submitMethod = requests.addMethod('POST', integration, {
    ...auth, requestValidator: validator, requestModels: bodyModel(requestModel), requestParameters: tenant, methodResponses: responses('202'),
  });
  const request = requests.addResource('{requestId}');
  const statusMethod = request.addMethod('GET', integration, {
    ...auth, requestValidator: validator, requestParameters: tenantAndRequest, methodResponses: responses('200'),
  });
  const extensionMethod = request.addResource('extension').addMethod('POST', integration, {
    ...auth, requestValidator: validator, requestModels: bodyModel(extensionModel), requestParameters: tenantAndRequest, methodResponses: responses('200'),
  });
  // the business's notifier: receipt confirmed to the consumer (no body)
  const confirmationMethod = request.addResource('confirmation').addMethod('POST', integration, {
    ...auth, requestValidator: validator, requestParameters: tenantAndRequest, methodResponses: responses('200'),
  });
  // an opt-out preference signal (Sec-GPC: 1 header, or { gpc: true } forwarded) for a consumer or browser id
  const optOutSignalMethod = api.root.resourceForPath(OPT_OUT_SIGNALS_PATH).addMethod('POST', integration, {
    ...auth, requestValidator: validator, requestModels: bodyModel(optOutSignalModel), requestParameters: tenant, methodResponses: responses('202'),
  });
  return { submitMethod, statusMethod, extensionMethod, confirmationMethod, optOutSignalMethod, requestModel, extensionModel, optOutSignalModel };
}
