/**
 * The assertions both DsrWorkflow integ tests run against a real account: seed one item of a
 * subject, submit a DELETE request to the workflow's Requests function, wait until its status
 * reads COMPLETED, check the item is gone. The seed and the check act as a DSR principal (tag the
 * assertion roles privacy:workflow=dsr first): the table policy and the key policy admit only
 * tagged roles. Submitting and reading the status need only lambda:InvokeFunction: the Requests
 * function pseudonymizes, records and starts the execution with the request id alone.
 */
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import { DsrWorkflow, PrivacyKey, PrivacyTable } from '../lib';

/** Seed -> SUBMIT(DELETE) -> STATUS until COMPLETED -> GetItem finds nothing. Returns the first and last call. */
export function deleteRemovesItem(integ: IntegTest, props: {
  readonly dsr: DsrWorkflow;
  readonly table: PrivacyTable;
  readonly key: PrivacyKey;
  readonly requestId: string;
}): { readonly first: IApiCall; readonly last: IApiCall } {
  const useKey = (call: IApiCall, ...actions: string[]) =>
    call.provider.addToRolePolicy({ Effect: 'Allow', Action: actions, Resource: [props.key.keyArn] });
  const tenant = 'integ';
  const subject = 'integ-subject@example.com';

  // a pooled-style key: the table's subject index finds it by subjectId
  const item = { pk: { S: 'order-1' }, sk: { S: 'ORDER' }, subjectId: { S: subject } };
  const seed = integ.assertions.awsApiCall('DynamoDB', 'putItem', { TableName: props.table.table.tableName, Item: item });
  useKey(seed, 'kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt');

  const submit = integ.assertions.invokeFunction({
    functionName: props.dsr.requestsFunction.functionName,
    payload: JSON.stringify({ action: 'SUBMIT', request: { requestId: props.requestId, type: 'DELETE', tenant, subject } }),
  }).expect(ExpectedResult.objectLike({
    StatusCode: 200,
    Payload: Match.serializedJson(Match.objectLike({ requestId: props.requestId, status: 'RECEIVED', execution: `${props.requestId}_r1` })),
  }));

  const completed = integ.assertions.invokeFunction({
    functionName: props.dsr.requestsFunction.functionName,
    payload: JSON.stringify({ action: 'STATUS', tenant, requestId: props.requestId }),
  }).expect(ExpectedResult.objectLike({
    StatusCode: 200,
    Payload: Match.serializedJson(Match.objectLike({ requestId: props.requestId, status: 'COMPLETED' })),
  })).waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) });

  const gone = integ.assertions.awsApiCall('DynamoDB', 'getItem', {
    TableName: props.table.table.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true,
  }).expect(ExpectedResult.exact({}));
  useKey(gone, 'kms:Decrypt');

  seed.next(submit).next(completed).next(gone);
  return { first: seed, last: gone };
}
