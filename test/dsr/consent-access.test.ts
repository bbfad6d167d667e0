/**
 * `DsrWorkflow.grantReadConsent` by IAM simulation of the synthesized template: an application of
 * one tenant reads that tenant's consent records and nothing else; a principal without a tenant
 * tag reads none; the grant reaches no other table and decrypts only the consent table.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DsrWorkflow, PersonalDataBucket, PrivacyTable, TenancyModel } from '../../lib';
import { allowPolicy, arnPrincipal, IamSimulator, SimRequest, SimResult, templateRole } from '../kit/iam-sim';

const ACCOUNT = '111111111111';
const stack = new Stack(new App(), 'Consent', { env: { account: ACCOUNT, region: 'us-east-1' } });
const dsr = new DsrWorkflow(stack, 'Dsr', {
  stores: [new PrivacyTable(stack, 'Customers', { tenancy: TenancyModel.POOLED }), new PersonalDataBucket(stack, 'Documents', { tenancy: TenancyModel.POOLED })],
});
const app = new iam.Role(stack, 'AdsService', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
dsr.grantReadConsent(app);
const lid = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);
const sim = IamSimulator.fromStack(stack);

const acme = templateRole(lid(app), { sessionTags: { tenant: 'acme' } });
const globex = templateRole(lid(app), { sessionTags: { tenant: 'globex' } });
const untagged = templateRole(lid(app));
const consent = { logicalId: lid(dsr.consentTable.table) };
const keys = (...leadingKeys: string[]) => ({ 'dynamodb:LeadingKeys': leadingKeys });
/** The table's name as the simulator resolves its Ref (the name in its ARN). */
const tableName = (t: PrivacyTable) => sim.arnOf(lid(t.table)).split(':table/')[1];
const viaDynamo = (t: PrivacyTable) => ({ 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:dynamodb:tableName': tableName(t) });
/** Another principal of the account with the same grant's actions on everything: the table's own policy still scopes it. */
const lookalike = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/lookalike`, { tags: { 'privacy:access': 'personal' }, identityPolicies: [allowPolicy(['dynamodb:GetItem'])] });

const matrix: Array<[string, SimRequest, SimResult]> = [
  ['acme reads an acme record', { principal: acme, action: 'dynamodb:GetItem', resource: consent, context: keys('acme#p1') }, 'Allowed'],
  ['acme cannot read a globex record', { principal: acme, action: 'dynamodb:GetItem', resource: consent, context: keys('globex#p1') }, 'ExplicitlyDenied'],
  ['globex cannot read an acme record', { principal: globex, action: 'dynamodb:GetItem', resource: consent, context: keys('acme#p1') }, 'ExplicitlyDenied'],
  ['tenant "acme" cannot reach tenant "acme2" by prefix', { principal: acme, action: 'dynamodb:GetItem', resource: consent, context: keys('acme2#p1') }, 'ExplicitlyDenied'],
  ['an untagged session reads no record', { principal: untagged, action: 'dynamodb:GetItem', resource: consent, context: keys('acme#p1') }, 'ExplicitlyDenied'],
  ['a request without a partition key is refused', { principal: acme, action: 'dynamodb:GetItem', resource: consent }, 'ExplicitlyDenied'],
  ['no Scan', { principal: acme, action: 'dynamodb:Scan', resource: consent }, 'ExplicitlyDenied'],
  ['no Query', { principal: acme, action: 'dynamodb:Query', resource: consent, context: keys('acme#p1') }, 'ImplicitlyDenied'],
  ['no write: the choice is the consumer\'s', { principal: acme, action: 'dynamodb:PutItem', resource: consent, context: keys('acme#p1') }, 'ImplicitlyDenied'],
  ['no UpdateItem', { principal: acme, action: 'dynamodb:UpdateItem', resource: consent, context: keys('acme#p1') }, 'ImplicitlyDenied'],
  ['not the ledger', { principal: acme, action: 'dynamodb:GetItem', resource: { logicalId: lid(dsr.ledgerTable.table) }, context: keys('acme#p1') }, 'ImplicitlyDenied'],
  ['not the audit records', { principal: acme, action: 's3:ListBucket', resource: { logicalId: lid(dsr.auditBucket.bucket) } }, 'ImplicitlyDenied'],
  ['a look-alike with GetItem on * still only its tenant\'s keys', { principal: lookalike, action: 'dynamodb:GetItem', resource: consent, context: { ...keys('globex#p1'), 'aws:PrincipalTag/tenant': 'acme' } }, 'ExplicitlyDenied'],
  ['decrypts the consent table through DynamoDB', { principal: acme, action: 'kms:Decrypt', resource: { logicalId: lid(dsr.encryptionKey) }, context: viaDynamo(dsr.consentTable) }, 'Allowed'],
  ['cannot decrypt the ledger through DynamoDB', { principal: acme, action: 'kms:Decrypt', resource: { logicalId: lid(dsr.encryptionKey) }, context: viaDynamo(dsr.ledgerTable) }, 'ImplicitlyDenied'],
  ['cannot decrypt directly', { principal: acme, action: 'kms:Decrypt', resource: { logicalId: lid(dsr.encryptionKey) } }, 'ImplicitlyDenied'],
  ['computes pseudonyms', { principal: acme, action: 'kms:GenerateMac', resource: { logicalId: lid(dsr.pseudonymizationKey) } }, 'Allowed'],
  ['cannot verify or derive other keys', { principal: acme, action: 'kms:GenerateDataKey', resource: { logicalId: lid(dsr.encryptionKey) }, context: viaDynamo(dsr.consentTable) }, 'ImplicitlyDenied'],
];

describe('GIVEN DsrWorkflow.grantReadConsent(role)', () => {
  test.each(matrix)('%s', async (_name, request, expected) => {
    await sim.expectDecision(request, expected);
  });

  test('THEN the role is tagged privacy:access=personal and its statements name one table and two keys', () => {
    const t = Template.fromStack(stack).toJSON();
    const role = t.Resources[lid(app)];
    expect(role.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'privacy:access', Value: 'personal' }]));
    const statements = Object.values<any>(t.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(lid(app)))
      .flatMap((r) => r.Properties.PolicyDocument.Statement);
    expect(statements.map((s) => s.Action).sort()).toEqual(['dynamodb:GetItem', 'kms:Decrypt', 'kms:GenerateMac']);
  });
});

describe('GIVEN the Requests function', () => {
  const requests = templateRole(lid(dsr.requestsFunction.role as any));
  test.each([
    ['dynamodb:UpdateItem', 'Allowed'], ['dynamodb:BatchGetItem', 'Allowed'], ['dynamodb:DeleteItem', 'ImplicitlyDenied'], ['dynamodb:Scan', 'ImplicitlyDenied'],
  ] as const)('THEN on the consent table %s is %s', async (action, expected) => {
    await sim.expectDecision({ principal: requests, action, resource: consent, ...(action === 'dynamodb:Scan' ? {} : { context: keys('acme#p1') }) }, expected);
  });
});
