import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes `files` (relative path -> text) into a new temporary folder and returns its path. */
export function writeSite(files: Record<string, string>, prefix = 'quire-site-'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

/** A fixed "now" for builds in tests: 2026-01-01T00:00:00Z. */
export const FIXED_NOW = { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 };

/** Every file under `root` (a built site): relative path with `/` -> contents as text. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
  }
  return files;
}

/**
 * A file no one can read, not even root (Linux's write-only sysctl), to make a copy fail while
 * writing; `unreadableAvailable` is false where it does not exist or can be read (other systems).
 */
export const UNREADABLE = '/proc/sys/vm/drop_caches';
export const unreadableAvailable = (() => {
  try {
    readFileSync(UNREADABLE);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES';
  }
})();

/** Whether `chattr +i` works here (root on a file system that has the flag), to make a rename fail. */
export const immutableAvailable = (() => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'quire-chattr-'));
  const file = path.join(folder, 'f');
  writeFileSync(file, 'x');
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
})();
