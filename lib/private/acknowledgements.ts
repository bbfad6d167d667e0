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

/**
 * Acknowledge every finding id on `scope` (its own L1, or an ancestor) with one reason, in the order
 * given. aws-cdk-lib's `Validations.acknowledge` refuses an id with more than one `::` (a granular
 * cdk-nag id naming a literal `arn:aws:s3:::<bucket>`, e.g. of an imported bucket); such an id is
 * recorded in the same metadata `acknowledge` writes, which cdk-nag reads.
 */
export function acknowledgeAll(scope: IConstruct, ids: readonly string[], reason: string): void {
  const plain = ids.filter((id) => id.split('::').length <= 2);
  if (plain.length > 0) Validations.of(scope).acknowledge(...plain.map((id) => ({ id, reason })));
  for (const id of ids.filter((i) => i.split('::').length > 2)) {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

/** The L1 `AWS::IAM::Policy` of a role's default policy, if grants have created it. */
export function defaultPolicyOf(role: iam.IRole): CfnResource | undefined {
  const policy = role.node.tryFindChild('DefaultPolicy');
  return policy?.node.defaultChild as CfnResource | undefined;
}
