import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { CfnValue, isIntrinsic } from './cfn-values';

/** The domain types whose access policy a custom resource can set after creation. */
const DOMAIN_TYPES = new Set(['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain']);

/** An access policy set on a domain by a custom resource, and that resource. */
export interface DomainPolicySetter {
  readonly setter: CfnResource;
  /** The policy document (intrinsics restored), or the raw value when it cannot be read. */
  readonly policy: CfnValue;
}

const MARKER = /@@ccpa(\d+)@@/g;

/**
 * Decodes an SDK-call custom resource's Create/Update (a JSON string, or a `Fn::Join` of JSON text
 * and intrinsics): each intrinsic becomes a marker in the text, and after parsing it is put back.
 */
function decodeCall(value: CfnValue): CfnValue | undefined {
  const intrinsics: CfnValue[] = [];
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (isIntrinsic(value) && Array.isArray(value['Fn::Join']) && value['Fn::Join'][0] === '' && Array.isArray(value['Fn::Join'][1])) {
    text = (value['Fn::Join'][1] as CfnValue[]).map((p) => (typeof p === 'string' ? p : `@@ccpa${intrinsics.push(p) - 1}@@`)).join('');
  } else {
    return undefined;
  }
  const restore = (v: CfnValue): CfnValue => {
    if (typeof v === 'string') {
      const whole = /^@@ccpa(\d+)@@$/.exec(v);
      if (whole) return intrinsics[Number(whole[1])];
      if (!v.includes('@@ccpa')) return v;
      const pieces: CfnValue[] = [];
      let last = 0;
      for (const m of v.matchAll(MARKER)) {
        if (m.index! > last) pieces.push(v.slice(last, m.index));
        pieces.push(intrinsics[Number(m[1])]);
        last = m.index! + m[0].length;
      }
      if (last < v.length) pieces.push(v.slice(last));
      return { 'Fn::Join': ['', pieces] };
    }
    if (Array.isArray(v)) return v.map(restore);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    return v;
  };
  try {
    const call = JSON.parse(text);
    const params = call?.parameters;
    if (call?.action !== 'updateDomainConfig' || typeof params !== 'object' || params === null || params.AccessPolicies === undefined) return undefined;
    let policy: CfnValue = params.AccessPolicies;
    if (typeof policy === 'string') {
      try { policy = JSON.parse(policy); } catch { /* left as the raw string: the rule reports it unreadable */ }
    }
    return { DomainName: restore(params.DomainName), AccessPolicies: restore(policy) };
  } catch {
    return undefined;
  }
}

/**
 * Access policies that custom resources of the app set on its domains after creation (the L2
 * `Domain`'s `accessPolicies` is applied this way: `Custom::OpenSearchAccessPolicy` calling
 * `updateDomainConfig`, not the domain's AccessPolicies property). One pass over the custom
 * resources of the app, once per run.
 */
export function domainPolicySetters(index: AppIndex): Map<CfnResource, DomainPolicySetter[]> {
  return index.memo('domain-policy-setters', () => {
    const out = new Map<CfnResource, DomainPolicySetter[]>();
    for (const r of index.allResources()) {
      if (!r.cfnResourceType.startsWith('Custom::') && r.cfnResourceType !== 'AWS::CloudFormation::CustomResource') continue;
      const props = index.props(r);
      for (const key of ['Create', 'Update']) {
        const call = props?.[key] === undefined ? undefined : decodeCall(props[key]);
        if (!call) continue;
        const t = index.target(call.DomainName, r);
        if (t.kind !== 'resource' || !DOMAIN_TYPES.has(t.resource.cfnResourceType)) continue;
        out.set(t.resource, [...(out.get(t.resource) ?? []), { setter: r, policy: call.AccessPolicies }]);
      }
    }
    return out;
  });
}
