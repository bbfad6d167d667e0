// Fails when a Lambda bundle under <dir> is larger than <maxBytes> (run by the projen `bundle:size` task).
// Usage: node projenrc/bundle-size.js assets 256000
const fs = require('fs');
const path = require('path');

const [dir = 'assets', max = '256000'] = process.argv.slice(2);
const maxBytes = Number(max);
const bundles = [];
(function walk(d) {
  for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.js')) bundles.push([p, fs.statSync(p).size]);
  }
})(dir);
let failed = false;
for (const [p, size] of bundles) {
  const over = size > maxBytes;
  failed ||= over;
  console.log(`${over ? 'TOO LARGE' : 'ok'} ${p} ${(size / 1024).toFixed(1)} KB (limit ${(maxBytes / 1024).toFixed(0)} KB)`);
}
if (bundles.length === 0) {
  console.error(`no bundle found under ${dir}/`);
  process.exit(1);
}
process.exit(failed ? 1 : 0);
