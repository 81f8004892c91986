import type MarkdownIt from 'markdown-it';
import type { Config } from '../config.js';
import { readSourceSync } from '../content/load.js';
import { HtmlReader, HtmlWriter, postCacheKey, type CachedPost, type HtmlRef } from '../content/post-cache.js';
import { readPost } from '../content/post.js';
import { portableData, revivedData } from '../content/yaml.js';
import { toProblem } from '../errors.js';
import { createMarkdown } from '../markup/markdown.js';
import { keepUnchangedSync, writeOutputsSync, type Manifest } from '../output/write.js';
import { buildTemplateSet, markupOf, summaryKey } from '../pipeline.js';
import { postJobs, renderJobs, siteViews, type PageJob } from '../render/pages.js';
import { setViewContent } from '../render/views.js';
import { collectSite, type SitePost } from '../site/collections.js';
import type { BuildProblem, Instant, Source, SourceKind } from '../types.js';
import type { ParseRequest, RenderRequest, Reply, Request } from './protocol.js';

/** What a shard keeps between requests, see protocol.ts. */
interface ShardState {
  config: Config;
  now: Instant;
  md: MarkdownIt;
  layouts: readonly Source[];
  /** The shard's posts parsed in this build, with their HTML, by source path. */
  posts: Map<string, SitePost>;
  /** The shard's posts found unchanged in the post cache: where their HTML is. */
  cached: Map<string, { html: HtmlRef; kind: SourceKind }>;
  reader: HtmlReader;
}

/**
 * One shard of the posts: answers requests one at a time, keeping its posts between them. It runs
 * in a worker thread (see worker.ts), or in the main thread (see ShardPool in build.ts).
 */
export function createShard(): (request: Request) => Reply {
  let state: ShardState | null = null;

  return function handleRequest(request: Request): Reply {
    switch (request.type) {
      case 'parse':
        return parse(request);
      case 'html':
        return { type: 'html', html: Object.fromEntries(request.paths.map((path) => [path, htmlOf(path)])) };
      case 'render':
        return render(request);
    }
  };

  /**
   * Reads the shard's posts; those whose cache key matches the post cache are done, the others are
   * parsed, their markup rendered, and their HTML appended to a new cache blob.
   */
  function parse({ config, now, layouts, posts: listed, cache }: ParseRequest): Reply {
    const problems: BuildProblem[] = [];
    const warnings: string[] = [];
    const started = performance.now();
    const sources: Array<{ source: Source; key: string }> = [];
    for (const entry of listed) {
      try {
        const source = readSourceSync(config.source, entry.kind, entry.relativePath);
        sources.push({ source, key: postCacheKey(source) });
      } catch (error) {
        problems.push(toProblem(error, entry.relativePath));
      }
    }
    const read = performance.now();
    const md = createMarkdown();
    const posts = new Map<string, SitePost>();
    const cached = new Map<string, { html: HtmlRef; kind: SourceKind }>();
    const parsed: CachedPost[] = [];
    const unchanged: string[] = [];
    const writer = new HtmlWriter(cache.folder);
    let markupMs = 0;
    let futurePosts = 0;
    for (const { source, key } of sources) {
      const known = cache.posts[source.relativePath];
      if (known?.key === key) {
        cached.set(source.relativePath, { html: known.html, kind: source.kind });
        unchanged.push(source.relativePath);
        continue;
      }
      try {
        const result = readPost(source, config, now);
        if ('warning' in result) warnings.push(result.warning);
        if ('skipped' in result && result.skipped === 'future') futurePosts++;
        if (!('post' in result)) continue;
        const markupStart = performance.now();
        // The markdown is not needed once it is HTML; dropping it keeps the shards small.
        const post: SitePost = { ...result.post, body: '', ...markupOf(md, result.post, config) };
        markupMs += performance.now() - markupStart;
        posts.set(post.relativePath, post);
        // Front matter dates survive the trip to the main thread and into the cache as tagged data.
        const summary = { ...post, body: '', html: '', data: portableData(post.data) };
        parsed.push({ key, summary, summaryKey: summaryKey(summary), html: writer.add(post.html) });
      } catch (error) {
        problems.push(toProblem(error, source.relativePath));
      }
    }
    writer.finish();
    state = { config, now, md, layouts, posts, cached, reader: new HtmlReader(cache.folder) };
    const total = performance.now() - read;
    return { type: 'parsed', parsed, unchanged, problems, warnings, futurePosts, milliseconds: { read: read - started, parse: total - markupMs, markup: markupMs } };
  }

  /**
   * A post's HTML: made in this build, or read back from the post cache. A cache blob that has gone
   * missing since the build began (someone cleared `.quire-cache`) only means parsing the post again.
   */
  function htmlOf(relativePath: string): string {
    const { posts, cached, reader, config, now, md } = state!;
    const made = posts.get(relativePath);
    if (made) return made.html;
    const entry = cached.get(relativePath);
    if (!entry) return '';
    try {
      return reader.read(entry.html);
    } catch {
      const result = readPost(readSourceSync(config.source, entry.kind, relativePath), config, now);
      return 'post' in result ? markupOf(md, result.post, config).html : '';
    }
  }

  /**
   * Renders and writes the shard's post pages the main thread asked for, and keeps its other post
   * pages from the previous build. The site is rebuilt here from every post's summary (with this
   * shard's parsed posts in place), by the same functions the main thread uses, so neighbours,
   * nearby posts and map positions come out identical.
   */
  function render({ summaries, staging, render: asked, geometry }: RenderRequest): Reply {
    const { config, now, layouts, posts, cached, reader } = state!;
    // Compiled only here: a rebuild in place renders nothing in the shards.
    const templates = buildTemplateSet(layouts, config);
    const started = performance.now();
    const site = collectSite(config, summaries.map((summary) => posts.get(summary.relativePath) ?? { ...summary, data: revivedData(summary.data) }), now);
    const views = siteViews(site, geometry);
    const toRender = new Set(asked);
    const manifest: Manifest = {};
    const changed: string[] = [];
    const problems: BuildProblem[] = [];
    const jobs: PageJob[] = [];
    let writing = 0;
    for (const job of postJobs(site, views)) {
      if (!posts.has(job.origin) && !cached.has(job.origin)) continue;
      const print = toRender.has(job.outputPath) ? null : keepUnchangedSync(staging, job.outputPath);
      if (print === null) jobs.push(job);
      else manifest[job.outputPath] = print;
    }
    // Render and write a batch at a time, so a shard never holds all its pages in memory at once.
    for (let start = 0; start < jobs.length; start += RENDER_BATCH) {
      const batch = renderJobs(templates, jobs.slice(start, start + RENDER_BATCH).map((job) => withHtml(job, views)));
      problems.push(...batch.problems);
      const writeStart = performance.now();
      const written = writeOutputsSync(staging, batch.outputs);
      writing += performance.now() - writeStart;
      Object.assign(manifest, written.manifest);
      changed.push(...written.changed);
    }
    reader.close();
    const total = performance.now() - started;
    return { type: 'rendered', manifest, changed, problems, milliseconds: { render: total - writing, write: writing } };
  }

  /** A post page's job with its post's HTML, which a post found in the cache gets only now. */
  function withHtml(job: PageJob, views: ReturnType<typeof siteViews>): PageJob {
    if (!job.ownPost || job.content !== '' || !state!.cached.has(job.origin)) return job;
    const html = htmlOf(job.origin);
    setViewContent(views.posts.get(job.ownPost)!, html);
    return { ...job, content: html };
  }
}

/** Pages rendered before they are written; small enough to keep memory flat, large enough to batch. */
const RENDER_BATCH = 250;
