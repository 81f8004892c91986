/**
 * Post URLs and output paths as Jekyll 4.3 builds them: Configuration#style_to_permalink,
 * Drops::UrlDrop (the placeholders), URL#generate_url_from_drop / #sanitize_url /
 * .escape_path, and Document#destination.
 */
import { strftime } from '../dates.js';
import type { Instant } from '../types.js';
import { rubyDowncase, slugify } from './slugify.js';

/** A permalink or URL that Jekyll would reject, or that would write outside the destination. */
export class PermalinkError extends Error {
  override readonly name = 'PermalinkError';
}

// ---------------------------------------------------------------------------------------------
// Permalink styles
// ---------------------------------------------------------------------------------------------

/** Jekyll's built-in styles (configuration.rb STYLE_TO_PERMALINK). */
const PERMALINK_STYLES: Readonly<Record<string, string>> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/**
 * The posts URL template for the site's `permalink:` setting. Style names match exactly
 * (case-sensitive); anything else is used as written - Jekyll adds no leading '/' to the
 * template, but every URL it makes starts with one (see sanitizeUrl).
 */
export function expandPermalinkStyle(permalink: string | null | undefined): string {
  if (permalink === undefined || permalink === null) return PERMALINK_STYLES['date']!;
  return isPermalinkStyle(permalink) ? PERMALINK_STYLES[permalink]! : permalink;
}

/** Whether `permalink:` names one of Jekyll's styles (`date`, `pretty`...) rather than a pattern. */
export function isPermalinkStyle(permalink: string): boolean {
  return Object.hasOwn(PERMALINK_STYLES, permalink);
}

// ---------------------------------------------------------------------------------------------
// Placeholders (Drops::UrlDrop)
// ---------------------------------------------------------------------------------------------

export interface PermalinkInput {
  /** The post date, already in the site zone (Jekyll's date is always a local Time). */
  readonly date: Instant;
  /** Jekyll's data["categories"] after it merged folders, `category` and `categories`. */
  readonly categories: readonly string[];
  /** The slug from the file name: no date prefix, no extension ("my-post"). */
  readonly basename: string;
  /** Front matter `slug:`; replaces `basename` in :title and :slug, as in Jekyll. */
  readonly slug?: string | undefined;
  /** Front matter `title:`. Accepted but unused: Jekyll's :title comes from the slug. */
  readonly title?: string | undefined;
  /** ".html" for Markdown and HTML posts. */
  readonly outputExt: string;
  /** The collection label for :collection; "posts" when absent. */
  readonly collection?: string | undefined;
  /**
   * The post's path relative to the site source, e.g. "_posts/tech/2024-03-20-my-post.md".
   * Needed for :path and :name (both keep the date prefix); without it they are made from
   * `basename`.
   */
  readonly path?: string | undefined;
  /** The collection folder removed from :path; "_posts" when absent. */
  readonly collectionDirectory?: string | undefined;
}

type PlaceholderValue = (input: PermalinkInput) => string;

/** strftime formats of UrlDrop's date placeholders. */
const DATE_PLACEHOLDERS: Readonly<Record<string, string>> = {
  year: '%Y',
  month: '%m',
  day: '%d',
  hour: '%H',
  minute: '%M',
  second: '%S',
  i_day: '%-d',
  i_month: '%-m',
  short_month: '%b',
  long_month: '%B',
  short_year: '%y',
  w_year: '%G',
  week: '%V',
  w_day: '%u',
  short_day: '%a',
  long_day: '%A',
  y_day: '%j',
};

const PLACEHOLDERS: ReadonlyMap<string, PlaceholderValue> = new Map<string, PlaceholderValue>([
  ['collection', (input) => input.collection ?? 'posts'],
  ['name', (input) => slugify(fileStem(input))],
  // UrlDrop#title: the slug (front matter or file name), pretty mode, case kept.
  ['title', (input) => slugify(input.slug ?? input.basename, 'pretty', true)],
  ['slug', (input) => slugify(input.slug ?? input.basename)],
  ['categories', (input) => uniqueInOrder(input.categories.map(rubyDowncase)).join('/')],
  ['slugified_categories', (input) => uniqueInOrder(input.categories.map((c) => slugify(c))).join('/')],
  ['output_ext', (input) => input.outputExt],
  ['path', cleanedRelativePath],
  ...Object.entries(DATE_PLACEHOLDERS).map(
    ([name, format]): [string, PlaceholderValue] => [name, (input) => strftime(input.date, format)],
  ),
]);

/** The names a permalink may use, for error messages and tests. */
export const PERMALINK_PLACEHOLDERS: readonly string[] = [...PLACEHOLDERS.keys()];

function uniqueInOrder(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Document#basename_without_ext (File.basename(path, ".*")): the file name without its extension. */
function fileStem(input: PermalinkInput): string {
  if (input.path === undefined) return input.basename;
  const name = input.path.slice(input.path.lastIndexOf('/') + 1);
  return name.slice(0, name.length - rubyExtname(name).length);
}

/**
 * Document#cleaned_relative_path: the relative path without its extension, the first
 * occurrence of the collection folder removed, trailing dots removed ("/tech/2024-03-20-x").
 */
function cleanedRelativePath(input: PermalinkInput): string {
  if (input.path === undefined) return `/${input.basename}`;
  const withoutExtension = input.path.slice(0, input.path.length - rubyExtname(input.path).length);
  return withoutExtension.replace(input.collectionDirectory ?? '_posts', '').replace(/\.*$/, '');
}

/**
 * Ruby's File.extname: the last ".ext" of the last segment; leading dots are part of the name
 * ("" for ".md" and "..md"); a trailing dot is an extension ("." for "foo.").
 */
export function rubyExtname(filePath: string): string {
  const name = filePath.slice(filePath.lastIndexOf('/') + 1);
  return /^\.*[^.].*?(\.[^.]*)$/.exec(name)?.[1] ?? '';
}

// ---------------------------------------------------------------------------------------------
// URL generation (URL#generate_url_from_drop, #sanitize_url)
// ---------------------------------------------------------------------------------------------

/**
 * The URL Jekyll 4.3 gives a post for a URL template (site pattern or front-matter permalink):
 * each `:name` is replaced by its escaped value, then the URL is sanitised (leading '/', ".."
 * turned into "/", "./" removed, repeated '/' collapsed). Throws PermalinkError for unknown
 * placeholders and for values Jekyll's URI escaping rejects.
 */
export function permalinkFor(input: PermalinkInput, pattern: string): string {
  return sanitizeUrl(expandPlaceholders(pattern, input));
}

/**
 * Renderer#output_ext: a front-matter permalink that does not end in "/" and has an extension
 * sets the document's output extension ("/feed.xml" -> ".xml", "/:title.:output_ext" ->
 * ".:output_ext"); otherwise the converter's (".html") stands.
 */
export function outputExtFor(frontMatterPermalink: string | undefined, converterOutputExt: string): string {
  if (frontMatterPermalink === undefined || frontMatterPermalink.endsWith('/')) return converterOutputExt;
  const extension = rubyExtname(frontMatterPermalink);
  return extension === '' ? converterOutputExt : extension;
}

/**
 * A front-matter `permalink:`. Jekyll's Document#url expands its placeholders like the site
 * pattern (URL#generated_permalink uses the same drop), but with :output_ext taken from the
 * permalink's own extension (see outputExtFor).
 */
export function permalinkFromFrontMatter(permalink: string, input: PermalinkInput): string {
  return permalinkFor({ ...input, outputExt: outputExtFor(permalink, input.outputExt) }, permalink);
}

export interface PostLocation {
  /** Site-relative URL, e.g. "/tech/2024/03/20/my-post.html". */
  readonly url: string;
  /** Path relative to the destination, e.g. "tech/2024/03/20/my-post.html". */
  readonly outputPath: string;
  /** The document's output_ext (the converter's, or the front-matter permalink's extension). */
  readonly outputExt: string;
}

/**
 * A post's URL and output file as Document#url and #destination make them: the front-matter
 * `permalink` when present (Jekyll uses any string there, even "", which means "/"), else the
 * site pattern (expandPermalinkStyle of `permalink:` in _config.yml).
 */
export function postLocation(
  input: PermalinkInput,
  sitePattern: string,
  frontMatterPermalink?: string,
): PostLocation {
  const outputExt = outputExtFor(frontMatterPermalink, input.outputExt);
  const url = frontMatterPermalink === undefined ? permalinkFor(input, sitePattern) : permalinkFromFrontMatter(frontMatterPermalink, input);
  return { url, outputPath: outputPathFor(url, outputExt), outputExt };
}

/**
 * Jekyll matches `:([a-z_]+)`. A name ending in "_" may mean the placeholder before it
 * ("/:year_:month" -> "2024_03"): Jekyll drops one trailing "_" before looking it up.
 */
function expandPlaceholders(template: string, input: PermalinkInput): string {
  return template.replace(PLACEHOLDER, (match, name: string) => {
    const key = placeholderKey(name);
    const value = PLACEHOLDERS.get(key);
    if (value === undefined) {
      throw new PermalinkError(
        `The permalink "${template}" uses ":${key}", which Jekyll does not know. ` +
          `Use one of: ${PERMALINK_PLACEHOLDERS.map((p) => `:${p}`).join(' ')}.`,
      );
    }
    return escapePath(value(input)) + match.slice(key.length + 1);
  });
}

const PLACEHOLDER = /:([a-z_]+)/g;

function placeholderKey(name: string): string {
  return name.endsWith('_') ? name.slice(0, -1) : name;
}

/** The first placeholder of a pattern Jekyll does not know, without its colon; undefined when all are known. */
export function unknownPlaceholder(template: string): string | undefined {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    const key = placeholderKey(name!);
    if (!PLACEHOLDERS.has(key)) return key;
  }
  return undefined;
}

/** URL#sanitize_url: "/" + url, every ".." -> "/", every "./" removed, "//" squeezed. */
export function sanitizeUrl(url: string): string {
  return `/${url}`.replaceAll('..', '/').replaceAll('./', '').replace(/\/{2,}/g, '/');
}

// ---------------------------------------------------------------------------------------------
// URL.escape_path (Addressable::URI.encode, then the first "#" -> "%23")
// ---------------------------------------------------------------------------------------------

/** Characters each URI component keeps as they are (Addressable's CharacterClasses). */
const UNRESERVED = 'A-Za-z0-9\\-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const PCHAR = `${UNRESERVED}${SUB_DELIMS}:@`;
const ENCODE_IN_AUTHORITY = new RegExp(`[^${PCHAR}\\[\\]]`, 'gu');
const ENCODE_IN_PATH = new RegExp(`[^${PCHAR}/]`, 'gu');
const ENCODE_IN_QUERY = new RegExp(`[^${PCHAR}/?]`, 'gu');

/** RFC 3986 appendix B, as Addressable::URI.parse uses it. */
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/m;

/** Schemes Addressable treats as IP-based: they need a host or a path. */
const IP_BASED_SCHEMES = new Set([
  'http', 'https', 'ftp', 'tftp', 'sftp', 'ssh', 'svn+ssh', 'telnet', 'nntp', 'gopher', 'wais', 'ldap', 'prospero',
]);

/**
 * Jekyll's URL.escape_path for one placeholder value: values made only of [a-zA-Z0-9./-] (on
 * some line, as Ruby's ^$ are line anchors) pass unchanged; others are percent-encoded as
 * Addressable::URI.encode does - which splits "scheme:", "//authority", "?query" and "#fragment"
 * first, so "?" stays, "%" becomes "%25", "#" becomes "%23". Values Addressable refuses (a
 * "scheme" like "my post:", a leading ":") throw PermalinkError, as they crash Jekyll.
 */
export function escapePath(value: string): string {
  if (value === '' || value.split('\n').some((line) => /^[a-zA-Z0-9./-]+$/.test(line))) return value;
  return encodeLikeAddressable(value).replace('#', '%23');
}

function encodeLikeAddressable(value: string): string {
  const parts = URI_PARTS.exec(value);
  if (parts === null) throw new PermalinkError(`Jekyll cannot escape "${value}" for a URL.`);
  const [, scheme, authority, path = '', query, fragment] = parts;
  checkScheme(scheme, value);
  const encodedAuthority = authority === undefined ? undefined : encodeAuthority(authority, value);
  if (scheme !== undefined && IP_BASED_SCHEMES.has(scheme.toLowerCase()) && !encodedAuthority && path === '') {
    throw new PermalinkError(`Jekyll cannot make a URL from "${value}": "${scheme}:" needs a host or a path.`);
  }
  if (scheme === undefined && /^[^/:]*:/.test(path)) {
    throw new PermalinkError(`Jekyll cannot make a URL from "${value}": its first segment has a ":" and no scheme.`);
  }
  return (
    (scheme === undefined ? '' : `${scheme}:`) +
    (encodedAuthority === undefined ? '' : `//${encodedAuthority}`) +
    percentEncode(path, ENCODE_IN_PATH) +
    (query === undefined ? '' : `?${percentEncode(query, ENCODE_IN_QUERY)}`) +
    (fragment === undefined ? '' : `#${percentEncode(fragment, ENCODE_IN_QUERY)}`)
  );
}

/** Addressable only accepts schemes like "c++" or "x.y-z"; "my post" or "2024" raise. */
function checkScheme(scheme: string | undefined, value: string): void {
  if (scheme !== undefined && !/^[a-z][a-z0-9.+-]*$/i.test(scheme)) {
    throw new PermalinkError(
      `Jekyll cannot make a URL from "${value}": "${scheme}:" reads as a URI scheme. Remove the ":" or put a "/" before it.`,
    );
  }
}

/** userinfo@host:port; the host may not hold spaces or <>{}\"; the port must be digits. */
function encodeAuthority(authority: string, value: string): string {
  const userinfo = /^([^[\]]*)@/.exec(authority)?.[1];
  const rest = userinfo === undefined ? authority : authority.slice(userinfo.length + 1);
  const portMatch = /:([^:@[\]]*?)$/.exec(rest);
  const host = portMatch === null ? rest : rest.slice(0, portMatch.index);
  const port = portMatch?.[1];
  if (/[<>{}/\\?#@"\s]/u.test(host)) throw new PermalinkError(`Jekyll cannot make a URL from "${value}": bad host "${host}".`);
  if (port !== undefined && port !== '' && !/^\d+$/.test(port)) {
    throw new PermalinkError(`Jekyll cannot make a URL from "${value}": bad port "${port}".`);
  }
  return (
    (userinfo === undefined ? '' : `${percentEncode(userinfo, ENCODE_IN_AUTHORITY)}@`) +
    percentEncode(host, ENCODE_IN_AUTHORITY) +
    (port === undefined || port === '' ? '' : `:${Number(port)}`)
  );
}

/** Every character outside the component's class becomes %XX per UTF-8 byte (upper-case hex). */
function percentEncode(text: string, unsafe: RegExp): string {
  return text.replace(unsafe, percentEncodeCharacter);
}

function percentEncodeCharacter(character: string): string {
  try {
    return encodeURIComponent(character); // upper-case %XX of the UTF-8 bytes
  } catch {
    return '%EF%BF%BD'; // a lone surrogate: what UTF-8 encoding makes of it
  }
}

// ---------------------------------------------------------------------------------------------
// Output paths (Document#destination)
// ---------------------------------------------------------------------------------------------

/**
 * The file a URL is written to, relative to the destination, as Document#destination does:
 * the URL is percent-decoded, "." segments dropped, "/" or a trailing "/" gets "index.html",
 * and `outputExt` is appended unless the path already ends with it ("/feed.xml" with ".html"
 * -> "feed.xml.html", as Jekyll does for documents). Throws PermalinkError where Jekyll would
 * quietly clamp the path (".." segments, also with "\"), for a start that Windows reads as
 * absolute ("C:", "\"), for NUL bytes, for an empty URL, and for a URL that names the
 * destination itself ("/." with the extension "."), where Jekyll fails writing.
 */
export function outputPathFor(url: string, outputExt = '.html'): string {
  if (url === '') throw new PermalinkError('The URL is empty: a permalink must give at least "/".');
  const decoded = unescapePath(url);
  if (decoded.includes('\0')) throw new PermalinkError(`The URL "${url}" contains a NUL character.`);
  // A line break (a `permalink: |` block) or another control character makes a file name no link reaches.
  if (/[\u0001-\u001f\u007f]/.test(decoded)) throw new PermalinkError(`The URL ${JSON.stringify(decoded)} contains a line break or another control character.`);
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment.split('\\').includes('..'))) {
    throw new PermalinkError(`The URL "${url}" has a ".." segment, which would write outside the site.`);
  }
  if (/^([A-Za-z]:|\\)/.test(segments[0] ?? '')) {
    throw new PermalinkError(`The URL "${url}" starts with a drive or "\\", which would write outside the site on Windows.`);
  }
  const relative = segments.join('/');
  if (url.endsWith('/')) return relative === '' ? 'index.html' : `${relative}/index.html`;
  const file = relative.endsWith(outputExt) ? relative : relative + outputExt;
  // "/." with the extension "." (`permalink: /:title.` and an empty slug) is the site folder itself.
  if (file === '' || file === '.') {
    throw new PermalinkError(`The URL "${url}" names the site folder itself, not a file: give the permalink a file name, or end it with "/".`);
  }
  return file;
}

const utf8Decoder = new TextDecoder('utf-8');

/**
 * URL.unescape_path (Addressable::URI.unencode): every %XX becomes its byte and the result is
 * read as UTF-8 (invalid bytes become U+FFFD). Runs of escapes decode on their own: the text
 * between them is whole characters, so the result is the same as decoding everything at once.
 */
export function unescapePath(url: string): string {
  if (!url.includes('%')) return url;
  return url.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return utf8Decoder.decode(bytes);
  });
}
