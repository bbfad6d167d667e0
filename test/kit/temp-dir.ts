/**
 * Temporary folders for a test file, removed after its tests. The module is loaded once per test
 * file (jest gives each file its own module registry), so its `afterAll` belongs to the file that
 * imported it; import it at the top of the file (hooks cannot be added while a test runs).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new folder under the system's temporary folder, named `<prefix><random>`, removed after the file's tests. */
export function testTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
