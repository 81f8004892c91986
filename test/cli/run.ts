import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QUIRE_ROOT } from '../../src/package-root.js';
import { CLI } from '../errors/support.js';

/** The compiled CLI these tests run, as a user would (`npm test` compiles it first, in pretest). */
export { CLI };

export function assertCompiled(): void {
  for (const file of ['quire.js', 'main.js', 'init.js', 'new.js', 'build.js']) {
    if (!existsSync(path.join(QUIRE_ROOT, 'dist', 'cli', file))) {
      throw new Error(`dist/cli/${file} is missing: run \`npx tsc -p tsconfig.json\` first (\`npm test\` does it in pretest)`);
    }
  }
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `quire ...args` in `cwd` with pipes for stdout and stderr (so not on a terminal). The
 * environment is the test's own minus anything that changes Quire's behaviour, plus `env`.
 */
export function quire(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'QUIRE_ENV', 'JEKYLL_ENV', 'QUIRE_NOW']) delete env[name];
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? os.tmpdir(), env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `script` (util-linux) gives a command a real terminal; tests that need one skip without it. */
export const HAVE_SCRIPT = process.platform === 'linux' && spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs `quire ...args` on a pseudo-terminal; stdout and stderr arrive mixed, as a user sees them. */
export function quireOnTerminal(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Run {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  const env: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'QUIRE_ENV', 'JEKYLL_ENV', 'QUIRE_NOW']) delete env[name];
  Object.assign(env, options.env);
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'quire-cli-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under `root`, as `/`-separated relative paths. */
export function filesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  if (existsSync(root) && statSync(root).isDirectory()) walk(root);
  return found.sort();
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/** ESC, the start of every ANSI colour or cursor sequence. */
export const ANSI = /\u001b/;
