/**
 * Example: a brownfield account. A team adopts cdk-ccpa with an orders table and an uploads bucket
 * that were created before it (by hand, or by another tool): a DsrWorkflow must reach them too.
 *
 * The existing stores are imported by name and registered as ExistingPersonalDataTable and
 * ExistingPersonalDataBucket with how a subject's records are found in them and the settings the
 * construct cannot read (declared, then checked in the account by AWS Config rules scoped to each
 * resource). A new PrivacyTable sits next to them. Synth writes the privacy inventory, which lists
 * all three; `npx cdk synth --app "npx ts-node examples/brownfield-app.ts"` runs the rule packs.
 *
 * Before deploying: the keys' policies must let the account's IAM policies allow their use (the
 * default key policy does); the bucket policy must not deny the workflow's StoreStep role; AWS
 * Config must be recording in the account and region.
 */
import { App, Duration, IPolicyValidationPlugin, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  DataCategory, DataPurpose, DsrWorkflow, ExistingPersonalDataBucket, ExistingPersonalDataTable, OrganizationTrailCoverage, PrivacyTable,
} from '../lib';
// the rule packs a CI pipeline runs on every synth, the same as the SaaS example's (CcpaChecks included)
import { rulePacks } from './saas-app';

/** The account and region of the existing stores. Replace with yours. */
export const BROWNFIELD_ENVIRONMENT = { account: '444444444444', region: 'us-east-1' };

/** The organization trail that records this account's data events (see examples/org-app.ts). Replace with yours. */
export const BROWNFIELD_TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/cdk-ccpa-organization-trail';

/** The existing stores and their customer-managed keys, as they are named in the account. Replace with yours. */
export const EXISTING = {
  tableName: 'legacy-orders',
  tableKeyArn: 'arn:aws:kms:us-east-1:444444444444:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  bucketName: 'acme-legacy-uploads',
  bucketKeyArn: 'arn:aws:kms:us-east-1:444444444444:key/1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809',
};

/** The stores of a brownfield account, old and new, served by one DsrWorkflow. */
export class BrownfieldStack extends Stack {
  public readonly orders: ExistingPersonalDataTable;
  public readonly uploads: ExistingPersonalDataBucket;
  public readonly profiles: PrivacyTable;
  public readonly dsr: DsrWorkflow;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    new OrganizationTrailCoverage(this, 'OrganizationTrail', { trailArn: BROWNFIELD_TRAIL_ARN });

    // items keyed PK/SK; each item names its customer in customerRef = "CUSTOMER#<id>", indexed by by-customer
    this.orders = new ExistingPersonalDataTable(this, 'LegacyOrders', {
      table: dynamodb.Table.fromTableName(this, 'OrdersTable', EXISTING.tableName),
      encryptionKey: kms.Key.fromKeyArn(this, 'OrdersKey', EXISTING.tableKeyArn),
      partitionKeyName: 'PK',
      sortKeyName: 'SK',
      subjectAttribute: 'customerRef',
      subjectIndexName: 'by-customer',
      subjectValueTemplate: 'CUSTOMER#{subject}',
      pointInTimeRecoveryWindow: Duration.days(35),
      timeToLiveAttribute: 'expiresAt',
      categories: [DataCategory.NAME, DataCategory.CONTACT, DataCategory.PURCHASE_HISTORY],
      purposes: [DataPurpose.PROVIDE_SERVICE],
      retention: Duration.days(730),
      owner: 'orders-team',
    });
    // one folder per customer: users/<id>/...
    this.uploads = new ExistingPersonalDataBucket(this, 'LegacyUploads', {
      bucket: s3.Bucket.fromBucketName(this, 'UploadsBucket', EXISTING.bucketName),
      encryptionKey: kms.Key.fromKeyArn(this, 'UploadsKey', EXISTING.bucketKeyArn),
      subjectPrefixTemplate: 'users/{subject}/',
      noncurrentVersionExpiration: Duration.days(30),
      accessLogsRetention: Duration.days(365),
      categories: [DataCategory.CONTACT],
      purposes: [DataPurpose.PROVIDE_SERVICE],
      retention: Duration.days(365),
      owner: 'orders-team',
    });
    // new data goes into the library's own store
    this.profiles = new PrivacyTable(this, 'Profiles', {
      categories: [DataCategory.NAME, DataCategory.CONTACT],
      purposes: [DataPurpose.PROVIDE_SERVICE],
      retention: Duration.days(730),
      owner: 'orders-team',
    });
    this.dsr = new DsrWorkflow(this, 'Dsr', { stores: [this.orders, this.uploads, this.profiles] });
  }
}

/** The app with every rule pack registered. */
export function buildApp(app: App = new App(), packs: IPolicyValidationPlugin[] = rulePacks(app)): App {
  new BrownfieldStack(app, 'Brownfield', { env: BROWNFIELD_ENVIRONMENT });
  Validations.of(app).addPlugins(...packs);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
