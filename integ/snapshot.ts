/**
 * Integ snapshot tool: the `integ:verify` and `integ:update` tasks.
 *
 *   ts-node --project test/tsconfig.json --transpile-only integ/snapshot.ts --verify [--keep] [integ/integ.x.ts ...]
 *   ts-node --project test/tsconfig.json --transpile-only integ/snapshot.ts --update [integ/integ.x.ts ...]
 *
 * Why it exists: `@aws-cdk/integ-runner` 2.197.x cannot read assemblies from aws-cdk-lib >= 2.258
 * (DESIGN.md section 9), so this replaces integ-runner's snapshot step (not its deploy step: there is
 * no AWS account here).
 *
 * What it does, per `integ/integ.<name>.ts` (synthesized in parallel, one child process per file):
 *  1. Synthesizes the app the way integ-runner's snapshot step does (`synthFast`): it runs the file with
 *     `CDK_OUTDIR` set to a temp folder and `CDK_CONTEXT_JSON` holding the currently recommended
 *     feature flags of the installed aws-cdk-lib (integ-runner passes its copy of the same list), with
 *     path metadata, asset metadata and version reporting off, and integ-runner's dummy
 *     `CDK_INTEG_*` environment. That is all `cdk synth` does for an env-agnostic app as well; the CLI
 *     only adds start-up time (measured ~0.8 s per file) and a dependency on aws-cdk >= 2.1144
 *     (assembly schema 54), so the app is run directly.
 *  2. Normalizes the assembly ({@link normalizeAssembly}) into the files that are committed in
 *     `integ/integ.<name>.ts.snapshot/` (integ-runner's naming: `${basename}.snapshot`).
 *  3. `--verify`: compares file by file, JSON path by JSON path ({@link compareSnapshots}) and exits 1
 *     on any difference, on a missing snapshot and on a snapshot folder without an integ file.
 *     `--update`: rewrites the snapshot folders (and deletes orphaned ones).
 *
 * What the snapshot keeps (as integ-runner does): `manifest.json`, `integ.json`, `cdk.out`, and for
 * each test-case stack its template, nested templates, asset manifest and metadata file.
 * What it leaves out, and why:
 *  - of the DeployAssert (assertion) stacks named in `integ.json`, everything but the template:
 *    their custom resources carry `salt: Date.now()`, so their asset manifest, metadata and manifest
 *    entries change on every synth. The template is kept with each `salt` masked
 *    ({@link maskSalts}), so the assertions (API calls and expected results) are pinned too. integ-runner snapshots them but
 *    never diffs them.
 *  - asset payloads (`asset.*` files and folders): copies of code already in the repository (the
 *    assertion handler alone is a 2 MB bundle); integ-runner keeps them only to deploy the old
 *    snapshot in its update workflow. Their content hashes stay pinned in the templates and
 *    asset manifests, so a changed asset still fails `--verify`.
 *  - `tree.json` (and its fragments, and the `cdk:tree` artifact): a derived view of the construct
 *    tree that repeats the templates and includes the assertion stacks; integ-runner never diffs it.
 *  - stack traces (`aws:cdk:creationStack` entries, `trace` fields): absolute paths of this machine
 *    (integ-runner's `cleanManifest` strips them too). Synthesis also runs with
 *    `CDK_DISABLE_STACK_TRACE=1`, which makes it faster.
 *
 * The comparison is strict (asset hashes included; integ-runner's default `diffAssets: false` ignores
 * them), because a changed Lambda bundle is a change to what would be deployed.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Relative file name (inside an assembly or snapshot folder) to file content. */
export type FileMap = Record<string, string>;

/** One difference between a committed snapshot (expected) and a fresh synthesis (actual). */
export interface SnapshotDifference {
  /** File name relative to the snapshot folder. */
  readonly file: string;
  /**
   * `added`: produced by synthesis, not in the snapshot; `removed`: in the snapshot, no longer produced;
   * `changed`: the value at `jsonPath` (or the whole text of a non-JSON file) differs.
   */
  readonly kind: 'added' | 'removed' | 'changed';
  /** JSON path inside the file (e.g. `Resources.Key961B73FD.Properties.EnableKeyRotation`); `''` is the root. */
  readonly jsonPath?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

// ---------------------------------------------------------------------------
// Pure logic (unit-tested in test/integ/snapshot.test.ts)
// ---------------------------------------------------------------------------

const SNAPSHOT_SUFFIX = '.snapshot';
const INTEG_FILE = /^integ\..+\.ts$/;

/** `integ.privacy-key.ts` -> `integ.privacy-key.ts.snapshot` (integ-runner's naming). */
export function snapshotDirName(integFileName: string): string {
  return `${path.basename(integFileName)}${SNAPSHOT_SUFFIX}`;
}

/** True for an integ app file (`integ.<name>.ts`, not a declaration file). */
export function isIntegFile(fileName: string): boolean {
  return INTEG_FILE.test(fileName) && !fileName.endsWith('.d.ts');
}

/** Is this top-level assembly entry an asset payload (never read or committed)? */
export function isAssetPayload(fileName: string): boolean {
  return fileName.startsWith('asset.') || fileName === '.cache';
}

/**
 * Reduce a raw cloud assembly (top-level files only, asset payloads already left out) to the files
 * committed as the snapshot. Pure and deterministic: JSON is re-serialized with 2-space indentation
 * and a final newline. Throws if the assembly is not an IntegTest app or needs context lookups.
 */
export function normalizeAssembly(raw: FileMap): FileMap {
  if (raw['integ.json'] === undefined) {
    throw new Error('no integ.json in the assembly: the app must define an IntegTest (@aws-cdk/integ-tests-alpha)');
  }
  if (raw['manifest.json'] === undefined) {
    throw new Error('no manifest.json in the assembly');
  }
  const integ = JSON.parse(raw['integ.json']);
  const manifest = JSON.parse(raw['manifest.json']);

  if (Array.isArray(manifest.missing) && manifest.missing.length > 0) {
    const keys = manifest.missing.map((m: { key: string }) => m.key).join(', ');
    throw new Error(`the app needs context lookups (${keys}); integ apps must be environment-agnostic`);
  }

  // Assertion stacks, by construct path (integ.json `assertionStack`) or artifact id (`assertionStackName`).
  const assertionPaths = new Set<string>();
  const assertionNames = new Set<string>();
  for (const testCase of Object.values<any>(integ.testCases ?? {})) {
    if (testCase.assertionStack) assertionPaths.add(testCase.assertionStack);
    if (testCase.assertionStackName) assertionNames.add(testCase.assertionStackName);
  }

  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  const droppedArtifacts = new Set<string>();
  const droppedFiles = new Set<string>();
  const assertionTemplates = new Set<string>();
  for (const [id, artifact] of Object.entries<any>(artifacts)) {
    if (artifact.type === 'cdk:tree') {
      droppedArtifacts.add(id);
      if (artifact.properties?.file) droppedFiles.add(artifact.properties.file);
      continue;
    }
    const isAssertionStack = artifact.type === 'aws:cloudformation:stack'
      && (assertionNames.has(id) || assertionPaths.has(artifact.displayName));
    if (!isAssertionStack) continue;
    droppedArtifacts.add(id);
    // The template stays, with its salts masked: it holds the assertions themselves (the API calls
    // and the expected results), which the snapshot must pin like any other part of the test.
    if (artifact.properties?.templateFile) assertionTemplates.add(artifact.properties.templateFile);
    if (artifact.additionalMetadataFile) droppedFiles.add(artifact.additionalMetadataFile);
    // its asset manifest artifact(s), and the nested templates they list
    for (const dep of [...(artifact.dependencies ?? []), ...(artifact.properties?.additionalDependencies ?? [])]) {
      const depArtifact = artifacts[dep];
      if (depArtifact?.type !== 'cdk:asset-manifest') continue;
      droppedArtifacts.add(dep);
      const file = depArtifact.properties?.file;
      if (!file) continue;
      droppedFiles.add(file);
      for (const nested of nestedTemplatesOf(raw[file])) droppedFiles.add(nested);
    }
  }

  const keptArtifacts: Record<string, any> = {};
  for (const [id, artifact] of Object.entries<any>(artifacts)) {
    if (droppedArtifacts.has(id)) continue;
    const copy = { ...artifact };
    if (Array.isArray(copy.dependencies)) {
      copy.dependencies = copy.dependencies.filter((d: string) => !droppedArtifacts.has(d));
    }
    if (copy.metadata) copy.metadata = cleanMetadata(copy.metadata);
    keptArtifacts[id] = copy;
  }
  const metadataFiles = new Set(Object.values<any>(keptArtifacts)
    .map(a => a.additionalMetadataFile)
    .filter((f): f is string => typeof f === 'string'));

  const out: FileMap = {};
  for (const [file, content] of Object.entries(raw)) {
    if (droppedFiles.has(file) || isAssetPayload(file) || /^tree(-.*)?\.json$/.test(file)) continue;
    if (assertionTemplates.has(file)) {
      out[file] = toJson(maskSalts(JSON.parse(content)));
    } else if (file === 'manifest.json') {
      out[file] = toJson({ ...manifest, artifacts: keptArtifacts });
    } else if (file === 'validation-report.json') {
      // findings stay; their creation stacks hold this machine's absolute paths
      out[file] = toJson(withoutKey(JSON.parse(content), 'stackTraces'));
    } else if (metadataFiles.has(file)) {
      out[file] = toJson(cleanMetadata(JSON.parse(content)));
    } else if (file.endsWith('.json') || file === 'cdk.out') {
      out[file] = toJson(JSON.parse(content));
    } else {
      out[file] = content;
    }
  }
  return sortKeys(out);
}

/** The placeholder for the `salt` (Date.now() at synth) of assertion custom resources. */
export const MASKED_SALT = '<masked: Date.now() at synth>';

/** Replace every `salt` property (assertion custom resources) with {@link MASKED_SALT}. */
export function maskSalts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSalts);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'salt' ? MASKED_SALT : maskSalts(v)]));
  }
  return value;
}

/**
 * Compare a committed snapshot with a fresh one, file by file and, for JSON files, value by value.
 * Returns an empty list when they are equal.
 */
export function compareSnapshots(expected: FileMap, actual: FileMap): SnapshotDifference[] {
  const diffs: SnapshotDifference[] = [];
  const files = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort(byFileRelevance);
  for (const file of files) {
    const e = expected[file];
    const a = actual[file];
    if (e === undefined) {
      diffs.push({ file, kind: 'added' });
    } else if (a === undefined) {
      diffs.push({ file, kind: 'removed' });
    } else if (e !== a) {
      const ej = tryParse(e);
      const aj = tryParse(a);
      if (ej.ok && aj.ok) {
        const inner = diffJson(ej.value, aj.value, '');
        // equal JSON with different formatting is still a difference: --update would rewrite the file
        diffs.push(...(inner.length > 0 ? inner.map(d => ({ file, ...d })) : [{ file, kind: 'changed' as const, jsonPath: '(formatting)' }]));
      } else {
        diffs.push({ file, kind: 'changed', expected: e, actual: a });
      }
    }
  }
  return diffs;
}

/** Structural JSON difference; object keys in order of appearance, arrays index by index. */
export function diffJson(expected: unknown, actual: unknown, at: string): Array<Omit<SnapshotDifference, 'file'>> {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const out: Array<Omit<SnapshotDifference, 'file'>> = [];
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    for (const k of keys) {
      const p = joinPath(at, k);
      if (!(k in actual)) out.push({ kind: 'removed', jsonPath: p, expected: expected[k] });
      else if (!(k in expected)) out.push({ kind: 'added', jsonPath: p, actual: actual[k] });
      else out.push(...diffJson(expected[k], actual[k], p));
    }
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: Array<Omit<SnapshotDifference, 'file'>> = [];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const p = `${at}[${i}]`;
      if (i >= actual.length) out.push({ kind: 'removed', jsonPath: p, expected: expected[i] });
      else if (i >= expected.length) out.push({ kind: 'added', jsonPath: p, actual: actual[i] });
      else out.push(...diffJson(expected[i], actual[i], p));
    }
    return out;
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  return [{ kind: 'changed', jsonPath: at, expected, actual }];
}

/** One readable line per difference, e.g. `~ Stack.template.json  Resources.Key.Properties.X: true -> false`. */
export function formatDifference(d: SnapshotDifference): string {
  if (d.jsonPath === undefined) {
    if (d.kind === 'added') return `+ ${d.file}  (new file, not in the snapshot)`;
    if (d.kind === 'removed') return `- ${d.file}  (in the snapshot, no longer synthesized)`;
    return `~ ${d.file}  (text differs)`;
  }
  const where = `${d.file}  ${d.jsonPath || '(root)'}`;
  if (d.kind === 'added') return `+ ${where}: ${preview(d.actual)}`;
  if (d.kind === 'removed') return `- ${where}: ${preview(d.expected)}`;
  if (d.jsonPath === '(formatting)') return `~ ${where}`;
  return `~ ${where}: ${preview(d.expected)} -> ${preview(d.actual)}`;
}

/**
 * Match integ files with snapshot folders. `integFiles` and `snapshotDirs` are base names in integ/.
 */
export function pairSnapshots(integFiles: string[], snapshotDirs: string[]): { orphans: string[]; missing: string[] } {
  const expectedDirs = new Set(integFiles.map(snapshotDirName));
  return {
    orphans: snapshotDirs.filter(d => !expectedDirs.has(d)).sort(),
    missing: integFiles.filter(f => !snapshotDirs.includes(snapshotDirName(f))).sort(),
  };
}

function nestedTemplatesOf(assetManifest: string | undefined): string[] {
  if (assetManifest === undefined) return [];
  const files: Record<string, any> = JSON.parse(assetManifest).files ?? {};
  return Object.values(files)
    .map(f => f?.source?.path)
    .filter((p): p is string => typeof p === 'string' && p.endsWith('.nested.template.json'));
}

/** Drop stack-trace entries and `trace` fields from `{ constructPath: MetadataEntry[] }`. */
function cleanMetadata(metadata: Record<string, any[]>): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const [p, entries] of Object.entries(metadata)) {
    const kept = (entries ?? [])
      .filter(e => e?.type !== 'aws:cdk:creationStack')
      .map(e => {
        if (e && typeof e === 'object' && 'trace' in e) {
          const { trace: _trace, ...rest } = e;
          return rest;
        }
        return e;
      });
    if (kept.length > 0) out[p] = kept;
  }
  return out;
}

/** A copy of `value` without any property named `key`, at any depth. */
function withoutKey(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map(v => withoutKey(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key).map(([k, v]) => [k, withoutKey(v, key)]));
  }
  return value;
}

/** Templates first, then the other stack files, then the assembly-wide files. */
function byFileRelevance(a: string, b: string): number {
  const rank = (f: string) => (f.endsWith('.template.json') ? 0 : f.endsWith('.assets.json') || f.endsWith('.metadata.json') ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, undefined, 2)}\n`;
}

function sortKeys(files: FileMap): FileMap {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function joinPath(at: string, key: string): string {
  const part = /^[A-Za-z_$][\w$:-]*$/.test(key) ? key : JSON.stringify(key);
  if (at === '') return /^[A-Za-z_$]/.test(part) ? part : `[${part}]`;
  return part.startsWith('"') ? `${at}[${part}]` : `${at}.${part}`;
}

function preview(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

// ---------------------------------------------------------------------------
// Side effects: discovery, synthesis, reading and writing folders
// ---------------------------------------------------------------------------

/** integ-runner's dummy environment for env-agnostic integ tests (runner-base.ts DEFAULT_SYNTH_OPTIONS.env). */
const INTEG_ENV: Record<string, string> = {
  CDK_INTEG_ACCOUNT: '12345678',
  CDK_INTEG_REGION: 'test-region',
  CDK_INTEG_HOSTED_ZONE_ID: 'Z23ABC4XYZL05B',
  CDK_INTEG_HOSTED_ZONE_NAME: 'example.com',
  CDK_INTEG_DOMAIN_NAME: '*.example.com',
  CDK_INTEG_CERT_ARN: 'arn:aws:acm:test-region:12345678:certificate/86468209-a272-595d-b831-0efb6421265z',
  CDK_INTEG_SUBNET_ID: 'subnet-0dff1a399d8f6f92c',
};

function synthContext(): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cxapi = require('aws-cdk-lib/cx-api');
  const context: Record<string, unknown> = {
    ...cxapi.CURRENTLY_RECOMMENDED_FLAGS,
    'aws:cdk:enable-path-metadata': false,
    'aws:cdk:enable-asset-metadata': false,
    'aws:cdk:version-reporting': false,
    'aws:cdk:disable-stack-trace': true,
  };
  // integ-runner unsets the target partitions so service principals keep their usual form
  delete context[cxapi.TARGET_PARTITIONS];
  return context;
}

interface SynthResult {
  readonly file: string;
  readonly seconds: number;
  readonly files?: FileMap;
  readonly error?: string;
}

function synthesize(root: string, integFile: string, outdir: string, context: string): Promise<SynthResult> {
  const started = process.hrtime.bigint();
  const env: NodeJS.ProcessEnv = { ...process.env, ...INTEG_ENV };
  for (const k of ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'CDK_CONTEXT_JSON', 'CONTEXT_OVERFLOW_LOCATION_ENV']) delete env[k];
  Object.assign(env, {
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: context,
    CDK_DISABLE_STACK_TRACE: '1',
    TS_NODE_PROJECT: path.join(root, 'test', 'tsconfig.json'),
    TS_NODE_TRANSPILE_ONLY: 'true',
  });
  return new Promise(resolve => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', integFile], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    const done = (error?: string) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (error) return resolve({ file: integFile, seconds, error });
      try {
        resolve({ file: integFile, seconds, files: normalizeAssembly(readAssembly(outdir)) });
      } catch (e: any) {
        resolve({ file: integFile, seconds, error: e.message });
      }
    };
    child.on('error', e => done(e.message));
    child.on('close', code => done(code === 0 ? undefined : `exited with code ${code}\n${output.trim()}`));
  });
}

/** Top-level files of an assembly, asset payloads left out. */
function readAssembly(dir: string): FileMap {
  const files: FileMap = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (isAssetPayload(entry.name)) continue;
    if (entry.isDirectory()) throw new Error(`unexpected folder in the assembly: ${entry.name} (nested assemblies are not supported)`);
    files[entry.name] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
  }
  return files;
}

function readSnapshot(dir: string): FileMap {
  const files: FileMap = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    // a folder in a snapshot is unexpected; show it as a file so that it is reported
    files[entry.name] = entry.isDirectory() ? '<folder>' : fs.readFileSync(path.join(dir, entry.name), 'utf8');
  }
  return files;
}

function writeSnapshot(dir: string, files: FileMap): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
}

async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const MAX_LINES_PER_FILE = 25;

async function main(argv: string[]): Promise<number> {
  const mode = argv.includes('--update') ? 'update' : argv.includes('--verify') ? 'verify' : undefined;
  const keep = argv.includes('--keep');
  const selected = argv.filter(a => !a.startsWith('--')).map(a => path.basename(a));
  if (!mode) {
    process.stderr.write('usage: snapshot.ts --verify|--update [--keep] [integ/integ.<name>.ts ...]\n');
    return 2;
  }

  const root = path.resolve(__dirname, '..');
  const integDir = path.join(root, 'integ');
  const entries = fs.readdirSync(integDir, { withFileTypes: true });
  const allIntegFiles = entries.filter(e => e.isFile() && isIntegFile(e.name)).map(e => e.name).sort();
  const snapshotDirs = entries.filter(e => e.isDirectory() && e.name.endsWith(SNAPSHOT_SUFFIX)).map(e => e.name).sort();
  const unknown = selected.filter(s => !allIntegFiles.includes(s));
  if (unknown.length > 0) {
    process.stderr.write(`no such integ file in integ/: ${unknown.join(', ')}\n`);
    return 2;
  }
  const integFiles = selected.length > 0 ? selected : allIntegFiles;

  const concurrency = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4));
  process.stdout.write(`integ ${mode}: ${integFiles.length} file(s), ${concurrency} in parallel\n`);

  let failed = false;
  let differs = false;
  const { orphans } = pairSnapshots(allIntegFiles, snapshotDirs);
  for (const orphan of orphans) {
    if (mode === 'update') {
      fs.rmSync(path.join(integDir, orphan), { recursive: true, force: true });
      process.stdout.write(`  deleted integ/${orphan}: no integ file for it\n`);
    } else {
      process.stdout.write(`FAIL integ/${orphan}: snapshot without an integ file (run integ:update to delete it)\n`);
      failed = true;
    }
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ccpa-integ-'));
  const context = JSON.stringify(synthContext());
  const started = Date.now();
  try {
    const results = await pool(integFiles, concurrency, file =>
      synthesize(root, path.join('integ', file), path.join(tmp, `${file}.out`), context));

    for (const r of results) {
      const name = path.basename(r.file);
      const snapDir = path.join(integDir, snapshotDirName(name));
      const timing = `(${r.seconds.toFixed(1)} s)`;
      if (r.error || !r.files) {
        process.stdout.write(`FAIL ${r.file} ${timing}: synthesis failed\n${indent(r.error ?? 'no output')}\n`);
        failed = true;
        continue;
      }
      if (mode === 'update') {
        const before = fs.existsSync(snapDir) ? readSnapshot(snapDir) : undefined;
        writeSnapshot(snapDir, r.files);
        const changed = before === undefined ? 'created' : compareSnapshots(before, r.files).length > 0 ? 'updated' : 'unchanged';
        process.stdout.write(`  ok ${r.file} ${timing}: ${changed} integ/${snapshotDirName(name)} (${Object.keys(r.files).length} files)\n`);
        continue;
      }
      if (!fs.existsSync(snapDir)) {
        process.stdout.write(`FAIL ${r.file} ${timing}: no snapshot integ/${snapshotDirName(name)} (run integ:update and commit it)\n`);
        failed = true;
        differs = true;
        continue;
      }
      const diffs = compareSnapshots(readSnapshot(snapDir), r.files);
      if (diffs.length === 0) {
        process.stdout.write(`  ok ${r.file} ${timing}: matches integ/${snapshotDirName(name)}\n`);
        continue;
      }
      failed = true;
      differs = true;
      const changedFiles = new Set(diffs.map(d => d.file));
      process.stdout.write(`FAIL ${r.file} ${timing}: ${diffs.length} difference(s) in ${changedFiles.size} file(s) of integ/${snapshotDirName(name)}\n`);
      for (const file of changedFiles) {
        const inFile = diffs.filter(d => d.file === file);
        for (const d of inFile.slice(0, MAX_LINES_PER_FILE)) process.stdout.write(`    ${formatDifference(d)}\n`);
        if (inFile.length > MAX_LINES_PER_FILE) process.stdout.write(`    ... and ${inFile.length - MAX_LINES_PER_FILE} more in ${file}\n`);
      }
    }
  } finally {
    if (keep) process.stdout.write(`synthesized assemblies kept in ${tmp}\n`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }

  process.stdout.write(`integ ${mode}: ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (differs) {
    process.stdout.write('If the change is intended, run `npx projen integ:update` and commit the snapshot.\n');
  }
  return failed ? 1 : 0;
}

function indent(text: string): string {
  return text.split('\n').map(l => `    ${l}`).join('\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    e => {
      process.stderr.write(`${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
