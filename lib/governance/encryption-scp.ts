import { Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import {
  cdkExecutionRoleArn, MAX_SCP_CHARACTERS, MAX_SCPS_PER_TARGET, policyDocument, ScpStatement, scpStatements, splitStatements,
} from './private/scp-statements';
import { PropsValidator } from '../private/validation';

/** Props of EncryptionScp. */
export interface EncryptionScpProps {
  /**
   * The roots (`r-...`), organizational units (`ou-...`) and accounts (12 digits) to attach the
   * policies to.
   *
   * @default - none: the policies are created but not attached
   */
  readonly targetIds?: string[];

  /**
   * Principals the policies do not apply to (`ArnNotLike aws:PrincipalARN`; `*` wildcards
   * allowed): your deployment pipeline's CloudFormation role and a break-glass role. Role ARNs
   * among them are also protected: nobody else may create (in any case), change, delete or pass a
   * role with such a name, or run CloudFormation with it. Everything else, administrators
   * included, cannot turn the controls off.
   *
   * @default - the CloudFormation execution role of the CDK bootstrap qualifier
   *   `cdkBootstrapQualifier` (`cdk-<qualifier>-cfn-exec-role-*`), the Control Tower execution role
   *   (`AWSControlTowerExecution`) and a break-glass role named `cdk-ccpa-break-glass`, in every account
   */
  readonly exemptPrincipalArns?: string[];

  /**
   * The CDK bootstrap qualifier (`cdk bootstrap --qualifier`) of the environments the policies
   * apply to. Its CloudFormation execution role is exempt by default, and its deploy role
   * (`cdk-<qualifier>-deploy-role-*`) may only be assumed by `deployerPrincipalArns` and the
   * exempt principals.
   *
   * @default 'hnb659fds' - the CDK default
   */
  readonly cdkBootstrapQualifier?: string;

  /**
   * The principals that may deploy through the exempt CloudFormation roles: assume the CDK deploy
   * role, pass an exempt role, and create, update or delete stacks without naming a role (which
   * reuses the stack's role). Whoever controls these principals holds the exemption: name your
   * pipeline's role here, not a group of people. Their role names are protected like exempt ones.
   *
   * @default - none: only the exempt principals (the break-glass role) can deploy
   */
  readonly deployerPrincipalArns?: string[];

  /**
   * The policies' name; with more than one policy, `-1`, `-2`, ... is appended.
   *
   * @default 'cdk-ccpa-privacy-guardrails'
   */
  readonly policyName?: string;

  /**
   * How many SCPs the targets already have attached (the `FullAWSAccess` policy counts). With
   * these, more than 5 policies on one target is refused.
   *
   * @default 1 - FullAWSAccess
   */
  readonly policiesAlreadyAttached?: number;

  /**
   * Deny every action but MFA enrolment to `humanPrincipalArns` when the request carries no MFA
   * (`aws:MultiFactorAuthPresent`; multi-factor authentication, 11 CCR § 7123(c)(1)). Service-linked
   * roles and `exemptPrincipalArns` (break-glass, the deployment roles) are never matched.
   *
   * @default false - no MFA statement
   */
  readonly requireMfaForHumans?: boolean;

  /**
   * The principals people sign in as (`ArnLike aws:PrincipalARN`), denied without MFA when
   * `requireMfaForHumans` is set: add the roles people switch into. Leave out roles of IAM Identity
   * Center and other identity providers (their sessions carry no MFA key: MFA is enforced by the
   * provider) and roles of workloads and automation (their sessions never have MFA).
   *
   * @default - IAM users (`arn:*:iam::*:user/*`), whether they use the console or access keys
   */
  readonly humanPrincipalArns?: string[];
}

/**
 * Service control policies that keep this library's encryption, audit and tag controls from
 * being turned off in the member accounts of an AWS Organization, except by `exemptPrincipalArns`.
 * What they stop and cannot stop is tabled in the README; design notes in
 * [docs/constructs.md](docs/constructs.md#encryptionscp).
 */
export class EncryptionScp extends Construct {
  /** The size limit of one SCP document, in characters (minified). */
  public static readonly MAX_POLICY_CHARACTERS = MAX_SCP_CHARACTERS;
  /** The number of SCPs Organizations attaches to one root, OU or account at most. */
  public static readonly MAX_POLICIES_PER_TARGET = MAX_SCPS_PER_TARGET;

  /** The human principals `requireMfaForHumans` applies to by default: IAM users. */
  public static readonly DEFAULT_HUMAN_PRINCIPAL_ARNS: string[] = ['arn:*:iam::*:user/*'];

  /** The CDK default bootstrap qualifier. */
  public static readonly DEFAULT_CDK_QUALIFIER = 'hnb659fds';

  /**
   * The principals the policies do not apply to by default.
   *
   * @param cdkBootstrapQualifier the qualifier whose CloudFormation execution role is exempt (default `hnb659fds`)
   */
  public static defaultExemptPrincipalArns(cdkBootstrapQualifier?: string): string[] {
    return [
      cdkExecutionRoleArn(cdkBootstrapQualifier ?? EncryptionScp.DEFAULT_CDK_QUALIFIER),
      'arn:*:iam::*:role/AWSControlTowerExecution',
      'arn:*:iam::*:role/cdk-ccpa-break-glass',
    ];
  }

  /** The policies, in order. */
  public readonly policies: organizations.CfnPolicy[];
  /** The policy documents as Organizations stores them (minified JSON), in order. */
  public readonly documents: string[];

  constructor(scope: Construct, id: string, props: EncryptionScpProps = {}) {
    super(scope, id);

    const qualifier = props.cdkBootstrapQualifier ?? EncryptionScp.DEFAULT_CDK_QUALIFIER;
    const exempt = props.exemptPrincipalArns ?? EncryptionScp.defaultExemptPrincipalArns(qualifier);
    const deployers = props.deployerPrincipalArns ?? [];
    const targets = props.targetIds ?? [];
    const attached = props.policiesAlreadyAttached ?? 1;
    const name = props.policyName ?? 'cdk-ccpa-privacy-guardrails';
    const humans = props.humanPrincipalArns ?? EncryptionScp.DEFAULT_HUMAN_PRINCIPAL_ARNS;

    const v = new PropsValidator(this, 'InvalidEncryptionScpProps');
    v.check(exempt.length === 0, 'ExemptPrincipalsEmpty',
      'exemptPrincipalArns is empty: without an exempt deployment role nobody, CloudFormation included, could update the protected trails, keys, tables and tags; name at least your pipeline\'s CloudFormation execution role');
    v.check(props.humanPrincipalArns !== undefined && props.requireMfaForHumans !== true, 'HumanPrincipalsWithoutMfa',
      'humanPrincipalArns is set but requireMfaForHumans is not: nothing would require MFA of them; set requireMfaForHumans: true or remove humanPrincipalArns');
    v.check(props.requireMfaForHumans === true && humans.length === 0, 'HumanPrincipalsEmpty',
      'humanPrincipalArns is empty with requireMfaForHumans: true: the MFA statement would match nobody; name the IAM users or roles people sign in as');
    for (const h of props.requireMfaForHumans === true ? humans : []) {
      v.check(h === '*' || /:role\/(aws-service-role\/)?\*$/.test(h) || /^arn:[^:]*:(iam|sts)::[^:]*:\*$/.test(h) || /:assumed-role\/\*$/.test(h), 'HumanPrincipalArnTooBroad',
        `humanPrincipalArns entry ${JSON.stringify(h)} matches every role of an account: workload and service roles never have MFA and would be denied everything; name the roles people switch into`);
    }
    for (const [prop, arns] of [['exemptPrincipalArns', exempt], ['deployerPrincipalArns', deployers], ['humanPrincipalArns', props.humanPrincipalArns ?? []]] as const) {
      for (const arn of arns) {
        v.check(Token.isUnresolved(arn), 'PrincipalArnToken',
          `${prop} entry ${arn} is a token: the policy size must be known at synth (Organizations limits an SCP to ${MAX_SCP_CHARACTERS} characters), so give the ARN as a literal`);
        v.check(!Token.isUnresolved(arn) && !/^arn:[a-z*-]+:(iam|sts)::[0-9*]*:[A-Za-z0-9+=,.@_/*-]+$/.test(arn), 'PrincipalArnInvalid',
          `${prop} entry ${JSON.stringify(arn)} is not an IAM or STS principal ARN (arn:<partition>:iam::<account>:role/<name>; * wildcards allowed)`);
        v.check(prop !== 'humanPrincipalArns' && (arn === '*' || /^arn:[^:]*:(iam|sts)::[^:]*:\*$/.test(arn) || /:(role|user|assumed-role)\/\*$/.test(arn)), 'PrincipalArnTooBroad',
          `${prop} entry ${JSON.stringify(arn)} names every principal of an account: the encryption and audit-log guardrails would be optional for all of them: name the deployment roles instead.`);
      }
    }
    v.check(!Token.isUnresolved(qualifier) && !/^[A-Za-z0-9]{1,10}$/.test(qualifier), 'BootstrapQualifierInvalid',
      `cdkBootstrapQualifier ${JSON.stringify(qualifier)} is not a CDK bootstrap qualifier (1 to 10 letters and digits, as \`cdk bootstrap --qualifier\` takes)`);
    for (const t of targets) {
      v.check(!Token.isUnresolved(t) && !/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/.test(t), 'TargetIdInvalid',
        `targetIds entry ${JSON.stringify(t)} is not a root (r-...), organizational unit (ou-...) or account id (12 digits)`);
    }
    v.check(!Token.isUnresolved(attached) && (attached < 0 || !Number.isInteger(attached)), 'PoliciesAlreadyAttachedInvalid',
      `policiesAlreadyAttached ${attached} is not a whole number of policies`);
    v.check(!Token.isUnresolved(name) && !/^[\w+=,.@-]{1,128}$/.test(name), 'PolicyNameInvalid',
      `policyName ${JSON.stringify(name)} is not a valid SCP name (1 to 128 letters, digits and + = , . @ _ -)`);
    v.throwIfInvalid();

    const mfaHumans = props.requireMfaForHumans === true ? humans : undefined;
    const { documents, oversized } = splitStatements(scpStatements({ exempt, deployers, qualifier, mfaHumans }), MAX_SCP_CHARACTERS);
    const v2 = new PropsValidator(this, 'InvalidEncryptionScpProps');
    if (oversized) {
      v2.fail('StatementTooLarge', `exemptPrincipalArns, deployerPrincipalArns: statement ${oversized.Sid} alone is ${policyDocument([oversized]).length} characters, over the ${MAX_SCP_CHARACTERS} Organizations allows in one SCP; name fewer principals (use * wildcards in role names)`);
    } else {
      v2.check(targets.length > 0 && documents.length + attached > MAX_SCPS_PER_TARGET, 'TooManyPolicies',
        `targetIds: the guardrails need ${documents.length} SCPs and the targets already have ${attached} (FullAWSAccess counts), ${documents.length + attached} in all; Organizations attaches at most ${MAX_SCPS_PER_TARGET} to one root, OU or account. Exempt fewer principals or attach some policies to a parent OU`);
    }
    v2.throwIfInvalid();

    this.documents = documents.map((d: ScpStatement[]) => policyDocument(d));
    this.policies = this.documents.map((content, i) => new organizations.CfnPolicy(this, documents.length === 1 ? 'Policy' : `Policy${i + 1}`, {
      name: documents.length === 1 ? name : `${name}-${i + 1}`,
      description: `cdk-ccpa: CCPA/CPRA encryption and audit guardrails (${i + 1} of ${documents.length})`,
      type: 'SERVICE_CONTROL_POLICY',
      content: JSON.parse(content),
      targetIds: targets.length > 0 ? targets : undefined,
    }));
  }
}
