/**
 * Example: CCPA/CPRA governance for a whole AWS Organization, built with cdk-ccpa.
 *
 * Three accounts, three stacks, each with an explicit `env`:
 *
 * - the management account (`OrgManagement`): the EncryptionScp guardrails attached to the
 *   workloads OU, the organization trail (IsolatedAuditTrail with `organizationId`, S3 and
 *   DynamoDB data events of every bucket and table in every member account) and an organization
 *   conformance pack (ConfigRulePack), with MFA required of IAM users and alerts on privileged
 *   changes (PrivilegedChangeAlerts);
 * - the log-archive account (`OrgLogArchive`): the AuditLogArchive the organization trail
 *   delivers into (Object Lock COMPLIANCE, 731 days), out of reach of the accounts it records;
 * - a member account of the workloads OU (`OrgWorkload`): a PersonalDataBucket and a PrivacyTable,
 *   covered by the organization trail's data events, GuardDuty scanning the bucket for malware
 *   (ThreatDetection), Inspector (VulnerabilityScanning), Macie (SensitiveDataDiscovery) and the
 *   archived audit evidence (EvidenceArchive).
 *
 * Replace the account ids, the organization id and the OU id in `ORG_ENVIRONMENT` with yours.
 * `npx cdk synth --app "npx ts-node examples/org-app.ts"` synthesizes it with every rule pack
 * (CcpaChecks included) registered and fails with exit code 1 on any violation.
 *
 * Deploy order: the log-archive stack first (the trail's archive must admit it), then the
 * management stack, then workloads. AWS Config must record in every member account (Control
 * Tower sets that up) before the organization conformance pack can evaluate anything.
 */
import { App, Duration, IPolicyValidationPlugin, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { rulePacks } from './saas-app';
import {
  AuditLogArchive, ConfigRulePack, ConfigRulePackDeployment, DataCategory, DataClassification,
  DataEventScope, EncryptionScp, EvidenceArchive, IsolatedAuditTrail, PersonalDataBucket, PrivacyTable,
  PrivilegedChangeAlerts, SensitiveDataDiscovery, ThreatDetection, VulnerabilityScanning,
} from '../lib';

/** The organization the example is written for. Replace every value with yours. */
export interface OrgEnvironment {
  /** The region everything is deployed to (the trail is multi-region). */
  readonly region: string;
  /** The organization's id (`o-...`). */
  readonly organizationId: string;
  /** The management account: SCPs, the organization trail, the organization conformance pack. */
  readonly managementAccount: string;
  /** The log-archive account: the trail's archive bucket and key. */
  readonly logArchiveAccount: string;
  /** A member account of the workloads OU, holding personal data. */
  readonly workloadAccount: string;
  /** The OU the guardrails are attached to (the workload accounts' OU). */
  readonly workloadsOuId: string;
  /**
   * The role of the deployment pipeline, the one principal of the member accounts that may deploy
   * through CDK's exempt CloudFormation role (EncryptionScp `deployerPrincipalArns`).
   */
  readonly deploymentPipelineRoleArn: string;
}

/** Placeholder ids (documentation account ids): replace them with your organization's. */
export const ORG_ENVIRONMENT: OrgEnvironment = {
  region: 'us-east-1',
  organizationId: 'o-exampleorg1',
  managementAccount: '111111111111',
  logArchiveAccount: '222222222222',
  workloadAccount: '333333333333',
  workloadsOuId: 'ou-exam-workload1',
  deploymentPipelineRoleArn: 'arn:aws:iam::333333333333:role/cdk-ccpa-release-pipeline',
};

/** The log-archive account: where the organization trail's log files are kept, locked. */
export class LogArchiveStack extends Stack {
  /** The Object Lock archive of the organization trail. */
  public readonly archive: AuditLogArchive;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.archive = new AuditLogArchive(this, 'OrganizationTrailArchive', {
      // the management account's trail names the key by this alias: keep it stable
      keyAlias: 'org/cloudtrail-archive',
    });
  }
}

/** Props of the management-account stack. */
export interface ManagementStackProps extends StackProps {
  /** The organization. */
  readonly org: OrgEnvironment;
  /** The archive in the log-archive account. */
  readonly archive: AuditLogArchive;
}

/** The management account: SCP guardrails, the organization trail, the organization conformance pack. */
export class ManagementStack extends Stack {
  /** The SCPs, attached to the workloads OU. */
  public readonly guardrails: EncryptionScp;
  /** The organization trail. */
  public readonly trail: IsolatedAuditTrail;
  /** The organization conformance pack. */
  public readonly configRules: ConfigRulePack;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id, props);
    // Only the pipeline (and the break-glass role) may deploy through CDK's exempt CloudFormation
    // role in the workload accounts: an administrator there cannot turn the controls off with a stack.
    this.guardrails = new EncryptionScp(this, 'PrivacyGuardrails', {
      targetIds: [props.org.workloadsOuId],
      deployerPrincipalArns: [props.org.deploymentPipelineRoleArn],
      // IAM users of the workload accounts sign in with MFA (11 CCR 7123(c)(1))
      requireMfaForHumans: true,
    });
    // IAM, KMS and SCP changes, alerted to an encrypted topic (the region where IAM events arrive)
    new PrivilegedChangeAlerts(this, 'PrivilegedChangeAlerts');

    // Every member account's S3 object and DynamoDB item reads and writes, in every region: the
    // record a business needs to show who accessed a consumer's data (Cal. Civ. Code
    // 1798.130(a)(2)(B)). Data events cost $0.10 per 100,000; to log only the stores of this app
    // use DataEventScope.IN_SCOPE_STORES, which needs literal names for stores in other accounts.
    this.trail = new IsolatedAuditTrail(this, 'OrganizationTrail', {
      organizationId: props.org.organizationId,
      archive: props.archive,
      trailName: 'cdk-ccpa-organization-trail',
      dataEvents: DataEventScope.ALL_STORES,
    });

    this.configRules = new ConfigRulePack(this, 'PrivacyConfigRules', {
      deployment: ConfigRulePackDeployment.ORGANIZATION_CONFORMANCE_PACK,
      // the management account is not governed by SCPs and holds no personal data
      excludedAccounts: [props.org.managementAccount],
    });
  }
}

/** A member account's workload: customer records in S3 and DynamoDB. */
export class WorkloadStack extends Stack {
  /** Uploaded customer documents. */
  public readonly documents: PersonalDataBucket;
  /** Customer accounts. */
  public readonly customers: PrivacyTable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.documents = new PersonalDataBucket(this, 'CustomerDocuments', {
      categories: [DataCategory.NAME, DataCategory.CONTACT],
      owner: 'customer-platform',
      retention: Duration.days(365), // documents expire a year after upload (an S3 lifecycle rule)
    });
    this.customers = new PrivacyTable(this, 'Customers', {
      classification: DataClassification.PERSONAL,
      categories: [DataCategory.NAME, DataCategory.CONTACT, DataCategory.UNIQUE_ID],
      owner: 'customer-platform',
      indefiniteRetentionReason: 'kept while the customer account is open and erased when it closes',
    });
    // GuardDuty with malware scanning of the documents (README: Controls for the gaps)
    new ThreatDetection(this, 'ThreatDetection', { protectedBuckets: [this.documents] });
    // Inspector scanning the account's Lambda functions, Macie's weekly discovery job over the
    // buckets tagged personal or sensitive, and the cybersecurity audit evidence of this stack,
    // kept under Object Lock
    new VulnerabilityScanning(this, 'VulnerabilityScanning');
    new SensitiveDataDiscovery(this, 'SensitiveDataDiscovery', { buckets: [this.documents] });
    new EvidenceArchive(this, 'EvidenceArchive');
  }
}

/** The stacks of the organization app. */
export interface OrgStacks {
  readonly logArchive: LogArchiveStack;
  readonly management: ManagementStack;
  readonly workload: WorkloadStack;
}

/** Add the three stacks to `app`. */
export function addOrgStacks(app: App, org: OrgEnvironment = ORG_ENVIRONMENT): OrgStacks {
  const logArchive = new LogArchiveStack(app, 'OrgLogArchive', {
    env: { account: org.logArchiveAccount, region: org.region },
    description: 'cdk-ccpa: organization trail archive (log-archive account)',
  });
  const management = new ManagementStack(app, 'OrgManagement', {
    env: { account: org.managementAccount, region: org.region },
    description: 'cdk-ccpa: SCP guardrails, organization trail, organization conformance pack (management account)',
    org,
    archive: logArchive.archive,
  });
  const workload = new WorkloadStack(app, 'OrgWorkload', {
    env: { account: org.workloadAccount, region: org.region },
    description: 'cdk-ccpa: personal data stores of a member account',
  });
  return { logArchive, management, workload };
}

/** The rule packs a CI pipeline runs on every synth: the saas-app packs (CcpaChecks included). */
export function orgRulePacks(app: App): IPolicyValidationPlugin[] {
  return rulePacks(app);
}

/** The organization app with every rule pack registered, as a CI pipeline would run it. */
export function buildOrgApp(app: App = new App(), packs: IPolicyValidationPlugin[] = orgRulePacks(app)): App {
  addOrgStacks(app);
  Validations.of(app).addPlugins(...packs);
  return app;
}

if (require.main === module) {
  buildOrgApp().synth();
}
