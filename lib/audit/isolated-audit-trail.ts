import { Annotations, Lazy, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AuditLogArchive } from './audit-log-archive';
import {
  countValues, dynamoDbSelector, FoundStore, findInScopeStores, managementSelector, MAX_SELECTOR_VALUES, MAX_SELECTORS, s3Selector,
} from './private/selectors';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { cite } from '../private/provisions';
import { PropsValidator } from '../private/validation';

/** Which S3 buckets and DynamoDB tables a trail logs data events for. */
export enum DataEventScope {
  /**
   * The in-scope stores of the app: every `AWS::S3::Bucket` and `AWS::DynamoDB::Table` not
   * classified `non-personal` (untagged counts as personal), found in the construct tree at
   * synth. Stores added later in the app are included; stores outside the app are not.
   */
  IN_SCOPE_STORES = 'in-scope-stores',
  /**
   * Every bucket and table the trail sees, in every region (and, for an organization trail,
   * every member account), including stores created outside CDK. The most complete record and
   * the most expensive one: data events cost $0.10 per 100,000 delivered.
   */
  ALL_STORES = 'all-stores',
}

/** An archive bucket and key that live outside this CDK app (e.g. in a Control Tower log-archive account). */
export interface ExistingAuditArchive {
  /** The archive bucket's name. Its bucket policy must admit this trail (see `AuditLogArchive.allowTrail`). */
  readonly bucketName: string;
  /** ARN of the KMS key (or of its alias) that encrypts the log files. Its policy must admit this trail. */
  readonly keyArn: string;
}

/** Props of an IsolatedAuditTrail. */
export interface IsolatedAuditTrailProps {
  /**
   * The archive the logs are delivered to, ideally in a stack of a separate log-archive account
   * (give both stacks an explicit `env`). The trail admits itself to it (`allowTrail`).
   *
   * @default - an AuditLogArchive in this construct, in the trail's own account. That keeps
   *   Object Lock (nobody can delete a delivered log file before the retention ends), but an
   *   administrator of this account can stop the trail, change its selectors or bucket policy and
   *   read the logs: the isolation a separate account gives is lost. A warning says so.
   */
  readonly archive?: AuditLogArchive;

  /**
   * An archive that this app does not define. Its bucket and key policies must admit this trail
   * (`trailArn`); this construct cannot change them.
   *
   * @default - use `archive`
   */
  readonly existingArchive?: ExistingAuditArchive;

  /**
   * The trail's name (3 to 128 letters, digits, `.`, `_` and `-`).
   *
   * @default - a unique name derived from the construct path
   */
  readonly trailName?: string;

  /**
   * Make it an organization trail of this organization (`o-...`): deploy it in the management
   * account (or a delegated administrator account); it records every member account.
   *
   * @default - an account trail
   */
  readonly organizationId?: string;

  /**
   * Which buckets and tables to log data events for (reads and writes of objects and items).
   *
   * @default DataEventScope.IN_SCOPE_STORES
   */
  readonly dataEvents?: DataEventScope;

  /**
   * Where to look for in-scope stores with `DataEventScope.IN_SCOPE_STORES`.
   *
   * @default - the whole app
   */
  readonly storeSearchScope?: IConstruct;

  /**
   * More advanced event selectors (e.g. Lambda invocations). With the built-in ones, at most 5
   * selectors and 500 condition values in total: more is refused at synth.
   *
   * @default - none
   */
  readonly additionalEventSelectors?: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[];

  /**
   * How long the CloudWatch Logs copy is kept. Shorter than 365 days is refused: no law sets the
   * period (11 CCR § 7123(c)(7)); 365 days is this library's choice (a year of security evidence).
   *
   * @default logs.RetentionDays.EIGHTEEN_MONTHS - this library's choice: a year of security
   *   evidence and 90 days more, the longest a request to know, delete or correct may take (1798.130(a)(2))
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A multi-region CloudTrail trail with log file validation, management events and S3 and DynamoDB
 * data events on every in-scope store of the app, copied to an encrypted log group and delivered
 * into an AuditLogArchive.
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#isolatedaudittrail).
 */
export class IsolatedAuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.CfnTrail;
  /** The trail's ARN. */
  public readonly trailArn: string;
  /** The trail's name. */
  public readonly trailName: string;
  /** The CloudWatch Logs copy of the trail. */
  public readonly logGroup: logs.LogGroup;
  /** The role CloudTrail assumes to write to the log group. */
  public readonly logsRole: iam.Role;
  /** Encrypts the log group. */
  public readonly logGroupEncryptionKey: PrivacyKey;
  /** The archive the trail delivers to, when it is defined in this app. */
  public readonly archive?: AuditLogArchive;
  /** Which stores data events are logged for. */
  public readonly dataEvents: DataEventScope;

  private readonly storeSearchScope?: IConstruct;
  private readonly additionalSelectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[];

  constructor(scope: Construct, id: string, props: IsolatedAuditTrailProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.validateProps(props);

    this.dataEvents = props.dataEvents ?? DataEventScope.IN_SCOPE_STORES;
    this.storeSearchScope = props.storeSearchScope;
    this.additionalSelectors = props.additionalEventSelectors ?? [];
    this.trailName = props.trailName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: this.trailName });

    // --- where the logs go ---------------------------------------------------------------
    const target = this.deliveryTarget(props);
    this.archive = target.archive;

    // --- the CloudWatch Logs copy --------------------------------------------------------
    const sameStackArchiveKey = this.archive && Stack.of(this.archive) === stack ? this.archive.encryptionKey : undefined;
    this.logGroupEncryptionKey = sameStackArchiveKey ?? new PrivacyKey(this, 'LogGroupKey', {
      description: 'cdk-ccpa IsolatedAuditTrail: CloudWatch Logs copy of the trail',
    });
    const logGroupName = `/cdk-ccpa/cloudtrail/${this.trailName}`;
    this.logGroupEncryptionKey.allowCloudWatchLogs(logGroupName);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.EIGHTEEN_MONTHS,
      encryptionKey: this.logGroupEncryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    PrivacyClassification.apply(this.logGroup, { classification: DataClassification.PERSONAL });

    this.logsRole = new iam.Role(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceArn': this.trailArn } },
      }),
      description: `CloudTrail delivers trail ${this.trailName} to ${logGroupName}`,
    });
    const logsPolicy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: `Writes trail ${this.trailName} into ${logGroupName} only`,
      roles: [this.logsRole],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // the log group's ARN (`...:log-group:<name>:*`) covers its log streams, and only them
        resources: [this.logGroup.logGroupArn],
      })],
    });

    // --- the trail -----------------------------------------------------------------------
    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: this.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      isOrganizationTrail: props.organizationId !== undefined ? true : undefined,
      s3BucketName: target.bucketName,
      kmsKeyId: target.keyArn,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: this.logsRole.roleArn,
      advancedEventSelectors: Lazy.any({ produce: () => this.eventSelectors() }),
    });
    this.trail.node.addDependency(logsPolicy);
    if (this.archive && Stack.of(this.archive) === stack) {
      this.trail.node.addDependency(this.archive.bucket.policy!, this.archive.encryptionKey);
    }
    this.node.addValidation({ validate: () => this.validateSelectors() });
  }

  /** Record every problem of the props and throw them together. */
  private validateProps(props: IsolatedAuditTrailProps): void {
    const v = new PropsValidator(this, 'InvalidIsolatedAuditTrailProps');
    v.check(props.archive !== undefined && props.existingArchive !== undefined, 'TwoArchives',
      'archive and existingArchive are both set, but a trail delivers to one archive: remove one.');
    if (props.trailName !== undefined && !Token.isUnresolved(props.trailName)) {
      v.check(!/^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){2,127}$/.test(props.trailName) || /^\d+\.\d+\.\d+\.\d+$/.test(props.trailName), 'TrailNameInvalid',
        `trailName ${JSON.stringify(props.trailName)} is not a valid trail name: use 3 to 128 letters, digits, ".", "_" and "-", starting and ending with a letter or digit, no two separators in a row.`);
    }
    if (props.organizationId !== undefined && !Token.isUnresolved(props.organizationId)) {
      v.check(!/^o-[a-z0-9]{10,32}$/.test(props.organizationId), 'OrganizationIdInvalid',
        `organizationId ${JSON.stringify(props.organizationId)} is not an AWS Organizations id: pass "o-" followed by 10 to 32 lower-case letters or digits.`);
    }
    if (props.logRetention !== undefined && !Token.isUnresolved(props.logRetention)) {
      v.check(props.logRetention === logs.RetentionDays.INFINITE, 'LogRetentionInfinite',
        'logRetention INFINITE keeps audit logs longer than needed (data minimization, Cal. Civ. Code 1798.100(c)): choose between 365 days and the archive\'s retention.')
        .check(props.logRetention !== logs.RetentionDays.INFINITE && props.logRetention < 365, 'LogRetentionTooShort',
          `logRetention ${props.logRetention} days is below the 365 days this library keeps security logs (Cal. Civ. Code 1798.81.5(b); 11 CCR 7123(c)(7)): choose at least ONE_YEAR.`);
    }
    if (props.existingArchive) {
      const e = props.existingArchive;
      v.check(!Token.isUnresolved(e.keyArn) && !/^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(e.keyArn), 'ArchiveKeyArnInvalid',
        `existingArchive.keyArn ${JSON.stringify(e.keyArn)} is not the ARN of a KMS key or alias: pass the ARN of the archive's customer-managed key.`);
    }
    v.throwIfInvalid();
  }

  /** The bucket and key the trail delivers to: an existing archive's, or an AuditLogArchive's (created if none is given). */
  private deliveryTarget(props: IsolatedAuditTrailProps): { bucketName: string; keyArn: string; archive?: AuditLogArchive } {
    if (props.existingArchive) {
      return { bucketName: props.existingArchive.bucketName, keyArn: props.existingArchive.keyArn };
    }
    const stack = Stack.of(this);
    const archive = props.archive ?? new AuditLogArchive(this, 'Archive');
    if (!props.archive) {
      Annotations.of(this).addWarningV2('cdk-ccpa:AuditArchiveInSameAccount',
        'The audit log archive is in the same account as the trail. Object Lock still keeps delivered files from deletion, but an administrator of this account can stop the trail, change what it records and read the logs. Pass `archive` with an AuditLogArchive in a stack of a separate log-archive account.');
    }
    const archiveStack = Stack.of(archive);
    const crossAccount = archiveStack !== stack && !Token.isUnresolved(archiveStack.account) && archiveStack.account !== stack.account;
    if (crossAccount && Token.isUnresolved(stack.account)) {
      new PropsValidator(this, 'InvalidIsolatedAuditTrailProps').fail('TrailAccountUnknown',
        `archive is in account ${archiveStack.account} but this trail's stack has no explicit account, which the archive's policies must name: give the stack an env.`).throwIfInvalid();
    }
    archive.allowTrail({ trailArn: this.trailArn, account: stack.account, organizationId: props.organizationId });
    const byAlias = crossAccount || (archiveStack !== stack && archiveStack.region !== stack.region);
    const keyArn = byAlias ? archive.keyAliasArn : archive.encryptionKey.keyArn;
    return { bucketName: archive.bucket.bucketName, keyArn, archive };
  }

  /**
   * The in-scope stores this trail logs data events for (`DataEventScope.IN_SCOPE_STORES`), as
   * found in the construct tree now. Call it after the app is built (e.g. in a test).
   */
  public coveredStorePaths(): string[] {
    return this.findStores().filter((s) => s.arn !== undefined).map((s) => s.resource.node.path);
  }

  private findStores(): FoundStore[] {
    if (this.dataEvents !== DataEventScope.IN_SCOPE_STORES) {
      return [];
    }
    return findInScopeStores(this.storeSearchScope ?? this.node.root, Stack.of(this));
  }

  private eventSelectors(): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
    const selectors = [managementSelector()];
    if (this.dataEvents === DataEventScope.ALL_STORES) {
      selectors.push(s3Selector(undefined), dynamoDbSelector(undefined));
    } else {
      const stores = this.findStores().filter((s) => s.arn !== undefined);
      const buckets = stores.filter((s) => s.kind === 'bucket').map((s) => s.arn!);
      const tables = stores.filter((s) => s.kind === 'table').map((s) => s.arn!);
      if (buckets.length > 0) selectors.push(s3Selector(buckets));
      if (tables.length > 0) selectors.push(dynamoDbSelector(tables));
    }
    return [...selectors, ...this.additionalSelectors];
  }

  private validateSelectors(): string[] {
    const errors: string[] = [];
    const unnamed = this.findStores().filter((s) => s.arn === undefined);
    for (const s of unnamed) {
      errors.push(`${s.resource.node.path} (${s.resource.cfnResourceType}) holds personal data (it is not classified non-personal) but is in another account or region than the trail and has a generated name, so the trail's data event selectors cannot name it. Give it a literal name, classify it, narrow storeSearchScope, or use dataEvents: DataEventScope.ALL_STORES (${cite('ccr-7123(c)(7)')}: access to personal data is recorded)`);
    }
    const selectors = this.eventSelectors();
    const values = selectors.reduce((n, s) => n + countValues(s), 0);
    if (selectors.length > MAX_SELECTORS) {
      errors.push(`the trail has ${selectors.length} advanced event selectors (${selectors.map((s) => s.name ?? 'unnamed').join(', ')}); CloudTrail accepts at most ${MAX_SELECTORS}: merge additionalEventSelectors`);
    }
    if (values > MAX_SELECTOR_VALUES) {
      errors.push(`the trail's advanced event selectors use ${values} condition values (one per in-scope bucket and table, plus the event categories and resource types); CloudTrail accepts at most ${MAX_SELECTOR_VALUES}. Use dataEvents: DataEventScope.ALL_STORES, split the stores over several trails with storeSearchScope, or classify stores that hold no personal data as non-personal`);
    }
    return errors;
  }
}
