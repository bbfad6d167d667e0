import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { PrivacyInventoryBackupPlan, PrivacyInventoryEntry, PrivacyInventoryRecipient } from './privacy-inventory-entry';
import { PrivacyClassification } from '../classification/privacy-classification';
import { PrivacyKey } from '../encryption/privacy-key';
import { provideAppSingleton, rootChild, writeAtSynth } from '../private/app-singletons';
import { PersonalDataBackupPlan } from '../storage/personal-data-backup-plan';
import type { IPersonalDataStore } from '../storage/personal-data-store';
import { PrivacyRecipient } from '../storage/privacy-recipient';

/** CloudFormation types that hold data, listed when no cdk-ccpa construct manages them. */
const DATA_STORE_TYPES = new Set([
  'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem', 'AWS::SQS::Queue', 'AWS::Kinesis::Stream', 'AWS::OpenSearchService::Domain',
  'AWS::ElastiCache::ReplicationGroup', 'AWS::Logs::LogGroup',
]);

/** The construct id of the inventory at the root of the app. */
const INVENTORY_ID = 'CdkCcpaPrivacyInventory';

/**
 * The privacy inventory of an app, written into the cloud assembly at synth
 * (`privacy-inventory.json` and `privacy-inventory.md`): every personal data store and backup
 * plan of the construct tree, and every other data store as unmanaged (untagged = personal).
 * One per app, at its root (`PrivacyInventory.of(scope)`); every cdk-ccpa data store creates it.
 */
export class PrivacyInventory extends Construct {
  /** File name of the machine-readable inventory in the cloud assembly. */
  public static readonly JSON_FILE = 'privacy-inventory.json';
  /** File name of the Markdown rendering in the cloud assembly. */
  public static readonly MARKDOWN_FILE = 'privacy-inventory.md';

  /** The inventory of the app `scope` belongs to, created at the app root on first use. */
  public static of(scope: IConstruct): PrivacyInventory {
    return rootChild(scope, INVENTORY_ID,
      (c): c is PrivacyInventory => c instanceof PrivacyInventory, (root, id) => new PrivacyInventory(root, id));
  }

  private readonly stores: IPersonalDataStore[] = [];
  private readonly backupPlans: PrivacyInventoryBackupPlan[] = [];
  /** Construct path of a store -> paths of the plans that back it up. */
  private readonly backedUp = new Map<string, string[]>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    writeAtSynth(this, (outdir) => this.writeFiles(outdir));
  }

  /**
   * Add a store that is not a construct of this app's tree. Every `IPersonalDataStore` in the
   * tree (PersonalDataBucket, PrivacyTable, your own) is found at synth without it. Adding twice
   * has no effect.
   */
  public registerStore(store: IPersonalDataStore): void {
    if (!this.stores.includes(store)) {
      this.stores.push(store);
    }
  }

  /**
   * Add a backup plan that is not a PersonalDataBackupPlan (those are found at synth); the stores
   * it backs up follow with `registerBackedUpStore`.
   */
  public registerBackupPlan(plan: PrivacyInventoryBackupPlan): void {
    this.backupPlans.push(plan);
  }

  /**
   * Record that the plan at `planPath` backs up the store at `storePath` (construct paths). The
   * stores added to a PersonalDataBackupPlan are found at synth; only stores recorded here or
   * added to a plan are listed with backups.
   */
  public registerBackedUpStore(planPath: string, storePath: string): void {
    const plans = this.backedUp.get(storePath) ?? [];
    if (!plans.includes(planPath)) {
      this.backedUp.set(storePath, [...plans, planPath]);
    }
  }

  /**
   * The inventory as it stands: the stores of the app (every `IPersonalDataStore` in the tree, in
   * tree order, then the registered ones), then every other data store of the app.
   * Classifications are read from the tags, so call it after `app.synth()` (or let synth write
   * the files) to see tags applied by aspects.
   */
  public entries(): PrivacyInventoryEntry[] {
    const app = this.scan();
    const managed = app.stores.map((s) => this.entryOf(s, app));
    const managedPaths = app.stores.map((s) => s.node.path);
    // a resource of the app registered by an existing-store construct (by its ARN) is that store
    const managedArns = new Set(app.stores.map((s) => arnKeyOf(Stack.of(s), s.describePersonalData().arn)));
    const unmanaged = app.constructs
      .filter(CfnResource.isCfnResource)
      .filter((r) => DATA_STORE_TYPES.has(r.cfnResourceType))
      .filter((r) => !managedPaths.some((p) => r.node.path === p || r.node.path.startsWith(`${p}/`)))
      .filter((r) => !managedArns.has(arnKeyOf(Stack.of(r), r.getAtt('Arn').toString())))
      .map((r) => this.unmanagedEntryOf(r, app));
    return [...managed, ...unmanaged];
  }

  /** The recipients of personal information declared in the app (every PrivacyRecipient), with the stores they receive from. */
  public recipients(): PrivacyInventoryRecipient[] {
    const app = this.scan();
    return app.recipients.map((r) => ({
      path: r.node.path,
      name: r.recipientName,
      role: r.role,
      contractReference: r.contractReference,
      categories: r.categories.map((c) => c.key),
      purposes: r.purposes.map((p) => p.key),
      notification: r.notification.kind,
      rawIdentifier: r.needsRawIdentifier,
      stores: app.stores.filter((s) => r.receivesFrom(s)).map((s) => s.node.path),
    }));
  }

  /** The inventory as JSON text (the content of `privacy-inventory.json`). */
  public renderJson(): string {
    const stores = this.entries();
    const { plans, backedUp } = this.scan();
    return JSON.stringify({
      version: 1,
      generatedBy: 'cdk-ccpa',
      summary: {
        stores: stores.length,
        unmanaged: stores.filter((s) => !s.managed).length,
        sensitive: stores.filter((s) => s.classification === 'sensitive').length,
        withoutBackup: stores.filter((s) => s.managed && s.backups.length === 0).length,
        ...(stores.some((s) => s.verification !== undefined)
          ? { declaredNotVerified: stores.filter((s) => s.verification?.startsWith('declared, not verified') === true).length }
          : {}),
        withoutRetention: stores.filter((s) => s.classification !== 'non-personal' && s.retentionDays === undefined && s.retentionReason === undefined).length,
        recipients: this.recipients().length,
      },
      stores,
      recipients: this.recipients(),
      backupPlans: plans.map((p) => ({
        path: p.path,
        classifications: p.classifications,
        retentionDays: p.retentionDays,
        selectsByTag: p.selectsByTag ?? false,
        stores: [...backedUp].filter(([, paths]) => paths.includes(p.path)).map(([store]) => store),
      })),
    }, undefined, 2);
  }

  /** The inventory as a Markdown table (the content of `privacy-inventory.md`). */
  public renderMarkdown(): string {
    const stores = this.entries();
    const cell = (v: unknown) => (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? '-' : String(Array.isArray(v) ? v.join(', ') : v).replace(/\|/g, '\\|'));
    const lines = [
      '# Privacy inventory',
      '',
      'Generated by cdk-ccpa at synth. Untagged stores count as personal information (fail closed).',
      '',
      '| store | kind | classification | categories | purposes | retention | recipients | tenancy | DSR | key | deletion latency (days) | access logs (days) | backups | subject locator |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...stores.map((s) => `| ${cell(s.path)}${s.managed ? '' : ' (unmanaged)'}${s.verification === undefined ? '' : ` (existing: ${s.verification.split(':')[0]})`} | ${cell(s.kind)} | ${cell(s.classification)} | ${cell(s.categories)} | ${cell(s.purposes)} | ${cell(retentionText(s))} | ${cell(s.recipients)} | ${cell(s.tenancy)} | ${cell(s.dsr)} | ${cell(s.key)} | ${cell(s.deletionLatencyDays)} | ${cell(s.accessLogRetentionDays)} | ${cell(s.backups)} | ${cell(s.subjectLocator)} |`),
      '',
    ];
    const recipients = this.recipients();
    if (recipients.length > 0) {
      lines.push(
        '## Recipients',
        '',
        '| recipient | role | contract | categories | purposes | notified by | raw identifier | stores |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...recipients.map((r) => `| ${cell(r.name)} | ${cell(r.role)} | ${cell(r.contractReference)} | ${cell(r.categories)} | ${cell(r.purposes)} | ${cell(r.notification)} | ${r.rawIdentifier ? 'encrypted' : 'no'} | ${cell(r.stores)} |`),
        '',
      );
    }
    return lines.join('\n');
  }

  private writeFiles(outdir: string): void {
    fs.writeFileSync(path.join(outdir, PrivacyInventory.JSON_FILE), `${this.renderJson()}\n`);
    fs.writeFileSync(path.join(outdir, PrivacyInventory.MARKDOWN_FILE), this.renderMarkdown());
  }

  /**
   * One walk of the construct tree: the stores (every IPersonalDataStore, then the registered
   * ones), the backup plans (every PersonalDataBackupPlan, then the registered ones) and which
   * plans each store was added to.
   */
  private scan(): AppScan {
    const constructs = this.node.root.node.findAll();
    const recipients = constructs.filter((c): c is PrivacyRecipient => PrivacyRecipient.isPrivacyRecipient(c));
    const stores = [...constructs.filter(isPersonalDataStore), ...this.stores].filter((s, i, all) => all.indexOf(s) === i);
    const found = constructs.filter((c): c is PersonalDataBackupPlan => c instanceof PersonalDataBackupPlan);
    const plans: PrivacyInventoryBackupPlan[] = found.map((p) => ({
      path: p.node.path,
      classifications: p.classifications.map(String),
      retentionDays: p.retention.toDays({ integral: false }),
      account: Stack.of(p).account,
      region: Stack.of(p).region,
      selectsByTag: p.selectsByTag,
    }));
    plans.push(...this.backupPlans.filter((r) => !plans.some((f) => f.path === r.path)));
    const backedUp = new Map<string, string[]>();
    const add = (storePath: string, planPath: string) => {
      const paths = backedUp.get(storePath) ?? [];
      if (!paths.includes(planPath)) backedUp.set(storePath, [...paths, planPath]);
    };
    found.forEach((plan) => plan.storePaths.forEach((store) => add(store, plan.node.path)));
    this.backedUp.forEach((paths, store) => paths.forEach((plan) => add(store, plan)));
    return { constructs, stores, plans, backedUp, recipients };
  }

  private entryOf(store: IPersonalDataStore, app: AppScan): PrivacyInventoryEntry {
    const d = store.describePersonalData();
    const main = mainResourceOf(store);
    const stack = Stack.of(store);
    const classification = main ? PrivacyClassification.of(main) : PrivacyClassification.of(store);
    const owner = classification.owner;
    const alias = keyNameOf(d.encryptionKey);
    return {
      path: d.constructPath,
      kind: d.kind,
      stack: stack.artifactId,
      logicalId: main ? stack.resolve(main.logicalId) : store.node.id,
      managed: true,
      classification: classification.classification,
      categories: classification.categories.map((c) => c.key),
      purposes: classification.purposes.map((p) => p.key),
      retentionDays: classification.retentionDays,
      retentionReason: classification.indefiniteRetentionReason,
      recipients: app.recipients.filter((r) => r.receivesFrom(store)).map((r) => r.recipientName),
      tenancy: classification.tenancy ?? d.tenancy,
      dsr: classification.dsr ?? d.dsrCoverage,
      owner,
      key: Token.isUnresolved(alias) ? d.encryptionKey.node.path : alias,
      deletionLatencyDays: d.deletionLatency.toDays(),
      versions: d.subjectPrefixTemplate !== undefined
        ? `versioned; noncurrent versions expire after ${d.deletionLatency.toDays()} days`
        : `point-in-time recovery, ${d.deletionLatency.toDays()}-day window`,
      accessLogRetentionDays: d.accessLogRetention?.toDays(),
      backups: this.backupsOf(d.constructPath, app),
      subjectLocator: d.subjectPrefixTemplate !== undefined
        ? `prefix ${d.subjectPrefixTemplate}`
        : `index ${d.subjectIndexName} on ${d.subjectAttribute} = ${d.subjectValueTemplate}`,
      ...(d.declaredSettings !== undefined ? { verification: verificationOf(d.declaredSettings, d.verifiedBy ?? []) } : {}),
    };
  }

  private unmanagedEntryOf(resource: CfnResource, app: AppScan): PrivacyInventoryEntry {
    const c = PrivacyClassification.of(resource);
    const stack = Stack.of(resource);
    const storePath = resource.node.path.replace(/\/Resource$/, '');
    return {
      path: storePath,
      kind: resource.cfnResourceType,
      stack: stack.artifactId,
      logicalId: stack.resolve(resource.logicalId),
      managed: false,
      classification: c.declared ? c.classification : `${c.classification} (assumed)`,
      categories: c.categories.map((x) => x.key),
      purposes: c.purposes.map((p) => p.key),
      retentionDays: c.retentionDays,
      retentionReason: c.indefiniteRetentionReason,
      recipients: [],
      tenancy: c.tenancy,
      dsr: c.dsr,
      owner: c.owner,
      backups: this.backupsOf(storePath, app),
    };
  }

  /**
   * The plans that back up the store at `storePath` (or a store it belongs to). A plan that only
   * selects by tag does not count: its role cannot read stores that were not added to it.
   */
  private backupsOf(storePath: string, app: AppScan): string[] {
    const plans = [...app.backedUp]
      .filter(([store]) => storePath === store || storePath.startsWith(`${store}/`))
      .flatMap(([, paths]) => paths);
    return app.plans
      .filter((p) => plans.includes(p.path))
      .map((p) => `${p.path} (${p.retentionDays} days)`);
  }
}

/** What one walk of the construct tree found. */
interface AppScan {
  readonly constructs: IConstruct[];
  readonly stores: IPersonalDataStore[];
  readonly plans: PrivacyInventoryBackupPlan[];
  /** Construct path of a store -> paths of the plans it was added to. */
  readonly backedUp: Map<string, string[]>;
  /** Every PrivacyRecipient of the app. */
  readonly recipients: PrivacyRecipient[];
}

/** The retention column: days, "indefinite: reason", days with a reason, or undefined. */
function retentionText(s: PrivacyInventoryEntry): string | undefined {
  if (s.retentionDays !== undefined) return s.retentionReason ? `${s.retentionDays} days (${s.retentionReason})` : `${s.retentionDays} days`;
  return s.retentionReason !== undefined ? `indefinite: ${s.retentionReason}` : undefined;
}

/** A stack-qualified, resolved ARN, to compare a store's ARN with a resource's `Arn` attribute. */
function arnKeyOf(stack: Stack, arn: string): string {
  return `${stack.artifactId} ${JSON.stringify(stack.resolve(arn))}`;
}

/** What an existing store declared, and whether AWS Config verifies it in the account. */
function verificationOf(declared: string[], rules: string[]): string {
  return rules.length > 0
    ? `declared, verified in the account by AWS Config: ${rules.map((r) => r.split('/').pop()).join(', ')}: ${declared.join('; ')}`
    : `declared, not verified: ${declared.join('; ')}`;
}

/**
 * How the inventory names a store's key: a PrivacyKey by its alias, an imported key by its ARN
 * (a token when the ARN is only known at deployment).
 */
function keyNameOf(key: kms.IKey): string {
  if (key instanceof PrivacyKey) {
    const cfnAlias = key.alias.node.defaultChild as kms.CfnAlias | undefined;
    return cfnAlias?.aliasName ?? key.alias.aliasName;
  }
  return key.keyArn;
}

/** Whether a construct is an IPersonalDataStore (it describes its personal data and grants DSR access). */
function isPersonalDataStore(c: IConstruct): c is IPersonalDataStore {
  const store = c as Partial<IPersonalDataStore>;
  return typeof store.describePersonalData === 'function' && typeof store.grantDsrAccess === 'function';
}

// Every data store makes sure its app has an inventory (lib/private/app-singletons.ts).
provideAppSingleton('PrivacyInventory', (scope) => PrivacyInventory.of(scope));

/** The L1 behind a store: its default child, or the default child's default child (L3 -> L2 -> L1). */
function mainResourceOf(store: IConstruct): CfnResource | undefined {
  let c: IConstruct | undefined = store.node.defaultChild;
  while (c && !CfnResource.isCfnResource(c)) {
    c = c.node.defaultChild;
  }
  return c;
}
