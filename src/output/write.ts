import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../errors.js';
import { mapLimit } from '../content/load.js';
import type { Output } from '../types.js';

/** How many files are written at once. */
const WRITE_CONCURRENCY = 32;
/** Above this share of changed files, building a fresh folder and swapping it in is cheaper. */
const SWAP_THRESHOLD = 0.5;

/** What the writer did. */
export interface WriteResult {
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
  /** Paths (relative to the destination) whose bytes changed, were added or were removed. */
  readonly changedPaths: readonly string[];
}

/** A fingerprint per output path, kept between builds to skip unchanged files. */
export type Manifest = Record<string, string>;

/**
 * Refuses destinations a build must never write to: the source itself, a folder that contains the
 * source, the home folder, or a filesystem root. Only this module writes, so the check lives here.
 */
export function checkDestination(source: string, destination: string, configFile = '_config.yml'): void {
  const dest = path.resolve(destination);
  const src = path.resolve(source);
  const reasons: Array<[boolean, string]> = [
    [dest === path.parse(dest).root, 'it is the root of the filesystem'],
    [dest === path.resolve(os.homedir()), 'it is your home folder'],
    [dest === src, 'it is the source folder itself'],
    [src.startsWith(dest + path.sep), 'it contains the source folder'],
  ];
  for (const [refused, why] of reasons) {
    if (refused) {
      throw new InputError({
        file: configFile,
        message: `refusing to build into ${dest}: ${why}, and a build replaces everything in its destination`,
        hint: 'set `destination` to a folder of its own, such as _site',
      });
    }
  }
}

/** Two outputs for one path is a mistake in the site (two posts with one permalink, say). */
export function findCollisions(outputs: readonly Output[]): Array<{ path: string; origins: string[] }> {
  const byPath = new Map<string, string[]>();
  for (const output of outputs) {
    const origins = byPath.get(output.path);
    if (origins) origins.push(output.origin);
    else byPath.set(output.path, [output.origin]);
  }
  return [...byPath].filter(([, origins]) => origins.length > 1).map(([outputPath, origins]) => ({ path: outputPath, origins: origins.sort() }));
}

/** Text outputs are immutable, so each is hashed once even when rebuilds reuse it. */
const textFingerprints = new WeakMap<Output, string>();

/** The fingerprint of an output: a hash of text, or the identity of a file to copy. */
export async function fingerprint(output: Output): Promise<string> {
  if (typeof output.contents === 'string') {
    let known = textFingerprints.get(output);
    if (known === undefined) {
      known = createHash('sha1').update(output.contents).digest('base64');
      textFingerprints.set(output, known);
    }
    return known;
  }
  const stat = await fs.stat(output.contents.copyFrom);
  return `copy:${stat.size}:${Math.floor(stat.mtimeMs)}`;
}

/**
 * Writes the outputs to `destination` so that it ends up holding exactly them.
 *
 * Files whose fingerprint matches `previous` (the manifest of the last build written there) are
 * not rewritten. Each changed file is first written beside its target and renamed over it, so a
 * reader never sees half a file. When most files change (or there is no previous manifest), the
 * whole site is built in a fresh sibling folder and swapped in with two renames instead, so an
 * interrupted build leaves the old site, not a mix.
 */
export async function writeSite(
  destination: string,
  outputs: readonly Output[],
  previous: Manifest | null,
): Promise<{ result: WriteResult; manifest: Manifest }> {
  const manifest: Manifest = {};
  const fingerprints = await mapLimit(outputs, WRITE_CONCURRENCY, fingerprint);
  outputs.forEach((output, index) => (manifest[output.path] = fingerprints[index]!));

  const destinationExists = await exists(destination);
  const usable = previous !== null && destinationExists;
  const changed = outputs.filter((output) => !usable || previous[output.path] !== manifest[output.path]);
  const removed = usable ? Object.keys(previous).filter((old) => !(old in manifest)) : [];
  const changedPaths = [...changed.map((output) => output.path), ...removed];

  if (!usable || changed.length > outputs.length * SWAP_THRESHOLD) {
    await writeFreshAndSwap(destination, outputs);
  } else {
    await writeInPlace(destination, changed, removed);
  }
  return {
    result: { written: changed.length, unchanged: outputs.length - changed.length, removed: removed.length, changedPaths },
    manifest,
  };
}

async function writeFreshAndSwap(destination: string, outputs: readonly Output[]): Promise<void> {
  const parent = path.dirname(destination);
  const base = path.basename(destination);
  await fs.mkdir(parent, { recursive: true });
  const fresh = await fs.mkdtemp(path.join(parent, `.${base}.quire-new-`));
  try {
    await writeFiles(fresh, outputs);
  } catch (error) {
    await fs.rm(fresh, { recursive: true, force: true });
    throw error;
  }
  const old = `${fresh.replace('.quire-new-', '.quire-old-')}`;
  const hadOld = await exists(destination);
  if (hadOld) await fs.rename(destination, old);
  await fs.rename(fresh, destination);
  // Deleting is slow and nothing waits on it; a crash here leaves only a hidden folder behind.
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}

async function writeInPlace(destination: string, changed: readonly Output[], removed: readonly string[]): Promise<void> {
  await makeFolders(destination, changed);
  await mapLimit(changed, WRITE_CONCURRENCY, async (output) => {
    const target = path.join(destination, output.path);
    const staging = `${target}.quire-tmp`;
    await writeOne(staging, output);
    await fs.rename(staging, target);
  });
  await mapLimit(removed, WRITE_CONCURRENCY, (file) => fs.rm(path.join(destination, file), { force: true }));
  await removeEmptyFolders(destination, removed);
}

async function writeFiles(root: string, outputs: readonly Output[]): Promise<void> {
  await makeFolders(root, outputs);
  await mapLimit(outputs, WRITE_CONCURRENCY, (output) => writeOne(path.join(root, output.path), output));
}

async function writeOne(target: string, output: Output): Promise<void> {
  if (typeof output.contents === 'string') await fs.writeFile(target, output.contents);
  else await fs.copyFile(output.contents.copyFrom, target);
}

/** Creates each needed folder once, parents first, instead of a mkdir per file. */
async function makeFolders(root: string, outputs: readonly Output[]): Promise<void> {
  const folders = new Set<string>();
  for (const output of outputs) {
    const folder = path.posix.dirname(output.path);
    if (folder !== '.') folders.add(folder);
  }
  const leaves = [...folders].sort().filter((folder, i, all) => !(all[i + 1]?.startsWith(folder + '/') ?? false));
  await mapLimit(leaves, WRITE_CONCURRENCY, (folder) => fs.mkdir(path.join(root, folder), { recursive: true }));
}

/** After removing pages, drop folders they leave empty (a deleted post's `slug/` folder). */
async function removeEmptyFolders(root: string, removed: readonly string[]): Promise<void> {
  const folders = new Set<string>();
  for (const file of removed) {
    for (let folder = path.posix.dirname(file); folder !== '.'; folder = path.posix.dirname(folder)) folders.add(folder);
  }
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    try {
      await fs.rmdir(path.join(root, folder));
    } catch {
      // not empty, or already gone: both fine
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
