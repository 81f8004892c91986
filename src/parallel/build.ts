import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createBuilder, type StageTimings } from '../build.js';
import type { Config } from '../config.js';
import { mapLimit } from '../content/files.js';
import { listSources, readSource, type ListedSource } from '../content/load.js';
import { isJekyllSite } from '../jekyll/files.js';
import { nowInstant } from '../dates.js';
import { BuildFailed } from '../errors.js';
import { abortWrite, beginWrite, checkDestination, finishWrite, writeOutputs, type Manifest, type WriteResult } from '../output/write.js';
import { outputsPresent, sameStamps, stampsOf, type BuildState } from '../output/state.js';
import { buildTemplateSet, collisionProblems, layoutShowsPostContent, QUIRE_ROOT, readsEveryPost, staticOutputs, themeSources } from '../pipeline.js';
import { INDEX_LAYOUTS, indexJobs } from '../render/indexes.js';
import { renderJobs, siteViews, type PageJob } from '../render/pages.js';
import { setViewContent } from '../render/views.js';
import { TemplateProblems, type TemplateSet } from '../render/templates.js';
import { collectSite, type Site, type SitePost } from '../site/collections.js';
import type { Instant, Source } from '../types.js';
import type { PostSummary, Reply, Request } from './protocol.js';

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
}

export interface WholeBuildOptions {
  readonly now?: Instant;
  /** What the last build into the same destination left (see BuildState). */
  readonly previous?: BuildState | null;
  /** Worker threads to use; by default one per core, none for small sites. */
  readonly workers?: number;
}

/** Below this many posts, starting threads costs more than it saves. */
const POSTS_PER_WORKER_AT_LEAST = 250;
const WORKER_SCRIPT = path.join(QUIRE_ROOT, 'dist', 'parallel', 'worker.js');

/**
 * `quire build`: the whole site, with the posts split across worker threads (one per core). Each
 * worker reads, parses and renders the markup of its share of the posts, then, once the main thread
 * has put the site together from their summaries, renders and writes those posts' pages; the main
 * thread renders the index pages meanwhile. Everything goes into a fresh folder swapped in at the end.
 * Sites whose templates read every post's content, Jekyll sites, and small sites, build on the
 * main thread.
 */
export async function buildWholeSite(config: Config, options: WholeBuildOptions = {}): Promise<BuildSummary> {
  checkDestination(config.source, config.destination);
  const timings: StageTimings = { load: 0, parse: 0, markup: 0, render: 0, write: 0 };
  const started = performance.now();
  const listed = await listSources(config);
  const postEntries = listed.filter((entry) => entry.kind === 'post' || entry.kind === 'draft');
  const workerCount = options.workers ?? Math.min(os.availableParallelism(), Math.floor(postEntries.length / POSTS_PER_WORKER_AT_LEAST));
  const theme = await themeSources(config, listed);
  const stamps = await stampsOf([...listed.map((entry) => path.join(config.source, entry.relativePath)), ...theme.map((source) => source.absolutePath)]);
  const previous = options.previous ?? null;
  if (previous?.stamps && sameStamps(previous.stamps, stamps) && (await outputsPresent(config.destination, previous.manifest))) {
    timings.load = performance.now() - started;
    return upToDate(previous, timings);
  }
  // A Jekyll site builds on the main thread: Liquid in any post may read every other post, page
  // and data file (site.posts, {% post_url %}, site.data), so posts cannot be rendered apart.
  if (isJekyllSite(config)) {
    timings.load = performance.now() - started;
    return buildOnMainThread(config, options, stamps);
  }
  const layouts = await readLayouts(config, listed, theme);
  const templates = templateSetOrNull(layouts, config);
  timings.load = performance.now() - started;
  // With a broken template, the main-thread build still reads every post, to report all problems.
  if (templates === null) return buildOnMainThread(config, options, stamps);

  // A worker has only its own posts' HTML: templates that show other posts' HTML on a post page
  // (or read every post) need the whole site in one thread.
  if (workerCount < 1 || readsEveryPost(templates) || postLayoutsShowOtherPosts(templates) || !existsSync(WORKER_SCRIPT)) {
    return buildOnMainThread(config, options, stamps);
  }

  const now = options.now ?? nowInstant(config.timezone);
  const pool = new WorkerPool(workerCount);
  try {
    const shards = shard(postEntries, workerCount);
    const parsed = await pool.each((index) => ({ type: 'parse', config, now, layouts, posts: shards[index]! }), 'parsed');
    const problems = parsed.flatMap((reply) => reply.problems);
    const warnings = parsed.flatMap((reply) => reply.warnings);
    addWorkerTimes(timings, parsed.map((reply) => ({ load: reply.milliseconds.read, parse: reply.milliseconds.parse, markup: reply.milliseconds.markup })));
    if (problems.length > 0) throw new BuildFailed(problems);

    const summaries = parsed.flatMap((reply) => reply.summaries);
    const futurePosts = parsed.reduce((sum, reply) => sum + reply.futurePosts, 0);
    const ownerOf = new Map<string, number>();
    parsed.forEach((reply, worker) => reply.summaries.forEach((summary) => ownerOf.set(summary.relativePath, worker)));

    const collectStart = performance.now();
    const { site, jobs } = await indexPages(config, summaries, now, templates, pool, ownerOf);
    const statics = staticOutputs(staticSources(config, listed, theme), config);
    const lineOf = new Map(site.posts.map((post) => [post.relativePath, post.permalinkLine]));
    const collisions = collisionProblems(
      [...site.posts.map((post) => ({ path: post.outputPath, origin: post.relativePath })), ...jobs.map((job) => ({ path: job.outputPath, origin: job.origin })), ...statics],
      (origin) => lineOf.get(origin),
    );
    if (collisions.length > 0) throw new BuildFailed(collisions);
    timings.parse += performance.now() - collectStart;

    const staging = await beginWrite(config.destination, previous?.manifest ?? null, 'fresh');
    try {
      const [rendered, own] = await Promise.all([
        pool.each(() => ({ type: 'render', summaries: site.posts, staging }), 'rendered'),
        renderAndWrite(templates, jobs, statics, staging, timings),
      ]);
      addWorkerTimes(timings, rendered.map((reply) => ({ render: reply.milliseconds.render, write: reply.milliseconds.write })));
      const renderProblems = [...own.problems, ...rendered.flatMap((reply) => reply.problems)];
      if (renderProblems.length > 0) throw new BuildFailed(renderProblems);
      const manifest: Manifest = Object.assign({}, own.manifest, ...rendered.map((reply) => reply.manifest));
      const changed = [...own.changed, ...rendered.flatMap((reply) => reply.changed)];
      const finishStart = performance.now();
      const write = await finishWrite(staging, manifest, changed);
      timings.write += performance.now() - finishStart;
      const state = { manifest, stamps: futurePosts > 0 ? null : stamps };
      return { posts: site.posts.length, pages: site.posts.length + jobs.length, warnings, timings, write, state, workers: workerCount, upToDate: false };
    } catch (error) {
      await abortWrite(staging);
      throw error;
    }
  } finally {
    await pool.close();
  }
}

/** The same build on the main thread, through the incremental builder (which serve uses). */
async function buildOnMainThread(config: Config, options: WholeBuildOptions, stamps: Record<string, string>): Promise<BuildSummary> {
  const result = await createBuilder(config).buildAndWrite(undefined, { now: options.now, previousManifest: options.previous?.manifest ?? null, mode: 'fresh' });
  const pages = result.outputs.filter((output) => typeof output.contents === 'string').length;
  const state = { manifest: result.manifest!, stamps: result.futurePosts > 0 ? null : stamps };
  return { posts: result.site.posts.length, pages, warnings: result.warnings, timings: result.timings, write: result.write!, state, workers: 0, upToDate: false };
}

function upToDate(previous: BuildState, timings: StageTimings): BuildSummary {
  const files = Object.keys(previous.manifest).length;
  const pages = Object.keys(previous.manifest).filter((file) => !previous.manifest[file]!.startsWith('copy:')).length;
  return {
    posts: 0,
    pages,
    warnings: [],
    timings,
    write: { written: 0, unchanged: files, removed: 0, changedPaths: [] },
    state: previous,
    workers: 0,
    upToDate: true,
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

/** Posts dealt round-robin, so each worker gets a similar mix of sizes. */
function shard<T>(items: readonly T[], count: number): T[][] {
  const shards: T[][] = Array.from({ length: count }, () => []);
  items.forEach((item, index) => shards[index % count]!.push(item));
  return shards;
}

/**
 * The site from the workers' summaries, and its index pages. Index templates that show a post's
 * `content` (the feeds) get those posts' HTML from the workers that own them.
 */
async function indexPages(config: Config, summaries: readonly PostSummary[], now: Instant, templates: TemplateSet, pool: WorkerPool, ownerOf: ReadonlyMap<string, number>): Promise<{ site: Site; jobs: PageJob[] }> {
  const site = collectSite(config, summaries, now);
  const views = siteViews(site);
  const jobs = indexJobs(site, views);
  const needed = new Set<SitePost>();
  for (const job of jobs) if (layoutShowsPostContent(templates, job.layout)) for (const post of job.dependsOn) needed.add(post);
  if (needed.size === 0) return { site, jobs };
  const html = await pool.htmlOf([...needed].map((post) => post.relativePath), ownerOf);
  for (const post of needed) setViewContent(views.posts.get(post)!, html[post.relativePath] ?? '');
  return { site, jobs };
}


async function renderAndWrite(templates: TemplateSet, jobs: readonly PageJob[], statics: ReturnType<typeof staticOutputs>, staging: Parameters<typeof writeOutputs>[0], timings: StageTimings) {
  const start = performance.now();
  const { outputs, problems } = renderJobs(templates, jobs);
  const rendered = performance.now();
  const written = await writeOutputs(staging, [...outputs, ...statics]);
  timings.render += rendered - start;
  timings.write += performance.now() - rendered;
  return { ...written, problems };
}

/** Worker stage times overlap: count the slowest worker of each stage. */
function addWorkerTimes(timings: StageTimings, perWorker: ReadonlyArray<Partial<StageTimings>>): void {
  for (const stage of Object.keys(timings) as Array<keyof StageTimings>) {
    timings[stage] += Math.max(0, ...perWorker.map((times) => times[stage] ?? 0));
  }
}

/** A fixed set of build workers, each asked one thing at a time. */
class WorkerPool {
  private readonly workers: Worker[];

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(WORKER_SCRIPT));
  }

  private ask<T extends Reply['type']>(worker: Worker, request: Request, expect: T): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        worker.off('error', onError);
        if (reply.type === 'failed') reject(Object.assign(new Error(`a build worker failed: ${reply.message}`), { stack: reply.stack }));
        else if (reply.type !== expect) reject(new Error(`a build worker answered ${reply.type}, not ${expect}`));
        else resolve(reply as Extract<Reply, { type: T }>);
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(request);
    });
  }

  /** Sends each worker its request and waits for all replies. */
  each<T extends Reply['type']>(request: (index: number) => Request, expect: T): Promise<Array<Extract<Reply, { type: T }>>> {
    return Promise.all(this.workers.map((worker, index) => this.ask(worker, request(index), expect)));
  }

  /** The HTML of the given posts, from the workers that own them. */
  async htmlOf(paths: readonly string[], ownerOf: ReadonlyMap<string, number>): Promise<Record<string, string>> {
    const byWorker = this.workers.map((): string[] => []);
    for (const file of paths) byWorker[ownerOf.get(file) ?? 0]!.push(file);
    const replies = await Promise.all(this.workers.map((worker, index) => this.ask(worker, { type: 'html', paths: byWorker[index]! }, 'html')));
    return Object.assign({}, ...replies.map((reply) => reply.html));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

