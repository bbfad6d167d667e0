import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { isIntrinsic } from './cfn-values';

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/** An alias name at the end of a value: `alias/<name>` or `arn:...:alias/<name>`. */
const ALIAS_NAME = /(?:^|:)(alias\/[^\s:]+)$/;

/**
 * The KMS keys that protect in-scope data: every key referenced (directly, by ARN, through an
 * alias resource, an alias name or alias ARN written as text, or an import of any of these) by a
 * resource of the app that is in scope. Built once, in one pass over the properties of every
 * resource that is not itself a key or an alias.
 */
function keysProtectingInScopeData(index: AppIndex): Set<CfnResource> {
  return index.memo('keys-protecting-in-scope-data', () => {
    const keys = new Set<CfnResource>();
    const aliasTargets = new Map<CfnResource, CfnResource>();
    const byAliasName = new Map<string, CfnResource>();
    for (const alias of index.resourcesOfType('AWS::KMS::Alias')) {
      const props = index.props(alias);
      const t = index.target(props.TargetKeyId, alias);
      if (t.kind !== 'resource') continue;
      aliasTargets.set(alias, t.resource);
      if (typeof props.AliasName === 'string') byAliasName.set(props.AliasName, t.resource);
    }
    const byName = (text: string) => {
      const m = ALIAS_NAME.exec(text);
      const k = m ? byAliasName.get(m[1]) : undefined;
      if (k) keys.add(k);
    };
    const walk = (v: unknown, from: CfnResource): void => {
      if (typeof v === 'string') { if (v.includes('alias/')) byName(v); return; }
      if (v === null || typeof v !== 'object') return;
      if (isIntrinsic(v)) {
        const t = index.target(v, from);
        if (t.kind === 'literal') byName(t.value);
        else if (t.kind !== 'resource') byName(index.render(v, from));
        return;
      }
      for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child, from);
    };
    for (const resource of index.allResources()) {
      const type = resource.cfnResourceType;
      if (KEY_TYPES.has(type) || type === 'AWS::KMS::Alias' || type.startsWith('AWS::IAM::') || !index.inScope(resource)) continue;
      if (byAliasName.size > 0) walk(index.props(resource), resource);
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
 * not explicitly classified non-personal (fail closed). A key tagged
 * non-personal that encrypts an in-scope store is still in scope.
 */
export function keyInScope(key: CfnResource, index: AppIndex): boolean {
  return index.inScope(key) || keysProtectingInScopeData(index).has(key);
}
