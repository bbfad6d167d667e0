import { Annotations, CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';

const PRINCIPAL_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User']);

/** The L1 role or user behind a grantee, when this app defines it (imported ones have none). */
export function principalResource(grantee: iam.IGrantable): CfnResource | undefined {
  const principal = grantee.grantPrincipal as unknown as Partial<IConstruct>;
  const child = principal.node?.defaultChild;
  return child && CfnResource.isCfnResource(child) && PRINCIPAL_TYPES.has(child.cfnResourceType) ? child : undefined;
}

/** Whether a grantee is an AWS service principal (e.g. `logs.amazonaws.com`). */
export function isServicePrincipal(grantee: iam.IGrantable): boolean {
  return grantee.grantPrincipal instanceof iam.ServicePrincipal;
}

/**
 * A service principal limited to acting for this account (`aws:SourceAccount`): the
 * confused-deputy guard AWS recommends for service principals in key policies.
 */
export function serviceForThisAccount(key: IConstruct, grantee: iam.IGrantable): iam.IGrantable {
  const principal = new iam.PrincipalWithConditions(grantee.grantPrincipal, {
    StringEquals: { 'aws:SourceAccount': Stack.of(key).account },
  });
  return { grantPrincipal: principal };
}

/**
 * Remembers every principal granted use of a key and, at synth, checks that each carries a
 * principal tag the key policy accepts: without one, KMS denies it at run time whatever its
 * identity policy says, so the app is refused at synth instead.
 */
export class GranteeTagCheck {
  private readonly principals = new Map<string, CfnResource>();

  constructor(private readonly key: IConstruct, private readonly accessLevels: string[]) {
    key.node.addValidation({ validate: () => this.validate() });
  }

  /** Record a grantee; warn when it is not defined in this app and so cannot be checked. */
  public add(grantee: iam.IGrantable): void {
    const resource = principalResource(grantee);
    if (resource) {
      this.principals.set(resource.node.path, resource);
    } else if (!isServicePrincipal(grantee)) {
      Annotations.of(this.key).addWarningV2('cdk-ccpa:UntaggablePrivacyKeyGrantee',
        `A principal this app does not define was granted use of ${this.key.node.path}; the key policy lets it use the key only if it carries the tag ${PrivacyTagKeys.ACCESS}=${this.accessLevels.join('|')} or ${PrivacyTagKeys.WORKFLOW}=${PrivacyTagKeys.WORKFLOW_DSR}. Tag it where it is defined.`);
    }
  }

  private validate(): string[] {
    const errors: string[] = [];
    for (const [path, resource] of this.principals) {
      const tags = TagManager.of(resource)?.tagValues() ?? {};
      const accessOk = this.accessLevels.includes(tags[PrivacyTagKeys.ACCESS]);
      const dsrOk = tags[PrivacyTagKeys.WORKFLOW] === PrivacyTagKeys.WORKFLOW_DSR;
      if (!accessOk && !dsrOk) {
        errors.push(`${path} was granted use of ${this.key.node.path}, but carries neither ${PrivacyTagKeys.ACCESS}=${this.accessLevels.join('|')} nor ${PrivacyTagKeys.WORKFLOW}=${PrivacyTagKeys.WORKFLOW_DSR} (found ${PrivacyTagKeys.ACCESS}=${tags[PrivacyTagKeys.ACCESS] ?? 'none'}): the key policy would deny it at run time. Tag it with PrivacyPrincipal.tag().`);
      }
    }
    return errors;
  }
}
