import { createHash } from 'crypto';
import { ArnFormat, AspectPriority, Aspects, CfnResource, Duration, IAspect, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, IConstruct } from 'constructs';
import { CyberAuditEvidence } from './cyber-audit-evidence';
import { acknowledgeFinding, acknowledgeSharedSingleton } from './private/acks';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification } from '../classification/privacy-tag-keys';
import { acknowledgeAll, HIPAA_NIST_PACKS, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../private/acknowledgements';
import { CFN_GUARD_PLUGIN, expectExemption } from '../private/expected-exemptions';
import { markObjectLockArchiveBuckets, objectLockArchiveBuckets } from '../private/object-lock-archive';
import { PropsValidator } from '../private/validation';

/**
 * The memory of the copy's Lambda. aws-cdk-lib keeps one handler per stack for each memory size,
 * so this size gives the archive its own handler (and its own role and log group).
 */
const HANDLER_MEMORY_MB = 512;

/** The CDK asset bucket's name as cdk-nag prints it in a finding id. */
function assetBucketName(stack: Stack): string {
  const synth = stack.synthesizer as { bootstrapQualifier?: string };
  const qualifier = synth.bootstrapQualifier ?? 'hnb659fds';
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  return `cdk-${qualifier}-assets-${account}-${region}`;
}

/** The days § 7122 keeps the documents of a cybersecurity audit: five years (1,827 days). */
const FIVE_YEARS_DAYS = 1827;

/** Props of an EvidenceArchive. */
export interface EvidenceArchiveProps {
  /**
   * How long each archived evidence file is locked (S3 Object Lock, COMPLIANCE mode: nobody, the
   * account root included, can delete or overwrite it before then) and kept. Shorter than five
   * years (1,827 days) is refused: 11 CCR § 7122 keeps the documents of a cybersecurity audit
   * five years.
   *
   * @default Duration.days(1827) - five years
   */
  readonly retention?: Duration;

  /**
   * The key prefix under which each deployed version's files go: `<prefix><sha256 of the
   * evidence>/cyber-audit-evidence.json` (and `.md`, `risk-assessment-triggers.json`).
   *
   * @default 'cyber-audit-evidence/'
   */
  readonly keyPrefix?: string;
}

/**
 * An S3 bucket that keeps the cybersecurity-audit evidence of every deployed version of the app
 * (the files `CyberAuditEvidence` writes at synth) under S3 Object Lock in COMPLIANCE mode for
 * five years (11 CCR § 7122). It holds no personal data: classified non-personal, encrypted with
 * its own KMS key, TLS only, versioned, with server access logs. The copy is made at deploy time
 * by CDK's `BucketDeployment` (a Lambda-backed custom resource of aws-cdk-lib) with
 * `retainOnDelete` and no pruning. Cost driver: the key ($1 a month) and the deployment Lambda.
 */
export class EvidenceArchive extends Construct {
  /** The archive bucket (Object Lock COMPLIANCE). */
  public readonly bucket: s3.Bucket;
  /** Receives the archive bucket's server access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  /** Encrypts both buckets. */
  public readonly encryptionKey: kms.Key;
  /** The deploy-time copy (aws-cdk-lib's BucketDeployment). */
  public readonly deployment: s3deploy.BucketDeployment;
  /** The Object Lock retention, in days. */
  public readonly retentionDays: number;
  /** The key prefix of the archived versions. */
  public readonly keyPrefix: string;

  private archivedPrefix?: string;

  constructor(scope: Construct, id: string, props: EvidenceArchiveProps = {}) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(FIVE_YEARS_DAYS);
    const keyPrefix = props.keyPrefix ?? 'cyber-audit-evidence/';
    const days = retention.toDays({ integral: false });
    const v = new PropsValidator(this, 'InvalidEvidenceArchiveProps');
    if (!Token.isUnresolved(days)) {
      v.check(days < FIVE_YEARS_DAYS, 'RetentionTooShort',
        `retention ${days} days is below the five years (1827 days) 11 CCR 7122 keeps the documents of a cybersecurity audit: set at least Duration.days(1827).`);
      v.check(!Number.isInteger(days), 'RetentionNotWholeDays', `retention ${days} days is not a whole number of days, which S3 Object Lock needs: round it.`);
    }
    v.check(Token.isUnresolved(keyPrefix) || !/^([A-Za-z0-9!_.*'()-]+\/)*$/.test(keyPrefix) || keyPrefix.length > 200, 'KeyPrefixInvalid',
      `keyPrefix ${JSON.stringify(keyPrefix)} is not an S3 key prefix ending in "/" (letters, digits and ! _ . * ' ( ) -, at most 200 characters): use e.g. "cyber-audit-evidence/".`);
    v.throwIfInvalid();
    this.retentionDays = days;
    this.keyPrefix = keyPrefix;

    const stack = Stack.of(this);
    this.encryptionKey = new kms.Key(this, 'Key', {
      description: 'cdk-ccpa EvidenceArchive: cybersecurity-audit evidence (no personal data)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
      policy: new iam.PolicyDocument(),
    });
    this.restrictKeyPolicy();
    const buckets = objectLockArchiveBuckets(this, {
      encryptionKey: this.encryptionKey,
      retention,
      retentionDays: days,
      noncurrentVersionExpiration: Duration.days(days),
      bucketKeyEnabled: true,
    });
    this.bucket = buckets.bucket;
    this.accessLogsBucket = buckets.accessLogsBucket;

    // The copy's Lambda writes its logs here (kept as long as the evidence) and runs as this role,
    // which may use the key through S3 only.
    const handlerLogs = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: logs.RetentionDays.FIVE_YEARS,
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.allowLogs(handlerLogs);
    const handlerRole = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-ccpa EvidenceArchive: the deploy-time copy of the evidence',
    });
    handlerLogs.grantWrite(handlerRole);
    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [],
      role: handlerRole,
      logGroup: handlerLogs,
      memoryLimit: HANDLER_MEMORY_MB,
      // every version stays: nothing is deleted when the evidence changes or the stack goes
      prune: false,
      retainOnDelete: true,
      extract: true,
    });
    // The evidence is rendered once the app is complete (after the tag aspects), then added as
    // the deployment's source: the archived files are the ones synth writes into the assembly.
    const archive = this;
    Aspects.of(this).add(new (class implements IAspect {
      public visit(node: IConstruct): void {
        if (node === archive) archive.addEvidence();
      }
    })(), { priority: AspectPriority.READONLY });

    this.markBuckets();
    this.acknowledgeCopy(stack, handlerRole);
    // The evidence names resources, settings and rules; the access logs name the deployment role
    // and whoever reads the evidence (AWS principals, not consumers).
    PrivacyClassification.apply(this, { classification: DataClassification.NON_PERSONAL });
  }

  /**
   * The key prefix of this synth's archived version (`<keyPrefix><sha256>/`), known once the
   * app has been synthesized.
   */
  public get versionPrefix(): string | undefined {
    return this.archivedPrefix;
  }

  private addEvidence(): void {
    if (this.archivedPrefix !== undefined) return;
    const evidence = CyberAuditEvidence.of(this);
    const json = `${evidence.renderJson()}\n`;
    const prefix = `${this.keyPrefix}${createHash('sha256').update(json).digest('hex').slice(0, 16)}/`;
    this.archivedPrefix = prefix;
    this.deployment.addSource(s3deploy.Source.data(`${prefix}${CyberAuditEvidence.JSON_FILE}`, json));
    this.deployment.addSource(s3deploy.Source.data(`${prefix}${CyberAuditEvidence.MARKDOWN_FILE}`, evidence.renderMarkdown()));
    this.deployment.addSource(s3deploy.Source.data(`${prefix}${CyberAuditEvidence.RISK_ASSESSMENT_TRIGGERS_FILE}`, `${evidence.renderRiskAssessmentTriggers()}\n`));
  }

  /** The key policy: administration by the account, use only through S3 and CloudWatch Logs, grants for AWS resources only. */
  private restrictKeyPolicy(): void {
    const stack = Stack.of(this);
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'KeyAdministration',
      principals: [new iam.AccountRootPrincipal()],
      actions: [
        'kms:CancelKeyDeletion', 'kms:Create*', 'kms:Delete*', 'kms:Describe*', 'kms:Disable*', 'kms:Enable*', 'kms:Get*',
        'kms:List*', 'kms:Put*', 'kms:Revoke*', 'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:Update*',
      ].filter((a) => a !== 'kms:CreateGrant'),
      resources: ['*'],
    }));
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'UseThroughS3',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
    }));
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
  }

  /** CloudWatch Logs may encrypt the copy's log group with the key. */
  private allowLogs(group: logs.LogGroup): void {
    const stack = Stack.of(this);
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }));
    void group;
  }

  /** EventBridge notifications and the design choices of both buckets. */
  private markBuckets(): void {
    markObjectLockArchiveBuckets(this, {
      noReplication: 'Evidence archive: versioning and S3 Object Lock COMPLIANCE keep every file for the retention period; the evidence can be regenerated from the app at any commit, and a replica in a second region is a choice of the account, not a default of this construct.',
      accessLogsNotLogged: 'This bucket is the server access log target of the evidence archive; logging it into itself or a third bucket would only repeat the access records of the log delivery.',
      accessLogsNotLocked: 'S3 server access logging does not deliver into a bucket with an Object Lock default retention; the access logs are versioned, encrypted and kept for the archive retention by lifecycle.',
    });
  }

  /**
   * The findings on aws-cdk-lib's copy Lambda and its role, answered by design. The handler is one
   * per stack and memory size, shared by every BucketDeployment with that memory size, and the
   * deployments that share it run as its role: both are answered only while every one of them is
   * the library's (see `acknowledgeSharedSingleton`).
   */
  private acknowledgeCopy(stack: Stack, role: iam.Role): void {
    const handlerId = (c: IConstruct) => c.node.id.startsWith('Custom::CDKBucketDeployment') && c.node.id.endsWith(`${HANDLER_MEMORY_MB}MiB`);
    const handlerOf = () => stack.node.children.find(handlerId);
    const handlerRole = () => {
      const handler = handlerOf();
      return handler instanceof lambda.Function ? handler.role : undefined;
    };
    const deployment = this.deployment;
    acknowledgeSharedSingleton(deployment, `BucketDeployment-${HANDLER_MEMORY_MB}MiB`, {
      what: 'aws-cdk-lib\'s BucketDeployment handler',
      find: handlerOf,
      // a deployment runs as the handler's role: the same role, the same handler
      uses: (c) => c instanceof s3deploy.BucketDeployment && handlerRole() !== undefined && c.handlerRole === handlerRole(),
      acknowledge: (handler) => {
        this.acknowledgeCopyPolicy(stack, role);
        this.acknowledgeCopyHandler(handler);
      },
      // the role stays the archive's while no deployment of the app runs as it
      whenShared: (_handler, appUsers) => {
        if (!appUsers.some((u) => u instanceof s3deploy.BucketDeployment && u.handlerRole === role)) this.acknowledgeCopyPolicy(stack, role);
      },
    });
  }

  private acknowledgeCopyPolicy(stack: Stack, role: iam.Role): void {
    const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (policy) {
      acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'),
        'The grants aws-cdk-lib\'s BucketDeployment gives its handler role (read the CDK asset, write the archive bucket, write its log group); the role belongs to this construct and does nothing else.');
      const actions = 'the action groups aws-cdk-lib\'s BucketDeployment grants its own handler role (kms:GenerateDataKey*, kms:ReEncrypt*, s3:Abort*, s3:DeleteObject*, s3:GetBucket*, s3:GetObject*, s3:List*)';
      acknowledgeAll(policy, ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*', 'Action::s3:Abort*', 'Action::s3:DeleteObject*', 'Action::s3:GetBucket*',
        'Action::s3:GetObject*', 'Action::s3:List*'].map((a) => `AwsSolutions-IAM5[${a}]`),
      `${actions}, on the archive bucket, its key and the CDK asset bucket. Deletes only add delete markers: Object Lock COMPLIANCE keeps every locked version.`);
      acknowledgeAll(policy, [`AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`],
        'The copy writes the evidence files of each version under their own keys of the archive bucket.');
      acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assetBucketName(stack)}/*]`,
        'The copy reads the evidence from the CDK asset bucket, where the deployment uploaded it; the object key is a content hash known only at synth.');
    }
  }

  private acknowledgeCopyHandler(handler: IConstruct): void {
    const fn = handler.node.defaultChild;
    if (fn && CfnResource.isCfnResource(fn)) {
      const reason = 'aws-cdk-lib\'s BucketDeployment handler, invoked by CloudFormation only at deploy time to copy this synth\'s evidence';
      acknowledgeAll(fn, ['AwsSolutions-L1'], `${reason}; its runtime is set by aws-cdk-lib and moves with it.`);
      acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaDLQ'), `${reason}; CloudFormation invokes it synchronously and fails the deployment on error, so a dead-letter queue would never receive anything.`);
      acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaConcurrency'), `${reason}; one invocation per deployment, so reserving concurrency would only take it from the account's unreserved pool.`);
      acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'LambdaInsideVPC'), `${reason}; it reaches only S3 and handles no personal data. Pass a VPC to a BucketDeployment of your own if your network policy requires it.`);
      expectExemption(fn, CFN_GUARD_PLUGIN, 'lambda_inside_vpc_check', `${reason}; it reaches only S3 and handles no personal data.`);
    }
  }
}
