import * as fs from 'fs';
import * as path from 'path';
import { LegacyESLint } from 'eslint/use-at-your-own-risk';
import { LAYERS, MODULES } from '../../projenrc/layers';

const ROOT = path.join(__dirname, '..', '..');
const RULE = 'import/no-restricted-paths';

/** The generated .eslintrc.json (projen heads it with a `//` comment line). */
function eslintrc(): any {
  return JSON.parse(fs.readFileSync(path.join(ROOT, '.eslintrc.json'), 'utf8').replace(/^\/\/.*$/m, ''));
}

/** The generated eslint configuration (what `npm run eslint` uses), reduced to the layer rule. */
function layerLinter(): LegacyESLint {
  const config = eslintrc();
  return new LegacyESLint({
    cwd: ROOT,
    extensions: ['.ts'],
    useEslintrc: false,
    baseConfig: {
      parser: '@typescript-eslint/parser',
      parserOptions: { ecmaVersion: 2018, sourceType: 'module' },
      plugins: ['import'],
      settings: config.settings,
      rules: { [RULE]: config.rules[RULE] },
    },
  });
}

/** The layer-rule messages of `source` as if it were the file `file` (relative to the repository). */
async function violations(file: string, source: string): Promise<string[]> {
  const [result] = await layerLinter().lintText(source, { filePath: path.join(ROOT, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lib/ layers (import/no-restricted-paths, generated from projenrc/layers.ts)', () => {
  test('GIVEN the generated .eslintrc.json THEN the layer rule is an error', () => {
    const rule = eslintrc().rules[RULE];
    expect(rule[0]).toBe('error');
    expect(rule[1].zones.length).toBeGreaterThan(50);
  });

  test('GIVEN the folders of lib/ THEN each is a module in exactly one layer', () => {
    const folders = fs.readdirSync(path.join(ROOT, 'lib'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect([...folders].sort()).toEqual([...MODULES].sort());
    expect(new Set(MODULES).size).toBe(MODULES.length);
    expect(LAYERS[0]).toEqual(['private']);
  });

  test.each([
    ['an upward import (storage -> inventory)', 'lib/storage/bad.ts', "import { PrivacyInventory } from '../inventory/privacy-inventory';", /lib\/storage \(layer 3\) must not import lib\/inventory \(layer 4\)/],
    ['an upward import through an index (encryption -> storage)', 'lib/encryption/bad.ts', "import { PrivacyTable } from '../storage';", /lib\/encryption \(layer 2\) must not import lib\/storage/],
    ['an import within a layer (audit -> network)', 'lib/audit/bad.ts', "import { PrivateProcessingNetwork } from '../network/private-processing-network';", /lib\/audit \(layer 4\) must not import lib\/network \(layer 4\)/],
    ['the shared layer importing a module (private -> classification)', 'lib/private/bad.ts', "import { PrivacyTagKeys } from '../classification/privacy-tag-keys';", /lib\/private \(layer 0\) must not import lib\/classification/],
    ['the rule pack importing the DSR workflow (nag -> dsr)', 'lib/nag/rules/s3/Bad.ts', "import { DsrWorkflow } from '../../../dsr/dsr-workflow';", /lib\/nag \(layer 5\) must not import lib\/dsr \(layer 5\)/],
    ['a lower module\'s private/ (dsr -> storage/private)', 'lib/dsr/bad.ts', "import { withoutAccessConditions } from '../storage/private/abac';", /lib\/storage\/private is private to lib\/storage/],
    ['a lower module\'s private/ from its private/ (storage/private -> encryption/private)', 'lib/storage/private/bad.ts', "import { KEY_ADMIN_ACTIONS } from '../../encryption/private/key-policy';", /lib\/encryption\/private is private to lib\/encryption/],
  ])('GIVEN %s THEN the lint fails', async (_name, file, source, message) => {
    const found = await violations(file, `${source}\nexport const x = 1;\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(RULE);
    expect(found[0]).toMatch(message);
  });

  test.each([
    ['a downward import (dsr -> storage)', 'lib/dsr/good.ts', "import { IPersonalDataStore } from '../storage/personal-data-store';"],
    ['the shared layer (api -> lib/private)', 'lib/api/good.ts', "import { PropsValidator } from '../private/validation';"],
    ['a module\'s own private/ (storage -> storage/private)', 'lib/storage/good.ts', "import { withoutAccessConditions } from './private/abac';"],
    ['the tag model from the rule pack (nag -> classification)', 'lib/nag/rules/s3/Good.ts', "import { PrivacyTagKeys } from '../../../classification/privacy-tag-keys';"],
  ])('GIVEN %s THEN the lint passes', async (_name, file, source) => {
    expect(await violations(file, `${source}\nexport const x = 1;\n`)).toEqual([]);
  });

  test('GIVEN lib/ as it is THEN no import breaks the layers', async () => {
    const results = await layerLinter().lintFiles([path.join(ROOT, 'lib')]);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE).map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.message}`));
    expect(results.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
