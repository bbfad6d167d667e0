import { CfnResource } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagRuleResult, rules as nagRules } from 'cdk-nag';
import { PEER_SUITES } from '.';
import { agrees, buildCase, ccpaFindings, nagFlagged, PeerCase, PeerRule, reportedBy } from './kit';
import { ALL_RULES } from '../../../lib/nag/rules';
import { expectCannotVerifyNamesValue } from '../adversarial/kit';
import { findingsOf } from '../helpers';

type RuleFn = (node: CfnResource) => NagRuleResult;

function nagRule(p: PeerRule): RuleFn {
  const ns = (nagRules as unknown as Record<string, Record<string, RuleFn | undefined> | undefined>)[p.nagService];
  const fn = ns?.[p.rule];
  if (!fn) throw new Error(`cdk-nag exports no rules.${p.nagService}.${p.rule}`);
  return fn;
}

const rows = PEER_SUITES.flatMap((s) => s.rules.flatMap((p) => p.cases.map((c) => [`${s.service} ${p.rule}: ${c.name}`, p, c] as [string, PeerRule, PeerCase])));

describe('cdk-nag peer suite', () => {
  test.each(rows)('%s', (_name, p, c) => {
    const app = buildCase(c);
    // the case is ported faithfully: cdk-nag's own rule still reaches the verdict its test asserts
    const flagged = nagFlagged(app, nagRule(p));
    expect([p.rule, c.name, flagged.length > 0 ? 'non-compliant' : 'compliant']).toEqual([p.rule, c.name, c.nag]);
    // the AwsSolutions id is the one that pack reports for this rule, on the same resources
    if (p.awsSolutions) {
      const aws = findingsOf(new AwsSolutionsChecks().validateScope(app)).filter((f) => f.id === p.awsSolutions || f.id.startsWith(`${p.awsSolutions}[`)).map((f) => f.path);
      expect([p.awsSolutions, c.name, [...new Set(aws)].sort()]).toEqual([p.awsSolutions, c.name, flagged]);
    }
    // CcpaChecks reports exactly what the case declares
    const findings = ccpaFindings(app);
    expect(reportedBy(findings, p.ccpa)).toEqual([...c.ccpa].sort());
    expectCannotVerifyNamesValue(findings);
    // a different verdict is explained, an equal one is not
    expect([c.name, c.differs === undefined]).toEqual([c.name, agrees(c)]);
  });

  test('GIVEN every peer rule THEN its CcpaChecks rules exist, it has a non-compliant and a compliant case, and each suite names its commit', () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    for (const s of PEER_SUITES) {
      expect([s.service, /^[0-9a-f]{40}$/.test(s.commit), s.source]).toEqual([s.service, true, expect.stringMatching(/^test\/rules\/\w+\.test\.ts$/)]);
      for (const p of s.rules) {
        for (const id of p.ccpa) expect([p.rule, id, ids.has(id)]).toEqual([p.rule, id, true]);
        expect([p.rule, p.cases.some((c) => c.nag === 'non-compliant'), p.cases.some((c) => c.nag === 'compliant')]).toEqual([p.rule, true, true]);
      }
    }
  });
});
