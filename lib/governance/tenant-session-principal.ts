import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivacyTagKeys } from '../classification/privacy-tag-keys';

/**
 * The principal of a tenant role's trust policy: only the tenant broker may assume the role, only
 * with a `tenant` session tag, and it may set no other session tag (`Tenant`, `privacy:access` and
 * every other key included). Use it as `assumedBy` of the roles that pooled stores are read through:
 *
 * `new iam.Role(this, 'TenantApp', { assumedBy: new TenantSessionPrincipal(brokerRole) })`
 *
 * With EncryptionScp, the trust policy of a role tagged `privacy:access` cannot be changed outside
 * the pipeline, so the broker stays the only way into a tenant's data.
 */
export class TenantSessionPrincipal extends iam.PrincipalBase implements iam.IAssumeRolePrincipal {
  /** The principal that assumes the role on behalf of one tenant. */
  public readonly broker: iam.IPrincipal;
  public readonly assumeRoleAction: string;

  /** @param broker the principal that assumes the role on behalf of one tenant (a role or service). */
  constructor(broker: iam.IPrincipal) {
    super();
    this.broker = broker;
    this.assumeRoleAction = broker.assumeRoleAction;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.broker.policyFragment;
  }

  /** Adds the broker's two statements (AssumeRole, TagSession) to the trust policy. */
  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    const tenantTagGiven = { Null: { [`aws:RequestTag/${PrivacyTagKeys.TENANT}`]: 'false' } };
    document.addStatements(
      new iam.PolicyStatement({
        sid: 'TenantBrokerAssumesWithTenantTag',
        principals: [this.broker],
        actions: [this.broker.assumeRoleAction],
        conditions: tenantTagGiven,
      }),
      new iam.PolicyStatement({
        sid: 'TenantBrokerTagsTenantOnly',
        principals: [this.broker],
        actions: ['sts:TagSession'],
        // StringEquals is case-sensitive: `Tenant` or `TENANT` (which would override the role's
        // `tenant` tag) are not `tenant`. ForAllValues passes an empty key list: the Null check
        // requires the tenant tag itself.
        conditions: { ...tenantTagGiven, 'ForAllValues:StringEquals': { 'aws:TagKeys': [PrivacyTagKeys.TENANT] } },
      }),
    );
  }

  public dedupeString(): string | undefined {
    const inner = iam.ComparablePrincipal.dedupeStringFor(this.broker);
    return inner === undefined ? undefined : `TenantSessionPrincipal:${inner}`;
  }
}
