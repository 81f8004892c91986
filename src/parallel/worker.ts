import { parentPort } from 'node:worker_threads';
import type { Config } from '../config.js';
import { readSourceSync, type ListedSource } from '../content/load.js';
import { readPost } from '../content/post.js';
import { toProblem } from '../errors.js';
import { createMarkdown } from '../markup/markdown.js';
import { writeOutputsSync, type Manifest, type Staging } from '../output/write.js';
import { buildTemplateSet, markupOf } from '../pipeline.js';
import { postJobs, renderJobs, siteViews } from '../render/pages.js';
import type { TemplateSet } from '../render/templates.js';
import { collectSite, type SitePost } from '../site/collections.js';
import type { BuildProblem, Instant, Source } from '../types.js';
import type { PostSummary, Reply, Request } from './protocol.js';

/** A build worker: the stages of the posts in its shard, see protocol.ts. */
interface ShardState {
  config: Config;
  now: Instant;
  templates: TemplateSet;
  /** The shard's posts with body and HTML, by source path. */
  posts: Map<string, SitePost>;
}

let state: ShardState | null = null;

parentPort!.on('message', (request: Request) => {
  handle(request).then(
    (reply) => parentPort!.postMessage(reply),
    (error: unknown) => parentPort!.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined } satisfies Reply),
  );
});

async function handle(request: Request): Promise<Reply> {
  switch (request.type) {
    case 'parse':
      return parse(request.config, request.now, request.layouts, request.posts);
    case 'html':
      return { type: 'html', html: Object.fromEntries(request.paths.map((path) => [path, state!.posts.get(path)?.html ?? ''])) };
    case 'render':
      return render(request.summaries, request.staging);
  }
}

async function parse(config: Config, now: Instant, layouts: readonly Source[], listed: readonly ListedSource[]): Promise<Reply> {
  const problems: BuildProblem[] = [];
  const warnings: string[] = [];
  const started = performance.now();
  const sources = listed.map((entry) => {
    try {
      return readSourceSync(config.source, entry.kind, entry.relativePath);
    } catch (error) {
      problems.push(toProblem(error, entry.relativePath));
      return null;
    }
  });
  const read = performance.now();
  const md = createMarkdown();
  const posts = new Map<string, SitePost>();
  const summaries: PostSummary[] = [];
  let markupMs = 0;
  let futurePosts = 0;
  for (const source of sources) {
    if (!source) continue;
    try {
      const result = readPost(source, config, now);
      if ('warning' in result) warnings.push(result.warning);
      if ('skipped' in result && result.skipped === 'future') futurePosts++;
      if (!('post' in result)) continue;
      const markupStart = performance.now();
      // The markdown is not needed once it is HTML; dropping it keeps the workers small.
      const post: SitePost = { ...result.post, body: '', ...markupOf(md, result.post, config) };
      markupMs += performance.now() - markupStart;
      posts.set(post.relativePath, post);
      summaries.push({ ...post, body: '', html: '' });
    } catch (error) {
      problems.push(toProblem(error, source.relativePath));
    }
  }
  state = { config, now, templates: buildTemplateSet(layouts, config), posts };
  const total = performance.now() - read;
  return { type: 'parsed', summaries, problems, warnings, futurePosts, milliseconds: { read: read - started, parse: total - markupMs, markup: markupMs } };
}

/**
 * Renders and writes this shard's post pages. The site is rebuilt here from every post's summary
 * (with this shard's full posts in place), by the same functions the main thread uses, so
 * neighbours, nearby posts and map positions come out identical.
 */
async function render(summaries: readonly PostSummary[], staging: Staging): Promise<Reply> {
  const { config, now, templates, posts } = state!;
  const started = performance.now();
  const site = collectSite(config, summaries.map((summary) => posts.get(summary.relativePath) ?? summary), now);
  const views = siteViews(site);
  const jobs = postJobs(site, views).filter((job) => posts.has(job.origin));
  const manifest: Manifest = {};
  const changed: string[] = [];
  const problems: BuildProblem[] = [];
  let writing = 0;
  // Render and write a batch at a time, so a worker never holds all its pages in memory at once.
  for (let start = 0; start < jobs.length; start += RENDER_BATCH) {
    const batch = renderJobs(templates, jobs.slice(start, start + RENDER_BATCH));
    problems.push(...batch.problems);
    const writeStart = performance.now();
    const written = writeOutputsSync(staging, batch.outputs);
    writing += performance.now() - writeStart;
    Object.assign(manifest, written.manifest);
    changed.push(...written.changed);
  }
  const total = performance.now() - started;
  return { type: 'rendered', manifest, changed, problems, milliseconds: { render: total - writing, write: writing } };
}

/** Pages rendered before they are written; small enough to keep memory flat, large enough to batch. */
const RENDER_BATCH = 250;
