/**
 * seoTags (jekyll-seo-tag's `{% seo %}`, also the theme's head) on pages made up here, and
 * `{% feed_meta %}` as jekyll-feed 0.17.0 writes it. test/jekyll-site/seo.test.ts compares
 * seoTags with what the plugin wrote for real pages.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { TemplateDate } from '../../src/render/views.js';
import { feedMeta, seoTags } from '../../src/render/seo.js';

const date = TemplateDate.of({ epochMs: Date.UTC(2024, 1, 1, 15, 30), offsetMinutes: -420 });

/** jekyll-paginate's paginator on page `page` of three, at /page2/ and so on. */
function pager(page: number): Record<string, unknown> {
  const path = (n: number) => (n === 1 ? '/' : `/page${n}/`);
  return { page, total_pages: 3, previous_page: page > 1 ? page - 1 : null, previous_page_path: page > 1 ? path(page - 1) : null, next_page: page < 3 ? page + 1 : null, next_page_path: page < 3 ? path(page + 1) : null };
}

describe('{% seo %}', () => {
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
