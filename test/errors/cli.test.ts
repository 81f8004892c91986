/**
 * The real command line (`node dist/cli/quire.js build`) on broken sites: exit code 1, every
 * problem as file:line with a code frame, no stack trace unless --trace, and the previous
 * _site/ left exactly as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNREADABLE, unreadableAvailable, writeSite } from '../helpers/site.js';
import { ensureCompiled, runCli } from './support.js';

const CONFIG = 'title: CLI errors\nurl: https://example.com\ntimezone: UTC\n';
const GOOD_SITE = {
  '_config.yml': CONFIG,
  'posts/2024-01-01-first.md': '---\ntitle: First\ntags: [a]\ncoordinates: [0.2, 0.4]\n---\nHello *world*.\n',
  'posts/2024-01-02-second.md': '---\ntitle: Second\ncategories: [notes]\n---\nAgain.\n',
  'public/img/dot.png': 'not really a png',
};
const STACK_LINE = /^\s+at /m;

/** Every file under `folder` with a hash of its bytes, plus its folders, for byte-for-byte comparison. */
function snapshot(folder: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path;
    const full = path.join(parent, entry.name);
    const relative = path.relative(folder, full);
    result[relative] = entry.isDirectory() ? 'folder' : createHash('sha256').update(readFileSync(full)).digest('hex') + `:${statSync(full).mtimeMs}`;
  }
  return result;
}

/** Folders the writer stages beside the destination; none may be left behind. */
function stagingLeftovers(root: string): string[] {
  return readdirSync(root).filter((name) => name.includes('.quire-new-') || name.includes('.quire-old-'));
}

beforeAll(() => ensureCompiled());

describe('quire build on a broken site (real CLI)', () => {
  it('exits 1 and prints file:line, a code frame and a hint for each problem, with no stack trace', async () => {
    const root = writeSite({
      '_config.yml': CONFIG,
      'posts/2024-01-01-yaml.md': '---\ntitle: ok\ntags: [one, two\nmore: x\n---\nBody\n',
      'posts/2024-01-02-date.md': '---\ntitle: Date\ndate: 2024-13-45\n---\nBody\n',
      'posts/2024-01-03-coordinates.md': '---\ntitle: C\ncoordinates: north\n---\nBody\n',
      'posts/2024-01-04-fine.md': '---\ntitle: Fine\n---\nBody\n',
    });
    const result = await runCli(['build', '--source', root]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/Built/);
    const err = result.stderr;
    expect(err).toMatch(/^error posts\/2024-01-01-yaml\.md:3:7: front matter is not valid YAML: the `\[` opened here is never closed/m);
    expect(err).toMatch(/^> 3 \| tags: \[one, two$/m);
    expect(err).toMatch(/^ {2}hint: close it with `\]`/m);
    expect(err).toMatch(/^error posts\/2024-01-02-date\.md:3:1: Invalid date "2024-13-45"/m);
    expect(err).toMatch(/^> 3 \| date: 2024-13-45$/m);
    expect(err).toMatch(/^error posts\/2024-01-03-coordinates\.md:3:1: `coordinates` must be two numbers/m);
    // A first build: there was no site to leave as it was.
    expect(err).toMatch(/Build failed: 3 problems\. Nothing was written\.\n$/);
    expect(existsSync(path.join(root, '_site'))).toBe(false);
    expect(err).not.toMatch(STACK_LINE);
    expect(err).not.toMatch(/--trace/); // mistakes in the input are not internal errors
    // Fixed and built, then broken again: the site built before stays.
    writeFileSync(path.join(root, 'posts/2024-01-01-yaml.md'), '---\ntitle: ok\n---\nBody\n');
    writeFileSync(path.join(root, 'posts/2024-01-02-date.md'), '---\ntitle: Date\n---\nBody\n');
    writeFileSync(path.join(root, 'posts/2024-01-03-coordinates.md'), '---\ntitle: C\n---\nBody\n');
    expect((await runCli(['build', '--source', root])).code).toBe(0);
    writeFileSync(path.join(root, 'posts/2024-01-02-date.md'), '---\ntitle: Date\ndate: 2024-13-45\n---\nBody\n');
    const again = await runCli(['build', '--source', root]);
    expect(again.stderr).toMatch(/Build failed: 1 problem\. The previous site was left as it was\.\n$/);
  });

  it('refuses a 50 MB post within seconds, with a clear error', async () => {
    const root = writeSite({ '_config.yml': CONFIG, 'posts/2024-01-01-fine.md': '---\ntitle: Fine\n---\nBody\n' });
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.\n\n';
    writeFileSync(path.join(root, 'posts/2024-01-02-huge.md'), `---\ntitle: Huge\n---\n${paragraph.repeat(Math.ceil((50 * 1024 * 1024) / paragraph.length))}`);
    const result = await runCli(['build', '--source', root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error posts\/2024-01-02-huge\.md: the file is 50\.0 MB, and Quire reads posts, pages and templates only up to 10\.0 MB/m);
    expect(result.ms).toBeLessThan(10_000); // ~0.4 s here, most of it starting node
  });

  it('reports a template syntax error and post errors in one run', async () => {
    const root = writeSite({
      '_config.yml': CONFIG,
      'templates/broken.njk': '---\nlayout: default\n---\n{% if %}\n',
      'posts/2024-01-01-yaml.md': '---\ntitle: ok\ntags: [one, two\nmore: x\n---\nBody\n',
    });
    const result = await runCli(['build', '--source', root]);
    expect(result.stderr).toMatch(/templates\/broken\.njk:4:7/);
    expect(result.stderr).toMatch(/posts\/2024-01-01-yaml\.md:3:7/);
  });

  it.skipIf(!unreadableAvailable)('names a static file the system will not let it read, with no stack trace unless --trace', async () => {
    const root = writeSite(GOOD_SITE);
    symlinkSync(UNREADABLE, path.join(root, 'public', 'img', 'gone.png'));
    const plain = await runCli(['build'], { cwd: root });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error public\/img\/gone\.png: cannot be copied into the site: permission denied \(EACCES\)$/m);
    expect(plain.stderr).not.toMatch(/internal error|please report/);
    expect(plain.stderr).not.toMatch(STACK_LINE);

    const traced = await runCli(['build', '--trace'], { cwd: root });
    expect(traced.code).toBe(1);
    expect(traced.stderr).toMatch(/^error public\/img\/gone\.png: cannot be copied/m);
    expect(traced.stderr).toMatch(STACK_LINE);
  });

  it.skipIf(!existsSync('/proc/self'))('shows a stack trace for an internal error only with --trace', async () => {
    // Nothing can be made under /proc: an error of no kind Quire knows (ENOENT making the staging folder).
    const root = writeSite(GOOD_SITE);
    const destination = `/proc/quire-test-${process.pid}`;
    const plain = await runCli(['build', '--source', root, '--destination', destination]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^internal error .*ENOENT/m);
    expect(plain.stderr).toMatch(/Run again with --trace to see where it happened/);
    expect(plain.stderr).not.toMatch(STACK_LINE);

    const traced = await runCli(['build', '--source', root, '--destination', destination, '--trace']);
    expect(traced.code).toBe(1);
    expect(traced.stderr).toMatch(/^internal error .*ENOENT/m);
    expect(traced.stderr).toMatch(STACK_LINE);
  });
});

describe('a failed build leaves the previous site as it was', () => {
  it('byte for byte after an input error, with no staging folders left', async () => {
    const root = writeSite(GOOD_SITE);
    const first = await runCli(['build', '--source', root]);
    expect(first.code, first.stderr).toBe(0);
    const destination = path.join(root, '_site');
    const before = snapshot(destination);
    expect(Object.keys(before)).toContain(path.join('2024', '01', '01', 'first.html'));
    const cache = snapshot(path.join(root, '.quire-cache')); // what the next build compares against

    writeFileSync(path.join(root, 'posts/2024-01-02-second.md'), '---\ntitle: Second\ncoordinates: [2, 2]\n---\nChanged and broken.\n');
    writeFileSync(path.join(root, 'posts/2024-01-03-third.md'), '---\ntitle: Third\n---\nA new, good post.\n');
    const second = await runCli(['build', '--source', root]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/posts\/2024-01-02-second\.md:3:1: `coordinates` must be two numbers/);

    expect(snapshot(destination)).toEqual(before);
    expect(snapshot(path.join(root, '.quire-cache'))).toEqual(cache);
    expect(stagingLeftovers(root)).toEqual([]);
  });

  it('byte for byte when a late index page fails to render after earlier ones were written', async () => {
    const root = writeSite(GOOD_SITE);
    expect((await runCli(['build', '--source', root])).code).toBe(0);
    const destination = path.join(root, '_site');
    const before = snapshot(destination);

    // The sitemap renders after the home page, archive and map, which a fresh build has written by then.
    mkdirSync(path.join(root, 'templates'));
    writeFileSync(path.join(root, 'templates', 'sitemap.xml.njk'), '<?xml version="1.0"?>\n<urlset>{{ no_such_function() }}</urlset>\n');
    const second = await runCli(['build', '--source', root, '--fresh']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^error templates\/sitemap\.xml\.njk:2:/m);
    expect(second.stderr).toMatch(/no_such_function/);
    expect(snapshot(destination)).toEqual(before);
    expect(stagingLeftovers(root)).toEqual([]);
  });

  it.skipIf(!unreadableAvailable)('byte for byte after a file the system refused while writing', async () => {
    const root = writeSite(GOOD_SITE);
    expect((await runCli(['build', '--source', root])).code).toBe(0);
    const destination = path.join(root, '_site');
    const before = snapshot(destination);

    writeFileSync(path.join(root, 'posts/2024-01-01-first.md'), '---\ntitle: First, edited\n---\nEdited.\n');
    symlinkSync(UNREADABLE, path.join(root, 'public', 'img', 'gone.png'));
    const second = await runCli(['build', '--source', root]);
    expect(second.code).toBe(1);
    expect(snapshot(destination)).toEqual(before);
    expect(stagingLeftovers(root)).toEqual([]);
  });
});
