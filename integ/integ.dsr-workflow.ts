/**
 * Integ test: DsrWorkflow over a PrivacyTable and a PersonalDataBucket, as deployed.
 *
 * Against a real account the assertions seed one item of a subject, submit a DELETE request to
 * the workflow's Requests function, wait until its status reads COMPLETED and check the item is gone. Here CI synthesizes it into
 * integ/integ.dsr-workflow.ts.snapshot and diffs it (the DeployAssert template, salts masked,
 * pins the assertions too).
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { deleteRemovesItem } from './dsr-delete-check';
import { DsrWorkflow, PersonalDataBucket, PrivacyKey, PrivacyTable } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaDsrWorkflowInteg');

const key = new PrivacyKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
const customers = new PrivacyTable(stack, 'Customers', { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
const documents = new PersonalDataBucket(stack, 'Documents', { encryptionKey: key });
const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents], encryptionKey: key });

const integ = new IntegTest(app, 'DsrWorkflowTest', { testCases: [stack] });
// the assertion functions act as a DSR principal: the table policy and the key policy admit only tagged roles
Tags.of(integ.assertions as unknown as Stack).add('privacy:workflow', 'dsr', { includeResourceTypes: ['AWS::IAM::Role'] });

deleteRemovesItem(integ, { dsr, table: customers, key, requestId: 'integ-delete-1' });

app.synth();
