/**
 * Integ test: ThreatDetection with a PersonalDataBucket under GuardDuty Malware Protection for S3.
 * Set createDetector false in an account whose detector the organization manages.
 *
 * Against a real account the assertions check that the detector is enabled with S3 protection and
 * that the malware protection plan protects the bucket. Here CI synthesizes it into
 * integ/integ.threat-detection.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { OrganizationTrailCoverage, PersonalDataBucket, ThreatDetection } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaThreatDetectionInteg');

const customers = new PersonalDataBucket(stack, 'Customers');
new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail' });
const threats = new ThreatDetection(stack, 'Threats', { protectedBuckets: [customers] });

const integ = new IntegTest(app, 'ThreatDetectionTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('GuardDuty', 'getDetector', { DetectorId: threats.detector!.ref })
  .expect(ExpectedResult.objectLike({ Status: 'ENABLED' }));
integ.assertions
  .awsApiCall('GuardDuty', 'getMalwareProtectionPlan', { MalwareProtectionPlanId: threats.malwareProtectionPlans[0].attrMalwareProtectionPlanId })
  .expect(ExpectedResult.objectLike({ ProtectedResource: { S3Bucket: { BucketName: customers.bucket.bucketName } } }));

app.synth();
