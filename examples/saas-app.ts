/**
 * Example: the data plane of a multi-tenant B2B SaaS product, built with cdk-ccpa.
 *
 * Copy it as a starting point. `npm run example` synthesizes it with the rule packs registered
 * and prints the compliance summary; `npx cdk synth --app "npx ts-node examples/saas-app.ts"`
 * fails with exit code 1 on any violation, as a CI pipeline would.
 *
 * It is the data plane of a member account of the organization in examples/org-app.ts, whose
 * organization trail records every member account's S3 and DynamoDB data events: the stack declares
 * that trail (OrganizationTrailCoverage) so CcpaChecks knows its stores are audited. Data subject
 * requests run in a DsrWorkflow over the three stores, submitted through an IAM-authenticated
 * DsrApi. Synth also writes the privacy inventory (privacy-inventory.json and .md) into the cloud
 * assembly.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, IPolicyValidationPlugin, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  CcpaChecks, CyberAuditEvidence, DataCategory, DataClassification, DataPurpose, DsrApi, DsrWorkflow, ExpectedExemptions,
  OrganizationTrailCoverage, PersonalDataBackupPlan, PersonalDataBucket, PrivacyClassification, PrivacyKey, PrivacyRecipient, PrivacyTable,
  PrivateProcessingNetwork, PrivacyTagKeys, PseudonymizationKey, RecipientNotification, RecipientRole, TenancyModel,
} from '../lib';

/** The tenant whose KYC documents the silo bucket holds (a tenant id, as in its `tenant` session tag). */
export const KYC_TENANT = 'northwind';

/**
 * The organization trail of examples/org-app.ts (`cdk-ccpa-organization-trail` in the management
 * account 111111111111, us-east-1): it records the S3 object and DynamoDB item data events of every
 * member account, this one included. Replace it with your organization trail's ARN.
 */
export const ORGANIZATION_TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/cdk-ccpa-organization-trail';

/** The member account and region of the data plane (the workload account of examples/org-app.ts). Replace with yours. */
export const SAAS_ENVIRONMENT = { account: '333333333333', region: 'us-east-1' };

/**
 * The days this business is closed besides weekends (here the US federal holidays as observed,
 * 2026 and 2027): not business days for the 10-business-day confirmation deadline. Extend yearly.
 */
export const SAAS_HOLIDAYS = [
  '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03',
  '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
  '2027-01-01', '2027-01-18', '2027-02-15', '2027-05-31', '2027-06-18', '2027-07-05',
  '2027-09-06', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-24',
];

/**
 * The data plane of a multi-tenant SaaS product: pooled customer profiles (PrivacyTable) and
 * tenant documents (PersonalDataBucket) isolated per tenant by the `tenant` session tag, a silo
 * bucket for one tenant's sensitive KYC documents (`siloTenant`), the keys, backups, and the data subject request workflow
 * with its API.
 */
export class SaasDataPlaneStack extends Stack {
  /** Protects customer records (contact data, account data). */
  public readonly customerDataKey: PrivacyKey;
  /** Protects sensitive records (government ids collected for KYC). */
  public readonly sensitiveDataKey: PrivacyKey;
  /** Pseudonymizes subject identifiers before they are logged. */
  public readonly pseudonyms: PseudonymizationKey;
  /** Isolated subnets and VPC endpoints in which the DSR handlers run. */
  public readonly network: PrivateProcessingNetwork;
  /** Runs data subject requests over the three stores, with its audit trail, deadlines and replay. */
  public readonly dsr: DsrWorkflow;
  /** The topic the DSR alarms notify (subscribe the on-call rotation). */
  public readonly oncallTopic: sns.Topic;
  /** The authenticated privacy endpoints in front of the workflow. */
  public readonly privacyApi: DsrApi;
  /** The role each tenant's application assumes (with a `tenant` session tag) to submit requests. */
  public readonly tenantAppRole: iam.Role;
  /** Customer profiles of every tenant: partition keys `<tenant>#<customer>`, subject index on `subjectId`. */
  public readonly customerProfiles: PrivacyTable;
  /** Documents tenants upload, under `tenants/<tenant>/subjects/<subject>/`. */
  public readonly tenantDocuments: PersonalDataBucket;
  /** Identity documents collected for KYC: sensitive personal information. */
  public readonly kycDocuments: PersonalDataBucket;
  /** Daily backups of the stores, kept 30 days so that deleted data ages out of them. */
  public readonly backups: PersonalDataBackupPlan;

  /** The e-mail delivery provider that receives contact details (a service provider). */
  public readonly mailProvider: PrivacyRecipient;
  /** The KYC vendor that verifies identity documents (a contractor). */
  public readonly kycVendor: PrivacyRecipient;
  /** The declaration that the organization trail audits this account's stores. */
  public readonly organizationTrail: OrganizationTrailCoverage;

  /**
   * The availability zones of SAAS_ENVIRONMENT, given so that `cdk synth` needs no AWS lookup
   * (otherwise the VPC of PrivateProcessingNetwork asks the account for them once).
   */
  public get availabilityZones(): string[] {
    return ['us-east-1a', 'us-east-1b'];
  }

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

    // Backups of every store, kept 30 days: a deletion reaches every recovery point within the 45-day response period.
    this.backups = new PersonalDataBackupPlan(this, 'Backups', { retention: Duration.days(30) });

    // The stores: pooled per-tenant isolation for profiles and documents, and a silo for the KYC
    // documents of the one tenant that needs identity checks (KYC_TENANT): its keys carry no tenant,
    // so it declares its owner, and the DsrWorkflow serves it only for that tenant's requests. A
    // second such tenant gets a KycDocuments bucket of its own.
    this.customerProfiles = new PrivacyTable(this, 'CustomerProfiles', {
      backupPlan: this.backups,
      encryptionKey: this.customerDataKey,
      tenancy: TenancyModel.POOLED,
      categories: [DataCategory.NAME, DataCategory.CONTACT, DataCategory.ACCOUNT, DataCategory.PRIVACY_PREFERENCES],
      purposes: [DataPurpose.PROVIDE_SERVICE, DataPurpose.AUTHENTICATION],
      // profiles live as long as the customer's account: no fixed expiry, so the reason is declared instead
      indefiniteRetentionReason: 'kept while the customer account is open and erased when it closes',
      owner: 'team-accounts',
    });
    this.tenantDocuments = new PersonalDataBucket(this, 'TenantDocuments', {
      encryptionKey: this.customerDataKey,
      tenancy: TenancyModel.POOLED,
      categories: [DataCategory.CONTACT, DataCategory.PURCHASE_HISTORY],
      purposes: [DataPurpose.PROVIDE_SERVICE],
      retention: Duration.days(365), // documents expire a year after upload (an S3 lifecycle rule)
      owner: 'team-documents',
    });
    this.kycDocuments = new PersonalDataBucket(this, 'KycDocuments', {
      siloTenant: KYC_TENANT,
      encryptionKey: this.sensitiveDataKey,
      classification: DataClassification.SENSITIVE,
      categories: [DataCategory.GOVERNMENT_ID],
      purposes: [DataPurpose.LEGAL_OBLIGATION, DataPurpose.SECURITY],
      retention: Duration.days(1825), // five years of identity checks, then they expire
      owner: 'team-kyc',
    });
    // sensitive personal information: the reference of its recorded risk assessment (11 CCR 7150(b))
    Tags.of(this.kycDocuments).add(PrivacyTagKeys.RISK_ASSESSMENT, 'RA-2026-KYC');
    this.backups.addStore(this.tenantDocuments);
    this.backups.addStore(this.kycDocuments);

    // The recipients of the stores' data, with their contracts: the inventory lists them per store.
    // Each is notified on its own EventBridge bus, in its own account, and acknowledges with its own
    // role on its own queue (DsrWorkflow recipients below): a deletion completes once both have.
    this.mailProvider = new PrivacyRecipient(this, 'MailProvider', {
      name: 'Example Mail Delivery Inc.',
      role: RecipientRole.SERVICE_PROVIDER,
      contractReference: 'DPA-2026-014',
      categories: [DataCategory.NAME, DataCategory.CONTACT],
      purposes: [DataPurpose.PROVIDE_SERVICE],
      stores: [this.customerProfiles],
      notification: RecipientNotification.toEventBus(events.EventBus.fromEventBusArn(this, 'MailProviderBus',
        'arn:aws:events:us-east-1:444444444444:event-bus/privacy-notices')),
      acknowledgingRole: iam.Role.fromRoleArn(this, 'MailProviderAcknowledger', 'arn:aws:iam::444444444444:role/privacy-acknowledger', { mutable: false }),
    });
    this.kycVendor = new PrivacyRecipient(this, 'KycVendor', {
      name: 'Example Identity Verification LLC',
      role: RecipientRole.CONTRACTOR,
      contractReference: 'MSA-2025-031',
      categories: [DataCategory.GOVERNMENT_ID],
      purposes: [DataPurpose.LEGAL_OBLIGATION],
      stores: [this.kycDocuments],
      notification: RecipientNotification.toEventBus(events.EventBus.fromEventBusArn(this, 'KycVendorBus',
        'arn:aws:events:us-east-1:555555555555:event-bus/privacy-notices')),
      acknowledgingRole: iam.Role.fromRoleArn(this, 'KycVendorAcknowledger', 'arn:aws:iam::555555555555:role/privacy-acknowledger', { mutable: false }),
    });

    // Data subject requests: each store is searched by subject (index or prefix), never scanned;
    // every step is audited for 24 months (11 CCR 7101) and identifiers are pseudonymized first.
    // The DSR handlers run in isolated subnets and reach AWS only through VPC endpoints.
    this.network = new PrivateProcessingNetwork(this, 'PrivateProcessing', {
      // the AWS-managed prefix lists of us-east-1 (SAAS_ENVIRONMENT), given so that synth needs no lookup
      s3PrefixListId: 'pl-63a5400a',
      dynamoDbPrefixListId: 'pl-02cd2c6b',
    });
    // the on-call topic the DSR alarms notify (failed requests, deadlines at risk): alarm state changes
    // carry no personal data, so its own key (not a PrivacyKey) lets CloudWatch publish to it
    const alarmKey = new kms.Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'Encrypts the on-call topic of the DSR alarms' });
    alarmKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));
    // grants only for AWS services acting for a resource (Control Tower CT.KMS.PR.3)
    alarmKey.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
    this.oncallTopic = new sns.Topic(this, 'DsrOncall', { masterKey: alarmKey, enforceSSL: true, displayName: 'DSR on-call' });
    for (const c of [alarmKey, this.oncallTopic]) PrivacyClassification.apply(c, { classification: DataClassification.NON_PERSONAL });
    this.dsr = new DsrWorkflow(this, 'Dsr', {
      alarmActions: [new cw_actions.SnsAction(this.oncallTopic)],
      stores: [this.customerProfiles, this.tenantDocuments, this.kycDocuments],
      pseudonymizationKey: this.pseudonyms,
      network: this.network,
      // the days this business is closed: not business days for the 10-day confirmation deadline
      holidays: SAAS_HOLIDAYS,
      // told of each deletion and correction; a request completes once each acknowledged
      recipients: [this.mailProvider, this.kycVendor],
    });
    this.privacyApi = new DsrApi(this, 'PrivacyApi', { workflow: this.dsr });
    this.tenantAppRole = new iam.Role(this, 'TenantApp', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Assumed by a tenant application with a tenant session tag to submit CCPA requests',
    });
    this.privacyApi.grantSubmit(this.tenantAppRole);
    this.privacyApi.grantReadStatus(this.tenantAppRole);
    this.privacyApi.grantExtend(this.tenantAppRole);
    // the grants go into a policy DsrApi creates for this role: nothing to acknowledge here
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
    // the Control Tower controls, with cdk-ccpa's expected exemptions (on its own resources only) opted into
    ExpectedExemptions.filter(new CfnGuardValidator({ controlTowerRulesEnabled: true })),
  ];
}

/** The app with every rule pack registered, as a CI pipeline would run it. */
export function buildApp(app: App = new App(), packs: IPolicyValidationPlugin[] = rulePacks(app)): App {
  new SaasDataPlaneStack(app, 'SaasDataPlane', { env: SAAS_ENVIRONMENT });
  // cyber-audit-evidence.json/.md and risk-assessment-triggers.json in the cloud assembly
  CyberAuditEvidence.of(app);
  Validations.of(app).addPlugins(...packs);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
