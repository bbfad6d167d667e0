/**
 * Example: the data plane of a multi-tenant B2B SaaS product, built with cdk-ccpa.
 *
 * Copy it as a starting point. `npm run example` synthesizes it with the rule packs registered
 * and prints the compliance summary; `npx cdk synth --app "npx ts-node examples/saas-app.ts"`
 * fails with exit code 1 on any violation, as a CI pipeline would.
 *
 * It is the data plane of a member account of the organization in examples/org-app.ts, whose
 * organization trail records every member account's S3 and DynamoDB data events: the stack declares
 * that trail (OrganizationTrailCoverage) so CcpaChecks knows its stores are audited. DsrWorkflow
 * joins it as it lands. Synth also writes the privacy inventory (privacy-inventory.json and .md)
 * into the cloud assembly.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnElement, Duration, IPolicyValidationPlugin, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  CcpaChecks, DataCategory, DataClassification, DsrCoverage, OrganizationTrailCoverage, PersonalDataBackupPlan, PersonalDataBucket,
  PrivacyClassification, PrivacyKey, PrivacyTable, PseudonymizationKey, TenancyModel,
} from '../lib';

/**
 * The organization trail of examples/org-app.ts (`cdk-ccpa-organization-trail` in the management
 * account 111111111111, us-east-1): it records the S3 object and DynamoDB item data events of every
 * member account, this one included. Replace it with your organization trail's ARN.
 */
export const ORGANIZATION_TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/cdk-ccpa-organization-trail';

/**
 * The data plane of a multi-tenant SaaS product: pooled customer profiles (PrivacyTable) and
 * tenant documents (PersonalDataBucket) isolated per tenant by the `tenant` session tag, a silo
 * bucket for sensitive KYC documents, the keys, and the role that executes data subject requests.
 */
export class SaasDataPlaneStack extends Stack {
  /** Protects customer records (contact data, account data). */
  public readonly customerDataKey: PrivacyKey;
  /** Protects sensitive records (government ids collected for KYC). */
  public readonly sensitiveDataKey: PrivacyKey;
  /** Pseudonymizes subject identifiers before they are logged. */
  public readonly pseudonyms: PseudonymizationKey;
  /** Runs data subject requests. */
  public readonly dsrRole: iam.Role;
  /** Customer profiles of every tenant: partition keys `<tenant>#<customer>`, subject index on `subjectId`. */
  public readonly customerProfiles: PrivacyTable;
  /** Documents tenants upload, under `tenants/<tenant>/subjects/<subject>/`. */
  public readonly tenantDocuments: PersonalDataBucket;
  /** Identity documents collected for KYC: sensitive personal information. */
  public readonly kycDocuments: PersonalDataBucket;
  /** Daily backups of the stores, kept 30 days so that deleted data ages out of them. */
  public readonly backups: PersonalDataBackupPlan;

  /** The declaration that the organization trail audits this account's stores. */
  public readonly organizationTrail: OrganizationTrailCoverage;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The organization trail (management account) records this account's S3 and DynamoDB data events.
    this.organizationTrail = new OrganizationTrailCoverage(this, 'OrganizationTrail', { trailArn: ORGANIZATION_TRAIL_ARN });

    this.customerDataKey = new PrivacyKey(this, 'CustomerDataKey', { alias: 'saas/customer-data' });
    this.sensitiveDataKey = new PrivacyKey(this, 'KycDataKey', {
      alias: 'saas/kyc-data',
      classification: DataClassification.SENSITIVE,
    });
    this.pseudonyms = new PseudonymizationKey(this, 'SubjectPseudonyms', { alias: 'saas/subject-pseudonyms' });

    // The role a DSR workflow runs as: it computes pseudonyms; grantDsrAccess below lets it use the stores and their keys.
    this.dsrRole = new iam.Role(this, 'DsrRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'Executes CCPA data subject requests',
    });
    this.pseudonyms.grantGenerateMac(this.dsrRole);

    // Backups of every store, kept 30 days: a deletion reaches every recovery point within the 45-day response period.
    this.backups = new PersonalDataBackupPlan(this, 'Backups', { retention: Duration.days(30) });

    // The stores: pooled per-tenant isolation for profiles and documents, a silo for KYC documents.
    this.customerProfiles = new PrivacyTable(this, 'CustomerProfiles', {
      backupPlan: this.backups,
      encryptionKey: this.customerDataKey,
      tenancy: TenancyModel.POOLED,
      categories: [DataCategory.NAME, DataCategory.CONTACT, DataCategory.ACCOUNT, DataCategory.PRIVACY_PREFERENCES],
      owner: 'team-accounts',
    });
    this.tenantDocuments = new PersonalDataBucket(this, 'TenantDocuments', {
      encryptionKey: this.customerDataKey,
      tenancy: TenancyModel.POOLED,
      categories: [DataCategory.CONTACT, DataCategory.PURCHASE_HISTORY],
      owner: 'team-documents',
    });
    this.kycDocuments = new PersonalDataBucket(this, 'KycDocuments', {
      encryptionKey: this.sensitiveDataKey,
      classification: DataClassification.SENSITIVE,
      categories: [DataCategory.GOVERNMENT_ID],
      owner: 'team-kyc',
    });
    // The DSR role finds, exports, corrects and deletes one subject's records in each store, nothing else.
    for (const store of [this.customerProfiles, this.tenantDocuments, this.kycDocuments]) {
      store.grantDsrAccess(this.dsrRole);
    }
    this.backups.addStore(this.tenantDocuments);
    this.backups.addStore(this.kycDocuments);

    // A subject's objects are found by prefix, so the DSR grant names the subject prefix template
    // with its placeholders as wildcards: the narrowest ARN that reaches any subject's objects.
    Validations.of(this.dsrRole.node.findChild('DefaultPolicy')).acknowledge(
      ...[this.tenantDocuments, this.kycDocuments].map((store) => ({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(store.bucket.node.defaultChild as CfnElement)}.Arn>/${store.subjectPrefixTemplate.replace(/\{(tenant|subject)\}/g, '*')}*]`,
        reason: `PersonalDataBucket.grantDsrAccess limits the DSR role to the subject prefix template ${store.subjectPrefixTemplate}: the wildcards stand for the tenant and subject of each request, which are only known at run time.`,
      })),
    );
    // HIPAA, NIST 800-53 R5 and PCI DSS packs ask for managed instead of inline policies.
    Validations.of(this.dsrRole.node.findChild('DefaultPolicy')).acknowledge(
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-IAMNoInlinePolicy`,
        reason: 'The grants of the stores, their keys and PseudonymizationKey are written to this role\'s default policy, which is attached to this one role and names the exact key ARNs; a managed policy would hold the same statements with nothing to reuse them.',
      })),
    );

    // The DSR audit log: records of requests and responses are kept 24 months (11 CCR 7101).
    const auditLogName = '/saas/dsr/audit';
    this.customerDataKey.allowCloudWatchLogs(auditLogName);
    const auditLog = new logs.LogGroup(this, 'DsrAuditLog', {
      logGroupName: auditLogName,
      encryptionKey: this.customerDataKey,
      retention: logs.RetentionDays.TWO_YEARS,
    });
    PrivacyClassification.apply(auditLog, {
      classification: DataClassification.PERSONAL,
      categories: [DataCategory.UNIQUE_ID, DataCategory.PRIVACY_PREFERENCES],
      dsr: DsrCoverage.EXEMPT,
      owner: 'privacy-office',
    });
  }
}

/** The rule packs a CI pipeline runs on every synth: cdk-ccpa's CcpaChecks, four cdk-nag packs, Control Tower's proactive controls. */
export function rulePacks(app: App): IPolicyValidationPlugin[] {
  return [
    new CcpaChecks(app),
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new CfnGuardValidator({ controlTowerRulesEnabled: true }),
  ];
}

/** The app with every rule pack registered, as a CI pipeline would run it. */
export function buildApp(app: App = new App(), packs: IPolicyValidationPlugin[] = rulePacks(app)): App {
  new SaasDataPlaneStack(app, 'SaasDataPlane');
  Validations.of(app).addPlugins(...packs);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
