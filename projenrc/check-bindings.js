#!/usr/bin/env node
// Checks the language bindings `jsii-pacmak --code-only` generated: every target has code, and every
// exported class of the library (from .jsii) has a generated source file in each language.
//   node projenrc/check-bindings.js <outdir>
const fs = require('fs');
const path = require('path');

const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: node projenrc/check-bindings.js <outdir>');
  process.exit(2);
}
const assembly = JSON.parse(fs.readFileSync('.jsii', 'utf8'));
const classes = Object.values(assembly.types).filter((t) => t.kind === 'class').map((t) => t.name);
const files = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map((f) => path.basename(String(f))) : []);
// where each target writes one source file a class
const targets = {
  python: { dir: 'python', has: (all, name) => all.length > 0 && name.length > 0 }, // one module file: checked below by content
  java: { dir: 'java', has: (all, name) => all.includes(`${name}.java`) },
  dotnet: { dir: 'dotnet', has: (all, name) => all.includes(`${name}.cs`) },
  go: { dir: 'go', has: (all, name) => all.includes(`${name}.go`) },
};
let failed = false;
for (const [target, { dir, has }] of Object.entries(targets)) {
  const all = files(path.join(outdir, dir));
  const missing = classes.filter((name) => !has(all, name));
  if (all.length === 0 || missing.length > 0) {
    failed = true;
    console.error(`${target}: ${all.length === 0 ? 'no code generated' : `no source for ${missing.join(', ')}`}`);
  } else {
    console.log(`${target}: ${all.length} files, every one of the ${classes.length} classes`);
  }
}
// python: one __init__.py a module, the classes inside it
const python = fs.readdirSync(path.join(outdir, 'python'), { recursive: true })
  .filter((f) => String(f).endsWith('__init__.py'))
  .map((f) => fs.readFileSync(path.join(outdir, 'python', String(f)), 'utf8')).join('\n');
const missingPython = classes.filter((name) => !new RegExp(`^class ${name}\\b`, 'm').test(python));
if (missingPython.length > 0) {
  failed = true;
  console.error(`python: no class for ${missingPython.join(', ')}`);
}
process.exit(failed ? 1 : 0);
