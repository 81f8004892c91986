/**
 * The SEO tags of partials/head.njk (jekyll-seo-tag's, through seoTags) on real built pages: title,
 * description, canonical URL, OpenGraph, Twitter and JSON-LD, with hostile text in every field.
 */
import { describe, expect, it } from 'vitest';
import { buildSite, postFile } from './support.js';

const SITE = { title: 'Site', description: 'About things', url: 'https://example.com', baseurl: '/blog', author: 'Ann' };
const HOSTILE = '"><script>alert(1)</script>';

/** Decodes the character references Nunjucks' autoescaping writes (and numeric ones). */
function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);
}

interface Head {
  readonly title: string;
  /** meta `name` or `property` -> every `content` given for it. */
  meta(key: string): string[];
  links(rel: string): string[];
  readonly jsonLdSource: string;
  readonly jsonLd: Record<string, unknown>;
}

function headOf(html: string): Head {
  const head = /<head>([\s\S]*?)<\/head>/.exec(html)?.[1];
  if (head === undefined) throw new Error('no <head>');
  const attributes = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));
  const metas = [...head.matchAll(/<meta\b[^>]*>/g)].map((m) => attributes(m[0]));
  const links = [...head.matchAll(/<link\b[^>]*>/g)].map((m) => attributes(m[0]));
  const titles = [...head.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => decode(m[1]!));
  expect(titles).toHaveLength(1);
  const scripts = [...head.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(scripts).toHaveLength(1);
  return {
    title: titles[0]!,
    meta: (key) => metas.filter((meta) => meta.name === key || meta.property === key).map((meta) => meta.content!),
    links: (rel) => links.filter((link) => link.rel === rel).map((link) => link.href!),
    jsonLdSource: scripts[0]!,
    jsonLd: JSON.parse(scripts[0]!) as Record<string, unknown>,
  };
}

const files = {
  'posts/2024-03-20-described.md': postFile({ title: 'Described', description: 'A summary & a half', categories: ['Machine Learning', 'Café'] }, 'First paragraph.\n\nSecond.\n'),
  'posts/2024-03-21-from-excerpt.md': postFile({ title: 'From excerpt' }, 'Fish & chips, <b>bold</b>\nand 5 < 6 and `a<b>`.\n\nNot in the excerpt.\n'),
  'posts/2024-03-22-hostile.md': postFile(
    // The description has no ">", so strip_html leaves it whole: "<!--" and "</script" reach the JSON-LD.
    { title: HOSTILE, description: 'a <!-- b </script c <script d', categories: [HOSTILE], tags: [HOSTILE], coordinates: [0.5, 0.5] },
    'Body.\n',
  ),
};

describe('a post page head', () => {
  it('has the title, canonical URL, OpenGraph, Twitter and JSON-LD tags of an article', async () => {
    const site = await buildSite(files, SITE);
    const post = site.posts.find((candidate) => candidate.title === 'Described')!;
    const url = 'https://example.com/blog/machine%20learning/caf%C3%A9/2024/03/20/described.html';
    expect(post.url).toBe('/machine%20learning/caf%C3%A9/2024/03/20/described.html');
    const head = headOf(site.text(post.outputPath));
    expect(head.title).toBe('Described | Site');
    expect(head.links('canonical')).toEqual([url]);
    expect(head.meta('og:title')).toEqual(['Described']);
    expect(head.meta('og:url')).toEqual([url]);
    expect(head.meta('og:type')).toEqual(['article']);
    expect(head.meta('article:published_time')).toEqual(['2024-03-20T00:00:00+00:00']);
    expect(head.meta('og:site_name')).toEqual(['Site']);
    expect(head.meta('twitter:card')).toEqual(['summary']);
    expect(head.jsonLd).toMatchObject({ '@context': 'https://schema.org', '@type': 'BlogPosting', headline: 'Described', url, datePublished: '2024-03-20T00:00:00+00:00', author: { '@type': 'Person', name: 'Ann' } });
  });

  it('takes the description from description: front matter', async () => {
    const site = await buildSite(files, SITE);
    const head = headOf(site.text(site.posts.find((post) => post.title === 'Described')!.outputPath));
    expect(head.meta('description')).toEqual(['A summary & a half']);
    expect(head.meta('og:description')).toEqual(['A summary & a half']);
    // jekyll-seo-tag escapes the text once before it goes into the JSON-LD.
    expect(head.jsonLd.description).toBe('A summary &amp; a half');
  });

  it('otherwise takes it from the excerpt as text: tags stripped, whitespace folded, escaped once', async () => {
    const site = await buildSite(files, SITE);
    const post = site.posts.find((candidate) => candidate.title === 'From excerpt')!;
    expect(post.excerptHtml).toContain('&amp;');
    const head = headOf(site.text(post.outputPath));
    const text = 'Fish & chips, bold and 5 < 6 and a<b>.';
    expect(head.meta('description')).toEqual([text]);
    expect(head.meta('og:description')).toEqual([text]);
    expect(head.jsonLd.description).toBe('Fish &amp; chips, bold and 5 &lt; 6 and a&lt;b&gt;.');
  });

  it('shows image: in the OpenGraph, Twitter and JSON-LD tags, with a large Twitter card, as jekyll-seo-tag does', async () => {
    const site = await buildSite({ 'posts/2024-01-01-pic.md': postFile({ title: 'Pic', image: '/img/cover.png', last_modified_at: '2024-02-01 10:00:00 +0000' }, 'Body.\n') }, SITE);
    const head = headOf(site.text(site.posts[0]!.outputPath));
    expect(head.meta('og:image')).toEqual(['https://example.com/blog/img/cover.png']);
    expect(head.meta('twitter:image')).toEqual(['https://example.com/blog/img/cover.png']);
    expect(head.meta('twitter:card')).toEqual(['summary_large_image']);
    expect(head.jsonLd).toMatchObject({ image: 'https://example.com/blog/img/cover.png', datePublished: '2024-01-01T00:00:00+00:00', dateModified: '2024-02-01T10:00:00+00:00' });
    expect(head.jsonLd.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': head.links('canonical')[0] });
  });

  it('falls back to the site description when the excerpt is empty', async () => {
    const site = await buildSite({ 'posts/2024-01-01-empty.md': postFile({ title: 'Empty', excerpt_separator: '' }, 'Body.\n') }, SITE);
    expect(headOf(site.text(site.posts[0]!.outputPath)).meta('description')).toEqual(['About things']);
  });
});

describe('hostile text in front matter', () => {
  it('is stripped of tags and escaped in the title, every meta tag and the JSON-LD, as jekyll-seo-tag does', async () => {
    const site = await buildSite(files, SITE);
    const post = site.posts.find((candidate) => candidate.title === HOSTILE)!;
    const html = site.text(post.outputPath);
    const head = headOf(html);
    // As Jekyll 4.3.1 wrote it: strip_html drops the script element, content and all, and the
    // `--` is a dash. (kramdown curls the lone quote, `”>`; markdown-it leaves it straight.)
    expect(head.title).toBe('"> | Site');
    expect(head.meta('og:title')).toEqual(['">']);
    expect(head.meta('twitter:title')).toEqual(['">']);
    expect(head.meta('description')).toEqual(['a <!– b </script c <script d']);
    expect(head.jsonLd.headline).toBe('&quot;&gt;');
    expect(head.jsonLd.description).toBe('a &lt;!– b &lt;/script c &lt;script d');
    // Inside <script>, "</script" ends the element and "<!--" + "<script" can keep it from ending.
    expect(head.jsonLdSource).not.toMatch(/<\/script|<!--|<script/i);
  });

  it('never appears raw in any page, feed or sitemap of the site', async () => {
    const site = await buildSite(files, SITE);
    const texts = site.paths.filter((file) => /\.(html|xml|txt)$/.test(file)).map((file) => [file, site.text(file)] as const);
    expect(texts.length).toBeGreaterThan(10);
    for (const [file, text] of texts) expect(text, file).not.toContain('<script>alert');
    // ...and it is there, escaped, on the pages that show it.
    expect(site.text('map/index.html')).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(site.text('index.html')).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('generated pages', () => {
  it('the home page is a website: site title and description, canonical at the site root', async () => {
    const site = await buildSite(files, SITE);
    const head = headOf(site.text('index.html'));
    expect(head.title).toBe('Site | About things');
    expect(head.links('canonical')).toEqual(['https://example.com/blog/']);
    expect(head.meta('og:type')).toEqual(['website']);
    expect(head.meta('article:published_time')).toEqual([]);
    expect(head.meta('description')).toEqual(['About things']);
    expect(head.jsonLd).toMatchObject({ '@type': 'WebSite', headline: 'Site', url: 'https://example.com/blog/' });
    expect(head.jsonLd).not.toHaveProperty('datePublished');
  });

  it.each([
    ['archive/index.html', 'Archive | Site', 'https://example.com/blog/archive/'],
    ['categories/café/index.html', 'Café | Site', 'https://example.com/blog/categories/caf%C3%A9/'],
  ])('%s is a website page titled %j with canonical %s', async (file, title, canonical) => {
    const head = headOf((await buildSite(files, SITE)).text(file));
    expect([head.title, head.links('canonical'), head.meta('og:type')]).toEqual([title, [canonical], ['website']]);
  });
});
