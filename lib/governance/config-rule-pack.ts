import { Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import { conformancePackTemplate, managedRules, MAX_CONFORMANCE_PACK_TEMPLATE_BYTES } from './private/config-rules';
import { PropsValidator } from '../private/validation';

/** How the rules are deployed. */
export enum ConfigRulePackDeployment {
  /** One `AWS::Config::ConfigRule` per rule in this account and region (needs a configuration recorder). */
  RULES = 'rules',
  /** One conformance pack in this account and region. */
  CONFORMANCE_PACK = 'conformance-pack',
  /** One organization conformance pack, from the management or a delegated administrator account. */
  ORGANIZATION_CONFORMANCE_PACK = 'organization-conformance-pack',
}

/** Props of a ConfigRulePack. */
export interface ConfigRulePackProps {
  /**
   * How the rules are deployed.
   *
   * @default ConfigRulePackDeployment.RULES
   */
  readonly deployment?: ConfigRulePackDeployment;

  /**
   * The shortest CloudWatch Logs retention accepted (`MinRetentionTime` of
   * CW_LOGGROUP_RETENTION_PERIOD_CHECK): one of 365, 400, 545, 731, 1827, 3653. Shorter is refused
   * (the 12-month look-back of Cal. Civ. Code 1798.130(a)(2)(B)).
   *
   * @default 365
   */
  readonly minLogRetentionDays?: number;

  /**
   * The conformance pack's name (conformance pack deployments).
   *
   * @default 'cdk-ccpa-privacy'
   */
  readonly conformancePackName?: string;

  /**
   * Accounts the organization conformance pack leaves out.
   *
   * @default - none
   */
  readonly excludedAccounts?: string[];
}

/**
 * AWS Config managed rules for the CCPA/CPRA controls this library builds in: KMS encryption,
 * TLS, access logging and public access of S3 buckets; PITR, KMS encryption and backup plans of
 * DynamoDB tables (the table encryption rule is the only runtime control for it: no SCP condition
 * key exists); CloudTrail S3 data events; log retention (365 days by default); KMS key deletion
 * and rotation; IAM admin policies; API Gateway logging and authorization; Lambda in a VPC; closed
 * default security groups.
 *
 * Rules are not tag-scoped: a Config scope can only include resources carrying a tag, and stores
 * without a `privacy:classification` tag are personal (fail closed), so every resource of the
 * type is evaluated. Deployed as individual rules, a conformance pack (template checked against
 * the 51,200-byte limit) or an organization conformance pack.
 */
export class ConfigRulePack extends Construct {
  /** The managed rule identifiers, in order. */
  public readonly ruleIdentifiers: string[];
  /** The rules (`RULES` deployment). */
  public readonly rules: config.CfnConfigRule[] = [];
  /** The conformance pack (`CONFORMANCE_PACK` deployment). */
  public readonly conformancePack?: config.CfnConformancePack;
  /** The organization conformance pack (`ORGANIZATION_CONFORMANCE_PACK` deployment). */
  public readonly organizationConformancePack?: config.CfnOrganizationConformancePack;
  /** The conformance pack template (conformance pack deployments). */
  public readonly templateBody?: string;

  constructor(scope: Construct, id: string, props: ConfigRulePackProps = {}) {
    super(scope, id);
    const deployment = props.deployment ?? ConfigRulePackDeployment.RULES;
    const minRetention = props.minLogRetentionDays ?? 365;
    const packName = props.conformancePackName ?? 'cdk-ccpa-privacy';

    const v = new PropsValidator(this, 'InvalidConfigRulePackProps');
    if (!Token.isUnresolved(minRetention)) {
      v.check(minRetention < 365,
        `minLogRetentionDays ${minRetention} is shorter than 365 days: a consumer may ask what was collected about them in the 12 months before the request (Cal. Civ. Code 1798.130(a)(2)(B))`);
      v.check(minRetention >= 365 && ![365, 400, 545, 731, 1827, 3653].includes(minRetention),
        `minLogRetentionDays ${minRetention} is not a value CW_LOGGROUP_RETENTION_PERIOD_CHECK accepts (365, 400, 545, 731, 1827, 3653)`);
    }
    if (!Token.isUnresolved(packName)) {
      v.check(!/^[a-zA-Z][-a-zA-Z0-9]{0,50}$/.test(packName),
        `conformancePackName ${JSON.stringify(packName)} is not a valid conformance pack name (a letter, then up to 50 letters, digits and -)`);
    }
    v.check(props.excludedAccounts !== undefined && deployment !== ConfigRulePackDeployment.ORGANIZATION_CONFORMANCE_PACK,
      `excludedAccounts is set but deployment is ${deployment}: only an organization conformance pack excludes accounts`);
    for (const a of props.excludedAccounts ?? []) {
      v.check(!Token.isUnresolved(a) && !/^\d{12}$/.test(a), `excludedAccounts entry ${JSON.stringify(a)} is not a 12-digit account id`);
    }
    v.throwIfInvalid();

    const specs = managedRules(minRetention);
    this.ruleIdentifiers = specs.map((r) => r.identifier);

    if (deployment === ConfigRulePackDeployment.RULES) {
      for (const r of specs) {
        this.rules.push(new config.CfnConfigRule(this, r.identifier, {
          configRuleName: r.name,
          description: r.ccpa,
          source: { owner: 'AWS', sourceIdentifier: r.identifier },
          scope: r.resourceTypes ? { complianceResourceTypes: r.resourceTypes } : undefined,
          maximumExecutionFrequency: r.resourceTypes ? undefined : 'TwentyFour_Hours',
          inputParameters: r.parameters,
        }));
      }
      return;
    }

    const body = conformancePackTemplate(specs);
    const bytes = Buffer.byteLength(body, 'utf8');
    new PropsValidator(this, 'InvalidConfigRulePackProps')
      .check(bytes > MAX_CONFORMANCE_PACK_TEMPLATE_BYTES, `the conformance pack template is ${bytes} bytes; AWS Config accepts ${MAX_CONFORMANCE_PACK_TEMPLATE_BYTES}`)
      .throwIfInvalid();
    this.templateBody = body;
    if (deployment === ConfigRulePackDeployment.CONFORMANCE_PACK) {
      this.conformancePack = new config.CfnConformancePack(this, 'ConformancePack', {
        conformancePackName: packName,
        templateBody: body,
      });
    } else {
      this.organizationConformancePack = new config.CfnOrganizationConformancePack(this, 'OrganizationConformancePack', {
        organizationConformancePackName: packName,
        templateBody: body,
        excludedAccounts: props.excludedAccounts,
      });
    }
  }
}
