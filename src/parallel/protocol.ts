import type { Config } from '../config.js';
import type { CachedPost, HtmlRef } from '../content/post-cache.js';
import type { Staging, Manifest } from '../output/write.js';
import type { MapGeometry } from '../render/pages.js';
import type { SitePost } from '../site/collections.js';
import type { BuildProblem, Instant, Source } from '../types.js';
import type { ListedSource } from '../content/load.js';

/**
 * Messages between the main thread and the build's shards (worker threads, and one in the main
 * thread, which gets the same messages without a copy). A shard owns its posts from
 * reading to writing: it parses and renders their markup (or finds them unchanged in the post
 * cache), keeps the HTML, and later renders and writes their pages. Only small data crosses
 * threads: post summaries and keys, never page HTML.
 */

/** A post without its body and HTML: what the whole site needs to know about it. */
export type PostSummary = SitePost;

export interface ParseRequest {
  readonly type: 'parse';
  readonly config: Config;
  readonly now: Instant;
  readonly layouts: readonly Source[];
  readonly posts: readonly ListedSource[];
  /** The post cache's folder, and what it holds for this shard's posts (by source path). */
  readonly cache: { readonly folder: string; readonly posts: Readonly<Record<string, { readonly key: string; readonly html: HtmlRef }>> };
}

export interface RenderRequest {
  readonly type: 'render';
  readonly summaries: readonly PostSummary[];
  readonly staging: Staging;
  /** Output paths of this shard's post pages to render; the others are kept from the last build. */
  readonly render: readonly string[];
  /** The map as the main thread placed it. */
  readonly geometry: MapGeometry;
}

export type Request = ParseRequest | RenderRequest | { readonly type: 'html'; readonly paths: readonly string[] };

export type Reply =
  | {
      readonly type: 'parsed';
      /** Posts parsed in this build (not found in the cache), as cache entries. */
      readonly parsed: CachedPost[];
      /** Source paths of the posts found unchanged in the cache. */
      readonly unchanged: string[];
      readonly problems: BuildProblem[];
      readonly warnings: string[];
      readonly futurePosts: number;
      readonly milliseconds: { read: number; parse: number; markup: number };
    }
  | { readonly type: 'html'; readonly html: Record<string, string> }
  | {
      readonly type: 'rendered';
      readonly manifest: Manifest;
      readonly changed: string[];
      readonly problems: BuildProblem[];
      readonly milliseconds: { render: number; write: number };
    }
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string };
