/**
 * The head tags of jekyll-seo-tag 2.8's `{% seo %}` and jekyll-feed's `{% feed_meta %}`. One
 * implementation for both template languages: a Jekyll layout's `{% seo %}` and Quire's theme
 * (`{{ seo(page, site, paginator) }}` in templates/partials/head.njk) write the same tags, which
 * test/jekyll-site/seo.test.ts compares with what jekyll-seo-tag wrote for the same pages.
 */
import MarkdownIt from 'markdown-it';
import nunjucks from 'nunjucks';
import type { Config } from '../config.js';
import { kramdownTypography } from '../markup/typography.js';
import { absoluteUrl, jekyllFilters, normalizeWhitespace, stripHtml } from './filters.js';

export interface SeoOptions {
  /** `{% seo title=false %}` leaves out the `<title>` element (the theme writes its own). */
  readonly title?: boolean;
  /** The page's paginator (jekyll-paginate's): its pages after the first say which they are, and link their neighbours. */
  readonly paginator?: Readonly<Record<string, unknown>> | null;
}

type Values = Readonly<Record<string, unknown>>;

/**
 * The `{% seo %}` block for `page` on `site` (template values: strings, numbers, lists, maps and
 * dates with `epochMs`/`offsetMinutes`). Ends with a newline.
 */
export function seoTags(page: Values, site: Values, config: Config, options: SeoOptions = {}): string {
  const absolute = (value: string) => absoluteUrl(config.url, config.baseurl, value);
  const siteTitle = formatString(site.title || site.name);
  const pageTitle = formatString(page.title) ?? siteTitle;
  const siteDescription = formatString(site.description);
  const tagline = formatString(site.tagline) ?? siteDescription;
  const baseTitle =
    siteTitle !== undefined && pageTitle !== siteTitle
      ? `${pageTitle} | ${siteTitle}`
      : siteDescription !== undefined && siteTitle !== undefined
        ? `${siteTitle} | ${tagline}`
        : (pageTitle ?? siteTitle);
  const title = baseTitle === undefined ? undefined : `${pageNumber(options.paginator ?? null, site)}${baseTitle}`;
  // An excerpt is HTML already: only its tags go, as markdownify leaves it as it is.
  const description = (isText(page.description) ? formatString(page.description) : formatHtml(page.excerpt)) ?? siteDescription;
  const author = seoAuthor(page, site);
  const locale = String(page.locale || site.locale || page.lang || site.lang || 'en_US').replaceAll('-', '_');
  const canonical = absolute(String(page.canonical_url || page.url || '')).replace(/\/index\.html$/, '/');
  const image = seoImage(page.image, absolute);
  const isArticle = truthy(page.date) && !truthy(page.generated);
  const toXmlschema = filtersFor(config).date_to_xmlschema!;
  const published = isArticle ? String(toXmlschema(page.date)) : undefined;
  const twitter = isMap(site.twitter) ? site.twitter : truthy(site.twitter) ? {} : undefined;
  const ownTwitter = isMap(page.twitter) ? page.twitter : {};
  const facebook = isMap(site.facebook) ? site.facebook : undefined;
  const paginator = options.paginator ?? null;

  const lines: string[] = [];
  const meta = (attribute: 'name' | 'property', key: string, value: unknown) => lines.push(`<meta ${attribute}="${key}" content="${escapeOnce(String(value))}">`);
  if (options.title !== false && title !== undefined) lines.push(`<title>${title}</title>`);
  lines.push('<meta name="generator" content="Quire">');
  if (pageTitle !== undefined) lines.push(`<meta property="og:title" content="${pageTitle}">`);
  if (author.name !== undefined) lines.push(`<meta name="author" content="${author.name}">`);
  meta('property', 'og:locale', locale);
  if (description !== undefined) {
    lines.push(`<meta name="description" content="${description}">`);
    lines.push(`<meta property="og:description" content="${description}">`);
  }
  if (truthy(site.url)) {
    lines.push(`<link rel="canonical" href="${escapeOnce(canonical)}">`);
    meta('property', 'og:url', canonical);
  }
  if (siteTitle !== undefined) lines.push(`<meta property="og:site_name" content="${siteTitle}">`);
  if (image !== undefined) {
    meta('property', 'og:image', image.url);
    if (truthy(image.height)) meta('property', 'og:image:height', image.height);
    if (truthy(image.width)) meta('property', 'og:image:width', image.width);
    if (truthy(image.alt)) meta('property', 'og:image:alt', image.alt);
  }
  if (published !== undefined) {
    meta('property', 'og:type', 'article');
    meta('property', 'article:published_time', published);
  } else {
    meta('property', 'og:type', 'website');
  }
  if (paginator && truthy(paginator.previous_page)) lines.push(`<link rel="prev" href="${escapeOnce(absolute(String(paginator.previous_page_path ?? '')))}">`);
  if (paginator && truthy(paginator.next_page)) lines.push(`<link rel="next" href="${escapeOnce(absolute(String(paginator.next_page_path ?? '')))}">`);
  if (image !== undefined) {
    meta('name', 'twitter:card', ownTwitter.card || twitter?.card || 'summary_large_image');
    meta('property', 'twitter:image', image.url);
  } else {
    meta('name', 'twitter:card', 'summary');
  }
  if (truthy(image?.alt)) meta('name', 'twitter:image:alt', image!.alt);
  if (pageTitle !== undefined) lines.push(`<meta property="twitter:title" content="${pageTitle}">`);
  if (twitter !== undefined) {
    meta('name', 'twitter:site', `@${String(twitter.username ?? '').replace(/^@/, '')}`);
    if (author.twitter !== undefined) meta('name', 'twitter:creator', `@${author.twitter}`);
  }
  if (facebook !== undefined) {
    if (truthy(facebook.admins)) meta('property', 'fb:admins', facebook.admins);
    if (truthy(facebook.publisher)) meta('property', 'article:publisher', facebook.publisher);
    if (truthy(facebook.app_id)) meta('property', 'fb:app_id', facebook.app_id);
  }
  const verifications = site.webmaster_verifications;
  if (isMap(verifications)) {
    for (const [key, name] of VERIFICATIONS) if (truthy(verifications[key])) meta('name', name, verifications[key]);
  } else if (truthy(site.google_site_verification)) {
    meta('name', 'google-site-verification', site.google_site_verification);
  }
  lines.push(`<script type="application/ld+json">${JSON.stringify(jsonLd()).replaceAll('<', '\\u003c')}</script>`);
  return `${lines.join('\n')}\n`;

  /** schema.org data, as jekyll-seo-tag's JSONLDDrop gives it (keys in its order). */
  function jsonLd(): Record<string, unknown> {
    const seo = isMap(page.seo) ? page.seo : {};
    const homeOrAbout = /^\/(about\/)?(index\.html?)?$/.test(String(page.url ?? ''));
    const social = isMap(site.social) ? site.social : {};
    const type = seo.type ? String(seo.type) : homeOrAbout ? 'WebSite' : isArticle ? 'BlogPosting' : 'WebPage';
    const logo = truthy(site.logo) ? absolute(String(site.logo)) : undefined;
    const name = formatString(seo.name) ?? (homeOrAbout ? (formatString(social.name) ?? siteTitle) : undefined);
    const links = seo.links ?? (homeOrAbout ? social.links : undefined);
    const modified = truthy(seo.date_modified) ? seo.date_modified : truthy(page.last_modified_at) ? page.last_modified_at : page.date;
    return {
      '@context': 'https://schema.org',
      '@type': type,
      author: author.name === undefined ? undefined : { '@type': author.type ?? 'Person', name: author.rawName, url: author.url },
      dateModified: isArticle && truthy(modified) ? String(toXmlschema(modified)) : undefined,
      datePublished: published,
      description,
      headline: pageTitle,
      image: image === undefined ? undefined : image.onlyUrl ? image.url : { height: image.height, width: image.width, alt: image.rawAlt, url: image.url, '@type': 'imageObject' },
      mainEntityOfPage: type === 'BlogPosting' || type === 'CreativeWork' ? { '@type': 'WebPage', '@id': canonical } : undefined,
      name,
      publisher: logo === undefined ? undefined : { '@type': 'Organization', logo: { '@type': 'ImageObject', url: logo }, name: author.rawName },
      sameAs: links,
      url: canonical,
    };
  }
}

const VERIFICATIONS: ReadonlyArray<[string, string]> = [
  ['google', 'google-site-verification'],
  ['bing', 'msvalidate.01'],
  ['alexa', 'alexaVerifyID'],
  ['yandex', 'yandex-verification'],
  ['baidu', 'baidu-site-verification'],
  ['facebook', 'facebook-domain-verification'],
];

/** "Page 2 of 5 for " on a list's later pages (`seo_paginator_message` words it otherwise). */
function pageNumber(paginator: Values | null, site: Values): string {
  const current = Number(paginator?.page);
  if (!(current > 1)) return '';
  const message = typeof site.seo_paginator_message === 'string' ? site.seo_paginator_message : 'Page %<current>s of %<total>s for ';
  return message.replaceAll('%<current>s', String(paginator!.page)).replaceAll('%<total>s', String(paginator!.total_pages ?? ''));
}

/**
 * jekyll-seo-tag's author: the page's `author`, else the first of its `authors` (a list), else the
 * site's; a name that `_data/authors.yml` lists stands for its entry there. Its Twitter handle is
 * its `twitter`, else its name, without the `@`. A list as `author` names nobody.
 */
function seoAuthor(page: Values, site: Values): { name?: string; rawName?: string; type?: string; twitter?: string; url?: string } {
  const candidates = [page.author, Array.isArray(page.authors) ? page.authors[0] : undefined, site.author];
  const resolved = candidates.find((candidate) => candidate !== undefined && candidate !== null && rubyText(candidate) !== '');
  const data = isMap(site.data) && isMap(site.data.authors) ? site.data.authors : {};
  const entry = typeof resolved === 'string' && isMap(data[resolved]) ? data[resolved] : {};
  const hash: Values = isMap(resolved) ? resolved : typeof resolved === 'string' ? { name: resolved, ...entry } : {};
  const rawName = isText(hash.name) && String(hash.name) !== '' ? String(hash.name) : undefined;
  const handle = hash.twitter ?? hash.name;
  return {
    // Escaped for the meta tags; the JSON-LD holds the name as written.
    name: rawName === undefined ? undefined : escapeOnce(rawName),
    rawName,
    type: typeof hash.type === 'string' ? hash.type : undefined,
    twitter: typeof handle === 'string' ? escapeOnce(handle.replace(/^@/, '')) : undefined,
    url: typeof hash.url === 'string' ? hash.url : undefined,
  };
}

/** jekyll-seo-tag's image: `image:` as a path or URL, or a map with `path` (and `height`, `width`, `alt`). */
function seoImage(value: unknown, absolute: (url: string) => string): { url: string; height?: unknown; width?: unknown; alt?: unknown; rawAlt?: unknown; onlyUrl: boolean } | undefined {
  const map = isMap(value) ? value : undefined;
  const path = map ? map.path : value;
  if (!truthy(path) || !isText(path)) return undefined;
  const url = absolute(String(path));
  if (!map) return { url, onlyUrl: true };
  return { url, height: map.height, width: map.width, alt: map.alt === undefined ? undefined : escapeOnce(String(map.alt)), rawAlt: map.alt, onlyUrl: Object.keys(map).length === 1 };
}

let inlineMarkdown: MarkdownIt | undefined;

/**
 * jekyll-seo-tag's format_string: markdownify, strip_html, normalize_whitespace, escape_once;
 * undefined for no text. Titles and descriptions are one line of markdown, so inline markdown
 * does here what kramdown does there (`--` a dash, `*really*` plain, quotes curled).
 */
function formatString(value: unknown): string | undefined {
  if (!truthy(value) || !isText(value)) return undefined;
  const source = String(value);
  // Text with nothing markdown or typography would change is only escaped.
  const html = /^[\p{L}\p{N} ,:;?!()/@+=%]*$/u.test(source) ? source : (inlineMarkdown ??= new MarkdownIt('commonmark', { typographer: true, html: true }).use(kramdownTypography).enable(['replacements', 'smartquotes'])).renderInline(source);
  return nonEmpty(escapeOnce(normalizeWhitespace(stripHtml(html))));
}

/**
 * format_string of an excerpt (which Quire's theme holds as Nunjucks' safe text). One made from the
 * post is HTML already, and markdown would change nothing in it; one written in front matter
 * (`excerpt: An *emphasised* line`) is markdown, taken out as in a title.
 */
function formatHtml(value: unknown): string | undefined {
  if (!truthy(value) || !(isText(value) || value instanceof nunjucks.runtime.SafeString)) return undefined;
  const text = String(value);
  if (!text.trimStart().startsWith('<')) return formatString(text);
  return nonEmpty(escapeOnce(normalizeWhitespace(stripHtml(text))));
}

function nonEmpty(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Liquid's escape_once: `& < > " '` escaped, entities already written left as they are. */
function escapeOnce(text: string): string {
  return text.replace(/["'<>]|&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#x[0-9a-fA-F]+);)/g, (char) => ESCAPES[char]!);
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' };

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

/** Liquid's truth: everything but nil, false, and (for `if` on text here) the empty string. */
function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}

function isText(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/** Ruby's to_s of a value, enough to tell an empty one. */
function rubyText(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '' : '[…]';
  if (isMap(value)) return Object.keys(value).length === 0 ? '' : '{…}';
  return String(value);
}

function isMap(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const filterCache = new WeakMap<Config, ReturnType<typeof jekyllFilters>>();

function filtersFor(config: Config): ReturnType<typeof jekyllFilters> {
  let filters = filterCache.get(config);
  if (!filters) filterCache.set(config, (filters = jekyllFilters(config)));
  return filters;
}

function xmlAttr(value: string): string {
  return value.replace(/[&<>"]/g, (char) => XML_ATTR_ESCAPES[char]!);
}

const XML_ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
