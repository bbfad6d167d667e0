import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  DataCategory, DataClassification, IPersonalDataStore, PersonalDataBackupPlan, PersonalDataBucket, PrivacyClassification, PrivacyInventory,
  PrivacyTable, TenancyModel,
} from '../../lib';
import { testTempDir } from '../kit/temp-dir';

describe('PrivacyInventory', () => {
  describe('GIVEN an app with a bucket, a table, a backup plan and a raw bucket', () => {
    const outdir = testTempDir('inventory-');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Data');
    new PersonalDataBucket(stack, 'Documents', { tenancy: TenancyModel.POOLED, categories: [DataCategory.CONTACT], owner: 'team-docs' });
    // selectByTag: the plan also selects the personal bucket, the raw buckets and the log groups by tag (or their
    // absence), but backs up only the store added to it; the inventory lists that one as backed up
    const plan = new PersonalDataBackupPlan(stack, 'Backups', { selectByTag: true });
    new PrivacyTable(stack, 'Patients', { classification: DataClassification.SENSITIVE, categories: [DataCategory.HEALTH], backupPlan: plan });
    new s3.Bucket(stack, 'Scratch');
    const assets = new s3.Bucket(stack, 'PublicAssets');
    PrivacyClassification.apply(assets, { classification: DataClassification.NON_PERSONAL });
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, PrivacyInventory.JSON_FILE), 'utf8'));
    const markdown = fs.readFileSync(path.join(outdir, PrivacyInventory.MARKDOWN_FILE), 'utf8');
    const byPath = Object.fromEntries(json.stores.map((s: any) => [s.path, s]));

    test('THEN synth writes privacy-inventory.json and privacy-inventory.md into the cloud assembly', () => {
      expect(json.version).toBe(1);
      expect(json.summary).toEqual({ stores: 4, unmanaged: 2, sensitive: 1, withoutBackup: 1, withoutRetention: 3, recipients: 0 });
      expect(json.stores.filter((e: any) => e.backups.length > 0).map((e: any) => e.path)).toEqual(['Data/Patients']);
      expect(markdown).toMatch(/^# Privacy inventory/);
      expect(markdown).toContain('| Data/Documents | s3-bucket | personal | user.contact | - | - | - | pooled | covered |');
    });

    test('THEN the bucket entry has its key, deletion latency, access logs and subject prefix', () => {
      expect(byPath['Data/Documents']).toEqual(expect.objectContaining({
        kind: 's3-bucket',
        stack: 'Data',
        managed: true,
        classification: 'personal',
        categories: ['user.contact'],
        tenancy: 'pooled',
        dsr: 'covered',
        owner: 'team-docs',
        key: expect.stringMatching(/^alias\/privacy\//),
        deletionLatencyDays: 30,
        accessLogRetentionDays: 365,
        backups: [],
        subjectLocator: 'prefix tenants/{tenant}/subjects/{subject}/',
      }));
      expect(byPath['Data/Documents'].logicalId).toMatch(/^DocumentsBucket/);
    });

    test('THEN the table entry has its PITR window, subject index and the plan it was added to', () => {
      expect(byPath['Data/Patients']).toEqual(expect.objectContaining({
        kind: 'dynamodb-table',
        classification: 'sensitive',
        categories: ['user.health'],
        deletionLatencyDays: 35,
        versions: 'point-in-time recovery, 35-day window',
        backups: ['Data/Backups (35 days)'],
        subjectLocator: 'index subject-index on subjectId = {subject}',
      }));
    });

    test('THEN raw data stores are listed as unmanaged, untagged ones as assumed personal', () => {
      expect(byPath['Data/Scratch']).toEqual(expect.objectContaining({ kind: 'AWS::S3::Bucket', managed: false, classification: 'personal (assumed)', backups: [] }));
      expect(byPath['Data/PublicAssets']).toEqual(expect.objectContaining({ managed: false, classification: 'non-personal' }));
      expect(Object.keys(byPath)).not.toContain('Data/Documents/AccessLogs');
    });

    test('THEN one inventory exists per app, at its root', () => {
      expect(PrivacyInventory.of(stack)).toBe(app.node.findChild('CdkCcpaPrivacyInventory'));
      expect(json.backupPlans).toEqual([{
        path: 'Data/Backups', classifications: ['personal', 'sensitive'], retentionDays: 35, selectsByTag: true, stores: ['Data/Patients'],
      }]);
    });
  });

  test('GIVEN a store of its own kind (a construct implementing IPersonalDataStore, never registered) THEN synth finds it in the tree', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const table = new PrivacyTable(stack, 'Inner');
    class WrappedStore extends Construct implements IPersonalDataStore {
      public readonly encryptionKey = table.encryptionKey;
      public describePersonalData() { return { ...table.describePersonalData(), constructPath: this.node.path }; }
      public grantDsrAccess(grantee: iam.IGrantable) { return table.grantDsrAccess(grantee); }
    }
    new WrappedStore(stack, 'Wrapped');
    const entries = PrivacyInventory.of(stack).entries();
    expect(entries.filter((e) => e.managed).map((e) => [e.path, e.kind])).toEqual([['S/Inner', 'dynamodb-table'], ['S/Wrapped', 'dynamodb-table']]);
  });

  test('GIVEN a plan and a store created after it THEN the plan and the store it backs up are found at synth', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const plan = new PersonalDataBackupPlan(stack, 'Plan', { retention: Duration.days(7) });
    const late = new PrivacyTable(stack, 'Late');
    plan.addStore(late);
    expect(plan.storePaths).toEqual(['S/Late']);
    expect(PrivacyInventory.of(stack).entries().find((e) => e.path === 'S/Late')?.backups).toEqual(['S/Plan (7 days)']);
    expect(JSON.parse(PrivacyInventory.of(stack).renderJson()).backupPlans)
      .toEqual([expect.objectContaining({ path: 'S/Plan', retentionDays: 7, stores: ['S/Late'] })]);
  });

  test('GIVEN a plan and a store registered by hand (no PersonalDataBackupPlan) THEN both are listed', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new s3.Bucket(stack, 'Raw');
    const inventory = PrivacyInventory.of(stack);
    inventory.registerBackupPlan({ path: 'Elsewhere/Plan', classifications: ['personal'], retentionDays: 14, account: '1', region: 'us-east-1' });
    inventory.registerBackedUpStore('Elsewhere/Plan', 'S/Raw');
    expect(inventory.entries().find((e) => e.path === 'S/Raw')?.backups).toEqual(['Elsewhere/Plan (14 days)']);
  });

  test('GIVEN a store registered twice THEN it is listed once', () => {
    const app = new App();
    const bucket = new PersonalDataBucket(new Stack(app, 'S'), 'B');
    PrivacyInventory.of(bucket).registerStore(bucket);
    expect(PrivacyInventory.of(bucket).entries().filter((e) => e.path === 'S/B')).toHaveLength(1);
  });
});
