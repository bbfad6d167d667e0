import { Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import {
  MAX_SCP_CHARACTERS, MAX_SCPS_PER_TARGET, policyDocument, ScpStatement, scpStatements, splitStatements,
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
   * among them are also protected: nobody else may create, change or delete a role with such a
   * name. Everything else, administrators included, cannot turn the controls off.
   *
   * @default - the CDK bootstrap CloudFormation execution roles (`cdk-*-cfn-exec-role-*`), the
   *   Control Tower execution role (`AWSControlTowerExecution`) and a break-glass role named
   *   `cdk-ccpa-break-glass`, in every account
   */
  readonly exemptPrincipalArns?: string[];

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
}

/**
 * Service control policies that keep this library's controls on in member accounts: encryption
 * of writes and new databases, and protection of trails, privacy keys, log groups, Config, tables
 * and `privacy:*` tags.
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#encryptionscp).
 */
export class EncryptionScp extends Construct {
  /** The size limit of one SCP document, in characters (minified). */
  public static readonly MAX_POLICY_CHARACTERS = MAX_SCP_CHARACTERS;
  /** The number of SCPs Organizations attaches to one root, OU or account at most. */
  public static readonly MAX_POLICIES_PER_TARGET = MAX_SCPS_PER_TARGET;

  /** The principals the policies do not apply to. */
  public static defaultExemptPrincipalArns(): string[] {
    return [
      'arn:*:iam::*:role/cdk-*-cfn-exec-role-*',
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

    const exempt = props.exemptPrincipalArns ?? EncryptionScp.defaultExemptPrincipalArns();
    const targets = props.targetIds ?? [];
    const attached = props.policiesAlreadyAttached ?? 1;
    const name = props.policyName ?? 'cdk-ccpa-privacy-guardrails';

    const v = new PropsValidator(this, 'InvalidEncryptionScpProps');
    v.check(exempt.length === 0,
      'exemptPrincipalArns is empty: without an exempt deployment role nobody, CloudFormation included, could update the protected trails, keys, tables and tags; name at least your pipeline\'s CloudFormation execution role');
    for (const arn of exempt) {
      v.check(Token.isUnresolved(arn),
        `exemptPrincipalArns entry ${arn} is a token: the policy size must be known at synth (Organizations limits an SCP to ${MAX_SCP_CHARACTERS} characters), so give the ARN as a literal`);
      v.check(!Token.isUnresolved(arn) && !/^arn:[a-z*-]+:(iam|sts)::[0-9*]*:[A-Za-z0-9+=,.@_/*-]+$/.test(arn),
        `exemptPrincipalArns entry ${JSON.stringify(arn)} is not an IAM or STS principal ARN (arn:<partition>:iam::<account>:role/<name>; * wildcards allowed)`);
      v.check(arn === '*' || /^arn:[^:]*:(iam|sts)::[^:]*:\*$/.test(arn) || /:(role|user)\/\*$/.test(arn),
        `exemptPrincipalArns entry ${JSON.stringify(arn)} exempts every principal of an account: the CCPA controls (1798.150 encryption, 1798.130 records) would be optional for all of them`);
    }
    for (const t of targets) {
      v.check(!Token.isUnresolved(t) && !/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/.test(t),
        `targetIds entry ${JSON.stringify(t)} is not a root (r-...), organizational unit (ou-...) or account id (12 digits)`);
    }
    v.check(!Token.isUnresolved(attached) && (attached < 0 || !Number.isInteger(attached)),
      `policiesAlreadyAttached ${attached} is not a whole number of policies`);
    v.check(!Token.isUnresolved(name) && !/^[\w+=,.@-]{1,128}$/.test(name),
      `policyName ${JSON.stringify(name)} is not a valid SCP name (1 to 128 letters, digits and + = , . @ _ -)`);
    v.throwIfInvalid();

    const exemptRoles = exempt.filter((a) => /:role\//.test(a));
    const { documents, oversized } = splitStatements(scpStatements(exempt, exemptRoles), MAX_SCP_CHARACTERS);
    const v2 = new PropsValidator(this, 'InvalidEncryptionScpProps');
    if (oversized) {
      v2.fail(`exemptPrincipalArns: statement ${oversized.Sid} alone is ${policyDocument([oversized]).length} characters, over the ${MAX_SCP_CHARACTERS} Organizations allows in one SCP; exempt fewer principals (use * wildcards in role names)`);
    } else {
      v2.check(targets.length > 0 && documents.length + attached > MAX_SCPS_PER_TARGET,
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
