/**
 * Integ test: EvidenceArchive with a PersonalDataBucket beside it, so the archived evidence has
 * something to show.
 *
 * Against a real account the assertions check that the bucket's Object Lock is COMPLIANCE for
 * 1827 days and that this synth's evidence files were copied. Here CI
 * synthesizes it into integ/integ.evidence-archive.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { EvidenceArchive, OrganizationTrailCoverage, PersonalDataBucket } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaEvidenceArchiveInteg');

new PersonalDataBucket(stack, 'Customers');
new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail' });
const archive = new EvidenceArchive(stack, 'Archive');

const integ = new IntegTest(app, 'EvidenceArchiveTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('S3', 'getObjectLockConfiguration', { Bucket: archive.bucket.bucketName })
  .expect(ExpectedResult.objectLike({
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1827 } } },
  }));

// a fresh deployment holds this synth's three files (evidence JSON and Markdown, risk-assessment triggers)
integ.assertions
  .awsApiCall('S3', 'listObjectsV2', { Bucket: archive.bucket.bucketName, Prefix: archive.keyPrefix })
  .expect(ExpectedResult.objectLike({ KeyCount: 3 }));

app.synth();
