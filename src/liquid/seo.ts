/**
 * The head tags of jekyll-seo-tag's `{% seo %}` and jekyll-feed's `{% feed_meta %}`, for Liquid
 * layouts. `{% seo %}` writes the same tags, with the same values, as Quire's own theme
 * (templates/partials/head.njk, from `<title>` to the JSON-LD script), so a Jekyll theme and
 * Quire's theme describe a page alike; test/liquid/seo.test.ts checks the two stay equal.
 */
import type { Config } from '../config.js';
import { absoluteUrl, jekyllFilters, normalizeWhitespace, stripHtml } from '../render/filters.js';

export interface SeoOptions {
  /** `{% seo title=false %}` leaves out the `<title>` element (the theme writes its own). */
  readonly title?: boolean;
  /** The page's paginator (jekyll-paginate's): its pages after the first say which they are, and link their neighbours. */
  readonly paginator?: Readonly<Record<string, unknown>> | null;
}

/**
 * The `{% seo %}` block for `page` on `site` (Liquid values: strings, numbers, lists, maps and
 * dates with `epochMs`/`offsetMinutes`). Ends with a newline.
 */
export function seoTags(page: Readonly<Record<string, unknown>>, site: Readonly<Record<string, unknown>>, config: Config, options: SeoOptions = {}): string {
  // jekyll-seo-tag: the site's title (or `name`), the page's (or the site's), and the tagline or
  // description beside the site's title on a page that has no title of its own.
  const siteTitle = truthy(site.title) ? site.title : truthy(site.name) ? site.name : undefined;
  const pageTitle = truthy(page.title) ? page.title : siteTitle;
  const tagline = truthy(site.tagline) ? site.tagline : site.description;
  const paginator = options.paginator ?? null;
  const pageNumber = paginator && Number(paginator.page) > 1 ? `Page ${text(paginator.page)} of ${text(paginator.total_pages)} for ` : '';
  const seoTitle =
    pageNumber +
    (siteTitle !== undefined && pageTitle !== siteTitle
      ? `${text(pageTitle)} | ${text(siteTitle)}`
      : siteTitle !== undefined && truthy(tagline)
        ? `${text(siteTitle)} | ${text(tagline)}`
        : text(pageTitle));
  const excerptText = decodeMarkdownEscapes(stripHtml(text(page.excerpt ?? '')));
  // A description that is no text (a map, a list) describes nothing, as the theme reads it.
  const ownDescription = (typeof page.description === 'string' || typeof page.description === 'number') && truthy(page.description);
  const chosen = ownDescription ? stripHtml(text(page.description)) : excerptText.trim() !== '' ? excerptText : site.description;
  const description = truncate(jsTrim(normalizeWhitespace(text(chosen))), 300);
  const canonical = absoluteUrl(config.url, config.baseurl, page.url ?? '');
  const title = pageTitle;
  const author = authorName(page.author) ?? authorName(Array.isArray(page.authors) ? page.authors[0] : undefined) ?? authorName(site.author);
  const imagePath = page.image !== null && typeof page.image === 'object' && !Array.isArray(page.image) ? (page.image as { path?: unknown }).path : page.image;
  const image = truthy(imagePath) ? absoluteUrl(config.url, config.baseurl, text(imagePath)) : '';
  const lines: string[] = [];
  if (options.title !== false) lines.push(`<title>${escape(seoTitle)}</title>`);
  lines.push('<meta name="generator" content="Quire">');
  if (author !== undefined) lines.push(`<meta name="author" content="${escape(author)}">`);
  lines.push(`<meta property="og:title" content="${escape(text(title))}">`);
  // jekyll-seo-tag reads `locale` (en_US when none); a site that gives only its `lang` gets that.
  const locale = truthy(page.locale) ? page.locale : truthy(site.locale) ? site.locale : truthy(site.lang) ? site.lang : 'en_US';
  lines.push(`<meta property="og:locale" content="${escape(text(locale).replaceAll('-', '_'))}">`);
  if (description !== '') {
    lines.push(`<meta name="description" content="${escape(description)}">`);
    lines.push(`<meta property="og:description" content="${escape(description)}">`);
  }
  lines.push(`<link rel="canonical" href="${escape(canonical)}">`);
  lines.push(`<meta property="og:url" content="${escape(canonical)}">`);
  if (siteTitle !== undefined) lines.push(`<meta property="og:site_name" content="${escape(text(siteTitle))}">`);
  if (image !== '') lines.push(`<meta property="og:image" content="${escape(image)}">`);
  const toXmlschema = filtersFor(config).date_to_xmlschema!;
  const published = truthy(page.date) && !truthy(page.generated) ? text(toXmlschema(page.date)) : undefined;
  const modified = published === undefined ? undefined : text(toXmlschema(truthy(page.last_modified_at) ? page.last_modified_at : page.date));
  if (published !== undefined) {
    lines.push('<meta property="og:type" content="article">');
    lines.push(`<meta property="article:published_time" content="${escape(published)}">`);
  } else {
    lines.push('<meta property="og:type" content="website">');
  }
  if (paginator && truthy(paginator.previous_page)) lines.push(`<link rel="prev" href="${escape(absoluteUrl(config.url, config.baseurl, text(paginator.previous_page_path)))}">`);
  if (paginator && truthy(paginator.next_page)) lines.push(`<link rel="next" href="${escape(absoluteUrl(config.url, config.baseurl, text(paginator.next_page_path)))}">`);
  lines.push(`<meta name="twitter:card" content="${image !== '' ? 'summary_large_image' : 'summary'}">`);
  if (image !== '') lines.push(`<meta property="twitter:image" content="${escape(image)}">`);
  lines.push(`<meta property="twitter:title" content="${escape(text(title))}">`);
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': published !== undefined ? 'BlogPosting' : 'WebSite',
    headline: title,
    description,
    url: canonical,
    image: image !== '' ? image : undefined,
    datePublished: published,
    dateModified: modified,
    mainEntityOfPage: published !== undefined ? { '@type': 'WebPage', '@id': canonical } : undefined,
    author: author !== undefined ? { '@type': 'Person', name: author } : undefined,
  };
  lines.push(`<script type="application/ld+json">${JSON.stringify(jsonLd).replaceAll('<', '\\u003c')}</script>`);
  return `${lines.join('\n')}\n`;
}

/** jekyll-seo-tag's author: a name, or a map with `name`; undefined when there is none. */
function authorName(value: unknown): string | undefined {
  const name = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { name?: unknown }).name : value;
  return truthy(name) && (typeof name === 'string' || typeof name === 'number') ? String(name) : undefined;
}

/**
 * jekyll-feed's `{% feed_meta %}`: a link to the site's Atom feed (`feed.path`, default
 * `feed.xml`) titled with the site's title (or `name`), attributes escaped as Ruby's
 * `encode(xml: :attr)` does.
 */
export function feedMeta(config: Config): string {
  const feed = config.feed as { path?: unknown } | undefined;
  const path = typeof feed?.path === 'string' && feed.path !== '' ? feed.path : 'feed.xml';
  const title = config.title !== '' ? config.title : typeof config.name === 'string' ? config.name : undefined;
  const attributes: Array<[string, string]> = [
    ['type', 'application/atom+xml'],
    ['rel', 'alternate'],
    ['href', absoluteUrl(config.url, config.baseurl, path)],
  ];
  if (title !== undefined) attributes.push(['title', title]);
  return `<link ${attributes.map(([name, value]) => `${name}="${xmlAttr(value)}"`).join(' ')} />`;
}

/** What Nunjucks' `if` takes as true (the theme's template is the reference). */
function truthy(value: unknown): boolean {
  return Boolean(value);
}

const filterCache = new WeakMap<Config, ReturnType<typeof jekyllFilters>>();

function filtersFor(config: Config): ReturnType<typeof jekyllFilters> {
  let filters = filterCache.get(config);
  if (!filters) filterCache.set(config, (filters = jekyllFilters(config)));
  return filters;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The escapes markdown writes, undone so the text is escaped once when printed. */
function decodeMarkdownEscapes(html: string): string {
  return html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

/** Nunjucks' trim. */
function jsTrim(value: string): string {
  return value.replace(/^\s*|\s*$/g, '');
}

/** Nunjucks' truncate(length): cut at the last space within `length`, then "...". */
function truncate(value: string, length: number): string {
  if (value.length <= length) return value;
  let cut = value.lastIndexOf(' ', length);
  if (cut === -1) cut = length;
  return `${value.slice(0, cut)}...`;
}

/** Nunjucks' autoescape. */
function escape(value: string): string {
  return value.replace(/[&"'<>\\]/g, (char) => NUNJUCKS_ESCAPES[char]!);
}

const NUNJUCKS_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '\\': '&#92;' };

function xmlAttr(value: string): string {
  return value.replace(/[&<>"]/g, (char) => XML_ATTR_ESCAPES[char]!);
}

const XML_ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
