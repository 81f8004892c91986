/**
 * The command line loads what a command needs and no more: `quire build` of a Quire site never
 * loads Liquid, the preview server, the watcher or the link checker (together about 80 ms of
 * every build's start). Checked on the real CLI, with a resolve hook recording each module.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUIRE_ROOT } from '../../src/package-root.js';
import { writeSite } from '../helpers/site.js';
import { assertCompiled, quire } from './run.js';

// As a file URL, which --import takes on every system and with spaces in the path.
const REGISTER = pathToFileURL(path.join(QUIRE_ROOT, 'test', 'helpers', 'loaded-modules', 'register.mjs')).href;
const ONLY_FOR_OTHER_COMMANDS = ['liquidjs', 'chokidar', 'send', 'htmlparser2'];

/** The packages a `quire` run loaded, by name. */
async function packagesLoaded(args: string[], cwd: string): Promise<string[]> {
  const log = path.join(cwd, 'loaded.txt');
  const run = await quire(args, { cwd, env: { NODE_OPTIONS: `--import="${REGISTER}"`, QUIRE_LOADED_LOG: log } });
  expect(run.status, run.stderr).toBe(0);
  const names = readFileSync(log, 'utf8').match(/node_modules\/([^/]+)/g) ?? [];
  return [...new Set(names.map((name) => name.slice('node_modules/'.length)))].sort();
}

beforeAll(() => assertCompiled());

describe('what a command loads', () => {
  it('builds a Quire site without Liquid, the preview server, the watcher or the link checker', async () => {
    const root = writeSite({ '_config.yml': 'title: T\ntimezone: UTC\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nHello.\n' });
    const loaded = await packagesLoaded(['build'], root);
    expect(loaded).toContain('markdown-it');
    expect(loaded.filter((name) => ONLY_FOR_OTHER_COMMANDS.includes(name))).toEqual([]);
  });

  it('loads Liquid for a Jekyll site', async () => {
    const root = writeSite({ '_config.yml': 'title: T\ntimezone: UTC\n', '_layouts/post.html': '<main>{{ content }}</main>\n', '_posts/2024-01-01-a.md': '---\nlayout: post\ntitle: A\n---\nHello.\n' });
    expect(await packagesLoaded(['build'], root)).toContain('liquidjs');
  });
});
