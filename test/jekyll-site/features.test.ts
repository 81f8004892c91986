/**
 * How the builder reads a Jekyll site, feature by feature, on small sites written for each test:
 * telling a Jekyll site from a Quire site, pages, defaults, jekyll-paginate, layouts falling back
 * to Quire's theme, Quire's generated pages giving way to the site's own files, static files,
 * rebuilds after changes, and `quire build` / `quire serve` on a Jekyll site.
 */
import { cpSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInMemory, createBuilder, type BuildResult } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
import { isJekyllSite } from '../../src/jekyll/files.js';
import { startPreview, type Preview } from '../../src/dev/preview.js';
import type { Output } from '../../src/types.js';
import { assertCompiled, quire, tempDir } from '../cli/run.js';
import { FIXED_NOW, writeSite } from '../helpers/site.js';

/** A build's outputs by path, made once per build (tests look up every output of some builds). */
function outputsOf(result: BuildResult): Map<string, Output> {
  let outputs = outputMaps.get(result);
  if (!outputs) outputMaps.set(result, (outputs = new Map(result.outputs.map((output) => [output.path, output]))));
  return outputs;
}

const outputMaps = new WeakMap<BuildResult, Map<string, Output>>();

function text(result: BuildResult, file: string): string {
  const output = outputsOf(result).get(file);
  if (!output) throw new Error(`${file} was not written; outputs: ${[...outputsOf(result).keys()].join(', ')}`);
  return typeof output.contents === 'string' ? output.contents : readFileSync(output.contents.copyFrom, 'utf8');
}

const LAYOUT = '<html><body>{{ content }}</body></html>';

describe('telling a Jekyll site from a Quire site', () => {
  const kindOf = (files: Record<string, string>) => isJekyllSite(loadConfig(writeSite(files, 'quire-kind-')));

  it('takes a site with _layouts/, _includes/, _data/ or a top-level page for a Jekyll site', () => {
    expect(kindOf({ '_config.yml': '', '_layouts/default.html': LAYOUT })).toBe(true);
    expect(kindOf({ '_config.yml': '', '_includes/x.html': 'x' })).toBe(true);
    expect(kindOf({ '_config.yml': '', '_data/x.yml': 'a: 1' })).toBe(true);
    expect(kindOf({ '_config.yml': '', '_posts/2024-01-01-a.md': 'A', 'index.md': '---\nlayout: home\n---\n' })).toBe(true);
  });

  it('takes a site with templates/, or with only posts, for a Quire site', () => {
    expect(kindOf({ '_config.yml': '', '_layouts/default.html': LAYOUT, 'templates/post.njk': '{{ content }}' })).toBe(false);
    expect(kindOf({ '_config.yml': '', '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nA' })).toBe(false);
    expect(kindOf({ '_config.yml': '', 'posts/2024-01-01-a.md': 'A', 'README.md': '# Notes\n' })).toBe(false);
  });

  it('lets `jekyll_site:` in _config.yml decide', () => {
    expect(kindOf({ '_config.yml': 'jekyll_site: true\n', '_posts/2024-01-01-a.md': 'A' })).toBe(true);
    expect(kindOf({ '_config.yml': 'jekyll_site: false\n', '_layouts/default.html': LAYOUT })).toBe(false);
  });
});

describe('a Jekyll site through the builder', () => {
  it('renders pages and posts with their Liquid layouts, includes, data and defaults', async () => {
    const root = writeSite({
      '_config.yml': 'title: Site\ntimezone: UTC\ndefaults:\n  - scope: { type: posts }\n    values: { layout: post, mood: sunny }\n',
      '_layouts/default.html': '<html><title>{{ page.title }}</title>{% include nav.html %}<main>{{ content }}</main></html>',
      '_layouts/post.html': '---\nlayout: default\n---\n<article data-mood="{{ page.mood }}">{{ content }}</article>',
      '_includes/nav.html': '<nav>{% for p in site.data.menu %}<a href="{{ p.url | relative_url }}">{{ p.name }}</a>{% endfor %}</nav>',
      '_data/menu.yml': '- { name: Home, url: / }\n- { name: About, url: /about.html }\n',
      'about.md': '---\ntitle: About\nlayout: default\n---\n# About {{ site.title }}\n\n{{ site.posts.size }} posts.\n',
      '_posts/2024-01-01-first.md': '---\ntitle: First\n---\nHello from {{ page.title }}; see [about]({% link about.md %}).\n',
      '_posts/2024-01-02-second.md': '---\ntitle: Second\n---\nSee {% post_url 2024-01-01-first %}.\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    const about = text(result, 'about.html');
    expect(about).toContain('<title>About</title><nav><a href="/">Home</a><a href="/about.html">About</a></nav>');
    expect(about).toContain('<h1 id="about-site">About Site</h1>\n<p>2 posts.</p>');
    const first = text(result, '2024/01/01/first.html');
    expect(first).toContain('<article data-mood="sunny"><p>Hello from First; see <a href="/about.html">about</a>.</p>\n</article>');
    expect(text(result, '2024/01/02/second.html')).toContain('See /2024/01/01/first.html.');
    expect(result.site.posts.map((post) => post.layout)).toEqual(['post', 'post']);
  });

  it('lets Liquid in a page show the posts’ excerpts and content, as Jekyll renders posts before pages', async () => {
    // Expected text as Jekyll 4.3.1 wrote it for this site.
    const root = writeSite({
      '_config.yml': 'title: Site\ntimezone: UTC\n',
      '_layouts/default.html': '<html>{{ content }}</html>',
      '_posts/2024-01-01-first.md': '---\ntitle: First\ncategories: news\n---\nFirst *para*.\n\nSecond.\n',
      '_posts/2024-01-02-second.md': '---\ntitle: Second\n---\nOnly one.\n',
      'index.html':
        '---\nlayout: default\n---\n{% for p in site.posts %}[{{ p.title }}|{{ p.excerpt | strip_newlines }}|{{ p.content | strip_newlines }}]{% endfor %}{% for p in site.categories.news %}(news {{ p.excerpt | strip_newlines }}){% endfor %}\n',
      'about.md': '---\ntitle: About\n---\n{% for p in site.posts %}- {{ p.title }}: {{ p.excerpt | strip_html | strip_newlines }}\n{% endfor %}\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(text(result, 'index.html')).toBe(
      '<html>[Second|<p>Only one.</p>|<p>Only one.</p>][First|<p>First <em>para</em>.</p>|<p>First <em>para</em>.</p><p>Second.</p>](news <p>First <em>para</em>.</p>)\n</html>',
    );
    expect(text(result, 'about.html')).toContain('<li>Second: Only one.</li>\n<li>First: First para.</li>');
  });

  it('gives a post site.related_posts as Jekyll does without lsi: the ten newest other posts; a page none', async () => {
    // Expected text as Jekyll 4.3.1 wrote it for this site.
    const files: Record<string, string> = {
      '_config.yml': 'timezone: UTC\n',
      '_layouts/post.html': '{% for p in site.related_posts limit:3 %}{{ p.url }};{% endfor %}{{ site.related_posts | size }}',
      'index.html': '---\nlayout: null\n---\n[{{ site.related_posts | size }}]',
    };
    for (let day = 1; day <= 12; day++) files[`_posts/2024-01-${String(day).padStart(2, '0')}-p${day}.md`] = '---\nlayout: post\n---\nx\n';
    const result = await buildInMemory(loadConfig(writeSite(files)), { now: FIXED_NOW });
    expect(text(result, '2024/01/01/p1.html')).toBe('/2024/01/12/p12.html;/2024/01/11/p11.html;/2024/01/10/p10.html;10');
    expect(text(result, '2024/01/06/p6.html')).toBe('/2024/01/12/p12.html;/2024/01/11/p11.html;/2024/01/10/p10.html;10');
    expect(text(result, '2024/01/12/p12.html')).toBe('/2024/01/11/p11.html;/2024/01/10/p10.html;/2024/01/09/p9.html;10');
    expect(text(result, 'index.html')).toBe('[0]');
  });

  it('places and names collection documents as Jekyll does, whatever the site\'s permalink style', async () => {
    // Expected values as Jekyll 4.3.1 wrote them for this site (its date: the build's, here FIXED_NOW's year).
    const year = new Date(FIXED_NOW.epochMs).getUTCFullYear();
    const cases: Array<[string, Record<string, string>]> = [
      ['pretty', { 'notes/my-long_note/index.html': 'My Long_note|/notes/my-long_note|/notes/my-long_note/|my-long_note', 'notes/n2/index.html': 'Given|/notes/n2|/notes/n2/|n2' }],
      ['date', { 'notes/my-long_note.html': 'My Long_note|/notes/my-long_note|/notes/my-long_note.html|my-long_note', 'notes/n2.html': 'Given|/notes/n2|/notes/n2.html|n2' }],
      ['weekdate', { 'notes/my-long_note.html': 'My Long_note|/notes/my-long_note|/notes/my-long_note|my-long_note' }],
      ['/:year/:title/', { 'notes/n2/index.html': 'Given|/notes/n2|/notes/n2/|n2' }],
      ['/:year/:title', { 'notes/n2.html': 'Given|/notes/n2|/notes/n2|n2' }],
    ];
    for (const [style, expected] of cases) {
      const root = writeSite({
        '_config.yml': `timezone: UTC\npermalink: ${style}\ncollections:\n  notes: {output: true}\n  recipes: {output: true, permalink: /r/:name/}\n`,
        '_layouts/default.html': '{{ page.title }}|{{ page.id }}|{{ page.url }}|{{ page.slug }}|{{ page.date | date: "%Y" }}|{{ page.collection }}',
        '_notes/my-long_note.md': '---\nlayout: default\n---\nx\n',
        '_notes/n2.html': '---\nlayout: default\ntitle: Given\n---\nx\n',
        '_recipes/Soup.md': '---\nlayout: default\n---\nx\n',
      });
      const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
      for (const [file, values] of Object.entries(expected)) expect(text(result, file), `${style}: ${file}`).toBe(`${values}|${year}|notes`);
      expect(text(result, 'r/soup/index.html'), style).toBe(`Soup|/r/Soup|/r/soup/|Soup|${year}|recipes`);
    }
  });

  it('renders collection documents before pages: a page sees their content and output, their own name, and no dir', async () => {
    // Expected text as Jekyll 4.3.1 wrote it for this site. Documents render before pages, so
    // Ann's layout counts the pages (2) but a page sees the documents' content and output.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\ncollections:\n  team: {output: false}\n  notes: {output: true}\n',
      '_layouts/note.html': '---\n---\n<div class="note">{{ content }}</div>\n',
      '_team/ann.md': '---\nname: Ann Smith\nrole: Editor\nlayout: note\n---\nAnn writes *things* and sees {{ site.pages.size }} pages.\n',
      '_team/bob.md': '---\nrole: Writer\n---\nBob writes {{ page.role }}.\n',
      '_notes/n1.md': '---\ntitle: N1\nlayout: note\n---\nNote *one*.\n',
      'about.md': '---\n---\nabout {{ site.team.size }}\n',
      'team.html':
        '---\n---\n{% for m in site.team %}[{{ m.name }}|{{ m.role }}|{{ m.content | strip }}|{{ m.output | strip }}|{{ m.dir }}]\n{% endfor %}' +
        '{% for n in site.notes %}[{{ n.name }}|{{ n.content | strip }}|{{ n.output | strip | replace: "\n", "" }}|{{ n.dir }}]{% endfor %}\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(text(result, 'team.html')).toBe(
      '[Ann Smith|Editor|<p>Ann writes <em>things</em> and sees 2 pages.</p>|<div class="note"><p>Ann writes <em>things</em> and sees 2 pages.</p>\n</div>|]\n' +
        '[bob.md|Writer|<p>Bob writes Writer.</p>|<p>Bob writes Writer.</p>|]\n' +
        '[n1.md|<p>Note <em>one</em>.</p>|<div class="note"><p>Note <em>one</em>.</p></div>|]\n',
    );
    expect(text(result, 'notes/n1.html')).toBe('<div class="note"><p>Note <em>one</em>.</p>\n</div>\n');
    expect(text(result, 'about.html')).toBe('<p>about 2</p>\n');
  });

  it('applies `type: posts` front matter defaults to drafts, and never `type: drafts` ones, as Jekyll 4.3 does', async () => {
    // Expected text as Jekyll 4.3.1 wrote it (with --drafts) for this site.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\ndefaults:\n  - scope: {path: "", type: posts}\n    values: {layout: post, x: fromposts}\n  - scope: {path: "", type: drafts}\n    values: {y: fromdrafts}\n',
      '_layouts/post.html': '---\n---\n<html>POST {{ page.x }} {{ page.y }} {{ content }}</html>\n',
      '_drafts/d.md': '---\ntitle: D\n---\ndraft\n',
      '_posts/2024-01-01-p.md': '---\ntitle: P\n---\npost\n',
    });
    beforeTheClock(path.join(root, '_drafts/d.md'));
    const result = await buildInMemory(loadConfig(root, { drafts: true }), { now: FIXED_NOW });
    const draft = result.outputs.find((output) => output.origin === '_drafts/d.md')!;
    expect(draft.contents).toBe('<html>POST fromposts  <p>draft</p>\n</html>\n');
    expect(text(result, '2024/01/01/p.html')).toBe('<html>POST fromposts  <p>post</p>\n</html>\n');
  });

  it('lists in the sitemap what jekyll-sitemap lists: a page\'s last_modified_at, a folder for …/index.html, nothing of an index page marked sitemap: false or its later pages', async () => {
    // As Jekyll 4.3.1 with jekyll-sitemap 1.4.0 and jekyll-paginate wrote it (Quire adds its own pages).
    const root = writeSite({
      '_config.yml': 'title: S\nurl: https://example.com\ntimezone: UTC\npaginate: 1\n',
      '_layouts/d.html': '{{ content }}',
      'index.html': '---\nlayout: d\nsitemap: false\n---\nhome {{ paginator.page }}\n',
      'cross.md': '---\nlayout: d\ntitle: Cross\nlast_modified_at: 2024-05-06\n---\nc\n',
      'ix.md': '---\nlayout: d\npermalink: /ix/index.html\n---\nix\n',
      '_posts/2024-01-01-p1.md': '---\nlayout: d\ntitle: P1\n---\nx\n',
      '_posts/2024-01-02-p2.md': '---\nlayout: d\ntitle: P2\n---\nx\n',
    });
    const sitemap = text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), 'sitemap.xml');
    const entries = [...sitemap.matchAll(/<loc>([^<]*)<\/loc>\n(?:<lastmod>([^<]*)<\/lastmod>)?/g)].map((match) => [match[1], match[2] ?? null]);
    const quirePages = ['categories/', 'tags/', 'archive/', 'map/'].map((page) => `https://example.com/${page}`);
    expect(entries.filter(([url]) => !quirePages.includes(url!)).sort()).toEqual([
      ['https://example.com/2024/01/01/p1.html', '2024-01-01T00:00:00+00:00'],
      ['https://example.com/2024/01/02/p2.html', '2024-01-02T00:00:00+00:00'],
      ['https://example.com/cross.html', '2024-05-06T00:00:00+00:00'],
      ['https://example.com/ix/', null],
    ]);
  });

  it('counts, searches and prints hashes as Ruby does: size, contains, a printed hash and inspect, as Jekyll 4.3.1 did', async () => {
    const root = writeSite({
      '_config.yml': 'title: T\nauthor: {name: Jane Doe, email: jane@example.com}\n',
      '_data/authors.yml': 'jane:\n  name: Jane Doe\n  n: 3\n  tags: [a, "b \\"q\\" #{x}"]\n  nil_value:\n',
      '_posts/2024-01-01-a.md': '---\ntitle: A\ntags: [x, y]\n---\nA\n',
      'index.html': '---\nlayout: null\nauthor: jane\n---\n{{ site.tags | size }} {{ site.data.authors | size }}|{% if site.data.authors contains page.author %}found{% else %}missing{% endif %}|{% if site.tags contains "z" %}found{% else %}missing{% endif %}|{{ site.author }}|{{ site.data.authors.jane.tags | inspect }}',
    });
    expect(text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), 'index.html')).toBe('2 1|found|missing|{"name"=>"Jane Doe", "email"=>"jane@example.com"}|[&quot;a&quot;, &quot;b \\&quot;q\\&quot; \\#{x}&quot;]');
  });

  it('gives collection documents excerpts, in their own layout and in site.<label>, as Jekyll 4.3.1 did', async () => {
    const root = writeSite({
      '_config.yml': 'collections:\n  notes:\n    output: true\n',
      '_layouts/t.html': '[{{ page.excerpt }}]',
      '_notes/n.md': '---\nlayout: t\n---\nNote *first* paragraph.\n\nSecond.\n',
      '_notes/own.md': '---\nlayout: t\nexcerpt: Written *excerpt*\n---\nBody.\n',
      'list.html': '---\n---\n{% for n in site.notes %}<{{ n.excerpt }}>{% endfor %}',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(text(result, 'notes/n.html')).toBe('[<p>Note <em>first</em> paragraph.</p>\n]');
    expect(text(result, 'list.html')).toBe('<<p>Note <em>first</em> paragraph.</p>\n><Written *excerpt*>');
  });

  it('reads text of digits as seconds since 1970 in the date filter, and gives back the input for an empty format, as Jekyll 4.3.1 did', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: America/New_York\n',
      '_layouts/t.html': '{{ "1710093600" | date: "%F %T %Z %z" }}|{{ "2024-03-10 02:30" | date: "" }}|{{ 1710093600 | date: "%F %T" }}',
      '_posts/2024-04-01-a.md': '---\nlayout: t\n---\nx\n',
    });
    expect(text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), '2024/04/01/a.html')).toBe('2024-03-10 14:00:00 EDT -0400|2024-03-10 02:30|2024-03-10 14:00:00');
  });

  it('prints a front matter time as Ruby prints the Time Psych made of it, as Jekyll 4.3.1 did', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: America/New_York\n',
      '_layouts/t.html': '{{ page.last_modified_at }}|{{ page.updated }}|{{ page.day }}|{{ page.last_modified_at | date_to_xmlschema }}',
      '_posts/2024-04-01-a.md': '---\nlayout: t\nlast_modified_at: 2024-04-01 08:00:00\nupdated: 2024-04-02 09:30:00 +02:00\nday: 2024-04-03\n---\nx\n',
    });
    expect(text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), '2024/04/01/a.html')).toBe('2024-04-01 04:00:00 -0400|2024-04-02 09:30:00 +0200|2024-04-03|2024-04-01T04:00:00-04:00');
  });

  it('gives site.lang only when _config.yml sets it, so a theme\'s own default applies', async () => {
    // As Jekyll 4.3.1 wrote it: no `lang` of its own.
    const page = { 'index.html': '---\n---\n<html lang="{{ site.lang | default: "en-US" }}">' };
    const without = await buildInMemory(loadConfig(writeSite({ '_config.yml': 'timezone: UTC\n', ...page })), { now: FIXED_NOW });
    expect(text(without, 'index.html')).toBe('<html lang="en-US">');
    const given = await buildInMemory(loadConfig(writeSite({ '_config.yml': 'timezone: UTC\nlang: fr\n', ...page })), { now: FIXED_NOW });
    expect(text(given, 'index.html')).toBe('<html lang="fr">');
  });

  it('writes nothing of _posts/ but its posts, and lets a post include_relative a file beside it', async () => {
    // As Jekyll 4.3.1 wrote this site: no /_posts/... files, and the included markdown rendered.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': '{{ content }}',
      '_posts/local.txt': 'txt',
      '_posts/inc/local.txt': 'inc txt',
      '_posts/inc/local.md': 'LOCAL *md* {{ page.title }}',
      '_posts/2024-01-03-two.md': '---\ntitle: Two\n---\n{% include_relative inc/local.md %}\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(result.outputs.map((output) => output.path).filter((file) => file.startsWith('_posts'))).toEqual([]);
    expect(text(result, '2024/01/03/two.html')).toBe('<p>LOCAL <em>md</em> Two</p>\n');
    // In a Quire site too: `_posts/` is Jekyll's folder (Quire's `posts/` keeps the files beside its posts).
    const quireSite = writeSite({ '_config.yml': 'timezone: UTC\n', '_posts/2024-01-03-a.md': '---\ntitle: A\n---\nx\n', '_posts/notes.txt': 'x', 'posts/2024-01-04-b.md': '---\ntitle: B\n---\nx\n', 'posts/photo.jpg': 'jpg' });
    const quireOutputs = (await buildInMemory(loadConfig(quireSite), { now: FIXED_NOW })).outputs.map((output) => output.path);
    expect(quireOutputs.filter((file) => file.startsWith('_posts'))).toEqual([]);
    expect(quireOutputs).toContain('posts/photo.jpg');
  });

  it('gives page.content as Jekyll does: a page\'s text as written, in its Liquid and layouts; a post\'s in its Liquid, its HTML in its layouts', async () => {
    // As Jekyll 4.3.1 wrote this site.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': '---\n---\nLayout sees {{ page.content | size }}\n{{ content }}',
      'about.md': '---\ntitle: About\n---\nOne two *three* {{ page.content | number_of_words }} [{{ page.content | size }}] {{ page.content | slice: 0, 12 }}\n',
      'withlayout.md': '---\nlayout: default\n---\nPage with layout {{ page.content | size }}\n',
      // A post sees its text as written in its own Liquid, and its HTML in its layouts.
      '_posts/2024-01-01-p.md': '---\nlayout: default\ntitle: P\n---\nPost own {{ page.content | size }}\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(text(result, 'about.html')).toBe('<p>One two <em>three</em> 20 [115] One two *thr</p>\n');
    expect(text(result, 'withlayout.html')).toBe('Layout sees 43\n<p>Page with layout 43</p>\n');
    expect(text(result, '2024/01/01/p.html')).toBe('Layout sees 19\n<p>Post own 35</p>\n');
  });

  it('renders a post again when a file it reads with include_relative changes, in serve\'s builder and in quire build', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      'index.md': '---\n---\nhome\n',
      '_posts/2022-01-01-a.md': '---\ntitle: A\n---\nSnippet: {% include_relative snippet.txt %}\n',
      '_posts/snippet.txt': 'one',
    });
    const builder = createBuilder(loadConfig(root));
    expect(text(await builder.build(undefined, { now: FIXED_NOW }), '2022/01/01/a.html')).toBe('<p>Snippet: one</p>\n');
    writeFileSync(path.join(root, '_posts/snippet.txt'), 'two');
    expect(text(await builder.build(['_posts/snippet.txt'], { now: FIXED_NOW }), '2022/01/01/a.html')).toBe('<p>Snippet: two</p>\n');
    // `quire build` into the same folder does not take the site for unchanged.
    assertCompiled();
    expect((await quire(['build', '--source', root])).status).toBe(0);
    writeFileSync(path.join(root, '_posts/snippet.txt'), 'three');
    const again = await quire(['build', '--source', root]);
    expect(again.stdout).not.toMatch(/Up to date/);
    expect(readFileSync(path.join(root, '_site/2022/01/01/a.html'), 'utf8')).toBe('<p>Snippet: three</p>\n');
    expect(existsSync(path.join(root, '_site/_posts'))).toBe(false);
  });

  it('says that a bad value a post does not write comes from defaults: in _config.yml', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\ndefaults:\n  - scope: {path: ""}\n    values: {layout: default, tags: {a: 1}}\n',
      '_layouts/default.html': '{{ content }}',
      '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nx\n',
    });
    await expect(buildInMemory(loadConfig(root), { now: FIXED_NOW })).rejects.toMatchObject({
      problems: [{ file: '_posts/2024-01-01-a.md', hint: 'this file does not set `tags`: the value comes from `defaults:` in _config.yml' }],
    });
  });

  it('gives posts Jekyll\'s document fields: name, ext, relative_path, collection', async () => {
    // Expected text as Jekyll 4.3.1 wrote it (with --drafts) for this site.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': '{{ page.name }}|{{ page.ext }}|{{ page.relative_path }}|{{ page.collection }}|{{ page.path }}',
      '_posts/2024-03-20-hello-world.md': '---\nlayout: default\n---\nx\n',
      '_posts/2024-03-21-named.markdown': '---\nlayout: default\nname: Alice\n---\nx\n',
      '_drafts/a-draft.md': '---\nlayout: default\n---\nx\n',
    });
    beforeTheClock(path.join(root, '_drafts/a-draft.md'));
    const result = await buildInMemory(loadConfig(root, { drafts: true }), { now: FIXED_NOW });
    expect(text(result, '2024/03/20/hello-world.html')).toBe('2024-03-20-hello-world.md|.md|_posts/2024-03-20-hello-world.md|posts|_posts/2024-03-20-hello-world.md');
    expect(text(result, '2024/03/21/named.html')).toBe('Alice|.markdown|_posts/2024-03-21-named.markdown|posts|_posts/2024-03-21-named.markdown');
    const draft = result.outputs.find((output) => output.origin === '_drafts/a-draft.md')!;
    expect(draft.contents).toBe('a-draft.md|.md|_drafts/a-draft.md|posts|_drafts/a-draft.md');
  });

  it('copies a written collection\'s files without front matter where its permalink puts them, as Jekyll does', async () => {
    // Output paths and static_files entries as Jekyll 4.3.1 wrote them for this site.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\ncollections:\n  recipes: {output: true, permalink: "/recipes/:name/"}\n  notes: {output: true}\n',
      '_layouts/default.html': '{{ content }}',
      '_recipes/bread.md': 'Bread has no front matter.',
      '_recipes/sub/pic.png': 'PNG',
      '_notes/plain.txt': 'N',
      'list.html': '---\n---\n{% for f in site.static_files %}[{{ f.path }}|{{ f.collection }}]{% endfor %}',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    const copied = result.outputs.filter((output) => typeof output.contents !== 'string' && !output.origin.startsWith('(theme)')).map((output) => output.path);
    expect(copied.sort()).toEqual(['notes/plain.txt', 'recipes/bread.md', 'recipes/pic.png']);
    expect(text(result, 'list.html')).toBe('[_notes/plain.txt|notes][_recipes/bread.md|recipes][_recipes/sub/pic.png|recipes]');
  });

  it('names static files as Jekyll does, a dot-file with no extension', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\ninclude: [.htaccess]\n',
      '.htaccess': 'Options -Indexes\n',
      'files/report.v2.pdf': '%PDF',
      'list.html': '---\nlayout: null\n---\n{% for f in site.static_files %}[{{ f.name }}|{{ f.basename }}|{{ f.extname }}]{% endfor %}',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(text(result, 'list.html')).toContain('[.htaccess|.htaccess|]');
    expect(text(result, 'list.html')).toContain('[report.v2.pdf|report.v2|.pdf]');
  });

  it('lists static HTML and PDF files in the sitemap, and no not-found page, as jekyll-sitemap does', async () => {
    // Locations as Jekyll 4.3.1 with jekyll-sitemap wrote them.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\nurl: https://example.org\n',
      '_layouts/default.html': '{{ content }}',
      '_posts/2024-01-01-a.md': '---\nlayout: default\n---\nx\n',
      'assets/my doc.pdf': 'pdf',
      'assets/s.html': '<p>static</p>',
      'assets/a.txt': 'x',
      '404.html': '---\npermalink: /404.html\n---\nnot found\n',
      'errs/404.html': '<p>a static one</p>',
    });
    const sitemap = text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), 'sitemap.xml');
    expect(sitemap).toContain('<loc>https://example.org/assets/my%20doc.pdf</loc>');
    expect(sitemap).toContain('<loc>https://example.org/assets/s.html</loc>');
    expect(sitemap).not.toContain('a.txt');
    expect(sitemap).not.toContain('404');
  });

  it('sorts, groups and filters lists as Jekyll\'s filters do (site.tags | sort, map | uniq, nils first, where_exp)', async () => {
    // Expected text as Jekyll 4.3.1 wrote it for this site.
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': '{{ content }}',
      '_posts/2024-01-01-a.md': '---\ntags: [z1, common, b]\n---\nx\n',
      '_posts/2024-01-02-b.md': '---\ntags: [z2, common]\n---\nx\n',
      '_posts/2024-01-03-c.md': '---\ntags: [z3, common, a]\n---\nx\n',
      '_data/items.yml': '- {name: apple, color: red}\n- {name: Banana, color: yellow}\n- {name: cherry, color: red}\n- {name: date}\n',
      'index.html': [
        '---',
        'layout: default',
        '---',
        'A{% assign st = site.tags | sort %}{% for t in st %}[{{ t[0] }}:{{ t[1].size }}]{% endfor %}',
        'B{{ site.posts | map: "tags" | uniq | join: "," }}',
        'C{{ site.data.items | sort: "color" | map: "name" | join: "," }}',
        'D{{ site.data.items | sort: "color", "last" | map: "name" | join: "," }}',
        'E{% assign g = site.posts | group_by_exp: "p", "p.date | date: \'%Y\'" %}{% for x in g %}{{ x.name }}:{{ x.size }}{% endfor %}',
        'F{{ site.data.items | where_exp: "i", "i.color" | map: "name" | join: "," }}',
        'G{{ site.data.items | where: "color", nil | map: "name" | join: "," }}',
        'H{{ nil | xml_escape }}|{{ nil | jsonify }}',
        'I{{ site.posts | map: "tags" | compact | size }}',
        'J{{ "b,a,C" | split: "," | sort | join: "," }}',
        // Real whitespace (tabs, newlines, runs of spaces) around and between the words.
        'K{% capture t %}  one\ttwo\n\n three  {% endcapture %}{% assign w = t | split: " " %}{{ w | size }}:{{ w | join: "|" }}',
        'L{{ "a,b,," | split: "," | size }}|{{ "" | split: " " | size }}|{{ "a\u00a0b c" | split: " " | size }}',
        '',
      ].join('\n'),
    });
    expect(text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), 'index.html')).toBe(
      [
        'A[a:1][b:1][common:3][z1:1][z2:1][z3:1]',
        'Bz3,common,a,z2,z1,b',
        'Cdate,apple,cherry,Banana',
        'Dapple,cherry,Banana,date',
        'E2024:3',
        'Fapple,Banana,cherry',
        'Gdate',
        'H|null',
        'I8',
        'JC,a,b',
        'K3:one|two|three',
        'L2|0|2',
        '',
      ].join('\n'),
    );
  });

  it('does text and number filters as Ruby\'s Liquid: escapes, URL encoding, decimal arithmetic, counts', async () => {
    // Expected text as Jekyll 4.3.1 wrote it for this page, except that JavaScript prints 435 and 7
    // where Ruby prints 435.0 and 7.0 (see README, What differs).
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      'index.html': ['---', 'h: {k1: v1, k2: 2}', 'n: 0.1', '---', "A{{ 0.1 | plus: 0.2 }}|{{ 4.35 | times: 100 }}|{{ 0.07 | times: 100 }}|{{ 183.357 | modulo: 12 }}|{{ 3.3 | minus: 1.1 }}|{{ 1.1 | times: 3 }}|{{ 10 | divided_by: 3.0 }}|{{ page.n | plus: 0.2 }}",
        "B{{ \"1,000\" | plus: 1 }}|{{ \"5abc\" | plus: 1 }}|{{ \"1e3\" | plus: 1 }}|{{ \"0x10\" | plus: 1 }}|{{ \".5\" | plus: 1 }}|{{ \"1_000\" | plus: 1 }}|{{ \"7.0\" | divided_by: 2 }}|{{ 7 | divided_by: 2 }}",
        "C{{ \"1 &lt; 2 &quot; &#39; & <b>\" | escape_once }}|{{ 'He said \"hi\" & it' | escape }}|{{ \"e'f(g)*~! a b/\u00e9\" | url_encode }}|{{ \"%E2%9C%93 x+y %zz\" | url_decode }}",
        "D{% assign a = nil %}[{{ a | markdownify }}][{{ a | smartify }}][{{ \"It's -- ok... (c)\" | smartify }}]",
        "E{% assign arr = \"3,1,2,10,1\" | split: \",\" %}{{ arr | pop: 2 | join: \",\" }}|{{ arr | shift: 2 | join: \",\" }}|{{ arr | pop | join: \",\" }}|[{{ \"hello\" | first }}][{{ \"hello\" | last }}]|{{ page.h | first }}|{{ \"Hi \ud83d\ude00\ud83d\udc4d\ud83c\udffd \ud835\udcb3\" | size }}|{{ \"a\ud83d\ude00b\" | split: \"\" | join: \",\" }}"].join('\n') + '\n',
    });
    expect(text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), 'index.html')).toBe("A0.3|435|7|3.357|2.2|3.3|3.3333333333333335|0.3\nB2|6|2|1|1|1001|3.5|3\nC1 &lt; 2 &quot; &#39; &amp; &lt;b&gt;|He said &quot;hi&quot; &amp; it|e%27f%28g%29%2A~%21+a+b%2F%C3%A9|\u2713 x y %zz\nD[\n][][It\u2019s \u2013 ok\u2026 (c)]\nE3,1,2|2,10,1|3,1,2,10|[][]|k1v1|8|a,\ud83d\ude00,b\n");
  });

  it('keeps an HTML post\'s own extension (.htm) in its URL, as Jekyll does', async () => {
    // Output paths as Jekyll 4.3.1 wrote them.
    for (const [style, expected] of [['date', ['2024/02/05/htm.htm', '2024/02/06/html.html']], ['/:year/:title:output_ext', ['2024/htm.htm', '2024/html.html']], ['pretty', ['2024/02/05/htm/index.html', '2024/02/06/html/index.html']]] as const) {
      const root = writeSite({
        '_config.yml': `timezone: UTC\npermalink: ${style}\n`,
        '_layouts/default.html': '{{ page.url }}',
        '_posts/2024-02-05-htm.htm': '---\nlayout: default\n---\n<p>x</p>\n',
        '_posts/2024-02-06-html.html': '---\nlayout: default\n---\n<p>y</p>\n',
      });
      const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
      expect(result.site.posts.map((post) => post.outputPath).sort(), style).toEqual([...expected]);
    }
  });

  it('writes a date with jsonify as Jekyll does (Ruby\'s Time#to_json)', async () => {
    // Expected text as Jekyll 4.3.1 wrote it for this site.
    const root = writeSite({
      '_config.yml': 'timezone: America/New_York\n',
      '_layouts/default.html': '{{ page.date | jsonify }}',
      '_posts/2024-01-05-a.md': '---\nlayout: default\ndate: 2024-01-05 18:30:00 -0500\n---\nx\n',
    });
    expect(text(await buildInMemory(loadConfig(root), { now: FIXED_NOW }), '2024/01/05/a.html')).toBe('"2024-01-05 18:30:00 -0500"');
  });

  it('gives a post no layout unless it names one, and warns about a layout that does not exist', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': LAYOUT,
      '_posts/2024-01-01-bare.md': '---\ntitle: Bare\n---\nBare.\n',
      '_posts/2024-01-02-lost.md': '---\ntitle: Lost\nlayout: nowhere\n---\nLost.\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(text(result, '2024/01/01/bare.html')).toBe('<p>Bare.</p>\n');
    expect(text(result, '2024/01/02/lost.html')).toBe('<p>Lost.</p>\n');
    expect(result.warnings).toEqual(["Layout 'nowhere' requested in _posts/2024-01-02-lost.md does not exist."]);
  });

  it('falls back to Quire’s Nunjucks layout of the same name when _layouts/ has none', async () => {
    const root = writeSite({
      '_config.yml': 'title: Fallback\ntimezone: UTC\n',
      '_layouts/page.html': '<div class="page">{{ content }}</div>',
      '_posts/2024-01-01-themed.md': '---\ntitle: Themed\nlayout: post\n---\nThemed body.\n',
      'about.md': '---\nlayout: page\n---\nAbout.\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    const post = text(result, '2024/01/01/themed.html');
    expect(post).toContain('<!doctype html>'); // Quire's theme: templates/post.njk in templates/default.njk
    expect(post).toContain('Themed body.');
    expect(text(result, 'about.html')).toBe('<div class="page"><p>About.</p>\n</div>');
    expect(outputsOf(result).has('css/quire.css')).toBe(true); // the theme's stylesheet comes along
    expect(result.warnings).toEqual([]);
  });

  it('renders a layout written in Nunjucks (`_layouts/x.njk`, or templates/ with `jekyll_site: true`)', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\njekyll_site: true\n',
      '_layouts/default.html': '<liquid>{{ content }}</liquid>',
      '_layouts/card.njk': '---\nlayout: default\n---\n<card title="{{ page.title | upper }}">{{ content }}</card>',
      'templates/note.njk': '<note>{{ content }}{% for post in site.posts.slice(0, 1) %} {{ post.title }}{% endfor %}</note>',
      'a.md': '---\ntitle: A\nlayout: card\n---\nA.\n',
      'b.md': '---\ntitle: B\nlayout: note\n---\nB.\n',
      '_posts/2024-01-01-p.md': '---\ntitle: P\n---\nP.\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    // A Nunjucks layout's parent is looked up among Nunjucks templates: Quire's default here.
    expect(text(result, 'a.html')).toContain('<card title="A"><p>A.</p>\n</card>');
    expect(text(result, 'a.html')).toContain('<!doctype html>');
    expect(text(result, 'b.html')).toBe('<note><p>B.</p>\n P</note>');
  });

  it('lets the site’s own files win over Quire’s generated pages (home, 404, feed)', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\npaginate: 1\n',
      '_layouts/default.html': LAYOUT,
      'index.md': '---\nlayout: default\n---\nMy home.\n',
      '404.html': '---\n---\nNot here.\n',
      'feed.xml': '<feed>{{ site.title }}</feed>\n',
      '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nA.\n',
      '_posts/2024-01-02-b.md': '---\ntitle: B\n---\nB.\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    const outputs = outputsOf(result);
    expect(text(result, 'index.html')).toBe('<html><body><p>My home.</p>\n</body></html>');
    expect(text(result, '404.html')).toBe('Not here.\n');
    expect(text(result, 'feed.xml')).toBe('<feed>{{ site.title }}</feed>\n'); // a static file: no front matter
    // No page 2 of Quire's home either: the site has its own home page.
    expect([...outputs.keys()].filter((file) => /^page\d/.test(file))).toEqual([]);
    expect(outputs.get('sitemap.xml')!.origin).toBe('(generated) /sitemap.xml');
    expect(text(result, 'sitemap.xml')).toContain('/2024/01/02/b.html');
  });

  it('paginates index.html with jekyll-paginate’s paginator', async () => {
    const posts = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`_posts/2024-01-0${n}-p${n}.md`, `---\ntitle: P${n}\n${n === 3 ? 'hidden: true\n' : ''}---\nPost ${n}.\n`]));
    const root = writeSite({
      '_config.yml': 'timezone: UTC\npaginate: 2\npaginate_path: /blog/page:num/\nbaseurl: /b\n',
      '_layouts/default.html': LAYOUT,
      'index.html': '---\nlayout: default\n---\n{{ paginator.page }}/{{ paginator.total_pages }} ({{ paginator.total_posts }}):{% for post in paginator.posts %} {{ post.title }}{% endfor %} prev={{ paginator.previous_page_path }} next={{ paginator.next_page_path }} url={{ page.url }}',
      ...posts,
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(text(result, 'index.html')).toBe('<html><body>1/2 (4): P5 P4 prev= next=/blog/page2/ url=/</body></html>');
    expect(text(result, 'blog/page2/index.html')).toBe('<html><body>2/2 (4): P2 P1 prev=/ next= url=/blog/page2/</body></html>');
    expect(outputsOf(result).has('blog/page3/index.html')).toBe(false);
  });

  it('copies static files where they are: a Jekyll site’s public/ is an ordinary folder', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\nexclude: [secret.txt]\n',
      '_layouts/default.html': LAYOUT,
      'public/logo.txt': 'logo',
      'assets/site.css': 'body {}',
      'secret.txt': 'no',
      '_drafts/wip.md': '---\ntitle: WIP\n---\nSoon.\n',
      'notes/_private.md': '---\n---\nSkipped.\n',
    });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    const outputs = outputsOf(result);
    expect(text(result, 'public/logo.txt')).toBe('logo');
    expect(outputs.has('logo.txt')).toBe(false);
    expect(text(result, 'assets/site.css')).toBe('body {}');
    for (const file of ['secret.txt', 'notes/_private.html', '_drafts/wip.md', '_config.yml']) expect(outputs.has(file), file).toBe(false);
  });

  it("lays out a page that names `layout: page` (every jekyll new minima site's about page) with Quire's page layout when _layouts/ has none, and says on the map that no post is on it yet", async () => {
    const root = writeSite({ '_config.yml': 'title: P\n', 'about.md': '---\nlayout: page\ntitle: About\n---\nAbout *us*.\n', '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nx\n' });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    const about = text(result, 'about.html');
    expect(about).toContain('<header class="site-header">');
    expect(about).toContain('<h1 class="post-title">About</h1>');
    expect(about).toContain('<p>About <em>us</em>.</p>');
    expect(result.warnings).toEqual([]);
    const map = text(result, 'map/index.html');
    expect(map).toContain('No post is on the map yet');
    expect(map).not.toContain('All posts on the map');
  });

  it('warns that Sass is not compiled instead of writing it unconverted', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\n', '_layouts/default.html': LAYOUT, 'assets/main.scss': '---\n---\n$c: red;\nbody { color: $c; }\n' });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(outputsOf(result).has('assets/main.css')).toBe(false);
    expect(result.warnings).toEqual(['assets/main.scss: Quire does not compile Sass, so assets/main.css is not written; compile it to CSS and put the .css file in the site instead']);
    // With the compiled file beside it, as the warning says, the site's own CSS is copied and nothing is said.
    writeFileSync(path.join(root, 'assets', 'main.css'), 'body { color: red; }\n');
    const followed = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(followed.warnings).toEqual([]);
    expect(text(followed, 'assets/main.css')).toBe('body { color: red; }\n');
  });

  it('warns about a theme gem and Ruby plugins, which Quire does not run', async () => {
    const root = writeSite({ '_config.yml': 'timezone: UTC\ntheme: minima\nplugins: [jekyll-seo-tag]\n', 'index.md': '---\nlayout: home\n---\n', '_plugins/x.rb': '# ruby' });
    const result = await buildInMemory(loadConfig(root), { now: FIXED_NOW });
    expect(result.warnings).toEqual([
      "`theme: minima`: Quire does not install Jekyll themes; a layout missing from _layouts/ uses Quire's own layout of that name if it has one (post, default, home...), and otherwise none",
      '_plugins/: Quire does not run Ruby plugins; tags, filters and pages they add will be missing',
    ]);
    // The site's index.md asks for `home`: Quire's home layout, with every post.
    expect(outputsOf(result).get('index.html')!.origin).toBe('index.md');
  });

  it('reports a Liquid error with the file and line, together with every other problem', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': LAYOUT,
      'about.md': '---\ntitle: About\n---\nfine\n{% if %}\n',
      '_posts/2024-01-01-a.md': '---\ntitle: A\n---\n{% include missing.html %}\n',
    });
    await expect(buildInMemory(loadConfig(root), { now: FIXED_NOW })).rejects.toMatchObject({
      problems: expect.arrayContaining([expect.objectContaining({ file: 'about.md', line: 5 }), expect.objectContaining({ file: '_posts/2024-01-01-a.md', line: 4 })]),
    });
  });

  it('rebuilds after a change to a layout, include, data file, page, static file or post', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': '{% include head.html %}{{ content }}',
      '_includes/head.html': '<head>v1</head>',
      '_data/site.yml': 'motto: one\n',
      'index.md': '---\nlayout: default\n---\n{{ site.data.site.motto }} {% for p in site.posts %}{{ p.title }}{% endfor %}\n',
      '_posts/2024-01-01-a.md': '---\ntitle: A\nlayout: default\n---\nA.\n',
      'style.css': 'v1',
    });
    const builder = createBuilder(loadConfig(root));
    const first = await builder.build(undefined, { now: FIXED_NOW });
    expect(text(first, 'index.html')).toBe('<head>v1</head><p>one A</p>\n');
    const edit = async (file: string, contents: string | null) => {
      if (contents === null) rmSync(path.join(root, file));
      else writeFileSync(path.join(root, file), contents);
      return builder.build([file], { now: FIXED_NOW });
    };
    expect(text(await edit('_includes/head.html', '<head>v2</head>'), '2024/01/01/a.html')).toBe('<head>v2</head><p>A.</p>\n');
    expect(text(await edit('_data/site.yml', 'motto: two\n'), 'index.html')).toBe('<head>v2</head><p>two A</p>\n');
    expect(text(await edit('_posts/2024-01-01-a.md', '---\ntitle: Ay\nlayout: default\n---\nA.\n'), 'index.html')).toBe('<head>v2</head><p>two Ay</p>\n');
    expect(text(await edit('about.md', '---\n---\nNew page.\n'), 'about.html')).toBe('<p>New page.</p>\n');
    expect(text(await edit('style.css', 'v2'), 'style.css')).toBe('v2');
    expect(outputsOf(await edit('about.md', null)).has('about.html')).toBe(false);
  });
});

describe('post pages a rebuild keeps', () => {
  const posts = Object.fromEntries(['a', 'b', 'c', 'd'].map((slug, i) => [`_posts/2024-01-0${i + 1}-${slug}.md`, `---\ntitle: ${slug.toUpperCase()}\nlayout: post\n---\nPost ${slug}.\n\nMore.\n`]));

  /** Edits files one at a time in a builder that lives on, and checks each build against a new builder's. */
  async function rebuildsMatchCleanBuilds(files: Record<string, string>, edits: Array<[string, string]>) {
    const root = writeSite({ '_config.yml': 'timezone: UTC\n', ...posts, ...files });
    const builder = createBuilder(loadConfig(root));
    let last = await builder.build(undefined, { now: FIXED_NOW });
    const kept: string[][] = [];
    for (const [file, contents] of edits) {
      const before = outputsOf(last);
      writeFileSync(path.join(root, file), contents);
      last = await builder.build([file], { now: FIXED_NOW });
      const clean = await createBuilder(loadConfig(root)).build(undefined, { now: FIXED_NOW });
      for (const output of clean.outputs) expect(text(last, output.path), output.path).toBe(text(clean, output.path));
      kept.push([...outputsOf(last)].filter(([file, output]) => file.endsWith('.html') && before.get(file) === output).map(([file]) => file));
    }
    return { last, kept };
  }

  it('keeps a post page whose layout reads only the page and its neighbours, until the post or a neighbour changes', async () => {
    const { last, kept } = await rebuildsMatchCleanBuilds(
      // (Words like "site" in the HTML around the Liquid do not count.)
      { '_layouts/post.html': '<h1 class="site-title">{{ page.title }}</h1>{{ content }}<a>{{ page.previous.title }}</a><a>{{ page.next.title }}</a>' },
      [
        // Below the excerpt (the first paragraph), which neighbours' pages could show.
        ['_posts/2024-01-02-b.md', '---\ntitle: B\nlayout: post\n---\nPost b.\n\nMore, edited.\n'],
        ['_posts/2024-01-02-b.md', '---\ntitle: Bee\nlayout: post\n---\nPost b.\n\nMore, edited.\n'],
      ],
    );
    // The body edit: only b's page is made again. The title edit: b's and its neighbours', a and c.
    expect(kept[0]).toEqual(expect.arrayContaining(['2024/01/01/a.html', '2024/01/03/c.html', '2024/01/04/d.html']));
    expect(kept[0]).not.toContain('2024/01/02/b.html');
    expect(kept[1]).toContain('2024/01/04/d.html');
    expect(kept[1]).not.toEqual(expect.arrayContaining(['2024/01/01/a.html']));
    expect(text(last, '2024/01/01/a.html')).toBe('<h1 class="site-title">A</h1><p>Post a.</p>\n<p>More.</p>\n<a></a><a>Bee</a>');
  });

  it('makes every post page again when a layout or include reads the whole site', async () => {
    const whole = [
      '{{ site.posts.size }}',
      '{% for p in site.posts %}{{ p.title }}{% endfor %}',
      '{{ site.data.x }}',
      '{% link about.md %}',
      '{{ site | jsonify | size }}',
      "{{ site['posts'] | size }}",
      '{% for t in site.tag_list %}{{ t.name }}{% endfor %}',
      // A neighbour's neighbour, content, or a neighbour held in a variable.
      '{{ page.next.next.title }}',
      '{{ page.previous.content }}',
      '{% assign n = page.next %}{{ n.previous.title }}',
    ];
    for (const reads of whole) {
      const { kept } = await rebuildsMatchCleanBuilds(
        { '_layouts/post.html': `{% include side.html %}{{ content }}`, '_includes/side.html': reads, 'about.md': '---\n---\nAbout.\n', '_data/x.yml': 'a: 1\n' },
        [['_posts/2024-01-02-b.md', '---\ntitle: Bee\nlayout: post\n---\nPost b.\n\nMore.\n']],
      );
      expect(kept[0].filter((file) => file.startsWith('2024/')), reads).toEqual([]);
    }
  });
});

describe('posts in folders, under exclude: and include:', () => {
  // What Jekyll 4.3.1 built from this tree (jekyll build, 2026-11-27): `exclude: [news]` skips
  // every folder whose path starts with "news", posts and pages alike; `include:` brings a `_`
  // folder back, its `_posts/` too.
  const tree = (jekyll: boolean) => ({
    '_config.yml': 'timezone: UTC\nexclude: [news]\ninclude: [_private]\n',
    ...(jekyll ? { '_layouts/default.html': LAYOUT } : {}),
    ...Object.fromEntries(
      ['newsletter', 'newsroom', 'other', '_private'].flatMap((folder) => [
        [`${folder}/_posts/2024-01-01-${folder}.md`, `---\ntitle: ${folder}\n---\nHi.\n`],
        [`${folder}/page.md`, '---\n---\nPage.\n'],
      ]),
    ),
  });
  const JEKYLL_POSTS = ['_private/2024/01/01/_private.html', 'other/2024/01/01/other.html'];

  it('a Jekyll site reads the posts of the folders Jekyll walks into, as its pages', async () => {
    const result = await buildInMemory(loadConfig(writeSite(tree(true))), { now: FIXED_NOW });
    const written = [...outputsOf(result).keys()].filter((file) => /^(newsletter|newsroom|other|_private)\//.test(file)).sort();
    expect(written).toEqual([...JEKYLL_POSTS, '_private/page.html', 'other/page.html'].sort());
  });

  it('a Quire site publishes the same posts at the same URLs', async () => {
    const result = await buildInMemory(loadConfig(writeSite(tree(false))), { now: FIXED_NOW });
    const posts = result.site.posts.map((post) => post.outputPath).sort();
    expect(posts).toEqual(JEKYLL_POSTS);
  });
});

describe('quire build and quire serve on a Jekyll site', () => {
  const running: Preview[] = [];
  afterEach(async () => {
    for (const preview of running.splice(0)) await preview.close();
  });

  it('quire build --source writes the site and warns about plugins Quire does not cover', async () => {
    assertCompiled();
    const root = writeSite({
      '_config.yml': 'title: CLI\ntimezone: UTC\nplugins: [jekyll-feed, jekyll-foo]\n',
      '_layouts/default.html': LAYOUT,
      'index.md': '---\nlayout: default\n---\nHello {{ site.title }}.\n',
      '_posts/2024-01-01-a.md': '---\ntitle: A\nlayout: default\n---\nA.\n',
    });
    const destination = path.join(tempDir(), 'out');
    const run = await quire(['build', '--source', root, '--destination', destination]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('jekyll-foo');
    expect(run.stderr).not.toMatch(/jekyll-feed is/);
    expect(readFileSync(path.join(destination, 'index.html'), 'utf8')).toBe('<html><body><p>Hello CLI.</p>\n</body></html>');
    expect(readFileSync(path.join(destination, '2024/01/01/a.html'), 'utf8')).toBe('<html><body><p>A.</p>\n</body></html>');
    expect(existsSync(path.join(destination, 'feed.xml'))).toBe(true);
  });

  it('quire build --source builds test/fixtures/jekyll-theme as the builder does', async () => {
    assertCompiled();
    // A copy: the build keeps its state in the source folder (.quire-cache/).
    const fixture = path.join(tempDir(), 'site');
    cpSync(path.join(import.meta.dirname, '..', 'fixtures', 'jekyll-theme'), fixture, { recursive: true });
    const destination = path.join(tempDir(), 'out');
    const run = await quire(['build', '--source', fixture, '--destination', destination]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const inMemory = await buildInMemory(loadConfig(fixture, { destination }));
    for (const output of inMemory.outputs) {
      if (typeof output.contents !== 'string' || output.path === 'feed.xml' || output.path === 'sitemap.xml' || output.path.endsWith('.xml')) continue;
      expect(readFileSync(path.join(destination, output.path), 'utf8'), output.path).toBe(output.contents);
    }
  });

  it('quire serve rebuilds when an include, a data file or a page changes', async () => {
    const root = writeSite({
      '_config.yml': 'timezone: UTC\n',
      '_layouts/default.html': '{% include foot.html %}{{ content }}',
      '_includes/foot.html': 'foot-1 ',
      '_data/d.yml': 'word: alpha\n',
      'index.md': '---\nlayout: default\n---\n{{ site.data.d.word }}\n',
    });
    const preview = await startPreview({ source: root, overrides: { destination: path.join(tempDir(), 'out') }, host: '127.0.0.1', port: 0, tryNextPorts: false, log: () => undefined, logProblems: () => undefined });
    running.push(preview);
    const page = async () => (await fetch(preview.url)).text();
    expect(await page()).toContain('foot-1 <p>alpha</p>\n');
    const rebuilt = (change: () => void) =>
      new Promise<void>((resolve) => {
        preview.onRebuild(() => resolve());
        change();
      });
    await rebuilt(() => writeFileSync(path.join(root, '_includes/foot.html'), 'foot-2 '));
    await preview.idle();
    expect(await page()).toContain('foot-2 ');
    await rebuilt(() => writeFileSync(path.join(root, '_data/d.yml'), 'word: beta\n'));
    await preview.idle();
    expect(await page()).toContain('<p>beta</p>');
    await rebuilt(() => writeFileSync(path.join(root, 'index.md'), '---\nlayout: default\n---\ngamma\n'));
    await preview.idle();
    expect(await page()).toContain('<p>gamma</p>');
  });
});

/** An undated draft is dated by its file's time; a build on the fixed clock would see a file written now as a future draft, and hold it back as Jekyll does. */
function beforeTheClock(file: string): void {
  const earlier = new Date(FIXED_NOW.epochMs - 86_400_000);
  utimesSync(file, earlier, earlier);
}
