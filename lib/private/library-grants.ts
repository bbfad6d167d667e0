import { Names, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { flattenForNag } from './nag-ids';

/**
 * Adds the statements of a library grant to a customer managed policy that `owner` creates for
 * the grantee's role (one per owner and role), and acknowledges on THAT policy only the exact
 * AwsSolutions-IAM5 findings of its wildcard resources, with `reason`. The grantee's own policies
 * are untouched, so their findings stay the user's. Principals this does not apply to (not a Role
 * of the owner's stack: imported roles, users, other accounts) get the statements as before,
 * through `fallback`.
 */
export function grantInLibraryPolicy(
  owner: Construct,
  grantee: iam.IGrantable,
  grants: LibraryGrant[],
  reason: string,
  fallback: (grant: LibraryGrant) => iam.Grant,
): iam.Grant {
  const role = grantee.grantPrincipal;
  if (!(role instanceof iam.Role) || Stack.of(role) !== Stack.of(owner)) {
    return grants.map(fallback).reduce((all, g) => all.combine(g));
  }
  const id = `GrantPolicy${Names.uniqueId(role).slice(-24)}`;
  const policy = (owner.node.tryFindChild(id) as iam.ManagedPolicy | undefined) ?? new iam.ManagedPolicy(owner, id, {
    description: `cdk-ccpa: what ${owner.node.path} grants ${role.node.path}`.slice(0, 1000),
    roles: [role],
  });
  const stack = Stack.of(owner);
  const via: iam.IGrantable = { grantPrincipal: new PolicyPrincipal(role, policy) };
  const ids: string[] = [];
  for (const g of grants) {
    for (const resource of g.resourceArns) {
      const flat = flattenForNag(Token.isUnresolved(resource) ? stack.resolve(resource) : resource);
      const findingId = `AwsSolutions-IAM5[Resource::${flat}]`;
      // a pseudo parameter would put a second '::' into the id, which Validations refuses
      if (flat.includes('*') && findingId.split('::').length === 2 && !ids.includes(findingId)) ids.push(findingId);
    }
  }
  if (ids.length > 0) Validations.of(policy.node.defaultChild!).acknowledge(...ids.map((findingId) => ({ id: findingId, reason })));
  return grants.map((g) => iam.Grant.addToPrincipal({ grantee: via, ...g })).reduce((all, g) => all.combine(g));
}

/** One statement of a library grant. */
export interface LibraryGrant {
  readonly actions: string[];
  readonly resourceArns: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/** The role, with its principal policy being the library's managed policy. */
class PolicyPrincipal implements iam.IPrincipal {
  public readonly assumeRoleAction: string;
  public readonly principalAccount?: string;
  public readonly grantPrincipal: iam.IPrincipal = this;
  constructor(private readonly role: iam.Role, private readonly policy: iam.ManagedPolicy) {
    this.assumeRoleAction = role.assumeRoleAction;
    this.principalAccount = role.principalAccount;
  }
  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.role.policyFragment;
  }
  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
