import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { watchProblem, watchSite, type SiteWatcher } from '../../src/dev/watch.js';
import { writeSite } from '../helpers/site.js';

const POSTS = ['posts/2024-01-01-a.md', 'posts/2024-01-02-b.md', 'posts/2024-01-03-c.md'];

let watcher: SiteWatcher | null = null;
afterEach(async () => {
  await watcher?.close();
  watcher = null;
});

/** A site of three posts, watched with the given waits; returns each batch's paths as they come. */
async function watched(waits: { loneMs: number; recentMs: number; quietMs: number }): Promise<{ root: string; batches: string[][] }> {
  const root = writeSite(Object.fromEntries(POSTS.map((file) => [file, `---\ntitle: ${file}\n---\nText.\n`])));
  const batches: string[][] = [];
  watcher = await watchSite(resolveConfig(root, {}), [], (batch) => batches.push([...batch.paths].sort()), { ...waits, maxWaitMs: 10_000 });
  return { root, batches };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, ms: number): Promise<void> {
  for (const start = Date.now(); !done() && Date.now() - start < ms; ) await sleep(10);
}

describe('watching a site', () => {
  it('reports a lone save without waiting for a burst to settle', async () => {
    const { root, batches } = await watched({ loneMs: 0, recentMs: 100, quietMs: 8_000 });
    writeFileSync(path.join(root, POSTS[0]!), '---\ntitle: Edited\n---\nText.\n');
    await until(() => batches.length > 0, 4_000);
    expect(batches).toEqual([[POSTS[0]]]);
  });

  it('takes changes that follow others closely for a burst, and reports it as one batch once it settles', async () => {
    const { root, batches } = await watched({ loneMs: 200, recentMs: 2_000, quietMs: 1_000 });
    // Each change comes within `recentMs` of the one before: a burst. The third comes after the
    // lone wait of the second but within its quiet wait, so a lone wait would have split the batch.
    writeFileSync(path.join(root, POSTS[0]!), 'edited');
    await sleep(50);
    writeFileSync(path.join(root, POSTS[1]!), 'edited');
    await sleep(500);
    writeFileSync(path.join(root, POSTS[2]!), 'edited');
    await until(() => batches.length > 0, 5_000);
    await sleep(300);
    expect(batches).toEqual([POSTS]);
  });
});

describe('a path the watcher cannot watch', () => {
  it('on Linux\'s limit of watched files (ENOSPC while watching), says which limit and how to raise it, not that the disk is full', () => {
    const error = Object.assign(new Error("ENOSPC: System limit for number of file watchers reached, watch '/site/posts/a.md'"), { code: 'ENOSPC', syscall: 'watch', path: '/site/posts/a.md' });
    expect(watchProblem(error, '/site')).toEqual({
      file: 'posts/a.md',
      message: "cannot be watched for changes, nor can any file after it: the system's limit on watched files is reached",
      hint: 'raise it, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`, and start `quire serve` again',
    });
  });

  it('without permission, says so and that its changes are not seen', () => {
    const error = Object.assign(new Error("EACCES: permission denied, watch '/site/public/x.png'"), { code: 'EACCES', syscall: 'watch', path: '/site/public/x.png' });
    expect(watchProblem(error, '/site')).toEqual({ file: 'public/x.png', message: 'cannot be watched for changes: permission denied (EACCES); changes to it are not seen' });
  });
});
