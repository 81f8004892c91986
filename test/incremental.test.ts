import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory, createBuilder, type BuildResult } from '../src/build.js';
import { resolveConfig } from '../src/config.js';
import { BuildFailed } from '../src/errors.js';
import { FIXED_NOW, writeSite } from './helpers/site.js';

function post(n: number, extra = ''): string {
  const x = (n % 7) / 7;
  const y = (n % 5) / 5;
  return `---\ntitle: Post ${n}\ncategories: [${n % 2 ? 'odd' : 'even'}]\ncoordinates: [${x}, ${y}]\n${extra}---\nBody of post ${n}.\n\nSecond paragraph.\n`;
}

function siteFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let n = 1; n <= count; n++) files[`posts/2024-01-${String(n).padStart(2, '0')}-post-${n}.md`] = post(n);
  return files;
}

/** Output path -> text, for comparing whole sites. */
function contents(result: BuildResult): Map<string, string> {
  return new Map(result.outputs.map((output) => [output.path, typeof output.contents === 'string' ? output.contents : `copy:${output.contents.copyFrom}`]));
}

async function expectSameAsCleanBuild(result: BuildResult, root: string): Promise<void> {
  const clean = await buildInMemory(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { now: FIXED_NOW });
  const got = contents(result);
  const want = contents(clean);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [file, text] of want) expect(got.get(file), file).toBe(text);
}

describe('rebuilding after changes', () => {
  it('renders nothing again when nothing changed', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    const first = await builder.build(undefined, { now: FIXED_NOW });
    expect(first.rendered).toBeGreaterThan(12);
    const again = await builder.build([], { now: FIXED_NOW });
    expect(again.rendered).toBe(0);
    await expectSameAsCleanBuild(again, root);
  });

  it('after a body edit, renders the post, its neighbours and the pages listing it, and matches a clean build', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    const file = 'posts/2024-01-06-post-6.md';
    writeFileSync(path.join(root, file), post(6).replace('Body of post 6.', 'An edited body.'));
    const result = await builder.build([file], { now: FIXED_NOW });
    const page = result.outputs.find((output) => output.path === 'even/2024/01/06/post-6.html')!;
    expect(page.contents).toContain('An edited body.');
    // Far fewer than the ~40 pages of the site, but more than the post alone.
    expect(result.rendered).toBeGreaterThan(3);
    expect(result.rendered).toBeLessThan(25);
    await expectSameAsCleanBuild(result, root);
  });

  it('after an edit below the excerpt, renders only the pages that show the post\'s HTML', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    const file = 'posts/2024-01-02-post-2.md';
    writeFileSync(path.join(root, file), post(2).replace('Second paragraph.', 'A changed second paragraph.'));
    const result = await builder.build([file], { now: FIXED_NOW });
    // The post's page and its category's feed (post 2 is too old for the site feed's 10);
    // lists show only its excerpt, which did not change.
    expect(result.rendered).toBe(2);
    await expectSameAsCleanBuild(result, root);
  });

  it('after several edits below the excerpt in a row, then a new post, still matches a clean build', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    for (const n of [11, 12, 11, 3]) {
      const file = `posts/2024-01-${String(n).padStart(2, '0')}-post-${n}.md`;
      writeFileSync(path.join(root, file), post(n).replace('Second paragraph.', `Second paragraph, edit ${Math.random()}.`));
      const result = await builder.build([file], { now: FIXED_NOW });
      await expectSameAsCleanBuild(result, root);
    }
    writeFileSync(path.join(root, 'posts/2024-02-01-late.md'), post(30));
    await expectSameAsCleanBuild(await builder.build(['posts/2024-02-01-late.md'], { now: FIXED_NOW }), root);
  });

  it('after a title edit, every page showing that title changes', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    const file = 'posts/2024-01-03-post-3.md';
    writeFileSync(path.join(root, file), post(3).replace('title: Post 3', 'title: Renamed Three'));
    const result = await builder.build([file], { now: FIXED_NOW });
    const showing = result.outputs.filter((output) => typeof output.contents === 'string' && output.contents.includes('Renamed Three'));
    expect(showing.map((output) => output.path)).toEqual(expect.arrayContaining(['odd/2024/01/03/post-3.html', 'map/index.html', 'archive/index.html', 'feed.xml', 'categories/odd/index.html']));
    await expectSameAsCleanBuild(result, root);
  });

  it('after edits that keep every post in its place (title, excerpt, front matter), matches a clean build each time', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    const edits: Array<[number, string]> = [
      [5, post(5).replace('title: Post 5', 'title: A retitled post')],
      [5, post(5).replace('Body of post 5.', 'A new first paragraph, the excerpt.')],
      [7, post(7, 'subtitle: Added\nlast_modified_at: 2025-02-03\n')],
      [7, post(7, 'sitemap: false\n')],
      [7, post(7)],
      [5, post(5, 'tags: [new-tag]\n')],
      [9, post(9).replace('categories: [odd]', 'categories: [odd, extra]')],
    ];
    for (const [n, text] of edits) {
      const file = `posts/2024-01-${String(n).padStart(2, '0')}-post-${n}.md`;
      writeFileSync(path.join(root, file), text);
      await expectSameAsCleanBuild(await builder.build([file], { now: FIXED_NOW }), root);
    }
  });

  it('after a title edit in lists longer than one cached block (the theme caches 100 posts a block), matches a clean build', async () => {
    const files: Record<string, string> = {};
    for (let n = 1; n <= 230; n++) files[`posts/2024-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}-post-${n}.md`] = post(n);
    const root = writeSite(files);
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    for (const n of [150, 7]) {
      const file = Object.keys(files).find((name) => name.endsWith(`-post-${n}.md`))!;
      writeFileSync(path.join(root, file), post(n).replace(`title: Post ${n}`, `title: Retitled ${n}`));
      const result = await builder.build([file], { now: FIXED_NOW });
      const showing = result.outputs.filter((output) => typeof output.contents === 'string' && output.contents.includes(`Retitled ${n}<`)).map((output) => output.path);
      expect(showing).toEqual(expect.arrayContaining(['map/index.html', 'archive/index.html', `categories/${n % 2 ? 'odd' : 'even'}/index.html`]));
      await expectSameAsCleanBuild(result, root);
    }
  });

  it('keeps the sitemap through a title edit, and makes it again when a post moves to another URL', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    const sitemap = (result: BuildResult) => result.outputs.find((output) => output.path === 'sitemap.xml')!;
    const first = await builder.build(undefined, { now: FIXED_NOW });
    const file = 'posts/2024-01-03-post-3.md';
    writeFileSync(path.join(root, file), post(3).replace('title: Post 3', 'title: Renamed Three'));
    // The sitemap shows URLs and dates, no titles: not rendered again.
    expect(sitemap(await builder.build([file], { now: FIXED_NOW }))).toBe(sitemap(first));
    // The same number of pages, one of them at a new URL.
    writeFileSync(path.join(root, file), post(3, 'permalink: /moved-three/\n'));
    const moved = await builder.build([file], { now: FIXED_NOW });
    expect(sitemap(moved).contents).toContain('/moved-three/</loc>');
    expect(sitemap(moved).contents).not.toContain('/odd/2024/01/03/post-3.html</loc>');
    await expectSameAsCleanBuild(moved, root);
  });

  it('finds two posts written to one place on a rebuild, when the last build had none', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    const file = 'posts/2024-01-03-post-3.md';
    writeFileSync(path.join(root, file), post(3, 'permalink: /even/2024/01/04/post-4.html\n'));
    const error: unknown = await builder.build([file], { now: FIXED_NOW }).then(() => null, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BuildFailed);
    expect((error as BuildFailed).problems.map((problem) => problem.message)).toEqual(['posts/2024-01-03-post-3.md and posts/2024-01-04-post-4.md would both be written to even/2024/01/04/post-4.html']);
    writeFileSync(path.join(root, file), post(3));
    await expectSameAsCleanBuild(await builder.build([file], { now: FIXED_NOW }), root);
    // The same move, and a file in public/ where post 3 was: the same set of paths as the last
    // build's, one of them twice.
    writeFileSync(path.join(root, file), post(3, 'permalink: /even/2024/01/04/post-4.html\n'));
    mkdirSync(path.join(root, 'public/odd/2024/01/03'), { recursive: true });
    writeFileSync(path.join(root, 'public/odd/2024/01/03/post-3.html'), 'a static page');
    const again: unknown = await builder.build([file, 'public/odd/2024/01/03/post-3.html'], { now: FIXED_NOW }).then(() => null, (thrown: unknown) => thrown);
    expect((again as BuildFailed).problems.map((problem) => problem.message)).toEqual((error as BuildFailed).problems.map((problem) => problem.message));
  });

  it('after a delete, the post disappears from every page', async () => {
    const root = writeSite(siteFiles(12));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    const file = 'posts/2024-01-12-post-12.md';
    rmSync(path.join(root, file));
    const result = await builder.build([file], { now: FIXED_NOW });
    expect(result.outputs.some((output) => typeof output.contents === 'string' && output.contents.includes('Post 12<'))).toBe(false);
    expect(result.outputs.map((output) => output.path)).not.toContain('even/2024/01/12/post-12.html');
    await expectSameAsCleanBuild(result, root);
  });

  it('after a template edit, renders the pages that use it', async () => {
    const root = writeSite({ ...siteFiles(6), 'templates/post.njk': '---\nlayout: null\n---\nv1 {{ page.title }}' });
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    writeFileSync(path.join(root, 'templates/post.njk'), '---\nlayout: null\n---\nv2 {{ page.title }}');
    const result = await builder.build(['templates/post.njk'], { now: FIXED_NOW });
    expect(result.outputs.find((output) => output.path === 'odd/2024/01/01/post-1.html')!.contents).toBe('v2 Post 1');
    await expectSameAsCleanBuild(result, root);
  });

  it.each([
    ['holds site in a variable', '{% set s = site %}{% for p in s.posts %}{{ p.title }};{% endfor %}'],
    ['gives site to a macro', '{% macro titles(whole) %}{% for p in whole.posts %}{{ p.title }};{% endfor %}{% endmacro %}{{ titles(site) }}'],
    ['draws the whole map', '{% from "partials/map.njk" import map_svg %}{{ map_svg(map) }}'],
  ])('after a title edit, matches a clean build when a post layout %s', async (_, code) => {
    const root = writeSite({ ...siteFiles(6), 'templates/post.njk': `---\nlayout: null\n---\n{{ page.title }}: ${code}` });
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    writeFileSync(path.join(root, 'posts/2024-01-05-post-5.md'), post(5).replace('title: Post 5', 'title: Renamed five'));
    const result = await builder.build(['posts/2024-01-05-post-5.md'], { now: FIXED_NOW });
    expect(result.outputs.find((output) => output.path === 'odd/2024/01/01/post-1.html')!.contents).toContain('Renamed five');
    await expectSameAsCleanBuild(result, root);
  });

  it('after a new post and a coordinate change, matches a clean build', async () => {
    const root = writeSite(siteFiles(8));
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    await builder.build(undefined, { now: FIXED_NOW });
    writeFileSync(path.join(root, 'posts/2024-02-01-new.md'), post(20));
    writeFileSync(path.join(root, 'posts/2024-01-02-post-2.md'), post(2).replace(/coordinates: \[[^\]]+\]/, 'coordinates: [0.99, 0.01]'));
    const result = await builder.build(['posts/2024-02-01-new.md', 'posts/2024-01-02-post-2.md'], { now: FIXED_NOW });
    await expectSameAsCleanBuild(result, root);
  });
});

describe('cached parts in the builder behind serve', () => {
  it('are kept for the pages that use them through rebuilds that render none of those pages', async () => {
    // The part's keys leave out the post count on purpose: while it is kept, it shows the count it was made with.
    const files = { ...siteFiles(12), 'templates/archive.njk': '---\nlayout: null\n---\n{% cached "count" %}posts={{ page.years[0].posts.length }}{% endcached %}' };
    const root = writeSite(files);
    const builder = createBuilder(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { keepFragments: true });
    const archive = (result: BuildResult) => result.outputs.find((output) => output.path === 'archive/index.html')!.contents;
    expect(archive(await builder.build(undefined, { now: FIXED_NOW }))).toBe('posts=12');
    // Edits below the excerpt: only the post's page and its category's feed are rendered (post 2 is too old
    // for the site feed), not the archive.
    for (const edit of ['One edit.', 'Another edit.', 'A third edit.']) {
      writeFileSync(path.join(root, 'posts/2024-01-02-post-2.md'), post(2).replace('Second paragraph.', edit));
      expect((await builder.build(['posts/2024-01-02-post-2.md'], { now: FIXED_NOW })).rendered).toBe(2);
    }
    // A new post: the archive is rendered again, and its part is still the one it was made with.
    writeFileSync(path.join(root, 'posts/2024-02-01-new.md'), post(13));
    expect(archive(await builder.build(['posts/2024-02-01-new.md'], { now: FIXED_NOW }))).toBe('posts=12');
    // A whole build (`quire build`) keeps nothing between pages or builds.
    expect(archive(await buildInMemory(resolveConfig(root, { timezone: 'UTC', paginate: 4 }), { now: FIXED_NOW }))).toBe('posts=13');
  });
});
