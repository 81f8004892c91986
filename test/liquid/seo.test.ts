/**
 * `{% seo %}` writes what Quire's theme writes (templates/partials/head.njk, from `<title>` to the
 * JSON-LD script) for the same page, and `{% feed_meta %}` what jekyll-feed 0.17.0 writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../src/config.js';
import { jekyllFilters } from '../../src/render/filters.js';
import { TemplateDate } from '../../src/render/views.js';
import { feedMeta, seoTags } from '../../src/liquid/seo.js';

const HEAD = readFileSync(path.join(import.meta.dirname, '..', '..', 'templates', 'partials', 'head.njk'), 'utf8');

/** head.njk rendered by Nunjucks with Quire's filters, cut to the tags jekyll-seo-tag writes. */
function themeHead(config: Config, page: Record<string, unknown>, paginator: Record<string, unknown> | null = null): string {
  const env = new nunjucks.Environment(null, { autoescape: true });
  for (const [name, filter] of Object.entries(jekyllFilters(config))) env.addFilter(name, filter);
  const html = env.renderString(HEAD, { site: { ...config }, page, paginator });
  const start = html.indexOf('<title>');
  const end = html.indexOf('</script>') + '</script>'.length;
  expect(start).toBeGreaterThanOrEqual(0);
  return `${html.slice(start, end)}\n`;
}

const date = TemplateDate.of({ epochMs: Date.UTC(2024, 1, 1, 15, 30), offsetMinutes: -420 });

const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  ['a post with a description', { title: 'Liquid Lab', description: 'Testing tags', url: 'https://example.com', baseurl: '/blog', author: 'Jane Doe' }, { title: 'SEO Post', url: '/2024/02/01/seo.html', date, description: 'A "quoted" <b>desc</b> & more' }],
  ['a post whose excerpt describes it', { title: 'Site', url: 'https://example.com' }, { title: 'Post', url: '/p.html', date, excerpt: '<p>First &amp; <em>best</em> paragraph &lt;3</p>\n' }],
  ['a post titled like the site', { title: 'Same', description: 'D' }, { title: 'Same', url: '/same.html', date }],
  ['the home page', { title: 'Liquid Lab', description: 'Testing tags', url: 'https://example.com', baseurl: '/blog', lang: 'en-GB' }, { url: '/' }],
  ['a generated index page', { title: 'Site' }, { title: 'Category: news', url: '/categories/news/', date, generated: true }],
  ['a long description', { title: 'Site' }, { title: 'Long', url: '/long/', description: `${'word '.repeat(80)}end` }],
  ['text needing escapes', { title: `Tom & Jerry's <site>`, author: 'A "B" C\\D' }, { title: `It's <b>bold</b> & "quoted"`, url: '/a b/é.html' }],
  ['a page without a date or excerpt', { title: 'T', description: '' }, { title: 'About', url: '/about/' }],
  ['a post with its own author', { title: 'Site', author: 'Ann' }, { title: 'P', url: '/p.html', date, author: 'Post Author' }],
  ['a post whose author is a map', { title: 'Site', author: 'Ann' }, { title: 'P', url: '/p.html', date, author: { name: 'Map Author', uri: 'https://x' } }],
  ['a post with authors', { title: 'Site' }, { title: 'P', url: '/p.html', date, authors: ['First', 'Second'] }],
  ['a post with an image and a modification date', { title: 'Site', url: 'https://example.com', baseurl: '/blog' }, { title: 'P', url: '/p.html', date, image: '/img/a b.png', last_modified_at: '2024-03-01 10:00:00 +0000' }],
  ['a post whose image is a map with a full URL', { title: 'Site', url: 'https://example.com' }, { title: 'P', url: '/p.html', date, image: { path: 'https://cdn.example.org/x.jpg', width: 800 } }],
  ['a page with an image', { title: 'Site' }, { title: 'About', url: '/about/', image: 'me.png' }],
  ['a post whose author and description are maps with no text', { title: 'Site' }, { title: 'P', url: '/p.html', date, author: { twitter: 'ann' }, description: { a: 1 }, excerpt: '<p>The excerpt.</p>' }],
];

/** jekyll-paginate's paginator on page `page` of three, at /page2/ and so on. */
function pager(page: number): Record<string, unknown> {
  const path = (n: number) => (n === 1 ? '/' : `/page${n}/`);
  return { page, total_pages: 3, previous_page: page > 1 ? page - 1 : null, previous_page_path: page > 1 ? path(page - 1) : null, next_page: page < 3 ? page + 1 : null, next_page_path: page < 3 ? path(page + 1) : null };
}

describe('{% seo %} against the theme’s head.njk', () => {
  it.each(cases)('%s', (_, raw, page) => {
    const config = resolveConfig('/site', { timezone: 'UTC', ...raw });
    expect(seoTags(page, { ...config }, config)).toBe(themeHead(config, page));
  });

  it.each([
    ['the first page of a list', 1],
    ['the second page of a list', 2],
    ['the last page of a list', 3],
  ])('%s', (_, number) => {
    const config = resolveConfig('/site', { timezone: 'UTC', title: 'Site', url: 'https://example.com', baseurl: '/blog' });
    const page = { title: 'Home', url: number === 1 ? '/' : `/page${number}/` };
    expect(seoTags(page, { ...config }, config, { paginator: pager(number) })).toBe(themeHead(config, page, pager(number)));
  });

  it('says which page of a list a page is, and links its neighbours, as jekyll-seo-tag does', () => {
    // As Jekyll 4.3.1 with jekyll-seo-tag 2.8.0 and jekyll-paginate wrote page 2 of 3.
    const config = resolveConfig('/site', { title: 'Site', description: 'Desc', url: 'https://example.com', baseurl: '/blog' });
    const tags = seoTags({ title: 'Home', url: '/page2/' }, { ...config }, config, { paginator: { ...pager(2), next_page_path: '/page3' } });
    expect(tags).toContain('<title>Page 2 of 3 for Home | Site</title>\n');
    expect(tags).toContain('<meta property="og:title" content="Home">\n');
    expect(tags).toContain('<meta property="og:type" content="website">\n<link rel="prev" href="https://example.com/blog/">\n<link rel="next" href="https://example.com/blog/page3">\n<meta name="twitter:card"');
    expect(seoTags({ title: 'Home', url: '/' }, { ...config }, config, { paginator: pager(1) })).toContain('<title>Home | Site</title>');
  });

  it.each([
    ['no site title', { title: '' }, '<title>Home</title>', null],
    ['the site named by `name`', { title: '', name: 'Named' }, '<title>Home | Named</title>', 'Named'],
  ])('titles a page of a site with %s as jekyll-seo-tag does', (_, raw, title, siteName) => {
    // As Jekyll 4.3.1 with jekyll-seo-tag 2.8.0 wrote them.
    const config = resolveConfig('/site', { timezone: 'UTC', ...raw });
    const page = { title: 'Home', url: '/' };
    const tags = seoTags(page, { ...config }, config);
    expect(tags).toContain(`${title}\n`);
    expect(tags.includes('og:site_name')).toBe(siteName !== null);
    if (siteName !== null) expect(tags).toContain(`<meta property="og:site_name" content="${siteName}">`);
    expect(tags).toBe(themeHead(config, page));
  });

  it('gives og:locale from `locale`, then the site\'s `lang`, else en_US', () => {
    const localeOf = (raw: Record<string, unknown>, page: Record<string, unknown> = {}) => {
      const config = resolveConfig('/site', { title: 'S', ...raw });
      return /og:locale" content="([^"]*)"/.exec(seoTags({ title: 'P', url: '/p/', ...page }, { ...config }, config))?.[1];
    };
    expect(localeOf({ locale: 'fr_FR', lang: 'de' })).toBe('fr_FR');
    expect(localeOf({ lang: 'en-GB' })).toBe('en_GB');
    expect(localeOf({ lang: 'en-GB' }, { locale: 'pt_BR' })).toBe('pt_BR');
  });

  it('names the page\'s own author, then its first of authors, then the site\'s, as jekyll-seo-tag does', () => {
    const config = resolveConfig('/site', { title: 'Site', author: 'Ann' });
    const authorOf = (page: Record<string, unknown>) => /<meta name="author" content="([^"]*)">/.exec(seoTags({ title: 'P', url: '/p/', date, ...page }, { ...config }, config))?.[1];
    expect(authorOf({ author: 'Post Author' })).toBe('Post Author');
    expect(authorOf({ author: { name: 'Map Author' } })).toBe('Map Author');
    expect(authorOf({ authors: ['First', 'Second'] })).toBe('First');
    expect(authorOf({})).toBe('Ann');
  });

  it('leaves out <title> for {% seo title=false %}', () => {
    const config = resolveConfig('/site', { title: 'T' });
    const html = seoTags({ title: 'P', url: '/p/' }, { ...config }, config, { title: false });
    expect(html).not.toContain('<title>');
    expect(html.startsWith('<meta name="generator" content="Quire">')).toBe(true);
  });
});

describe('{% feed_meta %} as jekyll-feed 0.17.0 writes it', () => {
  it('links the feed with the site title (recorded from Jekyll 4.3.1)', () => {
    const config = resolveConfig('/site', { title: 'Liquid Lab', url: 'https://example.com', baseurl: '/blog' });
    expect(feedMeta(config)).toBe('<link type="application/atom+xml" rel="alternate" href="https://example.com/blog/feed.xml" title="Liquid Lab" />');
  });

  it('follows feed.path, escapes the title, and leaves out a missing title', () => {
    expect(feedMeta(resolveConfig('/site', { title: 'A & "B" <c>', feed: { path: '/atom.xml' } }))).toBe(
      '<link type="application/atom+xml" rel="alternate" href="/atom.xml" title="A &amp; &quot;B&quot; &lt;c&gt;" />',
    );
    expect(feedMeta(resolveConfig('/site', {}))).toBe('<link type="application/atom+xml" rel="alternate" href="/feed.xml" />');
    expect(feedMeta(resolveConfig('/site', { name: 'Named' }))).toBe('<link type="application/atom+xml" rel="alternate" href="/feed.xml" title="Named" />');
  });
});
