/**
 * The Atom feeds (/feed.xml and /feed/<category-slug>.xml) of real built sites, read with an XML
 * parser and checked against what RFC 4287 requires and what feed readers rely on.
 */
import { describe, expect, it } from 'vitest';
import { buildSite, children, outputPathOf, parseXml, postFile, RFC3339, textOf, xmlProblems, type BuiltSite, type XmlNode } from './support.js';

const ATOM = 'http://www.w3.org/2005/Atom';
const SITE = { title: 'Feed Test', url: 'https://example.com', author: 'Ann Author', description: 'Notes & feeds' };
const ARRAYS = ['entry', 'id', 'title', 'updated', 'published', 'link', 'content', 'summary', 'category', 'author'];

/** The feed's root element, after checking the document is well-formed Atom. */
function atom(xml: string): XmlNode {
  expect(xmlProblems(xml)).toEqual([]);
  const doc = parseXml(xml, ARRAYS);
  expect(Object.keys(doc)).toEqual(['feed']);
  const feed = doc.feed!;
  expect(feed['@xmlns']).toBe(ATOM);
  return feed;
}

function one(node: XmlNode, name: string): XmlNode {
  const found = children(node, name);
  expect(found, `exactly one <${name}>`).toHaveLength(1);
  return found[0]!;
}

function links(node: XmlNode, rel: string): XmlNode[] {
  return children(node, 'link').filter((link) => (link['@rel'] ?? 'alternate') === rel);
}

function entryUrl(entry: XmlNode): string {
  const alternate = links(entry, 'alternate');
  expect(alternate).toHaveLength(1);
  return alternate[0]!['@href'] as string;
}

/** Twelve posts on 12 days, written in scrambled order, three categories taking turns. */
function twelvePosts(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const n of [7, 2, 12, 1, 9, 4, 11, 3, 10, 5, 8, 6]) {
    const day = String(n).padStart(2, '0');
    files[`posts/2024-03-${day}-post-${n}.md`] = postFile(
      { title: `Post ${n}`, categories: [['Alpha', 'Beta', 'Gamma'][n % 3]], tags: [`t${n}`] },
      `Intro of post ${n} & friends.\n\nMore of *post ${n}*.\n`,
    );
  }
  return files;
}

describe('/feed.xml', () => {
  let site: BuiltSite;
  const built = async () => (site ??= await buildSite(twelvePosts(), SITE));

  it('is one Atom feed with one id, title and updated, and links to itself and the site', async () => {
    const { text, posts } = await built();
    const feed = atom(text('feed.xml'));
    expect(textOf(one(feed, 'id'))).toBe('https://example.com/feed.xml');
    expect(textOf(one(feed, 'title'))).toBe('Feed Test');
    const updated = textOf(one(feed, 'updated'))!;
    expect(updated).toMatch(RFC3339);
    expect(updated).toBe('2024-03-12T00:00:00+00:00'); // the newest post
    expect(links(feed, 'self').map((link) => [link['@href'], link['@type']])).toEqual([['https://example.com/feed.xml', 'application/atom+xml']]);
    expect(links(feed, 'alternate').map((link) => link['@href'])).toEqual(['https://example.com/']);
    expect(textOf(one(feed, 'author').name as XmlNode)).toBe('Ann Author');
    expect(posts).toHaveLength(12);
  });

  it('lists the 10 newest posts (the default limit), newest first', async () => {
    const { text } = await built();
    const entries = children(atom(text('feed.xml')), 'entry');
    expect(entries.map((entry) => textOf(one(entry, 'title')))).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((n) => `Post ${n}`));
    const published = entries.map((entry) => Date.parse(textOf(one(entry, 'published'))!));
    expect(published).toEqual([...published].sort((a, b) => b - a));
  });

  it('gives every entry a unique absolute id, title, updated, published, an alternate link, categories and a summary', async () => {
    const { text, posts } = await built();
    const entries = children(atom(text('feed.xml')), 'entry');
    const ids = entries.map((entry) => textOf(one(entry, 'id'))!);
    expect(new Set(ids).size).toBe(entries.length);
    for (const [i, entry] of entries.entries()) {
      const post = posts[i]!;
      expect(new URL(ids[i]!).href, 'an absolute IRI').toBe(ids[i]);
      expect(ids[i]).toBe(`https://example.com${post.id}`);
      expect(entryUrl(entry)).toBe(`https://example.com${post.url}`);
      expect(textOf(one(entry, 'title'))).toBe(post.title);
      for (const name of ['updated', 'published']) expect(textOf(one(entry, name))).toMatch(RFC3339);
      expect(textOf(one(entry, 'published'))).toBe(`2024-03-${String(12 - i).padStart(2, '0')}T00:00:00+00:00`);
      expect(children(entry, 'category').map((category) => category['@term'])).toEqual([...post.categories, ...post.tags]);
      const summary = one(entry, 'summary');
      expect(summary['@type']).toBe('html');
      expect(textOf(summary)).toBe(`Intro of post ${12 - i} &amp; friends.`); // the excerpt's HTML, tags stripped
    }
  });

  it('carries each post\'s rendered HTML as html content, exactly', async () => {
    const { text, posts } = await built();
    const entries = children(atom(text('feed.xml')), 'entry');
    for (const entry of entries) {
      const post = posts.find((candidate) => `https://example.com${candidate.url}` === entryUrl(entry))!;
      const content = one(entry, 'content');
      expect(content['@type']).toBe('html');
      expect(textOf(content)).toBe(post.html);
      expect(post.html).toContain('<em>post');
    }
  });

  it('honours feed: { limit: N }', async () => {
    const { text } = await buildSite(twelvePosts(), { ...SITE, feed: { limit: 3 } });
    expect(children(atom(text('feed.xml')), 'entry').map((entry) => textOf(one(entry, 'title')))).toEqual(['Post 12', 'Post 11', 'Post 10']);
    // Category feeds take the same limit: Alpha has posts 3, 6, 9 and 12.
    expect(children(atom(text('feed/alpha.xml')), 'entry')).toHaveLength(3);
  });

  it('honours jekyll-feed\'s feed: { posts_limit: N }, over Quire\'s older `limit`', async () => {
    const { text } = await buildSite(twelvePosts(), { ...SITE, feed: { posts_limit: 2, limit: 5 } });
    expect(children(atom(text('feed.xml')), 'entry').map((entry) => textOf(one(entry, 'title')))).toEqual(['Post 12', 'Post 11']);
    expect(children(atom(text('feed/alpha.xml')), 'entry')).toHaveLength(2);
  });

  it('leaves the content out with jekyll-feed\'s excerpt_only, for the site or for one post', async () => {
    const files = {
      'posts/2024-03-01-whole.md': postFile({ title: 'Whole' }, 'First paragraph.\n\nSecond paragraph.\n'),
      'posts/2024-03-02-short.md': postFile({ title: 'Short', feed: { excerpt_only: true } }, 'Only the summary.\n\nNot in the feed.\n'),
    };
    const contentOf = (xml: string) => Object.fromEntries(children(atom(xml), 'entry').map((entry) => [textOf(one(entry, 'title')), children(entry, 'content').length]));
    const summaryOf = (xml: string) => children(atom(xml), 'entry').map((entry) => textOf(one(entry, 'summary')));
    const perPost = await buildSite(files, SITE);
    expect(contentOf(perPost.text('feed.xml'))).toEqual({ Short: 0, Whole: 1 });
    expect(summaryOf(perPost.text('feed.xml'))).toEqual(['Only the summary.', 'First paragraph.']);
    const sitewide = await buildSite(files, { ...SITE, feed: { excerpt_only: true } });
    expect(contentOf(sitewide.text('feed.xml'))).toEqual({ Short: 0, Whole: 0 });
  });

  it('writes jekyll-feed\'s category feeds where it does, for the names feed.categories lists', async () => {
    // What Jekyll 4.3 with jekyll-feed 0.17 wrote for this site: feed/News.xml with A only (the
    // name as written, matched exactly), "feed/Machine Learning.xml" with B, and an empty
    // feed/empty.xml; its self link encodes the space.
    const files = {
      'posts/2024-01-01-a.md': postFile({ title: 'A', categories: ['News'] }, 'A.\n'),
      'posts/2024-01-02-b.md': postFile({ title: 'B', categories: ['news', 'Machine Learning'] }, 'B.\n'),
    };
    const site = await buildSite(files, { ...SITE, feed: { categories: ['News', 'Machine Learning', 'empty'] } });
    const titles = (file: string) => children(atom(site.text(file)), 'entry').map((entry) => textOf(one(entry, 'title')));
    expect(titles('feed/News.xml')).toEqual(['A']);
    expect(titles('feed/Machine Learning.xml')).toEqual(['B']);
    expect(titles('feed/empty.xml')).toEqual([]);
    expect(links(atom(site.text('feed/Machine Learning.xml')), 'self')[0]!['@href']).toBe('https://example.com/feed/Machine%20Learning.xml');
    // Quire's own feed per category stays, by slug, with every spelling of the name.
    expect(titles('feed/news.xml')).toEqual(['B', 'A']);
    expect(titles('feed/machine-learning.xml')).toEqual(['B']);
  });

  it('uses last_modified_at for an entry\'s updated and keeps published at the post date', async () => {
    const { text } = await buildSite({ 'posts/2024-03-01-edited.md': postFile({ title: 'Edited', last_modified_at: '2024-05-02 10:00:00 +0000' }, 'Body\n') }, SITE);
    const entry = one(atom(text('feed.xml')), 'entry');
    expect([textOf(one(entry, 'published')), textOf(one(entry, 'updated'))]).toEqual(['2024-03-01T00:00:00+00:00', '2024-05-02T10:00:00+00:00']);
  });

  it('names an entry\'s author as jekyll-feed does: its author (a name or a map), else the first of its authors, else the site\'s', async () => {
    const { text } = await buildSite(
      {
        'posts/2024-03-01-own.md': postFile({ title: 'Own', author: 'Bo' }, 'Body\n'),
        'posts/2024-03-02-map.md': postFile({ title: 'Map', author: { name: 'Cy' } }, 'Body\n'),
        'posts/2024-03-03-list.md': postFile({ title: 'List', authors: ['Zed', 'Yan'] }, 'Body\n'),
        'posts/2024-03-04-none.md': postFile({ title: 'None' }, 'Body\n'),
      },
      SITE,
    );
    const entries = children(atom(text('feed.xml')), 'entry');
    expect(entries.map((entry) => [textOf(one(entry, 'title')), textOf(one(entry, 'author').name as XmlNode)])).toEqual([
      ['None', 'Ann Author'],
      ['List', 'Zed'],
      ['Map', 'Cy'],
      ['Own', 'Bo'],
    ]);
  });

  it('is updated when its latest entry was, never before an entry in it (RFC 4287)', async () => {
    const { text } = await buildSite(
      {
        'posts/2024-03-01-edited.md': postFile({ title: 'Edited', last_modified_at: '2024-05-02 10:00:00 +0000' }, 'Body\n'),
        'posts/2024-04-01-newer.md': postFile({ title: 'Newer' }, 'Body\n'),
      },
      SITE,
    );
    expect(textOf(one(atom(text('feed.xml')), 'updated'))).toBe('2024-05-02T10:00:00+00:00');
  });

  it('is a valid feed with an updated time even without posts', async () => {
    const { text } = await buildSite({}, SITE);
    const feed = atom(text('feed.xml'));
    expect(textOf(one(feed, 'updated'))).toMatch(RFC3339);
    expect(children(feed, 'entry')).toEqual([]);
  });
});

describe('escaping in the feed', () => {
  const TRICKY = 'Tom & Jerry <3 "quotes" \'apostrophes\'';
  const HOSTILE = '"><script>alert(1)</script>';
  const body = [
    'Fish & chips, <b>bold</b> and 5 < 6.',
    '',
    '```html',
    '<script>alert("x") && done()</script>',
    '```',
    '',
    'A CDATA end ]]> and an entity &amp; and &copy;.',
    '',
  ].join('\n');

  it('stays well-formed and gives back the exact title, categories and content', async () => {
    const { text, posts } = await buildSite(
      {
        'posts/2024-01-01-tricky.md': postFile({ title: TRICKY, categories: ['R&D <lab>'], tags: ['a "quoted" tag'] }, body),
        'posts/2024-01-02-hostile.md': postFile({ title: HOSTILE }, 'Hi.\n'),
      },
      SITE,
    );
    const xml = text('feed.xml');
    const entries = children(atom(xml), 'entry');
    // Titles are HTML, as jekyll-feed writes them (smartify, strip_html): a reader shows the text
    // with kramdown's quotes, and the hostile title's script is gone, content and all.
    for (const entry of entries) expect(one(entry, 'title')['@type']).toBe('html');
    expect(entries.map((entry) => decodeHtml(textOf(one(entry, 'title'))))).toEqual(['">', 'Tom & Jerry <3 “quotes” ‘apostrophes’']);
    expect(children(entries[1]!, 'category').map((category) => category['@term'])).toEqual(['R&D <lab>', 'a "quoted" tag']);
    const tricky = posts.find((post) => post.title === TRICKY)!;
    expect(textOf(one(entries[1]!, 'content'))).toBe(tricky.html);
    // The code block's <script> is escaped once in the HTML (and once more in the XML).
    expect(tricky.html).toContain('alert');
    expect(tricky.html).not.toMatch(/<script/i);
    expect(xml).not.toMatch(/<script/i);
  });

  it('drops characters XML cannot carry instead of breaking the feed', async () => {
    const { text } = await buildSite({ 'posts/2024-01-01-bell.md': postFile({ title: 'Bell\u0007 and escape\u001b' }, 'Form\u000cfeed.\n') }, SITE);
    const entry = one(atom(text('feed.xml')), 'entry');
    expect(textOf(one(entry, 'title'))).toBe('Bell and escape');
    expect(textOf(one(entry, 'content'))).toBe('<p>Formfeed.</p>\n');
  });
});

describe('baseurl in feed links', () => {
  it('puts url + baseurl in front of every link and id', async () => {
    const { text, posts } = await buildSite(twelvePosts(), { ...SITE, url: 'https://example.com/', baseurl: '/blog' });
    const feed = atom(text('feed.xml'));
    expect(links(feed, 'self')[0]!['@href']).toBe('https://example.com/blog/feed.xml');
    expect(links(feed, 'alternate')[0]!['@href']).toBe('https://example.com/blog/');
    expect(textOf(one(feed, 'id'))).toBe('https://example.com/blog/feed.xml');
    for (const [i, entry] of children(feed, 'entry').entries()) {
      expect(entryUrl(entry)).toBe(`https://example.com/blog${posts[i]!.url}`);
      expect(textOf(one(entry, 'id'))).toBe(`https://example.com/blog${posts[i]!.id}`);
      expect(one(entry, 'content')['@xml:base']).toBe(entryUrl(entry));
    }
  });
});

describe('per-category feeds', () => {
  const files = {
    'posts/2024-02-01-ml.md': postFile({ title: 'ML only', categories: ['Machine Learning'] }, 'ML.\n'),
    'posts/2024-02-02-cafe.md': postFile({ title: 'Café only', categories: ['Café'] }, 'Coffee.\n'),
    'posts/2024-02-03-both.md': postFile({ title: 'Both', categories: ['Machine Learning', 'Café'] }, 'Both.\n'),
    'posts/2024-02-04-news.md': postFile({ title: 'News', category: 'news' }, 'News.\n'),
    'posts/2024-02-05-none.md': postFile({ title: 'No category' }, 'Plain.\n'),
  };

  it.each([
    ['Machine Learning', 'feed/machine-learning.xml', 'categories/machine-learning/index.html', ['Both', 'ML only']],
    ['Café', 'feed/café.xml', 'categories/café/index.html', ['Both', 'Café only']],
    ['news', 'feed/news.xml', 'categories/news/index.html', ['News']],
  ])('%s: %s lists only its posts, and links to itself and its category page', async (name, feedPath, pagePath, titles) => {
    const site = await buildSite(files, { ...SITE, baseurl: '/blog' });
    const feed = atom(site.text(feedPath));
    expect(children(feed, 'entry').map((entry) => textOf(one(entry, 'title')))).toEqual(titles);
    // jekyll-feed's "Site | Category", the name through Ruby's capitalize.
    expect(textOf(one(feed, 'title'))).toBe(`Feed Test | ${name.charAt(0).toUpperCase()}${name.slice(1).toLowerCase()}`);
    const self = links(feed, 'self')[0]!['@href'] as string;
    expect(self).toMatch(/^https:\/\/example\.com\/blog\/feed\/[A-Za-z0-9%.-]+$/); // percent-encoded, no raw "é"
    expect(outputPathOf(self, 'https://example.com/blog/')).toBe(feedPath);
    expect(textOf(one(feed, 'id'))).toBe(self);
    const alternate = links(feed, 'alternate')[0]!['@href'] as string;
    expect(outputPathOf(alternate, 'https://example.com/blog/')).toBe(pagePath);
    // The category page links to its feed.
    expect(site.text(pagePath)).toContain(`href="${new URL(self).pathname}"`);
  });

  it('makes one feed per category and none for posts without one', async () => {
    const { paths } = await buildSite(files, SITE);
    expect(paths.filter((p) => p.startsWith('feed/')).sort()).toEqual(['feed/café.xml', 'feed/machine-learning.xml', 'feed/news.xml']);
  });

  // Categories are grouped by exact name (site.categories, as Jekyll), but pages and feeds go by
  // slug: two spellings of one category share one page and one feed.
  it('builds a site whose posts write one category in two cases', async () => {
    const { text } = await buildSite(
      {
        'posts/2024-02-01-a.md': postFile({ title: 'A', categories: ['Machine Learning'] }, 'A.\n'),
        'posts/2024-02-02-b.md': postFile({ title: 'B', categories: ['machine learning'] }, 'B.\n'),
      },
      SITE,
    );
    expect(children(atom(text('feed/machine-learning.xml')), 'entry')).toHaveLength(2);
  });
});

/** The text an HTML fragment shows (the entities a feed title holds decoded). */
function decodeHtml(html: string): string {
  return html.replace(/&(lt|gt|quot|amp|#39);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#39': "'" })[name]!);
}
