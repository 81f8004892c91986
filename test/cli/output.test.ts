import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { showProgress } from '../../src/cli/build.js';
import { spawnSync } from 'node:child_process';
import { writeSite } from '../helpers/site.js';
import { assertCompiled, ANSI, CLI, HAVE_SCRIPT, quire, quireOnTerminal, tempDir, type Run } from './run.js';

beforeAll(assertCompiled);

/** A site whose build prints a warning; `broken` makes the build fail instead. */
function site(broken = false): string {
  const dir = tempDir('quire-output-');
  writeFileSync(path.join(dir, '_config.yml'), `title: T\ntimezone: UTC\npermalnk: date\n${broken ? 'paginate: five\n' : ''}`);
  mkdirSync(path.join(dir, 'posts'));
  writeFileSync(path.join(dir, 'posts/2024-01-01-hello.md'), '---\ntitle: Hello\n---\nHi.\n');
  return dir;
}

/** Runs that between them print every kind of message: success, warning, error, usage error. */
async function everyKindOfMessage(run: (args: string[], cwd: string) => Run | Promise<Run>): Promise<Run[]> {
  const dir = tempDir('quire-output-');
  const commands = [
    ['build', '--source', site()],
    ['build', '--source', site(true)],
    ['init', path.join(dir, 'blog'), '--timezone', 'UTC'],
    ['new', 'Hello', '--source', path.join(dir, 'blog')], // after init: in order
    ['new', 'Hello', '--draft', '--source', site()],
    ['biuld'],
    ['build', '--draft'],
  ];
  const runs: Run[] = [];
  for (const args of commands) runs.push(await run(args, dir));
  return runs;
}

describe('output that is not a terminal', () => {
  it('has no ANSI escapes, colour or progress', async () => {
    const runs = await everyKindOfMessage((args, cwd) => quire(args, { cwd }));
    expect(runs.map((run) => run.status)).toEqual([0, 1, 0, 0, 0, 2, 2]);
    for (const run of runs) {
      expect(run.stdout).not.toMatch(ANSI);
      expect(run.stderr).not.toMatch(ANSI);
      expect(run.stderr).not.toContain('\r');
      expect(run.stderr).not.toContain('Building...');
    }
    expect(runs[0]!.stderr).toMatch(/^warning \S*_config\.yml:3:/);
    expect(runs[1]!.stderr).toMatch(/^error \S*_config\.yml:4:/);
  });
});

describe('output into a pipe closed early', () => {
  it('ends quietly, with no stack trace, when the reader stops (`quire init x | head -1`)', () => {
    for (let round = 0; round < 5; round++) {
      // The shell's `head -0` stands for a reader that is gone before the first line is written.
      const run = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" init "${path.join(tempDir(), 'blog')}" | head -c 0`], { encoding: 'utf8' });
      expect(run.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    }
  });
});

describe.skipIf(!HAVE_SCRIPT)('output on a terminal', () => {
  it('is coloured', async () => {
    const runs = await everyKindOfMessage((args, cwd) => quireOnTerminal(args, { cwd }));
    expect(runs[0]!.stdout).toMatch(/\u001b\[33mwarning\u001b\[0m \S*_config\.yml:3:/);
    expect(runs[0]!.stdout).toMatch(/\u001b\[32mBuilt\u001b\[0m/);
    expect(runs[1]!.stdout).toContain('\u001b[31merror\u001b[0m');
    expect(runs[2]!.stdout).toContain('\u001b[32mCreated\u001b[0m');
  });

  it('has no ANSI escapes with NO_COLOR set, even empty (no-color.org)', async () => {
    for (const value of ['1', '']) {
      const runs = await everyKindOfMessage((args, cwd) => quireOnTerminal(args, { cwd, env: { NO_COLOR: value } }));
      expect(runs[0]!.stdout).toMatch(/warning \S*_config\.yml:3:/);
      for (const run of runs) expect(run.stdout).not.toMatch(ANSI);
    }
  });

  it('shows a slow build\'s progress on one line, redrawn with \\r and erased before the summary', () => {
    // Enough posts to take over a second on a small machine; on a fast one no line may show.
    const files: Record<string, string> = { '_config.yml': 'title: T\ntimezone: UTC\n' };
    const body = 'Some *words* and [a link](https://example.com). '.repeat(40);
    for (let i = 0; i < 400; i++) files[`posts/2023-01-${String((i % 28) + 1).padStart(2, '0')}-post-${i}.md`] = `---\ntitle: Post ${i}\n---\n${body}\n`;
    const dir = writeSite(files);
    const run = quireOnTerminal(['build'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(run.status).toBe(0);
    const summary = run.stdout.indexOf('Built 400 posts');
    expect(summary).toBeGreaterThanOrEqual(0);
    const progress = run.stdout.slice(0, summary);
    if (progress !== '') {
      expect(progress).toMatch(/^(\rBuilding\.\.\.( 400 posts)? \(\d+ s\) *)+\r +\r$/);
    }
    // The same build into a pipe shows none.
    const piped = spawnSync(process.execPath, [CLI, 'build', '--destination', path.join(dir, 'piped')], { cwd: dir, encoding: 'utf8' });
    expect(piped.stderr).toBe('');
  });
});

describe('the progress line of a slow build', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function fakeStream(isTTY: boolean) {
    const written: string[] = [];
    return { isTTY, written, write: (text: string) => written.push(text) > 0 };
  }

  it('appears after a second on a terminal, rewritten in place with \\r, and is erased at the end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    const stream = fakeStream(true);
    const progress = showProgress(stream, async () => 1200);
    await vi.advanceTimersByTimeAsync(999);
    expect(stream.written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stream.written.join('')).toContain('\rBuilding... 1200 posts (1 s)');
    await vi.advanceTimersByTimeAsync(2000);
    expect(stream.written.at(-1)).toMatch(/^\rBuilding\.\.\. 1200 posts \(3 s\) *$/);
    expect(stream.written.join('')).not.toContain('\n');
    progress.stop();
    const last = stream.written.at(-1)!;
    expect(last).toMatch(/^\r +\r$/);
    const longest = Math.max(...stream.written.slice(0, -1).map((text) => text.length - 1));
    expect(last.length - 2).toBeGreaterThanOrEqual(longest);
    const count = stream.written.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(stream.written).toHaveLength(count);
  });

  it('never writes when the build ends within the second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    const stream = fakeStream(true);
    const progress = showProgress(stream, async () => 5);
    await vi.advanceTimersByTimeAsync(500);
    progress.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(stream.written).toEqual([]);
  });

  it('never writes when the stream is not a terminal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    const stream = fakeStream(false);
    const progress = showProgress(stream, async () => 5);
    await vi.advanceTimersByTimeAsync(5000);
    progress.stop();
    expect(stream.written).toEqual([]);
  });
});
