/**
 * The README's main job: synthesize the example app with its rule packs registered and print a
 * one-screen compliance summary (resources, the privacy inventory, findings, acknowledgements).
 *
 *   npm run example            # examples/saas-app.ts
 *   npm run example -- --full  # every finding, not the first ones of each pack
 *
 * Exit code 1 when any rule pack fails, as `cdk synth` would. The full validation report that
 * aws-cdk-lib writes is kept in the cloud assembly folder printed at the end.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { buildApp, rulePacks } from './saas-app';
import { CyberAuditEvidence, PrivacyInventory, PrivacyInventoryEntry } from '../lib';

interface Violation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingConstructs?: Array<{ readonly constructPath: string }>;
}
interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: Violation[];
}

function main(): number {
  const full = process.argv.includes('--full');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ccpa-example-'));
  // the summary below replaces aws-cdk-lib's long console report; the JSON report is still written
  const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const packs = rulePacks(app);
  buildApp(app, packs);
  const started = Date.now();
  app.synth();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  const resources = app.node.findAll().filter(CfnResource.isCfnResource);
  const stacks = app.node.findAll().filter(Stack.isStack);
  // the JSON report lists only the packs that found something
  const found = readReports(outdir);
  const reports = packs.map((p) => found.find((r) => r.pluginName === p.name) ?? { pluginName: p.name, conclusion: 'success', violations: [] });
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);

  out(`cdk-ccpa compliance summary: examples/saas-app.ts (synthesized in ${seconds} s)`);
  out();
  out(`Resources: ${resources.length} in ${stacks.length} stack(s): ${countBy(resources.map((r) => r.cfnResourceType.replace(/^AWS::/, '')))}`);
  out();
  out(`Privacy inventory (${PrivacyInventory.JSON_FILE} and ${PrivacyInventory.MARKDOWN_FILE} in the cloud assembly; untagged counts as personal):`);
  const inventory = readInventory(outdir);
  const width = Math.max(...inventory.map((e) => e.path.length), 10);
  out(`  ${'store'.padEnd(width)}  ${'kind'.padEnd(16)}  ${'class'.padEnd(18)}  ${'tenancy'.padEnd(7)}  ${'DSR'.padEnd(7)}  ${'del.'.padStart(4)}  ${'bkp'.padEnd(4)}  subject locator`);
  for (const e of inventory) {
    out(`  ${e.path.padEnd(width)}  ${e.kind.replace(/^AWS::/, '').padEnd(16)}  ${e.classification.padEnd(18)}  ${(e.tenancy ?? '-').padEnd(7)}  ${(e.dsr ?? '-').padEnd(7)}  ${(e.deletionLatencyDays === undefined ? '-' : `${e.deletionLatencyDays}d`).padStart(4)}  ${backupRetention(e.backups).padEnd(4)}  ${e.subjectLocator ?? (e.managed ? '-' : 'unmanaged')}`);
  }
  out('  (del. = days deleted data stays recoverable in the store: noncurrent versions or PITR window; bkp = days kept in backup plans)');
  out();
  const evidenceFile = path.join(outdir, CyberAuditEvidence.JSON_FILE);
  if (fs.existsSync(evidenceFile)) {
    const evidence = JSON.parse(fs.readFileSync(evidenceFile, 'utf8'));
    out(`Cybersecurity audit evidence, 11 CCR 7123(c) (${CyberAuditEvidence.JSON_FILE}; an input to the auditor, not the audit):`);
    for (const c of evidence.components) {
      const first = c.missing[0] ?? (c.status === 'needs-a-person' ? c.needsAPerson[0] : '') ?? '';
      out(`  (${String(c.number).padStart(2)}) ${c.title.slice(0, 48).padEnd(48)}  ${c.status.padEnd(14)}  ${first.length > 60 ? `${first.slice(0, 57)}...` : first}`);
    }
    out();
  }
  out('Findings by rule pack:');
  let failed = false;
  for (const report of reports) {
    const errors = report.violations.filter((v) => v.severity !== 'warning').length;
    const warnings = report.violations.length - errors;
    failed = failed || report.conclusion !== 'success';
    out(`  ${report.pluginName.padEnd(24)}  ${report.conclusion === 'success' ? 'pass' : 'FAIL'}  ${errors} error(s), ${warnings} warning(s)`);
    const shown = full ? report.violations : report.violations.slice(0, 3);
    for (const v of shown) {
      const where = (v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ');
      out(`      ${v.severity ?? 'error'}  ${v.ruleName}  at ${where}`);
    }
    if (shown.length < report.violations.length) {
      out(`      ... ${report.violations.length - shown.length} more (npm run example -- --full)`);
    }
  }
  out();
  const acks = acknowledgements(app);
  out(`Acknowledged findings: ${acks.length}${acks.length > 0 ? ' (each with its reason in code)' : ''}`);
  for (const a of acks.slice(0, full ? acks.length : 5)) {
    out(`  ${a.id} on ${a.path}: ${a.reason.length > 90 ? `${a.reason.slice(0, 87)}...` : a.reason}`);
  }
  out();
  out(`Result: ${failed ? 'FAIL: cdk synth would exit 1' : 'PASS: no unacknowledged error'}. Full report: ${path.join(outdir, 'validation-report.json')}`);
  console.log(lines.join('\n'));
  return failed ? 1 : 0;
}

/** `['Stack/Backups (30 days)']` -> `30d`: the longest retention of the backup plans that select a store. */
function backupRetention(backups: string[]): string {
  const days = backups.map((b) => Number(/\((\d+) days\)$/.exec(b)?.[1] ?? NaN)).filter((d) => !Number.isNaN(d));
  return days.length > 0 ? `${Math.max(...days)}d` : '-';
}

function readInventory(outdir: string): PrivacyInventoryEntry[] {
  const file = path.join(outdir, PrivacyInventory.JSON_FILE);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).stores : [];
}

function readReports(outdir: string): PluginReport[] {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    throw new Error(`no validation report in ${outdir}: the app registered no validation plugin`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')).pluginReports;
}

function acknowledgements(app: App): Array<{ id: string; reason: string; path: string }> {
  const found: Array<{ id: string; reason: string; path: string }> = [];
  for (const c of app.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type === 'aws:cdk:acknowledged-rules' && entry.data) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          found.push({ id: id.replace(/^annotation::/, ''), reason, path: c.node.path });
        }
      }
    }
  }
  return found;
}

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  values.forEach((v) => counts.set(v, (counts.get(v) ?? 0) + 1));
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
}

process.exitCode = main();
