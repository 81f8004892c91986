/**
 * Running the real, compiled CLI (`node dist/cli/quire.js`) from tests. `dist/` is compiled with
 * `tsc -p tsconfig.json` when any file under src/ is newer than it; a lock folder keeps test
 * files that run at the same time from compiling over each other.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QUIRE_ROOT } from '../../src/package-root.js';

export const CLI = path.join(QUIRE_ROOT, 'dist', 'cli', 'quire.js');

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path;
    newest = Math.max(newest, statSync(path.join(parent, entry.name)).mtimeMs);
  }
  return newest;
}

function compiledIsFresh(): boolean {
  try {
    return statSync(CLI).mtimeMs >= newestSource(path.join(QUIRE_ROOT, 'src'));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Compiles src/ into dist/ unless it is up to date. */
export function ensureCompiled(): void {
  if (compiledIsFresh()) return;
  const lock = path.join(os.tmpdir(), `quire-tsc-${Buffer.from(QUIRE_ROOT).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is compiling; a lock older than two minutes is from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock);
      } catch {
        // gone already
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleep(200);
    }
  }
  try {
    if (compiledIsFresh()) return;
    try {
      execFileSync(process.execPath, [path.join(QUIRE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: QUIRE_ROOT, stdio: 'pipe' });
    } catch (error) {
      // Type errors still emit JavaScript; only a missing CLI is fatal.
      try {
        statSync(CLI);
      } catch {
        throw error;
      }
    }
  } finally {
    rmdirSync(lock);
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `node dist/cli/quire.js ...args` without a terminal (so no colours) and collects its output. */
export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? QUIRE_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
