import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types, shared with the benchmark
import { writeCorpus } from '../../bench/corpus.mjs';
import { immutableAvailable, readTree, writeSite } from '../helpers/site.js';
import { quire } from '../cli/run.js';
import { CLI } from '../errors/support.js';

function build(root: string, killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'build', '--source', root], { stdio: 'ignore' });
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => resolve(code));
  });
}

describe('a build killed half way', () => {
  it('leaves the previous site whole, and the next build cleans up after it', async () => {
    const root = writeSite({ '_config.yml': 'title: Interrupted\ntimezone: UTC\n' }, 'quire-interrupt-');
    writeCorpus(root, 400);
    expect(await build(root)).toBe(0);
    const before = readTree(path.join(root, '_site'));

    // Change every post, then kill builds at several moments: before, during and after writing.
    for (const name of readdirSync(path.join(root, '_posts'))) {
      const file = path.join(root, '_posts', name);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: "/m, 'title: "Changed '));
    }
    for (const delay of [150, 400, 700, 1000]) {
      await build(root, delay);
      const now = readTree(path.join(root, '_site'));
      const postPages = [...now.entries()].filter(([file]) => /\d{4}\/\d{2}\/\d{2}\/[^/]+\.html$/.test(file));
      expect(postPages.length).toBe(400);
      const changed = postPages.filter(([, text]) => text.includes('Changed ')).length;
      // All old (the previous site, byte for byte) or all new: never a mix.
      if (changed === 0) expect(now).toEqual(before);
      else expect(changed).toBe(400);
    }
    expect(await build(root)).toBe(0);
    expect(readdirSync(root).filter((name) => name.includes('.quire-new-') || name.includes('.quire-old-'))).toEqual([]);
  }, 120_000);

  it('has its half-written folder removed by the next build, even one that finds nothing to do', async () => {
    const root = writeSite({ '_config.yml': 'title: Interrupted\ntimezone: UTC\n' }, 'quire-interrupt-');
    writeCorpus(root, 20);
    expect(await build(root)).toBe(0);
    // What a build killed while writing its fresh folder, or while removing the old site, leaves.
    for (const name of ['._site.quire-new-0123abcd', '._site.quire-old-4567ef01']) {
      mkdirSync(path.join(root, name, 'posts'), { recursive: true });
      writeFileSync(path.join(root, name, 'posts', 'index.html'), 'half');
    }
    expect(await build(root)).toBe(0); // up to date
    expect(readdirSync(root).filter((name) => name.includes('.quire-new-') || name.includes('.quire-old-'))).toEqual([]);
  });

  it.skipIf(!immutableAvailable)('a whole build whose old site cannot be removed succeeds, says so, and the next build removes it', async () => {
    const root = writeSite({ '_config.yml': 'title: Leftover\ntimezone: UTC\n' }, 'quire-interrupt-');
    writeCorpus(root, 5);
    expect(await build(root)).toBe(0);
    const locked = path.join(root, '_site', 'index.html');
    execFileSync('chattr', ['+i', locked]);
    let run;
    try {
      run = await quire(['build', '--fresh', '--source', root]);
    } finally {
      const moved = readdirSync(root).find((name) => name.startsWith('._site.quire-old-'));
      execFileSync('chattr', ['-i', moved ? path.join(root, moved, 'index.html') : locked]);
    }
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^warning the previous site, moved to \S*\._site\.quire-old-\w+ when the new one took its place, could not be removed; the next build tries again, or delete it yourself\n$/);
    expect(readFileSync(path.join(root, '_site', 'index.html'), 'utf8')).toContain('Leftover');
    expect(await build(root)).toBe(0);
    expect(readdirSync(root).filter((name) => name.includes('.quire-old-'))).toEqual([]);
  });
});
