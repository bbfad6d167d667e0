import { readFileSync } from 'fs';
import { resolve } from 'path';

export type Format = 'text' | 'json' | 'sarif' | 'junit';
export type FailOn = 'error' | 'warning' | 'never';

/** One report to write: a format and its file (stdout when undefined). */
export interface Output {
  readonly format: Format;
  readonly file?: string;
}

/** The parsed command line of `cdk-ccpa audit`. */
export interface AuditOptions {
  readonly paths: string[];
  readonly outputs: Output[];
  readonly failOn: FailOn;
  readonly parameters: Record<string, string>;
  readonly baseline?: string;
  readonly rules?: string[];
  readonly packs: string[];
  readonly orgTrail?: string;
  /** Worker threads; undefined = decide from the number of units and cores. */
  readonly jobs?: number;
  readonly quiet: boolean;
}

/** A command line that cannot run; the message is one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: cdk-ccpa audit <path...> [options]

Checks CloudFormation templates (JSON or YAML, SAM included), folders of templates and cdk.out
cloud assemblies (nested assemblies and nested stacks followed) with CcpaChecks. Read-only.

Options:
  --format <f>[=<file>]   text, json, sarif or junit; repeat or separate with commas for several
                          reports (each other than one needs its =<file>)          [default: text]
  --output <file>         the file of the one format given without =<file>         [default: stdout]
  --fail-on <level>       error, warning or never: exit 1 on findings at or above it [default: error]
  --parameters <k=v,...>  template parameter values, or a JSON file ({"k":"v"} or
                          [{"ParameterKey":"k","ParameterValue":"v"}]); repeatable
  --baseline <file>       a previous json or sarif report: only findings not in it fail
  --rules <ids>           only these rule ids (comma-separated; the CCPA- prefix is optional)
  --packs <names>         also run cdk-nag packs: aws-solutions, hipaa-security, nist-800-53-r5,
                          pci-dss-3.2.1, serverless
  --org-trail <arn>       declare the organization trail that logs the data events of every store
                          (OrganizationTrailCoverage)
  --jobs <n>              worker threads                                   [default: by input size]
  --quiet                 no progress line on stderr
  -h, --help              this text
  -v, --version           the version

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error or
unreadable input.`;

const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'never'];

/**
 * Parses the arguments after `audit`. `--name value` and `--name=value` both work; every problem
 * is a UsageError naming the option and the accepted values.
 */
export function parseArgs(argv: readonly string[], cwd: string, knownRules: readonly string[], knownPacks: readonly string[]): AuditOptions {
  const paths: string[] = [];
  const formats: string[] = [];
  const parameterArgs: string[] = [];
  const ruleArgs: string[] = [];
  const packArgs: string[] = [];
  let output: string | undefined;
  let failOn: FailOn = 'error';
  let baseline: string | undefined;
  let orgTrail: string | undefined;
  let jobs: number | undefined;
  let quiet = false;
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') { paths.push(arg); continue; }
    if (arg === '--') { onlyPaths = true; continue; }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`option ${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '--format': case '-f': formats.push(...split(value())); break;
      case '--output': case '-o': output = value(); break;
      case '--fail-on': {
        const v = value();
        if (!FAIL_ON.includes(v as FailOn)) throw new UsageError(`--fail-on ${v}: use one of ${FAIL_ON.join(', ')}`);
        failOn = v as FailOn;
        break;
      }
      case '--parameters': case '--parameter': case '-p': parameterArgs.push(value()); break;
      case '--baseline': baseline = value(); break;
      case '--rules': case '--rule': ruleArgs.push(...split(value())); break;
      case '--packs': case '--pack': packArgs.push(...split(value())); break;
      case '--org-trail': orgTrail = value(); break;
      case '--jobs': case '-j': {
        const v = value();
        if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--jobs ${v}: use a whole number of at least 1`);
        jobs = Number(v);
        break;
      }
      case '--quiet': case '-q': quiet = true; break;
      default: throw new UsageError(`unknown option ${name} (see cdk-ccpa audit --help)`);
    }
  }
  if (paths.length === 0) throw new UsageError('no template, folder or cdk.out given (see cdk-ccpa audit --help)');
  if (orgTrail !== undefined && !/^arn:[^:]+:cloudtrail:[^:]*:\d{12}:trail\/.+$/.test(orgTrail)) {
    throw new UsageError(`--org-trail ${orgTrail} is not a CloudTrail trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>)`);
  }
  const packs = [...new Set(packArgs.map((p) => p.toLowerCase()))];
  for (const p of packs) {
    if (!knownPacks.includes(p)) throw new UsageError(`--packs ${p}: use one of ${knownPacks.join(', ')}`);
  }
  return {
    paths,
    outputs: parseOutputs(formats.length > 0 ? formats : ['text'], output),
    failOn,
    parameters: parseParameters(parameterArgs, cwd),
    baseline,
    rules: ruleArgs.length > 0 ? parseRules(ruleArgs, knownRules, packs.length > 0) : undefined,
    packs,
    orgTrail,
    jobs,
    quiet,
  };
}

function split(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function parseOutputs(formats: string[], output: string | undefined): Output[] {
  const outputs: Output[] = [];
  for (const f of formats) {
    const eq = f.indexOf('=');
    const format = (eq < 0 ? f : f.slice(0, eq)).toLowerCase();
    if (!FORMATS.includes(format as Format)) throw new UsageError(`--format ${format}: use one of ${FORMATS.join(', ')}`);
    const file = eq < 0 ? undefined : f.slice(eq + 1);
    if (file === '') throw new UsageError(`--format ${f}: the file after = is empty`);
    outputs.push({ format: format as Format, file });
  }
  const withoutFile = outputs.filter((o) => o.file === undefined);
  if (output !== undefined) {
    if (withoutFile.length !== 1) {
      throw new UsageError(`--output ${output} needs exactly one --format without =<file> (got ${withoutFile.length})`);
    }
    return outputs.map((o) => (o.file === undefined ? { ...o, file: output } : o));
  }
  if (withoutFile.length > 1) {
    throw new UsageError(`only one report can go to stdout: give the others a file (--format ${withoutFile[1].format}=<file>)`);
  }
  return outputs;
}

/** `k=v` pairs, comma-separated, or a JSON file of parameters. */
function parseParameters(args: string[], cwd: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    if (!arg.includes('=')) {
      Object.assign(out, readParameterFile(arg, cwd));
      continue;
    }
    for (const pair of split(arg)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--parameters ${pair}: use key=value or a JSON file`);
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return out;
}

function readParameterFile(file: string, cwd: string): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--parameters ${file}: ${code ? `cannot read the file (${code})` : `invalid JSON (${(e as Error).message.split('\n')[0]})`}`);
  }
  const out: Record<string, string> = {};
  if (Array.isArray(data)) {
    for (const p of data) {
      if (typeof p?.ParameterKey !== 'string' || p.ParameterValue === undefined) {
        throw new UsageError(`--parameters ${file}: each entry needs ParameterKey and ParameterValue`);
      }
      out[p.ParameterKey] = String(p.ParameterValue);
    }
  } else if (typeof data === 'object' && data !== null) {
    const obj = (data as { Parameters?: unknown }).Parameters ?? data;
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null) throw new UsageError(`--parameters ${file}: the value of ${k} is not a string`);
      out[k] = String(v);
    }
  } else {
    throw new UsageError(`--parameters ${file}: expected an object or a list of ParameterKey/ParameterValue`);
  }
  return out;
}

function parseRules(args: string[], knownRules: readonly string[], packs: boolean): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const id = arg.replace(/\[.*\]$/, '');
    const ccpa = id.startsWith('CCPA-') ? id : `CCPA-${id}`;
    if (knownRules.includes(ccpa)) out.push(ccpa);
    else if (packs && !id.startsWith('CCPA-')) out.push(id);
    else throw new UsageError(`--rules ${arg}: no such CcpaChecks rule (RULES.md lists them)`);
  }
  return out;
}
