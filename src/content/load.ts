import { closeSync, fstatSync, openSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, toProblem } from '../errors.js';
import type { Config } from '../config.js';
import type { BuildProblem, Source, SourceKind } from '../types.js';
import { classify, isIgnored, listFiles, mapLimit, READ_CONCURRENCY } from './files.js';
import { isJekyllSite, jekyllCollections, jekyllPostKindOf, listJekyllSources } from '../jekyll/files.js';
import { excludesFile, fnmatch, jekyllReadsFolder } from './pages.js';
import { CACHE_FOLDER } from '../output/state.js';

/** The folders Quire reads, relative to the site source, and what their files are. */
const CONTENT_FOLDERS: ReadonlyArray<{ folder: string; kind: SourceKind }> = [
  { folder: 'posts', kind: 'post' },
  { folder: '_posts', kind: 'post' },
  { folder: '_drafts', kind: 'draft' },
  { folder: 'drafts', kind: 'draft' },
  { folder: 'templates', kind: 'layout' },
  { folder: 'public', kind: 'static' },
];

/**
 * The folders of the site's source that hold what it is built from, relative to the source: a
 * build must never write into them (see checkDestination). A Jekyll site's are its `_` folders
 * (in it `posts/` or `public/` are ordinary folders, and `public/` a usual destination).
 */
export function sourceFolders(config: Config): string[] {
  const jekyll = ['_posts', '_drafts', '_layouts', '_includes', '_data', '_sass', '_plugins'];
  if (!isJekyllSite(config)) return [...CONTENT_FOLDERS.map((entry) => entry.folder), ...jekyll];
  // A Jekyll site reads Quire's templates/ too (see listJekyllSources).
  jekyll.push('templates');
  const named = [config.layouts_dir, config.includes_dir, config.data_dir].filter((value): value is string => typeof value === 'string');
  return [...jekyll, ...named.map((folder) => folder.replace(/^\.?\/+|\/+$/g, '')), ...[...jekyllCollections(config).keys()].map((label) => `_${label}`)];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Walks the content folders of the site and reads every post, draft and template (in a Jekyll
 * site: every file Jekyll reads, see listJekyllSources). Static files are listed, not read. The
 * builders read the site through this function (and readSourceSync, for a changed file).
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
  if (excludesFile(relativePath, config, 'wholeNames')) return null;
  if (folder && parts.length > 1 && !isIgnored(rest)) {
    if (folder.kind === 'draft' && !config.show_drafts) return null;
    return classify(folder.kind, relativePath);
  }
  const nested = parts.indexOf('_posts');
  // The same rule as the listing (nestedPostFolders), so serve sees exactly the posts build does.
  if (nested > 0 && nested < parts.length - 1 && jekyllReadsFolder(parts.slice(0, nested).join('/'), config)) {
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
    for (const relativePath of await listFiles(config.source, folder, [config.destination, path.join(config.source, CACHE_FOLDER)], config.safe === true, (below) => namedByInclude(below, config.include))) {
      if (!excludesFile(relativePath, config, 'wholeNames')) listed.push({ kind: classify(kind, relativePath), relativePath });
    }
  }
  return listed;
}

/**
 * Whether `include:` brings back a file Quire would leave out as hidden (`public/.well-known/…`,
 * `.nojekyll`): an entry naming it or a folder above it, or its path below its content folder.
 */
function namedByInclude(pathBelowFolder: string, include: readonly string[]): boolean {
  const parts = pathBelowFolder.split('/');
  return include.some((entry) => {
    const pattern = entry.replace(/^\.?\/+|\/+$/g, '');
    return pattern !== '' && (parts.some((part) => fnmatch(pattern, part)) || pathBelowFolder === pattern || pathBelowFolder.startsWith(`${pattern}/`));
  });
}

/** Folders never searched for nested `_posts`: dependencies, Quire's own folders, output. */
const NEVER_SEARCHED = new Set(['node_modules', 'vendor', 'posts', 'drafts', 'templates', 'public']);
const NESTED_POSTS_DEPTH = 4;

/**
 * Jekyll reads `<folder>/_posts/` anywhere in the site and makes the folders categories
 * (`news/_posts/x.md` is in category `news`). Finds those folders, in the folders Jekyll walks into.
 */
export async function nestedPostFolders(config: Config): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
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
      if (searchedForNestedPosts(child, config)) await walk(child);
    }
  };
  await walk('');
  return found.sort();
}

/** Whether nestedPostFolders looks inside a folder (relative to the source, `/`-separated) for `_posts`. */
export function searchedForNestedPosts(relativeFolder: string, config: Config): boolean {
  const parts = relativeFolder.split('/');
  const destination = path.relative(config.source, config.destination).split(path.sep).join('/');
  return (
    parts.length <= NESTED_POSTS_DEPTH &&
    relativeFolder !== destination &&
    !relativeFolder.startsWith(`${destination}/`) &&
    !parts.some((part) => NEVER_SEARCHED.has(part)) &&
    jekyllReadsFolder(relativeFolder, config)
  );
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

