import { NagMessageLevel } from 'cdk-nag';
import { agrees, CDK_NAG_REPOSITORY, PEER_SUITES } from './peer';
import { ManagedRuleSpec } from '../../lib/governance/private/config-rules';
import { PROVISIONS } from '../../lib/nag/private/citations';
import { PERSONAL_DATA_TYPES } from '../../lib/nag/private/coverage';
import { CcpaRule } from '../../lib/nag/private/rule';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** A provision's short name: its text up to the colon (`11 CCR § 7123(c)(3)`). */
const short = (id: string): string => ((PROVISIONS as Record<string, string>)[id] ?? id).split(':')[0];

/** RULES.md, rendered from the rules' own metadata (the sync test compares it with the committed file). */
export function renderRulesMd(rules: readonly CcpaRule[], configRules: readonly ManagedRuleSpec[]): string {
  const lines = [
    '# CcpaChecks rules',
    '',
    '<!-- Generated from lib/nag/rules/** and lib/governance/private/config-rules.ts: edit the rule, then run `UPDATE_RULES_MD=1 npx jest test/nag/rules-md.test.ts`. test/nag/rules-md.test.ts fails when this file drifts. -->',
    '',
    'Every rule of `CcpaChecks` (cdk-nag v3 pack `CCPA`). Errors fail `cdk synth` with exit code 1; warnings are reported and do not.',
    'Scope is fail-closed: a data store is personal unless tagged `privacy:classification=non-personal`.',
    'A value a rule cannot resolve at synth (a token, a parameter, an unmapped import) is reported as `<id>[CannotVerify]` at the rule\'s level, never passed silently.',
    'Acknowledge one finding on one resource with `Validations.of(construct).acknowledge({ id: \'<id>\', reason: \'...\' })` (use the bare id, e.g. `CCPA-S3BucketTlsOnly` or `CCPA-S3BucketTlsOnly[CannotVerify]`).',
    '',
    `${rules.length} rules.`,
    '',
    '| id | level | what it checks | why (provisions below; the library\'s own choices said so) | risk | how to fix |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| \`CCPA-${r.id}\` | ${r.level === NagMessageLevel.ERROR ? 'error' : 'warning'} | ${cell(r.what)} | ${cell(r.cites.map(short).join('; '))}${r.choice ? `. Choice: ${cell(r.choice)}` : ''} | ${cell(r.risk)} | ${cell(r.fix)} |`),
    '',
    '## Coverage: every resource type that stores or moves personal data',
    '',
    'The rules that check each type (from the rules\' resource types), or why none does. Scope is the same fail-closed classification for every type.',
    '',
    '| resource type | holds or moves | rules |',
    '| --- | --- | --- |',
    ...PERSONAL_DATA_TYPES.map((t) => {
      const ids = rules.filter((r) => r.resourceTypes.includes(t.type)).map((r) => `\`CCPA-${r.id}\``);
      return `| \`${t.type}\` | ${cell(t.holds)} | ${ids.length > 0 ? ids.join(', ') : `none: ${cell(t.none ?? '')}`} |`;
    }),
    '',
    '## cdk-nag rules that check the same thing',
    '',
    `Generated from the peer suite in test/nag/peer: cdk-nag's own positive and negative test cases for each rule below (test/rules/<Service>.test.ts of ${CDK_NAG_REPOSITORY}, at the commits listed after the table), rebuilt resource for resource, with what CcpaChecks reports on the same app. test/nag/peer/peer.test.ts runs both packs on every case: cdk-nag's rule must still reach the verdict of its own test, CcpaChecks must report exactly the findings declared, and every case where the two differ carries the reason shown here. Cases marked Added are not cdk-nag's.`,
    '',
    '| cdk-nag rule | AwsSolutions id | CcpaChecks rule(s) | cases where CcpaChecks agrees | where it differs, and why |',
    '| --- | --- | --- | --- | --- |',
    ...PEER_SUITES.flatMap((suite) => suite.rules.map((p) => {
      const differing = p.cases.filter((c) => !agrees(c));
      const why = differing.length === 0 ? 'Agrees on every case.' : differing.map((c) => `${c.name}: ${c.nag === 'compliant' ? 'cdk-nag passes it, CcpaChecks reports it' : 'cdk-nag reports it, CcpaChecks does not'}. ${c.differs ?? ''}`).join('<br>');
      return `| \`${p.rule}\` | ${p.awsSolutions ? `\`${p.awsSolutions}\`` : '-'} | ${p.ccpa.map((id) => `\`CCPA-${id}\``).join(', ')} | ${p.cases.length - differing.length} of ${p.cases.length} | ${cell(why)} |`;
    })),
    '',
    '| service | cdk-nag test file | commit ported from |',
    '| --- | --- | --- |',
    ...PEER_SUITES.map((suite) => `| ${suite.service} | \`${suite.source}\` | \`${suite.commit}\` |`),
    '',
    '## Provisions cited',
    '',
    'Findings quote these texts in full. Cal. Civ. Code as amended through 2024; 11 CCR § 7000 et seq. as in force from 2026-01-01.',
    '',
    '| provision | what it says |',
    '| --- | --- |',
    ...Object.values(PROVISIONS).map((text) => `| ${cell(text.split(':')[0])} | ${cell(text.slice(text.indexOf(':') + 1).trim())} |`),
    '',
    '## AWS Config rules of `ConfigRulePack` and the CcpaChecks rules that catch the same problem at synth time',
    '',
    'CcpaChecks stops a violation before it is deployed; the Config rule finds it in what is running (drift, resources made outside CDK).',
    '',
    '| AWS Config managed rule | trigger | CcpaChecks rule(s) | why (CCPA/CPRA) |',
    '| --- | --- | --- | --- |',
    ...configRules.map((c) => `| \`${c.identifier}\` | ${c.resourceTypes ? `configuration change (${c.resourceTypes.join(', ')})` : 'periodic (24 h)'} | ${c.synthTimeRules.length > 0 ? c.synthTimeRules.map((id) => `\`${id}\``).join(', ') : `none: ${cell(c.runTimeOnly ?? '')}`} | ${cell(c.ccpa)} |`),
    '',
  ];
  return lines.join('\n');
}
