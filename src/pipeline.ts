import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type MarkdownIt from 'markdown-it';
import nunjucks from 'nunjucks';
import type { Config } from './config.js';
import { isUnwritten, listFiles, mapLimit } from './content/files.js';
import { readSource } from './content/load.js';
import { isJekyllSite } from './jekyll/files.js';
import { collectionFileOutputPath } from './jekyll/inputs.js';
import { engineFor } from './render/engine-for.js';
import { excerptSource } from './markup/excerpt.js';
import { findCollisions, findFolderClashes } from './output/write.js';
import { jekyllFilters } from './render/filters.js';
import { seoTags } from './render/seo.js';
import { createTemplateSet, type TemplateSet } from './render/templates.js';
import { addFragmentCache } from './render/fragments.js';
import type { PageJob } from './render/pages.js';
import type { SitePost } from './site/collections.js';
import { dayOf } from './dates.js';
import { QUIRE_ROOT } from './package-root.js';
import type { BuildProblem, Instant, Output, Post, Source, SourceKind } from './types.js';

/**
 * The stage functions every build shares, whether it runs in one thread (the incremental builder
 * behind `serve`) or across worker threads (`quire build`).
 */

/** A post's HTML and excerpt, as Jekyll makes them (HTML posts pass through unchanged). */
export function markupOf(md: MarkdownIt, post: Post, config: Config): { html: string; excerptHtml: string } {
  const separator = typeof post.data.excerpt_separator === 'string' ? post.data.excerpt_separator : config.excerpt_separator;
  const excerpt = typeof post.data.excerpt === 'string' ? null : excerptSource(post.body, separator);
  if (post.format !== 'markdown') return { html: post.body, excerptHtml: typeof post.data.excerpt === 'string' ? post.data.excerpt : (excerpt ?? '') };
  const env = {};
  const tokens = md.parse(post.body, env);
  const html = md.renderer.render(tokens, md.options, env);
  if (typeof post.data.excerpt === 'string') return { html, excerptHtml: post.data.excerpt };
  if (excerpt === null) return { html, excerptHtml: '' };
  return { html, excerptHtml: firstParagraphHtml(md, tokens, excerpt) ?? md.render(excerpt, {}) };
}

/**
 * The excerpt's HTML taken from the post's own tokens, when the excerpt is exactly the post's
 * first paragraph and rendering it alone could not differ: no footnote or note references (alone,
 * they would have no definitions), no reference definitions appended. Saves a second markdown pass
 * for most posts; null means "render the excerpt text".
 */
function firstParagraphHtml(md: MarkdownIt, tokens: ReturnType<MarkdownIt['parse']>, excerpt: string): string | null {
  if (tokens.length < 3 || tokens[0]!.type !== 'paragraph_open' || tokens[2]!.type !== 'paragraph_close') return null;
  const inline = tokens[1]!;
  if (inline.content !== excerpt.trimEnd() || /\[\^|\[\d+\]|\]:/.test(excerpt)) return null;
  return md.renderer.render(tokens.slice(0, 3), md.options, {});
}

/**
 * The Nunjucks template set of a site: its own layouts first, the fallback theme's after. Layouts
 * in Liquid (a Jekyll site's `_layouts/`) are left out: see engineFor. Throws TemplateProblems.
 */
export function buildTemplateSet(layouts: readonly Source[], config: Config, keepFragments = false): TemplateSet {
  const nunjucksLayouts = layouts.filter((source) => engineFor(source.relativePath) === 'nunjucks');
  return createTemplateSet(
    nunjucksLayouts.filter((source) => !isTheme(source, config)),
    nunjucksLayouts.filter((source) => isTheme(source, config)),
    (env) => {
      for (const [name, filter] of Object.entries(jekyllFilters(config))) env.addFilter(name, filter);
      // Jekyll themes test `jekyll.environment == "production"`.
      env.addGlobal('jekyll', { environment: config.environment });
      // jekyll-seo-tag's tags, as a Jekyll layout's {% seo %} writes them.
      env.addGlobal('seo', (page: Record<string, unknown> | undefined, site: Record<string, unknown> | undefined, paginator: Record<string, unknown> | null | undefined) =>
        new nunjucks.runtime.SafeString(seoTags(page ?? {}, site ?? {}, config, { paginator: paginator ?? null })));
      addFragmentCache(env, keepFragments);
    },
  );
}

/** The fallback theme's templates and assets, for a site that lacks some of its own. */
export async function themeSources(config: Config, siteSources: ReadonlyArray<{ kind: SourceKind; relativePath: string }>): Promise<Source[]> {
  if (path.resolve(config.source) === QUIRE_ROOT) return [];
  // A theme file the site has its own file for (at the same output path) is left out.
  const own = new Set(siteSources.filter((source) => source.kind === 'static').map((source) => staticOutputPath(source.relativePath, config)));
  const themeFiles = [
    ...(await listFiles(QUIRE_ROOT, 'templates')).map((relativePath) => ({ kind: 'layout' as const, relativePath })),
    ...(await listFiles(QUIRE_ROOT, 'public')).map((relativePath) => ({ kind: 'static' as const, relativePath })),
  ].filter((file) => file.kind === 'layout' || !own.has(file.relativePath.replace(/^public\//, '')));
  return mapLimit(themeFiles, 16, (file) => readSource(QUIRE_ROOT, file.kind, file.relativePath));
}

/**
 * Whether a source is one of the fallback theme's files (themeSources) rather than the site's. Not
 * by whether it lies outside the site: `quire init` installs Quire into the site's own
 * `node_modules/`, and its theme must still give way to the site's templates.
 */
export function isTheme(source: Source, config: Config): boolean {
  if (path.resolve(config.source) === QUIRE_ROOT) return false;
  return THEME_FOLDERS.some((folder) => source.absolutePath.startsWith(folder));
}

const THEME_FOLDERS = ['templates', 'public'].map((folder) => path.join(QUIRE_ROOT, folder) + path.sep);

/**
 * `public/` goes to the site root as is (the theme's always; a Jekyll site's own `public/` is an
 * ordinary folder); other static files keep their place.
 */
export function staticOutputs(sources: Iterable<Source>, config: Config): Output[] {
  const outputs: Output[] = [];
  for (const source of sources) {
    if (source.kind !== 'static' || isUnwritten(source.relativePath)) continue;
    const theme = isTheme(source, config);
    const outputPath = theme ? source.relativePath.replace(/^public\//, '') : staticOutputPath(source.relativePath, config);
    outputs.push({ path: outputPath, contents: { copyFrom: source.absolutePath }, origin: theme ? `(theme) ${source.relativePath}` : source.relativePath });
  }
  return outputs;
}

/** Where a site's own static file is written: a Jekyll collection's files where the collection puts them. */
function staticOutputPath(relativePath: string, config: Config): string {
  if (!isJekyllSite(config)) return relativePath.replace(/^public\//, '');
  return collectionFileOutputPath(relativePath, config) ?? relativePath;
}

/** Two sources for one output path, as problems naming both. */
/**
 * The output paths a site's own files take (its `public/robots.txt`, say): Quire's generated pages
 * give way to them, as in a Jekyll site, and the sitemap does not list what is not made.
 */
export function siteOwns(statics: readonly Output[]): (page: { readonly outputPath: string }) => boolean {
  const own = new Set(statics.filter((output) => !output.origin.startsWith('(theme)')).map((output) => output.path));
  return (page) => own.has(page.outputPath);
}

/** The site's own static HTML and PDF files, which jekyll-sitemap lists (its 404.html aside). */
export function staticSitemapPages(statics: readonly Output[]): Array<{ url: string }> {
  return statics
    .filter((output) => !output.origin.startsWith('(theme)') && /\.(?:html?|xhtml|pdf)$/i.test(output.path) && path.posix.basename(output.path) !== '404.html')
    .map((output) => ({ url: `/${encodeURI(output.path)}` }));
}

export function collisionProblems(outputs: ReadonlyArray<{ path: string; origin: string }>, lineOf: (origin: string) => number | undefined = () => undefined): BuildProblem[] {
  const hint = 'give one of them a different `permalink:` (or rename the file)';
  return [
    ...findCollisions(outputs).map((collision) => {
      // Blame a file of the site's own: Quire's generated pages and the theme's files have no line to change.
      const blamed = collision.origins.find((origin) => !origin.startsWith('(')) ?? collision.origins[0]!;
      return { file: blamed, line: lineOf(blamed), message: `${collision.origins.join(' and ')} would both be written to ${collision.path}`, hint };
    }),
    ...findFolderClashes(outputs).map((clash) => {
      const [first, ...more] = clash.inside;
      // Blame a file of the site's own: the theme's cannot be changed.
      const blamed = [first!.origin, clash.fileOrigin].find((origin) => !origin.startsWith('(')) ?? first!.origin;
      const others = more.length === 0 ? '' : ` (and ${more.length} more output${more.length === 1 ? '' : 's'} inside it)`;
      return {
        file: blamed,
        line: lineOf(blamed),
        message: `${first!.origin} would be written to ${first!.path}${others}, inside ${clash.file}, which ${clash.fileOrigin} writes as a file`,
        hint,
      };
    }),
  ];
}

/**
 * Whether pages of `layout` show other posts' HTML (`post.content`, `page.next.content`): then a
 * page depends on the HTML of every post it lists, not just on their titles and excerpts. Looks
 * at the layout chain, the shared partials, and every template they include or import, through
 * any depth (an include named by a variable could be any template: then all are looked at).
 */
export function layoutShowsPostContent(set: TemplateSet, layout: string | null): boolean {
  return remembered(set, `shows content:${layout}`, () => scanLayoutForContent(set, layout));
}

function scanLayoutForContent(set: TemplateSet, layout: string | null): boolean {
  const chain: string[] = [];
  for (let name = layout, depth = 0; name !== null && depth < 20; depth++) {
    const template = set.layoutTemplate(name);
    if (!template) break;
    chain.push(template.body);
    name = typeof template.data.layout === 'string' && template.data.layout !== '' ? template.data.layout : null;
  }
  const partials = [...set.templates.values()].filter((template) => template.name.startsWith('partials/')).map((template) => template.body);
  return [...chain, ...partials, ...usedTemplates(set, [...chain, ...partials])].some((text) => /\.\s*content\b/.test(text));
}

/** The texts of the templates `texts` include, import or extend, and theirs, by name. */
function usedTemplates(set: TemplateSet, texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const queue = [...texts];
  while (queue.length > 0) {
    const text = queue.pop()!;
    for (const [, named, expression] of text.matchAll(/\{%-?\s*(?:include|import|from|extends)\s+(?:["']([^"']+)["']|([^\s%]+))/g)) {
      // A name worked out at render time: any template may be the one.
      const names = named === undefined && expression !== undefined ? [...set.templates.keys()] : [named!];
      for (const name of names) {
        const template = set.templates.get(name);
        if (template === undefined || seen.has(name)) continue;
        seen.add(name);
        found.push(template.body);
        queue.push(template.body);
      }
    }
  }
  return found;
}

/** Template code that reads every post (`site.posts`, `site.categories`...). */
const SITE_LISTS = /\bsite\s*(\.\s*(posts|categories|tags|category_list|tag_list)\b|\[)/;
/** The same for the map's lists (the map page's own templates aside), and its drawing of every point. */
const MAP_LISTS = /\bmap\s*\.\s*(points|unplaced)\b|\bmap_svg\s*\(|["']partials\/map\.njk["']/;
/**
 * `site` itself, held in a variable or given to a macro, which may walk it to every post; the
 * theme's `seo(page, site, …)` reads only the site's settings.
 */
const WHOLE_SITE = /\bsite\b(?!\s*[.[])/;

/**
 * Whether some template reads every post. Then each page depends on all posts (rebuilds must
 * render it on any change), and post pages need every post's data to render.
 */
export function readsEveryPost(set: TemplateSet): boolean {
  return remembered(set, 'reads every post', () =>
    [...set.templates.values()].some(
      (template) =>
        SITE_LISTS.test(template.body) ||
        WHOLE_SITE.test(templateCode(template.body).replace(/\bseo\(\s*page\s*,\s*site\b/g, '')) ||
        (!template.name.startsWith('map') && !template.name.startsWith('partials/map') && MAP_LISTS.test(template.body)) ||
        // Nearby posts are in a post page's signature, and the HTML of those a layout shows (layoutShowsPostContent).
        walksNeighbours(templateCode(template.body), { nearby: true, neighbourContent: true }),
    ),
  );
}

/** A template's code (Nunjucks or Liquid): its `{{ ... }}` and `{% ... %}`, without the text around them. */
export function templateCode(text: string): string {
  return (text.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g) ?? []).join('\n');
}

/**
 * Whether template code goes past what a post page's signature covers of its neighbours:
 * `page.next.next`, a neighbour held in a variable and walked from, and, unless `covered` says
 * the caller accounts for them, Quire's `page.nearby` and a neighbour's `content`. Every mention
 * of `next`/`previous` must be `page.next` or `page.previous` or one field of it.
 */
export function walksNeighbours(code: string, covered: { readonly nearby: boolean; readonly neighbourContent: boolean }): boolean {
  const fields = covered.neighbourContent ? '(next|previous|nearby)' : '(next|previous|nearby|content)';
  const allowed = new RegExp(`^page\\.((next|previous)(\\.(?!${fields}\\b)\\w+)?${covered.nearby ? '|nearby(\\.(length|size))?' : ''})$`);
  const mentions = code.match(/[\w.[\]'"]*\b(next|previous|nearby)\b[\w.[\]'"]*/g) ?? [];
  return mentions.some((mention) => !allowed.test(mention));
}

/**
 * What the templates of a set read never changes, and builds ask about it for every page: each
 * answer is worked out once per template set.
 */
function remembered(set: TemplateSet, question: string, answer: () => boolean): boolean {
  let answers = templateFacts.get(set);
  if (!answers) templateFacts.set(set, (answers = new Map()));
  let known = answers.get(question);
  if (known === undefined) answers.set(question, (known = answer()));
  return known;
}

const templateFacts = new WeakMap<TemplateSet, Map<string, boolean>>();

/** Identifies a post for page signatures: what lists show of it, and its HTML. */
export interface PostKeys {
  readonly summary: string;
  readonly content: string;
}

/** Identifies everything but a post's body and HTML: two posts with equal keys list the same. */
export function summaryKey(post: SitePost): string {
  return hash(JSON.stringify({ ...post, html: undefined, body: undefined }));
}

/**
 * What a page is made from, as one string: the inputs every page shares (`shared`, see
 * sharedDigest), the page's own inputs, what it shows of each of its posts, and the HTML of those
 * whose HTML it shows. Equal signatures, equal pages: a rebuild keeps such a page as it was.
 */
export function pageSignature(shared: string, job: PageJob, showsContent: boolean, keysOf: (post: SitePost) => PostKeys): string {
  const contents = showsContent ? job.dependsOn : job.ownPost ? [job.ownPost] : [];
  return hash([shared, job.layout, job.key, ...job.dependsOn.map((post) => keysOf(post).summary), '|', ...contents.map((post) => keysOf(post).content)].join('\0'));
}

/**
 * The inputs every page shares, as one string: settings, templates, the map's legend, the build's
 * day when a template shows `site.time` (so a footer's year turns over; a page kept from an earlier
 * build of the same day keeps that build's time), and whatever else the caller adds.
 */
export function sharedDigest(setup: string, templatesDigest: string, set: TemplateSet, time: Instant, legend: unknown, ...other: string[]): string {
  return siteWideDigest(setup, templatesDigest, showsBuildTime(set), time, legend, ...other);
}

/** sharedDigest for templates known to show the build's date or not (a Jekyll site's Liquid layouts). */
export function siteWideDigest(setup: string, templatesDigest: string, showsTime: boolean, time: Instant, legend: unknown, ...other: string[]): string {
  const day = showsTime ? dayOf(time) : '';
  return hash([setup, templatesDigest, day, JSON.stringify(legend), ...other].join('\0'));
}

/** The day the pages of a set of templates show, or null when they do not show `site.time`. */
export function shownDay(set: TemplateSet, time: Instant): string | null {
  return showsBuildTime(set) ? dayOf(time) : null;
}

/** Identifies a set of layout sources: their paths and texts. */
export function templatesDigest(layouts: readonly Source[]): string {
  const sorted = [...layouts].sort((a, b) => (a.absolutePath < b.absolutePath ? -1 : 1));
  return hash(sorted.map((source) => `${source.absolutePath}\0${source.text}`).join('\0'));
}

/** Whether templates show the day they are rendered: `site.time`, or `"now"`/`"today"` through a date filter. */
function showsBuildTime(set: TemplateSet): boolean {
  return remembered(set, 'shows site.time', () => [...set.templates.values()].some((template) => /\bsite\s*\.\s*time\b|["'](now|today)["']|\bnow_date\b/.test(template.body)));
}

/**
 * Identifies the Quire that runs: its version and compiled code, so caches made by another
 * version (or by a changed build of this one) are never reused.
 */
export function quireBuildId(): string {
  if (buildId === undefined) {
    const version = (JSON.parse(readFileSync(path.join(QUIRE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const code = createHash('sha1');
    const dist = path.join(QUIRE_ROOT, 'dist');
    const files = existsSync(dist) ? (readdirSync(dist, { recursive: true, encoding: 'utf8' }) as string[]).filter((file) => file.endsWith('.js')).sort() : [];
    for (const file of files) code.update(file).update(readFileSync(path.join(dist, file)));
    // The libraries that make the HTML (markdown-it, highlight.js, …) float within their ranges:
    // an `npm update` must not leave cached pages made by the old ones.
    code.update(JSON.stringify(dependencyVersions()));
    buildId = `${version}:${code.digest('base64')}`;
  }
  return buildId;
}

let buildId: string | undefined;

/** The installed version of each of Quire's dependencies (null where it cannot be read). */
export function dependencyVersions(): Record<string, string | null> {
  const manifest = JSON.parse(readFileSync(path.join(QUIRE_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const require = createRequire(path.join(QUIRE_ROOT, 'package.json'));
  const versions: Record<string, string | null> = {};
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    try {
      versions[name] = (JSON.parse(readFileSync(packageJsonOf(require.resolve(name), name), 'utf8')) as { version?: string }).version ?? null;
    } catch {
      versions[name] = null;
    }
  }
  return versions;
}

/** The package.json of the package `name` whose entry point is `entry`. */
function packageJsonOf(entry: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  const at = entry.lastIndexOf(marker);
  if (at === -1) throw new Error(`${name} is not in a node_modules folder`);
  return path.join(entry.slice(0, at + marker.length), 'package.json');
}

export function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
