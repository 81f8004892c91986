import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, codeFrame } from './errors.js';
import { parseYaml, YamlError, yamlInputError } from './content/yaml.js';
import { canonicalTimeZone, isValidTimeZone, systemTimeZone, unreadableTimeZone, zoneOfTz } from './dates.js';
import { escapeRegExp } from './content/files.js';
import { expandPermalinkStyle, outputPathFor, PermalinkError, PERMALINK_PLACEHOLDERS, unknownPlaceholder } from './site/permalinks.js';
import { pagePath } from './site/pagination.js';

/** Labels for the coordinate map; every key optional. */
export interface MapConfig {
  readonly x_label?: string;
  readonly y_label?: string;
  /** Labels of the four quadrants: top-left, top-right, bottom-left, bottom-right. */
  readonly quadrants?: readonly string[];
  /** How many nearby posts a post page lists. */
  readonly nearby: number;
  /** Any other keys the site's `map:` has, for its templates. */
  readonly [key: string]: unknown;
}

/**
 * The Atom feeds, with jekyll-feed's keys (templates see them as `site.feed.*`, with any other
 * keys the site's `feed:` has).
 */
export interface FeedConfig {
  /** Posts per feed. */
  readonly posts_limit: number;
  /** Where the site's feed goes, from the site's root. */
  readonly path: string;
  /** Leave each post's content out of its entry (a post's own `feed: {excerpt_only: true}` does too). */
  readonly excerpt_only: boolean;
  /** Categories that also get a feed where jekyll-feed writes it, `/feed/<name>.xml` (the name as written). */
  readonly categories: readonly string[];
  readonly [key: string]: unknown;
}

/**
 * The site configuration: Jekyll's keys with Jekyll's defaults, Quire's own (`map`, `feed`), and
 * every other key from `_config.yml` kept for templates as `site.<key>`.
 */
export interface Config {
  /** Absolute path of the site source. */
  readonly source: string;
  /** Absolute path of the output folder. */
  readonly destination: string;
  readonly title: string;
  readonly description: string;
  /** The site's author: a name, or a map with `name` (and `email`, `uri`, `twitter`, …). */
  readonly author: string | Readonly<Record<string, unknown>>;
  readonly url: string;
  readonly baseurl: string;
  readonly permalink: string;
  /** IANA zone dates are read and shown in; the machine's zone when not configured, as Jekyll. */
  readonly timezone: string;
  readonly excerpt_separator: string;
  readonly paginate: number | null;
  readonly paginate_path: string;
  readonly future: boolean;
  readonly show_drafts: boolean;
  /** Render posts marked `published: false` (Jekyll's --unpublished). */
  readonly unpublished: boolean;
  readonly exclude: readonly string[];
  readonly include: readonly string[];
  /** The site's language, only when `_config.yml` gives one (Quire's theme then says `en`). */
  readonly lang?: string;
  readonly map: MapConfig;
  readonly feed: FeedConfig;
  /** Production builds leave out preview-only scripts (QUIRE_ENV/JEKYLL_ENV=production). */
  readonly environment: string;
  readonly [key: string]: unknown;
}

/** What the command line may override. */
export interface ConfigOverrides {
  readonly destination?: string;
  readonly drafts?: boolean;
  readonly future?: boolean;
  readonly unpublished?: boolean;
  readonly configFile?: string;
  readonly environment?: string;
  /** `--baseurl`: the path the site is served under, over `baseurl:` (GitHub Pages' workflow gives it). */
  readonly baseurl?: string;
}

const JEKYLL_EXCLUDES = ['.sass-cache', '.jekyll-cache', 'gemfiles', 'Gemfile', 'Gemfile.lock', 'node_modules', 'vendor/bundle/', 'vendor/cache/', 'vendor/gems/', 'vendor/ruby/'];

/**
 * Reads `_config.yml` (or `configFile`) under `sourceDir` and returns the frozen configuration.
 * A missing default config file means all defaults, as in Jekyll.
 */
export function loadConfig(sourceDir: string, overrides: ConfigOverrides = {}): Config {
  const source = path.resolve(sourceDir);
  // A mistyped --source would otherwise build an empty site, making the folder for it.
  if (!isFolder(source)) {
    throw new InputError({ file: sourceDir, message: `there is no site folder ${source}`, hint: 'check --source; `quire init <folder>` starts a new site' });
  }
  const file = overrides.configFile ? path.resolve(overrides.configFile) : path.join(source, '_config.yml');
  const shown = path.relative(process.cwd(), file) || file;
  const { raw, text } = readConfigFile(file, shown, overrides.configFile !== undefined);
  const config = resolveConfig(source, raw, overrides, shown, text);
  destinationSettings.set(config, overrides.destination !== undefined ? '--destination' : shown);
  return config;
}

/** Where each loaded configuration's destination was chosen, for errors about it. */
const destinationSettings = new WeakMap<Config, string>();

/** Where the destination was chosen: `--destination`, or the settings file (also when left to its default). */
export function destinationSetting(config: Config): string {
  return destinationSettings.get(config) ?? '_config.yml';
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The settings in `file` (`shown` in errors); a missing file that is not `required` means none. */
function readConfigFile(file: string, shown: string, required: boolean): { raw: Record<string, unknown>; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && code === 'ENOENT') return { raw: {}, text: '' };
    if (code === 'ENOENT') throw new InputError({ file: shown, message: 'there is no such configuration file', hint: 'check the path given to --config' });
    throw new InputError({ file: shown, message: `cannot read the configuration file: ${(error as Error).message}` });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw yamlInputError(error, text, shown, 'configuration');
  }
  if (data === null || data === undefined) return { raw: {}, text };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError({ file: shown, line: 1, message: 'the configuration must be a map of `key: value` lines' });
  }
  return { raw: data as Record<string, unknown>, text };
}

/**
 * Applies defaults and checks types; pure, so tests can build configs without files. `text`, the
 * YAML the values came from, lets errors and warnings name the line of a key.
 */
export function resolveConfig(source: string, raw: Record<string, unknown>, overrides: ConfigOverrides = {}, file = '_config.yml', text?: string): Config {
  const check = new ConfigChecker(raw, file, text);
  const paginate = check.positiveIntegerOrNull('paginate');
  const destination = overrides.destination ?? check.path('destination', '_site');
  const environment = overrides.environment ?? process.env.QUIRE_ENV ?? process.env.JEKYLL_ENV ?? 'development';
  // Quire's own settings are maps; their values are checked one by one below.
  const mapSettings = check.map('map');
  const feedSettings = check.map('feed');
  // minima's key, which the default theme reads too: checked, but left unset when unset, as Jekyll
  // leaves it (the theme then decides by `paginate`).
  check.boolean('show_excerpts', false);
  const config: Config = {
    ...raw,
    source,
    // As Ruby's File.expand_path, which Jekyll uses: `~/site` is in the home folder.
    destination: path.resolve(source, destination.replace(/^~(?=\/|$)/, os.homedir())),
    title: check.string('title', ''),
    description: check.string('description', ''),
    // A map (`{name, email, twitter}`) stays one: themes print `site.author.name` and `.email`.
    author: raw.author !== null && typeof raw.author === 'object' && !Array.isArray(raw.author) ? (raw.author as Readonly<Record<string, unknown>>) : authorName(raw.author),
    url: check.string('url', '').replace(/\/+$/, ''),
    baseurl: normaliseBaseurl(overrides.baseurl ?? check.string('baseurl', '')),
    permalink: check.permalink('permalink', 'date'),
    timezone: check.timezone('timezone') ?? systemTimeZone(),
    excerpt_separator: check.string('excerpt_separator', '\n\n'),
    paginate,
    paginate_path: check.paginatePath('paginate_path', '/page:num/', paginate !== null),
    future: overrides.future ?? check.boolean('future', false),
    show_drafts: overrides.drafts ?? check.boolean('show_drafts', false),
    unpublished: overrides.unpublished ?? check.boolean('unpublished', false),
    exclude: [...JEKYLL_EXCLUDES, ...check.stringList('exclude')],
    include: check.stringList('include'),
    // Only when given: Jekyll has no default, and a theme's `site.lang | default: "en-US"` must see none.
    ...(raw.lang === undefined || raw.lang === null ? {} : { lang: check.string('lang', 'en') }),
    map: {
      ...mapSettings,
      x_label: check.innerText('map', 'x_label'),
      y_label: check.innerText('map', 'y_label'),
      quadrants: check.innerQuadrants('map', 'quadrants'),
      nearby: check.innerCount('map', 'nearby', 3, 0),
    },
    feed: {
      ...feedSettings,
      // jekyll-feed's key; `limit` is what Quire read before it, still honoured.
      posts_limit: check.innerCount('feed', 'posts_limit', check.innerCount('feed', 'limit', 10, 1), 1),
      path: check.innerPath('feed', 'path', 'feed.xml'),
      excerpt_only: check.innerBoolean('feed', 'excerpt_only'),
      categories: check.innerFileNames('feed', 'categories'),
    },
    environment,
  };
  Object.freeze(config);
  warningsOf.set(config, [...unknownKeyWarnings(raw, check), ...urlWarnings(config.url, check), ...unknownInnerKeyWarnings('map', mapSettings, check), ...unknownInnerKeyWarnings('feed', feedSettings, check), ...unwrittenFeedWarnings(feedSettings, check), ...machineZoneWarnings(raw)]);
  return config;
}

const warningsOf = new WeakMap<Config, readonly string[]>();

/** A site without `timezone:` on a machine whose $TZ Quire cannot read (Jekyll could): its dates are UTC. */
function machineZoneWarnings(raw: Record<string, unknown>): string[] {
  const unread = raw.timezone === undefined || raw.timezone === null ? unreadableTimeZone() : null;
  return unread === null ? [] : [`$TZ is ${unread}, a rule with daylight saving Quire cannot read, so dates are shown in UTC (Jekyll would use it); set \`timezone:\` in _config.yml to the zone's name, such as Europe/Berlin`];
}

/**
 * What looked wrong in the configuration without stopping the build (a misspelt key), one line
 * each, for the command line to print. Kept beside the Config rather than in it, so templates
 * never see them as `site.<key>`.
 */
export function configWarnings(config: Config): readonly string[] {
  return warningsOf.get(config) ?? [];
}

/**
 * Jekyll's documented configuration keys (jekyllrb.com/docs/configuration/), the keys of the
 * plugins GitHub Pages sites commonly use, minima's `show_excerpts`, and Quire's own (`map`, `feed`, `jekyll_site`).
 */
export const KNOWN_CONFIG_KEYS: readonly string[] = [
  'source', 'destination', 'collections_dir', 'plugins_dir', 'layouts_dir', 'data_dir', 'includes_dir',
  'collections', 'safe', 'include', 'exclude', 'keep_files', 'encoding', 'markdown_ext',
  'strict_front_matter', 'show_drafts', 'limit_posts', 'future', 'unpublished', 'whitelist', 'plugins',
  'markdown', 'highlighter', 'lsi', 'excerpt_separator', 'incremental', 'detach', 'port', 'host',
  'baseurl', 'show_dir_listing', 'permalink', 'paginate_path', 'timezone', 'quiet', 'verbose',
  'defaults', 'liquid', 'kramdown', 'title', 'description', 'url', 'author', 'email', 'lang',
  'paginate', 'twitter', 'social', 'logo', 'feed', 'jekyll-archives', 'sass', 'theme', 'repository',
  'github', 'google_analytics', 'header_pages', 'minima', 'sitemap', 'tag_dir', 'category_dir',
  'map', 'jekyll_site', 'show_excerpts',
];

/**
 * A key that is not a known setting but is one or two typing mistakes away from one
 * (`permalnk`) is probably a typo, and the setting silently keeps its default: warn. Keys far
 * from every known one (`flavour`) are the site's own data for templates and stay silent.
 */
/**
 * `url:` is a scheme and a host (and port): without a scheme, the feed's and sitemap's links come
 * out as paths; with a path after the host, stylesheets and links (which take `baseurl`, not
 * `url`) point outside the site served under that path.
 */
function urlWarnings(url: string, check: ConfigChecker): string[] {
  if (url === '') return [];
  const parsed = /^([a-z][a-z0-9+.-]*:)?\/\/[^/]+(\/.*)?$/i.exec(url);
  if (!parsed || parsed[1] === undefined) {
    return [`${check.where('url')}: \`url: ${url}\` has no scheme, so the feed, the sitemap and canonical links would point at paths, not at the site; write it with https://, like \`url: "https://${url.replace(/^\/+/, '')}"\``];
  }
  const pathPart = parsed[2] ?? '';
  if (pathPart !== '' && pathPart !== '/') {
    return [`${check.where('url')}: \`url\` ends in a path (${pathPart}): links and stylesheets take the path from \`baseurl\`, so they would miss it; keep \`url\` to the scheme and host and set \`baseurl: "${pathPart.replace(/\/+$/, '')}"\``];
  }
  return [];
}

function unknownKeyWarnings(raw: Record<string, unknown>, check: ConfigChecker): string[] {
  const known = new Set(KNOWN_CONFIG_KEYS);
  const warnings: string[] = [];
  for (const key of Object.keys(raw)) {
    if (known.has(key)) continue;
    const meant = typoOf(key, KNOWN_CONFIG_KEYS);
    if (meant !== undefined) warnings.push(`${check.where(key)}: \`${key}\` is not a known setting; did you mean \`${meant}\`?`);
  }
  return warnings;
}

/**
 * The keys read inside `map:` (Quire's own) and `feed:` (jekyll-feed's, of which Quire honours
 * `path`, `posts_limit`, `excerpt_only` and `categories`; `limit` is Quire's older name for
 * `posts_limit`).
 */
const KNOWN_INNER_KEYS: Readonly<Record<'map' | 'feed', readonly string[]>> = {
  map: ['x_label', 'y_label', 'quadrants', 'nearby'],
  feed: ['path', 'posts_limit', 'limit', 'excerpt_only', 'categories', 'tags', 'collections', 'disable_in_development'],
};

/**
 * Warnings for keys inside `map:` or `feed:` that are one or two typing mistakes from a known one.
 * Both are kept for templates as written (`site.map.*`, `site.feed.*`, which a Jekyll theme may
 * use for its own settings), so other keys stay silent.
 */
function unknownInnerKeyWarnings(parent: 'map' | 'feed', settings: Record<string, unknown>, check: ConfigChecker): string[] {
  const known = KNOWN_INNER_KEYS[parent];
  const warnings: string[] = [];
  for (const key of Object.keys(settings)) {
    if (known.includes(key)) continue;
    const meant = typoOf(key, known);
    if (meant !== undefined) warnings.push(`${check.whereInner(parent, key)}: \`${parent}.${key}\` is not a known setting; did you mean \`${parent}.${meant}\`?`);
  }
  return warnings;
}

/** Warnings for jekyll-feed settings that ask for feeds Quire does not write: per tag, or of collections other than posts. */
function unwrittenFeedWarnings(feed: Record<string, unknown>, check: ConfigChecker): string[] {
  const warnings: string[] = [];
  const { tags, collections } = feed;
  if (tags !== undefined && tags !== null && tags !== false) warnings.push(`${check.whereInner('feed', 'tags')}: \`feed.tags\` asks jekyll-feed for a feed per tag (/feed/by_tag/<tag>.xml), which Quire does not write`);
  const named = Array.isArray(collections) ? collections : collections !== null && typeof collections === 'object' ? Object.keys(collections) : [];
  const others = named.filter((name) => name !== 'posts');
  if (others.length > 0) warnings.push(`${check.whereInner('feed', 'collections')}: \`feed.collections\` asks jekyll-feed for feeds of ${others.map((name) => `\`${String(name)}\``).join(', ')}, which Quire does not write (only posts have feeds)`);
  return warnings;
}

/**
 * The known key `key` is probably a misspelling of: one or two typing mistakes away (`permalnk`).
 * Keys of four letters or fewer must be a single mistake away, or short custom keys (`tag`,
 * `home`) would be taken for `lang` and `host`.
 */
function typoOf(key: string, known: readonly string[]): string | undefined {
  const limit = key.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = typoDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edit distance where swapping two neighbouring letters (`pagniate`) counts as one mistake. */
function typoDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The 1-based line where a top-level `key:` is written in YAML text, if it can be found. */
export function lineOfKey(text: string, key: string): number | undefined {
  const escaped = escapeRegExp(key);
  const pattern = new RegExp(`^(?:${escaped}|"${escaped}"|'${escaped}')[ \t]*:(?:[ \t]|$)`);
  const lines = text.split(/\r?\n/);
  // A key written twice takes its last value, as in Jekyll: that is the line to show.
  const index = lines.findLastIndex((line) => pattern.test(line));
  return index < 0 ? undefined : index + 1;
}

function fileAndLine({ file, line }: { file: string; line?: number }): string {
  return line === undefined ? file : `${file}:${line}`;
}

/** The line of `key:` in the indented block under a top-level `parent:`, if written as a block. */
export function lineOfInnerKey(text: string, parent: string, key: string): number | undefined {
  const start = lineOfKey(text, parent);
  if (start === undefined) return undefined;
  const escaped = escapeRegExp(key);
  const pattern = new RegExp(`^[ \t]+(?:${escaped}|"${escaped}"|'${escaped}')[ \t]*:(?:[ \t]|$)`);
  const lines = text.split(/\r?\n/);
  for (let index = start; index < lines.length; index++) {
    const line = lines[index]!;
    // The block ends at the next line that is not indented (blank lines and comments aside).
    if (!/^([ \t]|#|$)/.test(line)) return undefined;
    if (pattern.test(line)) return index + 1;
  }
  return undefined;
}

/** jekyll-seo-tag accepts `author` as a string or a map with `name`. */
function authorName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') return (value as { name: string }).name;
  return '';
}

/** Jekyll treats `baseurl: /` like no baseurl, and a baseurl always starts with `/`. */
function normaliseBaseurl(value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Reads typed values from the raw config, turning a wrong type into an InputError naming the key
 * and, when the YAML text is known, its line with a code frame.
 */
class ConfigChecker {
  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly file: string,
    private readonly text?: string,
  ) {}

  /** Where a key is written: the file, its line when found and a frame to show it. */
  private location(key: string): { file: string; line?: number; frame?: string } {
    const line = this.text === undefined ? undefined : lineOfKey(this.text, key);
    return line === undefined ? { file: this.file } : { file: this.file, line, frame: codeFrame(this.text!, line) };
  }

  /** location() of a key inside a map setting (`nearby` of `map:`); the setting's when written inline. */
  private innerLocation(parent: string, key: string): { file: string; line?: number; frame?: string } {
    const line = this.text === undefined ? undefined : lineOfInnerKey(this.text, parent, key);
    return line === undefined ? this.location(parent) : { file: this.file, line, frame: codeFrame(this.text!, line) };
  }

  /** "file:line" (or just "file") of a key, for one-line warnings. */
  where(key: string): string {
    return fileAndLine(this.location(key));
  }

  /** where() of a key inside a map setting. */
  whereInner(parent: string, key: string): string {
    return fileAndLine(this.innerLocation(parent, key));
  }

  private wrongType(key: string, expected: string, hint?: string): InputError {
    return this.wrongValue(key, key, this.raw[key], expected, hint);
  }

  /** `name` (a key, or `map.nearby` inside `map:`) must be `expected`; reported at `key`'s line. */
  private wrongValue(key: string, name: string, value: unknown, expected: string, hint?: string, at = this.location(key)): InputError {
    return new InputError({
      ...at,
      // JSON would print .inf and .nan as null.
      message: `\`${name}\` must be ${expected}, but it is ${typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value)}`,
      ...(hint === undefined ? {} : { hint }),
    });
  }

  /** wrongValue for `key` inside the map setting `parent`, at its own line (see innerLocation). */
  private wrongInnerValue(parent: string, key: string, value: unknown, expected: string): InputError {
    return this.wrongValue(parent, `${parent}.${key}`, value, expected, undefined, this.innerLocation(parent, key));
  }

  /**
   * `permalink:`: a style name or a pattern of Jekyll's placeholders, checked here once rather
   * than failing every post that uses it.
   */
  permalink(key: string, fallback: string): string {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') throw this.wrongType(key, 'a style (`date`, `pretty`, `ordinal`, `weekdate`, `none`) or a pattern such as `/:year/:title/`');
    const unknown = unknownPlaceholder(expandPermalinkStyle(value));
    if (unknown !== undefined) {
      throw new InputError({
        ...this.location(key),
        message: `\`${key}\` uses ":${unknown}", which Jekyll does not know`,
        hint: `use one of: ${PERMALINK_PLACEHOLDERS.map((known) => `:${known}`).join(' ')}`,
      });
    }
    return value;
  }

  /** `paginate_path:` must place the page number (`:num`) when pages are numbered, or all would be written to one file. */
  /** A folder's path: text without the NUL character no file name can hold. */
  path(key: string, fallback: string): string {
    const value = this.string(key, fallback);
    if (value.includes('\0')) throw new InputError({ ...this.location(key), message: `\`${key}\` holds a NUL character, which no path can`, hint: 'write the folder\'s path as plain text, such as _site' });
    return value;
  }

  paginatePath(key: string, fallback: string, paginated: boolean): string {
    const value = this.string(key, fallback);
    if (paginated && !value.includes(':num')) throw this.wrongType(key, 'a path with `:num` where the page number goes, such as /page:num/');
    if (paginated) {
      // Where page 2 would be written: a path out of the site (`..`) is a mistake here, not in each list.
      try {
        outputPathFor(pagePath(2, '/', value));
      } catch (error) {
        if (!(error instanceof PermalinkError)) throw error;
        throw new InputError({ ...this.location(key), message: `\`${key}: ${value}\` cannot be used: ${error.message}`, hint: 'write a path inside the site, such as /page:num/' });
      }
    }
    return value;
  }

  /** A value inside a map setting (`limit` of `feed:`); absent when the setting is not a map. */
  private inner(parent: string, key: string): unknown {
    const map = this.raw[parent];
    return map !== null && typeof map === 'object' && !Array.isArray(map) ? (map as Record<string, unknown>)[key] : undefined;
  }

  innerText(parent: string, key: string): string | undefined {
    const value = this.inner(parent, key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw this.wrongInnerValue(parent, key, value, 'text');
  }

  innerCount(parent: string, key: string, fallback: number, least: number): number {
    const value = this.inner(parent, key);
    if (value === undefined || value === null) return fallback;
    // Quoted digits too (`posts_limit: "5"`), which Ruby's Liquid takes as the number.
    const count = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof count === 'number' && Number.isInteger(count) && count >= least) return count;
    throw this.wrongInnerValue(parent, key, value, `a whole number of ${least} or more`);
  }

  /** A list of names (or one name) inside a map setting, each usable as a file name (`feed/<name>.xml`). */
  innerFileNames(parent: string, key: string): string[] {
    const value = this.inner(parent, key);
    if (value === undefined || value === null) return [];
    const names = typeof value === 'string' ? [value] : value;
    const fileName = (name: unknown) => typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
    if (Array.isArray(names) && names.every(fileName)) return names as string[];
    throw this.wrongInnerValue(parent, key, value, 'a list of names, each usable as a file name (no `/`)');
  }

  innerBoolean(parent: string, key: string): boolean {
    const value = this.inner(parent, key);
    if (value === undefined || value === null) return false;
    if (typeof value === 'boolean') return value;
    throw this.wrongInnerValue(parent, key, value, '`true` or `false`');
  }

  innerQuadrants(parent: string, key: string): string[] | undefined {
    const value = this.inner(parent, key);
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.length === 4 && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.map(String);
    throw this.wrongInnerValue(parent, key, value, 'a list of four labels (top-left, top-right, bottom-left, bottom-right)');
  }

  /** A path in the site, such as `feed.xml` or `feeds/all.xml`. */
  innerPath(parent: string, key: string, fallback: string): string {
    const value = this.inner(parent, key);
    if (value === undefined || value === null) return fallback;
    const clean = typeof value === 'string' ? value.replace(/^\/+/, '') : '';
    if (clean !== '' && !clean.split('/').some((part) => part === '..' || part === '.' || part === '') && !clean.includes('\\')) return clean;
    throw this.wrongInnerValue(parent, key, value, 'a path inside the site, such as feed.xml');
  }

  string(key: string, fallback: string): string {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    throw this.wrongType(key, 'text');
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    // YAML 1.1 (Jekyll's) reads these words as booleans; YAML 1.2 reads them as text.
    const word = typeof value === 'string' && /^(y|yes|n|no|on|off)$/i.test(value);
    throw this.wrongType(key, '`true` or `false`', word ? `write ${/^(y|yes|on)$/i.test(value) ? 'true' : 'false'}: Quire reads YAML 1.2, where \`${value}\` is text` : undefined);
  }

  positiveIntegerOrNull(key: string): number | null {
    const value = this.raw[key];
    if (value === undefined || value === null || value === false) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    throw this.wrongType(key, 'a whole number above 0');
  }

  stringList(key: string): string[] {
    const value = this.raw[key];
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
    throw this.wrongType(key, 'a list of names');
  }

  map(key: string): Record<string, unknown> {
    const value = this.raw[key];
    if (value === undefined || value === null) return {};
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw this.wrongType(key, 'a map of `key: value` lines');
  }

  timezone(key: string): string | null {
    const value = this.raw[key];
    if (value === undefined || value === null) return null;
    // Jekyll sets TZ to it, and an empty TZ is UTC.
    if (value === '') return 'UTC';
    if (typeof value !== 'string') throw this.wrongType(key, 'an IANA timezone name such as America/New_York');
    // What Jekyll also takes through the C library: `EST5`, `IST-5:30`, a zone file's path.
    const posix = isValidTimeZone(value) ? null : zoneOfTz(value);
    if (posix !== null) return posix;
    if (!isValidTimeZone(value)) {
      throw new InputError({
        ...this.location(key),
        message: `\`timezone: ${value}\` is not a timezone this system knows`,
        hint: 'use an IANA name such as Europe/Berlin or America/Los_Angeles',
      });
    }
    // Intl ignores case; the zone files Jekyll reads on Linux do not, and a name in the wrong case
    // is UTC there. Either reading moves some posts' URLs, so the site says which it means.
    const canonical = canonicalTimeZone(value);
    if (canonical !== value && canonical.toLowerCase() === value.toLowerCase() && canonical !== 'UTC') {
      throw new InputError({
        ...this.location(key),
        message: `\`timezone: ${value}\` is spelt ${canonical}; Jekyll on Linux (GitHub Pages too) reads it in this case as UTC`,
        hint: `write ${canonical}, or UTC to keep the URLs such a Jekyll build gave`,
      });
    }
    return value;
  }
}
