/**
 * Example: the data plane of a multi-tenant B2B SaaS product, built with cdk-ccpa.
 *
 * Copy it as a starting point. `npm run example` synthesizes it with the rule packs registered
 * and prints the compliance summary; `npx cdk synth --app "npx ts-node examples/saas-app.ts"`
 * fails with exit code 1 on any violation, as a CI pipeline would.
 *
 * It grows with the library: PersonalDataBucket, PrivacyTable, DsrWorkflow and CcpaChecks join
 * it as they land.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, IPolicyValidationPlugin, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  DataCategory, DataClassification, DsrCoverage, PrivacyClassification, PrivacyKey, PseudonymizationKey,
} from '../lib';

/** Customer data keys, the pseudonymization key and the DSR audit log of a SaaS data plane. */
export class SaasDataPlaneStack extends Stack {
  /** Protects customer records (contact data, account data). */
  public readonly customerDataKey: PrivacyKey;
  /** Protects sensitive records (government ids collected for KYC). */
  public readonly sensitiveDataKey: PrivacyKey;
  /** Pseudonymizes subject identifiers before they are logged. */
  public readonly pseudonyms: PseudonymizationKey;
  /** Runs data subject requests. */
  public readonly dsrRole: iam.Role;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.customerDataKey = new PrivacyKey(this, 'CustomerDataKey', { alias: 'saas/customer-data' });
    this.sensitiveDataKey = new PrivacyKey(this, 'KycDataKey', {
      alias: 'saas/kyc-data',
      classification: DataClassification.SENSITIVE,
    });
    this.pseudonyms = new PseudonymizationKey(this, 'SubjectPseudonyms', { alias: 'saas/subject-pseudonyms' });

    // The role a DSR workflow runs as: it may use both data keys and compute pseudonyms.
    this.dsrRole = new iam.Role(this, 'DsrRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'Executes CCPA data subject requests',
    });
    this.customerDataKey.grantToDsrWorkflow(this.dsrRole);
    this.sensitiveDataKey.grantToDsrWorkflow(this.dsrRole);
    this.pseudonyms.grantGenerateMac(this.dsrRole);
    // HIPAA, NIST 800-53 R5 and PCI DSS packs ask for managed instead of inline policies.
    Validations.of(this.dsrRole.node.findChild('DefaultPolicy')).acknowledge(
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-IAMNoInlinePolicy`,
        reason: 'The grants of PrivacyKey and PseudonymizationKey are written to this role\'s default policy, which is attached to this one role and names the exact key ARNs; a managed policy would hold the same statements with nothing to reuse them.',
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

/** The rule packs a CI pipeline runs on every synth (cdk-ccpa's CcpaChecks joins them when it lands). */
export function rulePacks(app: App): IPolicyValidationPlugin[] {
  return [
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
