#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { EXTRA_PACKS } from './engine';
import { expandInputs } from './inputs';
import { ReportedFinding } from './model';
import { AuditOptions, parseArgs, UsageError, USAGE } from './options';
import { fails, readBaseline, render } from './reports';
import { runUnits, workersFor } from './run-units';
import { InputError } from './template-source';
import { ALL_RULES } from '../nag/rules';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  readonly cwd: string;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Whether stderr is a terminal (the progress line then rewrites itself). */
  readonly stderrIsTty: boolean;
}

/** More units than this get a progress line on stderr. */
const PROGRESS_ABOVE = 5;

/**
 * `cdk-ccpa <command> ...`: runs the command and resolves to the exit code (0 clean, 1 findings at
 * or above --fail-on, 2 usage error or unreadable input). Problems are one line on stderr.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') { io.stdout(`${version()}\n`); return 0; }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') { io.stdout(`${USAGE}\n`); return command === undefined ? 2 : 0; }
  if (command !== 'audit') {
    io.stderr(`cdk-ccpa: error: unknown command ${command} (the command is: cdk-ccpa audit <path...>)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) { io.stdout(`${USAGE}\n`); return 0; }
  try {
    return await audit(parseArgs(rest, io.cwd, ALL_RULES.map((r) => `CCPA-${r.id}`), Object.keys(EXTRA_PACKS)), io);
  } catch (e) {
    if (e instanceof UsageError) io.stderr(`cdk-ccpa audit: error: ${e.message}\n`);
    else if (e instanceof InputError) io.stderr(`cdk-ccpa audit: error: ${e.message}\n`);
    else io.stderr(`cdk-ccpa audit: error: ${oneLine((e as Error)?.message ?? String(e))}\n`);
    return 2;
  }
}

async function audit(options: AuditOptions, io: CliIo): Promise<number> {
  const started = Date.now();
  const baseline = options.baseline === undefined ? undefined : readBaseline(resolve(io.cwd, options.baseline), options.baseline);
  const { units, skipped } = expandInputs(options.paths, io.cwd);
  for (const s of skipped) if (!options.quiet) io.stderr(`cdk-ccpa audit: skipped ${s}\n`);
  if (units.length === 0) throw new InputError(options.paths.join(' '), 'no CloudFormation template found');
  const threads = workersFor(units.length, options.jobs);
  const showProgress = !options.quiet && units.length > PROGRESS_ABOVE;
  let lastLine = 0;
  const progress = (done: number): void => {
    if (!showProgress) return;
    const now = Date.now();
    if (done < units.length && now - lastLine < (io.stderrIsTty ? 100 : 2000)) return;
    lastLine = now;
    const line = `cdk-ccpa audit: ${done}/${units.length} checked (${threads} thread${threads === 1 ? '' : 's'})`;
    io.stderr(io.stderrIsTty ? `\r${line}${done === units.length ? '\n' : ''}` : `${line}\n`);
  };
  const results = await runUnits(units, { parameters: options.parameters, orgTrail: options.orgTrail, packs: options.packs }, threads, progress);
  const rules = options.rules ? new Set(options.rules) : undefined;
  const findings: ReportedFinding[] = results
    .flatMap((r) => r.findings)
    .filter((f) => !rules || rules.has(f.rule))
    .map((f): ReportedFinding => ({ ...f, baseline: baseline?.has(f.fingerprint) ? 'unchanged' : 'new' }))
    .sort((a, b) => a.file.localeCompare(b.file) || (a.resourcePosition?.line ?? 0) - (b.resourcePosition?.line ?? 0)
      || a.ruleId.localeCompare(b.ruleId));
  const report = {
    version: version(),
    templates: results.reduce((n, r) => n + r.templates, 0),
    findings,
    failOn: options.failOn,
    baselined: baseline !== undefined,
  };
  for (const output of options.outputs) {
    const text = render(output.format, report);
    if (output.file === undefined) {
      io.stdout(text);
    } else {
      const file = resolve(io.cwd, output.file);
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      } catch (e) {
        throw new InputError(output.file, `cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
  }
  if (showProgress) {
    const seconds = (Date.now() - started) / 1000;
    io.stderr(`cdk-ccpa audit: ${report.templates} templates in ${seconds.toFixed(1)} s (${(report.templates / Math.max(seconds, 0.001)).toFixed(0)}/s)\n`);
  }
  return findings.some((f) => fails(f, options.failOn)) ? 1 : 0;
}

function version(): string {
  try {
    // build/cli/main.js and lib/cli/main.ts both sit two levels below the package root
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function oneLine(s: string): string {
  return s.split('\n')[0].trim();
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stderrIsTty: process.stderr.isTTY === true,
  }).then((code) => { process.exitCode = code; }, (e: Error) => {
    process.stderr.write(`cdk-ccpa audit: error: ${oneLine(e?.message ?? String(e))}\n`);
    process.exitCode = 2;
  });
}
