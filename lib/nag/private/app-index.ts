import * as fs from 'fs';
import * as path from 'path';
import { CfnOutput, CfnResource, NestedStack, Stack, Stage, TagManager, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { asArray, CfnValue, describeValue, isIntrinsic, normalizeParts, Part, renderParts } from './cfn-values';
import { Outcome } from './rule';
import { PrivacyClassification } from '../../classification/privacy-classification';
import { PrivacyTagKeys } from '../../classification/privacy-tag-keys';

/** A fideslang-style category key (`user.contact.email`): what `privacy:categories` holds, space-separated. */
export const CATEGORY_KEY = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

/** Where a value points: a resource of the app, a literal, a pseudo parameter, or something unknown at synth. */
export type Target =
  | { readonly kind: 'resource'; readonly resource: CfnResource; readonly attr: string }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'pseudo'; readonly name: string }
  | { readonly kind: 'unknown'; readonly what: string };

/** The organization-trail declarations, read through a marker so the index does not import the construct. */
export const ORG_TRAIL_COVERAGE_MARKER = Symbol.for('cdk-ccpa.OrganizationTrailCoverage');

/** What an OrganizationTrailCoverage declares for its subtree. */
export interface DeclaredCoverage {
  readonly s3: boolean;
  readonly dynamoDb: boolean;
}

interface StackTable {
  readonly stack: Stack;
  readonly byLogicalId: Map<string, CfnResource>;
}

/**
 * An L1's logical id: what resolving its `logicalId` token computes (the override, else the stack's
 * allocation with renames), asked directly, which skips the token machinery (a tenth of a run at
 * 10,000 resources); the token is resolved when this aws-cdk-lib has no such method.
 */
function logicalIdOf(c: CfnResource, stack: Stack): string {
  const synthesize = (c as unknown as { _synthesizeLogicalId?: () => unknown })._synthesizeLogicalId;
  const id = typeof synthesize === 'function' ? synthesize.call(c) : undefined;
  return typeof id === 'string' ? id : stack.resolve(c.logicalId) as string;
}

/**
 * Everything CcpaChecks needs to know about the whole app, built ONCE per validation run
 * (the pack stays linear in resources). The constructor walks the construct
 * tree once; every other index is computed lazily, on first use, in one pass over the resources
 * of the types it needs, and cached.
 *
 * Properties are read as CloudFormation renders them (`_toCloudFormation`, then `Stack.resolve`),
 * so property overrides and escape hatches are seen exactly as they will be deployed.
 */
export class AppIndex {
  /** Build the index for the app that contains `scope`. */
  public static build(scope: IConstruct): AppIndex {
    return new AppIndex(scope.node.root);
  }

  private readonly tables = new Map<Stack, StackTable>();
  private readonly logicalIds = new Map<CfnResource, string>();
  private readonly byType = new Map<string, CfnResource[]>();
  private readonly outputs: { stack: Stack; output: CfnOutput }[] = [];
  private readonly outputsByStack = new Map<Stack, Map<string, CfnValue>>();
  private exportTable?: Map<string, { stack: Stack; value: CfnValue }>;
  private readonly nestedByResource = new Map<CfnResource, NestedStack>();
  private readonly tagCache = new Map<CfnResource, Record<string, string>>();
  private unknowns: string[] = [];
  private notes: string[] = [];
  private readonly declarations = new Map<IConstruct, DeclaredCoverage>();
  private readonly renderedProps = new Map<CfnResource, CfnValue>();
  private readonly lazy = new Map<string, unknown>();
  private readonly templates = new Map<Stack, CfnValue | undefined>();

  private constructor(root: IConstruct) {
    const visit = (c: IConstruct): void => {
      if (CfnResource.isCfnResource(c)) {
        const stack = Stack.of(c);
        const logicalId = logicalIdOf(c, stack);
        this.table(stack).byLogicalId.set(logicalId, c);
        this.logicalIds.set(c, logicalId);
        const list = this.byType.get(c.cfnResourceType);
        if (list) list.push(c); else this.byType.set(c.cfnResourceType, [c]);
      } else if (c instanceof CfnOutput) {
        this.outputs.push({ stack: Stack.of(c), output: c });
      } else {
        const declared = (c as unknown as Record<symbol, DeclaredCoverage | undefined>)[ORG_TRAIL_COVERAGE_MARKER];
        if (declared) this.declarations.set(c.node.scope ?? c, declared);
      }
      if (Stack.isStack(c) && NestedStack.isNestedStack(c) && c.nestedStackResource) this.nestedByResource.set(c.nestedStackResource, c);
      for (const child of c.node.children) visit(child);
    };
    visit(root);
  }

  /**
   * Records that the rule being evaluated cannot verify a property (named as in the template)
   * because of its value, and returns CANNOT_VERIFY: the finding names both.
   */
  public unknown(property: string, value: CfnValue): Outcome {
    this.unknowns.push(`${property} = ${describeValue(value)}`);
    return Outcome.CANNOT_VERIFY;
  }

  /**
   * Whether any of the named values is an intrinsic (a token at synth); records each as `unknown`
   * does. `{ 'BucketEncryption': v, 'BucketEncryption.X': v?.X }`.
   */
  public anyUnknown(values: Record<string, CfnValue>): boolean {
    let found = false;
    for (const [property, value] of Object.entries(values)) {
      if (isIntrinsic(value)) {
        this.unknown(property, value);
        found = true;
      }
    }
    return found;
  }

  /** Records what a rule found (named in its finding: `Found: ...`). */
  public note(text: string): void {
    this.notes.push(text);
  }

  /** The notes recorded since the last call (the pack calls it around each rule). */
  public takeNotes(): string[] {
    const out = this.notes;
    this.notes = [];
    return out;
  }

  /** The unknowns recorded since the last call (the pack calls it around each rule). */
  public takeUnknowns(): string[] {
    const out = this.unknowns;
    this.unknowns = [];
    return out;
  }

  /** Resources of one CloudFormation type, in tree order. */
  public resourcesOfType(type: string): readonly CfnResource[] {
    return this.byType.get(type) ?? [];
  }

  /** Every L1 resource of the app. */
  public allResources(): CfnResource[] {
    return [...this.logicalIds.keys()];
  }

  /** The logical id of an L1. */
  public logicalId(node: CfnResource): string {
    return this.logicalIds.get(node) ?? logicalIdOf(node, Stack.of(node));
  }

  /**
   * The resource's `Properties` as deployed (overrides applied, tokens resolved); `{}` when it has
   * none. Read from the stack's synthesized template when synthesis wrote it (what `cdk synth`
   * hands to validation plugins, and parsing it is far cheaper than rendering each resource
   * again); rendered from the construct (`_toCloudFormation`, `Stack.resolve`) otherwise.
   */
  public props(node: CfnResource): CfnValue {
    let props = this.renderedProps.get(node);
    if (props === undefined) {
      const fromTemplate = this.template(Stack.of(node))?.Resources?.[this.logicalId(node)];
      if (fromTemplate && fromTemplate.Type === node.cfnResourceType) {
        props = fromTemplate.Properties ?? {};
        this.renderedProps.set(node, props);
        return props;
      }
      const render = (node as unknown as { _toCloudFormation?: () => CfnValue })._toCloudFormation;
      if (typeof render !== 'function') {
        throw new Error('CcpaChecks: CfnResource._toCloudFormation is missing in this aws-cdk-lib version');
      }
      const stack = Stack.of(node);
      const template = stack.resolve(render.call(node));
      const resources = template?.Resources ?? {};
      const body = resources[this.logicalId(node)] ?? Object.values(resources)[0] ?? {};
      props = body.Properties ?? {};
      this.renderedProps.set(node, props);
    }
    return props;
  }

  /**
   * The resource's tags: those written in its `Tags` property (a raw `CfnResource`, a template
   * read with `CfnInclude`: `[{ Key, Value }]` or a map of strings), overridden by the tag
   * manager's (after synthesis prepared them).
   */
  public tags(node: CfnResource): Record<string, string> {
    let tags = this.tagCache.get(node);
    if (!tags) {
      tags = {};
      const written = this.props(node).Tags;
      if (Array.isArray(written)) {
        for (const t of written) if (typeof t?.Key === 'string' && typeof t?.Value === 'string') tags[t.Key] = t.Value;
      } else if (written && typeof written === 'object' && !isIntrinsic(written)) {
        for (const [k, v] of Object.entries(written)) if (typeof v === 'string') tags[k] = v;
      }
      Object.assign(tags, TagManager.of(node)?.tagValues() ?? {});
      if (node.cfnResourceType === 'AWS::DynamoDB::GlobalTable') Object.assign(tags, this.replicaTags(node));
      this.tagCache.set(node, tags);
    }
    return tags;
  }

  /**
   * The tags every replica of a global table (TableV2) carries with the same value: TableV2 writes
   * `Tags.of` tags into `Replicas[].Tags`, and a tag one replica lacks does not apply to the table.
   */
  private replicaTags(node: CfnResource): Record<string, string> {
    const replicas = asArray(this.props(node).Replicas).filter((r) => r && typeof r === 'object');
    if (replicas.length === 0) return {};
    const per = replicas.map((r) => {
      const out: Record<string, string> = {};
      for (const t of asArray(r.Tags)) if (typeof t?.Key === 'string' && typeof t?.Value === 'string') out[t.Key] = t.Value;
      return out;
    });
    return Object.fromEntries(Object.entries(per[0]).filter(([k, v]) => per.every((p) => p[k] === v)));
  }

  /**
   * The privacy classification (fail closed: untagged is personal): the resource's own tags
   * (`tags`), else the nearest `PrivacyClassification.apply` above it. Category keys that are not
   * fideslang-style keys are left out (PrivacyTagsValid reports them).
   */
  public classification(node: CfnResource): PrivacyClassification {
    const tags = { ...this.tags(node) };
    const categories = tags[PrivacyTagKeys.DATA_CATEGORIES];
    if (categories !== undefined) {
      tags[PrivacyTagKeys.DATA_CATEGORIES] = categories.split(/\s+/).filter((k) => CATEGORY_KEY.test(k)).join(' ');
    }
    const own = PrivacyClassification.fromTags(tags);
    if (own.declared || !node.node.scope) return own;
    const applied = PrivacyClassification.of(node.node.scope);
    return applied.declared ? applied : own;
  }

  /** True unless the resource is explicitly `privacy:classification=non-personal`. */
  public inScope(node: CfnResource): boolean {
    return this.classification(node).inScope;
  }

  /** Whether the resource itself carries `privacy:workflow=dsr`. */
  public taggedDsr(node: CfnResource): boolean {
    return this.tags(node)[PrivacyTagKeys.WORKFLOW] === PrivacyTagKeys.WORKFLOW_DSR;
  }

  /**
   * Whether the resource carries a privacy workflow tag whose grants cross tenants by design:
   * `privacy:workflow=dsr` (a data subject request reaches the subject in whichever tenant) or
   * `privacy:workflow=backup` (a backup copies the whole store). Pooled stores exempt both from
   * their tenant statements.
   */
  public taggedCrossTenantWorkflow(node: CfnResource): boolean {
    const workflow = this.tags(node)[PrivacyTagKeys.WORKFLOW];
    return workflow === PrivacyTagKeys.WORKFLOW_DSR || workflow === PrivacyTagKeys.WORKFLOW_BACKUP;
  }

  /**
   * Whether a compute resource executes data subject requests: it, or the role it runs as
   * (`Role` / `RoleArn`), carries `privacy:workflow=dsr`.
   */
  public isDsrWorkload(node: CfnResource): boolean {
    if (this.taggedDsr(node)) return true;
    const props = this.props(node);
    const role = this.target(props.Role ?? props.RoleArn, node);
    return role.kind === 'resource' && role.resource.cfnResourceType === 'AWS::IAM::Role' && this.taggedDsr(role.resource);
  }

  /**
   * What a resolved value points to, seen from `from`'s stack: `Ref`/`Fn::GetAtt` to a resource
   * (following `Fn::ImportValue` to the exporting stack), a literal string, a pseudo parameter,
   * or unknown (parameters, unmapped imports, other intrinsics).
   */
  public target(value: CfnValue, from: CfnResource | Stack): Target {
    return this.targetIn(value, Stack.isStack(from) ? from : Stack.of(from), 0);
  }

  /** Every resource of the app referenced anywhere inside a resolved value. */
  public referencedResources(value: CfnValue, from: CfnResource): CfnResource[] {
    const out: CfnResource[] = [];
    const stack = Stack.of(from);
    const walk = (v: CfnValue): void => {
      if (v === null || typeof v !== 'object') return;
      if (isIntrinsic(v) && ('Ref' in v || 'Fn::GetAtt' in v || 'Fn::ImportValue' in v)) {
        const t = this.targetIn(v, stack, 0);
        if (t.kind === 'resource') out.push(t.resource);
        return;
      }
      for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child);
    };
    walk(value);
    return out;
  }

  /** A string-valued expression as parts (text, resource references, pseudo parameters, unknowns). */
  public parts(value: CfnValue, from: CfnResource | Stack): Part[] {
    return normalizeParts(this.partsIn(value, Stack.isStack(from) ? from : Stack.of(from), 0));
  }

  /** A string-valued expression rendered by `renderParts` (`{{Logical.Attr}}` for references). */
  public render(value: CfnValue, from: CfnResource | Stack): string {
    return renderParts(this.parts(value, from));
  }

  /** The resource a reference part points to. */
  public resourceOf(part: Part): CfnResource | undefined {
    if (part.kind !== 'ref') return undefined;
    return this.table(part.stackKey as Stack).byLogicalId.get(part.logicalId);
  }

  /** The organization-trail coverage declared on the resource or an ancestor, if any. */
  public declaredCoverage(node: IConstruct): DeclaredCoverage | undefined {
    if (this.declarations.size === 0) return undefined;
    for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
      const d = this.declarations.get(c);
      if (d) return d;
    }
    return undefined;
  }

  /** A lazily computed, cached index: `compute` runs once per run. */
  public memo<T>(key: string, compute: () => T): T {
    if (!this.lazy.has(key)) this.lazy.set(key, compute());
    return this.lazy.get(key) as T;
  }

  /** The stack's synthesized template, if synthesis wrote one into the cloud assembly. */
  private template(stack: Stack): CfnValue | undefined {
    if (!this.templates.has(stack)) {
      let template: CfnValue | undefined;
      try {
        const outdir = Stage.of(stack)?.outdir;
        const file = outdir ? path.join(outdir, stack.templateFile) : undefined;
        template = file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
      } catch {
        template = undefined;
      }
      this.templates.set(stack, template);
    }
    return this.templates.get(stack);
  }

  private table(stack: Stack): StackTable {
    let t = this.tables.get(stack);
    if (!t) {
      t = { stack, byLogicalId: new Map() };
      this.tables.set(stack, t);
    }
    return t;
  }

  /**
   * The value a reference stands for when it crosses a stack boundary inside the app: a `Ref` to a
   * parameter of a nested stack (the value its parent passes), `Fn::GetAtt <nested stack>.Outputs.X`
   * (the nested stack's output), `Fn::ImportValue` of an export of the app (by literal name, or a
   * name built from the exporting stack's name, region and account).
   */
  private follow(value: CfnValue, stack: Stack): { value: CfnValue; stack: Stack } | undefined {
    if (typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::') && !this.table(stack).byLogicalId.has(value.Ref)
      && NestedStack.isNestedStack(stack) && stack.nestedStackResource) {
      const parent = Stack.of(stack.nestedStackResource);
      const passed = this.props(stack.nestedStackResource).Parameters?.[value.Ref];
      return passed === undefined ? undefined : { value: passed, stack: parent };
    }
    const getAtt = value['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const [id, attr] = Array.isArray(getAtt) ? getAtt : String(getAtt).split('.', 2);
      const resource = typeof id === 'string' ? this.table(stack).byLogicalId.get(id) : undefined;
      const nested = resource ? this.nestedByResource.get(resource) : undefined;
      if (nested && typeof attr === 'string' && attr.startsWith('Outputs.')) {
        const output = this.outputsOf(nested).get(attr.slice('Outputs.'.length));
        return output === undefined ? undefined : { value: output, stack: nested };
      }
      return undefined;
    }
    const imported = value['Fn::ImportValue'];
    if (imported !== undefined) {
      const name = this.exportName(imported, stack);
      const exported = name === undefined ? undefined : this.exports().get(name);
      return exported ? { value: exported.value, stack: exported.stack } : undefined;
    }
    return undefined;
  }

  /** The outputs of a stack by logical id. */
  private outputsOf(stack: Stack): Map<string, CfnValue> {
    let outputs = this.outputsByStack.get(stack);
    if (!outputs) {
      outputs = new Map();
      for (const o of this.outputs) if (o.stack === stack) outputs.set(stack.resolve(o.output.logicalId), stack.resolve(o.output.value));
      this.outputsByStack.set(stack, outputs);
    }
    return outputs;
  }

  /** Every export of the app by name, built on first use. */
  private exports(): Map<string, { stack: Stack; value: CfnValue }> {
    if (!this.exportTable) {
      this.exportTable = new Map();
      for (const { stack, output } of this.outputs) {
        if (output.exportName === undefined) continue;
        const name = this.exportName(stack.resolve(output.exportName), stack);
        if (name !== undefined) this.exportTable.set(name, { stack, value: stack.resolve(output.value) });
      }
    }
    return this.exportTable;
  }

  /** An export or import name as text: literal, or built from the stack's own name, region and account when they are known. */
  private exportName(value: CfnValue, stack: Stack): string | undefined {
    if (typeof value === 'string') return value;
    const known: Record<string, string | undefined> = {
      'AWS::StackName': stack.stackName, 'AWS::Region': stack.region, 'AWS::AccountId': stack.account, 'AWS::Partition': 'aws',
    };
    let out = '';
    for (const p of normalizeParts(this.partsIn(value, stack, 3))) {
      if (p.kind === 'text') out += p.text;
      else if (p.kind === 'pseudo' && known[p.name] !== undefined && !Token.isUnresolved(known[p.name])) out += known[p.name];
      else return undefined;
    }
    return out;
  }

  private targetIn(value: CfnValue, stack: Stack, depth: number): Target {
    if (value === undefined || value === null) return { kind: 'unknown', what: 'absent' };
    if (typeof value === 'string') return { kind: 'literal', value };
    if (typeof value !== 'object' || depth > 5) return { kind: 'unknown', what: JSON.stringify(value) };
    const followed = Array.isArray(value) ? undefined : this.follow(value, stack);
    if (followed) return this.targetIn(followed.value, followed.stack, depth + 1);
    if (typeof value.Ref === 'string') {
      if (value.Ref.startsWith('AWS::')) return { kind: 'pseudo', name: value.Ref };
      const resource = this.table(stack).byLogicalId.get(value.Ref);
      return resource ? { kind: 'resource', resource, attr: 'Ref' } : { kind: 'unknown', what: `Ref ${value.Ref}` };
    }
    const getAtt = value['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const [id, attr] = Array.isArray(getAtt) ? getAtt : String(getAtt).split('.', 2);
      const resource = typeof id === 'string' ? this.table(stack).byLogicalId.get(id) : undefined;
      return resource ? { kind: 'resource', resource, attr: String(attr) } : { kind: 'unknown', what: `GetAtt ${id}` };
    }
    if (value['Fn::ImportValue'] !== undefined) return { kind: 'unknown', what: describeValue(value) };
    const parts = normalizeParts(this.partsIn(value, stack, depth));
    if (parts.length === 1 && parts[0].kind === 'ref') {
      const resource = this.resourceOf(parts[0]);
      if (resource) return { kind: 'resource', resource, attr: parts[0].attr };
    }
    if (parts.every((p) => p.kind === 'text' || p.kind === 'pseudo')) {
      return { kind: 'literal', value: renderParts(parts) };
    }
    return { kind: 'unknown', what: renderParts(parts) };
  }

  private partsIn(value: CfnValue, stack: Stack, depth: number): Part[] {
    if (value === undefined || value === null) return [{ kind: 'unknown', what: 'absent' }];
    if (typeof value === 'string') return [{ kind: 'text', text: value }];
    if (typeof value === 'number' || typeof value === 'boolean') return [{ kind: 'text', text: String(value) }];
    if (typeof value !== 'object' || Array.isArray(value) || depth > 5) return [{ kind: 'unknown', what: 'not a string' }];
    const followed = this.follow(value, stack);
    if (followed) return this.partsIn(followed.value, followed.stack, depth + 1);
    if (typeof value.Ref === 'string' || value['Fn::GetAtt'] !== undefined) {
      const t = this.targetIn(value, stack, depth);
      if (t.kind === 'resource') return [{ kind: 'ref', logicalId: this.logicalId(t.resource), attr: t.attr, stackKey: Stack.of(t.resource) }];
      if (t.kind === 'pseudo') return [{ kind: 'pseudo', name: t.name }];
      return [{ kind: 'unknown', what: t.kind === 'unknown' ? t.what : 'literal' }];
    }
    if (value['Fn::ImportValue'] !== undefined) return [{ kind: 'unknown', what: describeValue(value) }];
    const join = value['Fn::Join'];
    if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const out: Part[] = [];
      join[1].forEach((item: CfnValue, i: number) => {
        if (i > 0 && join[0] !== '') out.push({ kind: 'text', text: join[0] });
        out.push(...this.partsIn(item, stack, depth + 1));
      });
      return out;
    }
    const sub = value['Fn::Sub'];
    if (sub !== undefined) {
      const [template, vars] = Array.isArray(sub) ? sub : [sub, {}];
      if (typeof template !== 'string') return [{ kind: 'unknown', what: 'Fn::Sub' }];
      const out: Part[] = [];
      let last = 0;
      for (const m of template.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        out.push({ kind: 'text', text: template.slice(last, m.index) });
        const name = m[1];
        if (vars && typeof vars === 'object' && name in vars) {
          out.push(...this.partsIn(vars[name], stack, depth + 1));
        } else if (name.startsWith('AWS::')) {
          out.push({ kind: 'pseudo', name });
        } else if (name.includes('.')) {
          const [id, attr] = name.split('.', 2);
          out.push(...this.partsIn({ 'Fn::GetAtt': [id, attr] }, stack, depth + 1));
        } else if (name.includes(':')) {
          // an IAM policy variable such as ${aws:PrincipalTag/tenant}, kept as text
          out.push({ kind: 'text', text: m[0] });
        } else {
          out.push(...this.partsIn({ Ref: name }, stack, depth + 1));
        }
        last = (m.index ?? 0) + m[0].length;
      }
      out.push({ kind: 'text', text: template.slice(last).replace(/\$\{!/g, '${') });
      return out;
    }
    return [{ kind: 'unknown', what: describeValue(value) }];
  }
}

