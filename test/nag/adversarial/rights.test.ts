import { Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AdversarialCase, runCases } from './kit';
import { DsrCoverage, IsolatedAuditTrail, PersonalDataBucket, PrivacyTable } from '../../../lib';
import { DataClassification, PrivacyClassification } from '../../../lib/classification';

const R = ['DsrCoveredStoreServed'];
const dsrRole = (s: import('aws-cdk-lib').Stack) => {
  const role = new iam.Role(s, 'DsrRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  Tags.of(role).add('privacy:workflow', 'dsr');
  return role;
};

/** Blind spot 9: coverage of rights. */
const rights: AdversarialCase[] = [
  {
    name: 'GIVEN a PrivacyTable (dsr covered by default) and no DSR workflow THEN warning',
    rules: R,
    build: (s) => { new PrivacyTable(s, 'Customers'); },
    expect: ['CCPA-DsrCoveredStoreServed at Test/Customers/Table/Resource'],
  },
  {
    name: 'GIVEN a PrivacyTable tagged dsr exempt THEN no finding',
    rules: R,
    build: (s) => { new PrivacyTable(s, 'Customers', { dsr: DsrCoverage.EXEMPT }); },
    expect: [],
  },
  {
    name: 'GIVEN a covered bucket that a DSR-tagged role reaches through a grant THEN no finding',
    rules: R,
    build: (s) => { new PersonalDataBucket(s, 'Docs').grantWrite(dsrRole(s)); },
    expect: [],
  },
  {
    name: 'GIVEN a covered table that only a non-DSR role reaches THEN warning',
    rules: R,
    build: (s) => {
      const t = new PrivacyTable(s, 'Customers');
      t.grantReadWriteData(new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    },
    expect: ['CCPA-DsrCoveredStoreServed at Test/Customers/Table/Resource'],
  },
  {
    name: 'GIVEN an L1 table tagged privacy:dsr=covered with a DSR role policy on its ARN THEN no finding',
    rules: R,
    build: (s) => {
      const t = new dynamodb.CfnTable(s, 'T', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST' });
      PrivacyClassification.apply(t, { classification: DataClassification.PERSONAL, dsr: DsrCoverage.COVERED });
      dsrRole(s).addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [t.attrArn] }));
    },
    expect: [],
  },
  {
    name: 'GIVEN a plain bucket tagged covered that the DSR role reaches only through its key THEN warning',
    rules: R,
    build: (s) => {
      const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
      const b = new s3.Bucket(s, 'B', { encryptionKey: key });
      PrivacyClassification.apply(b, { classification: DataClassification.PERSONAL, dsr: DsrCoverage.COVERED });
      key.grantDecrypt(dsrRole(s));
    },
    expect: ['CCPA-DsrCoveredStoreServed at Test/B/Resource'],
  },
  {
    name: 'GIVEN an untagged bucket (dsr not declared) THEN no finding',
    rules: R,
    build: (s) => { new s3.Bucket(s, 'B'); },
    expect: [],
  },
];

/** False alarm 10: TableV2 tags live in Replicas[].Tags. */
const tableV2: AdversarialCase[] = [
  {
    name: 'GIVEN a TableV2 classified non-personal through Tags.of THEN no store finding',
    rules: ['DynamoDBTableCustomerManagedKey', 'DynamoDBTablePointInTimeRecovery'],
    build: (s) => {
      const t = new dynamodb.TableV2(s, 'Lookup', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
      Tags.of(t).add('privacy:classification', 'non-personal');
    },
    expect: [],
  },
  {
    name: 'GIVEN a TableV2 whose only replica carries the non-personal tag in its props THEN no store finding',
    rules: ['DynamoDBTableCustomerManagedKey', 'DynamoDBTablePointInTimeRecovery'],
    build: (s) => {
      new dynamodb.CfnGlobalTable(s, 'G', {
        attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
        keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
        billingMode: 'PAY_PER_REQUEST',
        replicas: [{ region: 'us-east-1', tags: [{ key: 'privacy:classification', value: 'non-personal' }] }],
      });
    },
    expect: [],
    stackProps: { env: { region: 'us-east-1' } },
  },
  {
    name: 'GIVEN a TableV2 with two replicas, one tagged non-personal and one not THEN still checked (fail closed)',
    rules: ['DynamoDBTablePointInTimeRecovery'],
    build: (s) => {
      new dynamodb.CfnGlobalTable(s, 'G', {
        attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
        keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
        billingMode: 'PAY_PER_REQUEST',
        replicas: [{ region: 'us-east-1', tags: [{ key: 'privacy:classification', value: 'non-personal' }] }, { region: 'us-west-2' }],
      });
    },
    expect: ['CCPA-DynamoDBTablePointInTimeRecovery at Test/G'],
    stackProps: { env: { region: 'us-east-1' } },
  },
];

tableV2.push({
  name: 'GIVEN a TableV2 and an IsolatedAuditTrail in the same stack THEN its data events are covered (the trail selects global tables too)',
  rules: ['CloudTrailDataEventCoverage'],
  build: (s) => {
    new dynamodb.TableV2(s, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    new IsolatedAuditTrail(s, 'Trail');
  },
  expect: [],
});

runCases([...rights, ...tableV2]);
