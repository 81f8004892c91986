import type { Config } from '../config.js';
import type { Staging, Manifest } from '../output/write.js';
import type { SitePost } from '../site/collections.js';
import type { BuildProblem, Instant, Source } from '../types.js';
import type { ListedSource } from '../content/load.js';

/**
 * Messages between the main thread and the build workers. A worker owns a shard of the posts from
 * reading to writing: it parses and renders their markup, keeps the HTML, and later renders and
 * writes their pages. Only small data crosses threads: post summaries, never page HTML.
 */

/** A post without its body and HTML: what the whole site needs to know about it. */
export type PostSummary = SitePost;

export type Request =
  | { readonly type: 'parse'; readonly config: Config; readonly now: Instant; readonly layouts: readonly Source[]; readonly posts: readonly ListedSource[] }
  | { readonly type: 'html'; readonly paths: readonly string[] }
  | { readonly type: 'render'; readonly summaries: readonly PostSummary[]; readonly staging: Staging };

export type Reply =
  | { readonly type: 'parsed'; readonly summaries: PostSummary[]; readonly problems: BuildProblem[]; readonly warnings: string[]; readonly futurePosts: number; readonly milliseconds: { read: number; parse: number; markup: number } }
  | { readonly type: 'html'; readonly html: Record<string, string> }
  | { readonly type: 'rendered'; readonly manifest: Manifest; readonly changed: string[]; readonly problems: BuildProblem[]; readonly milliseconds: { render: number; write: number } }
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string };
