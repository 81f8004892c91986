/**
 * The link checker: finds links in built HTML that point at nothing. Pure - it is given the pages
 * (output path -> HTML) and the set of every output file, and reads nothing itself.
 *
 * What is checked: `a[href]`, `area[href]`, `img[src|srcset]`, `source[src|srcset]`,
 * `script[src]`, `link[href]` whose `rel` is one a browser or feed reader follows (stylesheet,
 * alternate, icon, canonical, prev, next, manifest, preload...), and the `src` of iframe, video,
 * audio, track and embed, `video[poster]` and `object[data]`.
 *
 * What is internal: a relative URL, a URL starting with `/`, or an http(s) URL on the host of the
 * site's `url`. Everything else (other hosts, mailto:, data:...) is skipped. Internal URLs must
 * sit under `baseurl`; the path after it is percent-decoded and looked up as Jekyll's servers
 * (and GitHub Pages, Netlify...) do: `/x/` is `x/index.html`, `/x` is `x`, `x.html` or
 * `x/index.html`. Query strings are ignored. A `#fragment` into an HTML page must name an
 * element's `id` (or an `<a name>`) on that page; `#` and `#top` always work, as in browsers.
 */
import { Parser } from 'htmlparser2';

/** What the checker needs to know about the site. */
export interface LinkSite {
  /** The site's public origin (`url:` in _config.yml), or '' when it has none. */
  readonly url?: string;
  /** The path the site lives under (`baseurl:`), '' or like `/blog`. */
  readonly baseurl?: string;
}

/** One link that points at nothing. */
export interface BrokenLink {
  /** Output path of the page holding the link, e.g. `2024/01/01/post.html`. */
  readonly page: string;
  /** 1-based line of the element in that page. */
  readonly line: number;
  /** The element and attribute, e.g. `a href`, `img srcset`. */
  readonly where: string;
  /** The URL as written (entities decoded). */
  readonly url: string;
  /** Why it is broken, in words. */
  readonly reason: string;
}

export interface LinkReport {
  /** Broken links, in page order then document order. */
  readonly broken: readonly BrokenLink[];
  /** How many HTML pages were read. */
  readonly pages: number;
  /** How many internal URLs were checked. */
  readonly links: number;
}

/** `link rel` values whose target a browser, search engine or feed reader fetches. */
const CHECKED_RELS = new Set([
  'stylesheet',
  'alternate',
  'icon',
  'apple-touch-icon',
  'apple-touch-icon-precomposed',
  'mask-icon',
  'manifest',
  'preload',
  'modulepreload',
  'canonical',
  'prev',
  'next',
]);

/** Attributes holding one URL, per element. */
const URL_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  area: ['href'],
  img: ['src'],
  source: ['src'],
  script: ['src'],
  iframe: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  embed: ['src'],
  object: ['data'],
};

/** Elements whose `srcset` lists image candidates. */
const SRCSET_ELEMENTS = new Set(['img', 'source']);

/** The origin used for resolving when the site has no `url:`; never shown to anyone. */
const PLACEHOLDER_ORIGIN = 'http://quire.invalid';

interface FoundLink {
  readonly index: number;
  readonly where: string;
  readonly url: string;
}

interface ParsedPage {
  readonly links: FoundLink[];
  readonly ids: Set<string>;
  /** The first `<base href>`, which relative URLs resolve against. */
  readonly base: string | null;
}

/**
 * Checks every internal link of every page in `pages` against `files` (all output paths,
 * relative to the destination with `/`, HTML pages included) and returns the broken ones.
 */
export function checkLinks(pages: ReadonlyMap<string, string>, files: ReadonlySet<string>, site: LinkSite = {}): LinkReport {
  const parsed = new Map<string, ParsedPage>();
  for (const [page, html] of pages) parsed.set(page, parsePage(html));

  const resolver = new Resolver(files, site);
  const broken: BrokenLink[] = [];
  let links = 0;
  for (const [page, { links: found, base }] of parsed) {
    const pageBase = resolver.baseOf(page, base);
    let lines: LineIndex | undefined;
    for (const link of found) {
      const target = resolver.resolve(link.url, pageBase);
      if (target === null) continue;
      links++;
      const reason = problemWith(target, page, parsed);
      if (reason === null) continue;
      lines ??= new LineIndex(pages.get(page)!);
      broken.push({ page, line: lines.lineOf(link.index), where: link.where, url: link.url, reason });
    }
  }
  return { broken, pages: pages.size, links };
}

/** Why the resolved target is broken, or null when it is fine. */
function problemWith(target: Target, page: string, parsed: ReadonlyMap<string, ParsedPage>): string | null {
  if ('problem' in target) return target.problem;
  if (target.fragment === null) return null;
  const targetPage = parsed.get(target.file);
  if (targetPage === undefined) return null; // not HTML (a PDF's #page=2...): nothing to look in
  const fragment = target.fragment;
  if (fragment === '' || fragment.toLowerCase() === 'top' || fragment.startsWith(':~:')) return null;
  if (targetPage.ids.has(fragment)) return null;
  const decoded = safeDecode(fragment);
  if (decoded !== null && targetPage.ids.has(decoded)) return null;
  const shown = decoded ?? fragment;
  return target.file === page ? `no element on this page has id="${shown}"` : `${target.file} has no element with id="${shown}"`;
}

/** Reads the links, ids and `<base>` of one page. */
export function parsePage(html: string): ParsedPage {
  const links: FoundLink[] = [];
  const ids = new Set<string>();
  let base: string | null = null;
  const parser: Parser = new Parser(
    {
      onopentag(name, attributes) {
        const id = attributes.id;
        if (id !== undefined && id !== '') ids.add(id);
        if (name === 'a' && attributes.name !== undefined && attributes.name !== '') ids.add(attributes.name);
        const index = parser.startIndex;
        if (name === 'base') {
          if (base === null && attributes.href !== undefined) base = attributes.href;
          return;
        }
        if (name === 'link') {
          const href = attributes.href;
          const rels = (attributes.rel ?? '').toLowerCase().split(/[\t\n\f\r ]+/);
          if (href !== undefined && rels.some((rel) => CHECKED_RELS.has(rel))) links.push({ index, where: 'link href', url: href });
          return;
        }
        const names = URL_ATTRIBUTES[name];
        if (names !== undefined) {
          for (const attribute of names) {
            const value = attributes[attribute];
            if (value !== undefined) links.push({ index, where: `${name} ${attribute}`, url: value });
          }
        }
        if (SRCSET_ELEMENTS.has(name) && attributes.srcset !== undefined) {
          for (const url of srcsetUrls(attributes.srcset)) links.push({ index, where: `${name} srcset`, url });
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return { links, ids, base };
}

/**
 * The URLs of a `srcset`, following the HTML standard's parser: candidates are separated by
 * commas; a URL runs to the next whitespace (trailing commas end it); descriptors run to a comma
 * outside parentheses.
 */
export function srcsetUrls(srcset: string): string[] {
  const urls: string[] = [];
  let i = 0;
  const n = srcset.length;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  while (i < n) {
    while (i < n && (isSpace(srcset[i]!) || srcset[i] === ',')) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(srcset[i]!)) i++;
    let url = srcset.slice(start, i);
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let depth = 0;
      for (; i < n; i++) {
        const c = srcset[i]!;
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
      }
    }
    if (url !== '') urls.push(url);
  }
  return urls;
}

/** Where an internal URL leads: a file and maybe a fragment, or a problem. */
type Target = { readonly file: string; readonly fragment: string | null } | { readonly problem: string };

class Resolver {
  private readonly origin: URL;
  /** baseurl as written (for messages) and as it appears in a parsed URL's pathname. */
  private readonly prefix: string;
  private readonly encodedPrefix: string;

  constructor(
    private readonly files: ReadonlySet<string>,
    site: LinkSite,
  ) {
    let origin: URL;
    try {
      origin = new URL(site.url || PLACEHOLDER_ORIGIN);
    } catch {
      origin = new URL(PLACEHOLDER_ORIGIN);
    }
    this.origin = origin;
    this.prefix = (site.baseurl ?? '').replace(/\/+$/, '');
    this.encodedPrefix = encodePrefix(this.prefix);
  }

  /** The URL a page is served at, to resolve its relative links against. */
  baseOf(page: string, base: string | null): URL {
    const encoded = page.split('/').map(encodeURIComponent).join('/');
    const pageUrl = new URL(`${this.encodedPrefix}/${encoded}`, this.origin.origin);
    if (base === null) return pageUrl;
    try {
      return new URL(base, pageUrl);
    } catch {
      return pageUrl;
    }
  }

  /** The target of `raw` as seen from `base`, or null when it is not part of this site. */
  resolve(raw: string, base: URL): Target | null {
    const trimmed = raw.trim();
    if (trimmed === '') return null; // the page itself
    let url: URL;
    try {
      url = new URL(trimmed, base);
    } catch {
      // Only a URL with a scheme can fail against an http base: "http://[" and the like.
      return /^https?:/i.test(trimmed) ? { problem: 'is not a valid URL' } : null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.host !== this.origin.host) return null;

    const fragment = url.hash === '' ? (trimmed.endsWith('#') ? '' : null) : url.hash.slice(1);
    const pathname = url.pathname;
    const prefix = this.encodedPrefix;
    if (prefix !== '' && pathname !== prefix && !pathname.startsWith(`${prefix}/`)) {
      return { problem: `is outside the site's baseurl ${this.prefix}; write it as ${this.prefix}/path/ in a post, or with relative_url in a template ({{ '/path/' | relative_url }})` };
    }
    const encodedPath = pathname.slice(prefix.length).replace(/^\/+/, '');
    const sitePath = safeDecode(encodedPath) ?? encodedPath; // a stray "%" is looked up as written
    const file = this.find(sitePath);
    return file === null ? { problem: missingReason(sitePath) } : { file, fragment };
  }

  /** The output file a decoded site path is served from, or null. */
  private find(sitePath: string): string | null {
    if (sitePath === '' || sitePath.endsWith('/')) {
      const index = `${sitePath}index.html`;
      return this.files.has(index) ? index : null;
    }
    for (const candidate of [sitePath, `${sitePath}.html`, `${sitePath}/index.html`]) {
      if (this.files.has(candidate)) return candidate;
    }
    return null;
  }
}

function missingReason(sitePath: string): string {
  if (sitePath === '' || sitePath.endsWith('/')) return `no file ${sitePath}index.html in the site`;
  if (/\.[^./]+$/.test(sitePath)) return `no file ${sitePath} in the site`;
  return `no file ${sitePath}, ${sitePath}.html or ${sitePath}/index.html in the site`;
}

/** baseurl as it appears in a parsed URL's pathname (spaces as %20...). */
function encodePrefix(prefix: string): string {
  if (prefix === '') return '';
  return new URL(prefix, PLACEHOLDER_ORIGIN).pathname.replace(/\/+$/, '');
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** Turns string offsets into 1-based line numbers. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}

/** Broken links grouped by the page that holds them, pages in the order first seen. */
export function groupByPage(broken: readonly BrokenLink[]): Map<string, BrokenLink[]> {
  const groups = new Map<string, BrokenLink[]>();
  for (const link of broken) {
    const group = groups.get(link.page);
    if (group) group.push(link);
    else groups.set(link.page, [link]);
  }
  return groups;
}
