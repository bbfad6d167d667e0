import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from './app-index';
import { asArray, asBool, CfnValue, describeValue, isIntrinsic } from './cfn-values';
import { Cites, Risk } from './citations';
import { customerManagedKeyOutcome, worst } from './keys';
import { CcpaRule, Outcome } from './rule';

/** Where one resource type keeps its encryption settings. Paths are dotted, as in the template (`StreamEncryption.KeyId`). */
export interface KeySite {
  /** The property that turns encryption at rest on and the value that does; absent when the key alone decides. */
  readonly switch?: { readonly property: string; readonly on: string | boolean };
  /** The property that names the KMS key. */
  readonly key: string;
  /** A list property whose elements each carry `switch` and `key` (paths then relative to the element), e.g. block device mappings. */
  readonly each?: string;
  /** Whether the resource is checked at all (beyond being in scope), e.g. a DB instance that inherits its cluster's encryption. */
  readonly applies?: (props: CfnValue, node: CfnResource, index: AppIndex) => boolean;
  /** What to conclude when `each` lists nothing. @default NON_COMPLIANT */
  readonly whenNone?: (node: CfnResource, index: AppIndex) => Outcome;
}

/** One `*CustomerManagedKey` rule: its id, texts and the key sites of the types it checks. */
export interface CustomerManagedKeyRuleSpec {
  readonly id: string;
  readonly service: string;
  readonly what: string;
  readonly fix: string;
  readonly choice?: string;
  /** @default Risk.STORES */
  readonly risk?: string;
  readonly sites: Readonly<Record<string, KeySite>>;
  /** Whether a resource in scope is checked; @default every in-scope resource (fail closed). */
  readonly scope?: (node: CfnResource, index: AppIndex) => boolean;
}

/** The value at a dotted path (`A.B.C`); undefined when a step is missing; the intrinsic itself when a step is one (`Fn::If`, a parameter). */
export function valueAt(value: CfnValue, path: string): CfnValue {
  let v = value;
  for (const step of path.split('.')) {
    if (isIntrinsic(v)) return v;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = v[step];
  }
  return v;
}

function equalsOn(value: CfnValue, on: string | boolean): boolean {
  if (typeof on === 'boolean') return asBool(value) === on;
  return typeof value === 'string' && value.toUpperCase() === on.toUpperCase();
}

/** Checks one element (or the whole resource): the switch, then the key. Records what it found. */
function checkSite(site: KeySite, props: CfnValue, prefix: string, node: CfnResource, index: AppIndex): Outcome {
  if (site.switch) {
    const value = valueAt(props, site.switch.property);
    if (index.anyUnknown({ [`${prefix}${site.switch.property}`]: value })) return Outcome.CANNOT_VERIFY;
    if (!equalsOn(value, site.switch.on)) {
      index.note(`${prefix}${site.switch.property} = ${describeValue(value)} (needs ${JSON.stringify(site.switch.on)})`);
      return Outcome.NON_COMPLIANT;
    }
  }
  const key = valueAt(props, site.key);
  const outcome = customerManagedKeyOutcome(`${prefix}${site.key}`, key, node, index);
  if (outcome === Outcome.NON_COMPLIANT) {
    index.note(`${prefix}${site.key} = ${describeValue(key)}${key === undefined ? ' (the service\'s own or AWS managed key)' : ' (an AWS managed key)'}`);
  }
  return outcome;
}

/**
 * A rule that every in-scope resource of the given types is encrypted at rest with a
 * customer-managed KMS key (one factory for the store types that differ only in where the
 * switch and the key live). Findings name the property and its value.
 */
export function customerManagedKeyRule(spec: CustomerManagedKeyRuleSpec): CcpaRule {
  const types = Object.keys(spec.sites);
  return {
    id: spec.id,
    service: spec.service,
    level: NagMessageLevel.ERROR,
    resourceTypes: types,
    what: spec.what,
    cites: Cites.ENCRYPTION,
    choice: spec.choice,
    risk: spec.risk ?? Risk.STORES,
    fix: spec.fix,
    evaluate(node: CfnResource, index: AppIndex): Outcome {
      const site = spec.sites[node.cfnResourceType];
      if (!site || !index.inScope(node) || (spec.scope && !spec.scope(node, index))) return Outcome.NOT_APPLICABLE;
      const props = index.props(node);
      if (site.applies && !site.applies(props, node, index)) return Outcome.NOT_APPLICABLE;
      if (!site.each) return checkSite(site, props, '', node, index);
      const list = valueAt(props, site.each);
      if (index.anyUnknown({ [site.each]: list })) return Outcome.CANNOT_VERIFY;
      const elements = asArray(list).filter((e) => e && typeof e === 'object');
      if (elements.length === 0) return site.whenNone ? site.whenNone(node, index) : Outcome.NON_COMPLIANT;
      return worst(...elements.map((e, i) => {
        if (index.anyUnknown({ [`${site.each}[${i}]`]: e })) return Outcome.CANNOT_VERIFY;
        return checkSite(site, e, `${site.each}[${i}].`, node, index);
      }));
    },
  };
}
