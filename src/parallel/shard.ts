import type MarkdownIt from 'markdown-it';
import type { Config } from '../config.js';
import { readSourceSync } from '../content/load.js';
import { HtmlReader, HtmlWriter, postCacheFolder, postCacheKey, type HtmlRef } from '../content/post-cache.js';
import { readPost } from '../content/post.js';
import { portableData, revivedData } from '../content/yaml.js';
import { toProblem } from '../errors.js';
import { createMarkdown } from '../markup/markdown.js';
import { keepUnchangedSync, writeOutputsSync, type Manifest } from '../output/write.js';
import { buildTemplateSet, markupOf, summaryKey } from '../pipeline.js';
import { postJobs, renderJobs, siteViews, type PageJob, type SiteViews } from '../render/pages.js';
import { setViewContent } from '../render/views.js';
import type { TemplateSet } from '../render/templates.js';
import { collectSite, type Site, type SitePost } from '../site/collections.js';
import type { BuildProblem, Instant, Source } from '../types.js';
import { takeChunks, type ParsedChunk, type ParseRequest, type RenderRequest, type Reply, type Request, type SiteRequest } from './protocol.js';

/** Posts a shard takes at a time: small enough to even out, large enough that taking is free. */
const PARSE_CHUNK = 16;
const RENDER_CHUNK = 16;

/** What a shard keeps between requests, see protocol.ts. */
interface ShardState {
  config: Config;
  now: Instant;
  layouts: readonly Source[];
  site?: { site: Site; views: SiteViews; templates: TemplateSet; postPages: readonly PageJob[]; html: PostHtml };
}

/**
 * One shard of a build: answers requests one at a time, keeping what it needs between them. It
 * runs in a worker thread (see worker.ts), or in the main thread (see ShardPool in build.ts).
 */
export function createShard(): (request: Request) => Reply {
  let state: ShardState | null = null;

  return function handleRequest(request: Request): Reply {
    switch (request.type) {
      case 'parse':
        return parse(request);
      case 'site':
        return adoptSite(request);
      case 'render':
        return render(request);
    }
  };

  /**
   * Takes posts off the shared list until none are left: those whose cache key matches the post
   * cache are done, the others are parsed, their markup rendered, and their HTML appended to this
   * shard's new cache blob (and not kept: the page is rendered from the blob later).
   */
  function parse({ config, now, layouts, posts: listed, counter, cache }: ParseRequest): Reply {
    state = { config, now, layouts };
    const writer = new HtmlWriter(cache.folder);
    const chunks: ParsedChunk[] = [];
    const started = performance.now();
    const milliseconds = { read: 0, parse: 0, markup: 0 };
    let md: MarkdownIt | null = null;
    takeChunks(counter, listed.length, PARSE_CHUNK, (start, end) => {
      const chunk: ParsedChunk = { start, parsed: [], unchanged: [], problems: [], warnings: [], futurePosts: 0 };
      for (const entry of listed.slice(start, end)) {
        const readStart = performance.now();
        let source: Source;
        try {
          source = readSourceSync(config.source, entry.kind, entry.relativePath);
        } catch (error) {
          chunk.problems.push(toProblem(error, entry.relativePath));
          continue;
        }
        const key = postCacheKey(source);
        const parseStart = performance.now();
        milliseconds.read += parseStart - readStart;
        if (cache.posts[source.relativePath]?.key === key) {
          chunk.unchanged.push(source.relativePath);
          continue;
        }
        try {
          const result = readPost(source, config, now);
          if ('warning' in result) chunk.warnings.push(result.warning);
          if ('skipped' in result && result.skipped === 'future') chunk.futurePosts++;
          if (!('post' in result)) continue;
          const markupStart = performance.now();
          md ??= createMarkdown();
          const { html, excerptHtml } = markupOf(md, result.post, config);
          milliseconds.markup += performance.now() - markupStart;
          // Front matter dates survive the trip to the main thread and into the cache as tagged data.
          const summary: SitePost = { ...result.post, body: '', html: '', excerptHtml, data: portableData(result.post.data) };
          chunk.parsed.push({ key, summary, summaryKey: summaryKey(summary), html: writer.add(html) });
        } catch (error) {
          chunk.problems.push(toProblem(error, source.relativePath));
        }
      }
      chunks.push(chunk);
    });
    writer.finish();
    milliseconds.parse = performance.now() - started - milliseconds.read - milliseconds.markup;
    return { type: 'parsed', chunks, milliseconds };
  }

  /**
   * Puts the site together from every post's summary, by the same functions the main thread uses,
   * so neighbours, nearby posts and map positions come out identical; the main thread's shard is
   * handed the site it already has.
   */
  function adoptSite({ summaries, html, built }: SiteRequest): Reply {
    const { config, now, layouts } = state!;
    if (built) {
      state!.site = built;
      return { type: 'site-ready' };
    }
    const site = siteOf(config, summaries, now);
    const views = siteViews(site);
    // Compiled only here, once the posts are read.
    const templates = buildTemplateSet(layouts, config);
    state!.site = { site, views, templates, postPages: postJobs(site, views), html: new PostHtml(config, now, html) };
    return { type: 'site-ready' };
  }

  /**
   * Takes post pages off the shared list until none are left: renders and writes those the main
   * thread asked for, keeps the others from the previous build.
   */
  function render({ staging, render: asked, counter }: RenderRequest): Reply {
    const { views, templates, postPages: jobs, html } = state!.site!;
    const started = performance.now();
    const toRender = new Set(asked);
    const manifest: Manifest = {};
    const changed: string[] = [];
    const problems: Array<{ start: number; problem: BuildProblem }> = [];
    let writing = 0;
    takeChunks(counter, jobs.length, RENDER_CHUNK, (start, end) => {
      const batch: PageJob[] = [];
      for (const job of jobs.slice(start, end)) {
        const print = toRender.has(job.outputPath) ? null : keepUnchangedSync(staging, job.outputPath);
        if (print === null) batch.push(withHtml(job, views, html));
        else manifest[job.outputPath] = print;
      }
      const rendered = renderJobs(templates, batch);
      // The views let go of the HTML again, so a shard never holds more than a chunk's.
      for (const job of batch) setViewContent(views.posts.get(job.ownPost!)!, '');
      problems.push(...rendered.problems.map((problem) => ({ start, problem })));
      const writeStart = performance.now();
      const written = writeOutputsSync(staging, rendered.outputs);
      writing += performance.now() - writeStart;
      Object.assign(manifest, written.manifest);
      changed.push(...written.changed);
    });
    html.close();
    const total = performance.now() - started;
    return { type: 'rendered', manifest, changed, problems, milliseconds: { render: total - writing, write: writing } };
  }
}

/** The site put together from every post's summary (sent between threads with portable data). */
export function siteOf(config: Config, summaries: readonly SitePost[], now: Instant): Site {
  return collectSite(config, summaries.map((summary) => ({ ...summary, data: revivedData(summary.data) })), now);
}

/** A post page's job with its post's HTML, read back from the post cache. */
export function withHtml(job: PageJob, views: SiteViews, html: PostHtml): PageJob {
  const post = job.ownPost!;
  const content = html.of(post);
  setViewContent(views.posts.get(post)!, content);
  return { ...job, content };
}

/**
 * Posts' HTML, read back from the post cache blobs the shards wrote it to. A blob that has gone
 * missing since the build began (someone cleared `.quire-cache`) only means parsing the post again.
 */
export class PostHtml {
  private readonly reader: HtmlReader;
  private md: MarkdownIt | null = null;

  constructor(
    private readonly config: Config,
    private readonly now: Instant,
    private readonly refs: Readonly<Record<string, HtmlRef>>,
  ) {
    this.reader = new HtmlReader(postCacheFolder(config));
  }

  of(post: SitePost): string {
    const ref = this.refs[post.relativePath];
    try {
      if (ref) return this.reader.read(ref);
    } catch {
      // parsed again below
    }
    const result = readPost(readSourceSync(this.config.source, post.kind, post.relativePath), this.config, this.now);
    if (!('post' in result)) return '';
    this.md ??= createMarkdown();
    return markupOf(this.md, result.post, this.config).html;
  }

  close(): void {
    this.reader.close();
  }
}
