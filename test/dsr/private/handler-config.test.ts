/**
 * What the construct tells the handlers about each store (issue 14, findings 9 and 10): the
 * correctable attributes a table declares, and the categories an access report states.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataCategory, DsrWorkflow, PersonalDataBucket, PrivacyTable } from '../../../lib';
import { configFromTemplate } from '../local/environment';

test('the store settings carry correctableAttributes and declared categories (keys), and nothing undeclared', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const customers = new PrivacyTable(stack, 'Customers', {
    correctableAttributes: ['phone'], categories: [DataCategory.CONTACT],
  });
  const documents = new PersonalDataBucket(stack, 'Documents');
  new DsrWorkflow(stack, 'Dsr', { stores: [customers, documents] });
  const config = configFromTemplate(Template.fromStack(stack).toJSON());
  expect(config.stores[0]).toMatchObject({ path: 'S/Customers', correctableAttributes: ['phone'], categories: [DataCategory.CONTACT.key] });
  // purposes come from the store's classification (none declared on these stores): never invented
  expect(config.stores[0].purposes).toBeUndefined();
  expect(config.stores[1].path).toBe('S/Documents');
  for (const field of ['correctableAttributes', 'purposes', 'sources', 'recipients']) expect(config.stores[1][field]).toBeUndefined();
});
