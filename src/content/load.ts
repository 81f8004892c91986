import { closeSync, fstatSync, openSync, promises as fs, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { InputError, toProblem } from '../errors.js';
import type { Config } from '../config.js';
import type { BuildProblem, Source, SourceKind } from '../types.js';
import { classifyJekyllFiles, hasYamlHeader } from './pages.js';

/** The folders Quire reads, relative to the site source, and what their files are. */
const CONTENT_FOLDERS: ReadonlyArray<{ folder: string; kind: SourceKind }> = [
  { folder: 'posts', kind: 'post' },
  { folder: '_posts', kind: 'post' },
  { folder: '_drafts', kind: 'draft' },
  { folder: 'drafts', kind: 'draft' },
  { folder: 'templates', kind: 'layout' },
  { folder: 'public', kind: 'static' },
];

/** Extensions of files that are posts; anything else in a posts folder is copied like Jekyll does. */
export const POST_EXTENSIONS = new Set(['.md', '.markdown', '.mkdown', '.mkd', '.mkdn', '.mdown', '.html', '.htm']);

/** How many files are read at once: enough to keep the disk busy, few enough for any ulimit. */
const READ_CONCURRENCY = 64;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Walks the content folders of the site and reads every post, draft and template (in a Jekyll
 * site: every file Jekyll reads, see listJekyllSources). Static files are listed, not read. Only
 * this module reads the source tree during a build.
 */
export async function loadSources(config: Config): Promise<{ sources: Source[]; problems: BuildProblem[] }> {
  const listed = await listSources(config);
  const problems: BuildProblem[] = [];
  const read = await mapLimit(listed, READ_CONCURRENCY, async ({ kind, relativePath }) => {
    try {
      return await readSource(config.source, kind, relativePath);
    } catch (error) {
      problems.push(toProblem(error, relativePath));
      return null;
    }
  });
  return { sources: read.filter((source): source is Source => source !== null), problems };
}

/**
 * What kind of source a file at `relativePath` is, or null when Quire does not read it. Used by the
 * watcher to re-read one changed file instead of walking the tree.
 */
export function sourceKindOf(config: Config, relativePath: string): SourceKind | null {
  if (isJekyllSite(config)) return jekyllPostKindOf(config, relativePath);
  const parts = relativePath.split('/');
  const folder = CONTENT_FOLDERS.find((entry) => entry.folder === parts[0]);
  const rest = parts.slice(1).join('/');
  if (folder && parts.length > 1 && !isIgnored(rest)) {
    if (folder.kind === 'draft' && !config.show_drafts) return null;
    return classify(folder.kind, relativePath);
  }
  const nested = parts.indexOf('_posts');
  if (nested > 0 && nested < parts.length - 1 && !isExcluded(relativePath, config.exclude) && !parts.slice(0, nested).some((part) => part.startsWith('.') || part.startsWith('_'))) {
    return isIgnored(parts.slice(nested + 1).join('/')) ? null : classify('post', relativePath);
  }
  return null;
}

/** A source file found in the tree, not read yet. */
export interface ListedSource {
  readonly kind: SourceKind;
  readonly relativePath: string;
}

/** Every source file of the site with its kind, without reading any (sorted within each folder). */
export async function listSources(config: Config): Promise<ListedSource[]> {
  if (isJekyllSite(config)) return listJekyllSources(config);
  const listed: ListedSource[] = [];
  const folders = [...CONTENT_FOLDERS, ...(await nestedPostFolders(config)).map((folder) => ({ folder, kind: 'post' as const }))];
  for (const { folder, kind } of folders) {
    if (kind === 'draft' && !config.show_drafts) continue;
    for (const relativePath of await listFiles(config.source, folder)) {
      listed.push({ kind: classify(kind, relativePath), relativePath });
    }
  }
  return listed;
}

/** Folders never searched for nested `_posts`: dependencies, Quire's own folders, output. */
const NEVER_SEARCHED = new Set(['node_modules', 'vendor', 'posts', 'drafts', 'templates', 'public']);
const NESTED_POSTS_DEPTH = 4;

/**
 * Jekyll reads `<folder>/_posts/` anywhere in the site and makes the folders categories
 * (`news/_posts/x.md` is in category `news`). Finds those folders, skipping excluded ones.
 */
export async function nestedPostFolders(config: Config): Promise<string[]> {
  const found: string[] = [];
  const destination = path.relative(config.source, config.destination).split(path.sep).join('/');
  const walk = async (relative: string, depth: number): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(config.source, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.name === '_posts' && relative !== '') found.push(child);
      if (entry.name.startsWith('.') || entry.name.startsWith('_') || child === destination) continue;
      if (NEVER_SEARCHED.has(entry.name) || isExcluded(child, config.exclude) || depth >= NESTED_POSTS_DEPTH) continue;
      await walk(child, depth + 1);
    }
  };
  await walk('', 0);
  return found.sort();
}

/** Jekyll's `exclude:` entries: a path, a folder prefix, or a simple `*` glob. */
export function isExcluded(relativePath: string, excludes: readonly string[]): boolean {
  return excludes.some((pattern) => {
    const clean = pattern.replace(/^\.?\//, '').replace(/\/$/, '');
    if (clean.includes('*')) {
      const regex = new RegExp(`^${clean.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}(/|$)`);
      return regex.test(relativePath);
    }
    return relativePath === clean || relativePath.startsWith(`${clean}/`);
  });
}

/** A non-post file in a posts folder (an image beside a post) is a static file, as in Jekyll. */
function classify(folderKind: SourceKind, relativePath: string): SourceKind {
  if ((folderKind === 'post' || folderKind === 'draft') && !POST_EXTENSIONS.has(path.extname(relativePath).toLowerCase())) {
    return 'static';
  }
  return folderKind;
}

/**
 * Posts, drafts, pages and templates larger than this are refused before they are read. Real
 * posts are far smaller; a 50 MB one (a pasted image or log) takes 10-25 s and over 2 GB of memory
 * to build, and Markdown written to be slow (50 MB of brackets) takes minutes. Static files and
 * data files have no limit.
 */
export const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024;
const LIMITED_KINDS: ReadonlySet<SourceKind> = new Set(['post', 'draft', 'page', 'document', 'layout', 'include']);

/** Reads one file as a Source. Exposed for the watcher, which re-reads single files. */
export async function readSource(sourceDir: string, kind: SourceKind, relativePath: string): Promise<Source> {
  const absolutePath = path.join(sourceDir, relativePath);
  if (kind === 'static') return { kind, relativePath, absolutePath };
  const handle = await fs.open(absolutePath, 'r');
  try {
    const stat = await handle.stat();
    checkSize(stat.size, kind, relativePath);
    return textSource(kind, relativePath, absolutePath, await handle.readFile(), stat.mtimeMs);
  } finally {
    await handle.close();
  }
}

/**
 * readSource without the event loop, for build worker threads: a thread that does nothing else
 * reads faster with plain system calls than through libuv's thread pool.
 */
export function readSourceSync(sourceDir: string, kind: SourceKind, relativePath: string): Source {
  const absolutePath = path.join(sourceDir, relativePath);
  if (kind === 'static') return { kind, relativePath, absolutePath };
  const fd = openSync(absolutePath, 'r');
  try {
    const stat = fstatSync(fd);
    checkSize(stat.size, kind, relativePath);
    return textSource(kind, relativePath, absolutePath, readFileSync(fd), stat.mtimeMs);
  } finally {
    closeSync(fd);
  }
}

function checkSize(size: number, kind: SourceKind, relativePath: string): void {
  if (size > MAX_TEXT_FILE_BYTES && LIMITED_KINDS.has(kind)) {
    throw new InputError({
      file: relativePath,
      message: `the file is ${megabytes(size)}, and Quire reads posts, pages and templates only up to ${megabytes(MAX_TEXT_FILE_BYTES)}`,
      hint: 'a file this large is usually a mistake (a pasted image, a log); split the post, or put big files in public/ and link to them',
    });
  }
}

function textSource(kind: SourceKind, relativePath: string, absolutePath: string, bytes: Uint8Array, mtimeMs: number): Source {
  return { kind, relativePath, absolutePath, text: decodeUtf8(bytes, relativePath), mtimeMs: kind === 'draft' ? mtimeMs : undefined };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    const line = lineOfFirstInvalidByte(bytes);
    throw new InputError({
      file,
      line,
      message: 'the file is not valid UTF-8 text',
      hint: 'save it as UTF-8 in your editor (it may be Latin-1 or Windows-1252)',
    });
  }
}

function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  let line = 1;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      UTF8.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    line++;
    start = end + 1;
  }
  return line;
}

/** Every file below `folder` (relative to `root`), sorted, skipping dot-files and editor backups. */
export async function listFiles(root: string, folder: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, folder), { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path;
    const relativePath = path.relative(root, path.join(parent, entry.name)).split(path.sep).join('/');
    if (isIgnored(relativePath.slice(folder.length + 1))) continue;
    files.push(relativePath);
  }
  return files.sort();
}

/** Dot-files, `~` backups and `#` autosaves are never content (Jekyll skips them too). */
export function isIgnored(relativePath: string): boolean {
  return relativePath.split('/').some((part) => part.startsWith('.') || part.endsWith('~') || part.startsWith('#'));
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// Jekyll sites
// ---------------------------------------------------------------------------------------------

const jekyllSites = new WeakMap<Config, boolean>();

/** Folders whose presence marks a Jekyll site: Quire's own sites never have them. */
const JEKYLL_FOLDERS = ['_layouts', '_includes', '_data'];

/**
 * Whether the source is a Jekyll site, read as Jekyll reads it (pages anywhere, `_layouts/`,
 * `_includes/`, `_data/`, collections, Liquid in posts and pages), rather than a Quire site
 * (`posts/`, `templates/`, `public/`). `jekyll_site: true` or `false` in `_config.yml` decides;
 * otherwise a site with a `templates/` folder is a Quire site, and one with `_layouts/`,
 * `_includes/` or `_data/` (or the folders `layouts_dir`, `includes_dir`, `data_dir` name), or with
 * a page at its top level (a file whose first line is `---`, such as `index.md` or `about.md`), is
 * a Jekyll site. A folder with only `_config.yml` and `_posts/` stays a Quire site: Quire reads
 * `_posts/` too.
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
  const files = entries.filter((entry) => entry.isFile() && !/^[._#~]/.test(entry.name) && !entry.name.endsWith('~') && !isExcluded(entry.name, config.exclude));
  return files.slice(0, DETECT_FILES_AT_MOST).some((entry) => hasYamlHeader(readHead(path.join(config.source, entry.name))));
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

/** The collections a Jekyll site declares (`collections:` as a map or a list), `posts` aside. */
export function jekyllCollections(config: Config): Map<string, { output: boolean; permalink?: string }> {
  const collections = new Map<string, { output: boolean; permalink?: string }>();
  const raw = config.collections;
  const entries: Array<[string, unknown]> = Array.isArray(raw) ? raw.map((label) => [String(label), {}]) : raw && typeof raw === 'object' ? Object.entries(raw) : [];
  for (const [label, settings] of entries) {
    if (label === 'posts' || !/^[\w.-]+$/.test(label)) continue;
    const map = settings && typeof settings === 'object' ? (settings as Record<string, unknown>) : {};
    collections.set(label, { output: map.output === true, permalink: typeof map.permalink === 'string' ? map.permalink : undefined });
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
function jekyllPostKindOf(config: Config, relativePath: string): SourceKind | null {
  const parts = relativePath.split('/');
  const index = parts.findIndex((part) => part === '_posts' || part === '_drafts');
  if (index === -1 || index === parts.length - 1) return null;
  const kind: SourceKind = parts[index] === '_posts' ? 'post' : 'draft';
  if (kind === 'draft' && !config.show_drafts) return null;
  const folders = parts.slice(0, index);
  // Jekyll reads `_posts/` in every folder it reads: none of the folders above may be skipped.
  if (folders.some((part) => /^[._#~]/.test(part) || part.endsWith('~')) || (index > 0 && isExcluded(folders.join('/'), config.exclude))) return null;
  if (isIgnored(parts.slice(index + 1).join('/'))) return null;
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
