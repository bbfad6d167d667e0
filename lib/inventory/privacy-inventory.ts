import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, CfnResource, ISynthesisSession, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { PrivacyInventoryBackupPlan, PrivacyInventoryEntry } from './privacy-inventory-entry';
import { PrivacyClassification } from '../classification/privacy-classification';
import type { IPersonalDataStore } from '../storage/personal-data-store';

/** CloudFormation types that hold data (DESIGN.md section 3), listed when no cdk-ccpa construct manages them. */
const DATA_STORE_TYPES = new Set([
  'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem', 'AWS::SQS::Queue', 'AWS::Kinesis::Stream', 'AWS::OpenSearchService::Domain',
  'AWS::ElastiCache::ReplicationGroup', 'AWS::Logs::LogGroup',
]);

/** The construct id of the inventory at the root of the app. */
const INVENTORY_ID = 'CdkCcpaPrivacyInventory';

/**
 * The privacy inventory of an app: which stores hold which personal information, under which
 * key, for how long deleted data lingers, which backups select them, and how a data subject
 * request reaches them. It answers the data-mapping questions of the CCPA/CPRA (Cal. Civ. Code
 * 1798.100(a) notice of categories, 1798.110 access requests, 1798.105 deletion) from the code
 * that deploys the stores.
 *
 * `PersonalDataBucket`, `PrivacyTable` and `PersonalDataBackupPlan` register themselves. At synth
 * the inventory also lists every other data store of the app (raw `s3.Bucket`, `logs.LogGroup`,
 * ...) as unmanaged, classified by its `privacy:*` tags (untagged = personal, assumed), and
 * writes two files into the cloud assembly directory:
 * `privacy-inventory.json` (machine-readable) and `privacy-inventory.md` (for review).
 *
 * One inventory exists per app, as a construct at the app root (`PrivacyInventory.of(scope)`).
 */
export class PrivacyInventory extends Construct {
  /** File name of the machine-readable inventory in the cloud assembly. */
  public static readonly JSON_FILE = 'privacy-inventory.json';
  /** File name of the Markdown rendering in the cloud assembly. */
  public static readonly MARKDOWN_FILE = 'privacy-inventory.md';

  /** The inventory of the app `scope` belongs to, created at the app root on first use. */
  public static of(scope: IConstruct): PrivacyInventory {
    const root = scope.node.root as Construct;
    const existing = root.node.tryFindChild(INVENTORY_ID);
    if (existing instanceof PrivacyInventory) {
      return existing;
    }
    return new PrivacyInventory(root, INVENTORY_ID);
  }

  private readonly stores: IPersonalDataStore[] = [];
  private readonly backupPlans: PrivacyInventoryBackupPlan[] = [];
  /** Construct path of a store -> paths of the plans that back it up. */
  private readonly backedUp = new Map<string, string[]>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    attachCustomSynthesis(this, { onSynthesize: (session: ISynthesisSession) => this.writeFiles(session.outdir) });
  }

  /** Add a store (the cdk-ccpa stores call this themselves). Registering twice has no effect. */
  public registerStore(store: IPersonalDataStore): void {
    if (!this.stores.includes(store)) {
      this.stores.push(store);
    }
  }

  /** Add a backup plan (PersonalDataBackupPlan calls this); the stores it backs up follow with `registerBackedUpStore`. */
  public registerBackupPlan(plan: PrivacyInventoryBackupPlan): void {
    this.backupPlans.push(plan);
  }

  /**
   * Record that the plan at `planPath` backs up the store at `storePath` (construct paths):
   * `PersonalDataBackupPlan.addStore` calls this. Only stores recorded here are listed with backups.
   */
  public registerBackedUpStore(planPath: string, storePath: string): void {
    const plans = this.backedUp.get(storePath) ?? [];
    if (!plans.includes(planPath)) {
      this.backedUp.set(storePath, [...plans, planPath]);
    }
  }

  /**
   * The inventory as it stands: the registered stores, then every other data store of the app.
   * Classifications are read from the tags, so call it after `app.synth()` (or let synth write
   * the files) to see tags applied by aspects.
   */
  public entries(): PrivacyInventoryEntry[] {
    const managed = this.stores.map((s) => this.entryOf(s));
    const managedPaths = this.stores.map((s) => s.node.path);
    const unmanaged = this.node.root.node.findAll()
      .filter(CfnResource.isCfnResource)
      .filter((r) => DATA_STORE_TYPES.has(r.cfnResourceType))
      .filter((r) => !managedPaths.some((p) => r.node.path === p || r.node.path.startsWith(`${p}/`)))
      .map((r) => this.unmanagedEntryOf(r));
    return [...managed, ...unmanaged];
  }

  /** The inventory as JSON text (the content of `privacy-inventory.json`). */
  public renderJson(): string {
    const stores = this.entries();
    return JSON.stringify({
      version: 1,
      generatedBy: 'cdk-ccpa',
      summary: {
        stores: stores.length,
        unmanaged: stores.filter((s) => !s.managed).length,
        sensitive: stores.filter((s) => s.classification === 'sensitive').length,
        withoutBackup: stores.filter((s) => s.managed && s.backups.length === 0).length,
      },
      stores,
      backupPlans: this.backupPlans.map((p) => ({
        path: p.path,
        classifications: p.classifications,
        retentionDays: p.retentionDays,
        selectsByTag: p.selectsByTag ?? false,
        stores: [...this.backedUp].filter(([, plans]) => plans.includes(p.path)).map(([store]) => store),
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
      '| store | kind | classification | categories | tenancy | DSR | key | deletion latency (days) | access logs (days) | backups | subject locator |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...stores.map((s) => `| ${cell(s.path)}${s.managed ? '' : ' (unmanaged)'} | ${cell(s.kind)} | ${cell(s.classification)} | ${cell(s.categories)} | ${cell(s.tenancy)} | ${cell(s.dsr)} | ${cell(s.key)} | ${cell(s.deletionLatencyDays)} | ${cell(s.accessLogRetentionDays)} | ${cell(s.backups)} | ${cell(s.subjectLocator)} |`),
      '',
    ];
    return lines.join('\n');
  }

  private writeFiles(outdir: string): void {
    fs.writeFileSync(path.join(outdir, PrivacyInventory.JSON_FILE), `${this.renderJson()}\n`);
    fs.writeFileSync(path.join(outdir, PrivacyInventory.MARKDOWN_FILE), this.renderMarkdown());
  }

  private entryOf(store: IPersonalDataStore): PrivacyInventoryEntry {
    const d = store.describePersonalData();
    const main = mainResourceOf(store);
    const stack = Stack.of(store);
    const classification = main ? PrivacyClassification.of(main) : PrivacyClassification.of(store);
    const owner = classification.owner;
    const cfnAlias = d.key.alias.node.defaultChild as kms.CfnAlias | undefined;
    const alias = cfnAlias?.aliasName ?? d.key.alias.aliasName;
    return {
      path: d.constructPath,
      kind: d.kind,
      stack: stack.artifactId,
      logicalId: main ? stack.resolve(main.logicalId) : store.node.id,
      managed: true,
      classification: classification.classification,
      categories: classification.categories.map((c) => c.key),
      tenancy: classification.tenancy ?? d.tenancy,
      dsr: classification.dsr ?? d.dsrCoverage,
      owner,
      key: Token.isUnresolved(alias) ? d.key.node.path : alias,
      deletionLatencyDays: d.deletionLatency.toDays(),
      versions: d.subjectPrefixTemplate !== undefined
        ? `versioned; noncurrent versions expire after ${d.deletionLatency.toDays()} days`
        : `point-in-time recovery, ${d.deletionLatency.toDays()}-day window`,
      accessLogRetentionDays: d.accessLogRetention?.toDays(),
      backups: this.backupsOf(d.constructPath),
      subjectLocator: d.subjectPrefixTemplate !== undefined
        ? `prefix ${d.subjectPrefixTemplate}`
        : `index ${d.subjectIndexName} on ${d.subjectAttribute} = ${d.subjectValueTemplate}`,
    };
  }

  private unmanagedEntryOf(resource: CfnResource): PrivacyInventoryEntry {
    const c = PrivacyClassification.of(resource);
    const stack = Stack.of(resource);
    const storePath = resource.node.path.replace(/\/Resource$/, '');
    return {
      path: storePath,
      kind: resource.cfnResourceType,
      stack: stack.artifactId,
      logicalId: stack.resolve(resource.logicalId),
      managed: false,
      classification: c.explicit ? c.classification : `${c.classification} (assumed)`,
      categories: c.categories.map((x) => x.key),
      tenancy: c.tenancy,
      dsr: c.dsr,
      owner: c.owner,
      backups: this.backupsOf(storePath),
    };
  }

  /**
   * The plans that back up the store at `storePath` (or a store it belongs to). A plan that only
   * selects by tag does not count: its role cannot read stores that were not added to it.
   */
  private backupsOf(storePath: string): string[] {
    const plans = [...this.backedUp]
      .filter(([store]) => storePath === store || storePath.startsWith(`${store}/`))
      .flatMap(([, paths]) => paths);
    return this.backupPlans
      .filter((p) => plans.includes(p.path))
      .map((p) => `${p.path} (${p.retentionDays} days)`);
  }
}

/** The L1 behind a store: its default child, or the default child's default child (L3 -> L2 -> L1). */
function mainResourceOf(store: IConstruct): CfnResource | undefined {
  let c: IConstruct | undefined = store.node.defaultChild;
  while (c && !CfnResource.isCfnResource(c)) {
    c = c.node.defaultChild;
  }
  return c;
}
