import { CfnResource, Stack } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { asArray, asBool, CfnValue, Part, renderParts } from './cfn-values';
import { Outcome } from './rule';

/** The data-event resource types a store's events are logged under. */
export enum DataEventType {
  S3_OBJECT = 'AWS::S3::Object',
  DYNAMODB_TABLE = 'AWS::DynamoDB::Table',
}

/** Whether a store's data events are logged by some trail of the app. */
export enum Coverage {
  COVERED = 'covered',
  NOT_COVERED = 'not-covered',
  /** A selector value, or the trail's IsLogging, is a token the index cannot map. */
  UNKNOWN = 'unknown',
}

/** One event selector of one trail, reduced to sets (so a lookup is O(1) per selector). */
interface Selector {
  readonly trail: CfnResource;
  readonly type: DataEventType;
  readonly trailUnknown: boolean;
  all: boolean;
  readonly includes: Set<CfnResource>;
  readonly includeNames: Set<string>;
  readonly excludes: Set<CfnResource>;
  readonly excludeNames: Set<string>;
  unknownInclude: boolean;
  unknownExclude: boolean;
  /** Excludes everything (e.g. NotStartsWith 'arn:aws:s3'). */
  excludesAll: boolean;
  /** The selector values that are tokens the index cannot map. */
  readonly unknownValues: CfnValue[];
}

/** What one ARN value of a selector designates. */
type ValueMeaning =
  | { readonly kind: 'all' }
  | { readonly kind: 'resource'; readonly resource: CfnResource }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'partial' }
  | { readonly kind: 'unknown' };

/** Advanced-selector fields that narrow a selector to part of a store's events. */
const NARROWING_FIELDS = new Set(['readOnly', 'eventName', 'eventSource', 'eventType', 'userIdentity.arn', 'sessionCredentialFromConsole', 'errorCode', 'vpcEndpointId', 'resources.ARN.NotEndsWith']);

/**
 * The data-event coverage of every trail of the app (`AWS::CloudTrail::Trail`), built once.
 *
 * Understands basic `EventSelectors` (`DataResources` of type `AWS::S3::Object` /
 * `AWS::DynamoDB::Table` with ARN prefixes, `ReadWriteType` All) and `AdvancedEventSelectors`
 * (`eventCategory` = Data, `resources.type`, `resources.ARN` with Equals / StartsWith and the
 * negative operators). ARNs that are tokens match by the CloudFormation reference they resolve to
 * (`Fn::GetAtt Bucket.Arn` + `/`, `arn:${Partition}:s3:::${Ref Bucket}/`, imports of either), or
 * by a literal bucket/table name. A selector that narrows by read/write, event name or identity,
 * or to a prefix inside a bucket, does not count: a DSR investigation needs every access.
 */
export class TrailCoverageIndex {
  public static of(index: AppIndex): TrailCoverageIndex {
    return index.memo('trail-coverage', () => new TrailCoverageIndex(index));
  }

  private readonly selectors: Selector[] = [];

  private constructor(private readonly index: AppIndex) {
    for (const trail of index.resourcesOfType('AWS::CloudTrail::Trail')) {
      const props = index.props(trail);
      const logging = asBool(props.IsLogging);
      if (logging === false) continue;
      const trailUnknown = logging === undefined;
      for (const selector of asArray(props.EventSelectors)) this.addBasic(trail, trailUnknown, selector);
      for (const selector of asArray(props.AdvancedEventSelectors)) this.addAdvanced(trail, trailUnknown, selector);
    }
  }

  /**
   * For a store whose coverage is UNKNOWN: records, on the index, the trail properties that make it
   * so (a token IsLogging, selector values that are tokens), and returns CANNOT_VERIFY.
   */
  public explainUnknown(store: CfnResource, type: DataEventType): Outcome {
    for (const s of this.selectors) {
      if (s.type !== type || !this.sameEnvironment(s.trail, store)) continue;
      const trail = this.index.logicalId(s.trail);
      if (s.trailUnknown) this.index.unknown(`${trail}.IsLogging`, this.index.props(s.trail).IsLogging);
      for (const v of s.unknownValues) this.index.unknown(`${trail} data event selector ARN`, v);
    }
    return Outcome.CANNOT_VERIFY;
  }

  /** Whether the store (an S3 bucket or a DynamoDB table / global table) is covered. */
  public coverage(store: CfnResource, type: DataEventType): Coverage {
    const name = this.literalName(store, type);
    let unknown = false;
    for (const s of this.selectors) {
      if (s.type !== type || s.excludesAll || !this.sameEnvironment(s.trail, store)) continue;
      const included = s.all || s.includes.has(store) || (name !== undefined && s.includeNames.has(name));
      const excluded = s.excludes.has(store) || (name !== undefined && s.excludeNames.has(name));
      if (included && !excluded) {
        if (!s.unknownExclude && !s.trailUnknown) return Coverage.COVERED;
        unknown = true;
      } else if (s.unknownInclude && !excluded) {
        unknown = true;
      }
    }
    return unknown ? Coverage.UNKNOWN : Coverage.NOT_COVERED;
  }

  private addBasic(trail: CfnResource, trailUnknown: boolean, selector: CfnValue): void {
    const rw = selector?.ReadWriteType;
    if (rw !== undefined && rw !== 'All') return; // read-only or write-only: partial
    for (const dr of asArray(selector?.DataResources)) {
      const type = [DataEventType.S3_OBJECT, DataEventType.DYNAMODB_TABLE].find((t) => t === dr?.Type);
      if (!type) continue;
      const s = this.newSelector(trail, trailUnknown, type);
      for (const v of asArray(dr.Values)) this.include(s, this.meaning(trail, v, type, 'prefix'), v);
      this.selectors.push(s);
    }
  }

  private addAdvanced(trail: CfnResource, trailUnknown: boolean, selector: CfnValue): void {
    const fields = asArray(selector?.FieldSelectors);
    const field = (name: string): CfnValue | undefined => fields.find((f) => f?.Field === name);
    if (!asArray(field('eventCategory')?.Equals).includes('Data')) return;
    if (fields.some((f) => NARROWING_FIELDS.has(f?.Field))) return;
    const types = asArray(field('resources.type')?.Equals)
      .filter((t) => t === DataEventType.S3_OBJECT || t === DataEventType.DYNAMODB_TABLE) as DataEventType[];
    const arn = field('resources.ARN');
    if (arn && (arn.EndsWith !== undefined || arn.NotEndsWith !== undefined)) return; // narrows to some objects
    for (const type of types) {
      const s = this.newSelector(trail, trailUnknown, type);
      const positives: [ValueMeaning, CfnValue][] = [
        ...asArray(arn?.StartsWith).map((v): [ValueMeaning, CfnValue] => [this.meaning(trail, v, type, 'prefix'), v]),
        ...asArray(arn?.Equals).map((v): [ValueMeaning, CfnValue] => [this.meaning(trail, v, type, 'exact'), v]),
      ];
      if (positives.length === 0) s.all = true;
      for (const [m, v] of positives) this.include(s, m, v);
      const negatives: [ValueMeaning, CfnValue][] = [
        ...asArray(arn?.NotStartsWith).map((v): [ValueMeaning, CfnValue] => [this.meaning(trail, v, type, 'prefix'), v]),
        ...asArray(arn?.NotEquals).map((v): [ValueMeaning, CfnValue] => [this.meaning(trail, v, type, 'exact-exclusion'), v]),
      ];
      for (const [m, v] of negatives) {
        if (m.kind === 'all') {s.excludesAll = true;} else if (m.kind === 'resource') {s.excludes.add(m.resource);} else if (m.kind === 'name') {s.excludeNames.add(m.name);} else if (m.kind === 'unknown') { s.unknownExclude = true; s.unknownValues.push(v); }
      }
      this.selectors.push(s);
    }
  }

  private newSelector(trail: CfnResource, trailUnknown: boolean, type: DataEventType): Selector {
    return {
      trail,
      type,
      trailUnknown,
      all: false,
      includes: new Set(),
      includeNames: new Set(),
      excludes: new Set(),
      excludeNames: new Set(),
      unknownInclude: false,
      unknownExclude: false,
      excludesAll: false,
      unknownValues: [],
    };
  }

  private include(s: Selector, m: ValueMeaning, value: CfnValue): void {
    if (m.kind === 'all') {s.all = true;} else if (m.kind === 'resource') {s.includes.add(m.resource);} else if (m.kind === 'name') {s.includeNames.add(m.name);} else if (m.kind === 'unknown') { s.unknownInclude = true; s.unknownValues.push(value); }
  }

  /**
   * What one selector value designates. `prefix`: StartsWith semantics (basic selectors' values
   * are prefixes too); `exact`: Equals; `exact-exclusion`: NotEquals (an S3 object ARN excludes
   * one object, which already makes coverage partial).
   */
  private meaning(trail: CfnResource, value: CfnValue, type: DataEventType, mode: 'prefix' | 'exact' | 'exact-exclusion'): ValueMeaning {
    const parts = this.index.parts(value, trail);
    const s3 = type === DataEventType.S3_OBJECT;
    if (s3 && mode === 'exact') return { kind: 'partial' }; // one object ARN
    const first = parts[0];
    const rest = renderParts(parts.slice(1));
    // Fn::GetAtt X.Arn [+ '/']
    if (first?.kind === 'ref' && first.attr === 'Arn') {
      const resource = this.index.resourceOf(first);
      if (resource && (rest === '' || (s3 && rest === '/'))) return { kind: 'resource', resource };
      // NotEquals one object of the bucket: the bucket is no longer fully covered
      if (resource && s3 && mode === 'exact-exclusion') return { kind: 'resource', resource };
      return { kind: 'partial' };
    }
    // 'arn:<partition>:s3:::' + Ref Bucket [+ '/'], 'arn:...:table/' + Ref Table
    const refIndex = parts.findIndex((p) => p.kind === 'ref');
    if (refIndex > 0 && parts[refIndex].kind === 'ref' && (parts[refIndex] as Extract<Part, { kind: 'ref' }>).attr === 'Ref') {
      const head = renderParts(parts.slice(0, refIndex));
      const tail = renderParts(parts.slice(refIndex + 1));
      const headOk = s3 ? /^arn:[^:]+:s3:::$/.test(head) : /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/$/.test(head);
      const resource = this.index.resourceOf(parts[refIndex]);
      if (headOk && resource && (tail === '' || (s3 && tail === '/'))) return { kind: 'resource', resource };
    }
    if (parts.some((p) => p.kind === 'unknown' || p.kind === 'ref')) return { kind: 'unknown' };
    const text = renderParts(parts);
    if (s3) {
      if ('arn:aws:s3:::'.startsWith(text) || /^arn:[^:]+:s3:::?$/.test(text)) return mode === 'exact-exclusion' ? { kind: 'partial' } : { kind: 'all' };
      const m = /^arn:[^:]+:s3:::([^/]+)\/?$/.exec(text);
      if (m) return { kind: 'name', name: m[1] };
      return { kind: 'partial' };
    }
    if ('arn:aws:dynamodb:'.startsWith(text) || /^arn:[^:]+:dynamodb(:[^:]*(:[^:]*(:(table\/?)?)?)?)?$/.test(text)) {
      return mode === 'prefix' ? { kind: 'all' } : { kind: 'partial' };
    }
    const m = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(text);
    return m ? { kind: 'name', name: m[1] } : { kind: 'partial' };
  }

  private literalName(store: CfnResource, type: DataEventType): string | undefined {
    const props = this.index.props(store);
    const name = type === DataEventType.S3_OBJECT ? props.BucketName : props.TableName;
    return typeof name === 'string' ? name : undefined;
  }

  /** A trail logs events of its own account (all accounts for organization trails), in its region unless multi-region. */
  private sameEnvironment(trail: CfnResource, store: CfnResource): boolean {
    const t = Stack.of(trail);
    const s = Stack.of(store);
    const props = this.index.props(trail);
    const accountOk = asBool(props.IsOrganizationTrail) === true || t.account === s.account;
    const regionOk = asBool(props.IsMultiRegionTrail) === true || t.region === s.region;
    return accountOk && regionOk;
  }
}
