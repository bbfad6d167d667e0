import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeFinding } from './private/acks';
import { acknowledgeAll, defaultPolicyOf, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../private/acknowledgements';
import { CFN_GUARD_PLUGIN, expectExemption } from '../private/expected-exemptions';
import { flattenForNag } from '../private/nag-ids';
import { PersonalDataBucket } from '../storage/personal-data-bucket';

/** Props of ThreatDetection. */
export interface ThreatDetectionProps {
  /**
   * Create the account's GuardDuty detector (one per account and region). Set `false` where one
   * exists already (an organization's delegated administrator enables it in member accounts):
   * the malware protection plans need no detector of this stack.
   *
   * @default true
   */
  readonly createDetector?: boolean;

  /**
   * The personal data buckets GuardDuty Malware Protection for S3 scans (each new object, tagged
   * with the scan result). More can be added with `protectBucket`.
   *
   * @default - none
   */
  readonly protectedBuckets?: PersonalDataBucket[];
}

/** The detector's features: S3 data events, Lambda network activity, EBS malware scans. */
const DETECTOR_FEATURES = ['S3_DATA_EVENTS', 'LAMBDA_NETWORK_LOGS', 'EBS_MALWARE_PROTECTION'];

/** The EventBridge managed rule Malware Protection for S3 creates to hear of new objects. */
const MANAGED_RULE_PREFIX = 'DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3';

/**
 * Threat detection and anti-malware for the personal data stores (11 CCR § 7123(c)(8) and (9)):
 * an Amazon GuardDuty detector with S3 protection, Lambda network monitoring and EBS malware
 * scanning, and a GuardDuty Malware Protection for S3 plan on each protected PersonalDataBucket.
 * Cost driver: GuardDuty's analysed CloudTrail and S3 data events and the GB of objects scanned.
 */
export class ThreatDetection extends Construct {
  /** The detector's feature names (`AWS::GuardDuty::Detector` `Features`). */
  public static readonly DETECTOR_FEATURES: string[] = DETECTOR_FEATURES;

  /** The detector, unless `createDetector` is false. */
  public readonly detector?: guardduty.CfnDetector;
  /** The role GuardDuty Malware Protection for S3 scans with. */
  public readonly malwareScanRole: iam.Role;
  /** The malware protection plans, one per protected bucket. */
  public readonly malwareProtectionPlans: guardduty.CfnMalwareProtectionPlan[] = [];

  constructor(scope: Construct, id: string, props: ThreatDetectionProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.createDetector !== false) {
      this.detector = new guardduty.CfnDetector(this, 'Detector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        features: DETECTOR_FEATURES.map((name) => ({ name, status: 'ENABLED' })),
      });
      expectExemption(this.detector, CFN_GUARD_PLUGIN, 'guardduty_s3_protection_enabled_check',
        'S3 protection is enabled through the detector feature S3_DATA_EVENTS; DataSources.S3Logs, which the rule reads, is the deprecated way of saying the same and GuardDuty refuses both in one detector.');
    }
    this.malwareScanRole = new iam.Role(this, 'MalwareScanRole', {
      assumedBy: new iam.ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'cdk-ccpa ThreatDetection: GuardDuty Malware Protection for S3',
    });
    const managedRule = stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${MANAGED_RULE_PREFIX}*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.malwareScanRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ManagedRuleForS3Events',
      actions: ['events:DeleteRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets'],
      resources: [managedRule],
      conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
    }));
    this.malwareScanRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'MonitorManagedRule',
      actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
      resources: [managedRule],
    }));
    const policy = defaultPolicyOf(this.malwareScanRole)!;
    acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'),
      'The scan role\'s own policy (the permissions GuardDuty Malware Protection for S3 documents, per protected bucket); it is deployed and deleted with the role and attached to nothing else.');
    acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::${flattenForNag(stack.resolve(managedRule))}]`,
      'GuardDuty creates its EventBridge managed rule under this name prefix with a suffix of its own; events:ManagedBy limits the write actions to rules GuardDuty manages.');
    for (const b of props.protectedBuckets ?? []) this.protectBucket(b);
  }

  /** Scan each new object of `store` with GuardDuty Malware Protection for S3 and tag it with the result. */
  public protectBucket(store: PersonalDataBucket): guardduty.CfnMalwareProtectionPlan {
    const bucket = store.bucket;
    const n = this.malwareProtectionPlans.length;
    const role = this.malwareScanRole;
    const sid = (s: string) => `${s}${n || ''}`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: sid('EventBridgeNotifications'),
      actions: ['s3:GetBucketNotification', 's3:PutBucketNotification'],
      resources: [bucket.bucketArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: sid('CheckBucketOwnership'), actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: sid('ValidationObject'),
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('malware-protection-resource-validation-object')],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: sid('ScanAndTagObjects'),
      actions: ['s3:GetObject', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectVersionTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
      resources: [bucket.arnForObjects('*')],
    }));
    acknowledgeFinding(defaultPolicyOf(role)!, `AwsSolutions-IAM5[Resource::${flattenForNag(Stack.of(this).resolve(bucket.arnForObjects('*')))}]`,
      'Malware Protection for S3 reads and tags every new object of the protected bucket; the object keys are not known in advance.');
    // through S3 only (the PrivacyKey's key policy); tags the role privacy:access
    store.encryptionKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    const plan = new guardduty.CfnMalwareProtectionPlan(this, `MalwareProtection${n || ''}`, {
      role: role.roleArn,
      protectedResource: { s3Bucket: { bucketName: bucket.bucketName } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    plan.node.addDependency(role);
    this.malwareProtectionPlans.push(plan);
    return plan;
  }
}
