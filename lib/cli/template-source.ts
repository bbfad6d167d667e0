import { readFileSync } from 'fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Document } from 'yaml';

/** A position in a source file, 1-based like editors and SARIF. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Where a resource, and each of its top-level properties, is written in its source file. */
export interface ResourceLocation {
  readonly resource: SourcePosition;
  readonly properties: Readonly<Record<string, SourcePosition>>;
}

/** A CloudFormation template read from a file, with the positions of its resources. */
export interface TemplateSource {
  readonly file: string;
  readonly template: Record<string, any>;
  readonly locations: Readonly<Record<string, ResourceLocation>>;
}

/** A file that cannot be audited; `message` is one line naming the reason. */
export class InputError extends Error {
  constructor(public readonly file: string, public readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'InputError';
  }
}

/**
 * Parses a JSON or YAML template with positions (JSON is YAML). CloudFormation short-form tags
 * (`!Ref`, `!Sub`, `!GetAtt a.b`, `!If` ...) become their long form (`{ Ref }`, `{ 'Fn::Sub' }` ...).
 *
 * | content                               | result                        |
 * | ------------------------------------- | ----------------------------- |
 * | unreadable file                       | InputError (the OS reason)    |
 * | YAML/JSON syntax error                | InputError (line:column)      |
 * | not a mapping, or no Resources map    | InputError (not a template)   |
 * | a resource without a string Type      | InputError (names the id)     |
 */
export function readTemplate(file: string, display: string = file): TemplateSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(display, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTemplate(text, display);
}

/** `readTemplate` on text already read. */
export function parseTemplate(text: string, display: string): TemplateSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, strict: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = lineCounter.linePos(e.pos[0]);
    throw new InputError(display, `invalid YAML/JSON at line ${at.line}, column ${at.col}: ${firstLine(e.message)}`);
  }
  const template = toValue(doc.contents, doc);
  const problem = notATemplate(template);
  if (problem) throw new InputError(display, `not a CloudFormation template (${problem})`);
  return { file: display, template: template as Record<string, any>, locations: locate(doc, lineCounter) };
}

/** Why a parsed value is not a template, or undefined when it is one. */
export function notATemplate(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the document is not a mapping';
  const resources = value.Resources;
  if (!isRecord(resources)) {
    return 'it has no Resources section';
  }
  for (const [id, body] of Object.entries(resources)) {
    if (!isRecord(body) || typeof body.Type !== 'string') return `resource ${id} has no Type`;
  }
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The long form of a short-form tag: `!Ref` → `Ref`, `!Condition` → `Condition`, `!Sub` → `Fn::Sub`. */
function intrinsicName(tag: string): string | undefined {
  if (!tag.startsWith('!') || tag.startsWith('!!')) return undefined;
  const name = tag.slice(1);
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

function toValue(node: unknown, doc: Document): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toValue(node.resolve(doc), doc);
  let value: unknown;
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(toValue(pair.key, doc));
      obj[key] = toValue(pair.value, doc);
    }
    value = obj;
  } else if (isSeq(node)) {
    value = node.items.map((item) => toValue(item, doc));
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    return null;
  }
  const tag = (node as Node).tag;
  const fn = tag ? intrinsicName(tag) : undefined;
  if (!fn) return value;
  if (fn === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [fn]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [fn]: value };
}

function position(node: Node | undefined, end: Node | undefined, lc: LineCounter): SourcePosition | undefined {
  const range = node?.range;
  if (!range) return undefined;
  const start = lc.linePos(range[0]);
  const stop = lc.linePos((end?.range ?? range)[1]);
  return { line: start.line, column: start.col, endLine: stop.line, endColumn: stop.col };
}

/** The positions of `Resources.<id>` keys and of `Resources.<id>.Properties.<name>` keys. */
function locate(doc: Document, lc: LineCounter): Record<string, ResourceLocation> {
  const out: Record<string, ResourceLocation> = {};
  const root = doc.contents;
  if (!isMap(root)) return out;
  const resources = root.items.find((p) => isScalar(p.key) && p.key.value === 'Resources')?.value;
  if (!isMap(resources)) return out;
  for (const pair of resources.items) {
    if (!isScalar(pair.key)) continue;
    const resource = position(pair.key as Node, pair.key as Node, lc);
    if (!resource) continue;
    const properties: Record<string, SourcePosition> = {};
    const body = pair.value;
    if (isMap(body)) {
      for (const section of body.items) {
        if (!isScalar(section.key)) continue;
        if (section.key.value === 'Properties' && isMap(section.value)) {
          for (const prop of section.value.items) {
            const at = isScalar(prop.key) ? position(prop.key as Node, prop.key as Node, lc) : undefined;
            if (at) properties[String((prop.key as { value: unknown }).value)] = at;
          }
        }
      }
    }
    out[String(pair.key.value)] = { resource, properties };
  }
  return out;
}
