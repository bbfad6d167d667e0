import { spawnSync } from 'child_process';
import { cpSync, readFileSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import * as draft04 from 'ajv/lib/refs/json-schema-draft-04.json';
import { main } from '../../lib/cli/main';
import { testTempDir } from '../kit/temp-dir';

export const FIXTURES = join(__dirname, 'fixtures');
export const PACKAGE_ROOT = join(__dirname, '..', '..');
export const BIN = join(PACKAGE_ROOT, 'build', 'cli', 'main.js');

/** A finding of the json report (the fields the tests read). */
export interface JsonFinding {
  ruleId: string;
  logicalId: string;
  file: string;
  line: number;
  column: number;
  property?: string;
  propertyLine?: number;
  fingerprint: string;
  severity: string;
  baseline?: string;
}

/** The findings of a json report. */
export const findingsOf = (stdout: string): JsonFinding[] => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

/** What one run of the CLI printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** GIVEN a working directory WHEN `cdk-ccpa <argv>` runs in-process THEN its exit code and output. */
export async function cli(argv: string[], cwd: string = FIXTURES): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd, stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, stderrIsTty: false });
  return { code, stdout, stderr };
}

/** The compiled `bin` (build/cli/main.js) run by node, as `npx cdk-ccpa` would. */
export function bin(argv: string[], cwd: string = FIXTURES): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder holding copies of the named fixtures (removed after the test file). */
export function workspace(...fixtures: string[]): string {
  const dir = testTempDir('cdk-ccpa-audit-');
  for (const f of fixtures) cpSync(join(FIXTURES, f), join(dir, f), { recursive: true });
  return dir;
}

/** The 1-based line of the first line of `file` that matches `pattern`. */
export function lineOf(file: string, pattern: RegExp): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`${pattern} not in ${file}`);
  return i + 1;
}

/** The official SARIF 2.1.0 JSON schema (OASIS, rtm.5, as @microsoft/jest-sarif ships it); throws listing every error. */
export function expectValidSarif(log: unknown): void {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true, jsonPointers: true });
  ajv.addMetaSchema(draft04);
  const validate = ajv.compile(schema);
  if (!validate(log)) {
    throw new Error(`SARIF does not validate:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  }
}
