import path from 'node:path';
import { InputError, codeFrame } from '../errors.js';
import { parseDateValue, zonedInstant } from '../dates.js';
import { expandPermalinkStyle, postLocation, PermalinkError, type PostLocation } from '../site/permalinks.js';
import { escapeRegExp } from './files.js';
import type { Config } from '../config.js';
import type { Coordinates, Instant, Post, Source } from '../types.js';
import { splitFrontMatter } from './frontmatter.js';
import { canBePublished, isHiddenInTheFuture } from './publishing.js';
import { applyDefaults } from './defaults.js';

/** Jekyll's post file name: `YYYY-MM-DD-slug.ext`, possibly below sub-folders. */
const DATED_NAME = /^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.+)\.([^.]+)$/;

/** How a site reads its posts' front matter beyond the file itself. */
export interface ReadPostOptions {
  /**
   * The layout of a post whose front matter names none: `post` (Quire's theme) when absent; null
   * for a Jekyll site, where Jekyll 4.3 gives such a post no layout.
   */
  readonly defaultLayout?: string | null;
}

/** What reading one post file gave: a post, or a reason it is not part of the site. */
export type PostResult =
  | { readonly post: Post }
  | { readonly skipped: 'unpublished' | 'future' }
  | { readonly warning: string };

/**
 * Reads a post or draft Source into a Post, following Jekyll's rules: date and slug from the file
 * name, front matter `date` overriding it, categories from front matter (and from folders above
 * `_posts`), `published: false` and future dates hiding the post. Throws InputError on bad input.
 */
export function readPost(source: Source, config: Config, now: Instant, options: ReadPostOptions = {}): PostResult {
  const file = source.relativePath;
  const name = postFileName(source);
  if (name === null) {
    const base = path.basename(file);
    // A date with nothing after it (`2024-01-05-.md`) still lacks the slug that makes the URL.
    // A date written another way (`2024-01-01_title`, `20240101-title`) is named as Jekyll wants it.
    const otherDate = /^-?(\d{4})[-_ ]?(\d{2})[-_ ]?(\d{2})[-_ ]+(.+)$/.exec(base);
    const fix = /^\d{2,4}-\d{1,2}-\d{1,2}-?\.[^.]+$/.test(base)
      ? `give it a name after the date, like ${base.replace(/-?(\.[^.]+)$/, '-my-title$1')}`
      : otherDate
        ? `rename it to ${otherDate[1]}-${otherDate[2]}-${otherDate[3]}-${otherDate[4]!.replace(/\s+/g, '-')}`
        : `rename it to YYYY-MM-DD-${base}`;
    return {
      warning: `${file}: skipped, because its name does not start with a date and a title. To publish it, ${fix}.`,
    };
  }
  const text = source.text ?? '';
  const split = splitFrontMatter(text, file);
  const { body, bodyLine } = split;
  // A draft is a document of the posts collection in Jekyll 4: `type: posts` defaults apply to it
  // (and `type: drafts` ones, which the documentation names, never do).
  const data = config.defaults === undefined || config.defaults === null ? split.data : applyDefaults(split.data, config.defaults, file, 'posts');
  if (!canBePublished(data, config)) return { skipped: 'unpublished' };

  const date = postDate(data.date, name, source, config, text);
  // Drafts too: Jekyll's Publisher holds back a draft dated in the future, even with --drafts.
  if (isHiddenInTheFuture(date, now, config)) return { skipped: 'future' };
  checkLastModified(data.last_modified_at, source, config, text);

  const categories = uniqueInOrder([...folderCategories(file), ...nameList(data.categories, 'categories', file, text), ...singleName(data.category, 'category', file, text)]);
  // Jekyll takes a `tag:` key (one name, spaces and all) in place of `tags:`, not beside it.
  const tags = uniqueInOrder(data.tag !== undefined && data.tag !== null ? singleName(data.tag, 'tag', file, text) : nameList(data.tags, 'tags', file, text));
  const slug = typeof data.slug === 'string' && data.slug.trim() !== '' ? data.slug.trim() : name.slug;
  const ext = path.extname(file).toLowerCase();
  const format = ext === '.html' || ext === '.htm' ? 'html' : 'markdown';

  let location: PostLocation;
  try {
    location = postLocation(
      // An HTML post passes through as it is, and keeps its extension (`.htm`), as Jekyll's does.
      { date, categories, basename: name.slug, slug: typeof data.slug === 'string' ? data.slug : undefined, outputExt: format === 'html' ? ext : '.html', collection: 'posts', path: file, collectionDirectory: postsFolderOf(file) },
      expandPermalinkStyle(config.permalink),
      frontMatterPermalink(data.permalink),
    );
  } catch (error: unknown) {
    if (error instanceof PermalinkError) throw keyError(file, text, 'permalink', (error as Error).message);
    throw error;
  }
  const { url, outputPath } = location;

  return {
    post: {
      kind: source.kind === 'draft' ? 'draft' : 'post',
      relativePath: file,
      id: jekyllId(url, slug),
      slug,
      title: typeof data.title === 'string' || typeof data.title === 'number' ? String(data.title) : titleFromSlug(name.slug),
      date,
      categories,
      tags,
      coordinates: readCoordinates(data.coordinates, file, text),
      layout: layoutName(data.layout, file, text, options.defaultLayout === undefined ? 'post' : options.defaultLayout),
      layoutLine: data.layout === undefined ? undefined : lineOfKey(text, 'layout'),
      permalinkLine: data.permalink === undefined ? undefined : lineOfKey(text, 'permalink'),
      format,
      body,
      bodyLine,
      data,
      url,
      outputPath,
    },
  };
}

interface PostFileName {
  readonly slug: string;
  readonly date: { year: number; month: number; day: number } | null;
}

/** The date and slug in a post's file name; drafts need no date. Null when a post lacks one. */
function postFileName(source: Source): PostFileName | null {
  const base = path.basename(source.relativePath);
  const match = DATED_NAME.exec(base);
  if (match) {
    // Jekyll drops trailing dots from the slug (`2024-01-01-etc..md` is `etc`).
    return { slug: match[4]!.replace(/\.+$/, ''), date: { year: fullYear(match[1]!), month: Number(match[2]), day: Number(match[3]) } };
  }
  if (source.kind === 'draft') return { slug: base.replace(/\.[^.]+$/, ''), date: null };
  return null;
}

/** A file name's year as Ruby's Time.parse reads it: two digits are 1969-2068 (`24-03-09` is 2024). */
export function fullYear(written: string): number {
  const year = Number(written);
  if (written.length !== 2) return year;
  return year >= 69 ? 1900 + year : 2000 + year;
}

/** Front matter `permalink:`; Jekyll treats an empty one as `/`. */
function frontMatterPermalink(value: unknown): string | undefined {
  if (value === '') return '/';
  return typeof value === 'string' ? value : undefined;
}

function postDate(value: unknown, name: PostFileName, source: Source, config: Config, text: string): Instant {
  if (value !== undefined && value !== null && value !== '') {
    // Psych reads unquoted (YamlTimestamp) and quoted dates differently; Jekyll inherits that.
    const parsed = parseDateValue(value, config.timezone, { source: 'string' });
    if ('error' in parsed) throw keyError(source.relativePath, text, 'date', parsed.error);
    return parsed;
  }
  if (name.date) {
    // Ruby's Time.parse, which Jekyll uses here, takes a day past the month's end on into the
    // next month (2024-02-30 is 1 March) but refuses a month past 12 or a day past 31.
    const { year, month, day } = name.date;
    const wrong = month < 1 || month > 12 ? `month ${month} is out of range (1-12)` : day < 1 || day > 31 ? `day ${day} is out of range (1-31)` : null;
    if (wrong !== null) {
      const written = path.basename(source.relativePath).split('-').slice(0, 3).join('-');
      throw new InputError({ file: source.relativePath, message: `the date in the file name, ${written}, is not a date: ${wrong}`, hint: `rename the file with the date to publish it under, like ${year}-01-05-${name.slug}${path.extname(source.relativePath)}, or set \`date:\` in the front matter` });
    }
    return zonedInstant(name.date, config.timezone);
  }
  // Jekyll dates a draft without a date by its modification time.
  const modified = parseDateValue(new Date(source.mtimeMs ?? Date.now()), config.timezone);
  if ('error' in modified) throw new InputError({ file: source.relativePath, message: modified.error });
  return modified;
}

/**
 * `last_modified_at:` (jekyll-sitemap and jekyll-feed show it) must be a date: Jekyll's date
 * filters stop the build at one that is not, where Quire would print it as it is.
 */
function checkLastModified(value: unknown, source: Source, config: Config, text: string): void {
  if (value === undefined || value === null || value === '') return;
  const parsed = parseDateValue(value, config.timezone, { source: 'string' });
  if ('error' in parsed) throw keyError(source.relativePath, text, 'last_modified_at', `last_modified_at: ${parsed.error}`);
}

/** The posts folder `:path` leaves out: a Quire site's `posts/` stands for Jekyll's `_posts/`. */
function postsFolderOf(relativePath: string): string {
  return relativePath.startsWith('posts/') && !relativePath.split('/').includes('_posts') ? 'posts' : '_posts';
}

/** Folders above `_posts` are categories in Jekyll (`news/_posts/...` is in category `news`). */
function folderCategories(relativePath: string): string[] {
  const parts = relativePath.split('/');
  const postsIndex = parts.indexOf('_posts');
  return postsIndex > 0 ? parts.slice(0, postsIndex) : [];
}

/** Jekyll accepts a list or a space-separated string for categories and tags. */
function nameList(value: unknown, key: string, file: string, text: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item === 'string' || typeof item === 'number') return [String(item).trim()].filter(Boolean);
      if (item === null) return [];
      throw keyError(file, text, key, `\`${key}\` must be a list of names, but one item is ${JSON.stringify(item)}`);
    });
  }
  throw keyError(file, text, key, `\`${key}\` must be a name or a list of names, but it is ${JSON.stringify(value)}`);
}

/** `category:` names one category, spaces and all (`category: Machine Learning`), as in Jekyll. */
function singleName(value: unknown, key: string, file: string, text: string): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  return nameList(value, key, file, text);
}

function uniqueInOrder(names: string[]): string[] {
  return [...new Set(names)];
}

/**
 * `coordinates: [x, y]` with both numbers in [0, 1]: x grows to the right, y upward.
 * Anything else is an error naming the value, since a misplaced point would mislead readers.
 */
export function readCoordinates(value: unknown, file: string, text: string): Coordinates | null {
  if (value === undefined || value === null) return null;
  const valid =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1);
  if (!valid) {
    throw keyError(
      file,
      text,
      'coordinates',
      `\`coordinates\` must be two numbers between 0 and 1, like [0.25, 0.8], but it is ${describe(value)}`,
    );
  }
  return [value[0] as number, value[1] as number];
}

function describe(value: unknown): string {
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (Array.isArray(value)) return `[${value.map((item) => describe(item)).join(', ')}]`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function layoutName(value: unknown, file: string, text: string, fallback: string | null): string | null {
  if (value === undefined) return fallback;
  if (value === null || value === false || value === 'none' || value === 'null' || value === '') return null;
  if (typeof value === 'object') {
    // A list or map here is a mistake; String() of it means nothing, or throws for a map with a `toString` key.
    throw keyError(file, text, 'layout', `\`layout\` must be the name of a template, like post, but it is ${describe(value)}`);
  }
  return String(value);
}

/** Jekyll's `id`: the URL's folder joined with the slug, e.g. `/tech/2024/03/20/my-post`. */
export function jekyllId(url: string, slug: string): string {
  const folder = path.posix.dirname(url.replace(/\/+$/, '') || '/');
  return path.posix.join(folder, slug);
}

/** Jekyll's title for a post without one: the slug's words, each capitalised as Ruby does (rest lowercased). */
export function titleFromSlug(slug: string): string {
  return slug
    .split('-')
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join(' ');
}

/** An InputError pointing at the front matter line that sets `key`. */
export function keyError(file: string, text: string, key: string, message: string): InputError {
  const line = lineOfKey(text, key);
  // A value the file does not write came from the site's front matter `defaults:`.
  if (line === undefined) {
    const from = key === 'permalink' ? 'the site\'s `permalink:` (or a `defaults:` value) in _config.yml made it' : 'the value comes from `defaults:` in _config.yml';
    return new InputError({ file, message, hint: `this file does not set \`${key}\`: ${from}` });
  }
  return new InputError({ file, line, column: 1, message, frame: codeFrame(text, line, 1) });
}

function lineOfKey(text: string, key: string): number | undefined {
  // Only the front matter: every post asks for its `layout:` line, so keep this to a few lines.
  const close = text.indexOf('\n---', 3);
  const frontMatter = close === -1 ? text : text.slice(0, close);
  // The last time the key is written: YAML's last value is the one read (and reported).
  const found = [...frontMatter.matchAll(new RegExp(`\n${escapeRegExp(key)}\\s*:`, 'g'))].at(-1);
  if (!found) return undefined;
  let line = 2; // the match starts at the newline ending line 1 or later
  for (let i = frontMatter.indexOf('\n'); i !== -1 && i < found.index; i = frontMatter.indexOf('\n', i + 1)) line++;
  return line;
}
