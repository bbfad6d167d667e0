#!/usr/bin/env node
// Runs a command with its output held back: printed only when it fails (then with its exit code).
//   node projenrc/quietly.js <command> [args...]
// The example task bundles the handlers this way, so the summary it prints fits one screen.
const { spawnSync } = require('child_process');

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node projenrc/quietly.js <command> [args...]');
  process.exit(2);
}
const result = spawnSync(command, args, { encoding: 'utf8', shell: false, maxBuffer: 64 * 1024 * 1024 });
if (result.error) {
  console.error(`${command}: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  process.exit(result.status ?? 1);
}
