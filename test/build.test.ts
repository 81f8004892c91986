import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory, createBuilder } from '../src/build.js';
import { buildWholeSite } from '../src/parallel/build.js';
import { QUIRE_ROOT } from '../src/package-root.js';
import { resolveConfig } from '../src/config.js';
import { BuildFailed } from '../src/errors.js';
import type { Output } from '../src/types.js';
import { FIXED_NOW, writeSite } from './helpers/site.js';

const SEED_NAME = 'posts/2024-03-20-large-language-models-have-passed-the-self-replicating-red-line.md';
const SEED_TEXT = readFileSync(path.join(QUIRE_ROOT, SEED_NAME), 'utf8');

function configFor(root: string, raw: Record<string, unknown> = {}) {
  return resolveConfig(root, { timezone: 'UTC', url: 'https://example.com', title: 'Test blog', ...raw });
}

function page(outputs: readonly Output[], file: string): string {
  const found = outputs.find((output) => output.path === file);
  if (!found) throw new Error(`no output ${file}; have ${outputs.map((o) => o.path).slice(0, 40).join(', ')}`);
  return found.contents as string;
}

async function failure(promise: Promise<unknown>): Promise<BuildFailed> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BuildFailed) return error;
    throw error;
  }
  throw new Error('expected the build to fail');
}

describe('building the seed post', () => {
  it('lands at Jekyll\'s default permalink with its title, date, category, coordinates and all four references', async () => {
    const root = writeSite({ [SEED_NAME]: SEED_TEXT });
    const { outputs } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    const html = page(outputs, 'tech/2024/03/20/large-language-models-have-passed-the-self-replicating-red-line.html');
    expect(html).toContain('<h1 class="post-title p-name">Large Language Models Have Passed The Self Replicating Red Line</h1>');
    expect(html).toMatch(/<time datetime="2024-03-20T00:00:00\+00:00">March 20, 2024<\/time>/);
    expect(html).toContain('<a class="category" href="/categories/tech/">tech</a>');
    expect(html).toMatch(/x&nbsp;0\.555, y&nbsp;0\.9/);
    const references = [...html.matchAll(/<li class="reference"><span class="reference-locator">p\.&nbsp;(\d+)<\/span>/g)].map((m) => m[1]);
    expect(references).toEqual(['1', '1', '7', '65']);
    expect(html).toContain('<em>Consensus Statement On Red Lines In Artificial Intelligence</em>');
    expect(html).toContain('<em>Journal of Applied Philosophy</em>');
    // Typographic quotes from the writer's straight quotes, and the body is all there.
    expect(html).toContain('“No AI system should copy or improve itself without explicit human approval.”');
    expect(html).toContain('We must tread carefully, but think clearly.');
  });
});

describe('posts and the site', () => {
  const files = {
    '_config.yml': 'title: Test blog\nurl: https://example.com\ntimezone: UTC\nflavour: vanilla\n',
    'posts/2024-01-02-second.md': '---\ntitle: Second\ncategories: [Alpha Beta]\ntags: x y\n---\nSecond *post*.\n\nMore text.\n',
    'posts/2024-01-01-first.md': '---\ntitle: First\ncategory: alpha\n---\nFirst post.\n',
    'posts/2024-01-03-hidden.md': '---\ntitle: Hidden\npublished: false\n---\nNo.\n',
    'posts/2099-01-01-future.md': '---\ntitle: Future\n---\nLater.\n',
    'posts/notes.md': 'not a post: no date\n',
    'posts/2024-01-05-.md': 'a date, but no title\n',
    '_drafts/a-draft.md': '---\ntitle: Draft\n---\nDraft.\n',
    'posts/2024-01-04-raw.html': '---\ntitle: Raw\n---\n<p>Already <b>HTML</b>, *not markdown*</p>\n',
    'public/css/extra.css': 'body{}',
  };

  it('orders posts newest first, hides unpublished, future and draft posts, and warns about undated files', async () => {
    const root = writeSite(files);
    const result = await buildInMemory(configFor(root), { now: FIXED_NOW });
    expect(result.site.posts.map((post) => post.title)).toEqual(['Raw', 'Second', 'First']);
    expect(result.warnings.join('\n')).toMatch(/posts\/notes\.md: skipped.*rename it to YYYY-MM-DD-notes\.md/);
    expect(result.warnings.join('\n')).toMatch(/posts\/2024-01-05-\.md: skipped.*give it a name after the date, like 2024-01-05-my-title\.md/);
    expect(result.outputs.map((output) => output.path)).toContain('css/extra.css');
  });

  it('shows drafts and future posts when asked', async () => {
    const root = writeSite(files);
    const result = await buildInMemory(resolveConfig(root, { timezone: 'UTC', show_drafts: true, future: true }), { now: FIXED_NOW });
    expect(result.site.posts.map((post) => post.title).sort()).toEqual(['Draft', 'First', 'Future', 'Raw', 'Second']);
  });

  it('passes .html posts through without markdown and links previous/next', async () => {
    const root = writeSite(files);
    const { outputs } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    const raw = page(outputs, '2024/01/04/raw.html');
    expect(raw).toContain('<p>Already <b>HTML</b>, *not markdown*</p>');
    const second = page(outputs, 'alpha beta/2024/01/02/second.html');
    expect(second).toMatch(/rel="prev" href="\/alpha\/2024\/01\/01\/first\.html"/);
    expect(second).toMatch(/rel="next" href="\/2024\/01\/04\/raw\.html"/);
  });

  it('reads `tag:` as one name in place of `tags:`, as Jekyll 4.3.1 does', async () => {
    const root = writeSite({
      '_config.yml': 'title: Tags\ntimezone: UTC\n',
      'posts/2024-01-01-a.md': '---\ntitle: A\ntag: Solo Tag\ntags: [a]\n---\nA\n',
      'posts/2024-01-02-b.md': '---\ntitle: B\ntag: [x y, z]\n---\nB\n',
      'posts/2024-01-03-c.md': '---\ntitle: C\ntags: p q\ntag:\n---\nC\n',
    });
    const { site } = await buildInMemory(configFor(root));
    expect(Object.fromEntries(site.posts.map((post) => [post.title, post.tags]))).toEqual({ A: ['Solo Tag'], B: ['x y', 'z'], C: ['p', 'q'] });
  });

  it('wraps indented code as Jekyll (kramdown with Rouge) does fenced code without a language', async () => {
    const root = writeSite({ 'posts/2024-01-01-a.md': '---\ntitle: A\nlayout: null\n---\nText:\n\n    code <b> & "x"\n    line 2\n\nAfter.\n' });
    const { site } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    expect(site.posts[0]!.html).toContain('<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>code &lt;b&gt; &amp; &quot;x&quot;\nline 2\n</code></pre></div></div>');
  });

  it('gives templates unknown config keys as site.<key>', async () => {
    const root = writeSite({ ...files, 'templates/post.njk': '---\nlayout: null\n---\nflavour={{ site.flavour }} title={{ page.title }} n={{ site.posts.length }}' });
    const { outputs } = await buildInMemory(configFor(root, { flavour: 'vanilla' }), { now: FIXED_NOW });
    expect(page(outputs, 'alpha/2024/01/01/first.html')).toBe('flavour=vanilla title=First n=3');
  });

  it('warns when different category or tag names share a page (C, C#, C++), but not for names differing in case', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\ntags: [C, News]\n---\nx',
      'posts/2024-01-02-b.md': '---\ntitle: B\ntags: ["C#", news]\ncategories: ["🚀"]\n---\nx',
      'posts/2024-01-03-c.md': '---\ntitle: C\ntags: ["C++"]\ncategories: ["🎉"]\n---\nx',
    });
    const { warnings } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    expect(warnings).toEqual([
      'categories "🚀", "🎉" share one page, /categories/untitled/, as their names make the same address; rename all but one of them to keep them apart',
      'tags "C", "C#", "C++" share one page, /tags/c/, as their names make the same address; rename all but one of them to keep them apart',
    ]);
  });

  it('titles the pages of a paginated home as jekyll-seo-tag does: "Page 2 of 3 for" the site\'s title', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx',
      'posts/2024-01-02-b.md': '---\ntitle: B\n---\nx',
      'posts/2024-01-03-c.md': '---\ntitle: C\n---\nx',
    });
    const { outputs } = await buildInMemory(configFor(root, { title: 'Site', paginate: 1 }), { now: FIXED_NOW });
    const titleOf = (file: string) => /<title>([^<]*)<\/title>/.exec(page(outputs, file))![1];
    expect([titleOf('index.html'), titleOf('page2/index.html'), titleOf('page3/index.html')]).toEqual(['Site', 'Page 2 of 3 for Site', 'Page 3 of 3 for Site']);
  });

  it('gives posts that share a slug their own map anchors, the oldest keeping p-<slug>', async () => {
    const root = writeSite({
      'posts/2024-01-02-hello.md': '---\ntitle: Old hello\ncoordinates: [0.2, 0.2]\n---\nx',
      'posts/2024-02-02-hello.md': '---\ntitle: New hello\ncoordinates: [0.8, 0.8]\n---\nx',
    });
    const { outputs } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    const ids = [...page(outputs, 'map/index.html').matchAll(/<a class="map-point" id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.sort()).toEqual(['p-hello', 'p-hello-2']);
    expect(page(outputs, '2024/01/02/hello.html')).toContain('href="/map/#p-hello"');
    expect(page(outputs, '2024/02/02/hello.html')).toContain('href="/map/#p-hello-2"');
  });

  it('moves a map label for phones when its title is edited, in a rebuild as in a clean build', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: Short\ncoordinates: [0.45, 0.5]\n---\nx',
      'posts/2024-01-02-b.md': '---\ntitle: B\ncoordinates: [0.9, 0.9]\n---\nx',
    });
    const config = configFor(root);
    const builder = createBuilder(config);
    await builder.build(undefined, { now: FIXED_NOW });
    writeFileSync(path.join(root, 'posts/2024-01-01-a.md'), '---\ntitle: A much longer title that runs across the map\ncoordinates: [0.45, 0.5]\n---\nx');
    const rebuilt = await builder.build(['posts/2024-01-01-a.md'], { now: FIXED_NOW });
    const clean = await buildInMemory(config, { now: FIXED_NOW });
    expect(page(rebuilt.outputs, 'map/index.html')).toBe(page(clean.outputs, 'map/index.html'));
    expect(page(clean.outputs, 'map/index.html')).toMatch(/style="--ps:-\d/);
  });

  it("lists the site's own HTML and PDF files of public/ in the sitemap, as jekyll-sitemap lists static ones (its 404.html aside)", async () => {
    const files = { 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx', 'public/about/index.html': '<p>About</p>', 'public/doc.pdf': '%PDF', 'public/404.html': '<h1>Lost</h1>', 'public/notes.txt': 'n' };
    const { outputs } = await buildInMemory(configFor(writeSite(files)), { now: FIXED_NOW });
    const sitemap = page(outputs, 'sitemap.xml');
    expect(sitemap).toContain('<loc>https://example.com/about/</loc>');
    expect(sitemap).toContain('<loc>https://example.com/doc.pdf</loc>');
    expect(sitemap).not.toMatch(/404\.html|notes\.txt/);
  });

  it("lets the site's own public/robots.txt and 404.html take the place of Quire's, on both builders", async () => {
    const files = { 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx', 'public/robots.txt': 'User-agent: *\nDisallow: /drafts/\n', 'public/404.html': '<h1>Lost</h1>\n' };
    const { outputs } = await buildInMemory(configFor(writeSite(files)), { now: FIXED_NOW });
    expect(outputs.filter((output) => output.path === 'robots.txt').map((output) => output.origin)).toEqual(['public/robots.txt']);
    expect(outputs.filter((output) => output.path === '404.html').map((output) => output.origin)).toEqual(['public/404.html']);
    const root = writeSite(files);
    await buildWholeSite(configFor(root, { destination: path.join(root, '_site') }), { previous: null, now: FIXED_NOW });
    expect(readFileSync(path.join(root, '_site', 'robots.txt'), 'utf8')).toBe('User-agent: *\nDisallow: /drafts/\n');
    expect(readFileSync(path.join(root, '_site', '404.html'), 'utf8')).toBe('<h1>Lost</h1>\n');
  });

  it('with safe: true (as GitHub Pages builds), reads no link that leads out of the site, in a Quire or a Jekyll site', async () => {
    const outside = writeSite({ 'secret.txt': 'top secret\n', 'photos/a.jpg': 'jpeg' });
    for (const jekyll of [false, true]) {
      const root = writeSite({ '_config.yml': `safe: true\njekyll_site: ${jekyll}\n`, 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx', 'public/inside.txt': 'mine\n' });
      symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'public', 'secret.txt'));
      symlinkSync(path.join(outside, 'photos'), path.join(root, 'public', 'photos'));
      symlinkSync(path.join(root, 'public', 'inside.txt'), path.join(root, 'public', 'again.txt'));
      const { outputs } = await buildInMemory(resolveConfig(root, { timezone: 'UTC', safe: true, jekyll_site: jekyll }), { now: FIXED_NOW });
      const paths = outputs.map((output) => output.path);
      const prefix = jekyll ? 'public/' : '';
      expect(paths, `jekyll_site: ${jekyll}`).toContain(`${prefix}again.txt`);
      expect(paths.filter((file) => /secret|photos/.test(file)), `jekyll_site: ${jekyll}`).toEqual([]);
    }
  });

  it('brings back with include: the hidden files of public/ (.well-known, .nojekyll) and a path past exclude:, as Jekyll 4.3.1 does', async () => {
    const files = { 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx', 'public/.well-known/security.txt': 'Contact: x\n', 'public/.nojekyll': '', 'public/.secret': 'no', 'public/sub/s.psd': 'psd', 'public/sub/t.psd': 'psd' };
    const { outputs } = await buildInMemory(configFor(writeSite(files), { include: ['.well-known', '.nojekyll', 'sub/s.psd'], exclude: ['*.psd'] }), { now: FIXED_NOW });
    const paths = outputs.map((output) => output.path);
    expect(paths).toEqual(expect.arrayContaining(['.well-known/security.txt', '.nojekyll', 'sub/s.psd']));
    expect(paths.filter((file) => file === '.secret' || file === 'sub/t.psd')).toEqual([]);
    // A Jekyll site: the same path brings its file back (Jekyll 4.3.1 wrote sub/s.psd, not sub/t.psd).
    const jekyll = writeSite({ 'index.html': '---\n---\nhi', 'sub/s.psd': 'psd', 'sub/t.psd': 'psd', '.htaccess': 'x' });
    const built = await buildInMemory(resolveConfig(jekyll, { timezone: 'UTC', jekyll_site: true, include: ['sub/s.psd', '.htaccess'], exclude: ['*.psd'] }), { now: FIXED_NOW });
    expect(built.outputs.map((output) => output.path).filter((file) => /psd|htaccess/.test(file)).sort()).toEqual(['.htaccess', 'sub/s.psd']);
  });

  it('reads a two-digit year in a file name as Ruby does (24 is 2024, 99 is 1999), as Jekyll 4.3.1 published them', async () => {
    const root = writeSite({ 'posts/24-03-09-a.md': '---\ntitle: A\n---\nx', 'posts/99-03-09-b.md': '---\ntitle: B\n---\ny' });
    const { site } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    expect(site.posts.map((post) => post.url)).toEqual(['/2024/03/09/a.html', '/1999/03/09/b.html']);
  });

  it('gives :path the same URL for a post in posts/ as for one in _posts/ (Jekyll leaves the folder out)', async () => {
    const root = writeSite({ 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx', '_posts/2024-01-02-b.md': '---\ntitle: B\n---\ny' });
    const { site } = await buildInMemory(configFor(root, { permalink: '/:path/' }), { now: FIXED_NOW });
    expect(site.posts.map((post) => post.url).sort()).toEqual(['/2024-01-01-a/', '/2024-01-02-b/']);
  });

  it('builds posts whose lang, author or description are not text, printing no [object Object]', async () => {
    const root = writeSite({ 'posts/2024-01-01-a.md': '---\ntitle: A\nlang: 42\nauthor: {twitter: ann}\ndescription: {a: 1}\n---\nBody.' });
    const { outputs } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    for (const file of ['2024/01/01/a.html', 'feed.xml', 'index.html']) expect(page(outputs, file), file).not.toContain('[object Object]');
    expect(page(outputs, '2024/01/01/a.html')).toContain('<meta name="description" content="Body.">');
  });

  it('suggests the right name for a file whose date is written another way (2024-01-01_title, 20240101-title)', async () => {
    const root = writeSite({ 'posts/2024-01-01_title.md': '---\ntitle: a\n---\nx', 'posts/20240102-other.md': '---\ntitle: b\n---\nx', 'posts/notes.md': '---\ntitle: c\n---\nx' });
    const { warnings } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    expect(warnings.map((warning) => warning.replace(/^.*To publish it, /, ''))).toEqual(['rename it to 2024-01-01-title.md.', 'rename it to 2024-01-02-other.md.', 'rename it to YYYY-MM-DD-notes.md.']);
  });

  it('chains layouts through their own front matter, with the fallback theme filling gaps', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\nlayout: inner\n---\nBody',
      'templates/inner.njk': '---\nlayout: outer\nbody_class: inner-page\n---\n<inner>{{ content }}</inner>',
      'templates/outer.njk': '---\nbody_class: plain\nkind: outer\n---\n<outer title="{{ page.title }}" class="{{ layout.body_class }} {{ layout.kind }}">{{ content }}</outer>',
    });
    const { outputs } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    // The outer layout sees the inner one's front matter over its own, as in Jekyll.
    expect(page(outputs, '2024/01/01/a.html')).toBe('<outer title="A" class="inner-page outer"><inner><p>Body</p>\n</inner></outer>');
    // No home template in the site: Quire's theme provides it.
    expect(page(outputs, 'index.html')).toContain('<a href="/2024/01/01/a.html">A</a>');
  });

  it.each([
    [{}, false],
    [{ paginate: 2 }, true],
    [{ show_excerpts: true }, true],
    [{ paginate: 2, show_excerpts: false }, false],
  ])('shows excerpts on the home page with %j: %s', async (raw, shown) => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\n---\nThe opening of A.\n\nThe rest of A.',
      'posts/2024-01-02-b.md': '---\ntitle: B\n---\nThe opening of B.',
    });
    const { outputs } = await buildInMemory(configFor(root, raw), { now: FIXED_NOW });
    const home = page(outputs, 'index.html');
    expect(home).toContain('<a href="/2024/01/02/b.html">B</a>');
    expect(home.includes('<div class="excerpt"><p>The opening of B.</p>')).toBe(shown);
  });

  it('escapes front matter text wherever it reaches HTML', async () => {
    const root = writeSite({ 'posts/2024-01-01-x.md': '---\ntitle: "\\"><script>alert(1)</script>"\n---\nHi' });
    const { outputs } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    const html = page(outputs, '2024/01/01/x.html');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('errors', () => {
  it('collects every problem of a build, each naming its file', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\ncoordinates: [0.5, 1.2]\n---\nA',
      'posts/2024-01-02-b.md': '---\ntitle: [unclosed\n---\nB',
      'posts/2024-01-03-c.md': '---\ntitle: C\ncoordinates: 0.5\n---\nC',
      'posts/2024-01-04-d.md': '---\ntitle: D\nlayout: nope\n---\nD',
    });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    const byFile = Object.fromEntries(error.problems.map((problem) => [problem.file, problem]));
    expect(Object.keys(byFile).sort()).toEqual(['posts/2024-01-01-a.md', 'posts/2024-01-02-b.md', 'posts/2024-01-03-c.md', 'posts/2024-01-04-d.md']);
    expect(byFile['posts/2024-01-01-a.md']).toMatchObject({ line: 3, message: expect.stringMatching(/\[0\.5, 1\.2\]/) });
    expect(byFile['posts/2024-01-03-c.md']!.message).toMatch(/two numbers between 0 and 1.*0\.5/);
    // js-yaml notices the unclosed list where the YAML ends, one line below.
    expect(byFile['posts/2024-01-02-b.md']!.line).toBeGreaterThanOrEqual(2);
    expect(byFile['posts/2024-01-02-b.md']!.frame).toContain('title: [unclosed');
    expect(byFile['posts/2024-01-04-d.md']!.message).toMatch(/unknown layout "nope"/);
  });

  it('reports a last_modified_at that is not a date, with its line, instead of printing it into the sitemap and feed', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\nlast_modified_at: garbage\n---\nA',
      'posts/2024-01-02-b.md': '---\ntitle: B\nlast_modified_at: 2024-02-30\n---\nB',
      'posts/2024-01-03-c.md': '---\ntitle: C\nlast_modified_at: 2024-02-03 10:00:00\n---\nC',
    });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    expect(error.problems.map((problem) => [problem.file, problem.line])).toEqual([
      ['posts/2024-01-01-a.md', 3],
      ['posts/2024-01-02-b.md', 3],
    ]);
    expect(error.problems[0]!.message).toMatch(/last_modified_at: Invalid date "garbage"/);
  });

  it('reports a post whose URL makes a folder of a file another output writes (a post at /sitemap.xml/)', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\npermalink: /sitemap.xml/\n---\nA',
      'posts/2024-01-02-b.md': '---\ntitle: B\npermalink: /b.html\n---\nB',
      'posts/2024-01-03-c.md': '---\ntitle: C\npermalink: /b.html/deeper/\n---\nC',
    });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    expect(error.problems.map((problem) => [problem.file, problem.line, problem.message]).sort()).toEqual([
      ['posts/2024-01-01-a.md', 3, 'posts/2024-01-01-a.md would be written to sitemap.xml/index.html, inside sitemap.xml, which (generated) /sitemap.xml writes as a file'],
      ['posts/2024-01-03-c.md', 3, 'posts/2024-01-03-c.md would be written to b.html/deeper/index.html, inside b.html, which posts/2024-01-02-b.md writes as a file'],
    ]);
  });

  it('reports a file of the site where the theme needs a folder once, blaming the site\'s file', async () => {
    const root = writeSite({ 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nA', 'public/css': 'not a folder' });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.file).toBe('public/css');
    expect(error.problems[0]!.message).toMatch(/^\(theme\) public\/css\/\S+ would be written to css\/\S+ \(and \d+ more outputs? inside it\), inside css, which public\/css writes as a file$/);
  });

  it('reports two posts with one URL, naming both', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\npermalink: /same/\n---\nA',
      'posts/2024-01-02-b.md': '---\npermalink: /same/\n---\nB',
    });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    expect(error.problems[0]!.message).toMatch(/posts\/2024-01-01-a\.md and posts\/2024-01-02-b\.md would both be written to same\/index\.html/);
  });

  it('blames the post, at its permalink line, when it takes the URL of a page Quire generates', async () => {
    const root = writeSite({ 'posts/2024-01-01-a.md': '---\ntitle: A\npermalink: /feed.xml\n---\nA' });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: 'posts/2024-01-01-a.md', line: 3, message: expect.stringMatching(/would both be written to feed\.xml/) });
  });

  it('points template errors at the template file and line', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\n---\nA',
      'templates/post.njk': '---\nlayout: null\n---\nline 4\n{% if %}\n',
    });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: 'templates/post.njk', line: 5 });
  });

  it('writes a post with jsonify, its neighbours and nearby posts as their URLs (they point back at it)', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\ncoordinates: [0.25, 0.3]\n---\nA',
      'posts/2024-01-02-b.md': '---\ntitle: B\ncoordinates: [0.2, 0.3]\n---\nB',
      'templates/post.njk': '---\nlayout: null\n---\n{{ page | jsonify }}',
    });
    const { outputs } = await buildInMemory(configFor(root), { now: FIXED_NOW });
    const a = JSON.parse(page(outputs, '2024/01/01/a.html')) as Record<string, unknown>;
    expect(a).toMatchObject({ title: 'A', next: '/2024/01/02/b.html', previous: null, nearby: ['/2024/01/02/b.html'] });
  });

  it('points a filter the templates do not have at its own line, not at the last call before it', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': '---\ntitle: A\n---\nA',
      'templates/post.njk': '---\nlayout: null\n---\n{{ page.date | date("%Y") }}\n{{ "x" | upper }}\n<p>\n  {{ page.title | nosuchfilter }}</p>\n',
    });
    const error = await failure(buildInMemory(configFor(root), { now: FIXED_NOW }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: 'templates/post.njk', line: 7, column: 19, message: 'template error: there is no filter "nosuchfilter"' });
  });
});
