import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SourceKind } from '../types.js';

/** Small helpers for walking and sorting a site's files, shared by Quire's and Jekyll's listings. */

/** Extensions of files that are posts; anything else in a posts folder is copied like Jekyll does. */
export const POST_EXTENSIONS = new Set(['.md', '.markdown', '.mkdown', '.mkd', '.mkdn', '.mdown', '.html', '.htm']);

/** How many files are read at once: enough to keep the disk busy, few enough for any ulimit. */
export const READ_CONCURRENCY = 64;

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

/**
 * A non-post file in a posts folder (an image beside a post) is a static file. One in Jekyll's
 * `_posts/` or `_drafts/` is not written, as Jekyll writes only their posts (see isUnwritten), but
 * is listed all the same: an `{% include_relative %}` may read it, and a change to it is a change
 * to the site.
 */
export function classify(folderKind: SourceKind, relativePath: string): SourceKind {
  if ((folderKind === 'post' || folderKind === 'draft') && !POST_EXTENSIONS.has(path.extname(relativePath).toLowerCase())) {
    return 'static';
  }
  return folderKind;
}

/** A static file Jekyll would not write: one in `_posts/` or `_drafts/` (see classify). */
export function isUnwritten(relativePath: string): boolean {
  return /(^|\/)_(posts|drafts)\//.test(relativePath);
}

/**
 * Every file below `folder` (relative to `root`), sorted, skipping dot-files and editor backups.
 * Links are followed: a link to a file is that file, a link to a folder (`public/images` pointing
 * at a photo library) is walked once. A link to nothing, to a folder that cannot be read, back up
 * to a folder being walked (that would loop), or into one of the `avoid` folders (the site's
 * output) is left out; so is, with `safe` (Jekyll's `safe: true`, as on GitHub Pages), a link
 * that leads out of `root`. Dot-files are left out unless `included` (the site's `include:`) names them.
 */
export async function listFiles(root: string, folder: string, avoid: readonly string[] = [], safe = false, included: (pathBelowFolder: string) => boolean = () => false): Promise<string[]> {
  const within = (inner: string, outer: string) => {
    const relative = path.relative(outer, inner);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  // Compared with real paths: the site may be reached through a link itself.
  const realOrAsIs = (file: string) => fs.realpath(file).catch(() => path.resolve(file));
  let avoided: string[] | undefined;
  let top: string | undefined;
  let rootReal: string | undefined;
  /** `chain`: the real paths of the folders walked down to this one (links followed included). */
  const walk = async (relativeFolder: string, chain: readonly string[]): Promise<string[]> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(root, relativeFolder), { withFileTypes: true, recursive: true });
    } catch (error) {
      // A linked folder that cannot be read is left out like a broken link; the folder itself must be readable.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || relativeFolder !== folder) return [];
      throw error;
    }
    const files: string[] = [];
    for (const entry of entries) {
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path;
      const relativePath = path.relative(root, path.join(parent, entry.name)).split(path.sep).join('/');
      const below = relativePath.slice(folder.length + 1);
      if (isIgnored(below) && !included(below)) continue;
      if (entry.isFile()) {
        files.push(relativePath);
        continue;
      }
      if (safe) {
        rootReal ??= await realOrAsIs(root);
        if (!within(await realOrAsIs(path.join(root, relativePath)), rootReal)) continue;
      }
      const target = await fs.stat(path.join(root, relativePath)).catch(() => null);
      if (target?.isFile()) {
        files.push(relativePath);
      } else if (target?.isDirectory()) {
        const real = await fs.realpath(path.join(root, relativePath));
        top ??= await fs.realpath(path.join(root, folder));
        const here = chain.length > 0 ? chain : [top];
        avoided ??= await Promise.all(avoid.map(realOrAsIs));
        if (here.some((above) => within(above, real)) || avoided.some((output) => within(real, output))) continue;
        files.push(...(await walk(relativePath, [...here, real])));
      }
    }
    return files;
  };
  return (await walk(folder, [])).sort();
}

/**
 * Dot-files, `~` backups and `#` autosaves are never content (Jekyll skips them too), nor are the
 * files a JetBrains editor's "safe write" makes for an instant (`x.md___jb_tmp___`, `___jb_old___`).
 */
export function isIgnored(relativePath: string): boolean {
  return relativePath.split('/').some((part) => part.startsWith('.') || part.endsWith('~') || part.startsWith('#') || part.endsWith('___jb_tmp___') || part.endsWith('___jb_old___'));
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  // After a failure no new call starts, and the first error is thrown once the running ones end:
  // a caller cleaning up after it (temporary files) then finds all that was done.
  const failure: { error?: unknown; happened: boolean } = { happened: false };
  const worker = async () => {
    while (!failure.happened && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (error) {
        if (!failure.happened) Object.assign(failure, { error, happened: true });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure.happened) throw failure.error;
  return results;
}

/** Text as a regular expression matching exactly it. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
