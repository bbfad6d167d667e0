import { createHash } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as macie from 'aws-cdk-lib/aws-macie';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeCustomResourceProvider } from './private/acks';
import { MACIE_JOB_TYPE } from './private/control-types';
import { DataClassification, PrivacyTagKeys } from '../classification/privacy-tag-keys';
import { flattenForNag } from '../private/nag-ids';
import { PersonalDataBucket } from '../storage/personal-data-bucket';

/** Props of SensitiveDataDiscovery. */
export interface SensitiveDataDiscoveryProps {
  /**
   * Enable Amazon Macie in the account (`AWS::Macie::Session`, one per account and region). Set
   * `false` where Macie is on already (an organization's delegated administrator).
   *
   * @default true
   */
  readonly createSession?: boolean;

  /**
   * PersonalDataBuckets whose PrivacyKey lets Macie's service-linked role decrypt objects
   * through S3 (without it Macie cannot read objects under a customer-managed key). Each key
   * policy names the role `AWSServiceRoleForAmazonMacie`, which enabling Macie creates.
   *
   * @default - none
   */
  readonly buckets?: PersonalDataBucket[];
}

/**
 * Sensitive-data discovery on the personal data buckets (11 CCR § 7123(c)(8)): an Amazon Macie
 * session and a weekly classification job over every bucket of the account tagged
 * `privacy:classification` `personal` or `sensitive`, with Macie's recommended managed data
 * identifiers. CloudFormation has no classification-job resource, so an AwsCustomResource creates
 * the job and cancels it on delete. Cost driver: Macie's price per GB of objects inspected.
 */
export class SensitiveDataDiscovery extends Construct {
  /** The classifications whose buckets the job inspects. */
  public static readonly CLASSIFICATIONS: string[] = [DataClassification.PERSONAL, DataClassification.SENSITIVE];

  /** The Macie session, unless `createSession` is false. */
  public readonly session?: macie.CfnSession;
  /** The custom resource that creates the classification job. */
  public readonly classificationJob: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: SensitiveDataDiscoveryProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.createSession !== false) {
      this.session = new macie.CfnSession(this, 'Session', { status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' });
    }
    const jobs = stack.formatArn({ service: 'macie2', resource: 'classification-job', resourceName: '*' });
    const name = `cdk-ccpa-${createHash('sha256').update(this.node.path).digest('hex').slice(0, 12)}`;
    this.classificationJob = new cr.AwsCustomResource(this, 'ClassificationJob', {
      resourceType: MACIE_JOB_TYPE,
      installLatestAwsSdk: false,
      onCreate: {
        service: 'Macie2',
        action: 'createClassificationJob',
        parameters: {
          clientToken: name,
          name,
          description: 'cdk-ccpa: personal data buckets by privacy:classification tag',
          jobType: 'SCHEDULED',
          scheduleFrequency: { weeklySchedule: { dayOfWeek: 'SUNDAY' } },
          initialRun: true,
          managedDataIdentifierSelector: 'RECOMMENDED',
          s3JobDefinition: {
            bucketCriteria: {
              includes: {
                and: [{
                  tagCriterion: {
                    comparator: 'EQ',
                    tagValues: SensitiveDataDiscovery.CLASSIFICATIONS.map((value) => ({ key: PrivacyTagKeys.CLASSIFICATION, value })),
                  },
                }],
              },
            },
          },
        },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('jobId'),
      },
      onDelete: {
        service: 'Macie2',
        action: 'updateClassificationJob',
        parameters: { jobId: new cr.PhysicalResourceIdReference(), jobStatus: 'CANCELLED' },
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['macie2:CreateClassificationJob', 'macie2:UpdateClassificationJob'],
        resources: [jobs],
      })]),
    });
    if (this.session) this.classificationJob.node.addDependency(this.session);
    acknowledgeCustomResourceProvider(this.classificationJob, flattenForNag(stack.resolve(jobs)), 'The classification job\'s id is made by Macie when the job is created, so the policy names every job of this account and region');

    const macieRole = `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;
    for (const b of props.buckets ?? []) {
      b.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowMacieDiscoveryThroughS3',
        principals: [new iam.ArnPrincipal(macieRole)],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
      }));
      // the role exists once Macie is enabled: KMS refuses a key policy naming a missing principal
      if (this.session && Stack.of(b.encryptionKey) === stack) b.encryptionKey.node.addDependency(this.session);
    }
  }
}
