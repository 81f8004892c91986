#!/usr/bin/env node
// Re-records what real Jekyll 4.3 does with Jekyll sites, for test/jekyll-site/*.test.ts:
//
//   news        jekyll-news.expected.json: the Jekyll project's own 102 news posts (the jekyll-news
//               corpus) built with the config and stubs below: every post's URL, date and
//               categories, and the links `{% link %}` / `{% post_url %}` made.
//   file-rules  file-rules.expected.json: which files of a tree (FILE_RULES_TREE below) Jekyll
//               renders as pages, at which URL, and which it copies or skips, under each
//               permalink style.
//   data        data.expected.json: `site.data` from `_data/` files of every kind (DATA_TREE below).
//   defaults    defaults.expected.json: front matter defaults on pages and posts (DEFAULTS_TREE).
//   theme       jekyll-theme.expected.json: every output of test/fixtures/jekyll-theme (a small
//               site with a minima-shaped theme, includes, data files and pages).
//   seo         jekyll-seo.expected.json: what jekyll-seo-tag's {% seo %} wrote on each page of
//               test/fixtures/jekyll-seo (every setting it reads) and jekyll-seo-untitled.
//
// Usage: node test/jekyll-site/record.mjs [news|file-rules|data|defaults|theme|seo ...]   (no argument: all)
//   The news corpus is read from $QUIRE_JEKYLL_NEWS or /work/shared/corpora/jekyll-news. Needs
//   `jekyll` on PATH (Debian: apt-get install jekyll, which brings jekyll-feed and jekyll-seo-tag).
//   Every site is built in a temporary directory; nothing is written into the corpus or fixtures.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(process.env.QUIRE_JEKYLL_NEWS ?? '/work/shared/corpora/jekyll-news');
const FIXTURES = path.join(HERE, '..', 'fixtures');

// The smallest config under which Jekyll builds the posts as the real jekyllrb.com does: its zone,
// its news permalink, `repository` (33 posts print {{ site.repository }}), and the `docs`
// collection that `{% link _docs/history.md %}` needs (Jekyll fails the build when a link target
// does not exist).
const CONFIG = `timezone: America/Los_Angeles
permalink: /news/:year/:month/:day/:title/
repository: https://github.com/jekyll/jekyll
collections:
  docs:
    output: true
    permalink: /:collection/:path/
`;

// Files added to the corpus for the build, and why.
const STUBS = {
  // Target of `{% link _docs/history.md %}` in three posts.
  '_docs/history.md': '---\ntitle: History\n---\nStub for `{% link _docs/history.md %}`.\n',
  // Not part of the site: prints what is recorded about every post.
  'posts.json': `---
layout: null
---
[{% for p in site.posts %}
{"source": {{ p.path | jsonify }}, "url": {{ p.url | jsonify }}, "id": {{ p.id | jsonify }}, "date": {{ p.date | date_to_xmlschema | jsonify }}, "categories": {{ p.categories | jsonify }}, "tags": {{ p.tags | jsonify }}, "title": {{ p.title | jsonify }}, "layout": {{ p.layout | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}
]
`,
};

/** Liquid tags that make links, outside `{% raw %}`: posts using them get their links recorded. */
const LINK_TAG = /{%-?\s*(link|post_url)\s/;

const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function listFiles(root, rel = '') {
  const out = [];
  for (const ent of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listFiles(root, p));
    else out.push(p);
  }
  return out;
}

function withoutRaw(text) {
  return text.replace(/{%-?\s*raw\s*-?%}[\s\S]*?{%-?\s*endraw\s*-?%}/g, '');
}

const ENV = { TZ: 'UTC', JEKYLL_ENV: 'development', JEKYLL_NO_BUNDLER_REQUIRE: 'true' };

function jekyllVersion() {
  const version = /^jekyll (\S+)$/.exec(execFileSync('jekyll', ['-v'], { encoding: 'utf8' }).trim())?.[1];
  if (!version?.startsWith('4.3.')) console.warn(`warning: recording with Jekyll ${version}, the expected data targets 4.3.x`);
  return version;
}

/** Writes `tree` (path -> text) under a new temporary folder's `src/`. */
function writeTree(tree) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-jekyll-site-'));
  const src = path.join(tmp, 'src');
  for (const [file, text] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    fs.writeFileSync(path.join(src, file), text);
  }
  return { tmp, src, dest: path.join(tmp, 'dest') };
}

/** Runs `jekyll build` in `src`; returns Jekyll's warnings (paths made relative). */
function jekyllBuild(src, dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  const res = spawnSync('jekyll', ['build', '-s', '.', '-d', dest, '--trace'], { cwd: src, env: { ...process.env, ...ENV }, encoding: 'utf8' });
  const log = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.status !== 0) {
    process.stderr.write(log);
    throw new Error(`jekyll build failed in ${src}`);
  }
  return log
    .split('\n')
    .map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trim())
    .filter((line) => /warn|error|deprecat/i.test(line))
    .map((line) => line.replaceAll(src + '/', ''));
}

function recordNews(version) {
  if (!fs.existsSync(path.join(CORPUS, '_posts'))) throw new Error(`no _posts/ in ${CORPUS} (set QUIRE_JEKYLL_NEWS)`);
  const { tmp, src, dest } = writeTree({ '_config.yml': CONFIG, ...STUBS });
  fs.cpSync(path.join(CORPUS, '_posts'), path.join(src, '_posts'), { recursive: true });
  const warnings = jekyllBuild(src, dest);
  const files = listFiles(dest).sort(byCodeUnit);
  const posts = JSON.parse(fs.readFileSync(path.join(dest, 'posts.json'), 'utf8')).sort((a, b) => byCodeUnit(a.source, b.source));
  const links = {};
  for (const post of posts) {
    const text = withoutRaw(fs.readFileSync(path.join(src, post.source), 'utf8'));
    if (!LINK_TAG.test(text)) continue;
    const outputPath = post.url.endsWith('/') ? `${post.url.slice(1)}index.html` : post.url.slice(1);
    const html = fs.readFileSync(path.join(dest, decodeURI(outputPath)), 'utf8');
    links[post.source] = [...html.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]);
  }
  const record = {
    corpus: 'jekyll-news: docs/_posts of github.com/jekyll/jekyll at 202df571314ba1d18e9fccd81d12aaad4a703c38',
    jekyll: version,
    build: { command: 'jekyll build -s SITE -d DEST', cwd: 'SITE', env: ENV },
    config: CONFIG,
    stubs: STUBS,
    warnings,
    files,
    posts,
    links,
  };
  fs.rmSync(tmp, { recursive: true, force: true });
  write('jekyll-news.expected.json', record, `${posts.length} posts, ${files.length} files`);
}

function write(name, record, summary) {
  const out = path.join(HERE, name);
  fs.writeFileSync(out, format(record));
  console.log(`recorded ${path.relative(process.cwd(), out)} (${summary})`);
}

/** Pretty JSON with one line per post and per file, so the file stays short and diffs stay readable. */
function format(record) {
  const lines = ['{'];
  const entries = Object.entries(record);
  entries.forEach(([key, value], index) => {
    const comma = index < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      lines.push(`  ${JSON.stringify(key)}: [`);
      value.forEach((item, i) => lines.push(`    ${JSON.stringify(item)}${i < value.length - 1 ? ',' : ''}`));
      lines.push(`  ]${comma}`);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      lines.push(`  ${JSON.stringify(key)}: {`);
      const inner = Object.entries(value);
      inner.forEach(([k, v], i) => lines.push(`    ${JSON.stringify(k)}: ${JSON.stringify(v)}${i < inner.length - 1 ? ',' : ''}`));
      lines.push(`  }${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

// A tree exercising Jekyll's reading rules: underscore, dot, `#` and `~` names, default and
// custom `exclude:` (globs, plain prefixes), `include:` (names at any depth), front matter
// detection, index pages, permalinks with and without placeholders, non-HTML pages.
const FILE_RULES_CONFIG = {
  title: 'File rules',
  timezone: 'UTC',
  exclude: ['README', '*.txt', 'docs/secret.md'],
  include: ['.well-known', '_private', '.htaccess'],
};
const FM = '---\ntitle: T\n---\nx\n';
const FILE_RULES_TREE = {
  'about.md': '---\ntitle: About\n---\n# About\n',
  'index.html': '---\n---\nindex\n',
  'blog/index.html': '---\n---\nblog index\n',
  'blog/about.md': FM,
  'contact.html': '---\npermalink: /contact-us/\n---\ncontact\n',
  'plain.md': '---\npermalink: /plain\n---\nplain\n',
  'sub/placeholder.md': '---\npermalink: /:path/:basename-x:output_ext\n---\nph\n',
  'sub/unknown.md': '---\npermalink: /:title/:year\n---\nunknown placeholders\n',
  'api/feed.md': '---\npermalink: /api/feed.json\n---\n{}\n',
  'feed.xml': '---\n---\n<feed/>\n',
  'robots.txt': '---\n---\nrobots\n',
  'sub/deeper/page.markdown': FM,
  'sub/index.md': FM,
  'sub/spaced.html': '--- \nx: 1\n---\nx\n',
  'sub/static.html': 'no front matter\n',
  'empty-fm.md': '---\n---\n',
  'upper.HTML': FM,
  'page with space.md': FM,
  'café/menu.md': FM,
  'css/style.css': 'body{}',
  'css/main.css': '---\n---\nbody{}',
  'images/photo.JPG': 'jpg',
  'node_modules/pkg/index.js': 'x',
  'vendor/bundle/x.rb': 'x',
  'vendor/other/x.js': 'x',
  '_private/secret.html': 'x',
  '_private/page.md': FM,
  '.well-known/security.txt': 'x',
  '.well-known/assetlinks.json': '[]',
  '.htaccess': 'x',
  'sub/.htaccess': 'x',
  '.hidden': 'x',
  'Gemfile': '# gemfile\n',
  'Gemfile.lock': '# lock\n',
  'Gemfile-extra': 'x',
  'README.md': 'x',
  'README-dir/file.md': 'x',
  'notes.txt': 'x',
  'docs/secret.md': 'x',
  'docs/secret.md.bak': 'x',
  'docs/public.md': 'x',
  'backup.md~': 'x',
  '#autosave#': 'x',
  'docs/_build/out.html': 'x',
  '~tilde.md': 'x',
  '_drafts/draft.md': FM,
  '_posts/2024-01-01-post.md': FM,
  'blog/_posts/2024-01-02-nested.md': FM,
  '_layouts/default.html': '{{ content }}',
  '_includes/x.html': 'x',
  '_data/d.yml': 'a: 1\n',
  'urls.json': '---\n---\n{"pages": {{ site.pages | map: "path" | jsonify }}, "urls": {{ site.pages | map: "url" | jsonify }}, "static": {{ site.static_files | map: "path" | jsonify }}}\n',
};
const PERMALINK_STYLES = ['date', 'pretty', 'none', 'ordinal', 'weekdate', '/:year/:title/', '/:categories/:title:output_ext', '/:year/:title'];

function recordFileRules(version) {
  const { tmp, src, dest } = writeTree(FILE_RULES_TREE);
  const styles = {};
  let staticFiles;
  for (const style of PERMALINK_STYLES) {
    fs.writeFileSync(path.join(src, '_config.yml'), JSON.stringify({ ...FILE_RULES_CONFIG, permalink: style }));
    jekyllBuild(src, dest);
    const listed = JSON.parse(fs.readFileSync(path.join(dest, 'urls.json'), 'utf8'));
    const pages = Object.fromEntries(listed.pages.map((page, i) => [page, listed.urls[i]]).sort(([a], [b]) => byCodeUnit(a, b)));
    staticFiles = listed.static.map((file) => file.replace(/^\//, '')).sort(byCodeUnit);
    styles[style] = { pages, files: listFiles(dest).sort(byCodeUnit) };
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  write('file-rules.expected.json', { jekyll: version, config: FILE_RULES_CONFIG, tree: FILE_RULES_TREE, static: staticFiles, styles }, `${PERMALINK_STYLES.length} permalink styles`);
}

// `_data/` files of every kind Jekyll reads, names it sanitizes, and keys two files (or a file and
// a folder) share.
const DATA_TREE = {
  '_config.yml': 'title: Data\ntimezone: UTC\n',
  '_data/authors/jane.yml': 'name: Jane Doe\ntwitter: jane\nbooks: [1, 2]\n',
  '_data/authors/john-smith.json': '{"name": "John Smith", "active": true, "score": 1.5}',
  '_data/nav.yaml': '- title: Home\n  url: /\n- title: About\n  url: /about/\n',
  '_data/people.csv': 'name,role,email\r\n"Doe, Jane",editor,jane@example.com\r\n"He said ""hi""",,\r\nSolo\r\n',
  '_data/table.tsv': 'a\tb\n1\t"x\ty"\n\n3\t4\n',
  '_data/quirks.csv': 'x,x,,y\n1,2,3,4,5\n" multi\nline ",\n',
  '_data/empty.csv': '',
  '_data/jane.doe.yml': 'v: dotted\n',
  '_data/my file.yml': 'v: spaced\n',
  '_data/café.yml': 'v: accent\n',
  '_data/same.yaml': 'from: yaml\n',
  '_data/same.yml': 'from: yml\n',
  '_data/same.json': '{"from": "json"}',
  '_data/both.yml': 'from: file\n',
  '_data/both/inner.yml': 'from: folder\n',
  '_data/.hidden.yml': 'v: hidden\n',
  '_data/notes.txt': 'not data\n',
  '_data/upper.YML': 'v: upper\n',
  '_data/nested/deeper/list.yml': '- 1\n- two\n- 3.5\n- null\n- true\n',
  '_data/dates.yml': 'day: 2024-03-01\nwhen: 2024-03-01 10:00:00\nquoted: "2024-03-01"\n',
  '_data/nulls.yml': '',
  'data.json': '---\n---\n{{ site.data | jsonify }}\n',
};

function recordData(version) {
  const { tmp, src, dest } = writeTree(DATA_TREE);
  const warnings = jekyllBuild(src, dest);
  const data = JSON.parse(fs.readFileSync(path.join(dest, 'data.json'), 'utf8'));
  fs.rmSync(tmp, { recursive: true, force: true });
  write('data.expected.json', { jekyll: version, tree: DATA_TREE, warnings, data }, `${Object.keys(data).length} top-level keys`);
}

// Front matter defaults: scopes by folder, file prefix, glob and type (old singular names too),
// more specific sets winning, front matter winning over defaults (deep for posts, per key for
// pages).
const DEFAULTS_CONFIG = `title: Defaults
timezone: UTC
defaults:
  - scope: { path: "" }
    values: { layout: default, author: Site Author, sidebar: { show: false, side: left } }
  - scope: { path: "", type: posts }
    values: { layout: post, comments: true }
  - scope: { path: projects }
    values: { layout: project, sidebar: { show: true } }
  - scope: { path: projects/secret, type: pages }
    values: { sidebar: { side: right }, hidden: true }
  - scope: { path: _posts/2024 }
    values: { era: "2024" }
  - scope: { path: "notes/*/draft.md" }
    values: { draft_note: true }
  - scope: { type: post }
    values: { singular: true }
  - scope: { path: nowhere }
`;
const KEYS = ['layout', 'author', 'sidebar', 'comments', 'era', 'hidden', 'draft_note', 'singular'];
const DEFAULTS_TREE = {
  '_config.yml': DEFAULTS_CONFIG,
  '_layouts/default.html': '{{ content }}',
  '_layouts/post.html': '{{ content }}',
  '_layouts/project.html': '{{ content }}',
  'about.md': '---\nauthor: Page Author\n---\nabout\n',
  'projects/index.md': '---\ntitle: Projects\n---\nprojects\n',
  'projects/secret/plan.md': '---\nsidebar: { show: false }\n---\nplan\n',
  'notes/a/draft.md': '---\n---\ndraft\n',
  'notes/a/other.md': '---\n---\nother\n',
  '_posts/2024-01-01-new.md': '---\ncomments: false\nsidebar: { side: top }\n---\nnew\n',
  '_posts/2023-05-05-old.md': '---\n---\nold\n',
  'dump.json': `---\nlayout: null\n---\n[{% for p in site.pages %}{% if p.path != "dump.json" %}{"path": {{ p.path | jsonify }}${KEYS.map((key) => `, "${key}": {{ p.${key} | jsonify }}`).join('')}},{% endif %}{% endfor %}{% for p in site.posts %}{"path": {{ p.path | jsonify }}${KEYS.map((key) => `, "${key}": {{ p.${key} | jsonify }}`).join('')}}{% unless forloop.last %},{% endunless %}{% endfor %}]\n`,
};

function recordDefaults(version) {
  const { tmp, src, dest } = writeTree(DEFAULTS_TREE);
  const warnings = jekyllBuild(src, dest);
  const files = JSON.parse(fs.readFileSync(path.join(dest, 'dump.json'), 'utf8')).sort((a, b) => byCodeUnit(a.path, b.path));
  fs.rmSync(tmp, { recursive: true, force: true });
  write('defaults.expected.json', { jekyll: version, config: DEFAULTS_CONFIG, tree: DEFAULTS_TREE, warnings, files }, `${files.length} files`);
}

/** Builds test/fixtures/jekyll-theme and keeps every output file's text. */
function recordTheme(version) {
  const fixture = path.join(FIXTURES, 'jekyll-theme');
  const tree = Object.fromEntries(listFiles(fixture).map((file) => [file, fs.readFileSync(path.join(fixture, file), 'utf8')]));
  const { tmp, src, dest } = writeTree(tree);
  const warnings = jekyllBuild(src, dest);
  const files = listFiles(dest).sort(byCodeUnit);
  // jekyll-feed's feed.xml holds the build time; Quire writes its own feed, so only its name is kept.
  const outputs = Object.fromEntries(files.map((file) => [file, file === 'feed.xml' ? null : fs.readFileSync(path.join(dest, file), 'utf8')]));
  fs.rmSync(tmp, { recursive: true, force: true });
  write('jekyll-theme.expected.json', { jekyll: version, fixture: 'test/fixtures/jekyll-theme', build: { command: 'jekyll build -s SITE -d DEST', cwd: 'SITE', env: ENV }, warnings, outputs }, `${files.length} files`);
}

/**
 * Builds test/fixtures/jekyll-seo and jekyll-seo-untitled, keeping what `{% seo %}` wrote on each
 * page (the layout marks it with <!--seo--> ... <!--/seo-->).
 */
function recordSeo(version) {
  const sites = {};
  for (const name of ['jekyll-seo', 'jekyll-seo-untitled']) {
    const fixture = path.join(FIXTURES, name);
    const tree = Object.fromEntries(listFiles(fixture).map((file) => [file, fs.readFileSync(path.join(fixture, file), 'utf8')]));
    const { tmp, src, dest } = writeTree(tree);
    jekyllBuild(src, dest);
    const pages = {};
    for (const file of listFiles(dest).sort(byCodeUnit)) {
      const match = /<!--seo-->([\s\S]*?)<!--\/seo-->/.exec(fs.readFileSync(path.join(dest, file), 'utf8'));
      if (match) pages[file] = match[1];
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    sites[name] = pages;
  }
  write('jekyll-seo.expected.json', { jekyll: version, 'jekyll-seo-tag': '2.8.0', fixtures: ['test/fixtures/jekyll-seo', 'test/fixtures/jekyll-seo-untitled'], build: { command: 'jekyll build -s SITE -d DEST', cwd: 'SITE', env: ENV }, sites }, `${Object.values(sites).reduce((n, pages) => n + Object.keys(pages).length, 0)} pages`);
}

const RECORDERS = { news: recordNews, 'file-rules': recordFileRules, data: recordData, defaults: recordDefaults, theme: recordTheme, seo: recordSeo };

function main() {
  const wanted = process.argv.slice(2);
  for (const name of wanted) if (!(name in RECORDERS)) throw new Error(`unknown case ${name}; use ${Object.keys(RECORDERS).join(', ')}`);
  const version = jekyllVersion();
  for (const [name, record] of Object.entries(RECORDERS)) if (wanted.length === 0 || wanted.includes(name)) record(version);
}

main();
