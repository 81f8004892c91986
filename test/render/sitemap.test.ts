/** /sitemap.xml and /robots.txt of real built sites (sitemaps.org protocol 0.9). */
import { describe, expect, it } from 'vitest';
import { buildSite, children, outputPathOf, parseXml, postFile, RFC3339, textOf, xmlProblems, type BuiltSite, type XmlNode } from './support.js';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const SITE = { title: 'Sitemap Test', url: 'https://example.com', baseurl: '/blog', paginate: 2 };
const BASE = 'https://example.com/blog/';

const files = {
  'posts/2024-01-01-first.md': postFile({ title: 'First', categories: ['Machine Learning'], tags: ['x'] }, 'One.\n'),
  'posts/2024-01-02-second.md': postFile({ title: 'Second', categories: ['Café'], last_modified_at: '2024-06-01 12:30:00 +0200' }, 'Two.\n'),
  'posts/2024-01-03-third.md': postFile({ title: 'Third' }, 'Three.\n'),
  'posts/2024-01-04-hidden.md': postFile({ title: 'Hidden', sitemap: false }, 'Not listed.\n'),
  'posts/2024-01-05-fifth.md': postFile({ title: 'Fifth', tags: ['y z'] }, 'Five.\n'),
};

interface Entry {
  readonly loc: string;
  readonly lastmod: string | undefined;
}

function sitemapEntries(xml: string): Entry[] {
  expect(xmlProblems(xml)).toEqual([]);
  const doc = parseXml(xml, ['url', 'loc', 'lastmod']);
  expect(Object.keys(doc)).toEqual(['urlset']);
  const urlset = doc.urlset!;
  expect(urlset['@xmlns']).toBe(SITEMAP_NS);
  return children(urlset, 'url').map((url: XmlNode) => {
    expect(children(url, 'loc')).toHaveLength(1);
    expect(children(url, 'lastmod').length).toBeLessThanOrEqual(1);
    return { loc: textOf(children(url, 'loc')[0])!, lastmod: textOf(children(url, 'lastmod')[0]) };
  });
}

describe('/sitemap.xml', () => {
  let site: BuiltSite;
  const built = async () => (site ??= await buildSite(files, SITE));

  it('lists every post by its absolute URL with baseurl, with its date or last_modified_at as lastmod', async () => {
    const { text, posts } = await built();
    const entries = sitemapEntries(text('sitemap.xml'));
    const listed = posts.filter((post) => post.title !== 'Hidden');
    for (const post of listed) {
      const entry = entries.find((candidate) => candidate.loc === `https://example.com/blog${post.url}`);
      expect(entry, post.url).toBeDefined();
      expect(entry!.lastmod).toMatch(RFC3339);
    }
    const lastmod = (title: string) => entries.find((entry) => entry.loc === `https://example.com/blog${posts.find((post) => post.title === title)!.url}`)!.lastmod;
    expect(lastmod('First')).toBe('2024-01-01T00:00:00+00:00');
    expect(lastmod('Second')).toBe('2024-06-01T10:30:00+00:00');
  });

  it('leaves out a post with sitemap: false, which is still built', async () => {
    const { text, paths } = await built();
    expect(paths).toContain('2024/01/04/hidden.html');
    expect(sitemapEntries(text('sitemap.xml')).map((entry) => entry.loc)).not.toContain(`${BASE}2024/01/04/hidden.html`);
  });

  it('lists the index pages: home and its pages, categories, tags, archive and map', async () => {
    const { text } = await built();
    const locs = sitemapEntries(text('sitemap.xml')).map((entry) => entry.loc);
    for (const page of ['', 'page2/', 'page3/', 'categories/', 'categories/machine-learning/', 'categories/caf%C3%A9/', 'tags/', 'tags/x/', 'tags/y-z/', 'archive/', 'map/']) {
      expect(locs, page).toContain(`${BASE}${page}`);
    }
  });

  it('lists no feed, 404 page, sitemap or robots.txt, and nothing twice', async () => {
    const { text } = await built();
    const locs = sitemapEntries(text('sitemap.xml')).map((entry) => entry.loc);
    expect(locs.filter((loc) => /404|\.xml$|robots\.txt$/.test(loc))).toEqual([]);
    expect(new Set(locs).size).toBe(locs.length);
  });

  it('points only at pages the build writes, and lists every HTML page but the 404 page and unlisted posts', async () => {
    const { text, paths } = await built();
    const listed = sitemapEntries(text('sitemap.xml')).map((entry) => outputPathOf(entry.loc, BASE));
    for (const file of listed) expect(paths, file).toContain(file);
    const pages = paths.filter((file) => file.endsWith('.html') && file !== '404.html' && file !== '2024/01/04/hidden.html');
    expect([...listed].sort()).toEqual([...pages].sort());
  });

  it('escapes URLs: every loc is a valid absolute URL with nothing left to percent-encode', async () => {
    const { text } = await built();
    for (const { loc } of sitemapEntries(text('sitemap.xml'))) {
      expect(new URL(loc).href).toBe(loc);
      expect(loc).toMatch(/^https:\/\/example\.com\/blog\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/);
    }
  });
});

describe('/robots.txt', () => {
  it.each([
    [{ url: 'https://example.com', baseurl: '/blog' }, 'https://example.com/blog/sitemap.xml'],
    [{ url: 'https://example.com/', baseurl: '' }, 'https://example.com/sitemap.xml'],
  ])('with %j points to %s', async (config, sitemapUrl) => {
    const { text, paths } = await buildSite(files, { title: 'T', ...config });
    expect(text('robots.txt')).toBe(`Sitemap: ${sitemapUrl}\n`);
    expect(paths).toContain(outputPathOf(sitemapUrl, `https://example.com${config.baseurl}/`));
  });
});
