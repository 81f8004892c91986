/**
 * The files of a Jekyll site besides posts, sorted as Jekyll 4.3's Reader sorts them
 * (reader.rb, entry_filter.rb): pages (files with front matter, rendered where they are) and
 * static files (copied as they are), skipping what Jekyll skips; and the URL Jekyll gives each
 * page (page.rb, url.rb, utils.rb add_permalink_suffix).
 */
import { escapeRegExp } from './files.js';
import { escapePath, outputPathFor, rubyExtname, sanitizeUrl, PermalinkError } from '../site/permalinks.js';

/** The `_config.yml` keys that decide which files Jekyll reads. */
export interface JekyllFileRules {
  /** Jekyll's `exclude:` with its defaults already added (Config.exclude has them). */
  readonly exclude: readonly string[];
  /** Jekyll's `include:`, which wins over `exclude:` and over the `_`/`.` rule. */
  readonly include: readonly string[];
  /** The output folder relative to the source (`_site`), never read; when it sits in the source. */
  readonly destination?: string;
  /** `layouts_dir`, `includes_dir`, `data_dir`; Jekyll's defaults when absent. */
  readonly layouts_dir?: string;
  readonly includes_dir?: string;
  readonly data_dir?: string;
}

/** A site's files sorted by what Jekyll does with them (paths relative to the source). */
export interface JekyllFiles {
  /** Files with front matter outside `_` folders: rendered in place (about.md, blog/index.html, feed.xml). */
  readonly pages: readonly string[];
  /** Every other file Jekyll copies as it is (css/style.css, images/a.png). */
  readonly staticFiles: readonly string[];
  /** `_layouts/` files (for the Liquid engine); name them with layoutName. */
  readonly layouts: readonly string[];
  /** `_includes/` files. */
  readonly includes: readonly string[];
  /** `_data/` files Jekyll reads (.yml .yaml .json .csv .tsv), for siteData. */
  readonly data: readonly string[];
}

/**
 * Sorts the site's files (every file below the source, relative, `/`-separated) as Jekyll's
 * Reader does, walking folders and filtering each name with EntryFilter:
 *
 * - names starting with `.`, `_`, `#` or `~`, names ending in `~`, and `exclude:` entries are
 *   skipped, with everything below a skipped folder; `include:` entries are read anyway;
 * - an `exclude:` entry matches a path (relative to the source) that it fnmatches, that
 *   starts with it (plain prefix: `Gemfile` also skips `Gemfile.lock`), or a folder it names
 *   with a trailing `/`; `*` matches across `/` (Ruby's File.fnmatch without flags);
 * - an `include:` entry is compared with each file or folder *name* (not its path), so
 *   `.htaccess` brings back that name in every folder;
 * - files whose first line is `---` (hasFrontMatter) are pages, the rest static files.
 *
 * Posts and drafts (`_posts/`, `_drafts/`, `<folder>/_posts/`) are read elsewhere and appear in
 * no list. `_layouts/`, `_includes/` and `_data/` files are listed apart.
 */
export function classifyJekyllFiles(relativePaths: Iterable<string>, rules: JekyllFileRules, hasFrontMatter: (relativePath: string) => boolean): JekyllFiles {
  const layoutsDir = folderName(rules.layouts_dir, '_layouts');
  const includesDir = folderName(rules.includes_dir, '_includes');
  const dataDir = folderName(rules.data_dir, '_data');
  const destination = rules.destination === undefined ? undefined : folderName(rules.destination, '');
  const filter = entryFilterFor(rules);
  const pages: string[] = [];
  const staticFiles: string[] = [];
  const layouts: string[] = [];
  const includes: string[] = [];
  const data: string[] = [];

  for (const relativePath of relativePaths) {
    const parts = relativePath.split('/');
    const top = parts[0]!;
    if (parts.length > 1 && top === layoutsDir) {
      if (!parts.slice(1).some(isSpecialName)) layouts.push(relativePath);
      continue;
    }
    if (parts.length > 1 && top === includesDir) {
      includes.push(relativePath);
      continue;
    }
    if (parts.length > 1 && top === dataDir) {
      if (isDataFile(parts.slice(1).join('/'))) data.push(relativePath);
      continue;
    }
    if (parts.includes('_posts') || parts.includes('_drafts')) continue;
    if (destination !== undefined && destination !== '' && (relativePath === destination || relativePath.startsWith(`${destination}/`))) continue;
    if (!filter.keepsPath(relativePath, false)) continue;
    (hasFrontMatter(relativePath) ? pages : staticFiles).push(relativePath);
  }
  return { pages, staticFiles, layouts, includes, data };
}

/**
 * Whether Jekyll's Reader walks into the folder at `relativePath` (`news/2024`): EntryFilter keeps
 * every folder on the way. Jekyll reads a `<folder>/_posts/` only in folders it walks into, so
 * `exclude: [news]` drops `newsletter/_posts/` (a plain prefix) and `include: [_drafts2]` brings
 * `_drafts2/_posts/` back.
 */
export function jekyllReadsFolder(relativePath: string, rules: Pick<JekyllFileRules, 'exclude' | 'include'>): boolean {
  return entryFilterFor(rules).keepsPath(relativePath, true);
}

/**
 * Whether `exclude:` leaves out the file at `relativePath` of a folder read on its own, as
 * Jekyll's PostReader reads `_posts/`: its EntryFilter checks each post's path from the source
 * (`_posts/2024-01-01-a.md`, or `_posts`, or `*.md`, which matches across `/`) unless `include:`
 * names the file. Quire's own folders (`posts/`, `templates/`, `public/`) match `wholeNames`:
 * a pattern there names whole folders and files, so `temp` (Jekyll's plain prefix) does not take
 * `templates/` and with it every template of the site.
 */
export function excludesFile(relativePath: string, rules: Pick<JekyllFileRules, 'exclude' | 'include'>, matching: 'jekyll' | 'wholeNames' = 'jekyll'): boolean {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const exclude = rules.exclude.filter((pattern) => !rules.include.includes(pattern));
  if (globInclude(rules.include, name, false)) return false;
  // A path in `include:` (`sub/s.psd`, from the site; in a Quire site also from public/, whose
  // files go to the site's root) brings back that file.
  const fromRoot = matching === 'wholeNames' && relativePath.startsWith('public/') ? relativePath.slice('public/'.length) : relativePath;
  if (rules.include.some((pattern) => pattern.includes('/') && [relativePath, fromRoot].some((file) => fnmatch(pattern.replace(/^\.?\/+/, ''), file)))) return false;
  if (matching === 'jekyll') return globInclude(exclude, relativePath, false);
  return exclude.some((pattern) => {
    const whole = pattern.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    return relativePath === whole || relativePath.startsWith(`${whole}/`) || fnmatch(whole, relativePath);
  });
}

/** EntryFilter for a site's rules, with its verdicts remembered (per rules object: per config). */
interface EntryFilter {
  /** Whether Jekyll keeps the file or folder at `relativePath` and every folder above it. */
  keepsPath(relativePath: string, isFolder: boolean): boolean;
}

const entryFilters = new WeakMap<object, EntryFilter>();

function entryFilterFor(rules: Pick<JekyllFileRules, 'exclude' | 'include'>): EntryFilter {
  let filter = entryFilters.get(rules);
  if (filter) return filter;
  const exclude = rules.exclude.filter((pattern) => !rules.include.includes(pattern));
  const verdicts = new Map<string, boolean>();
  const kept = (relativePath: string, isFolder: boolean): boolean => {
    const key = `${isFolder ? 'd' : 'f'}:${relativePath}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = entryKept(relativePath, isFolder, exclude, rules.include);
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  filter = {
    keepsPath(relativePath, isFolder) {
      const parts = relativePath.split('/');
      for (let depth = 1; depth <= parts.length; depth++) {
        if (!kept(parts.slice(0, depth).join('/'), depth < parts.length || isFolder)) return false;
      }
      return true;
    },
  };
  entryFilters.set(rules, filter);
  return filter;
}

/** EntryFilter#filter: false when Jekyll skips this file or folder. */
function entryKept(relativePath: string, isFolder: boolean, exclude: readonly string[], include: readonly string[]): boolean {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  if (name.endsWith('.')) return false;
  // `included?` looks at the entry's name within its folder (its folder test joins the bare name
  // to the source, so only top-level folders count as folders), and, as Jekyll 4.3.1 does, at its
  // path (`include: [sub/s.psd]` brings back that file past `exclude: ["*.psd"]`).
  const included = globInclude(include, name, isFolder && relativePath === name) || (relativePath !== name && include.some((pattern) => pattern.includes('/') && fnmatch(pattern.replace(/^\.?\/+/, ''), relativePath)));
  if (!included && globInclude(exclude, relativePath, isFolder)) return false;
  if (included) return true;
  return !isSpecialName(name);
}

/** Names Jekyll never reads unless included: `.x`, `_x`, `#x`, `~x`, `x~`. */
function isSpecialName(name: string): boolean {
  return /^[._#~]/.test(name) || name.endsWith('~');
}

/**
 * EntryFilter#glob_include?: the entry (joined to the source) fnmatches a pattern, starts with
 * it, or is a folder the pattern names with a trailing "/".
 */
function globInclude(patterns: readonly string[], entry: string, isFolder: boolean): boolean {
  const entryWithSource = joinToSource(entry);
  return patterns.some((pattern) => {
    const patternWithSource = joinToSource(pattern);
    return fnmatch(patternWithSource, entryWithSource) || entryWithSource.startsWith(patternWithSource) || (isFolder && patternWithSource === `${entryWithSource}/`);
  });
}

/** PathManager.join(site.source, path) with the source as "/": File.join drops doubled slashes at the seam. */
function joinToSource(relative: string): string {
  return `/${relative.replace(/^\/+/, '')}`;
}

const fnmatchCache = new Map<string, RegExp>();

/**
 * Ruby's File.fnmatch(pattern, path) without flags: `*` matches any run (slashes too), `?` one
 * character, `[...]` a class (`[!...]`/`[^...]` negated), `\` escapes; no braces.
 */
export function fnmatch(pattern: string, text: string): boolean {
  let regex = fnmatchCache.get(pattern);
  if (!regex) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const char = pattern[i]!;
      if (char === '*') source += '[\\s\\S]*';
      else if (char === '?') source += '[\\s\\S]';
      else if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
      else if (char === '[') {
        const end = pattern.indexOf(']', i + 2);
        if (end === -1) source += '\\[';
        else {
          let body = pattern.slice(i + 1, end);
          const negated = body.startsWith('!') || body.startsWith('^');
          if (negated) body = body.slice(1);
          source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
          i = end;
        }
      } else source += escapeRegExp(char);
    }
    regex = new RegExp(`^${source}$`);
    fnmatchCache.set(pattern, regex);
  }
  return regex.test(text);
}

function folderName(value: string | undefined, fallback: string): string {
  return (value ?? fallback).replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/** The extensions DataReader reads (lower case only, as its glob is). */
const DATA_EXTENSIONS = ['.yml', '.yaml', '.json', '.csv', '.tsv'];

/** A `_data/` file Jekyll reads: a data extension, no dot-file or dot-folder on the way. */
export function isDataFile(pathBelowData: string): boolean {
  const parts = pathBelowData.split('/');
  return !parts.some((part) => part.startsWith('.')) && DATA_EXTENSIONS.some((extension) => pathBelowData.endsWith(extension));
}

/** A layout's name: its path below `_layouts/` without the extension (`default`, `blog/post`). */
export function layoutName(pathBelowLayouts: string): string {
  return pathBelowLayouts.slice(0, pathBelowLayouts.length - rubyExtname(pathBelowLayouts).length);
}

/**
 * Jekyll's Utils.has_yaml_header?: the first line is `---` followed only by whitespace. (A
 * byte-order mark before it is allowed here, as Quire's front-matter reader allows it.)
 */
export function hasYamlHeader(text: string): boolean {
  return /^\uFEFF?---[ \t\f\v\r]*\n/.test(text);
}

/** What a page becomes: where it is written and how its text is converted. */
export interface PageLocation {
  /** Site-relative URL without baseurl (`/about.html`, `/about/`, `/`). */
  readonly url: string;
  /** Output path relative to the destination (`about.html`, `about/index.html`). */
  readonly outputPath: string;
  /** The output extension (`.html` for markdown and HTML, the file's own otherwise). */
  readonly outputExt: string;
  /**
   * How the text is converted after Liquid: `markdown` to HTML, `sass` (Jekyll compiles it;
   * Quire does not), or `none` (written as Liquid made it: HTML, XML, CSS, JSON, txt...).
   */
  readonly converter: 'markdown' | 'sass' | 'none';
}

/** kramdown's extensions, Jekyll's default `markdown_ext`. */
export const DEFAULT_MARKDOWN_EXTENSIONS: readonly string[] = ['markdown', 'mkdown', 'mkdn', 'mkd', 'md'];

const HTML_EXTENSIONS = new Set(['.html', '.xhtml', '.htm']);

/**
 * The URL and output file of a page, as Jekyll 4.3's Page#url and #destination make them:
 *
 * - `permalink:` in the front matter wins (its `:path`, `:basename`, `:output_ext` filled in;
 *   other `:names` stay as written); its own extension, if any, becomes the output extension;
 * - else a non-HTML output keeps its name (`feed.xml` -> `/feed.xml`), an index page is its
 *   folder (`blog/index.html` -> `/blog/`), and other HTML pages follow the site `permalink`
 *   style: `pretty` or a pattern ending in `/` gives `/about/`; `date`, `ordinal`, `none` or a
 *   pattern ending in `:output_ext` give `/about.html`; anything else (`weekdate`,
 *   `/:year/:title`) gives `/about`, written to `about.html`.
 *
 * Throws PermalinkError for a permalink that would write outside the site.
 */
export function pageUrl(
  relativePath: string,
  frontMatter: Readonly<Record<string, unknown>>,
  permalinkStyle: string | null | undefined,
  markdownExtensions: readonly string[] = DEFAULT_MARKDOWN_EXTENSIONS,
): PageLocation {
  const slash = relativePath.lastIndexOf('/');
  const dir = slash === -1 ? '' : relativePath.slice(0, slash);
  const name = relativePath.slice(slash + 1);
  const ext = rubyExtname(name);
  const basename = name.slice(0, name.length - ext.length).replace(/\.+$/, '');
  const lowerExt = ext.toLowerCase();
  const converter: PageLocation['converter'] = markdownExtensions.some((candidate) => `.${candidate.toLowerCase()}` === lowerExt)
    ? 'markdown'
    : lowerExt === '.scss' || lowerExt === '.sass'
      ? 'sass'
      : 'none';
  const converterExt = converter === 'markdown' ? '.html' : converter === 'sass' ? '.css' : ext;
  const permalink = frontMatter.permalink;
  const hasPermalink = typeof permalink === 'string';
  // Renderer#permalink_ext: a permalink not ending in "/" lends its extension.
  const permalinkExt = hasPermalink && !permalink.endsWith('/') ? rubyExtname(permalink) : '';
  const outputExt = permalinkExt !== '' ? permalinkExt : converterExt;
  const template = hasPermalink ? permalink : pageTemplate(HTML_EXTENSIONS.has(outputExt), basename === 'index', permalinkStyle ?? 'date');
  const url = sanitizeUrl(fillPlaceholders(template, [
    ['path', dir],
    ['basename', basename],
    ['output_ext', outputExt],
  ]));
  return { url, outputPath: outputPathFor(url, outputExt), outputExt, converter };
}

/** Page#template with Utils.add_permalink_suffix. */
function pageTemplate(html: boolean, index: boolean, style: string): string {
  if (!html) return '/:path/:basename:output_ext';
  if (index) return '/:path/';
  if (style === 'pretty') return '/:path/:basename/';
  if (style === 'date' || style === 'ordinal' || style === 'none') return '/:path/:basename:output_ext';
  let template = '/:path/:basename';
  if (style.endsWith('/')) template += '/';
  if (style.endsWith(':output_ext')) template += ':output_ext';
  return template;
}

/** URL#generate_url_from_hash: each `:key` replaced by its escaped value, in order. */
function fillPlaceholders(template: string, values: ReadonlyArray<readonly [string, string]>): string {
  let result = template;
  for (const [key, value] of values) {
    if (!result.includes(':')) break;
    result = result.replaceAll(`:${key}`, escapePath(value));
  }
  return result;
}

/** Page#to_liquid's own keys (ATTRIBUTES_FOR_LIQUID), for a page's `page` variable. */
export interface PageVariables extends Record<string, unknown> {
  readonly url: string;
  /** Site-relative path of the source (`blog/about.md`). */
  readonly path: string;
  /** The file name (`about.md`). */
  readonly name: string;
  /** The URL's folder, with slashes (`/blog/`; the URL itself when it ends in `/`). */
  readonly dir: string;
}

/**
 * The `page` variable of a page: its front matter, then Jekyll's own keys over it. Add
 * `content` (the converted HTML) before rendering layouts, as Jekyll does.
 */
export function pageVariables(relativePath: string, frontMatter: Readonly<Record<string, unknown>>, location: Pick<PageLocation, 'url'>): PageVariables {
  const url = location.url;
  const dir = url.endsWith('/') ? url : url.slice(0, url.lastIndexOf('/') + 1);
  return { ...frontMatter, url, path: relativePath, name: relativePath.slice(relativePath.lastIndexOf('/') + 1), dir };
}

export { PermalinkError };
