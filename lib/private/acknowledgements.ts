import { CfnResource, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** cdk-nag's HIPAA Security and NIST 800-53 R5 packs, which share many rule names. */
export const HIPAA_NIST_PACKS: readonly string[] = ['HIPAA.Security', 'NIST.800.53.R5'];
/** The two packs above and PCI DSS 3.2.1. */
export const HIPAA_NIST_PCI_PACKS: readonly string[] = [...HIPAA_NIST_PACKS, 'PCI.DSS.321'];

/** `<pack>-<rule>` for each pack: the finding ids of one rule that several packs share. */
export function packRuleIds(packs: readonly string[], rule: string): string[] {
  return packs.map((pack) => `${pack}-${rule}`);
}

/** Acknowledge every finding id on `scope` (its own L1, or an ancestor) with one reason, in the order given. */
export function acknowledgeAll(scope: IConstruct, ids: readonly string[], reason: string): void {
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}

/** The L1 `AWS::IAM::Policy` of a role's default policy, if grants have created it. */
export function defaultPolicyOf(role: iam.IRole): CfnResource | undefined {
  const policy = role.node.tryFindChild('DefaultPolicy');
  return policy?.node.defaultChild as CfnResource | undefined;
}
