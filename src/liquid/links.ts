/**
 * What `{% link %}` and `{% post_url %}` point at, matched as Jekyll 4.3 matches them
 * (jekyll/tags/link.rb and post_url.rb). The engine adds `baseurl` (relative_url) itself.
 */
import { escapeRegExp } from '../content/files.js';
import { calendarParts } from '../dates.js';
import type { Instant } from '../types.js';

/** Looks up site files by what templates write in `{% link %}` and `{% post_url %}`. */
export interface LinkResolver {
  /** The URL (no baseurl) of the page, post, document or static file at `relativePath`, or undefined. */
  link(relativePath: string): string | undefined;
  /**
   * The URL (no baseurl) of the post `name` (`2024-01-01-slug`, `sub/2024-01-01-slug` for
   * `_posts/sub/`, `cat/2024-01-01-slug` for `cat/_posts/`), or undefined. Throws PostNameError when
   * `name` has no date, as Jekyll refuses such a tag.
   */
  postUrl(name: string): string | undefined;
}

/** A file Jekyll's `link` tag can find: every page, post, document and static file. */
export interface LinkTarget {
  /** Path relative to the site source, `/`-separated, e.g. `_posts/2024-01-01-x.md` or `about.md`. */
  readonly relativePath: string;
  /** Site-relative URL without baseurl. */
  readonly url: string;
}

/** A post `post_url` can find (only published, rendered posts: Jekyll's `site.posts`). */
export interface PostTarget extends LinkTarget {
  /** The post's date in the site zone; with `slug` for Jekyll's old (deprecated) fallback match. */
  readonly date?: Instant;
  /** The slug from the file name (Jekyll's `data["slug"]`). */
  readonly slug?: string;
}

/** `{% post_url %}` with a name that is not `[path/]YYYY-MM-DD-slug`. */
export class PostNameError extends Error {
  override readonly name = 'PostNameError';
}

/** Jekyll's PostComparer::MATCHER. */
const POST_NAME = /^(.+\/)*(\d+-\d+-\d+)-(.*)$/s;

/**
 * Builds a LinkResolver from the site's files. `files` should hold every page, post and static
 * file (Jekyll's `site.each_site_file`); `posts` the posts `post_url` may name. `warn` hears about
 * names matched only by Jekyll's deprecated date-and-slug rule.
 */
export function createLinkResolver(files: readonly LinkTarget[], posts: readonly PostTarget[], warn: (message: string) => void = () => {}): LinkResolver {
  const byPath = new Map<string, string>();
  for (const file of files) if (!byPath.has(file.relativePath)) byPath.set(file.relativePath, file.url);
  for (const post of posts) if (!byPath.has(post.relativePath)) byPath.set(post.relativePath, post.url);
  return {
    link(relativePath) {
      // Jekyll compares with the path as written and with a leading "/" (static files' form).
      return byPath.get(relativePath) ?? (relativePath.startsWith('/') ? byPath.get(relativePath.slice(1)) : undefined);
    },
    postUrl(name) {
      const comparer = postComparer(name);
      const exact = posts.find((post) => comparer.regex.test(post.relativePath));
      if (exact) return exact.url;
      // Jekyll's deprecated fallback: same slug and same calendar day.
      const fallback = posts.find((post) => post.date !== undefined && post.slug === comparer.slug && comparer.sameDay(post.date));
      if (fallback) {
        warn(`{% post_url ${name} %} matched ${fallback.relativePath} only by its date and slug; Jekyll accepts this but asks to write the post's file name: {% post_url ${postName(fallback.relativePath)} %}`);
      }
      return fallback?.url;
    },
  };
}

/** PostComparer: the file-name pattern a `post_url` name stands for. */
function postComparer(name: string): { regex: RegExp; slug: string; sameDay(date: Instant): boolean } {
  const match = POST_NAME.exec(name.replace(/^\//, ''));
  if (match === null) throw new PostNameError(`'${name}' does not contain valid date and/or title`);
  const folder = match[1] ?? '';
  const [year, month, day] = match[2]!.split('-').map(Number) as [number, number, number];
  const basename = `${escapeRegExp(match[2]!)}-${escapeRegExp(match[3]!)}\\.[^.]+`;
  const prefix = escapeRegExp(folder);
  return {
    regex: new RegExp(`^_posts/${prefix}${basename}|^${prefix}_posts/?${basename}`),
    // PostComparer#post_slug joins folders of Document#basename, which has none: only the slug counts.
    slug: match[3]!,
    sameDay(date) {
      const parts = calendarParts(date);
      return parts.year === year && parts.month === month && parts.day === day;
    },
  };
}

/** The name `post_url` expects for a post file: its path below `_posts/`, without the extension. */
export function postName(relativePath: string): string {
  const index = relativePath.lastIndexOf('_posts/');
  const below = index === -1 ? relativePath : `${relativePath.slice(0, index)}${relativePath.slice(index + 7)}`;
  return below.replace(/\.[^./]+$/, '');
}

