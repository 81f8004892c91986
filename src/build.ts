import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { destinationSetting, type Config } from './config.js';
import { nowInstant } from './dates.js';
import { BuildFailed, toProblem } from './errors.js';
import { loadSources, readSourceSync, sourceFolders, sourceKindOf } from './content/load.js';
import { isJekyllSite, needsRescan } from './jekyll/files.js';
import { readPost, type PostResult } from './content/post.js';
import { revivedData } from './content/yaml.js';
import { createMarkdown } from './markup/markdown.js';
import { collectSite, type Site, type SitePost } from './site/collections.js';
import { TemplateProblems, type TemplateSet } from './render/templates.js';
import { postJobs, renderJobs, siteViews, type PageJob, type SiteViews } from './render/pages.js';
import { refreshPostView, setViewContent, sharedTermPageWarnings, type PostView } from './render/views.js';
import { keepPartsOfPages } from './render/fragments.js';
import { indexJobs } from './render/indexes.js';
import { checkDestination, writeOutputsSync, writeSite, type Manifest, type Staging, type WriteResult } from './output/write.js';
import { lastOutputs } from './output/state.js';
import { buildTemplateSet, collisionProblems, siteOwns, staticSitemapPages, hash, layoutShowsPostContent, markupOf, pageSignature, readsEveryPost, sharedDigest, staticOutputs, summaryKey, templatesDigest, themeSources, type PostKeys } from './pipeline.js';
import type { JekyllStages, PreparedJekyllSite } from './jekyll/site.js';
import { HtmlReader, markupSetup, postCacheFolder, postCacheKey, readPostCache, usableAt, type CachedPost } from './content/post-cache.js';
import { engineFor } from './render/engine-for.js';
import type { BuildProblem, Instant, Output, Post, Source } from './types.js';


/** Milliseconds per pipeline stage. */
export type StageTimings = Record<'load' | 'parse' | 'markup' | 'render' | 'write', number>;

/** What a build did, for the summary line, tests and the benchmark. */
export interface BuildResult {
  readonly site: Site;
  readonly outputs: readonly Output[];
  readonly warnings: readonly string[];
  readonly timings: StageTimings;
  /** How many pages were rendered (the rest were unchanged since the last build of this builder). */
  readonly rendered: number;
  /** Posts left out because they are dated in the future: the site changes when their time comes. */
  readonly futurePosts: number;
  readonly write?: WriteResult;
  readonly manifest?: Manifest;
}

export interface BuildOptions {
  /** The time the build runs at; fixed in tests so future-post rules are repeatable. */
  readonly now?: Instant;
}

/** A build that renders only some pages (see Builder.writePagesFirst). */
interface PartialBuildOptions extends BuildOptions {
  /** Output paths of the pages to render; the others are neither rendered nor returned. */
  readonly only?: ReadonlySet<string>;
}

/**
 * Builds a site again and again, redoing only what changed: it keeps the sources it read, the
 * posts it parsed, their HTML, and the pages it rendered, each keyed by what produced it. Every
 * build still recomputes the whole Site from those, so indexes never go stale.
 */
export interface Builder {
  readonly config: Config;
  /**
   * Builds in memory. `changed` lists source paths (relative, `/`-separated) that were added,
   * edited or deleted since the last build; omit it to rescan the whole source tree.
   */
  build(changed?: Iterable<string>, options?: BuildOptions): Promise<BuildResult>;
  /** Builds and writes to `config.destination`, skipping files whose bytes did not change. */
  buildAndWrite(changed?: Iterable<string>, options?: BuildOptions & { previousManifest?: Manifest | null; mode?: 'fresh' | 'in-place' }): Promise<BuildResult>;
  /**
   * Renders only `pages` (the pages open in a browser) as the next build will make them, and
   * writes those that changed in place, so the page a writer looks at reloads before the rest of
   * the site is rebuilt; the next buildAndWrite finishes the rest. Returns the changed pages and
   * the manifest of the destination now. Needs a site written by this builder (else does nothing).
   */
  writePagesFirst(changed: Iterable<string>, pages: ReadonlySet<string>, options?: BuildOptions): Promise<FirstPages>;
}

/** What Builder.writePagesFirst wrote. */
export interface FirstPages {
  /** The pages it rewrote. */
  readonly changed: string[];
  /** The destination's manifest now. */
  readonly manifest: Manifest;
  /**
   * Puts back what those pages held before, and their manifest entries: for when the rest of the
   * rebuild then fails, which must leave the site as the last good build left it. Returns the
   * pages put back.
   */
  undo(): string[];
}

/** Runs the pipeline once in memory: load -> parse -> markup -> collect -> render. */
export async function buildInMemory(config: Config, options: BuildOptions = {}): Promise<BuildResult> {
  return createBuilder(config).build(undefined, options);
}

/** Builds once and writes to `config.destination`. */
export async function build(config: Config, options: BuildOptions & { previousManifest?: Manifest | null } = {}): Promise<BuildResult> {
  return createBuilder(config).buildAndWrite(undefined, options);
}

/** A site put together: what reusedLayout keeps between builds. */
interface SiteLayout {
  /** The templates it was made for. */
  readonly templates: string | undefined;
  /** The output paths of the site's own static files, which Quire's generated pages give way to. */
  readonly shadowing: string;
  /** The posts it was made from, in the order the builder read them. */
  readonly posts: readonly SitePost[];
  readonly site: Site;
  readonly views: SiteViews;
  readonly jobs: readonly PageJob[];
  /** For each post, the indexes in `jobs` of the pages that show it; made when first needed. */
  dependents?: Map<SitePost, number[]>;
}

interface RenderedPage {
  readonly signature: string;
  readonly output: Output;
}

export interface BuilderOptions {
  /**
   * Keep `{% cached %}` template parts between builds (see render/fragments.ts): worth it for a
   * builder that rebuilds many times (`serve`), a cost for one that builds once.
   */
  readonly keepFragments?: boolean;
  /**
   * Start from the posts `quire build` left in the post cache (see fromPostCache): `serve` does,
   * so it starts sooner; builds meant as a reference (tests) do not.
   */
  readonly startFromPostCache?: boolean;
}

export function createBuilder(config: Config, builderOptions: BuilderOptions = {}): Builder {
  const sources = new Map<string, Source>();
  const parsed = new Map<string, { text: string; result: PostResult }>();
  // A post's HTML, made again when its text changes or, for a Jekyll post with Liquid in it, when
  // anything its Liquid may read changed (`key`).
  const marked = new WeakMap<Post, { key: string; post: SitePost }>();
  // What identifies a post's data for page signatures: a hash of everything but its HTML (what
  // lists show), and a serial number per HTML (a post's HTML is made once per source version).
  const summaryVersions = new WeakMap<SitePost, string>();
  const contentVersions = new WeakMap<SitePost, string>();
  const structures = new WeakMap<SitePost, string>();
  let firstBuild = true;
  let postCache: { posts: ReadonlyMap<string, CachedPost>; reader: HtmlReader } | null = null;
  let nextContentVersion = 0;
  const rendered = new Map<string, RenderedPage>();
  let templates: { digest: string; set: TemplateSet } | null = null;
  let lastLayout: SiteLayout | null = null;
  let lastJobs = new Map<string, PageJob>();
  let lastShared = '';
  let manifest: Manifest | null = null;
  // The output paths of the last build with no two outputs in one place (see collisionsIn).
  let clearPaths: ReadonlySet<string> = new Set();
  const md = createMarkdown();
  const configDigest = hash(JSON.stringify(config));
  // A Jekyll site (pages, _layouts/, _includes/, _data/, Liquid): its stages live in jekyll/site.ts,
  // loaded by the first build (a Quire site never loads Liquid).
  const isJekyll = isJekyllSite(config);
  let jekyll: JekyllStages | null = null;
  // The folders no build may write into, for checkDestination: fixed by the configuration.
  const builtFrom = sourceFolders(config);

  async function refreshSources(changedPaths: Iterable<string> | undefined, problems: BuildProblem[]): Promise<void> {
    const changed = changedPaths === undefined ? undefined : [...changedPaths];
    if (changed === undefined || sources.size === 0 || needsRescan(config, changed)) {
      const loaded = await loadSources(config);
      problems.push(...loaded.problems);
      sources.clear();
      for (const source of [...loaded.sources, ...(await themeSources(config, loaded.sources))]) sources.set(source.absolutePath, source);
      return;
    }
    let added = false;
    for (const relativePath of new Set(changed)) {
      const absolutePath = path.join(config.source, relativePath);
      const kind = sourceKindOf(config, relativePath);
      if (kind === null) continue;
      added ||= !sources.has(absolutePath);
      if (!existsSync(absolutePath)) {
        sources.delete(absolutePath);
        continue;
      }
      // A file that became a folder (public/thing -> public/thing/index.html): its files are read afresh.
      if (statSync(absolutePath, { throwIfNoEntry: false })?.isDirectory()) return refreshSources(undefined, problems);
      try {
        // A few changed files at a time: read them directly rather than through the thread pool.
        sources.set(absolutePath, readSourceSync(config.source, kind, relativePath));
      } catch (error) {
        sources.delete(absolutePath);
        // Gone between the save and this read (an editor's temporary file): its removal is the change.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(toProblem(error, relativePath));
      }
    }
    // A new file may be an old one renamed, whose removal the watcher reports a little later (a
    // hundred milliseconds): without this, both would be in the site for one rebuild, and a post
    // with a permalink would clash with itself.
    if (added) for (const absolutePath of [...sources.keys()]) if (!existsSync(absolutePath)) sources.delete(absolutePath);
  }

  function parsePosts(now: Instant, problems: BuildProblem[], warnings: string[]): { posts: Post[]; futurePosts: number } {
    const posts: Post[] = [];
    let futurePosts = 0;
    for (const source of sources.values()) {
      if (source.kind !== 'post' && source.kind !== 'draft') continue;
      const text = source.text ?? '';
      let entry = parsed.get(source.absolutePath);
      // A future post's visibility depends on the clock, so its result is never reused.
      if (!entry || entry.text !== text || 'skipped' in entry.result) {
        try {
          entry = fromPostCache(source, text, now) ?? { text, result: readPost(source, config, now, jekyll?.postOptions) };
          parsed.set(source.absolutePath, entry);
        } catch (error) {
          parsed.delete(source.absolutePath);
          problems.push(toProblem(error, source.relativePath));
          continue;
        }
      }
      if ('post' in entry.result) posts.push(entry.result.post);
      else if ('warning' in entry.result) warnings.push(entry.result.warning);
      else if (entry.result.skipped === 'future') futurePosts++;
    }
    return { posts, futurePosts };
  }

  /**
   * A post as `quire build` left it in the post cache (see content/post-cache.ts), with its HTML,
   * when the file is the same: the first build of `quire serve` then parses and renders only the
   * posts that changed since. Null when the cache has nothing for it (or it cannot be read).
   */
  function fromPostCache(source: Source, text: string, now: Instant): { text: string; result: PostResult } | null {
    const known = postCache?.posts.get(source.relativePath);
    if (!postCache || !known || known.key !== postCacheKey(source) || !usableAt(known, config, now)) return null;
    try {
      const summary: SitePost = { ...known.summary, data: revivedData(known.summary.data) };
      marked.set(summary, { key: '', post: { ...summary, html: postCache.reader.read(known.html) } });
      return { text, result: { post: summary } };
    } catch {
      return null;
    }
  }

  function templateSet(problems: BuildProblem[]): TemplateSet | null {
    const layouts = [...sources.values()].filter((source) => source.kind === 'layout' && engineFor(source.relativePath) === 'nunjucks');
    const digest = templatesDigest(layouts);
    if (templates?.digest === digest) return templates.set;
    try {
      const set = buildTemplateSet(layouts, config, builderOptions.keepFragments ?? false);
      templates = { digest, set };
      return set;
    } catch (error) {
      templates = null;
      if (error instanceof TemplateProblems) problems.push(...error.problems.map((problem) => problem.toProblem()));
      else problems.push(toProblem(error, 'templates'));
      return null;
    }
  }

  function renderMarkup(posts: readonly Post[], problems: BuildProblem[], prepared: PreparedJekyllSite | null): SitePost[] {
    const result: SitePost[] = [];
    for (const post of posts) {
      const key = prepared?.markupKey(post) ?? '';
      let entry = marked.get(post);
      if (entry?.key !== key) {
        try {
          entry = { key, post: { ...post, ...(prepared ? prepared.markup(post) : markupOf(md, post, config)) } };
          marked.set(post, entry);
        } catch (error) {
          problems.push(toProblem(error, post.relativePath));
          continue;
        }
      }
      result.push(entry.post);
    }
    return result;
  }

  /** Identifies what lists show of a post: title, date, URL, excerpt, front matter... */
  function summaryOf(post: SitePost): string {
    let version = summaryVersions.get(post);
    if (version === undefined) {
      version = summaryKey(post);
      summaryVersions.set(post, version);
    }
    return version;
  }

  /** Identifies a post's HTML: the same object (same source text) keeps the same version. */
  function contentOf(post: SitePost): string {
    let version = contentVersions.get(post);
    if (version === undefined) {
      version = (nextContentVersion++).toString(36);
      contentVersions.set(post, version);
    }
    return version;
  }

  function keysOf(post: SitePost): PostKeys {
    return { summary: summaryOf(post), content: contentOf(post) };
  }

  /**
   * What every page depends on besides its own posts: config, templates, the map drawing, what
   * else the site gives templates (`other`: a Jekyll site's pages and data), and, when a template
   * reads site-wide lists (`site.posts`...), every post.
   */
  function siteDigest(site: Site, set: TemplateSet, legend: unknown, other: string): string {
    const everyPost = readsEveryPost(set) ? site.posts.map((post) => summaryOf(post) + contentOf(post)).join() : '';
    return sharedDigest(configDigest, templates?.digest ?? '', set, site.time, legend, other, everyPost);
  }

  /**
   * Renders Nunjucks page jobs, reusing each page whose inputs did not change since the last build.
   * With `only`, just those pages: the builder's memory of the last whole build is left as it was.
   */
  function renderPages(site: Site, set: TemplateSet, views: SiteViews, jobs: readonly PageJob[], other: string, problems: BuildProblem[], only?: ReadonlySet<string>): { outputs: Output[]; count: number } {
    const shared = siteDigest(site, set, views.map.legend, other);
    const outputs: Output[] = [];
    const toRender: Array<{ job: PageJob; signature: string }> = [];
    for (const job of jobs) {
      if (only && !only.has(job.outputPath)) continue;
      const previous = rendered.get(job.outputPath);
      // The very job of the last build (see reusedLayout) with the same site-wide inputs: its page is the same.
      if (previous && lastJobs.get(job.outputPath) === job && shared === lastShared) {
        outputs.push(previous.output);
        continue;
      }
      const signature = pageSignature(shared, job, layoutShowsPostContent(set, job.layout), keysOf);
      if (previous?.signature === signature && previous.output.origin === job.origin) outputs.push(previous.output);
      else toRender.push({ job, signature });
    }
    const result = renderJobs(set, toRender.map(({ job }) => job));
    problems.push(...result.problems);
    const signatureOf = new Map(toRender.map(({ job, signature }) => [job.outputPath, signature]));
    for (const output of result.outputs) {
      rendered.set(output.path, { signature: signatureOf.get(output.path)!, output });
      outputs.push(output);
    }
    // A page that failed has no good output to reuse: the next build renders it again (and
    // reports it again, if nothing was fixed), whatever else it finds unchanged.
    if (result.problems.length > 0) {
      const made = new Set(result.outputs.map((output) => output.path));
      for (const outputPath of signatureOf.keys()) if (!made.has(outputPath)) rendered.delete(outputPath);
    }
    if (only) return { outputs, count: result.outputs.length };
    lastJobs = new Map(jobs.map((job) => [job.outputPath, job]));
    lastShared = shared;
    for (const outputPath of rendered.keys()) if (!lastJobs.has(outputPath)) rendered.delete(outputPath);
    keepPartsOfPages(set.env, lastJobs);
    return { outputs, count: result.outputs.length };
  }

  /**
   * What decides a post's place in the site: its path, date, URL, categories, tags, coordinates,
   * layout, and the front matter index pages copy (sitemap). Two versions of a post with the same
   * structure sit in the same place in every list, page and map; only what lists show of them
   * (title, excerpt, other front matter) can differ.
   */
  function structureOf(post: SitePost): string {
    let structure = structures.get(post);
    if (structure === undefined) {
      const { date, categories, tags, coordinates, url, outputPath, layout, kind, data } = post;
      structure = JSON.stringify([post.relativePath, date.epochMs, date.offsetMinutes, categories, tags, coordinates, url, outputPath, layout, kind, data.sitemap, data.last_modified_at]);
      structures.set(post, structure);
    }
    return structure;
  }

  /**
   * The site's views and page jobs from the last build, when no post came or went and none moved
   * (see structureOf): the usual edit, to a post's text or title. The last views and jobs are reused
   * with the edited posts swapped in: a post whose HTML alone changed gets it in its view; one whose
   * title, excerpt or other front matter changed gets its view's fields made again, in place, so
   * every list holding that view shows the change. The jobs of pages that show none of the edited
   * posts stay the same objects, so renderPages reuses their pages without looking further. Null
   * when the site must be put together again.
   */
  function reusedLayout(sitePosts: readonly SitePost[], shadowing: string): SiteLayout | null {
    const last = lastLayout;
    if (!last || last.templates !== templates?.digest || last.shadowing !== shadowing || last.posts.length !== sitePosts.length) return null;
    for (let i = 0; i < sitePosts.length; i++) {
      const post = sitePosts[i]!;
      const old = last.posts[i]!;
      if (post !== old && structureOf(post) !== structureOf(old)) return null;
    }
    const swapped = new Map<SitePost, SitePost>();
    sitePosts.forEach((post, i) => {
      if (post !== last.posts[i]) swapped.set(last.posts[i]!, post);
    });
    if (swapped.size === 0) return last;
    const views = last.views;
    const viewOf = views.posts as Map<SitePost, PostView>;
    const postOf = views.postOf as Map<PostView, SitePost>;
    for (const [old, post] of swapped) {
      const view = viewOf.get(old)!;
      if (summaryOf(post) === summaryOf(old)) setViewContent(view, post.html);
      else refreshPostView(view, post);
      viewOf.delete(old);
      viewOf.set(post, view);
      postOf.set(view, post);
    }
    const swap = (post: SitePost) => swapped.get(post) ?? post;
    // Only the jobs of pages that show an edited post change; the index says which they are.
    const dependents = (last.dependents ??= dependentsOf(last.jobs));
    const jobs = [...last.jobs];
    const touched = new Set<number>();
    for (const old of swapped.keys()) for (const index of dependents.get(old) ?? []) touched.add(index);
    for (const index of touched) {
      const job = jobs[index]!;
      const own = job.ownPost && swapped.get(job.ownPost);
      jobs[index] = own ? { ...job, content: own.html, ownPost: own, dependsOn: job.dependsOn.map(swap) } : { ...job, dependsOn: job.dependsOn.map(swap) };
    }
    for (const [old, post] of swapped) {
      dependents.set(post, dependents.get(old) ?? []);
      dependents.delete(old);
    }
    const site = { ...last.site, posts: last.site.posts.map(swap) };
    return { templates: last.templates, shadowing, posts: sitePosts, site, views, jobs, dependents };
  }

  function dependentsOf(jobs: readonly PageJob[]): Map<SitePost, number[]> {
    const dependents = new Map<SitePost, number[]>();
    jobs.forEach((job, index) => {
      for (const post of new Set([...job.dependsOn, ...(job.ownPost ? [job.ownPost] : [])])) {
        const list = dependents.get(post);
        if (list) list.push(index);
        else dependents.set(post, [index]);
      }
    });
    return dependents;
  }

  async function build(changed?: Iterable<string>, options: PartialBuildOptions = {}): Promise<BuildResult> {
    const timings: StageTimings = { load: 0, parse: 0, markup: 0, render: 0, write: 0 };
    const time = <T>(stage: keyof StageTimings, run: () => T): T => {
      const start = performance.now();
      try {
        return run();
      } finally {
        timings[stage] += performance.now() - start;
      }
    };
    const problems: BuildProblem[] = [];
    const warnings: string[] = [];
    const loadStart = performance.now();
    if (isJekyll && jekyll === null) jekyll = (await import('./jekyll/site.js')).createJekyllStages(config, md);
    const stages = jekyll;
    await refreshSources(changed, problems);
    timings.load = performance.now() - loadStart;

    const now = options.now ?? nowInstant(config.timezone);
    if (stages) warnings.push(...stages.siteWarnings());
    // The first build of a Quire site starts from what `quire build` cached; later ones from memory.
    if (firstBuild && !stages && builderOptions.startFromPostCache) postCache = { posts: await readPostCache(config, markupSetup(config)), reader: new HtmlReader(postCacheFolder(config)) };
    const { posts, futurePosts } = time('parse', () => parsePosts(now, problems, warnings));
    postCache?.reader.close();
    postCache = null;
    firstBuild = false;
    const set = time('parse', () => templateSet(problems));
    const prepared = stages ? time('parse', () => stages.prepare([...sources.values()], posts, now, problems, warnings)) : null;
    const sitePosts = time('markup', () => renderMarkup(posts, problems, prepared));
    const statics = prepared ? [] : staticOutputs(sources.values(), config);
    // Which of Quire's pages the site's own files take the place of is part of the layout.
    const shadowing = statics.filter((output) => !output.origin.startsWith('(theme)')).map((output) => output.path).join('\0');
    const reused = set && !prepared ? time('render', () => reusedLayout(sitePosts, shadowing)) : null;
    const site = reused?.site ?? collectSite(config, sitePosts, now);
    warnings.push(...sharedTermPageWarnings(site));

    const outputs: Output[] = [];
    let count = 0;
    if (set) {
      const views = reused?.views ?? time('render', () => siteViews(site));
      // A Quire site's pages are all Nunjucks; a Jekyll site's are mostly Liquid (jekyll/site.ts).
      const plan = prepared
        ? time('render', () => prepared.render(site, views, set, problems, warnings, keysOf))
        : quirePlan(site, views, statics, reused?.jobs);
      if (!prepared) lastLayout = { templates: templates?.digest, shadowing, posts: sitePosts, site, views, jobs: plan.jobs, dependents: reused?.dependents };
      const pages = time('render', () => renderPages(site, set, views, plan.jobs, plan.digest, problems, options.only));
      outputs.push(...pages.outputs, ...plan.outputs);
      count = pages.count + plan.rendered;
    } else {
      outputs.push(...staticOutputs(sources.values(), config));
    }
    const lineOf = (origin: string) => sitePosts.find((post) => post.relativePath === origin)?.permalinkLine;
    // Without templates no page is rendered, but post URLs and layout names can still be checked.
    const postPaths = set ? [] : sitePosts.map((post) => ({ path: post.outputPath, origin: post.relativePath }));
    if (!set && !prepared) problems.push(...unknownLayouts(sitePosts));
    // A partial build (only some pages) checks what it has, and leaves the last whole build's paths be.
    problems.push(...(options.only ? collisionProblems : collisionsIn)([...outputs, ...postPaths], lineOf));
    if (problems.length > 0) throw new BuildFailed(problems);
    return { site, outputs, warnings, timings, rendered: count, futurePosts };
  }

  /**
   * collisionProblems, skipped when the outputs have the paths of the last build that had none
   * (the usual rebuild: a post edited, no page added or moved), which at 10,000 posts saves
   * about 10 ms of every rebuild in `quire serve`.
   */
  function collisionsIn(outputs: ReadonlyArray<{ path: string; origin: string }>, lineOf: (origin: string) => number | undefined): BuildProblem[] {
    const paths = new Set(outputs.map((output) => output.path));
    const known = clearPaths;
    if (paths.size === outputs.length && paths.size === known.size && [...paths].every((outputPath) => known.has(outputPath))) return [];
    const problems = collisionProblems(outputs, lineOf);
    clearPaths = problems.length === 0 ? paths : new Set();
    return problems;
  }

  /** Posts naming a layout no template file provides (used when the templates did not compile). */
  function unknownLayouts(posts: readonly SitePost[]): BuildProblem[] {
    const names = new Set([...sources.values()].filter((source) => source.kind === 'layout').map((source) => path.posix.basename(source.relativePath).replace(/\.[^.]+$/, '')));
    return posts
      .filter((post) => post.layout !== null && !names.has(post.layout))
      .map((post) => ({ file: post.relativePath, line: post.layoutLine, message: `unknown layout "${post.layout}"`, hint: `add templates/${post.layout}.njk` }));
  }

  let destinationChecked = false;
  return {
    config,
    build,
    async buildAndWrite(changed, options = {}) {
      // Once per builder (its config names one destination): after that, the folder holds what this builder wrote.
      if (!destinationChecked) checkDestination(config.source, config.destination, builtFrom, destinationSetting(config), lastOutputs(config));
      destinationChecked = true;
      const result = await build(changed, options);
      const start = performance.now();
      const written = await writeSite(config.destination, result.outputs, manifest ?? options.previousManifest ?? null, options.mode ?? 'fresh');
      manifest = written.manifest;
      return { ...result, timings: { ...result.timings, write: performance.now() - start }, write: written.result, manifest };
    },
    async writePagesFirst(changed, pages, options = {}) {
      // A Jekyll site's Liquid pages are rendered together; there is nothing to gain.
      if (manifest === null || isJekyll || pages.size === 0) return { changed: [], manifest: manifest ?? {}, undo: () => [] };
      const known = manifest;
      const result = await build(changed, { ...options, only: pages });
      const staging: Staging = { destination: config.destination, root: config.destination, mode: 'in-place', previous: known };
      const pagesNow = result.outputs.filter((output) => pages.has(output.path) && typeof output.contents === 'string');
      // A few pages (those open in browsers): what they held is kept until the rebuild is done.
      const before = new Map(pagesNow.map((output) => [output.path, { print: known[output.path], bytes: readIfPresent(path.join(config.destination, output.path)) }]));
      const written = writeOutputsSync(staging, pagesNow);
      Object.assign(known, written.manifest);
      const undo = () => {
        for (const page of written.changed) {
          const { print, bytes } = before.get(page)!;
          const file = path.join(config.destination, page);
          if (bytes === null) rmSync(file, { force: true });
          else writeFileSync(file, bytes);
          if (print === undefined) delete known[page];
          else known[page] = print;
        }
        return written.changed;
      };
      return { changed: written.changed, manifest: known, undo };
    },
  };
}

function readIfPresent(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** A Quire site's pages: its posts' and Quire's generated ones, but where a file of its own stands. */
function quirePlan(site: Site, views: SiteViews, statics: Output[], reusedJobs: readonly PageJob[] | undefined) {
  return { outputs: statics, jobs: reusedJobs ?? [...postJobs(site, views), ...indexJobs(site, views, staticSitemapPages(statics), siteOwns(statics))], digest: '', rendered: 0 };
}
