import { NagMessageLevel } from 'cdk-nag';
import { CcpaRule } from '../../lib/nag/private/rule';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** RULES.md, rendered from the rules' own metadata (the sync test compares it with the committed file). */
export function renderRulesMd(rules: readonly CcpaRule[]): string {
  const lines = [
    '# CcpaChecks rules',
    '',
    '<!-- Generated from lib/nag/rules/**: edit the rule, then run `UPDATE_RULES_MD=1 npx jest test/nag/rules-md.test.ts`. test/nag/rules-md.test.ts fails when this file drifts. -->',
    '',
    'Every rule of `CcpaChecks` (cdk-nag v3 pack `CCPA`). Errors fail `cdk synth` with exit code 1; warnings are reported and do not.',
    'Scope is fail-closed: a data store is personal unless tagged `privacy:classification=non-personal`.',
    'A value a rule cannot resolve at synth (a token, a parameter, an unmapped import) is reported as `<id>[CannotVerify]` at the rule\'s level, never passed silently.',
    'Acknowledge one finding on one resource with `Validations.of(construct).acknowledge({ id: \'<id>\', reason: \'...\' })` (use the bare id, e.g. `CCPA-S3BucketTlsOnly` or `CCPA-S3BucketTlsOnly[CannotVerify]`).',
    '',
    `${rules.length} rules.`,
    '',
    '| id | level | what it checks | why (citation) | dossier failure pattern | how to fix |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| \`CCPA-${r.id}\` | ${r.level === NagMessageLevel.ERROR ? 'error' : 'warning'} | ${cell(r.what)} | ${cell(r.citation)} | ${cell(r.pattern)} | ${cell(r.fix)} |`),
    '',
  ];
  return lines.join('\n');
}
