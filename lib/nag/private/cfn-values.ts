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
