/**
 * The stages of a Jekyll site, for the builder (src/build.ts): what differs from a Quire site,
 * in one place. The builder still loads, parses posts, collects the Site and renders Quire's
 * Nunjucks pages; this module adds, in the same order:
 *
 *   parse:   no implicit layout on posts (postOptions); layouts,
 *            includes, site.data, pages and collection documents (prepare -> readJekyllInputs);
 *            the link resolver and the Liquid engine
 *   markup:  Liquid in a post's text before markdown, the excerpt cut first (markup)
 *   render:  pages' Liquid and markdown; posts and pages through their `_layouts/` layout, or
 *            Quire's Nunjucks layout of that name when `_layouts/` has none, or none at all;
 *            jekyll-paginate; static files where they are; Quire's generated pages only where
 *            the site has no file of its own (render)
 *
 * A site object is made fresh for each build and never changed after its first render (the
 * Liquid engine copies it once per build).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type MarkdownIt from 'markdown-it';
import type { Config } from '../config.js';
import { toProblem } from '../errors.js';
import { pageVariables } from '../content/pages.js';
import { jekyllId, titleFromSlug, type ReadPostOptions } from '../content/post.js';
import { createLiquidEngine, rendersWithLiquid, type LiquidEngine, type LiquidPageContext } from '../liquid/engine.js';
import { createLinkResolver, type LinkResolver } from '../liquid/links.js';
import { unknownPluginWarnings } from '../liquid/plugins.js';
import { excerptSource } from '../markup/excerpt.js';
import { hash, isTheme, pageSignature, siteWideDigest, staticOutputs, templateCode, walksNeighbours, type PostKeys } from '../pipeline.js';
import { engineFor } from '../render/engine-for.js';
import { indexJobs, type SitemapPage } from '../render/indexes.js';
import { postJobs, type PageJob, type SiteViews } from '../render/pages.js';
import type { TemplateSet } from '../render/templates.js';
import { groupHash, groupViews, postViews, TemplateDate, type PostView } from '../render/views.js';
import { collectSite, type Site, type SitePost } from '../site/collections.js';
import { expandPermalinkStyle } from '../site/permalinks.js';
import { paginate, type Paginator } from '../site/pagination.js';
import type { BuildProblem, Instant, Output, Post, RenderedMarkup, Source } from '../types.js';
import { readJekyllInputs, type JekyllInputs, type JekyllPage } from './inputs.js';
import { jekyllCollections } from './files.js';
import { escapeRegExp } from '../content/files.js';
import { jekyllPaginate, paginationTemplate, type PaginatedPage } from './paginate.js';

/** The Jekyll stages of one builder (they keep the Liquid engine between builds). */
export interface JekyllStages {
  /** How posts are read: `defaults:` under their front matter, no layout unless one is named. */
  readonly postOptions: ReadPostOptions;
  /** Warnings about the site as a whole (plugins Quire does not cover), once per build. */
  siteWarnings(): string[];
  /** The parse stage of everything but posts, for one build. Problems are collected, not thrown. */
  prepare(sources: readonly Source[], posts: readonly Post[], now: Instant, problems: BuildProblem[], warnings: string[]): PreparedJekyllSite;
}

/** One build's Jekyll inputs, ready for the markup and render stages. */
export interface PreparedJekyllSite {
  /**
   * What a post's HTML is made from besides its own text: '' for a post without Liquid; for one
   * with Liquid, everything Liquid may read in the site (its HTML is made again when that changes),
   * and a key of this build alone for one that reads files through `{% include_relative %}` (any
   * file, whose changes the site's sources do not show).
   */
  markupKey(post: Post): string;
  /** A post's HTML and excerpt: Liquid, then markdown (the excerpt is cut from the text first). Throws InputError. */
  markup(post: Post): RenderedMarkup;
  /**
   * The render stage: see JekyllRender. `keysOf` identifies what each post is (see PostKeys), so
   * post pages whose inputs are the same as in the last build are kept rather than rendered.
   */
  render(site: Site, views: SiteViews, templates: TemplateSet, problems: BuildProblem[], warnings: string[], keysOf: (post: SitePost) => PostKeys): JekyllRender;
}

export interface JekyllRender {
  /** Posts and pages rendered with Liquid layouts (or none), and the static files to copy. */
  readonly outputs: readonly Output[];
  /**
   * Pages for Quire's Nunjucks renderer: posts and pages whose layout only Quire's templates
   * have, and Quire's generated pages (home, categories, feed...) the site has no file for.
   */
  readonly jobs: readonly PageJob[];
  /** What those jobs read besides posts (pages, data...), for their signatures. */
  readonly digest: string;
  /** How many pages Liquid rendered. */
  readonly rendered: number;
}

export function createJekyllStages(config: Config, md: MarkdownIt): JekyllStages {
  let engine: { digest: string; engine: LiquidEngine; readsSite: boolean; showsTime: boolean } | null = null;
  // Post pages Liquid rendered in earlier builds, by output path (see renderSite).
  const postPages: PostPageCache = new Map();
  // The engine lives across builds; what it looks up belongs to the current build.
  let current: { links: LinkResolver; readFile(relativePath: string): string | undefined } = { links: createLinkResolver([], []), readFile: () => undefined };
  const links: LinkResolver = { link: (relativePath) => current.links.link(relativePath), postUrl: (name) => current.links.postUrl(name) };
  const readFile = (relativePath: string) => current.readFile(relativePath);
  const theme = (source: Source) => isTheme(source, config);
  // Counts the builds (prepare calls), for keys that hold for one build only.
  let builds = 0;

  function liquidEngine(sources: readonly Source[], inputs: JekyllInputs): NonNullable<typeof engine> {
    const templates = sources.filter((source) => !theme(source) && ((source.kind === 'layout' && engineFor(source.relativePath) === 'liquid') || source.kind === 'include'));
    const digest = digestOf(templates);
    if (engine?.digest !== digest) {
      // What the templates' Liquid says (tags and outputs), not their HTML around it.
      const liquid = templates.map((source) => templateCode(source.text ?? '')).join('\n');
      engine = {
        digest,
        engine: createLiquidEngine({ config, layouts: inputs.layouts, includes: inputs.includes, links, readFile, markdown: md }),
        readsSite: readsMoreThanPostAndNeighbours(liquid, [...jekyllCollections(config).keys()]),
        showsTime: /\bsite\s*\.\s*time\b|["'](now|today)["']\s*\|\s*date/.test(liquid),
      };
      postPages.clear();
    }
    return engine;
  }

  return {
    postOptions: {
      defaultLayout: null,
    },

    siteWarnings: () => [...unknownPluginWarnings(config.plugins ?? config.gems), ...themeWarnings(config)],

    prepare(sources, posts, now, problems, warnings) {
      const inputs = readJekyllInputs(sources, config, now, theme, problems);
      const layouts = liquidEngine(sources, inputs);
      const liquid = layouts.engine;
      current = {
        links: createLinkResolver(
          [...inputs.pages.map((page) => ({ relativePath: page.relativePath, url: page.location.url })), ...inputs.staticFiles.map((file) => ({ relativePath: file, url: `/${file}` }))],
          posts.map((post) => ({ relativePath: post.relativePath, url: post.url, slug: post.slug, date: post.date })),
          (message) => warnings.push(message),
        ),
        readFile(relativePath) {
          const source = inputs.files.get(relativePath);
          if (source?.text !== undefined) return source.text;
          // A file Jekyll does not read as part of the site (one in `_posts/` beside the posts,
          // an excluded one) is still there for include_relative.
          try {
            return readFileSync(source?.absolutePath ?? path.join(config.source, relativePath), 'utf8');
          } catch {
            return undefined;
          }
        },
      };
      const siteSources = sources.filter((source) => !theme(source));
      // Only posts with Liquid in them need it: hashing every source costs 0.1 s at 10,000 posts.
      let digest: string | undefined;
      const pagesDigest = digestOf(siteSources.filter((source) => source.kind !== 'post' && source.kind !== 'draft'));
      const pageViews = inputs.pages.map((page) => pageView(page, now));
      // Liquid in content sees the site as it is before rendering: posts and pages without content.
      let early: Record<string, unknown> | null = null;
      const earlySite = () => (early ??= siteObject(baseSite(config, posts, now), inputs, pageViews));
      const liquidIn = (text: string, context: LiquidPageContext, line: number, layout: string | null, markdown: boolean): string =>
        liquid.renderLiquidInContent(text, context, { line, layout, markdown });

      const build = ++builds;
      const siteDigest = () => (digest ??= hash(`${pagesDigest}\0${digestOf(siteSources.filter((source) => source.kind === 'post' || source.kind === 'draft'))}`));
      return {
        markupKey(post) {
          if (!rendersWithLiquid(post.body, post.data)) return '';
          return post.body.includes('include_relative') ? `${siteDigest()}\0build ${build}` : siteDigest();
        },
        markup(post) {
          const markdown = post.format === 'markdown';
          let context: LiquidPageContext | null = null;
          const runLiquid = (text: string) => {
            if (!rendersWithLiquid(text, post.data)) return text;
            context ??= { site: earlySite(), page: contentPage(post), file: post.relativePath };
            return liquidIn(text, context, post.bodyLine, post.layout, markdown);
          };
          const convert = (text: string) => (markdown ? md.render(text) : text);
          const html = convert(runLiquid(post.body));
          if (typeof post.data.excerpt === 'string') return { html, excerptHtml: post.data.excerpt };
          const separator = typeof post.data.excerpt_separator === 'string' ? post.data.excerpt_separator : config.excerpt_separator;
          const excerpt = excerptSource(post.body, separator, rendersWithLiquid(post.body, post.data) ? (head) => closeLiquidBlocks(head, post.relativePath, warnings) : undefined);
          return { html, excerptHtml: excerpt === null ? '' : convert(runLiquid(excerpt)) };
        },
        render(site, views, templates, renderProblems, renderWarnings, keysOf) {
          // A post page's signature: its layouts, and what its page shows of itself and its
          // neighbours (as for Quire's own post pages). Layouts that read the whole site (its
          // lists, data, other files) make every post page depend on everything: never kept.
          const shared = layouts.readsSite ? null : siteWideDigest('', layouts.digest, layouts.showsTime, site.time, views.map.legend);
          const signatureOf = (job: PageJob) => (shared === null ? null : pageSignature(shared, job, false, keysOf));
          const cache = { pages: postPages, signatureOf };
          return renderSite({ config, md, engine: liquid, inputs, pageViews, earlySite, pagesDigest, sources, cache }, site, views, templates, renderProblems, renderWarnings);
        },
      };
    },
  };
}

/** Site-wide lists a Liquid template may read (besides collections, by their label). */
const SITE_WIDE = ['posts', 'pages', 'categories', 'tags', 'category_list', 'tag_list', 'data', 'collections', 'documents', 'html_pages', 'static_files', 'related_posts', 'html_files'];

/**
 * Whether Liquid may show more on a post's page than the post itself, its previous and next posts
 * and the site's settings (what a kept post page's signature covers): site-wide lists, `site`
 * itself (`site | jsonify`, `site[key]`), tags that read other posts or files, or past the
 * neighbours (see walksNeighbours; Liquid post pages count neither `nearby` nor neighbours' HTML).
 */
function readsMoreThanPostAndNeighbours(liquid: string, collections: readonly string[]): boolean {
  const lists = new RegExp(`\\bsite\\s*\\.\\s*(${[...SITE_WIDE, ...collections].map(escapeRegExp).join('|')})\\b|\\bsite\\b(?!\\s*\\.\\s*\\w)`);
  return lists.test(liquid) || /\{%-?\s*(post_url|link|include_relative)\b/.test(liquid) || walksNeighbours(liquid, { nearby: false, neighbourContent: false });
}

/** Post pages Liquid rendered, by output path: what they were made from, and what came out. */
type PostPageCache = Map<string, { readonly signature: string; readonly output: Output; readonly warnings: readonly string[] }>;

interface RenderInputs {
  /** Post pages of earlier builds, and each post page's signature now (null: render it). */
  readonly cache: { readonly pages: PostPageCache; readonly signatureOf: (job: PageJob) => string | null };
  readonly config: Config;
  readonly md: MarkdownIt;
  readonly engine: LiquidEngine;
  readonly inputs: JekyllInputs;
  readonly pageViews: ReadonlyArray<Record<string, unknown>>;
  readonly earlySite: () => Record<string, unknown>;
  readonly pagesDigest: string;
  readonly sources: readonly Source[];
}

/** The render stage of a Jekyll site (see JekyllRender). */
function renderSite(input: RenderInputs, site: Site, views: SiteViews, templates: TemplateSet, problems: BuildProblem[], warnings: string[]): JekyllRender {
  const { config, engine, inputs } = input;
  const outputs: Output[] = [];
  const jobs: PageJob[] = [];
  const reported = new Set<string>();
  let rendered = 0;
  const report = (error: unknown, file: string) => {
    const problem = toProblem(error, file);
    // A broken layout fails every page that uses it; report it once.
    const key = `${problem.file}:${problem.line}:${problem.message}`;
    if (!reported.has(key)) problems.push(problem);
    reported.add(key);
  };
  /** A layout `_layouts/` lacks but a Nunjucks template (Quire's theme, or the site's templates/) has. */
  const nunjucksLayout = (layout: string | null): boolean =>
    layout !== null && layout !== '' && layout !== 'none' && !engine.hasLayout(layout) && templates.layoutTemplate(layout) !== undefined;

  // jekyll-paginate: the index.html it paginates, and its pages.
  const written = inputs.pages.filter((page) => page.written && page.location.converter !== 'sass');
  const paginated = config.paginate === null ? undefined : paginationTemplate(written.filter((page) => page.collection === null), config.paginate_path);
  const visiblePosts = site.posts.filter((post) => post.data.hidden !== true).map((post) => views.posts.get(post)!);
  const pagination: Array<PaginatedPage<PostView>> = paginated && config.paginate !== null ? jekyllPaginate(visiblePosts, config.paginate, paginated.location.url, config.paginate_path) : [];

  // Contents first: layouts may show any page's content (site.pages[].content). Jekyll renders
  // every post, then every collection's documents (content and layout, even where the collection
  // is not written), before any page: Liquid in a page sees the posts' content and excerpts (a home
  // page's `{% for post in site.posts %}{{ post.excerpt }}`) and the documents' content and
  // output (a team page's `{% for member in site.team %}`), and the pages without theirs.
  const contents = new Map<JekyllPage, { view: Record<string, unknown>; html: string; output?: string; excerpt?: string }>();
  const withContents = () =>
    input.pageViews.map((view, index) => {
      const content = contents.get(inputs.pages[index]!);
      return content ? { ...view, content: content.html, ...(content.output === undefined ? {} : { output: content.output }), ...(content.excerpt === undefined ? {} : { excerpt: content.excerpt }) } : view;
    });
  const documentsSite = siteObject(views.site, inputs, input.pageViews);
  inputs.pages.forEach((page, index) => {
    if (page.collection === null || page.location.converter === 'sass') return;
    const view = input.pageViews[index]!;
    try {
      const html = pageContent(input, documentsSite, page, view, null);
      const excerpt = documentExcerpt(input, documentsSite, page, view, warnings);
      const layout = layoutOf(page.data);
      // A document laid out by one of Quire's Nunjucks layouts is rendered with the pages; its `output` is its content.
      const output = nunjucksLayout(layout) ? html : engine.renderWithLayouts(html, layout, { site: documentsSite, page: { ...view, content: html, excerpt }, paginator: null, file: page.relativePath });
      if (typeof output !== 'string') warnings.push(...output.warnings);
      contents.set(page, { view, html, output: typeof output === 'string' ? output : output.html, excerpt });
    } catch (error) {
      report(error, page.relativePath);
    }
  });
  const pagesSite = siteObject(views.site, inputs, withContents());
  inputs.pages.forEach((page, index) => {
    if (page.collection !== null) return;
    if (page.location.converter === 'sass') {
      // A compiled .css of the site's own at that path (the advice followed) is copied as it is: nothing to say.
      if (page.written && !inputs.staticFiles.includes(page.location.outputPath)) warnings.push(`${page.relativePath}: Quire does not compile Sass, so ${page.location.outputPath} is not written; compile it to CSS and put the .css file in the site instead`);
      return;
    }
    const view = input.pageViews[index]!;
    try {
      contents.set(page, { view, html: pageContent(input, pagesSite, page, view, page === paginated ? (pagination[0]?.paginator ?? null) : null) });
    } catch (error) {
      report(error, page.relativePath);
    }
  });
  const jekyllSite = siteObject(views.site, inputs, withContents());
  const fullViews: SiteViews = { ...views, site: jekyllSite };

  const place = (content: string, layout: string | null, page: Record<string, unknown>, paginator: Paginator<PostView> | null, file: string, outputPath: string, shows: readonly PostView[], relatedPosts?: readonly PostView[]) => {
    if (nunjucksLayout(layout)) {
      // Quire's own layouts expect a paginator on a list page: a page that has none shows every post.
      const pager = paginator ?? paginate(views.site.posts as PostView[], null, String(page.url), config.paginate_path)[0]!;
      jobs.push({
        outputPath,
        layout,
        context: { site: jekyllSite, page, paginator: { ...pager }, map: views.mapView },
        content,
        origin: file,
        dependsOn: (paginator ? shows : pager.posts).map((view) => views.postOf.get(view)!),
        ownPost: null,
        // `page` carries `content` too.
        key: hash(`${outputPath}\0${safeJson(page)}`),
      });
      return;
    }
    try {
      const result = engine.renderWithLayouts(content, layout, { site: jekyllSite, page, paginator: paginator && { ...paginator }, file, relatedPosts });
      warnings.push(...result.warnings);
      outputs.push({ path: outputPath, contents: result.html, origin: file });
      rendered++;
    } catch (error) {
      report(error, file);
    }
  };

  const newest = (views.site.posts as PostView[]).slice(0, RELATED_POSTS + 1);
  const nunjucksPosts = new Set<SitePost>();
  const postPageJobs = postJobs(site, fullViews);
  const kept: PostPageCache = new Map();
  site.posts.forEach((post, index) => {
    if (nunjucksLayout(post.layout)) {
      nunjucksPosts.add(post);
      return;
    }
    const signature = input.cache.signatureOf(postPageJobs[index]!);
    const known = input.cache.pages.get(post.outputPath);
    if (signature !== null && known?.signature === signature) {
      outputs.push(known.output);
      warnings.push(...known.warnings);
      kept.set(post.outputPath, known);
      return;
    }
    const before = { outputs: outputs.length, warnings: warnings.length };
    const view = views.posts.get(post)!;
    place(post.html, post.layout, view, null, post.relativePath, post.outputPath, [], relatedPosts(newest, view));
    if (signature !== null && outputs.length > before.outputs) kept.set(post.outputPath, { signature, output: outputs.at(-1)!, warnings: warnings.slice(before.warnings) });
  });
  input.cache.pages.clear();
  for (const [outputPath, page] of kept) input.cache.pages.set(outputPath, page);
  jobs.push(...postPageJobs.filter((job) => job.ownPost !== null && nunjucksPosts.has(job.ownPost)));

  for (const page of written) {
    const content = contents.get(page);
    if (!content) continue;
    const layout = layoutOf(page.data);
    if (content.output !== undefined && !nunjucksLayout(layout)) {
      // A document, already laid out.
      outputs.push({ path: page.location.outputPath, contents: content.output, origin: page.relativePath });
      rendered++;
      continue;
    }
    if (page !== paginated || pagination.length === 0) {
      // A page's layouts see `page.content` as written too: Jekyll made `page` before rendering it.
      place(content.html, layout, { ...content.view, content: page.collection === null ? page.body : content.html }, null, page.relativePath, page.location.outputPath, []);
      continue;
    }
    pagination.forEach(({ url, outputPath, paginator }, index) => {
      try {
        const view = index === 0 ? content.view : { ...pageVariables(page.relativePath, page.data, { url }) };
        const html = index === 0 ? content.html : pageContent(input, pagesSite, page, view, paginator);
        place(html, layout, { ...view, content: page.body }, paginator, page.relativePath, outputPath, paginator.posts);
      } catch (error) {
        report(error, page.relativePath);
      }
    });
  }

  // Static files: the site's where they are; Quire's theme files, and Quire's generated pages,
  // only where the site has nothing of its own.
  const statics = input.sources.filter((source) => source.kind === 'static');
  const siteStatics = staticOutputs(statics.filter((source) => !isTheme(source, config)), config);
  const taken = new Set([...outputs.map((output) => output.path), ...jobs.map((job) => job.outputPath), ...siteStatics.map((output) => output.path)]);
  const themeStatics = staticOutputs(statics.filter((source) => isTheme(source, config)), config).filter((output) => !taken.has(output.path));
  outputs.push(...siteStatics, ...themeStatics);
  const sitemapPages: SitemapPage[] = [
    // jekyll-sitemap dates a page by its last_modified_at, a document also by its date.
    ...written.filter((page) => contents.has(page) && page.data.sitemap !== false && /\.html?$|\/$/.test(page.location.url)).map((page) => ({ url: page.location.url, lastmod: page.data.last_modified_at ?? (page.collection === null ? undefined : page.date) })),
    // jekyll-sitemap lists static HTML and PDF files too, but no 404.html.
    ...inputs.staticFiles.filter((file) => /\.(?:html?|xhtml|pdf)$/i.test(file) && path.posix.basename(file) !== '404.html').map((file) => ({ url: `/${encodeURI(file)}` })),
  ];
  const ownsHome = taken.has('index.html');
  // jekyll-paginate's later pages are the index page's: left out of the sitemap with it.
  const paginatedPages = paginated?.data.sitemap === false ? [] : pagination.slice(1);
  jobs.push(...indexJobs(site, fullViews, [...sitemapPages, ...paginatedPages], (page) => taken.has(page.outputPath) || (ownsHome && page.layout === 'home')));

  const digest = hash([input.pagesDigest, ...[...contents.values()].map((content) => content.html)].join('\0'));
  return { outputs, jobs, digest, rendered };
}

/** How many posts `site.related_posts` lists. */
const RELATED_POSTS = 10;

/**
 * Jekyll's `site.related_posts` for a post, without `lsi`: the newest posts but the post itself,
 * ten at most (`newest`: the site's newest eleven).
 */
function relatedPosts(newest: readonly PostView[], post: PostView): PostView[] {
  return newest.filter((other) => other !== post).slice(0, RELATED_POSTS);
}

/** A page's text after Liquid (seeing `site`) and its converter (markdown to HTML; anything else as Liquid left it). */
function pageContent(input: RenderInputs, site: Record<string, unknown>, page: JekyllPage, view: Record<string, unknown>, paginator: Paginator<PostView> | null): string {
  const markdown = page.location.converter === 'markdown';
  // Its own `page.content` is its text as written, Liquid and all, as in Jekyll.
  const text = rendersWithLiquid(page.body, page.data)
    ? input.engine.renderLiquidInContent(page.body, { site, page: { ...view, content: page.body }, paginator: paginator && { ...paginator }, file: page.relativePath }, { line: page.bodyLine, layout: layoutOf(page.data), markdown })
    : page.body;
  return markdown ? input.md.render(text) : text;
}

/**
 * A collection document's excerpt, as a post's: its front matter's `excerpt:` as written, else its
 * text up to the excerpt separator, through Liquid and markdown as its content goes.
 */
function documentExcerpt(input: RenderInputs, site: Record<string, unknown>, page: JekyllPage, view: Record<string, unknown>, warnings: string[]): string {
  if (typeof page.data.excerpt === 'string') return page.data.excerpt;
  const separator = typeof page.data.excerpt_separator === 'string' ? page.data.excerpt_separator : input.config.excerpt_separator;
  const head = excerptSource(page.body, separator, rendersWithLiquid(page.body, page.data) ? (text) => closeLiquidBlocks(text, page.relativePath, warnings) : undefined);
  return head === null ? '' : pageContent(input, site, { ...page, body: head }, view, null);
}

/** What a site relies on that Quire does not install or run: a theme gem, Ruby plugins in `_plugins/`. */
function themeWarnings(config: Config): string[] {
  const warnings: string[] = [];
  for (const key of ['theme', 'remote_theme']) {
    const theme = config[key];
    if (typeof theme === 'string' && theme !== '') {
      warnings.push(`\`${key}: ${theme}\`: Quire does not install Jekyll themes; a layout missing from _layouts/ uses Quire's own layout of that name if it has one (post, default, home...), and otherwise none`);
    }
  }
  const plugins = typeof config.plugins_dir === 'string' ? config.plugins_dir : '_plugins';
  if (existsSync(path.join(config.source, plugins))) warnings.push(`${plugins}/: Quire does not run Ruby plugins; tags, filters and pages they add will be missing`);
  return warnings;
}

/** Liquid's block tags (and Jekyll's highlight): an excerpt cut inside one must close it. */
const LIQUID_BLOCKS = new Set(['capture', 'case', 'comment', 'for', 'if', 'ifchanged', 'raw', 'tablerow', 'unless', 'highlight']);

/**
 * Excerpt#sanctify_liquid_tags: a block tag the excerpt separator cut off from its end tag gets one
 * (`{% endhighlight %}`), innermost first, with Jekyll's warning; the excerpt would not render otherwise.
 */
function closeLiquidBlocks(head: string, file: string, warnings: string[]): string {
  if (!head.includes('{%')) return head;
  let closed = head;
  const names = [...head.matchAll(/{%-?\s*(\w+)\s*[\s\S]*?-?%}/g)].map((match) => match[1]!);
  for (const name of names.reverse()) {
    if (!LIQUID_BLOCKS.has(name) || new RegExp(`{%-?\\s*end${name}\\s*-?%}`).test(closed)) continue;
    closed += `\n{% end${name} %}`;
  }
  if (closed !== head) {
    warnings.push(`${file}: the excerpt separator cuts a Liquid block, so the excerpt closes it; set \`excerpt:\` or \`excerpt_separator:\` in the front matter if the excerpt is not what you want (Jekyll does the same)`);
  }
  return closed;
}

/** Jekyll 4.3 gives a page no layout unless its front matter (or defaults) names one. */
function layoutOf(data: Readonly<Record<string, unknown>>): string | null {
  return typeof data.layout === 'string' ? data.layout : null;
}

/** A page's `page`: its front matter and Jekyll's keys (a document's also its collection). */
function pageView(page: JekyllPage, now: Instant): Record<string, unknown> {
  const view: Record<string, unknown> = pageVariables(page.relativePath, page.data, page.location);
  if (page.collection !== null) {
    // A collection's document, as Jekyll's Document: titled from its name, dated by its front matter or the build.
    const name = page.relativePath.slice(page.relativePath.lastIndexOf('/') + 1);
    const slug = page.slug ?? name.replace(/\.[^.]*$/, '');
    // A document has no `dir`, and its front matter's `name` stands (a page's does not).
    delete view.dir;
    Object.assign(view, {
      name: typeof page.data.name === 'string' ? page.data.name : name,
      collection: page.collection,
      relative_path: page.relativePath,
      id: jekyllId(page.location.url, slug),
      slug,
      title: typeof view.title === 'string' && view.title !== '' ? view.title : titleFromSlug(slug),
      date: TemplateDate.of(page.date ?? now),
      output: page.output ? undefined : null,
    });
  }
  return view;
}

/** What Liquid in a post's own text sees as `page` (the post before it has HTML: its `content` is its text as written). */
function contentPage(post: Post): Record<string, unknown> {
  return {
    ...post.data,
    content: post.body,
    title: post.title,
    url: post.url,
    id: post.id,
    slug: post.slug,
    date: TemplateDate.of(post.date),
    path: post.relativePath,
    categories: post.categories,
    tags: post.tags,
    layout: post.layout,
    draft: post.kind === 'draft',
  };
}

/** Jekyll's `site` before any post is rendered: the config, posts without content, categories, tags. */
function baseSite(config: Config, posts: readonly Post[], now: Instant): Record<string, unknown> {
  const site = collectSite(config, posts.map((post) => ({ ...post, html: '', excerptHtml: '' })), now);
  const views = postViews(site, () => [], () => null);
  const categories = groupViews('categories', site.categories, views);
  const tags = groupViews('tags', site.tags, views);
  return {
    ...config,
    posts: site.posts.map((post) => views.get(post)!),
    categories: groupHash(categories),
    tags: groupHash(tags),
    category_list: categories,
    tag_list: tags,
    time: TemplateDate.of(site.time),
  };
}

/**
 * Jekyll's `site`: `base` (Quire's site: config, posts, categories, tags, time) with the pages,
 * `html_pages`, `static_files`, `data`, and each collection's documents as `site.<label>`.
 */
function siteObject(base: Record<string, unknown>, inputs: JekyllInputs, views: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const pages = views.filter((_, index) => inputs.pages[index]!.collection === null);
  const site: Record<string, unknown> = {
    ...base,
    pages,
    html_pages: pages.filter((_, index) => /^\.(html|xhtml|htm)$/.test(inputs.pages[index]!.location.outputExt)),
    static_files: inputs.staticFiles.map((file) => {
      const name = file.slice(file.lastIndexOf('/') + 1);
      // As Ruby's File.extname, a leading dot starts no extension (`.htaccess` has none).
      const extname = path.posix.extname(name);
      // A collection's file is named by its place in the collection's folder, as Jekyll names it.
      const collection = /^_([^/]+)\//.exec(file)?.[1] ?? null;
      return { path: collection === null ? `/${file}` : file, name, basename: name.slice(0, name.length - extname.length), extname, collection };
    }),
    data: inputs.data,
  };
  const byLabel = new Map<string, Array<Record<string, unknown>>>();
  views.forEach((view, index) => {
    const label = inputs.pages[index]!.collection;
    if (label === null) return;
    if (!byLabel.has(label)) byLabel.set(label, []);
    byLabel.get(label)!.push(view);
  });
  for (const [label, documents] of byLabel) if (!(label in site)) site[label] = documents;
  const collections = collectionsList(site, byLabel);
  site.collections = collections;
  // Jekyll's site.documents: every collection's documents and files, posts included.
  site.documents = collections.flatMap((collection) => [...(collection.docs as unknown[]), ...(collection.files as unknown[])]);
  return site;
}

/**
 * Jekyll's `site.collections`: each declared collection and `posts`, by label, with its settings from
 * `_config.yml` (`sort_by`, `permalink`, anything else written there), `label`, `docs`, `files`
 * (its files without front matter), `output`, `relative_directory` and `directory`.
 */
function collectionsList(site: Record<string, unknown>, documents: ReadonlyMap<string, ReadonlyArray<Record<string, unknown>>>): Array<Record<string, unknown>> {
  const raw = site.collections;
  const declared: Array<[string, Record<string, unknown>]> = Array.isArray(raw)
    ? raw.map((label) => [String(label), {}])
    : raw !== null && typeof raw === 'object'
      ? Object.entries(raw as Record<string, unknown>).map(([label, settings]) => [label, settings !== null && typeof settings === 'object' ? (settings as Record<string, unknown>) : {}])
      : [];
  const posts: [string, Record<string, unknown>] = ['posts', { permalink: expandPermalinkStyle(String(site.permalink ?? 'date')), ...Object.fromEntries(declared).posts }];
  const source = String(site.source ?? '.');
  // In the order of their labels, as Jekyll 4.3.1 lists them.
  return [...declared.filter(([label]) => label !== 'posts'), posts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([label, settings]) => ({
    ...settings,
    label,
    docs: label === 'posts' ? site.posts : (documents.get(label) ?? []),
    files: (site.static_files as Array<{ collection: string | null }> | undefined ?? []).filter((file) => file.collection === label),
    output: label === 'posts' || settings.output === true,
    relative_directory: `_${label}`,
    directory: path.join(source, `_${label}`),
  }));
}

function digestOf(sources: readonly Source[]): string {
  return hash(
    sources
      .map((source) => `${source.relativePath}\0${source.text ?? ''}`)
      .sort()
      .join('\0'),
  );
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(Math.random()); // unprintable: never reuse the page
  }
}
