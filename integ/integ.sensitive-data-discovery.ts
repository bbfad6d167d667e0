/**
 * Integ test: SensitiveDataDiscovery (a Macie session and the classification job over the
 * buckets tagged personal or sensitive) with a PersonalDataBucket whose key lets Macie decrypt.
 *
 * Against a real account the assertion checks that Macie is enabled. Here CI synthesizes it into
 * integ/integ.sensitive-data-discovery.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { OrganizationTrailCoverage, PersonalDataBucket, SensitiveDataDiscovery } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaSensitiveDataDiscoveryInteg');

const customers = new PersonalDataBucket(stack, 'Customers');
new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail' });
new SensitiveDataDiscovery(stack, 'Discovery', { buckets: [customers] });

const integ = new IntegTest(app, 'SensitiveDataDiscoveryTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('Macie2', 'getMacieSession', {})
  .expect(ExpectedResult.objectLike({ status: 'ENABLED' }));

app.synth();
