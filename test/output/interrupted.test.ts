import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types, shared with the benchmark
import { writeCorpus } from '../../bench/corpus.mjs';
import { readTree, writeSite } from '../helpers/site.js';
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
});
