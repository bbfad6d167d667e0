/**
 * The compliance summary `npm run example` prints: one screen (at most 50 lines) of at most 100
 * columns — resources, the privacy inventory, findings by rule pack, acknowledgements and the
 * result. `full` lists every finding and acknowledgement, whole.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CyberAuditEvidence, ExpectedExemptions, PrivacyInventory, PrivacyInventoryEntry } from '../lib';

/** The widest line of the summary (unless `full`). */
export const SUMMARY_COLUMNS = 100;

interface Violation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingConstructs?: Array<{ readonly constructPath: string }>;
}
interface EvidenceComponent {
  readonly number: number;
  readonly title: string;
  readonly status: string;
  readonly missing: string[];
}
interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: Violation[];
}

export interface SummaryInput {
  /** The synthesized app. */
  readonly app: App;
  /** Its cloud assembly folder (validation-report.json, the privacy inventory). */
  readonly outdir: string;
  /** The names of the rule packs registered, in order. */
  readonly packs: string[];
  /** What the summary names as the app. */
  readonly appFile: string;
  /** How long the synthesis took, in seconds. */
  readonly seconds: number;
  /** Every finding and acknowledgement, whole lines. */
  readonly full?: boolean;
}

export interface Summary {
  readonly lines: string[];
  /** Whether any rule pack failed (cdk synth would exit 1). */
  readonly failed: boolean;
}

export function summarize(input: SummaryInput): Summary {
  const { app, outdir, full = false } = input;
  const resources = app.node.findAll().filter(CfnResource.isCfnResource);
  const stacks = app.node.findAll().filter(Stack.isStack);
  // the JSON report lists only the packs that found something
  const found = readReports(outdir);
  const reports = input.packs.map((name) => found.find((r) => r.pluginName === name) ?? { pluginName: name, conclusion: 'success', violations: [] });
  const lines: string[] = [];
  const out = (line = '') => lines.push(full ? line : fit(line));

  out(`cdk-ccpa compliance summary: ${input.appFile} (synthesized in ${input.seconds.toFixed(1)} s)`);
  out();
  const types = countBy(resources.map((r) => r.cfnResourceType.replace(/^AWS::/, '')));
  wrap(`Resources: ${resources.length} in ${stacks.length} stack(s):`, full || types.length <= 8 ? types : [...types.slice(0, 8), '...'], out);
  out();
  const inventory = readInventory(outdir);
  // one stack: the paths without its name, which every path repeats
  const prefix = stacks.length === 1 ? `${stacks[0].node.path}/` : '';
  // on one screen, log groups are one line of names (the table's columns say nothing more of them)
  const logs = full ? [] : inventory.filter((e) => e.kind === 'AWS::Logs::LogGroup');
  // and so are the non-personal stores the inventory lists (queues of ids and outcomes: every other column is '-')
  const nonPersonal = full ? [] : inventory.filter((e) => !logs.includes(e) && e.classification === 'non-personal');
  const rows = inventory.filter((e) => !logs.includes(e) && !nonPersonal.includes(e)).map((e) => [
    e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path,
    e.kind.replace(/^AWS::/, ''),
    e.classification,
    e.tenancy ?? '-',
    e.dsr ?? '-',
    e.deletionLatencyDays === undefined ? '-' : `${e.deletionLatencyDays}d`,
    backupRetention(e.backups),
  ]);
  out(`Privacy inventory: ${inventory.length} store(s)${prefix ? ` in ${prefix.slice(0, -1)}` : ''}, untagged = personal (locators: ${PrivacyInventory.MARKDOWN_FILE})`);
  table([['store', 'kind', 'class', 'tenancy', 'DSR', 'del.', 'bkp'], ...rows], [false, false, false, false, false, true, true], out);
  const relative = (e: { path: string }) => (e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path);
  if (logs.length > 0) wrap(`  and ${logs.length} log group(s):`, logs.map(relative), out, '    ');
  if (nonPersonal.length > 0) wrap(`  and ${nonPersonal.length} non-personal store(s):`, nonPersonal.map(relative), out, '    ');
  out('  del. = days deleted data stays recoverable (noncurrent versions, PITR); bkp = backup days');
  out();
  const evidenceFile = path.join(outdir, CyberAuditEvidence.JSON_FILE);
  if (fs.existsSync(evidenceFile)) {
    const evidence = JSON.parse(fs.readFileSync(evidenceFile, 'utf8')) as { components: EvidenceComponent[] };
    out(`Cybersecurity audit evidence, 11 CCR 7123(c) (${CyberAuditEvidence.JSON_FILE}; an input to the auditor, not the audit):`);
    if (full) {
      for (const c of evidence.components) {
        out(`  (${String(c.number).padStart(2)}) ${c.title}: ${c.status}${c.missing.length > 0 ? `; missing: ${c.missing.join('; ')}` : ''}`);
      }
    } else {
      // two components a line: number, title, status
      const cells = evidence.components.map((c) => `(${String(c.number).padStart(2)}) ${c.title.slice(0, 27).padEnd(27)} ${c.status}`);
      for (let i = 0; i < cells.length; i += 2) out(`  ${cells[i].padEnd(48)}${cells[i + 1] ?? ''}`);
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
  out(`Acknowledged findings: ${acks.length}${acks.length > 0 ? ', each with its reason in code (npm run example -- --full):' : ''}`);
  if (full) {
    for (const a of acks) out(`  ${a.id} on ${a.path}: ${a.reason}`);
  } else {
    // one line a rule pack: how many, and the rules, most frequent first
    const byPack = new Map<string, string[]>();
    for (const a of acks) {
      const rule = a.id.replace(/\[.*$/, '');
      const [pack, name] = rule.includes('::') ? rule.split('::') : [rule.replace(/-.*$/, ''), rule.replace(/^[^-]*-/, '')];
      byPack.set(pack, [...(byPack.get(pack) ?? []), name]);
    }
    const width = Math.max(0, ...[...byPack.keys()].map((k) => k.length));
    for (const [pack, names] of [...byPack].sort((a, b) => b[1].length - a[1].length)) {
      out(`  ${pack.padEnd(width)}  ${String(names.length).padStart(3)}: ${countBy(names).map((c) => c.replace(/^(\d+) (.*)$/, '$2 $1')).join(', ')}`);
    }
  }
  const exemptions = expectedExemptions(app);
  if (full) {
    out(`Expected exemptions: ${exemptions.length} on cdk-ccpa resources, honoured by ExpectedExemptions.filter only:`);
    for (const e of exemptions) out(`  ${e.id} on ${e.path}: ${e.reason}`);
  } else {
    const rules = countBy(exemptions.map((e) => e.id.replace(/^[^:]+::/, ''))).map((c) => c.replace(/^(\d+) (.*)$/, '$2 $1'));
    out(`Expected exemptions (ExpectedExemptions.filter): ${exemptions.length}${rules.length > 0 ? `: ${rules.join(', ')}` : ''}`);
  }
  out();
  out(`Result: ${failed ? 'FAIL: cdk synth would exit 1' : 'PASS: no unacknowledged error'}.`);
  out(`Full report: ${path.join(outdir, 'validation-report.json')}`);
  return { lines, failed };
}

/** A line cut to the summary's width, with an ellipsis where it was cut. */
function fit(line: string): string {
  return line.length <= SUMMARY_COLUMNS ? line : `${line.slice(0, SUMMARY_COLUMNS - 3)}...`;
}

/** `head` then `items` separated by commas, wrapped at the summary's width (never inside an item). */
function wrap(head: string, items: string[], out: (line: string) => void, indent = '  '): void {
  let line = head;
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line.trim().length > 0 && line.length + 1 + piece.length > SUMMARY_COLUMNS) {
      out(line);
      line = `${indent}${piece}`;
    } else {
      line = line.length > 0 && !line.endsWith(' ') ? `${line} ${piece}` : `${line}${piece}`;
    }
  });
  if (line.trim().length > 0) out(line);
}

/** Rows as aligned columns, two spaces apart; `right[i]` aligns column i to the right. */
function table(rows: string[][], right: boolean[], out: (line: string) => void): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) out(`  ${r.map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd()}`);
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

/** The rules cdk-ccpa's own resources differ from by design, from their template metadata. */
function expectedExemptions(app: App): Array<{ id: string; reason: string; path: string }> {
  return ExpectedExemptions.of(app).map((e) => ({ id: e.ruleId, reason: e.reason, path: e.resourcePath }));
}

/** `['a', 'b', 'a']` -> `['2 a', '1 b']`, most frequent first. */
function countBy(values: string[]): string[] {
  const counts = new Map<string, number>();
  values.forEach((v) => counts.set(v, (counts.get(v) ?? 0) + 1));
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
}
