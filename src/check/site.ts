import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { mapLimit } from '../content/files.js';
import type { Output } from '../types.js';

/** A built site as the link checker sees it: every file, and the text of every HTML page. */
export interface BuiltSite {
  /** Output path (relative, `/`-separated) -> HTML, for `.html` and `.htm` files. */
  readonly pages: Map<string, string>;
  /** Every output path, pages included. */
  readonly files: Set<string>;
}

const READ_CONCURRENCY = 64;

export function isHtmlPath(file: string): boolean {
  return /\.html?$/i.test(file);
}

/** Reads a built site from disk (`quire build`'s destination). */
export async function readBuiltSite(destination: string): Promise<BuiltSite> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(destination, { withFileTypes: true, recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError({
        file: path.relative(process.cwd(), destination) || destination,
        message: 'there is no built site here to check',
        hint: 'run `quire build` first, or `quire check --build` to build in memory and check that',
      });
    }
    throw error;
  }
  const files = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path;
    // A link to nothing is no file a browser could get: links to it are broken.
    if (entry.isSymbolicLink() && !existsSync(path.join(parent, entry.name))) continue;
    files.add(path.relative(destination, path.join(parent, entry.name)).split(path.sep).join('/'));
  }
  const htmlFiles = [...files].filter(isHtmlPath).sort();
  const texts = await mapLimit(htmlFiles, READ_CONCURRENCY, (file) => fs.readFile(path.join(destination, file), 'utf8'));
  return { pages: new Map(htmlFiles.map((file, index) => [file, texts[index]!])), files };
}

/** The same view of a site built in memory; HTML files copied as they are get read. */
export async function siteFromOutputs(outputs: readonly Output[]): Promise<BuiltSite> {
  const sorted = [...outputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const html = sorted.filter((output) => isHtmlPath(output.path));
  const texts = await mapLimit(html, READ_CONCURRENCY, async ({ contents }) =>
    typeof contents === 'string' ? contents : fs.readFile(contents.copyFrom, 'utf8'),
  );
  return { pages: new Map(html.map((output, index) => [output.path, texts[index]!])), files: new Set(sorted.map((output) => output.path)) };
}
