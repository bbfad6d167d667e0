import * as fs from 'fs';
import * as path from 'path';
import { PROVISIONS, cite, citationText } from '../../lib/private/provisions';

/**
 * Every citation of a statute section (1798.x) or a regulation (§ 7xxx, 11 CCR 7xxx) anywhere in
 * lib/ (code, messages, comments) and the README must be an entry of the one table of provisions,
 * so a wrong citation is fixed in one place. A bare parent (1798.150 for 1798.150(a)(1)) is not
 * accepted: it is how a citation drifts from what the provision says.
 */
const ROOT = path.join(__dirname, '..', '..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The normalized id of every citation in `text` (`1798.100(e)`, `7123(c)(7)`). */
export function citationsIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b1798\.\d+(?:\.\d+)?(?:\([a-zA-Z0-9]+\))*/g)) found.push(m[0]);
  for (const m of text.matchAll(/(?:§§?|11 CCR)\s*(?:§\s*)?(7\d{3}(?:\([a-zA-Z0-9]+\))*)((?:\s*(?:,|and|–|-)\s*(?:§\s*)?7\d{3}(?:\([a-zA-Z0-9]+\))*)*)/g)) {
    found.push(m[1]);
    for (const more of (m[2] ?? '').matchAll(/7\d{3}(?:\([a-zA-Z0-9]+\))*/g)) found.push(more[0]);
  }
  return found;
}

const TABLE = new Set(Object.keys(PROVISIONS).map((id) => id.replace(/^(civ|ccr)-/, '')));

/** The data category catalogue and the design notes cite the definitions of 1798.140 ((v), (w), (aa), (ae)) and their subparagraphs. */
function isDefinition(c: string): boolean {
  return /^1798\.140\((v|w|aa|ae)\)/.test(c) && TABLE.has('1798.140');
}

describe('the table of provisions', () => {
  test('every citation in lib/, the README and docs/ is in the table', () => {
    const missing: string[] = [];
    const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'docs', f));
    const sources = [...files(path.join(ROOT, 'lib')), path.join(ROOT, 'README.md'), ...docs];
    for (const file of sources) {
      if (file.endsWith(path.join('private', 'provisions.ts'))) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/\b(is not a|is no|not the) basis\b/.test(line)) return; // a provision named to say it does not apply
        for (const c of citationsIn(line)) {
          if (!TABLE.has(c) && !isDefinition(c)) missing.push(`${path.relative(ROOT, file)}:${i + 1}: ${c}`);
        }
      });
    }
    expect(missing).toEqual([]);
  });

  test('the scan sees the forms a citation takes', () => {
    expect(citationsIn('Cal. Civ. Code 1798.130(a)(2)(B) and 1798.150')).toEqual(['1798.130(a)(2)(B)', '1798.150']);
    expect(citationsIn('(11 CCR 7022(d)); 11 CCR § 7101; §§ 7123(c)(7), 7122')).toEqual(['7022(d)', '7101', '7123(c)(7)', '7122']);
  });

  test('no provision the 2026 review found wrong is in the table', () => {
    for (const wrong of ['1798.130(a)(2)(B)', '1798.185(a)(15)', '1798.185(a)(15)(A)', '1798.185(a)(7)', '1798.150', '1798.199.90']) {
      expect(TABLE.has(wrong)).toBe(false);
    }
  });

  test('cite gives the label and citationText refuses an unknown id', () => {
    expect(cite('ccr-7123(c)(7)')).toBe('11 CCR § 7123(c)(7)');
    expect(cite('civ-1798.81.5(b)')).toBe('Cal. Civ. Code 1798.81.5(b)');
    expect(() => citationText(['civ-1798.185(a)(15)'])).toThrow(/not in the table/);
  });
});
