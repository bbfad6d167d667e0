/**
 * The assertions both DsrWorkflow integ tests run against a real account: seed one item of a
 * subject, start a DELETE request, wait for the execution to succeed, check the item is gone.
 * The assertion functions act as a DSR principal (tag their roles privacy:workflow=dsr first):
 * the table policy and the key policy admit only tagged roles, and the state machines are
 * encrypted with the workflow's key, so starting an execution and reading its status use it too.
 */
import { ExpectedResult, IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import { DsrWorkflow, PrivacyKey, PrivacyTable } from '../lib';

/** Seed -> StartExecution(DELETE) -> wait for SUCCEEDED -> GetItem finds nothing. Returns the first and last call. */
export function deleteRemovesItem(integ: IntegTest, props: {
  readonly dsr: DsrWorkflow;
  readonly table: PrivacyTable;
  readonly key: PrivacyKey;
  readonly requestId: string;
}): { readonly first: IApiCall; readonly last: IApiCall } {
  const useKey = (call: IApiCall, ...actions: string[]) =>
    call.provider.addToRolePolicy({ Effect: 'Allow', Action: actions, Resource: [props.key.keyArn] });

  const item = { pk: { S: 'order-1' }, sk: { S: 'ORDER' }, subjectId: { S: 'integ-subject@example.com' } };
  const seed = integ.assertions.awsApiCall('DynamoDB', 'putItem', { TableName: props.table.table.tableName, Item: item });
  useKey(seed, 'kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt');

  const start = integ.assertions.awsApiCall('StepFunctions', 'startExecution', {
    stateMachineArn: props.dsr.stateMachine.stateMachineArn,
    name: props.requestId,
    input: JSON.stringify({ requestId: props.requestId, type: 'DELETE', tenant: 'integ', subject: 'integ-subject@example.com' }),
  });
  useKey(start, 'kms:GenerateDataKey', 'kms:Decrypt');

  const described = integ.assertions.awsApiCall('StepFunctions', 'describeExecution', { executionArn: start.getAttString('executionArn') })
    .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) });
  useKey(described, 'kms:Decrypt'); // encrypted execution history

  const gone = integ.assertions.awsApiCall('DynamoDB', 'getItem', {
    TableName: props.table.table.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true,
  }).expect(ExpectedResult.exact({}));
  useKey(gone, 'kms:Decrypt');

  seed.next(start).next(described).next(gone);
  return { first: seed, last: gone };
}
