import { readFileSync } from 'fs';
import { pathToFileURL } from 'url';
import { NagMessageLevel } from 'cdk-nag';
import { ReportedFinding } from './model';
import { FailOn, Format } from './options';
import { InputError } from './template-source';
import { ALL_RULES, citationText } from '../nag/rules';

/** Everything a report shows. */
export interface AuditReport {
  readonly version: string;
  readonly templates: number;
  readonly findings: readonly ReportedFinding[];
  readonly failOn: FailOn;
  /** Whether a baseline was compared (findings then carry `new` / `unchanged`). */
  readonly baselined: boolean;
}

const INFORMATION_URI = 'https://github.com/cdk-ccpa/cdk-ccpa';
const RULES_URI = `${INFORMATION_URI}/blob/main/RULES.md`;
/** The key of the fingerprint in SARIF `partialFingerprints` (versioned: a new scheme gets a new key). */
export const FINGERPRINT_KEY = 'cdkCcpaFinding/v1';

/** True when the finding makes the audit fail under `failOn` (baselined findings never do). */
export function fails(f: ReportedFinding, failOn: FailOn): boolean {
  if (f.baseline !== 'new' || failOn === 'never') return false;
  return failOn === 'warning' || f.severity === 'error';
}

export function render(format: Format, report: AuditReport): string {
  switch (format) {
    case 'json': return `${JSON.stringify(toJson(report), undefined, 2)}\n`;
    case 'sarif': return `${JSON.stringify(toSarif(report), undefined, 2)}\n`;
    case 'junit': return toJunit(report);
    default: return toText(report);
  }
}

function where(f: ReportedFinding): string {
  const at = f.propertyPosition ?? f.resourcePosition;
  return at ? `${f.file}:${at.line}:${at.column}` : f.file;
}

function summary(report: AuditReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const baselined = report.findings.filter((f) => f.baseline === 'unchanged').length;
  const plural = (n: number, s: string): string => `${n} ${s}${n === 1 ? '' : 's'}`;
  return `${plural(report.templates, 'template')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
    + (report.baselined ? ` (${baselined} in the baseline, ${report.findings.length - baselined} new)` : '');
}

function toText(report: AuditReport): string {
  const lines = report.findings.map((f) => {
    const mark = report.baselined ? (f.baseline === 'new' ? ' [new]' : ' [baseline]') : '';
    const prop = f.property ? ` ${f.property}` : '';
    return `${where(f)}: ${f.severity}${mark} ${f.ruleId} ${f.logicalId} (${f.resourceType})${prop}: ${f.message}`;
  });
  return [...lines, summary(report), ''].join('\n');
}

function toJson(report: AuditReport): unknown {
  return {
    tool: 'cdk-ccpa',
    version: report.version,
    summary: {
      templates: report.templates,
      errors: report.findings.filter((f) => f.severity === 'error').length,
      warnings: report.findings.filter((f) => f.severity === 'warning').length,
      failing: report.findings.filter((f) => fails(f, report.failOn)).length,
    },
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      rule: f.rule,
      severity: f.severity,
      cannotVerify: f.cannotVerify,
      file: f.file,
      line: f.resourcePosition?.line,
      column: f.resourcePosition?.column,
      logicalId: f.logicalId,
      resourceType: f.resourceType,
      property: f.property,
      propertyLine: f.propertyPosition?.line,
      propertyColumn: f.propertyPosition?.column,
      message: f.message,
      fingerprint: f.fingerprint,
      baseline: report.baselined ? f.baseline : undefined,
    })),
  };
}

/** The SARIF level of a finding: the pack's level, one step lower for `[CannotVerify]`. */
function sarifLevel(f: ReportedFinding): 'error' | 'warning' | 'note' {
  if (f.cannotVerify) return f.severity === 'error' ? 'warning' : 'note';
  return f.severity;
}

function sarifRules(report: AuditReport): Array<Record<string, unknown>> {
  const rules: Array<Record<string, unknown>> = ALL_RULES.map((r) => {
    const level = r.level === NagMessageLevel.ERROR ? 'error' : 'warning';
    const text = `${r.what}\n\nWhy: ${citationText(r.cites)}.\n\nFix: ${r.fix}\n\nA value the rule cannot resolve (a parameter, an import) is reported as CCPA-${r.id}[CannotVerify].`;
    return {
      id: `CCPA-${r.id}`,
      name: r.id,
      shortDescription: { text: r.what.length > 120 ? `${r.what.slice(0, r.what.lastIndexOf(' ', 117))}...` : r.what },
      fullDescription: { text: r.what },
      help: {
        text,
        markdown: `${r.what}\n\n**Why:** ${citationText(r.cites)}.\n\n**Fix:** ${r.fix}\n\nA value the rule cannot resolve (a parameter, an import) is reported as \`CCPA-${r.id}[CannotVerify]\`.`,
      },
      helpUri: RULES_URI,
      defaultConfiguration: { level },
      properties: { tags: ['ccpa', 'cpra', 'privacy', 'security', r.service], precision: 'high', citation: citationText(r.cites) },
    };
  });
  const known = new Set(rules.map((r) => r.id));
  for (const f of report.findings) {
    if (known.has(f.rule)) continue;
    known.add(f.rule);
    rules.push({
      id: f.rule,
      name: f.rule.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: f.rule },
      fullDescription: { text: f.message },
      help: { text: f.message },
      defaultConfiguration: { level: f.severity },
      properties: { tags: ['cdk-nag'] },
    });
  }
  return rules;
}

function toSarif(report: AuditReport): unknown {
  const rules = sarifRules(report);
  const index = new Map(rules.map((r, i) => [r.id as string, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk-ccpa',
          fullName: 'cdk-ccpa audit (CcpaChecks)',
          informationUri: INFORMATION_URI,
          semanticVersion: /^\d+\.\d+\.\d+/.test(report.version) ? report.version : undefined,
          rules,
        },
      },
      columnKind: 'utf16CodeUnits',
      results: report.findings.map((f) => {
        const at = f.propertyPosition ?? f.resourcePosition;
        return {
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: sarifLevel(f),
          message: {
            text: `${f.cannotVerify ? `${f.ruleId}: ` : ''}${f.logicalId} (${f.resourceType})${f.property ? `, ${f.property}` : ''}: ${f.message}`,
          },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: f.file.startsWith('/') ? pathToFileURL(f.file).href : encodeURI(f.file) },
              region: at ? { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn } : { startLine: 1 },
            },
            logicalLocations: [{ name: f.logicalId, fullyQualifiedName: `${f.file}#${f.logicalId}`, kind: 'resource' }],
          }],
          partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
          baselineState: report.baselined ? f.baseline : undefined,
          properties: { ruleId: f.ruleId, severity: f.severity, cannotVerify: f.cannotVerify, resourceType: f.resourceType },
        };
      }),
    }],
  };
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * JUnit XML: one test suite per template, one test case per finding (a failure when it fails the
 * audit under --fail-on, skipped otherwise), and one passing case for a template without findings.
 */
function toJunit(report: AuditReport): string {
  const byFile = new Map<string, ReportedFinding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const suites: string[] = [];
  let failures = 0;
  let tests = 0;
  for (const [file, findings] of byFile) {
    const cases = findings.map((f) => {
      const name = xml(`${f.ruleId} ${f.logicalId}`);
      const detail = xml(`${where(f)} ${f.severity}: ${f.message}`);
      if (fails(f, report.failOn)) {
        failures++;
        return `    <testcase classname="${xml(file)}" name="${name}"><failure type="${f.severity}" message="${xml(f.message)}">${detail}</failure></testcase>`;
      }
      return `    <testcase classname="${xml(file)}" name="${name}"><skipped message="${xml(`${f.severity}${f.baseline === 'unchanged' ? ' (in the baseline)' : ''}: ${f.message}`)}"/></testcase>`;
    });
    tests += cases.length;
    const suiteFailures = findings.filter((f) => fails(f, report.failOn)).length;
    suites.push(`  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${cases.length - suiteFailures}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const clean = report.templates - byFile.size;
  if (clean > 0) {
    tests += 1;
    suites.push(`  <testsuite name="templates without findings" tests="1" failures="0" errors="0" skipped="0">\n    <testcase classname="cdk-ccpa" name="${clean} template(s) without findings"/>\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cdk-ccpa audit" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/**
 * The fingerprints of a previous report: our JSON (`findings[].fingerprint`) or SARIF
 * (`runs[].results[].partialFingerprints`). Anything else is an InputError.
 */
export function readBaseline(file: string, shown: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(shown, code ? `cannot read the baseline (${code})` : `the baseline is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const out = new Set<string>();
  const runs = field(data, 'runs');
  const findings = field(data, 'findings');
  if (Array.isArray(runs)) {
    for (const run of runs) {
      const results = field(run, 'results');
      for (const r of Array.isArray(results) ? results : []) {
        const fp = field(field(r, 'partialFingerprints'), FINGERPRINT_KEY);
        if (typeof fp === 'string') out.add(fp);
      }
    }
  } else if (Array.isArray(findings)) {
    for (const f of findings) {
      const fp = field(f, 'fingerprint');
      if (typeof fp === 'string') out.add(fp);
    }
  } else {
    throw new InputError(shown, 'the baseline is neither a cdk-ccpa json report nor a SARIF log');
  }
  return out;
}

/** A property of a parsed JSON value, or undefined when the value is not an object. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
