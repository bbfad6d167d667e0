import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { CfnValue, isIntrinsic, Part } from './cfn-values';

/** The qualifier of an unqualified invocation or configuration. */
export const LATEST = '$LATEST';

/**
 * A Lambda function of the app and the qualifier a reference names: `$LATEST` (unqualified), an
 * alias (its name, or `alias:<logicalId>` when the name is not a literal) or a version
 * (`version:<logicalId>` for an AWS::Lambda::Version of the app, else the literal number).
 */
export interface FunctionRef {
  readonly fn: CfnResource;
  readonly qualifier: string;
}

/** A function ARN or name as text: `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`, `<account>:function:<name>`, `<name>[:<qualifier>]`. */
const FUNCTION_TEXT = /^(?:(?:arn:[^:]+:lambda:[^:]*:)?[^:]*:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/;

/** The qualifier key of an alias of the app. */
function aliasKey(index: AppIndex, alias: CfnResource): string {
  const name = index.props(alias).Name;
  return typeof name === 'string' ? name : `alias:${index.logicalId(alias)}`;
}

/** The app's functions by their literal FunctionName (a literal ARN names a function this way), built once. */
function functionsByName(index: AppIndex): Map<string, CfnResource> {
  return index.memo('functions-by-name', () => {
    const out = new Map<string, CfnResource>();
    for (const fn of index.resourcesOfType('AWS::Lambda::Function')) {
      const name = index.props(fn).FunctionName;
      if (typeof name === 'string') out.set(name, fn);
    }
    return out;
  });
}

/** The function and qualifier a reference to a function, alias or version of the app stands for. */
function ofResource(index: AppIndex, r: CfnResource, depth: number): FunctionRef | undefined {
  if (depth > 4) return undefined;
  switch (r.cfnResourceType) {
    case 'AWS::Lambda::Function':
      return { fn: r, qualifier: LATEST };
    case 'AWS::Lambda::Alias': {
      const base = resolveIn(index, index.props(r).FunctionName, r, depth + 1);
      return base && { fn: base.fn, qualifier: aliasKey(index, r) };
    }
    case 'AWS::Lambda::Version': {
      const base = resolveIn(index, index.props(r).FunctionName, r, depth + 1);
      return base && { fn: base.fn, qualifier: `version:${index.logicalId(r)}` };
    }
    default:
      return undefined;
  }
}

/** A function named by text (an ARN or a name): the app's function of that literal FunctionName. */
function ofText(index: AppIndex, text: string): FunctionRef | undefined {
  const m = FUNCTION_TEXT.exec(text);
  const fn = m ? functionsByName(index).get(m[1]) : undefined;
  return fn && { fn, qualifier: m?.[2] ?? LATEST };
}

/**
 * A function named by an expression's parts: one reference to a function, alias or version of the
 * app, preceded by nothing or by the text of an ARN up to `function:` (for a name), and followed by
 * nothing, `:<qualifier>`, or `:` and a version's `Version`.
 */
export function functionOfParts(index: AppIndex, parts: readonly Part[]): FunctionRef | undefined {
  if (parts.length > 0 && parts.every((p) => p.kind === 'text' || p.kind === 'pseudo')) {
    // a literal ARN, its region, account or partition written as pseudo parameters
    return ofText(index, parts.map((p) => (p.kind === 'text' ? p.text : 'x')).join(''));
  }
  const at = parts.findIndex((p) => p.kind === 'ref');
  if (at < 0 || parts.slice(at + 1).some((p) => p.kind === 'ref' && index.resourceOf(p)?.cfnResourceType !== 'AWS::Lambda::Version')) return undefined;
  const ref = parts[at];
  const resource = index.resourceOf(ref);
  if (!resource || ref.kind !== 'ref') return undefined;
  const before = parts.slice(0, at);
  if (before.length > 0) {
    // an ARN written out around the function's name: text and pseudo parameters ending in "function:"
    const last = before[before.length - 1];
    if (ref.attr !== 'Ref' || resource.cfnResourceType !== 'AWS::Lambda::Function' || last.kind !== 'text' || !last.text.endsWith('function:')) return undefined;
    if (before.some((p) => p.kind !== 'text' && p.kind !== 'pseudo')) return undefined;
  }
  const base = ofResource(index, resource, 0);
  if (!base) return undefined;
  const after = parts.slice(at + 1);
  if (after.length === 0) return base;
  if (base.qualifier !== LATEST) return undefined;
  if (after.length === 1 && after[0].kind === 'text' && /^:[A-Za-z0-9_$-]+$/.test(after[0].text)) return { fn: base.fn, qualifier: after[0].text.slice(1) };
  if (after.length === 2 && after[0].kind === 'text' && after[0].text === ':' && after[1].kind === 'ref' && after[1].attr === 'Version') {
    const version = index.resourceOf(after[1]);
    return version ? { fn: base.fn, qualifier: `version:${index.logicalId(version)}` } : undefined;
  }
  return undefined;
}

function resolveIn(index: AppIndex, value: CfnValue, from: CfnResource, depth: number): FunctionRef | undefined {
  if (value === undefined || value === null) return undefined;
  const t = index.target(value, from);
  if (t.kind === 'resource') return ofResource(index, t.resource, depth);
  if (t.kind === 'literal' && typeof value === 'string') return ofText(index, value);
  return functionOfParts(index, index.parts(value, from));
}

/**
 * The function of the app (and the qualifier) that a `FunctionName`, `TargetFunctionArn`, target
 * `Arn` or `Endpoint` names: a `Ref`/`Fn::GetAtt` of a function, alias or version (also through
 * `Fn::ImportValue` and nested-stack parameters), an ARN built with `Fn::Join`/`Fn::Sub`, or a
 * literal ARN or name of a function with that literal FunctionName. Undefined when it names no
 * function of the app (a function outside the app, a parameter, an unmapped import).
 */
export function resolveFunction(index: AppIndex, value: CfnValue, from: CfnResource): FunctionRef | undefined {
  return resolveIn(index, value, from, 0);
}

/**
 * The qualifier key of an `AWS::Lambda::EventInvokeConfig`'s `Qualifier` (or an `AWS::Lambda::Url`'s):
 * a literal as is; `Fn::GetAtt <Version>.Version`; `Fn::Select [7, Fn::Split [":", Ref <Alias or
 * Version>]]` (what aws-cdk-lib writes for an alias). Undefined when not known at synth.
 */
export function qualifierKey(index: AppIndex, value: CfnValue, from: CfnResource): string | undefined {
  if (value === undefined) return LATEST;
  if (typeof value === 'string') return value;
  if (!isIntrinsic(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (getAtt !== undefined) {
    const t = index.target(value, from);
    if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::Lambda::Version' && t.attr === 'Version') return `version:${index.logicalId(t.resource)}`;
    return undefined;
  }
  const select = value['Fn::Select'];
  if (Array.isArray(select) && select.length === 2 && String(select[0]) === '7') {
    const split = select[1]?.['Fn::Split'];
    if (Array.isArray(split) && split[0] === ':') {
      const t = index.target(split[1], from);
      if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::Lambda::Alias') return aliasKey(index, t.resource);
      if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::Lambda::Version') return `version:${index.logicalId(t.resource)}`;
    }
    return undefined;
  }
  const t = index.target(value, from);
  return t.kind === 'literal' ? t.value : undefined;
}

/** A qualifier key for a finding: `$LATEST`, `alias live`, `version Fn1Version` . */
export function describeQualifier(qualifier: string): string {
  if (qualifier === LATEST) return 'unqualified ($LATEST)';
  if (qualifier.startsWith('version:')) return `version ${qualifier.slice('version:'.length)}`;
  if (qualifier.startsWith('alias:')) return `alias ${qualifier.slice('alias:'.length)}`;
  return /^\d+$/.test(qualifier) ? `version ${qualifier}` : `alias ${qualifier}`;
}
