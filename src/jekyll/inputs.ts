/**
 * The parse stage of a Jekyll site's files besides posts: `_layouts/` (Liquid layouts by name),
 * `_includes/`, `_data/` (site.data), pages (front matter with `defaults:` applied, URL) and the
 * documents of declared collections. Pure: the load stage has read every file already.
 */
import { toProblem } from '../errors.js';
import type { Config } from '../config.js';
import { siteData, type CsvReaderConfig } from '../content/data.js';
import { applyDefaults } from '../content/defaults.js';
import { splitFrontMatter } from '../content/frontmatter.js';
import { fullYear, keyError } from '../content/post.js';
import { canBePublished, isHiddenInTheFuture } from '../content/publishing.js';
import { parseDateValue, zonedInstant } from '../dates.js';
import { sortDocuments } from './document-order.js';
import { jekyllCollections } from './files.js';
import { isUnwritten } from '../content/files.js';
import { DEFAULT_MARKDOWN_EXTENSIONS, layoutName, pageUrl, type PageLocation } from '../content/pages.js';
import type { LiquidLayout } from '../liquid/engine.js';
import { engineFor } from '../render/engine-for.js';
import { isPermalinkStyle, postLocation } from '../site/permalinks.js';
import type { BuildProblem, Instant, Source } from '../types.js';

/** A page (`about.md`, `blog/index.html`) or a collection's document (`_docs/history.md`). */
export interface JekyllPage {
  readonly relativePath: string;
  /** The text after the front matter. */
  readonly body: string;
  readonly bodyLine: number;
  /** The front matter, over the `defaults:` that apply to the file. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly location: PageLocation;
  /** The collection label of a document; null for a page. */
  readonly collection: string | null;
  /** False for documents of a collection without `output: true`: in `site.<label>` without `output`. */
  readonly output: boolean;
  /** Whether the build writes it: an output collection's document is held back, as Jekyll's Publisher does, when unpublished or dated in the future. */
  readonly written: boolean;
  /** A document's date: its front matter's, else its file name's, else the build's time (a page has none). */
  readonly date?: Instant;
  /** A document's slug: its front matter's, else its file name after a date. */
  readonly slug?: string;
}

/** What a Jekyll site's Liquid reads, besides posts. */
export interface JekyllInputs {
  /** Liquid layouts by name (`default`, `blog/post`); `.njk` files in `_layouts/` are Nunjucks templates instead. */
  readonly layouts: ReadonlyMap<string, LiquidLayout>;
  /** `_includes/` files by their path below `_includes/`. */
  readonly includes: ReadonlyMap<string, string>;
  /** `site.data`. */
  readonly data: Record<string, unknown>;
  /** Pages in the order of Jekyll's `site.pages` (by file name, then path), then each collection's documents in its order. */
  readonly pages: readonly JekyllPage[];
  /** The site's own static files (relative paths), in Jekyll's order (by path). */
  readonly staticFiles: readonly string[];
  /** Every source file Liquid could read, with the site's own `_layouts/` and `_includes/`, by path. */
  readonly files: ReadonlyMap<string, Source>;
}

/**
 * Reads the inputs from the site's sources. A file that cannot be read (bad YAML, a permalink
 * outside the site) is a problem and is left out; the rest of the site still builds, so one build
 * reports every problem.
 */
export function readJekyllInputs(sources: Iterable<Source>, config: Config, now: Instant, isTheme: (source: Source) => boolean, problems: BuildProblem[]): JekyllInputs {
  const layoutsDir = folder(config.layouts_dir, '_layouts');
  const includesDir = folder(config.includes_dir, '_includes');
  const dataDir = folder(config.data_dir, '_data');
  const markdownExtensions = markdownExt(config.markdown_ext);
  const collections = jekyllCollections(config);
  const layouts = new Map<string, LiquidLayout>();
  const includes = new Map<string, string>();
  const dataFiles: Array<{ path: string; text: string }> = [];
  const pages: JekyllPage[] = [];
  const documents: JekyllPage[] = [];
  const staticFiles: string[] = [];
  const files = new Map<string, Source>();

  const attempt = (file: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      problems.push(toProblem(error, file));
    }
  };

  for (const source of sources) {
    if (isTheme(source)) continue;
    const file = source.relativePath;
    const text = source.text ?? '';
    switch (source.kind) {
      case 'layout':
        if (!file.startsWith(`${layoutsDir}/`) || engineFor(file) === 'nunjucks') break;
        attempt(file, () => {
          const { body, data, bodyLine } = splitFrontMatter(text, file);
          layouts.set(layoutName(file.slice(layoutsDir.length + 1)), { body, data, bodyLine, file });
        });
        break;
      case 'include':
        includes.set(file.slice(includesDir.length + 1), text);
        files.set(file, source);
        break;
      case 'data':
        dataFiles.push({ path: file.slice(dataDir.length + 1), text });
        break;
      case 'page':
        files.set(file, source);
        attempt(file, () => {
          const split = splitFrontMatter(text, file);
          const data = applyDefaults(split.data, config.defaults, file, 'pages');
          // Jekyll leaves an unpublished page out of the site (site.pages) as well as the output.
          if (!canBePublished(data, config)) return;
          pages.push({ relativePath: file, body: split.body, bodyLine: split.bodyLine, data, location: pageUrl(file, data, config.permalink, markdownExtensions), collection: null, output: true, written: true });
        });
        break;
      case 'document': {
        files.set(file, source);
        const label = file.slice(1, file.indexOf('/'));
        const settings = collections.get(label);
        if (!settings) break;
        attempt(file, () => {
          const split = splitFrontMatter(text, file);
          const data = applyDefaults(split.data, config.defaults, file, label);
          // Jekyll's Collection#read keeps only documents not marked `published: false`; of the
          // rest, Document#write? asks the Publisher (an empty `published:`, a future date).
          if (data.published === false && !config.unpublished) return;
          // Document#populate_title: a dated file name (`2021-07-08-my-doc.md`) gives the date and the slug.
          const named = datedName(file, config);
          const date = documentDate(data.date, file, text, config) ?? named?.date ?? now;
          const slug = typeof data.slug === 'string' ? data.slug : named?.slug;
          const written = settings.output && canBePublished(data, config) && !isHiddenInTheFuture(date, now, config);
          documents.push({ relativePath: file, body: split.body, bodyLine: split.bodyLine, data, location: documentUrl(file, label, { ...data, slug }, settings.permalink, config.permalink, markdownExtensions, date), collection: label, output: settings.output, written, date, slug });
        });
        break;
      }
      case 'static':
        files.set(file, source);
        if (!isUnwritten(file)) staticFiles.push(file);
        break;
      default:
        break;
    }
  }

  let data: Record<string, unknown> = {};
  try {
    data = siteData(dataFiles, { dataDir, csv_reader: config.csv_reader as CsvReaderConfig | undefined, tsv_reader: config.tsv_reader as CsvReaderConfig | undefined });
  } catch (error) {
    problems.push(toProblem(error, dataDir));
  }
  // Jekyll sorts site.pages by file name (Reader#sort_files!); the path breaks ties here.
  pages.sort((a, b) => compare(nameOf(a.relativePath), nameOf(b.relativePath)) || compare(a.relativePath, b.relativePath));
  const labels = [...new Set(documents.map((document) => document.collection!))].sort(compare);
  const sortedDocuments = labels.flatMap((label) => sortDocuments(documents.filter((document) => document.collection === label), label, collections.get(label)!, config.timezone));
  staticFiles.sort(compare);
  return { layouts, includes, data, pages: [...pages, ...sortedDocuments], staticFiles, files };
}

/** A document file name's date and the slug after it (`2021-07-08-my-doc.md`); null for an undated name. */
function datedName(file: string, config: Config): { date: Instant; slug: string } | null {
  const stem = file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  const match = /^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.+)$/.exec(stem);
  if (!match) return null;
  const [month, day] = [Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { date: zonedInstant({ year: fullYear(match[1]!), month, day }, config.timezone), slug: match[4]! };
}

/** A document's front-matter `date:` read as a post's is; null when it has none. */
function documentDate(value: unknown, file: string, text: string, config: Config): Instant | null {
  if (value === undefined || value === null || value === '') return null;
  const parsed = parseDateValue(value, config.timezone, { source: 'string' });
  if ('error' in parsed) throw keyError(file, text, 'date', parsed.error);
  return parsed;
}

/**
 * A collection document's URL: its front matter `permalink`, else the collection's, else Jekyll's
 * default `/:collection/:path:output_ext`. `:year` and friends use the document's date: its
 * front matter's, else the build time, as Jekyll's.
 */
function documentUrl(relativePath: string, label: string, data: Readonly<Record<string, unknown>>, permalink: string | undefined, sitePermalink: string, markdownExtensions: readonly string[], date: Instant): PageLocation {
  const asPage = pageUrl(relativePath, {}, 'date', markdownExtensions);
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const basename = name.replace(/\.[^.]*$/, '');
  const location = postLocation(
    { date, categories: [], basename, slug: typeof data.slug === 'string' ? data.slug : undefined, outputExt: asPage.outputExt, collection: label, path: relativePath, collectionDirectory: `_${label}` },
    permalink ?? withPermalinkSuffix('/:collection/:path', sitePermalink),
    typeof data.permalink === 'string' ? data.permalink : undefined,
  );
  return { url: location.url, outputPath: location.outputPath, outputExt: location.outputExt, converter: asPage.converter };
}

/**
 * Where a file of a written collection without front matter is copied (Jekyll's StaticFile#url):
 * the collection's permalink with the file's `:path` and `:name` and no `:output_ext`, less a
 * closing slash, plus the file's extension (`_recipes/sub/pic.png` under `/recipes/:name/` is
 * `recipes/pic.png`). Null for a file outside a written collection.
 */
export function collectionFileOutputPath(relativePath: string, config: Config): string | null {
  const label = /^_([^/]+)\//.exec(relativePath)?.[1];
  const settings = label === undefined ? undefined : jekyllCollections(config).get(label);
  if (!settings?.output) return null;
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const extension = /\.[^.]*$/.exec(name)?.[0] ?? '';
  const { url } = postLocation(
    { date: { epochMs: 0, offsetMinutes: 0 }, categories: [], basename: name.slice(0, name.length - extension.length), outputExt: '', collection: label, path: relativePath, collectionDirectory: `_${label}` },
    settings.permalink ?? withPermalinkSuffix('/:collection/:path', config.permalink),
  );
  return `${url.replace(/\/+$/, '')}${extension}`.replace(/^\/+/, '');
}

/**
 * A collection's default permalink ends as the site's style does (Jekyll's add_permalink_suffix):
 * `/` for `pretty` or a pattern ending in `/`, `:output_ext` for `date`, `ordinal`, `none` or a
 * pattern ending in it, nothing for the others (`weekdate`, `/:year/:title`).
 */
function withPermalinkSuffix(template: string, style: string): string {
  if (style === 'pretty' || (!isPermalinkStyle(style) && style.endsWith('/'))) return `${template}/`;
  if (style === 'date' || style === 'ordinal' || style === 'none' || (!isPermalinkStyle(style) && style.endsWith(':output_ext'))) return `${template}:output_ext`;
  return template;
}

/** `markdown_ext:` ("markdown,mkdown,...") as a list; kramdown's defaults when absent. */
function markdownExt(value: unknown): readonly string[] {
  if (typeof value !== 'string' || value.trim() === '') return DEFAULT_MARKDOWN_EXTENSIONS;
  return value.split(',').map((extension) => extension.trim().replace(/^\./, '')).filter(Boolean);
}

function folder(value: unknown, fallback: string): string {
  return (typeof value === 'string' ? value : fallback).replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

function nameOf(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
