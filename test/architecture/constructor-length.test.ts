import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Issue 11: no constructor in lib/ runs over 120 lines. A long constructor is split the way
 * aws-cdk's Table delegates to private methods and lib/dsr/private/ factories.
 */
const LIB = path.join(__dirname, '..', '..', 'lib');
const MAX_LINES = 120;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** `file:line Class.constructor N` for every constructor (its body, braces included) of `source`. */
export function constructorLengths(fileName: string, source: string): Array<{ where: string; lines: number }> {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: Array<{ where: string; lines: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isConstructorDeclaration(node) && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.body.getEnd()).line;
      const cls = ts.isClassLike(node.parent) && node.parent.name ? node.parent.name.text : '(anonymous)';
      found.push({ where: `${path.relative(LIB, fileName)}:${start + 1} ${cls}.constructor`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('constructor length', () => {
  test(`GIVEN lib/ THEN no constructor is over ${MAX_LINES} lines`, () => {
    const all = files(LIB).flatMap((f) => constructorLengths(f, fs.readFileSync(f, 'utf8')));
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((c) => c.lines > MAX_LINES).map((c) => `${c.where}: ${c.lines} lines`)).toEqual([]);
  });

  test('GIVEN a 121-line constructor THEN it is measured as 121 lines', () => {
    const body = Array.from({ length: 119 }, (_, i) => `    const x${i} = ${i};`).join('\n');
    const [c] = constructorLengths('x.ts', `class A {\n  constructor() {\n${body}\n  }\n}\n`);
    expect(c.lines).toBe(121);
  });
});
