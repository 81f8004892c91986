import type { Config } from '../config.js';
import type { CachedPost, HtmlRef } from '../content/post-cache.js';
import type { Staging, Manifest } from '../output/write.js';
import type { PageJob, SiteViews } from '../render/pages.js';
import type { PostHtml } from './shard.js';
import type { Site, SitePost } from '../site/collections.js';
import type { BuildProblem, Instant, Source } from '../types.js';
import type { ListedSource } from '../content/load.js';
import type { TemplateSet } from '../render/templates.js';

/**
 * Messages between the main thread and the build's shards (worker threads, and one in the main
 * thread, which gets the same messages without a copy). Shards share out the work as they go:
 * every shard gets the whole list, and each takes the next few items off a counter in shared
 * memory (see takeChunks), so a shard that started late or got slow items simply takes fewer,
 * and all finish together. Post HTML never crosses threads: the shard that parses a post appends
 * its HTML to a post cache blob, and whichever shard renders the post's page reads it back from
 * there. Only small data is sent: post summaries, keys and where each post's HTML is.
 */

/** A post without its body and HTML: what the whole site needs to know about it. */
export type PostSummary = SitePost;

export interface ParseRequest {
  readonly type: 'parse';
  readonly config: Config;
  readonly now: Instant;
  readonly layouts: readonly Source[];
  /** Every post of the site; the shards share them out through `counter`. */
  readonly posts: readonly ListedSource[];
  readonly counter: SharedArrayBuffer;
  /** The post cache's folder, and what it holds for the posts (by source path). */
  readonly cache: { readonly folder: string; readonly posts: Readonly<Record<string, { readonly key: string; readonly html: HtmlRef }>> };
}

/** The site every post page is rendered in, sent once all posts are read: each shard puts it together. */
export interface SiteRequest {
  readonly type: 'site';
  readonly summaries: readonly PostSummary[];
  /** Where each post's HTML is, by source path. */
  readonly html: Readonly<Record<string, HtmlRef>>;
  /** In the main thread's shard: the site, its post pages and their HTML as the main thread already has them. */
  readonly built?: { readonly site: Site; readonly views: SiteViews; readonly templates: TemplateSet; readonly postPages: readonly PageJob[]; readonly html: PostHtml };
}

export interface RenderRequest {
  readonly type: 'render';
  readonly staging: Staging;
  /** Output paths of the post pages to render; the others are kept from the last build. */
  readonly render: readonly string[];
  /** Shares out every post page (in the site's order) among the shards. */
  readonly counter: SharedArrayBuffer;
}

export type Request = ParseRequest | SiteRequest | RenderRequest;

/** What a shard did with the posts of one chunk it took, in the order of the list (filled in as it goes). */
export interface ParsedChunk {
  readonly start: number;
  /** Posts parsed in this build (not found in the cache), as cache entries. */
  readonly parsed: CachedPost[];
  /** Source paths of the posts found unchanged in the cache. */
  readonly unchanged: string[];
  readonly problems: BuildProblem[];
  readonly warnings: string[];
  futurePosts: number;
}

export type Reply =
  | { readonly type: 'parsed'; readonly chunks: ParsedChunk[]; readonly milliseconds: { read: number; parse: number; markup: number } }
  | { readonly type: 'site-ready' }
  | {
      readonly type: 'rendered';
      readonly manifest: Manifest;
      readonly changed: string[];
      /** With the start of the chunk each was found in, to report them in the site's order. */
      readonly problems: Array<{ readonly start: number; readonly problem: BuildProblem }>;
      readonly milliseconds: { render: number; write: number };
    }
  | {
      readonly type: 'failed';
      readonly message: string;
      readonly stack?: string;
      /** A file system refusal's details (see fileSystemProblem), so this thread can report it as one. */
      readonly system?: { readonly code: string; readonly path?: string; readonly syscall?: string };
    };

/** A counter shards take chunks of work from, starting at 0. */
export function newCounter(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Takes chunks of `size` items off the shared counter until `total` are taken (by this shard or
 * others), calling `work` with the start of each.
 */
export function takeChunks(counter: SharedArrayBuffer, total: number, size: number, work: (start: number, end: number) => void): void {
  const next = new Int32Array(counter);
  for (let start = Atomics.add(next, 0, size); start < total; start = Atomics.add(next, 0, size)) work(start, Math.min(start + size, total));
}
