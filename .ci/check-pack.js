#!/usr/bin/env node
// `npm pack` on this clone ships the complete package: what `npx projen package:js` ships.
// Runs `npm pack --json` (its prepack builds) into dist/ci/, checks the file list and prints the
// tarball's path on its last line (the consumer test installs it).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const dest = path.join('dist', 'ci');
fs.rmSync(dest, { recursive: true, force: true });
fs.mkdirSync(dest, { recursive: true });
const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
// prepack's own output comes first on stdout; the JSON report is the last top-level array
const json = out.slice(out.lastIndexOf('\n[\n') + 1);
const [info] = JSON.parse(json);
const files = new Set(info.files.map((f) => f.path));
const handlers = fs.readdirSync('lib', { recursive: true }).map(String).filter((f) => f.endsWith('.lambda.ts'))
  .map((f) => path.posix.join('assets', 'lib', f.split(path.sep).join('/').replace(/\.ts$/, ''), 'index.js'));
const required = ['.jsii', 'package.json', 'README.md', 'LICENSE', 'build/index.js', 'build/index.d.ts', 'build/cli/main.js', ...handlers];
const missing = required.filter((f) => !files.has(f));
const leaked = [...files].filter((f) => /^(lib|test|integ|examples|bench|\.ci)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'));
if (missing.length > 0 || leaked.length > 0) {
  if (missing.length > 0) console.error(`npm pack misses: ${missing.join(', ')}`);
  if (leaked.length > 0) console.error(`npm pack ships sources it should not: ${leaked.slice(0, 10).join(', ')}`);
  process.exit(1);
}
console.log(`npm pack: ${files.size} files, with the assembly, the build and ${handlers.length} bundled handlers`);
console.log(path.resolve(dest, info.filename));
