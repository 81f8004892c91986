import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type MarkdownIt from 'markdown-it';
import type { Config } from './config.js';
import { nowInstant } from './dates.js';
import { BuildFailed, toProblem } from './errors.js';
import { listFiles, loadSources, readSource, mapLimit } from './content/load.js';
import { readPost } from './content/post.js';
import { createMarkdown } from './markup/markdown.js';
import { excerptSource } from './markup/excerpt.js';
import { collectSite, type Site, type SitePost } from './site/collections.js';
import { createTemplateSet, TemplateProblems } from './render/templates.js';
import { jekyllFilters } from './render/filters.js';
import { postJobs, renderJobs, siteViews, type PageJob, type SiteViews } from './render/pages.js';
import { indexJobs } from './render/indexes.js';
import { checkDestination, findCollisions, writeSite, type Manifest, type WriteResult } from './output/write.js';
import type { BuildProblem, Instant, Output, Post, Source } from './types.js';

/** Quire's own folder (the package root): its `templates/` and `public/` are the fallback theme. */
export const QUIRE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Milliseconds per pipeline stage. */
export type StageTimings = Record<'load' | 'parse' | 'markup' | 'render' | 'write', number>;

/** What a build did, for the summary line, tests and the benchmark. */
export interface BuildResult {
  readonly site: Site;
  readonly outputs: readonly Output[];
  readonly warnings: readonly string[];
  readonly timings: StageTimings;
  readonly write?: WriteResult;
}

export interface BuildOptions {
  /** The time the build runs at; fixed in tests so future-post rules are repeatable. */
  readonly now?: Instant;
  /** The previous manifest of the destination, to skip unchanged files. */
  readonly previousManifest?: Manifest | null;
}

/**
 * Runs the pipeline in memory: load -> parse -> markup -> collect -> render. Returns every output
 * without writing anything. Throws BuildFailed with all problems found.
 */
export async function buildInMemory(config: Config, options: BuildOptions = {}): Promise<BuildResult> {
  const timings: StageTimings = { load: 0, parse: 0, markup: 0, render: 0, write: 0 };
  const problems: BuildProblem[] = [];
  const warnings: string[] = [];
  const stage = async <T>(name: keyof StageTimings, run: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      timings[name] += performance.now() - start;
    }
  };

  const sources = await stage('load', async () => {
    const loaded = await loadSources(config);
    problems.push(...loaded.problems);
    return [...loaded.sources, ...(await themeSources(config, loaded.sources))];
  });

  const now = options.now ?? nowInstant(config.timezone);
  const posts = await stage('parse', () => parsePosts(sources, config, now, problems, warnings));

  const templates = await stage('parse', () => {
    try {
      return createTemplateSet(
        sources.filter((source) => source.kind === 'layout' && !isTheme(source, config)),
        sources.filter((source) => source.kind === 'layout' && isTheme(source, config)),
        (env) => {
          for (const [name, filter] of Object.entries(jekyllFilters(config))) env.addFilter(name, filter);
        },
      );
    } catch (error) {
      if (error instanceof TemplateProblems) problems.push(...error.problems.map((problem) => problem.toProblem()));
      else problems.push(toProblem(error, 'templates'));
      return null;
    }
  });

  const md = createMarkdown();
  const sitePosts = await stage('markup', () => renderMarkup(md, posts, config, problems));
  const site = collectSite(config, sitePosts, now);

  const outputs: Output[] = [];
  if (templates) {
    await stage('render', () => {
      const views = siteViews(site);
      const jobs: PageJob[] = [...postJobs(site, views), ...indexJobs(site, views)];
      const rendered = renderJobs(templates, jobs);
      problems.push(...rendered.problems);
      outputs.push(...rendered.outputs);
    });
  }
  outputs.push(...staticOutputs(sources, config));

  for (const collision of findCollisions(outputs)) {
    problems.push({
      file: collision.origins[0]!,
      message: `${collision.origins.join(' and ')} would both be written to ${collision.path}`,
      hint: 'give one of them a different `permalink:` (or rename the file)',
    });
  }
  if (problems.length > 0) throw new BuildFailed(problems);
  return { site, outputs, warnings, timings };
}

/**
 * Builds and writes the site to `config.destination`. Nothing is written unless the whole build
 * succeeded, so a mistake never destroys the previous site.
 */
export async function build(config: Config, options: BuildOptions = {}): Promise<BuildResult & { manifest: Manifest }> {
  checkDestination(config.source, config.destination);
  const result = await buildInMemory(config, options);
  const start = performance.now();
  const { result: write, manifest } = await writeSite(config.destination, result.outputs, options.previousManifest ?? null);
  const timings = { ...result.timings, write: performance.now() - start };
  return { ...result, timings, write, manifest };
}

function parsePosts(sources: readonly Source[], config: Config, now: Instant, problems: BuildProblem[], warnings: string[]): Post[] {
  const posts: Post[] = [];
  for (const source of sources) {
    if (source.kind !== 'post' && source.kind !== 'draft') continue;
    try {
      const result = readPost(source, config, now);
      if ('post' in result) posts.push(result.post);
      else if ('warning' in result) warnings.push(result.warning);
    } catch (error) {
      problems.push(toProblem(error, source.relativePath));
    }
  }
  return posts;
}

function renderMarkup(md: MarkdownIt, posts: readonly Post[], config: Config, problems: BuildProblem[]): SitePost[] {
  const rendered: SitePost[] = [];
  for (const post of posts) {
    try {
      rendered.push({ ...post, ...markupOf(md, post, config) });
    } catch (error) {
      problems.push(toProblem(error, post.relativePath));
    }
  }
  return rendered;
}

/** A post's HTML and excerpt, as Jekyll makes them (HTML posts pass through unchanged). */
export function markupOf(md: MarkdownIt, post: Post, config: Config): { html: string; excerptHtml: string } {
  const toHtml = (text: string) => (post.format === 'markdown' ? md.render(text, {}) : text);
  const html = toHtml(post.body);
  if (typeof post.data.excerpt === 'string') return { html, excerptHtml: post.data.excerpt };
  const separator = typeof post.data.excerpt_separator === 'string' ? post.data.excerpt_separator : config.excerpt_separator;
  const excerpt = excerptSource(post.body, separator);
  return { html, excerptHtml: excerpt === null ? '' : toHtml(excerpt) };
}

/** The fallback theme's templates and assets, for a site that lacks some of its own. */
async function themeSources(config: Config, siteSources: readonly Source[]): Promise<Source[]> {
  if (path.resolve(config.source) === QUIRE_ROOT) return [];
  const own = new Set(siteSources.map((source) => source.relativePath));
  const themeFiles = [
    ...(await listFiles(QUIRE_ROOT, 'templates')).map((relativePath) => ({ kind: 'layout' as const, relativePath })),
    ...(await listFiles(QUIRE_ROOT, 'public')).map((relativePath) => ({ kind: 'static' as const, relativePath })),
  ].filter((file) => file.kind === 'layout' || !own.has(file.relativePath));
  const sources = await mapLimit(themeFiles, 16, (file) => readSource(QUIRE_ROOT, file.kind, file.relativePath));
  return sources;
}

function isTheme(source: Source, config: Config): boolean {
  return !source.absolutePath.startsWith(config.source + path.sep);
}

/** `public/` goes to the site root as is; other static files keep their place. */
function staticOutputs(sources: readonly Source[], config: Config): Output[] {
  const outputs: Output[] = [];
  for (const source of sources) {
    if (source.kind !== 'static') continue;
    const outputPath = source.relativePath.replace(/^public\//, '');
    outputs.push({ path: outputPath, contents: { copyFrom: source.absolutePath }, origin: isTheme(source, config) ? `(theme) ${source.relativePath}` : source.relativePath });
  }
  return outputs;
}
