import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { AuditUnit, PathAcknowledgement, StackInput } from './model';
import { InputError, notATemplate } from './template-source';

/** What the paths on the command line expand to. */
export interface Inputs {
  readonly units: AuditUnit[];
  /** Files of a scanned folder that were left out, with the reason (never an explicitly named file). */
  readonly skipped: string[];
}

const TEMPLATE_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/**
 * Expands command-line paths into audit units.
 *
 * | path                                   | units                                                  |
 * | -------------------------------------- | ------------------------------------------------------ |
 * | a template file                        | one unit, the file (explicit: must be a template)      |
 * | a cloud assembly (folder with manifest.json, or the manifest) | one unit: every stack, nested assemblies and nested stacks |
 * | another folder                         | walked: each template file one unit, each assembly one |
 * | missing                                | InputError                                             |
 */
export function expandInputs(paths: readonly string[], cwd: string): Inputs {
  const units: AuditUnit[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const display = (file: string): string => {
    const rel = path.relative(cwd, file);
    return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel || '.').split(path.sep).join('/');
  };
  const addTemplate = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    units.push({ label: display(file), stacks: [{ file, display: display(file), nested: {} }], acknowledgements: [] });
  };
  const addAssembly = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    units.push(readAssembly(dir, display, seen));
  };
  const walk = (dir: string): void => {
    if (existsSync(path.join(dir, 'manifest.json'))) { addAssembly(dir); return; }
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (e) {
      throw new InputError(display(dir), `cannot read the folder (${(e as NodeJS.ErrnoException).code})`);
    }
    for (const name of entries) {
      const file = path.join(dir, name);
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(name)) walk(file);
      } else if (TEMPLATE_EXTENSIONS.has(path.extname(name).toLowerCase())) {
        const reason = looksLikeTemplate(file);
        if (reason) skipped.push(`${display(file)}: ${reason}`); else addTemplate(file);
      }
    }
  };
  for (const arg of paths) {
    const file = path.resolve(cwd, arg);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) throw new InputError(arg, 'no such file or directory');
    if (stat.isDirectory()) walk(file);
    else if (path.basename(file) === 'manifest.json') addAssembly(path.dirname(file));
    else addTemplate(file);
  }
  return { units, skipped };
}

/**
 * A cheap look at a file of a scanned folder: JSON is parsed and checked; YAML must have a
 * top-level `Resources:` key (it is parsed in full when audited).
 */
function looksLikeTemplate(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return `cannot read the file (${(e as NodeJS.ErrnoException).code})`;
  }
  if (/^\s*[{[]/.test(text)) {
    try {
      const problem = notATemplate(JSON.parse(text));
      return problem ? `not a CloudFormation template (${problem})` : undefined;
    } catch {
      // JSON with comments or tabs, or a YAML flow mapping: the YAML check decides
    }
  }
  return /^["']?Resources["']?\s*:/m.test(text) ? undefined : 'not a CloudFormation template (it has no Resources section)';
}

type MetadataEntries = Record<string, Array<{ type?: string; data?: unknown }>>;

interface ManifestArtifact {
  readonly type?: string;
  readonly additionalMetadataFile?: string;
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string; readonly file?: string };
  readonly metadata?: MetadataEntries;
}

/** Every stack of a cloud assembly and of its nested assemblies, with nested stacks and acknowledgements. */
function readAssembly(root: string, display: (file: string) => string, seen: Set<string>): AuditUnit {
  const stacks: StackInput[] = [];
  const acknowledgements: PathAcknowledgement[] = [];
  const visit = (dir: string): void => {
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = readJson(manifestFile, display(manifestFile)) as { artifacts?: Record<string, ManifestArtifact> };
    if (typeof manifest !== 'object' || manifest === null || typeof manifest.artifacts !== 'object') {
      throw new InputError(display(manifestFile), 'not a cloud assembly manifest (no artifacts)');
    }
    const templateAssets = new Map<string, string>();
    for (const artifact of Object.values(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:asset-manifest' && artifact.properties?.file) {
        const assets = readJson(path.join(dir, artifact.properties.file), display(path.join(dir, artifact.properties.file))) as
          { files?: Record<string, { source?: { path?: string } }> };
        for (const [hash, asset] of Object.entries(assets?.files ?? {})) {
          if (asset?.source?.path?.endsWith('.template.json')) templateAssets.set(hash, asset.source.path);
        }
      }
    }
    for (const artifact of Object.values(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        const nestedDir = path.join(dir, artifact.properties.directoryName);
        seen.add(nestedDir);
        visit(nestedDir);
      } else if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
        const file = path.join(dir, artifact.properties.templateFile);
        seen.add(file);
        const stack = stackOf(file, dir, templateAssets, display, seen, []);
        stacks.push(stack);
        const metadata: MetadataEntries = { ...artifact.metadata };
        if (artifact.additionalMetadataFile) {
          const extra = path.join(dir, artifact.additionalMetadataFile);
          Object.assign(metadata, readJson(extra, display(extra)));
        }
        assignPaths(stack, metadata);
        for (const [constructPath, entries] of Object.entries(metadata)) {
          for (const entry of entries ?? []) {
            if (entry.type !== 'aws:cdk:acknowledged-rules' || typeof entry.data !== 'object' || entry.data === null) continue;
            for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
              acknowledgements.push({ path: constructPath.replace(/^\//, ''), id, reason: String(reason) });
            }
          }
        }
      }
    }
  };
  visit(root);
  return { label: display(root), stacks, acknowledgements };
}

/**
 * Records the construct path of each resource of `stack` and of its nested stacks, from the
 * `aws:cdk:logicalId` entries of the stack's metadata: a path belongs to the deepest nested stack
 * whose scope (`/P/Data` of `/P/Data.NestedStack/Data.NestedStackResource`) is its prefix.
 */
function assignPaths(stack: StackInput, metadata: MetadataEntries): void {
  const logicalIds: Array<[string, string]> = [];
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries ?? []) {
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') logicalIds.push([constructPath, entry.data]);
    }
  }
  const scopes: Array<[string, StackInput]> = [];
  const addScopes = (input: StackInput): void => {
    for (const [logicalId, nested] of Object.entries(input.nested)) {
      const resourcePath = logicalIds.find(([p, id]) => id === logicalId && p.endsWith('.NestedStackResource'))?.[0];
      if (resourcePath) scopes.push([resourcePath.replace(/\.NestedStack\/[^/]*$/, ''), nested]);
      addScopes(nested);
    }
  };
  addScopes(stack);
  scopes.sort((a, b) => b[0].length - a[0].length);
  for (const [constructPath, logicalId] of logicalIds) {
    const owner = scopes.find(([scope]) => constructPath.startsWith(`${scope}/`))?.[1] ?? stack;
    (owner.paths as Record<string, string>)[logicalId] = constructPath.replace(/^\//, '');
  }
}

/**
 * A stack template of an assembly and its nested stack templates: the file an
 * AWS::CloudFormation::Stack's `aws:asset:path` metadata names (the CDK CLI writes it), or else
 * the template asset whose hash its TemplateURL holds (the asset manifest maps hashes to files).
 */
function stackOf(file: string, dir: string, templateAssets: Map<string, string>, display: (file: string) => string,
  seen: Set<string>, chain: string[]): StackInput {
  if (chain.includes(file)) throw new InputError(display(file), 'nested stacks include each other');
  const template = readJson(file, display(file)) as { Resources?: Record<string, { Type?: string; Metadata?: Record<string, unknown> }> };
  const nested: Record<string, StackInput> = {};
  for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
    if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
    const metadataPath = resource.Metadata?.['aws:asset:path'];
    let asset = typeof metadataPath === 'string' && metadataPath.endsWith('.json') ? metadataPath : undefined;
    if (!asset) {
      const url = JSON.stringify((resource as { Properties?: { TemplateURL?: unknown } }).Properties?.TemplateURL ?? '');
      asset = [...templateAssets].find(([hash]) => url.includes(hash))?.[1];
    }
    const nestedFile = asset === undefined ? undefined : path.join(dir, asset);
    if (!nestedFile || !existsSync(nestedFile)) continue;
    seen.add(nestedFile);
    nested[logicalId] = stackOf(nestedFile, dir, templateAssets, display, seen, [...chain, file]);
  }
  return { file, display: display(file), nested, paths: {} };
}

function readJson(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(shown, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(shown, `invalid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}
