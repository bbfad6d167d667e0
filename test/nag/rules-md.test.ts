import * as fs from 'fs';
import * as path from 'path';
import { renderRulesMd } from './rules-md';
import { managedRules } from '../../lib/governance/private/config-rules';
import { CcpaChecks } from '../../lib/nag';
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

  test('GIVEN every rule THEN it cites the CCPA/CPRA, names a dossier pattern and a fix', () => {
    for (const r of ALL_RULES) {
      expect(r.citation).toMatch(/Cal\. Civ\. Code|CCR/);
      expect(r.pattern.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.resourceTypes.length).toBeGreaterThan(0);
    }
  });
});
