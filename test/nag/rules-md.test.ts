import * as fs from 'fs';
import * as path from 'path';
import { PEER_SUITES } from './peer';
import { renderRulesMd } from './rules-md';
import { managedRules } from '../../lib/governance/private/config-rules';
import { CcpaChecks } from '../../lib/nag';
import { citationText, PROVISIONS } from '../../lib/nag/private/citations';
import { PERSONAL_DATA_TYPES } from '../../lib/nag/private/coverage';
import { ALL_RULES } from '../../lib/nag/rules';

const RULES_MD = path.join(__dirname, '..', '..', 'RULES.md');

describe('RULES.md', () => {
  test('GIVEN the pack WHEN RULES.md is rendered from its rules THEN it equals the committed RULES.md', () => {
    const expected = renderRulesMd(ALL_RULES, managedRules(365));
    if (process.env.UPDATE_RULES_MD === '1') fs.writeFileSync(RULES_MD, expected);
    expect(fs.readFileSync(RULES_MD, 'utf8')).toBe(expected);
  });

  test('GIVEN RULES.md THEN its table lists exactly the ids the pack reports', () => {
    const ids = [...fs.readFileSync(RULES_MD, 'utf8').matchAll(/^\| `(CCPA-[A-Za-z0-9]+)` \|/gm)].map((m) => m[1]);
    expect(ids).toEqual(new CcpaChecks().ruleIds);
  });

  test('GIVEN the Config rules of ConfigRulePack THEN each pairs with CcpaChecks rules that exist, or says why it is run-time only', () => {
    const ids = new CcpaChecks().ruleIds;
    for (const c of managedRules(365)) {
      for (const id of c.synthTimeRules) expect(ids).toContain(id);
      expect(c.synthTimeRules.length > 0 || (c.runTimeOnly ?? '').length > 20).toBe(true);
    }
  });

  test('GIVEN every rule THEN it cites provisions of the one table, names its risk and a fix, and says what in at most 250 characters', () => {
    for (const r of ALL_RULES) {
      expect(r.cites.length).toBeGreaterThan(0);
      for (const id of r.cites) expect([r.id, id, Object.keys(PROVISIONS).includes(id)]).toEqual([r.id, id, true]);
      expect(() => citationText(r.cites)).not.toThrow();
      expect([r.id, r.what.length <= 250]).toEqual([r.id, true]);
      expect(r.risk.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  test('GIVEN a citation id that is not in the table THEN rendering it throws (a rule cannot cite a provision the table lacks)', () => {
    expect(() => citationText(['civ-1798.185(a)(15)(A)'])).toThrow(/not in the table of provisions/);
  });

  test('GIVEN RULES.md and every rule text THEN no wording refers to an unpublished source', () => {
    const texts = [fs.readFileSync(RULES_MD, 'utf8'), ...ALL_RULES.flatMap((r) => [r.what, r.risk, r.fix, r.choice ?? ''])];
    for (const t of texts) expect(t).not.toMatch(/dossier/i);
  });

  test('GIVEN the library\'s own thresholds (365-day logs, 35-day PITR) THEN RULES.md says they are choices, with the reason', () => {
    const md = fs.readFileSync(RULES_MD, 'utf8');
    const row = (id: string) => md.split('\n').find((l) => l.startsWith(`| \`CCPA-${id}\``)) ?? '';
    expect(row('LogsRetentionTwelveMonths')).toMatch(/Choice: 365 days is the library's choice/);
    expect(row('LogsRetentionTwelveMonths')).not.toMatch(/1798\.130\(a\)\(2\)\(B\) \|/);
    expect(row('DynamoDBTablePointInTimeRecovery')).toMatch(/Choice: .*35 days/);
  });

  test('GIVEN the coverage table THEN every type has rules or says why not, never both, and every store rule\'s types are listed', () => {
    for (const t of PERSONAL_DATA_TYPES) {
      const checked = ALL_RULES.some((r) => r.resourceTypes.includes(t.type));
      const reason = (t.none ?? '').length > 20;
      expect([t.type, checked || reason, checked && t.none !== undefined]).toEqual([t.type, true, false]);
    }
    const listed = new Set(PERSONAL_DATA_TYPES.map((t) => t.type));
    for (const r of ALL_RULES.filter((x) => ['stores', 'dynamodb', 's3', 'cognito'].includes(x.service))) {
      for (const type of r.resourceTypes) expect([r.id, type, listed.has(type)]).toEqual([r.id, type, true]);
    }
  });

  test('GIVEN the cdk-nag peer table THEN every CcpaChecks rule it names exists', () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    for (const p of PEER_SUITES.flatMap((s) => s.rules)) for (const id of p.ccpa) expect([p.rule, id, ids.has(id)]).toEqual([p.rule, id, true]);
  });
});
