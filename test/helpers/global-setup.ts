import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One temporary folder for a whole test run: the sites, builds and clones tests make go inside it
 * (os.tmpdir() follows TMPDIR, in the test processes and in the `quire` processes they start), and
 * it is removed at the end, so test runs do not fill the machine's /tmp.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'quire-tests-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
