import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build, type StageTimings } from '../build.js';
import { destinationSetting, type Config } from '../config.js';
import { mapLimit } from '../content/files.js';
import { listSources, readSource, sourceFolders, type ListedSource } from '../content/load.js';
import { isJekyllSite } from '../jekyll/files.js';
import { dayOf, nowInstant } from '../dates.js';
import { BuildFailed } from '../errors.js';
import { abortWrite, beginWrite, checkDestination, finishWrite, keepUnchangedSync, removeScratchLeftovers, writeOutputs, writeOutputsSync, type Manifest, type Staging, type WriteResult } from '../output/write.js';
import { discardBlobs, markupSetup, postCacheFolder, readPostCache, savePostCache, usableAt, type CachedPost, type HtmlRef } from '../content/post-cache.js';
import { lastOutputs, outputsPresent, sameStamps, stampsOf, type BuildState } from '../output/state.js';
import { buildTemplateSet, collisionProblems, siteOwns, staticSitemapPages, layoutShowsPostContent, pageSignature, readsEveryPost, sharedDigest, shownDay, staticOutputs, templatesDigest, themeSources, type PostKeys } from '../pipeline.js';
import { INDEX_LAYOUTS, indexJobs } from '../render/indexes.js';
import { postJobs, renderJobs, siteViews, type PageJob, type SiteViews } from '../render/pages.js';
import { setViewContent, sharedTermPageWarnings } from '../render/views.js';
import { TemplateProblems, type TemplateSet } from '../render/templates.js';
import type { Instant, Output, Source } from '../types.js';
import { newCounter, type ParseRequest, type Reply, type Request } from './protocol.js';
import { createShard, PostHtml, siteOf, withHtml } from './shard.js';
import { tuneV8ForBuilds } from '../v8-flags.js';
import { QUIRE_ROOT } from '../package-root.js';

/** What a whole build did, for the summary line and the benchmark. */
export interface BuildSummary {
  readonly posts: number;
  readonly pages: number;
  readonly warnings: readonly string[];
  readonly timings: StageTimings;
  readonly write: WriteResult;
  /** What to remember for the next build (see BuildState). */
  readonly state: BuildState;
  /** How many worker threads rendered posts (0: the whole build ran on the main thread). */
  readonly workers: number;
  /** Nothing changed since the last build: nothing was rendered or written. */
  readonly upToDate: boolean;
  /** Posts found unchanged in the post cache, and pages kept from the previous build unrendered. */
  readonly reused: { readonly posts: number; readonly pages: number };
}

export interface WholeBuildOptions {
  readonly now?: Instant;
  /** What the last build into the same destination left (see BuildState). */
  readonly previous?: BuildState | null;
  /** Worker threads to use, exactly; by default one per other core, none for small sites. */
  readonly workers?: number;
  /** At most this many threads, this one included (`quire build --threads`); by default one per core. */
  readonly maxThreads?: number;
  /** Ignore the post cache: parse every post again (the cache is still saved for next time). */
  readonly fresh?: boolean;
}

/** Below this many posts, starting threads costs more than it saves. */
const POSTS_PER_WORKER_AT_LEAST = 250;
const WORKER_SCRIPT = path.join(QUIRE_ROOT, 'dist', 'parallel', 'worker.js');

/**
 * `quire build`: the whole site, with the posts split into shards: one in this thread and one per
 * worker thread (a worker per other core; a small site is one shard, here). Each shard reads its
 * posts and parses and renders the markup of those the post cache does not already hold; this
 * thread puts the site together from their summaries and compares each page's signature with the
 * last build's; then the shards render and write their posts' pages that changed, and this thread
 * the index pages. A whole build goes into a fresh folder swapped in at the end; a few changed
 * pages are written in place. Jekyll sites, and sites whose templates show other posts' content,
 * build through the builder behind `serve` instead.
 */
export async function buildWholeSite(config: Config, givenOptions: WholeBuildOptions = {}): Promise<BuildSummary> {
  checkDestination(config.source, config.destination, sourceFolders(config), destinationSetting(config), lastOutputs(config));
  const options = { ...givenOptions, now: givenOptions.now ?? nowInstant(config.timezone) };
  // For the workers, whoever calls this (the `quire` command sets it for this thread too).
  tuneV8ForBuilds();
  const timings: StageTimings = { load: 0, parse: 0, markup: 0, render: 0, write: 0 };
  const started = performance.now();
  const listed = await listSources(config);
  const postEntries = listed.filter((entry) => entry.kind === 'post' || entry.kind === 'draft');
  // One core is this thread's (it has a shard of its own, see ShardPool); one worker per other core.
  const workerCount = options.workers ?? Math.min((options.maxThreads ?? os.availableParallelism()) - 1, Math.floor(postEntries.length / POSTS_PER_WORKER_AT_LEAST));
  const theme = await themeSources(config, listed);
  const stamps = stampsOf([...listed.map((entry) => path.join(config.source, entry.relativePath)), ...theme.map((source) => source.absolutePath)]);
  const previous = options.previous ?? null;
  if (previous?.stamps && sameStamps(previous.stamps, stamps) && stillShowsToday(previous, options.now) && (await outputsPresent(config.destination, previous.manifest))) {
    removeScratchLeftovers(config.destination);
    timings.load = performance.now() - started;
    return upToDate(previous, timings);
  }
  // A Jekyll site builds on the main thread: Liquid in any post may read every other post, page
  // and data file (site.posts, {% post_url %}, site.data), so posts cannot be rendered apart.
  if (isJekyllSite(config)) {
    timings.load = performance.now() - started;
    return buildOnMainThread(config, options, stamps);
  }
  // The workers start now, so loading their code overlaps reading the templates and the cache.
  // A small site is one shard, handled in this thread.
  const pool = new ShardPool(workerCount >= 1 && existsSync(WORKER_SCRIPT) ? workerCount : 0);
  try {
    const layouts = await readLayouts(config, listed, theme);
    const templates = templateSetOrNull(layouts, config);
    timings.load = performance.now() - started;
    // With a broken template, the builder behind `serve` still reads every post, to report all
    // problems. A shard has only its own posts' HTML: templates that show other posts' HTML on a
    // post page (or read every post) need the whole site in one place.
    if (templates === null || readsEveryPost(templates) || postLayoutsShowOtherPosts(templates)) return await buildOnMainThread(config, options, stamps);
    return await buildWithWorkers(config, options, { listed, postEntries, theme, layouts, templates, stamps, previous, pool, timings });
  } finally {
    await pool.close();
  }
}

/** What buildWholeSite read before choosing how to build. */
interface Loaded {
  readonly listed: readonly ListedSource[];
  readonly postEntries: readonly ListedSource[];
  readonly theme: readonly Source[];
  readonly layouts: readonly Source[];
  readonly templates: TemplateSet;
  readonly stamps: Record<string, string>;
  readonly previous: BuildState | null;
  readonly pool: ShardPool;
  readonly timings: StageTimings;
}

/**
 * The build across workers: they parse their shards (or find the posts in the post cache); this
 * thread puts the site together, decides from page signatures which pages to render, and renders
 * the index pages while the workers render (or keep) their posts' pages.
 */
async function buildWithWorkers(config: Config, options: WholeBuildOptions & { now: Instant }, loaded: Loaded): Promise<BuildSummary> {
  const { listed, postEntries, theme, layouts, templates, stamps, previous, pool, timings } = loaded;
  const now = options.now;
  const cacheSetup = markupSetup(config);
  const cache = options.fresh ? new Map<string, CachedPost>() : await readPostCache(config, cacheSetup);
  const parseRequest = { type: 'parse', config, now, layouts, posts: postEntries, counter: newCounter(), cache: cacheFor(config, postEntries, cache, now) } as const;
  const parsed = await pool.each(parseRequest, 'parsed');
  addWorkerTimes(timings, parsed.map((reply) => ({ load: reply.milliseconds.read, parse: reply.milliseconds.parse, markup: reply.milliseconds.markup })));
  // A build that fails leaves the post cache as it was: the HTML it added goes.
  const added = new Set(parsed.flatMap((reply) => reply.chunks.flatMap((chunk) => chunk.parsed.map((entry) => entry.html.blob))));
  try {
    const read = postsRead(parsed, cache);
    const collectStart = performance.now();
    const summaries = [...read.posts.values()].map((entry) => entry.summary);
    const html = Object.fromEntries([...read.posts].map(([file, entry]) => [file, entry.html]));
    // The workers put the site together while this thread does, and then plans the pages.
    const siteReady = pool.toWorkers({ type: 'site', summaries, html }, 'site-ready');
    siteReady.catch(() => undefined);
    const site = siteOf(config, summaries, now);
    read.warnings.push(...sharedTermPageWarnings(site));
    const views = siteViews(site);
    const postPages = postJobs(site, views);
    const postHtml = new PostHtml(config, now, html);
    pool.here({ type: 'site', summaries, html, built: { site, views, templates, postPages, html: postHtml } }, 'site-ready');
    const statics = staticOutputs(staticSources(config, listed, theme), config);
    const jobs = indexJobs(site, views, staticSitemapPages(statics), siteOwns(statics));
    const lineOf = new Map(site.posts.map((post) => [post.relativePath, post.permalinkLine]));
    const collisions = collisionProblems(
      [...site.posts.map((post) => ({ path: post.outputPath, origin: post.relativePath })), ...jobs.map((job) => ({ path: job.outputPath, origin: job.origin })), ...statics],
      (origin) => lineOf.get(origin),
    );
    if (collisions.length > 0) throw new BuildFailed(collisions);
    const shared = sharedDigest(cacheSetup, templatesDigest(layouts), templates, now, views.map.legend);
    const plan = planPages(templates, [...postPages, ...jobs], shared, read.keys, previous);
    const mode = previous?.pages && plan.toRender.size <= IN_PLACE_PAGES && (await outputsPresent(config.destination, previous.manifest)) ? 'in-place' : 'fresh';
    timings.parse += performance.now() - collectStart;

    const staging = await beginWrite(config.destination, previous?.manifest ?? null, mode);
    let output: { manifest: Manifest; write: WriteResult };
    try {
      const { manifest, changed } = await renderPages({ templates, views, postPages, jobs, statics, plan, staging, pool, postHtml, siteReady }, timings);
      // The workers' work is done: their memory goes back before the caches are saved.
      await pool.close();
      const finishStart = performance.now();
      output = { manifest, write: await finishWrite(staging, manifest, changed) };
      timings.write += performance.now() - finishStart;
    } catch (error) {
      await abortWrite(staging);
      throw error;
    } finally {
      postHtml.close();
    }
    // A cache that cannot be saved only costs the next build its head start.
    await savePostCache(config, cacheSetup, read.posts).catch(() => undefined);
    const state = { manifest: output.manifest, stamps: read.futurePosts > 0 ? null : stamps, pages: Object.fromEntries(plan.signatures), shownDay: shownDay(templates, now), warnings: read.warnings };
    const reused = { posts: read.posts.size - read.parsedNow, pages: plan.signatures.size - plan.toRender.size };
    return { posts: site.posts.length, pages: site.posts.length + jobs.length, warnings: read.warnings, timings, write: output.write, state, workers: pool.threads, upToDate: false, reused };
  } catch (error) {
    await discardBlobs(config, added);
    throw error;
  }
}

/** What the shards read: every post as the cache will hold it. */
interface PostsRead {
  /** Parsed in this build, or unchanged since an earlier one; by source path, in the listing's order. */
  readonly posts: Map<string, CachedPost>;
  /** How many were parsed in this build. */
  readonly parsedNow: number;
  /** Each post's keys for page signatures. */
  readonly keys: Record<string, PostKeys>;
  readonly warnings: string[];
  readonly futurePosts: number;
}

/** Puts the chunks the shards took back in the listing's order; throws the problems they found. */
function postsRead(parsed: ReadonlyArray<Extract<Reply, { type: 'parsed' }>>, cache: ReadonlyMap<string, CachedPost>): PostsRead {
  const chunks = parsed.flatMap((reply) => reply.chunks).sort((a, b) => a.start - b.start);
  const problems = chunks.flatMap((chunk) => chunk.problems);
  if (problems.length > 0) throw new BuildFailed(problems);
  const posts = new Map<string, CachedPost>();
  for (const chunk of chunks) {
    for (const entry of chunk.parsed) posts.set(entry.summary.relativePath, entry);
    for (const file of chunk.unchanged) posts.set(file, cache.get(file)!);
  }
  const keys: Record<string, PostKeys> = {};
  for (const [file, entry] of posts) keys[file] = { summary: entry.summaryKey, content: entry.key };
  return {
    posts,
    parsedNow: chunks.reduce((sum, chunk) => sum + chunk.parsed.length, 0),
    keys,
    warnings: chunks.flatMap((chunk) => chunk.warnings),
    futurePosts: chunks.reduce((sum, chunk) => sum + chunk.futurePosts, 0),
  };
}

interface RenderInput {
  readonly templates: TemplateSet;
  readonly views: SiteViews;
  readonly postPages: readonly PageJob[];
  readonly jobs: readonly PageJob[];
  readonly statics: readonly Output[];
  readonly plan: ReturnType<typeof planPages>;
  readonly staging: Staging;
  readonly pool: ShardPool;
  readonly postHtml: PostHtml;
  /** The workers have put the site together (see SiteRequest); only a fresh-folder build waits for it. */
  readonly siteReady: Promise<unknown>;
}

/**
 * Renders and writes the pages the plan says changed, keeps the others, and returns the manifest
 * of every file. In place, the few pages to render are all rendered here before any is written.
 * Otherwise this thread renders the index pages while the workers take post pages, then joins
 * them in taking post pages until none are left.
 */
async function renderPages(input: RenderInput, timings: StageTimings): Promise<{ manifest: Manifest; changed: string[] }> {
  const { templates, views, postPages, jobs, statics, plan, staging, pool, postHtml, siteReady } = input;
  const inPlace = staging.mode === 'in-place';
  const kept: Manifest = {};
  const toRender: PageJob[] = [];
  for (const job of inPlace ? [...postPages, ...jobs] : jobs) {
    const print = plan.toRender.has(job.outputPath) ? null : keepUnchangedSync(staging, job.outputPath);
    if (print === null) toRender.push(job.ownPost ? withHtml(job, views, postHtml) : job);
    else kept[job.outputPath] = print;
  }
  // Index pages that show posts' `content` (the feeds) need it in the posts' views.
  const shown = new Set(toRender.flatMap((job) => (layoutShowsPostContent(templates, job.layout) ? job.dependsOn : [])));
  for (const post of shown) setViewContent(views.posts.get(post)!, postHtml.of(post));
  if (inPlace) return finish(await renderAndWrite(templates, toRender, statics, staging, timings), []);
  await siteReady;
  const request = { type: 'render', staging, render: postPages.filter((job) => plan.toRender.has(job.outputPath)).map((job) => job.outputPath), counter: newCounter() } as const;
  // The workers start on post pages while this thread renders the index pages, then joins them.
  let own!: Awaited<ReturnType<typeof renderAndWrite>>;
  const rendered = await pool.each(request, 'rendered', async () => {
    own = await renderAndWrite(templates, toRender, statics, staging, timings);
  });
  addWorkerTimes(timings, rendered.map((reply) => ({ render: reply.milliseconds.render, write: reply.milliseconds.write })));
  return finish(own, rendered);

  function finish(here: Awaited<ReturnType<typeof renderAndWrite>>, shards: ReadonlyArray<Extract<Reply, { type: 'rendered' }>>) {
    const fromShards = shards.flatMap((reply) => reply.problems).sort((a, b) => a.start - b.start);
    const problems = [...here.problems, ...fromShards.map((entry) => entry.problem)];
    if (problems.length > 0) throw new BuildFailed(problems);
    return {
      manifest: Object.assign({}, kept, here.manifest, ...shards.map((reply) => reply.manifest)),
      changed: [...here.changed, ...shards.flatMap((reply) => reply.changed)],
    };
  }
}

/**
 * A rebuild that renders at most this many pages writes them in place (see writeOutputs) once all
 * of them rendered; more go into a fresh folder swapped in whole.
 */
const IN_PLACE_PAGES = 200;

/**
 * Which pages to render: those whose signature differs from the previous build's, or that the
 * previous build did not write. The rest are kept as they are.
 */
function planPages(templates: TemplateSet, jobs: readonly PageJob[], shared: string, keys: Readonly<Record<string, PostKeys>>, previous: BuildState | null) {
  const signatures = new Map<string, string>();
  const toRender = new Set<string>();
  for (const job of jobs) {
    const signature = pageSignature(shared, job, layoutShowsPostContent(templates, job.layout), (post) => keys[post.relativePath]!);
    signatures.set(job.outputPath, signature);
    if (previous?.pages?.[job.outputPath] !== signature || previous.manifest[job.outputPath] === undefined) toRender.add(job.outputPath);
  }
  return { signatures, toRender };
}

/** What the post cache holds for the posts, for the shards to compare with the files. */
function cacheFor(config: Config, listed: readonly ListedSource[], cache: ReadonlyMap<string, CachedPost>, now: Instant): ParseRequest['cache'] {
  const posts: Record<string, { key: string; html: HtmlRef }> = {};
  for (const entry of listed) {
    const known = cache.get(entry.relativePath);
    if (known && usableAt(known, config, now)) posts[entry.relativePath] = { key: known.key, html: known.html };
  }
  return { folder: postCacheFolder(config), posts };
}

/** The same build on the main thread, through the incremental builder (which serve uses). */
async function buildOnMainThread(config: Config, options: WholeBuildOptions & { now: Instant }, stamps: Record<string, string>): Promise<BuildSummary> {
  const result = await build(config, { now: options.now, previousManifest: options.previous?.manifest ?? null });
  const pages = result.outputs.filter((output) => typeof output.contents === 'string').length;
  // Whether its templates show the day is not worked out here: at most one build a day is not skipped.
  const state = { manifest: result.manifest!, stamps: result.futurePosts > 0 ? null : stamps, shownDay: dayOf(options.now), warnings: result.warnings };
  return { posts: result.site.posts.length, pages, warnings: result.warnings, timings: result.timings, write: result.write!, state, workers: 0, upToDate: false, reused: { posts: 0, pages: 0 } };
}

/** Whether the pages of the previous build show the right day now (see BuildState.shownDay). */
function stillShowsToday(previous: BuildState, now: Instant): boolean {
  return previous.shownDay == null || previous.shownDay === dayOf(now);
}

function upToDate(previous: BuildState, timings: StageTimings): BuildSummary {
  const files = Object.keys(previous.manifest).length;
  const pages = Object.keys(previous.manifest).filter((file) => !previous.manifest[file]!.startsWith('copy:')).length;
  return {
    posts: 0,
    pages,
    warnings: previous.warnings ?? [],
    timings,
    write: { written: 0, unchanged: files, removed: 0, changedPaths: [] },
    state: previous,
    workers: 0,
    upToDate: true,
    reused: { posts: 0, pages: 0 },
  };
}

async function readLayouts(config: Config, listed: readonly ListedSource[], theme: readonly Source[]): Promise<Source[]> {
  const own = await mapLimit(listed.filter((entry) => entry.kind === 'layout'), 16, (entry) => readSource(config.source, entry.kind, entry.relativePath));
  return [...own, ...theme.filter((source) => source.kind === 'layout')];
}

function staticSources(config: Config, listed: readonly ListedSource[], theme: readonly Source[]): Source[] {
  const own = listed.filter((entry) => entry.kind === 'static').map((entry) => ({ ...entry, absolutePath: path.join(config.source, entry.relativePath) }));
  return [...own, ...theme.filter((source) => source.kind === 'static')];
}

function templateSetOrNull(layouts: readonly Source[], config: Config): TemplateSet | null {
  try {
    return buildTemplateSet(layouts, config);
  } catch (error) {
    if (error instanceof TemplateProblems) return null;
    throw error;
  }
}

function postLayoutsShowOtherPosts(templates: TemplateSet): boolean {
  return [...templates.templates.keys()]
    .filter((name) => !name.includes('/'))
    .map((name) => name.replace(/\.njk$/, ''))
    .filter((layout) => !INDEX_LAYOUTS.has(layout))
    .some((layout) => layoutShowsPostContent(templates, layout));
}

/**
 * Renders page jobs and writes them with the static files. In place, every page is rendered
 * before any is written, and none is written when one failed: that would leave the site half
 * rebuilt. A fresh folder is thrown away when the build fails, so there each page is written as
 * soon as it is rendered: a big site's home page, map and archive (several MB each) are then
 * never all held at once.
 */
async function renderAndWrite(templates: TemplateSet, jobs: readonly PageJob[], statics: readonly Output[], staging: Staging, timings: StageTimings) {
  if (staging.mode === 'in-place') {
    const start = performance.now();
    const { outputs, problems } = renderJobs(templates, jobs);
    const rendered = performance.now();
    timings.render += rendered - start;
    if (problems.length > 0) return { manifest: {}, changed: [], problems };
    const written = await writeOutputs(staging, [...outputs, ...statics]);
    timings.write += performance.now() - rendered;
    return { ...written, problems };
  }
  const manifest: Manifest = {};
  const changed: string[] = [];
  let writing = 0;
  const start = performance.now();
  const { problems } = renderJobs(templates, jobs, (output) => {
    const writeStart = performance.now();
    const written = writeOutputsSync(staging, [output]);
    writing += performance.now() - writeStart;
    Object.assign(manifest, written.manifest);
    changed.push(...written.changed);
  });
  const rendered = performance.now();
  timings.render += rendered - start - writing;
  if (problems.length > 0) return { manifest: {}, changed: [], problems };
  const copied = await writeOutputs(staging, statics);
  timings.write += writing + performance.now() - rendered;
  return { manifest: Object.assign(manifest, copied.manifest), changed: [...changed, ...copied.changed], problems };
}

/** Worker stage times overlap: count the slowest worker of each stage. */
function addWorkerTimes(timings: StageTimings, perWorker: ReadonlyArray<Partial<StageTimings>>): void {
  for (const stage of Object.keys(timings) as Array<keyof StageTimings>) {
    timings[stage] += Math.max(0, ...perWorker.map((times) => times[stage] ?? 0));
  }
}

/**
 * The shards of a build, each asked one thing at a time (see protocol.ts): build worker threads,
 * one shard each, and one more shard in this thread, which would otherwise wait while the workers
 * work. With no threads, this thread's shard is the whole build.
 */
class ShardPool {
  private readonly workers: Worker[];
  private readonly handleHere = createShard();
  private closed = false;
  readonly threads: number;

  constructor(threads: number) {
    this.threads = threads;
    this.workers = Array.from({ length: threads }, () => new Worker(WORKER_SCRIPT));
  }

  private ask<T extends Reply['type']>(worker: Worker, request: Request, expect: T): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: Reply) => {
        settle();
        if (reply.type === 'failed') reject(Object.assign(new Error(`a build worker failed: ${reply.message}`), { stack: reply.stack }, reply.system));
        else if (reply.type !== expect) reject(new Error(`a build worker answered ${reply.type}, not ${expect}`));
        else resolve(reply as Extract<Reply, { type: T }>);
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      // A worker that stops (killed, out of memory, closed) never answers.
      const onExit = (code: number) => {
        settle();
        reject(new Error(`a build worker stopped (exit code ${code}) before it answered`));
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(request);
    });
  }

  /** Sends each worker the request; the replies come once every worker answered. */
  async toWorkers<T extends Reply['type']>(request: Request, expect: T): Promise<Array<Extract<Reply, { type: T }>>> {
    // After close, the workers' share of the work would be silently missing.
    if (this.closed) throw new Error('the build shards were asked for work after they were closed');
    // Every worker finishes before anything is thrown, so none is still writing when a caller cleans up.
    const results = await Promise.allSettled(this.workers.map((worker) => this.ask(worker, request, expect)));
    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected) throw rejected.reason;
    return results.map((result) => (result as PromiseFulfilledResult<Extract<Reply, { type: T }>>).value);
  }

  /** Asks this thread's shard (shard 0). */
  here<T extends Reply['type']>(request: Request, expect: T): Extract<Reply, { type: T }> {
    if (this.closed) throw new Error('the build shards were asked for work after they were closed');
    const reply = this.handleHere(request);
    if (reply.type !== expect) throw new Error(`the build shard answered ${reply.type}, not ${expect}`);
    return reply as Extract<Reply, { type: T }>;
  }

  /**
   * Sends every shard the request, this thread's included, and waits for all replies. With
   * `first`, this thread does that work of its own while the workers start, then joins them.
   */
  async each<T extends Reply['type']>(request: Request, expect: T, first?: () => Promise<void>): Promise<Array<Extract<Reply, { type: T }>>> {
    const fromWorkers = this.toWorkers(request, expect);
    fromWorkers.catch(() => undefined);
    let here: Extract<Reply, { type: T }>;
    try {
      await first?.();
      here = this.here(request, expect);
    } catch (error) {
      // Every worker finishes before anything is thrown, so none is still writing when the caller cleans up.
      await fromWorkers.catch(() => undefined);
      throw error;
    }
    return [here, ...(await fromWorkers)];
  }

  /** Stops the workers; again, it does nothing. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }
}
