import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/**
 * The KMS keys that protect in-scope data: every key referenced (directly, by ARN, through an
 * alias or an import) by a resource of the app that is in scope. Built once, in one pass over
 * the properties of every resource that is not itself a key or an alias.
 */
function keysProtectingInScopeData(index: AppIndex): Set<CfnResource> {
  return index.memo('keys-protecting-in-scope-data', () => {
    const keys = new Set<CfnResource>();
    const aliasTargets = new Map<CfnResource, CfnResource>();
    for (const alias of index.resourcesOfType('AWS::KMS::Alias')) {
      const t = index.target(index.props(alias).TargetKeyId, alias);
      if (t.kind === 'resource') aliasTargets.set(alias, t.resource);
    }
    for (const resource of index.allResources()) {
      const type = resource.cfnResourceType;
      if (KEY_TYPES.has(type) || type === 'AWS::KMS::Alias' || type.startsWith('AWS::IAM::') || !index.inScope(resource)) continue;
      for (const ref of index.referencedResources(index.props(resource), resource)) {
        if (KEY_TYPES.has(ref.cfnResourceType)) keys.add(ref);
        const aliased = aliasTargets.get(ref);
        if (aliased) keys.add(aliased);
      }
    }
    return keys;
  });
}

/**
 * Whether a KMS key is in scope: it protects data of an in-scope resource of the app, or it is
 * not explicitly classified non-personal (fail closed, DESIGN.md section 3). A key tagged
 * non-personal that encrypts an in-scope store is still in scope.
 */
export function keyInScope(key: CfnResource, index: AppIndex): boolean {
  return index.inScope(key) || keysProtectingInScopeData(index).has(key);
}
