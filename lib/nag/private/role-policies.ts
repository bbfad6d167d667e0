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
