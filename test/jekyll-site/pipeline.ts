/**
 * A whole Jekyll site built in memory with Quire's Jekyll pieces, in the order the builder is
 * meant to call them (see the README): a test harness, and a worked example for the wiring.
 *
 *   list files -> classifyJekyllFiles -> layouts, includes (LiquidLayout maps) -> siteData
 *   -> readPost (posts) + pageUrl (pages) -> createLinkResolver -> createLiquidEngine
 *   -> for each post and page: renderLiquidInContent -> markdown -> renderWithLayouts
 *   -> static files copied as they are
 */
import { readFileSync, readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
import { siteData } from '../../src/content/data.js';
import { classifyJekyllFiles, hasYamlHeader, layoutName, pageUrl, pageVariables } from '../../src/content/pages.js';
import { readPost } from '../../src/content/post.js';
import { createLiquidEngine, rendersWithLiquid, type LiquidEngine, type LiquidLayout } from '../../src/liquid/engine.js';
import { createLinkResolver } from '../../src/liquid/links.js';
import { excerptSource } from '../../src/markup/excerpt.js';
import { createMarkdown } from '../../src/markup/markdown.js';
import { collectSite, type SitePost } from '../../src/site/collections.js';
import { groupHash, groupViews, postViews, TemplateDate } from '../../src/render/views.js';
import type { Instant, Post } from '../../src/types.js';

export interface BuiltJekyllSite {
  /** Output path -> text (pages and posts) or the source path (static files). */
  readonly outputs: ReadonlyMap<string, { text: string } | { copyFrom: string }>;
  readonly warnings: readonly string[];
}

export function listSiteFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as Array<Dirent & { parentPath: string }>)
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export function buildJekyllSite(root: string, now: Instant): BuiltJekyllSite {
  const config = loadConfig(root);
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const files = classifyJekyllFiles(listSiteFiles(root), config, (file) => hasYamlHeader(read(file)));
  const warnings: string[] = [];

  const layouts = new Map<string, LiquidLayout>();
  for (const file of files.layouts) {
    const { body, data, bodyLine } = splitFrontMatter(read(file), file);
    layouts.set(layoutName(file.slice('_layouts/'.length)), { body, data, bodyLine, file });
  }
  const includes = new Map(files.includes.map((file) => [file.slice('_includes/'.length), read(file)]));
  const data = siteData(files.data.map((file) => ({ path: file.slice('_data/'.length), text: read(file) })));

  const posts: Post[] = [];
  for (const file of listSiteFiles(path.join(root, '_posts'))) {
    const relativePath = `_posts/${file}`;
    const result = readPost({ kind: 'post', relativePath, absolutePath: path.join(root, relativePath), text: read(relativePath) }, config, now);
    if ('post' in result) posts.push(result.post);
  }
  const pages = files.pages.map((relativePath) => {
    const split = splitFrontMatter(read(relativePath), relativePath);
    return { relativePath, ...split, location: pageUrl(relativePath, split.data, config.permalink) };
  });

  const links = createLinkResolver(
    [...pages.map((page) => ({ relativePath: page.relativePath, url: page.location.url })), ...files.staticFiles.map((file) => ({ relativePath: file, url: `/${file}` }))],
    posts.map((post) => ({ relativePath: post.relativePath, url: post.url, slug: post.slug, date: post.date })),
    (message) => warnings.push(message),
  );
  const engine = createLiquidEngine({ config, layouts, includes, links, readFile: (file) => (files.pages.includes(file) || files.staticFiles.includes(file) ? read(file) : undefined) });
  const md = createMarkdown();

  // Liquid in content sees the site as it is before rendering: pages without content.
  const pageViews = pages.map((page) => pageVariables(page.relativePath, page.data, page.location));
  const earlySite = siteView(config, collectSite(config, posts.map((post) => ({ ...post, html: '', excerptHtml: '' })), now), data, pageViews, files.staticFiles);

  const convert = (text: string, markdown: boolean) => (markdown ? md.render(text) : text);
  const sitePosts: SitePost[] = posts.map((post) => {
    const page = { ...post.data, title: post.title, url: post.url, date: TemplateDate.of(post.date), path: post.relativePath, categories: post.categories, tags: post.tags };
    const markdown = post.format === 'markdown';
    const liquid = (text: string, line: number) =>
      rendersWithLiquid(text, post.data) ? engine.renderLiquidInContent(text, { site: earlySite, page, file: post.relativePath }, { line, layout: post.layout, markdown }) : text;
    const html = convert(liquid(post.body, post.bodyLine), markdown);
    const excerpt = excerptSource(post.body, config.excerpt_separator);
    return { ...post, html, excerptHtml: excerpt === null ? '' : convert(liquid(excerpt, post.bodyLine), markdown) };
  });

  const site = collectSite(config, sitePosts, now);
  const outputs = new Map<string, { text: string } | { copyFrom: string }>();
  // Pages' content is rendered first (site.pages[].content is then available to layouts).
  const renderedPages = pages.map((page, index) => {
    const view = pageViews[index]!;
    const text = rendersWithLiquid(page.body, page.data) ? engine.renderLiquidInContent(page.body, { site: earlySite, page: view, file: page.relativePath }, { line: page.bodyLine, layout: layoutOf(page.data), markdown: page.location.converter === 'markdown' }) : page.body;
    return { page, view: { ...view, content: convert(text, page.location.converter === 'markdown') } };
  });
  const fullSite = siteView(config, site, data, renderedPages.map(({ view }) => view), files.staticFiles);
  const views = postViews(site, () => [], () => null);
  for (const post of site.posts) {
    warnings.push(...place(engine, post.html, post.layout, views.get(post)!, fullSite, post.relativePath, post.outputPath, outputs));
  }
  for (const { page, view } of renderedPages) {
    warnings.push(...place(engine, view.content, layoutOf(page.data), view, fullSite, page.relativePath, page.location.outputPath, outputs));
  }
  for (const file of files.staticFiles) outputs.set(file, { copyFrom: path.join(root, file) });
  return { outputs, warnings };
}

function place(engine: LiquidEngine, content: string, layout: string | null, page: Record<string, unknown>, site: Record<string, unknown>, file: string, outputPath: string, outputs: Map<string, { text: string } | { copyFrom: string }>): readonly string[] {
  const { html, warnings } = engine.renderWithLayouts(content, layout, { site, page, file });
  outputs.set(outputPath, { text: html });
  return warnings;
}

/** Jekyll 4.3 gives a page or post no layout unless its front matter (or defaults) names one. */
function layoutOf(data: Readonly<Record<string, unknown>>): string | null {
  return typeof data.layout === 'string' ? data.layout : null;
}

/** Jekyll's `site`: the config, posts (newest first), pages, static files, data, categories, tags. */
function siteView(config: Config, site: ReturnType<typeof collectSite>, data: Record<string, unknown>, pages: readonly Record<string, unknown>[], staticFiles: readonly string[]): Record<string, unknown> {
  const views = postViews(site, () => [], () => null);
  return {
    ...config,
    posts: site.posts.map((post) => views.get(post)!),
    pages,
    html_pages: pages.filter((page) => /\.html?$|\/$/.test(String(page.url))),
    static_files: staticFiles.map((file) => ({ path: `/${file}`, name: file.slice(file.lastIndexOf('/') + 1), extname: path.posix.extname(file) })),
    data,
    categories: groupHash(groupViews('categories', site.categories, views)),
    tags: groupHash(groupViews('tags', site.tags, views)),
    time: TemplateDate.of(site.time),
  };
}
