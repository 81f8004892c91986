import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types, shared with the benchmark
import { writeCorpus } from '../bench/corpus.mjs';
import { buildInMemory, createBuilder } from '../src/build.js';
import { QUIRE_ROOT } from '../src/package-root.js';
import { loadConfig, type Config } from '../src/config.js';
import { readBuildState, saveBuildState } from '../src/output/state.js';
import { buildWholeSite } from '../src/parallel/build.js';
import { markupSetup, postCacheFolder, readPostCache, savePostCache, type HtmlRef } from '../src/content/post-cache.js';
import { FIXED_NOW, readTree, writeSite } from './helpers/site.js';

/** Checks that the destination holds exactly what a clean build of the builder behind `serve` makes. */
async function expectCleanBuild(config: Config): Promise<void> {
  const written = readTree(config.destination);
  const expected = await buildInMemory(config, { now: FIXED_NOW });
  expect([...written.keys()].sort()).toEqual(expected.outputs.map((output) => output.path).sort());
  for (const output of expected.outputs) {
    const want = typeof output.contents === 'string' ? output.contents : readFileSync(output.contents.copyFrom, 'utf8');
    expect(written.get(output.path), output.path).toBe(want);
  }
}

const workersBuilt = existsSync(path.join(QUIRE_ROOT, 'dist/parallel/worker.js'));

describe.skipIf(!workersBuilt)('quire build across worker threads', () => {
  it.each([2, 0])('with %i worker threads, writes exactly what the builder behind serve makes', async (workers) => {
    const root = writeSite({ '_config.yml': 'title: Parallel\nurl: https://example.com\ntimezone: UTC\npaginate: 7\n' }, 'quire-parallel-');
    writeCorpus(root, 300);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const summary = await buildWholeSite(config, { now: FIXED_NOW, workers });
    expect(summary.workers).toBe(workers);
    expect(summary.posts).toBe(300);
    await expectCleanBuild(config);
  });

  it('shows posts\' HTML on list pages through an include of any name, as the builder behind serve does', async () => {
    const root = writeSite({
      '_config.yml': 'title: Includes\nurl: https://example.com\ntimezone: UTC\npaginate: 2\n',
      'templates/home.njk': '---\nlayout: null\n---\n{% include "includes/list.njk" %}',
      'templates/includes/list.njk': '{% for p in paginator.posts %}<article>{{ p.content | safe }}</article>{% endfor %}',
    }, 'quire-parallel-');
    writeCorpus(root, 300);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    await buildWholeSite(config, { now: FIXED_NOW, workers: 2 });
    expect(readFileSync(path.join(config.destination, 'page12', 'index.html'), 'utf8')).not.toContain('<article></article>');
    await expectCleanBuild(config);
  });

  it('keeps to --threads: one thread builds a site big enough for workers in this thread alone, and writes the same', async () => {
    const root = writeSite({ '_config.yml': 'title: Threads\nurl: https://example.com\ntimezone: UTC\n' }, 'quire-parallel-');
    writeCorpus(root, 600);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const summary = await buildWholeSite(config, { now: FIXED_NOW, maxThreads: 1 });
    expect(summary.workers).toBe(0);
    expect(summary.posts).toBe(600);
    await expectCleanBuild(config);
    // Two threads at most: one worker, whatever the machine has (600 posts are enough for two).
    expect((await buildWholeSite(loadConfig(root, { destination: path.join(root, 'out2') }), { now: FIXED_NOW, maxThreads: 2 })).workers).toBe(Math.min(1, os.availableParallelism() - 1));
  });

  it('reports every post problem found by any worker', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\n' }, 'quire-parallel-');
    writeCorpus(root, 20);
    writeFileSync(path.join(root, '_posts/2024-01-01-bad-one.md'), '---\ntitle: [oops\n---\n');
    writeFileSync(path.join(root, '_posts/2024-01-02-bad-two.md'), '---\ncoordinates: 7\n---\n');
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    await expect(buildWholeSite(config, { now: FIXED_NOW, workers: 2 })).rejects.toMatchObject({
      problems: expect.arrayContaining([expect.objectContaining({ file: '_posts/2024-01-01-bad-one.md' }), expect.objectContaining({ file: '_posts/2024-01-02-bad-two.md' })]),
    });
    expect(existsSync(config.destination)).toBe(false);
  });
});

describe.skipIf(!workersBuilt)('rebuilding with the post cache and kept pages', () => {
  /** Builds like `quire build` does (state in, state out) and checks the result against a clean build. */
  async function rebuildAndCompare(root: string, workers: number) {
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const summary = await buildWholeSite(config, { now: FIXED_NOW, workers, previous: await readBuildState(config) });
    await saveBuildState(config, summary.state);
    await expectCleanBuild(config);
    return summary;
  }

  const edit = (root: string, file: string, change: (text: string) => string) => writeFileSync(path.join(root, file), change(readFileSync(path.join(root, file), 'utf8')));

  it('renders again the post pages of a template that walks past a post\'s neighbours, when a post two steps away changes', async () => {
    const root = writeSite(
      { '_config.yml': 'title: Walks\ntimezone: UTC\n', 'templates/post.njk': '---\nlayout: default\n---\n{{ content }}<p class="two">{{ page.next.next.title }}</p>' },
      'quire-walks-',
    );
    writeCorpus(root, 30);
    const posts = readdirSync(path.join(root, '_posts')).sort().map((name) => `_posts/${name}`);
    await rebuildAndCompare(root, 2);
    edit(root, posts[10]!, (text) => text.replace(/^title: .*$/m, 'title: "Two steps away"'));
    // rebuildAndCompare checks every page against a clean build: post 8's page now names post 10.
    await rebuildAndCompare(root, 2);
  });

  it.each([2, 0])('with %i worker threads, parses only changed posts, renders only the pages they change, and writes what a clean build writes', async (workers) => {
    const root = writeSite({ '_config.yml': 'title: Cached\nurl: https://example.com\ntimezone: UTC\npaginate: 7\n' }, 'quire-post-cache-');
    writeCorpus(root, 300);
    const posts = readdirSync(path.join(root, '_posts')).sort().map((name) => `_posts/${name}`);
    const first = await rebuildAndCompare(root, workers);
    expect(first.reused).toEqual({ posts: 0, pages: 0 });

    // A sentence added at the end of a post: its page changes, and the feeds that show its HTML.
    edit(root, posts[150]!, (text) => `${text}\nOne more sentence at the end.\n`);
    const body = await rebuildAndCompare(root, workers);
    expect(body.reused.posts).toBe(299);
    expect(body.pages - body.reused.pages).toBeLessThan(10);
    expect(body.write.written).toBeLessThan(10);

    // A new title shows in every list of the post and on its neighbours' pages.
    edit(root, posts[100]!, (text) => text.replace(/^title: .*$/m, 'title: "An entirely new title"'));
    const title = await rebuildAndCompare(root, workers);
    expect(title.reused.posts).toBe(299);
    expect(title.pages - title.reused.pages).toBeGreaterThan(3);
    expect(title.pages - title.reused.pages).toBeLessThan(40);

    // A moved post, a new post, a deleted post, a new category.
    edit(root, posts[10]!, (text) => text.replace(/^coordinates: .*$/m, 'coordinates: [0.5, 0.05]'));
    writeFileSync(path.join(root, '_posts/2025-05-05-a-new-post.md'), '---\nlayout: post\ntitle: A new post\ncategories: [brand-new]\ncoordinates: [0.1, 0.2]\n---\nHello.\n');
    rmSync(path.join(root, posts[200]!));
    const shuffled = await rebuildAndCompare(root, workers);
    expect(shuffled.posts).toBe(300);
    expect(shuffled.reused.posts).toBe(298);

    // A template of the site's own: every page using it is rendered again.
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    writeFileSync(path.join(root, 'templates/post.njk'), '---\nlayout: default\n---\n<article class="mine">{{ content | safe }}</article>\n');
    const template = await rebuildAndCompare(root, workers);
    expect(template.reused.posts).toBe(300);
    expect(template.pages - template.reused.pages).toBeGreaterThanOrEqual(300);

    // The cache's HTML deleted behind Quire's back: posts are parsed again where needed.
    for (const name of readdirSync(path.join(root, '.quire-cache/posts'))) if (name.endsWith('.html')) rmSync(path.join(root, '.quire-cache/posts', name));
    edit(root, posts[20]!, (text) => text.replace(/^title: .*$/m, 'title: "Renamed once more"'));
    await rebuildAndCompare(root, workers);

    // `quire build --fresh`: nothing from the cache is used, the result is the same.
    const fresh = await buildWholeSite(loadConfig(root, { destination: path.join(root, 'out') }), { now: FIXED_NOW, workers, previous: null, fresh: true });
    expect(fresh.reused).toEqual({ posts: 0, pages: 0 });
    expect(fresh.write.unchanged).toBe(0);

    // Another configuration: nothing from the cache is trusted.
    writeFileSync(path.join(root, '_config.yml'), 'title: Cached, renamed\nurl: https://example.com\ntimezone: UTC\npaginate: 5\n');
    const config = await rebuildAndCompare(root, workers);
    expect(config.reused).toEqual({ posts: 0, pages: 0 });
  }, 60_000);
});

describe('the post cache', () => {
  it('gives the builder behind serve posts that count as unchanged: an edit below an excerpt then renders just that post', async () => {
    const root = writeSite({ '_config.yml': 'title: Warm start\ntimezone: UTC\n' }, 'quire-warm-');
    writeCorpus(root, 40);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    await buildWholeSite(config, { now: FIXED_NOW, workers: 0 });
    const builder = createBuilder(config, { keepFragments: true, startFromPostCache: true });
    await builder.build(undefined, { now: FIXED_NOW });
    const name = readdirSync(path.join(root, '_posts')).sort()[3]!;
    writeFileSync(path.join(root, '_posts', name), `${readFileSync(path.join(root, '_posts', name), 'utf8')}\nA closing line.\n`);
    const result = await builder.build([`_posts/${name}`], { now: FIXED_NOW });
    // The post's page, and the feeds that show its HTML if it is among their newest posts.
    expect(result.rendered).toBeLessThanOrEqual(3);
  });

  it('compacts its HTML once most of it belongs to posts that changed since, and still builds what a clean build does', async () => {
    const root = writeSite({ '_config.yml': 'title: Compact\ntimezone: UTC\n' }, 'quire-compact-');
    writeCorpus(root, 60);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const build = async () => saveBuildState(config, (await buildWholeSite(config, { now: FIXED_NOW, workers: 0, previous: await readBuildState(config) })).state);
    await build();
    // Most posts change, twice: the blobs of the first two builds keep their old HTML, now dead,
    // and more of it than the live HTML of all 60 posts.
    for (const count of [50, 49]) {
      for (const name of readdirSync(path.join(root, '_posts')).sort().slice(0, count)) {
        const file = path.join(root, '_posts', name);
        writeFileSync(file, `${readFileSync(file, 'utf8')}\nA closing line.\n`);
      }
      await build();
    }
    const folder = postCacheFolder(config);
    const blobs = () => readdirSync(folder).filter((name) => name.endsWith('.html'));
    expect(blobs()).toHaveLength(3);
    const setup = markupSetup(config);
    const htmlOf = (html: HtmlRef) => readFileSync(path.join(folder, html.blob)).subarray(html.offset, html.offset + html.length).toString('utf8');
    const before = new Map([...(await readPostCache(config, setup))].map(([file, entry]) => [file, htmlOf(entry.html)]));
    await savePostCache(config, setup, await readPostCache(config, setup), 0);
    expect(blobs()).toHaveLength(1);
    const after = await readPostCache(config, setup);
    expect(after.size).toBe(60);
    for (const [file, html] of before) expect(htmlOf(after.get(file)!.html), file).toBe(html);
    // A title edit needs every listed post from the compacted cache; the result is a clean build's.
    const file = path.join(root, '_posts', readdirSync(path.join(root, '_posts')).sort()[50]!);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: "Compacted"'));
    await build();
    await expectCleanBuild(config);
  });
});

describe('posts with no HTML at all', () => {
  it('are kept in the post cache though no blob holds them, and the cache can still be compacted', async () => {
    const root = writeSite({ '_config.yml': 'title: Empty\ntimezone: UTC\n', '_posts/.keep': '' }, 'quire-empty-');
    for (const day of [1, 2, 3]) writeFileSync(path.join(root, `_posts/2024-01-0${day}-empty-${day}.md`), `---\ntitle: Empty ${day}\n---\n`);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    await buildWholeSite(config, { now: FIXED_NOW, workers: 0 });
    const setup = markupSetup(config);
    // Compacting reads every cached post's HTML back: it must not fail on a blob never written.
    await expect(savePostCache(config, setup, await readPostCache(config, setup), -1)).resolves.toBeUndefined();
    const again = await buildWholeSite(config, { now: FIXED_NOW, workers: 0, previous: null });
    expect(again.reused.posts).toBe(3);
    await expectCleanBuild(config);
  });
});

describe('front matter dates across threads and the post cache', () => {
  it.each([2, 0])('with %i worker threads, keep their meaning (last_modified_at in the sitemap), from a fresh build and from the cache', async (workers) => {
    const root = writeSite({ '_config.yml': 'title: Dates\nurl: https://example.com\ntimezone: UTC\n', '_posts/2024-02-01-dated.md': '---\ntitle: Dated\nlast_modified_at: 2025-02-03 10:00:00 +0100\nreviewed: 2025-03-04\n---\nText.\n' }, 'quire-dates-');
    writeCorpus(root, 300);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    await saveBuildState(config, (await buildWholeSite(config, { now: FIXED_NOW, workers })).state);
    expect(readFileSync(path.join(config.destination, 'sitemap.xml'), 'utf8')).toContain('<lastmod>2025-02-03T09:00:00+00:00</lastmod>');
    await expectCleanBuild(config);
    // Again from the cache: the post is not parsed, its dates come from the cache.
    const other = path.join(root, '_posts', readdirSync(path.join(root, '_posts')).sort()[5]!);
    writeFileSync(other, `${readFileSync(other, 'utf8')}\nEdited.\n`);
    await buildWholeSite(config, { now: FIXED_NOW, workers, previous: null });
    await expectCleanBuild(config);
  });
});

describe('a build told of an earlier time than the cache was made at', () => {
  it('hides the cached posts that are in its future, as reading their files would', async () => {
    const root = writeSite({ '_config.yml': 'title: Clock\ntimezone: UTC\n', '_posts/2026-06-01-later.md': '---\ntitle: Later\n---\nNot before June.\n' }, 'quire-clock-');
    writeCorpus(root, 20);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const later = { epochMs: Date.UTC(2027, 0, 1), offsetMinutes: 0 };
    await saveBuildState(config, (await buildWholeSite(config, { now: later, workers: 0 })).state);
    expect(existsSync(path.join(config.destination, '2026/06/01/later.html'))).toBe(true);
    // Another post edited, so this is not a build with nothing to do.
    const other = path.join(root, '_posts', readdirSync(path.join(root, '_posts')).sort()[3]!);
    writeFileSync(other, `${readFileSync(other, 'utf8')}\nEdited.\n`);
    await buildWholeSite(config, { now: FIXED_NOW, workers: 0, previous: await readBuildState(config) });
    expect(existsSync(path.join(config.destination, '2026/06/01/later.html'))).toBe(false);
    await expectCleanBuild(config);
  });
});

describe.skipIf(!workersBuilt)('a rebuild in place that fails', () => {
  it('writes nothing: every page stays as the last good build made it', async () => {
    const root = writeSite({ '_config.yml': 'title: Failing\ntimezone: UTC\n', 'templates/broken.njk': '---\nlayout: default\n---\n{{ content }}{{ page.missing_function() }}\n' }, 'quire-in-place-');
    writeCorpus(root, 300);
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    await saveBuildState(config, (await buildWholeSite(config, { now: FIXED_NOW, workers: 2 })).state);
    const before = readTree(config.destination);
    const file = path.join(root, '_posts', readdirSync(path.join(root, '_posts')).sort()[120]!);
    // The new title would change the lists, but the post's own page cannot be rendered.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: "Never shown"').replace(/^layout: .*$/m, 'layout: broken'));
    await expect(buildWholeSite(config, { now: FIXED_NOW, workers: 2, previous: await readBuildState(config) })).rejects.toMatchObject({
      problems: [expect.objectContaining({ message: expect.stringContaining('missing_function') })],
    });
    expect(readTree(config.destination)).toEqual(before);
  });
});

describe('skipping a build when nothing changed', () => {
  it('says the warnings of the build it stands for again', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nFirst.', 'posts/undated.md': '---\ntitle: U\n---\nx' }, 'quire-state-');
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const first = await buildWholeSite(config, { now: FIXED_NOW, previous: await readBuildState(config) });
    await saveBuildState(config, first.state);
    expect(first.warnings).toEqual([expect.stringContaining('posts/undated.md: skipped')]);
    const second = await buildWholeSite(config, { now: FIXED_NOW, previous: await readBuildState(config) });
    expect(second.upToDate).toBe(true);
    expect(second.warnings).toEqual(first.warnings);
  });

  it('does nothing the second time, and builds again after an edit', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nFirst.' }, 'quire-state-');
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const first = await buildWholeSite(config, { now: FIXED_NOW, previous: await readBuildState(config) });
    await saveBuildState(config, first.state);
    expect(first.upToDate).toBe(false);
    const second = await buildWholeSite(config, { now: FIXED_NOW, previous: await readBuildState(config) });
    expect(second.upToDate).toBe(true);
    writeFileSync(path.join(root, 'posts/2024-01-01-a.md'), '---\ntitle: A\n---\nEdited, and one byte longer.');
    const third = await buildWholeSite(config, { now: FIXED_NOW, previous: await readBuildState(config) });
    expect(third.upToDate).toBe(false);
    expect(third.write.written).toBeGreaterThan(0);
    expect(third.write.unchanged).toBeGreaterThan(0);
    expect(readFileSync(path.join(config.destination, '2024/01/01/a.html'), 'utf8')).toContain('Edited, and one byte longer.');
  });

  it('builds again on a new day when pages show site.time (a footer year), keeping the files whose bytes did not change', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\nauthor: Ann\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nFirst.' }, 'quire-state-');
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const lastDayOfYear = { epochMs: Date.UTC(2025, 11, 31, 12), offsetMinutes: 0 };
    await saveBuildState(config, (await buildWholeSite(config, { now: lastDayOfYear })).state);
    const page = path.join(config.destination, '2024/01/01/a.html');
    const before = statSync(page);
    expect(readFileSync(page, 'utf8')).toContain('&copy; 2025 Ann');
    // The same day: nothing to do.
    expect((await buildWholeSite(config, { now: { ...lastDayOfYear, epochMs: lastDayOfYear.epochMs + 3_600_000 }, previous: await readBuildState(config) })).upToDate).toBe(true);
    // The next day, the new year: every page is made again, and shows it.
    const newYear = await buildWholeSite(config, { now: { ...lastDayOfYear, epochMs: lastDayOfYear.epochMs + 86_400_000 }, previous: await readBuildState(config) });
    expect(newYear.upToDate).toBe(false);
    expect(newYear.reused.pages).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('&copy; 2026 Ann');
    await saveBuildState(config, newYear.state);
    // The day after: rendered again to the same bytes, so the very same files are kept.
    const written = statSync(page);
    expect(written.ino).not.toBe(before.ino);
    const dayAfter = await buildWholeSite(config, { now: { ...lastDayOfYear, epochMs: lastDayOfYear.epochMs + 2 * 86_400_000 }, previous: await readBuildState(config) });
    expect(dayAfter.upToDate).toBe(false);
    expect(dayAfter.write.written).toBe(0);
    expect(statSync(page).ino).toBe(written.ino);
    expect(statSync(page).mtimeMs).toBe(written.mtimeMs);
  });

  it('counts "now" and "today" in a template as showing the day, like site.time', async () => {
    // The theme's footer and feed show site.time: templates of the site's own do not.
    const files = { '_config.yml': 'timezone: UTC\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nA', 'templates/default.njk': '{{ content }}', 'templates/feed.xml.njk': '---\nlayout: null\n---\n<feed/>' };
    const shownDay = async (extra: Record<string, string>) => {
      const root = writeSite({ ...files, ...extra }, 'quire-state-');
      return (await buildWholeSite(loadConfig(root, { destination: path.join(root, 'out') }), { now: FIXED_NOW })).state.shownDay;
    };
    expect(await shownDay({})).toBeNull();
    expect(await shownDay({ 'templates/post.njk': '---\nlayout: default\n---\n{{ content }} {{ "today" | date("%Y") }}' })).toBe('2026-01-01');
    expect(await shownDay({ 'templates/post.njk': "---\nlayout: default\n---\n{{ content }} {{ 'now' | date_to_string }}" })).toBe('2026-01-01');
  });

  it('builds again when part of the output was deleted, or a post waits for its date', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nFirst.', 'posts/2099-01-01-later.md': '---\ntitle: Later\n---\nNot yet.' }, 'quire-state-');
    const config = loadConfig(root, { destination: path.join(root, 'out') });
    const first = await buildWholeSite(config, { now: FIXED_NOW });
    await saveBuildState(config, first.state);
    expect(first.state.stamps).toBeNull();
    expect((await buildWholeSite(config, { now: FIXED_NOW, previous: await readBuildState(config) })).upToDate).toBe(false);

    const plain = writeSite({ '_config.yml': 'timezone: UTC\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nFirst.' }, 'quire-state-');
    const plainConfig = loadConfig(plain, { destination: path.join(plain, 'out') });
    await saveBuildState(plainConfig, (await buildWholeSite(plainConfig, { now: FIXED_NOW })).state);
    (await import('node:fs')).rmSync(path.join(plainConfig.destination, 'index.html'));
    const again = await buildWholeSite(plainConfig, { now: FIXED_NOW, previous: await readBuildState(plainConfig) });
    expect(again.upToDate).toBe(false);
    expect(existsSync(path.join(plainConfig.destination, 'index.html'))).toBe(true);
    // The file it wrote again is counted as written, and announced as changed.
    expect(again.write.written).toBe(1);
    expect(again.write.changedPaths).toEqual(['index.html']);
  });
});
