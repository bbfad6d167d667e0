/**
 * Reading resolved CloudFormation values (what `Stack.resolve` gives: literals and intrinsics).
 * Values are plain JSON; `CfnValue` names them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CfnValue = any;

/** A piece of a string-valued CloudFormation expression. */
export type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly logicalId: string; readonly attr: string; readonly stackKey: object }
  | { readonly kind: 'pseudo'; readonly name: string }
  | { readonly kind: 'unknown'; readonly what: string };

/** The values of a property that may be a single value or a list. */
export function asArray(value: CfnValue): CfnValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether a resolved value is an intrinsic function or a reference (`{ Ref }`, `{ Fn::... }`). */
export function isIntrinsic(value: CfnValue): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/** true / false for CloudFormation booleans (`true`, `"true"`), undefined when absent or not a literal. */
export function asBool(value: CfnValue): boolean | undefined {
  if (value === true || value === 'true' || value === 'True') return true;
  if (value === false || value === 'false' || value === 'False') return false;
  return undefined;
}

/** A number for literal numbers and numeric strings, undefined otherwise. */
export function asNumber(value: CfnValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** Pseudo parameters rendered as fixed text, so string patterns can be matched. */
const PSEUDO_TEXT: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * Renders parts as one string: text as is, `AWS::Partition` as `aws`, references as
 * `{{LogicalId.Attr}}`, other pseudo parameters as `{{AWS::Region}}`, unknown values as `{{?}}`.
 */
export function renderParts(parts: readonly Part[]): string {
  return parts.map((p) => {
    switch (p.kind) {
      case 'text': return p.text;
      case 'ref': return `{{${p.logicalId}.${p.attr}}}`;
      case 'pseudo': return PSEUDO_TEXT[p.name] ?? `{{${p.name}}}`;
      default: return '{{?}}';
    }
  }).join('');
}

/** Merges adjacent text parts. */
export function normalizeParts(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === 'text' && last?.kind === 'text') {
      out[out.length - 1] = { kind: 'text', text: last.text + p.text };
    } else if (p.kind !== 'text' || p.text.length > 0) {
      out.push(p);
    }
  }
  return out;
}

/** The statements of a resolved policy document (a single statement object or a list). */
export function statementsOf(document: CfnValue): CfnValue[] {
  if (!document || typeof document !== 'object') return [];
  return asArray(document.Statement).filter((s) => s && typeof s === 'object');
}

/**
 * A short, readable rendering of a resolved value for a finding: `Ref BucketName`,
 * `ImportValue KeyAliasName`, `GetAtt Key.Arn`, `Sub "${AWS::StackName}-data"`, a literal in
 * quotes, `absent`. Long values are cut at 160 characters.
 */
export function describeValue(value: CfnValue): string {
  const text = describe(value, 0);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function describe(value: CfnValue, depth: number): string {
  if (value === undefined) return 'absent';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (depth > 4) return '...';
  if (Array.isArray(value)) return `[${value.map((v) => describe(v, depth + 1)).join(', ')}]`;
  if (isIntrinsic(value)) {
    const [key, arg] = Object.entries(value)[0] as [string, CfnValue];
    switch (key) {
      case 'Ref': return `Ref ${arg}`;
      case 'Fn::GetAtt': return `GetAtt ${Array.isArray(arg) ? arg.join('.') : arg}`;
      case 'Fn::ImportValue': return `ImportValue ${typeof arg === 'string' ? arg : describe(arg, depth + 1)}`;
      case 'Fn::Sub': return `Sub ${Array.isArray(arg) ? JSON.stringify(arg[0]) : JSON.stringify(arg)}`;
      default: return `${key.replace(/^Fn::/, '')} ${describe(arg, depth + 1)}`;
    }
  }
  return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${describe(v, depth + 1)}`).join(', ')} }`;
}

/**
 * Every variant of a value with its `Fn::If` choices made both ways (`AWS::NoValue` removes the
 * key or element). Returns undefined when the variants would exceed `limit` (too many conditions
 * to evaluate each combination).
 */
export function ifVariants(value: CfnValue, limit = 64): CfnValue[] | undefined {
  const NO_VALUE = Symbol('NoValue');
  const expand = (v: CfnValue): CfnValue[] | undefined => {
    if (v === null || typeof v !== 'object') return [v];
    if (isIntrinsic(v) && 'Ref' in v && v.Ref === 'AWS::NoValue') return [NO_VALUE];
    if (isIntrinsic(v) && 'Fn::If' in v && Array.isArray(v['Fn::If']) && v['Fn::If'].length === 3) {
      const a = expand(v['Fn::If'][1]);
      const b = expand(v['Fn::If'][2]);
      return a && b && a.length + b.length <= limit ? [...a, ...b] : undefined;
    }
    const entries: [string | number, CfnValue][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    let combos: [string | number, CfnValue][][] = [[]];
    for (const [k, child] of entries) {
      const options = expand(child);
      if (!options || combos.length * options.length > limit) return undefined;
      combos = combos.flatMap((c) => options.map((o) => [...c, [k, o] as [string | number, CfnValue]]));
    }
    return combos.map((c) => {
      const kept = c.filter(([, o]) => o !== NO_VALUE);
      return Array.isArray(v) ? kept.map(([, o]) => o) : Object.fromEntries(kept);
    });
  };
  const out = expand(value);
  return out?.map((v) => (v === NO_VALUE ? undefined : v));
}

/** Whether a value holds an `Fn::If` anywhere. */
export function hasIf(value: CfnValue): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (!Array.isArray(value) && 'Fn::If' in value) return true;
  return (Array.isArray(value) ? value : Object.values(value)).some(hasIf);
}

/** Like `renderParts`, but an unknown part keeps what it was (`{{?Ref BucketName}}`), so two renderings of the same parameter or import compare equal. */
export function renderPartsExact(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === 'unknown' ? `{{?${p.what}}}` : renderParts([p]))).join('');
}
