import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import {
  AUTOMATION_ACTIONS, conformancePackTemplate, managedRules, MAX_CONFORMANCE_PACK_TEMPLATE_BYTES, REMEDIATIONS,
} from './private/config-rules';
import { flattenForNag } from '../private/nag-ids';
import { cite } from '../private/provisions';
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
   * (audit-log management, 11 CCR § 7123(c)(7); no law sets the period; 365 days is this library's choice, so that a year of evidence covers an annual audit and a breach found months late).
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

  /**
   * Remediate the safe cases automatically (`RULES` deployment only): AWS Config runs an
   * AWS-managed SSM Automation runbook on every non-compliant resource of
   *
   * - DYNAMODB_PITR_ENABLED: `AWSConfigRemediation-EnablePITRForDynamoDbTable` turns point-in-time
   *   recovery back on;
   * - KMS_CMK_NOT_SCHEDULED_FOR_DELETION: `AWSConfigRemediation-CancelKeyDeletion` cancels the
   *   scheduled deletion (the key is left disabled until a person enables it).
   *
   * Both only restore a protection; no remediation deletes data or removes access. They run as
   * one automation role (`remediationRoleName`) whose policy holds exactly the runbooks' actions.
   * A conformance pack or organization conformance pack with remediation is refused: the
   * runbooks need that role in every account the pack reaches, and this construct creates it
   * only in its own account.
   *
   * @default false
   */
  readonly automaticRemediation?: boolean;

  /**
   * The name of the automation role of `automaticRemediation`. IAM role names are global to an
   * account: deploying remediating packs in several regions of one account needs one name per
   * region. Exempt the role from EncryptionScp with `ConfigRulePack.remediationRoleExemptArn(name)`.
   *
   * @default ConfigRulePack.DEFAULT_REMEDIATION_ROLE_NAME ('cdk-ccpa-config-remediation')
   */
  readonly remediationRoleName?: string;
}

/**
 * AWS Config managed rules for the controls this library builds in, deployed as individual
 * rules, a conformance pack or an organization conformance pack, optionally with automatic
 * remediation.
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#configrulepack).
 */
export class ConfigRulePack extends Construct {
  /** The automation role's name when `remediationRoleName` is not given. */
  public static readonly DEFAULT_REMEDIATION_ROLE_NAME = 'cdk-ccpa-config-remediation';

  /**
   * The automation role as a literal principal ARN pattern for EncryptionScp's
   * `exemptPrincipalArns` (every partition and account: `arn:*:iam::*:role/<name>`).
   *
   * @param roleName the pack's `remediationRoleName`; default DEFAULT_REMEDIATION_ROLE_NAME
   */
  public static remediationRoleExemptArn(roleName?: string): string {
    return `arn:*:iam::*:role/${roleName ?? ConfigRulePack.DEFAULT_REMEDIATION_ROLE_NAME}`;
  }

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
  /** The remediation configurations (`automaticRemediation`), in rule order. */
  public readonly remediations: config.CfnRemediationConfiguration[] = [];
  /** The automation role the runbooks run as (`automaticRemediation`). */
  public readonly remediationRole?: iam.Role;
  /** The customer managed policy of the automation role (`automaticRemediation`). */
  public readonly remediationPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ConfigRulePackProps = {}) {
    super(scope, id);
    const deployment = props.deployment ?? ConfigRulePackDeployment.RULES;
    const minRetention = props.minLogRetentionDays ?? 365;
    const packName = props.conformancePackName ?? 'cdk-ccpa-privacy';
    const remediate = props.automaticRemediation ?? false;
    const roleName = props.remediationRoleName ?? ConfigRulePack.DEFAULT_REMEDIATION_ROLE_NAME;

    const v = new PropsValidator(this, 'InvalidConfigRulePackProps');
    if (!Token.isUnresolved(minRetention)) {
      v.check(minRetention < 365, 'MinLogRetentionTooShort',
        `minLogRetentionDays ${minRetention} is below the 365 days this library keeps security logs (${cite('ccr-7123(c)(7)')}): set at least 365.`);
      v.check(minRetention >= 365 && ![365, 400, 545, 731, 1827, 3653].includes(minRetention), 'MinLogRetentionNotAccepted',
        `minLogRetentionDays ${minRetention} is not a value CW_LOGGROUP_RETENTION_PERIOD_CHECK accepts (365, 400, 545, 731, 1827, 3653)`);
    }
    if (!Token.isUnresolved(packName)) {
      v.check(!/^[a-zA-Z][-a-zA-Z0-9]{0,50}$/.test(packName), 'ConformancePackNameInvalid',
        `conformancePackName ${JSON.stringify(packName)} is not a valid conformance pack name (a letter, then up to 50 letters, digits and -)`);
    }
    v.check(props.excludedAccounts !== undefined && deployment !== ConfigRulePackDeployment.ORGANIZATION_CONFORMANCE_PACK, 'ExcludedAccountsIgnored',
      `excludedAccounts is set but deployment is ${deployment}: only an organization conformance pack excludes accounts`);
    for (const a of props.excludedAccounts ?? []) {
      v.check(!Token.isUnresolved(a) && !/^\d{12}$/.test(a), 'ExcludedAccountInvalid', `excludedAccounts entry ${JSON.stringify(a)} is not a 12-digit account id`);
    }
    v.check(remediate && deployment !== ConfigRulePackDeployment.RULES, 'RemediationNeedsRules',
      `automaticRemediation is set but deployment is ${deployment}: remediation is supported for individual rules only, because the runbooks run as an automation role that must exist in every account the pack reaches, and this construct creates it only in its own account; deploy the rules individually (deployment rules) in each account that should remediate`);
    v.check(props.remediationRoleName !== undefined && !remediate, 'RemediationRoleIgnored',
      'remediationRoleName is set but automaticRemediation is not: the role exists only to run the remediations');
    v.check(!Token.isUnresolved(roleName) && !/^[\w+=,.@-]{1,64}$/.test(roleName), 'RemediationRoleNameInvalid',
      `remediationRoleName ${JSON.stringify(roleName)} is not a valid IAM role name (1 to 64 letters, digits and + = , . @ _ -)`);
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
      if (remediate) {
        const role = this.remediationRole = new iam.Role(this, 'RemediationRole', {
          roleName,
          description: 'cdk-ccpa: runs the AWS Config automatic remediations of the ConfigRulePack (SSM Automation)',
          assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
            StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          }),
        });
        this.remediationPolicy = this.remediationPolicyFor(role);
        for (const r of REMEDIATIONS) {
          const rule = this.rules[this.ruleIdentifiers.indexOf(r.ruleIdentifier)];
          this.remediations.push(new config.CfnRemediationConfiguration(this, `${r.ruleIdentifier}Remediation`, {
            configRuleName: rule.ref,
            targetType: 'SSM_DOCUMENT',
            targetId: r.runbook,
            resourceType: r.resourceType,
            parameters: {
              [r.resourceIdParameter]: { ResourceValue: { Value: 'RESOURCE_ID' } },
              AutomationAssumeRole: { StaticValue: { Values: [role.roleArn] } },
            },
            automatic: true,
            maximumAutomaticAttempts: 5,
            retryAttemptSeconds: 60,
          }));
        }
      }
      return;
    }

    const body = conformancePackTemplate(specs);
    const bytes = Buffer.byteLength(body, 'utf8');
    new PropsValidator(this, 'InvalidConfigRulePackProps')
      .check(bytes > MAX_CONFORMANCE_PACK_TEMPLATE_BYTES, 'ConformancePackTooLarge', `the conformance pack template is ${bytes} bytes; AWS Config accepts ${MAX_CONFORMANCE_PACK_TEMPLATE_BYTES}`)
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

  /**
   * The automation role's customer managed policy: exactly the actions the runbooks' pages list,
   * scoped to the resource types the Service Authorization Reference gives them in this account
   * and region.
   */
  private remediationPolicyFor(role: iam.Role): iam.ManagedPolicy {
    const stack = Stack.of(this);
    // Literal ARNs, so that the acknowledgements can name them ('::' of a pseudo parameter is
    // reserved in acknowledgement ids); an environment-agnostic stack gets '*' where it is unknown.
    const known = (v: string) => (Token.isUnresolved(v) ? '*' : v);
    const region = known(stack.region);
    const partition = region === '*' ? '*' : RegionInfo.get(region).partition ?? '*';
    const arn = (service: string, resource: string, account: string = known(stack.account)) =>
      `arn:${partition}:${service}:${region}:${account}:${resource}`;
    const runbooks = REMEDIATIONS.map((r) => r.runbook);
    const executions = arn('ssm', 'automation-execution/*');
    // Documents owned by Amazon carry no account id in their ARN.
    const documents = runbooks.map((n) => arn('ssm', `document/${n}`, '*'));
    const definitions = runbooks.map((n) => arn('ssm', `automation-definition/${n}:*`, '*'));
    const policy = new iam.ManagedPolicy(this, 'RemediationPolicy', {
      description: 'cdk-ccpa: the actions of the AWS-managed remediation runbooks of the ConfigRulePack',
      roles: [role],
      statements: [
        new iam.PolicyStatement({ sid: 'StartRemediationRunbooks', actions: [AUTOMATION_ACTIONS[0]], resources: [...documents, ...definitions, executions] }),
        new iam.PolicyStatement({ sid: 'ReadRemediationExecutions', actions: [AUTOMATION_ACTIONS[1]], resources: [executions] }),
        ...REMEDIATIONS.map((r) => new iam.PolicyStatement({
          sid: r.runbook.replace(/^AWSConfigRemediation-/, '').replace(/[^A-Za-z0-9]/g, ''),
          actions: r.actions,
          resources: [arn(r.arnService, r.arnResource)],
        })),
      ],
    });
    const ack = (resource: string, reason: string) => ({ id: `AwsSolutions-IAM5[Resource::${flattenForNag(resource)}]`, reason });
    Validations.of(policy.node.defaultChild!).acknowledge(
      ack(executions, 'SSM Automation execution ids are generated at run time; the role only starts and reads the remediation runbooks\' executions in this account and region.'),
      ...documents.map((d) => ack(d, 'Documents owned by Amazon have no account id in their ARN; the statement names the one AWS-managed runbook, in this region.')),
      ...definitions.map((d) => ack(d, 'Every version of the one AWS-managed runbook: Config runs its default version, which Amazon updates.')),
      ...REMEDIATIONS.map((r) => ack(arn(r.arnService, r.arnResource),
        `AWS Config remediates any non-compliant ${r.resourceType} of this account and region (every store is personal unless tagged otherwise: fail closed), so no name is known in advance; the actions only read and restore a protection (${r.actions.join(', ')}).`)),
    );
    return policy;
  }
}
