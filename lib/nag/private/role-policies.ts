import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { asArray } from './cfn-values';

/** The policy resources attached to each role of the app (Policy/ManagedPolicy `Roles`, RolePolicy `RoleName`), built once. */
export function rolePolicies(index: AppIndex): Map<CfnResource, CfnResource[]> {
  return index.memo('role-policies', () => {
    const map = new Map<CfnResource, CfnResource[]>();
    const add = (roleValue: unknown, policy: CfnResource) => {
      const t = index.target(roleValue, policy);
      if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::IAM::Role') {
        map.set(t.resource, [...(map.get(t.resource) ?? []), policy]);
      }
    };
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const p of index.resourcesOfType(type)) {
        for (const r of asArray(index.props(p).Roles)) add(r, p);
      }
    }
    for (const p of index.resourcesOfType('AWS::IAM::RolePolicy')) add(index.props(p).RoleName, p);
    return map;
  });
}

/**
 * The principals each policy resource of the app is attached to, built once: the roles of
 * `rolePolicies`, plus the roles whose `ManagedPolicyArns` name a managed policy of the app, and
 * whether the policy also reaches users or groups (`Users` / `Groups`, `UserName` / `GroupName`)
 * or a role the app does not define.
 */
export function policyAttachments(index: AppIndex): Map<CfnResource, PolicyAttachment> {
  return index.memo('policy-attachments', () => {
    const map = new Map<CfnResource, { roles: Set<CfnResource>; otherPrincipals: boolean }>();
    const entry = (policy: CfnResource) => {
      let e = map.get(policy);
      if (!e) {
        e = { roles: new Set(), otherPrincipals: false };
        map.set(policy, e);
      }
      return e;
    };
    for (const [role, policies] of rolePolicies(index)) {
      for (const p of policies) entry(p).roles.add(role);
    }
    for (const role of index.resourcesOfType('AWS::IAM::Role')) {
      for (const arn of asArray(index.props(role).ManagedPolicyArns)) {
        const t = index.target(arn, role);
        if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::IAM::ManagedPolicy') entry(t.resource).roles.add(role);
      }
    }
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy']) {
      for (const p of index.resourcesOfType(type)) {
        const props = index.props(p);
        const e = entry(p);
        if (asArray(props.Users).length > 0 || asArray(props.Groups).length > 0 || props.UserName !== undefined || props.GroupName !== undefined) {
          e.otherPrincipals = true;
        }
        // a role named by a literal or a parameter is not a role of the app: its tags are unknown
        const named = [...asArray(props.Roles), ...(props.RoleName === undefined ? [] : [props.RoleName])];
        for (const r of named) {
          const t = index.target(r, p);
          if (t.kind !== 'resource' || t.resource.cfnResourceType !== 'AWS::IAM::Role') e.otherPrincipals = true;
        }
      }
    }
    return new Map([...map].map(([p, e]) => [p, { roles: [...e.roles], otherPrincipals: e.otherPrincipals }]));
  });
}

/** Where a policy resource is attached (see `policyAttachments`). */
export interface PolicyAttachment {
  /** The roles of the app the policy is attached to. */
  readonly roles: CfnResource[];
  /** Whether it is also attached to a user, a group, or a role the app does not define. */
  readonly otherPrincipals: boolean;
}
