import { promises as fs, readSync, openSync, closeSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { configWarnings, type Config } from '../config.js';
import { classifyJekyllFiles, excludesFile, hasYamlHeader, jekyllReadsFolder } from '../content/pages.js';
import { classify, isExcluded, isIgnored, mapLimit, READ_CONCURRENCY } from '../content/files.js';
import type { ListedSource } from '../content/load.js';
import type { SourceKind } from '../types.js';
import type { CollectionOrder } from './document-order.js';

/** Telling a Jekyll site from a Quire site, and listing a Jekyll site's files by kind. */

const jekyllSites = new WeakMap<Config, boolean>();

/** Folders whose presence marks a Jekyll site: Quire's own sites never have them. */
const JEKYLL_FOLDERS = ['_layouts', '_includes', '_data'];

/**
 * Whether the source is a Jekyll site, read as Jekyll reads it (pages anywhere, `_layouts/`,
 * `_includes/`, `_data/`, collections, Liquid in posts and pages), rather than a Quire site
 * (`posts/`, `templates/`, `public/`). `jekyll_site: true` or `false` in `_config.yml` decides;
 * otherwise a site with a `templates/` folder is a Quire site, and one with `_layouts/`,
 * `_includes/` or `_data/` (or the folders `layouts_dir`, `includes_dir`, `data_dir` name), or with
 * a page at its top level (a file whose first line is `---`, such as `index.md` or `about.md`) and
 * no `posts/` of Quire's (with no `_posts/` beside it), is a Jekyll site. A folder with only
 * `_config.yml` and `_posts/` stays a Quire site: Quire reads `_posts/` too.
 * Decided once per Config (it looks at the source folder's top level).
 */
export function isJekyllSite(config: Config): boolean {
  let jekyll = jekyllSites.get(config);
  if (jekyll === undefined) {
    jekyll = detectJekyllSite(config);
    jekyllSites.set(config, jekyll);
  }
  return jekyll;
}

/** How many top-level files are looked at for front matter when deciding. */
const DETECT_FILES_AT_MOST = 200;

function detectJekyllSite(config: Config): boolean {
  if (typeof config.jekyll_site === 'boolean') return config.jekyll_site;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(config.source, { withFileTypes: true });
  } catch {
    return false;
  }
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has('templates')) return false;
  const folders = [...JEKYLL_FOLDERS, ...[config.layouts_dir, config.includes_dir, config.data_dir].filter((value): value is string => typeof value === 'string')];
  if (folders.some((folder) => names.has(folder.replace(/^\.?\/+|\/+$/g, '')))) return true;
  // Quire's posts folder: an about.md beside it is a page Quire leaves out (with a warning), not a
  // sign that the dated files in posts/ are Jekyll pages.
  if (names.has('posts') && !names.has('_posts')) return false;
  const files = entries.filter((entry) => entry.isFile() && !/^[._#~]/.test(entry.name) && !entry.name.endsWith('~') && !isExcluded(entry.name, config.exclude));
  return files.slice(0, DETECT_FILES_AT_MOST).some((entry) => hasYamlHeader(readHead(path.join(config.source, entry.name))));
}

/** What looks wrong in the site before it builds, one line each: its configuration's warnings and the pages it leaves out. */
export function siteWarnings(config: Config): string[] {
  return [...configWarnings(config), ...leftOutPageWarnings(config)];
}

/**
 * Warnings for the pages a Quire site leaves out: files at its top level with front matter
 * (`about.md`), which only a Jekyll site builds. Without `templates/` such a file makes the site a
 * Jekyll site; with it, the file would otherwise be skipped without a word.
 */
function leftOutPageWarnings(config: Config): string[] {
  if (isJekyllSite(config)) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(config.source, { withFileTypes: true });
  } catch {
    return [];
  }
  const pages = entries
    .filter((entry) => entry.isFile() && /\.(md|markdown|html?)$/i.test(entry.name) && !/^[._#~]/.test(entry.name) && !isExcluded(entry.name, config.exclude))
    .slice(0, DETECT_FILES_AT_MOST)
    .filter((entry) => hasYamlHeader(readHead(path.join(config.source, entry.name))))
    .map((entry) => entry.name)
    .sort();
  return pages.map((name) => `${name}: not built: a Quire site builds only posts/ (with templates/) and public/; put a page like this in public/ as HTML, or make the whole site a Jekyll one (\`jekyll_site: true\`, layouts in _layouts/)`);
}

/** The first bytes of a file, enough for hasYamlHeader; '' when it cannot be read. */
function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(16);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Folders never walked in a Jekyll site: version control, caches, dependencies. */
const NEVER_WALKED = new Set(['.git', '.hg', '.svn', '.quire-cache', '.jekyll-cache', '.sass-cache', 'node_modules']);

/** A collection's settings in `collections:` that Quire reads. */
export interface CollectionSettings extends CollectionOrder {
  readonly output: boolean;
  readonly permalink?: string;
}

/** The collections a Jekyll site declares (`collections:` as a map or a list), `posts` aside. */
export function jekyllCollections(config: Config): Map<string, CollectionSettings> {
  const collections = new Map<string, CollectionSettings>();
  const raw = config.collections;
  const entries: Array<[string, unknown]> = Array.isArray(raw) ? raw.map((label) => [String(label), {}]) : raw && typeof raw === 'object' ? Object.entries(raw) : [];
  for (const [label, settings] of entries) {
    if (label === 'posts' || !/^[\w.-]+$/.test(label)) continue;
    const map = settings && typeof settings === 'object' ? (settings as Record<string, unknown>) : {};
    collections.set(label, {
      output: map.output === true,
      permalink: typeof map.permalink === 'string' ? map.permalink : undefined,
      order: Array.isArray(map.order) ? map.order.map(String) : undefined,
      sortBy: typeof map.sort_by === 'string' ? map.sort_by : undefined,
    });
  }
  return collections;
}

/**
 * Every file of a Jekyll site that Jekyll reads, with its kind: posts (`_posts/`, and
 * `<folder>/_posts/`), drafts (when shown), `_layouts/` and `templates/` (layouts: Liquid and
 * Nunjucks), `_includes/`, `_data/`, documents of declared collections (`_docs/...`), pages (files
 * with front matter) and static files, skipping what Jekyll skips (classifyJekyllFiles). In a
 * Jekyll site `posts/`, `drafts/` and `public/` are ordinary folders.
 */
export async function listJekyllSources(config: Config): Promise<ListedSource[]> {
  const files = await walkSite(config);
  const rules = {
    exclude: config.exclude,
    include: config.include,
    destination: destinationInSource(config),
    layouts_dir: typeof config.layouts_dir === 'string' ? config.layouts_dir : undefined,
    includes_dir: typeof config.includes_dir === 'string' ? config.includes_dir : undefined,
    data_dir: typeof config.data_dir === 'string' ? config.data_dir : undefined,
  };
  const collections = jekyllCollections(config);
  const listed: ListedSource[] = [];
  const others: string[] = [];
  const collectionFiles: string[] = [];
  for (const relativePath of files) {
    const slash = relativePath.indexOf('/');
    const top = slash === -1 ? '' : relativePath.slice(0, slash);
    const kind = jekyllPostKindOf(config, relativePath);
    if (kind !== null) listed.push({ kind, relativePath });
    else if (top === 'templates') {
      // Quire's own Nunjucks templates, in a site that says `jekyll_site: true`.
      if (!isIgnored(relativePath.slice(slash + 1))) listed.push({ kind: 'layout', relativePath });
    } else if (top.startsWith('_') && collections.has(top.slice(1))) {
      if (!isIgnored(relativePath.slice(slash + 1))) collectionFiles.push(relativePath);
    } else others.push(relativePath);
  }
  // Which files are pages depends on their first line: read it for every candidate first.
  const sorted = classifyJekyllFiles(others, rules, () => false);
  const candidates = [...sorted.staticFiles, ...collectionFiles];
  const heads = await mapLimit(candidates, READ_CONCURRENCY, async (relativePath) => hasYamlHeader(await readHeadAsync(path.join(config.source, relativePath))));
  const hasHeader = new Set(candidates.filter((_, index) => heads[index]));
  for (const relativePath of sorted.layouts) listed.push({ kind: 'layout', relativePath });
  for (const relativePath of sorted.includes) listed.push({ kind: 'include', relativePath });
  for (const relativePath of sorted.data) listed.push({ kind: 'data', relativePath });
  for (const relativePath of sorted.staticFiles) listed.push({ kind: hasHeader.has(relativePath) ? 'page' : 'static', relativePath });
  for (const relativePath of collectionFiles) {
    const label = relativePath.slice(1, relativePath.indexOf('/'));
    if (hasHeader.has(relativePath)) listed.push({ kind: 'document', relativePath });
    else if (collections.get(label)?.output) listed.push({ kind: 'static', relativePath });
  }
  return listed;
}

/** The kind of a post or draft of a Jekyll site (null for every other file). */
export function jekyllPostKindOf(config: Config, relativePath: string): SourceKind | null {
  const parts = relativePath.split('/');
  const index = parts.findIndex((part) => part === '_posts' || part === '_drafts');
  if (index === -1 || index === parts.length - 1) return null;
  const kind: SourceKind = parts[index] === '_posts' ? 'post' : 'draft';
  if (kind === 'draft' && !config.show_drafts) return null;
  const folders = parts.slice(0, index);
  // Jekyll reads `_posts/` in every folder it walks into, and only there.
  if (index > 0 && !jekyllReadsFolder(folders.join('/'), config)) return null;
  if (isIgnored(parts.slice(index + 1).join('/')) || excludesFile(relativePath, config)) return null;
  return classify(kind, relativePath);
}

/**
 * Whether re-reading the changed files alone cannot bring the sources up to date, so the whole
 * tree must be listed again: in a Jekyll site, any change but a post's or draft's (whether a file
 * is a page depends on its first line, and Liquid may read any layout, include, data file, page or
 * static file).
 */
export function needsRescan(config: Config, changed: Iterable<string>): boolean {
  if (!isJekyllSite(config)) return false;
  for (const relativePath of changed) {
    const kind = jekyllPostKindOf(config, relativePath);
    if (kind !== 'post' && kind !== 'draft') return true;
  }
  return false;
}

/** The destination's path relative to the source when it lies inside it ('' otherwise). */
function destinationInSource(config: Config): string | undefined {
  const relative = path.relative(config.source, config.destination);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
}

/** Every file below the source (relative, sorted), leaving out the destination and NEVER_WALKED. */
async function walkSite(config: Config): Promise<string[]> {
  const destination = destinationInSource(config);
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(config.source, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (NEVER_WALKED.has(entry.name) || child === destination) continue;
      let isFile = entry.isFile();
      let isFolder = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        // Jekyll's safe mode (GitHub Pages) reads no link that leads out of the site.
        if (config.safe === true && !(await leadsInside(path.join(config.source, child), config.source))) continue;
        const stat = await fs.stat(path.join(config.source, child)).catch(() => null);
        isFile = stat?.isFile() ?? false;
        isFolder = false; // links to folders are not followed (Jekyll's safe mode does not either)
      }
      if (isFolder) await walk(child);
      else if (isFile) files.push(child);
    }
  };
  await walk('');
  return files.sort();
}

/** Whether a link's target lies within `folder` (both through their real paths). */
async function leadsInside(link: string, folder: string): Promise<boolean> {
  try {
    const [target, root] = await Promise.all([fs.realpath(link), fs.realpath(folder)]);
    const relative = path.relative(root, target);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  } catch {
    return false;
  }
}

async function readHeadAsync(file: string): Promise<string> {
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return '';
  } finally {
    await handle?.close();
  }
}
