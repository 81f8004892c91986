import type { Config } from '../config.js';
import type { Instant, Post, RenderedMarkup } from '../types.js';

/** A post with its HTML: what the collect stage works on. */
export interface SitePost extends Post, RenderedMarkup {}

/** One category or tag with its posts, newest first. */
export interface Group {
  readonly name: string;
  readonly posts: readonly SitePost[];
}

/** Everything the render stage needs to know about the site. Built fresh on every build. */
export interface Site {
  readonly config: Config;
  /** Newest first, like Jekyll's `site.posts`. */
  readonly posts: readonly SitePost[];
  /** Categories in order of first appearance, as Jekyll's `site.categories` hash. */
  readonly categories: readonly Group[];
  readonly tags: readonly Group[];
  readonly time: Instant;
}

/**
 * Orders posts as Jekyll does (by date, then by path; newest first) and groups them by category
 * and tag. Pure: the same posts always give the same Site.
 */
export function collectSite(config: Config, posts: readonly SitePost[], time: Instant): Site {
  const newestFirst = [...posts].sort(compareOldestFirst).reverse();
  return {
    config,
    posts: newestFirst,
    categories: groupBy(newestFirst, (post) => post.categories),
    tags: groupBy(newestFirst, (post) => post.tags),
    time,
  };
}

/** Jekyll's post order: by date, then by path, oldest first. */
export function compareOldestFirst(a: Post, b: Post): number {
  return a.date.epochMs - b.date.epochMs || (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0);
}

function groupBy(posts: readonly SitePost[], keys: (post: SitePost) => readonly string[]): Group[] {
  const groups = new Map<string, SitePost[]>();
  // Jekyll fills its category hash oldest first; keep that key order, list posts newest first.
  for (let i = posts.length - 1; i >= 0; i--) {
    for (const key of keys(posts[i]!)) {
      if (!groups.has(key)) groups.set(key, []);
    }
  }
  for (const post of posts) {
    for (const key of keys(post)) groups.get(key)!.push(post);
  }
  return [...groups].map(([name, grouped]) => ({ name, posts: grouped }));
}
