import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, promises as fs, readdirSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, fileSystemProblem } from '../errors.js';
import { mapLimit } from '../content/files.js';
import type { Output } from '../types.js';

/** How many files are written at once. */
const WRITE_CONCURRENCY = 32;

/** What the writer did. */
export interface WriteResult {
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
  /** Paths (relative to the destination) whose bytes changed, were added or were removed. */
  readonly changedPaths: readonly string[];
  /**
   * The previous site, moved aside when the new one was swapped in, that could not be removed
   * (and why): the build succeeded, and the next build tries again.
   */
  readonly leftOver?: { readonly folder: string; readonly reason: string | null };
}

/** A fingerprint per output path, kept between builds to skip unchanged files. */
export type Manifest = Record<string, string>;

/**
 * Refuses destinations a build must never write to (`configFile`: where the destination was set,
 * for the error: a settings file or `--destination`): the source itself, a folder that contains the
 * source, one of the `sourceFolders` the site is built from (posts/, templates/, ...) or a folder
 * in one, another site's source, the home folder, or a filesystem root. Only this module writes,
 * so the check lives here.
 */
export function checkDestination(source: string, destination: string, sourceFolders: readonly string[] = [], configFile = '_config.yml', builtHere: ReadonlySet<string> = new Set()): void {
  const dest = path.resolve(destination);
  const src = path.resolve(source);
  // The paths as written, and where they lead: a link to the source is the source.
  const [realDest, realSrc] = [realPathOf(dest), realPathOf(src)];
  const inSource = path.relative(realSrc, realDest).split(path.sep);
  const sourceFolder = realDest.startsWith(realSrc + path.sep) && sourceFolders.includes(inSource[0]!) ? inSource[0] : undefined;
  // Posts, or a site's settings beside what it is built from: a built site has neither. A built
  // `posts/` folder (a permalink away) holds pages, not a Quire site's posts (markdown, or HTML
  // with front matter), unless the last build wrote them there itself; a published `_config.yml`
  // is only a static file away.
  const posts = ['_posts', '_drafts'].find((name) => existsSync(path.join(dest, name))) ?? ['posts', 'drafts'].map((name) => postSourceIn(dest, name, builtHere)).find((found) => found !== undefined);
  const builtFrom = existsSync(path.join(dest, '_config.yml')) ? ['_layouts', 'templates'].find((name) => existsSync(path.join(dest, name))) : undefined;
  const siteSource = posts ?? (builtFrom === undefined ? undefined : `_config.yml and ${builtFrom}`);
  const hint = configFile === '--destination' ? 'give `--destination` a folder of its own, such as _site' : 'set `destination` to a folder of its own, such as _site';
  // A build swaps a new folder in where the destination was: a file there would be lost, and a
  // file on the way to it would stop the folder being made.
  const file = firstFileOnTheWay(dest);
  if (file !== undefined) {
    throw new InputError({
      file: configFile,
      message: `cannot build into ${dest}: ${file === dest ? 'it is' : `${file} is`} a file, not a folder, and a build puts a folder there`,
      hint,
    });
  }
  const reasons: Array<[boolean, string]> = [
    [dest === path.parse(dest).root, 'it is the root of the filesystem'],
    [dest === path.resolve(os.homedir()), 'it is your home folder'],
    [dest === src || realDest === realSrc, 'it is the source folder itself'],
    [src.startsWith(dest + path.sep) || realSrc.startsWith(realDest + path.sep), 'it contains the source folder'],
    [sourceFolder !== undefined, `it is in ${sourceFolder}/, which the site is built from`],
    [siteSource !== undefined, `it holds a site's sources (${siteSource}${/\.\w+$/.test(siteSource ?? '') ? '' : '/'})`],
  ];
  for (const [refused, why] of reasons) {
    if (refused) {
      throw new InputError({
        file: configFile,
        message: `refusing to build into ${dest}: ${why}, and a build replaces everything in its destination`,
        hint,
      });
    }
  }
}

/** Where a path leads through symbolic links: its nearest existing folder's real path, and the rest as written. */
function realPathOf(target: string): string {
  for (let at = target; ; at = path.dirname(at)) {
    try {
      return path.join(realpathSync(at), path.relative(at, target));
    } catch {
      if (at === path.dirname(at)) return target;
    }
  }
}

/**
 * The first post source in `dest/<folder>` (or a folder below it), relative to `dest`: a markdown
 * file, or an HTML file that starts with front matter, that the last build did not write there
 * itself. Looks through a bounded number of folders: a built site's posts/ may hold thousands.
 */
function postSourceIn(dest: string, folder: string, builtHere: ReadonlySet<string>): string | undefined {
  const queue = [folder];
  for (let budget = 300; queue.length > 0 && budget > 0; budget--) {
    const relative = queue.shift()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(path.join(dest, relative), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const file = `${relative}/${entry.name}`;
      if (entry.isDirectory()) queue.push(file);
      else if (!builtHere.has(file) && (/\.(md|markdown|mkdown|mkdn|mkd)$/i.test(entry.name) || (/\.html?$/i.test(entry.name) && startsWithFrontMatter(path.join(dest, file))))) return file;
    }
  }
  return undefined;
}

function startsWithFrontMatter(file: string): boolean {
  try {
    const handle = openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      return head.subarray(0, readSync(handle, head, 0, 4, 0)).toString('utf8').startsWith('---');
    } finally {
      closeSync(handle);
    }
  } catch {
    return false;
  }
}

/** The path itself or the nearest of its existing parents, when that is not a folder. */
function firstFileOnTheWay(target: string): string | undefined {
  for (let at = target; ; at = path.dirname(at)) {
    let stat;
    try {
      stat = statSync(at);
    } catch {
      if (at === path.dirname(at)) return undefined;
      continue;
    }
    return stat.isDirectory() ? undefined : at;
  }
}

/** Two outputs for one path is a mistake in the site (two posts with one permalink, say). */
export function findCollisions(outputs: ReadonlyArray<{ readonly path: string; readonly origin: string }>): Array<{ path: string; origins: string[] }> {
  const byPath = new Map<string, string[]>();
  for (const output of outputs) {
    const origins = byPath.get(output.path);
    if (origins) origins.push(output.origin);
    else byPath.set(output.path, [output.origin]);
  }
  return [...byPath].filter(([, origins]) => origins.length > 1).map(([outputPath, origins]) => ({ path: outputPath, origins: origins.sort() }));
}

/**
 * Files that other outputs need as a folder (`sitemap.xml` and `sitemap.xml/index.html`): the file
 * system cannot hold both. One entry per such file, with the outputs that would be inside it.
 */
export function findFolderClashes(outputs: ReadonlyArray<{ readonly path: string; readonly origin: string }>): Array<{ file: string; fileOrigin: string; inside: Array<{ path: string; origin: string }> }> {
  const originOf = new Map(outputs.map((output) => [output.path, output.origin]));
  const clashes = new Map<string, { file: string; fileOrigin: string; inside: Array<{ path: string; origin: string }> }>();
  for (const output of outputs) {
    for (let slash = output.path.indexOf('/'); slash !== -1; slash = output.path.indexOf('/', slash + 1)) {
      const file = output.path.slice(0, slash);
      const fileOrigin = originOf.get(file);
      if (fileOrigin === undefined) continue;
      const clash = clashes.get(file) ?? { file, fileOrigin, inside: [] };
      clash.inside.push({ path: output.path, origin: output.origin });
      clashes.set(file, clash);
      break;
    }
  }
  return [...clashes.values()];
}

/** Text outputs are immutable, so each is hashed once even when rebuilds reuse it. */
const textFingerprints = new WeakMap<Output, string>();

/** A text's fingerprint: the same for a string and for its UTF-8 bytes. */
function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('base64');
}

function textFingerprint(output: Output): string {
  let known = textFingerprints.get(output);
  if (known === undefined) {
    known = sha1(output.contents as string);
    textFingerprints.set(output, known);
  }
  return known;
}

/** The fingerprint of an output: a hash of text, or the identity of a file to copy. */
export async function fingerprint(output: Output): Promise<string> {
  if (typeof output.contents === 'string') return textFingerprint(output);
  const stat = await fs.stat(output.contents.copyFrom);
  return `copy:${stat.size}:${Math.floor(stat.mtimeMs)}`;
}

/**
 * A build's output on its way to the destination. A whole build goes into a fresh sibling folder
 * that is swapped in by two renames once everything is written, so a failed or interrupted build
 * never leaves a mix of old and new pages; files whose bytes did not change are hard-linked from
 * the old site rather than written again. A preview rebuild writes its few changed files in place
 * instead, all into a scratch folder first, then each moved into place. Plain data, so workers can write into it.
 */
export interface Staging {
  readonly destination: string;
  /** Where files are written now: the fresh folder, or the destination itself. */
  readonly root: string;
  readonly mode: 'fresh' | 'in-place';
  /** The manifest of the site currently in `destination`, or null when unknown. */
  readonly previous: Manifest | null;
}

/** Starts writing a site. `in-place` is used only when the destination's manifest is known. */
export async function beginWrite(linkOrFolder: string, previous: Manifest | null, mode: 'fresh' | 'in-place'): Promise<Staging> {
  // A destination that is a link (to a web server's folder, say) stays one: the site is swapped in where it leads.
  const destination = await throughLink(linkOrFolder);
  // In place with plain system calls, as its writes (see writeOutputs): in `quire serve` the
  // thread pool may be busy with the watcher's listing of a big folder.
  if (mode === 'in-place' && previous !== null && existsSync(destination)) {
    removeScratchLeftovers(destination);
    return { destination, root: destination, mode, previous };
  }
  const known = previous !== null && (await exists(destination)) ? previous : null;
  const parent = path.dirname(destination);
  await fs.mkdir(parent, { recursive: true });
  await removeLeftovers(parent, path.basename(destination));
  return { destination, root: await freshFolderBeside(destination), mode: 'fresh', previous: known };
}

async function throughLink(destination: string): Promise<string> {
  try {
    if (!(await fs.lstat(destination)).isSymbolicLink()) return destination;
  } catch {
    return destination; // not there yet: made as a folder
  }
  // A link to nothing yet: the site is made where it points.
  return fs.realpath(destination).catch(async () => path.resolve(path.dirname(destination), await fs.readlink(destination)));
}

/**
 * A new, empty, hidden folder beside `destination`, made with the permissions any new folder
 * gets (mkdtemp's are private to the owner: swapped in, the site would be unreadable to a web
 * server, and copies of it too).
 */
async function freshFolderBeside(destination: string): Promise<string> {
  for (;;) {
    const root = path.join(path.dirname(destination), `.${path.basename(destination)}.quire-new-${randomBytes(4).toString('hex')}`);
    try {
      await fs.mkdir(root);
      return root;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Removes what killed builds left: the scratch folders of in-place writes inside the destination,
 * and the fresh or old sites of whole builds beside it (see removeLeftovers), none of which ever
 * held the live site.
 */
export function removeScratchLeftovers(destination: string): void {
  const inside = (() => {
    try {
      return readdirSync(destination);
    } catch {
      return [];
    }
  })();
  for (const name of inside) if (name.startsWith(IN_PLACE_SCRATCH)) rmSync(path.join(destination, name), { recursive: true, force: true });
  const prefixes = leftoverPrefixes(path.basename(destination));
  const parent = path.dirname(destination);
  const beside = (() => {
    try {
      return readdirSync(parent);
    } catch {
      return [];
    }
  })();
  for (const name of beside) {
    if (!prefixes.some((prefix) => name.startsWith(prefix))) continue;
    try {
      rmSync(path.join(parent, name), { recursive: true, force: true });
    } catch {
      // Tried again by the next build; it holds nothing of the live site.
    }
  }
}

/** The hidden folders beside a destination that whole builds write into and move the old site to. */
function leftoverPrefixes(base: string): string[] {
  return [`.${base}.quire-new-`, `.${base}.quire-old-`];
}

/**
 * Removes the half-written folders of builds that were killed before they could swap their site
 * in or delete the old one: they never held the live site, so nothing is lost.
 */
async function removeLeftovers(parent: string, base: string): Promise<void> {
  const prefixes = leftoverPrefixes(base);
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => prefixes.some((prefix) => name.startsWith(prefix))).map((name) => fs.rm(path.join(parent, name), { recursive: true, force: true })));
}

/**
 * Writes outputs into the staging folder and returns their fingerprints and which of them changed
 * since the previous build. Unchanged files are skipped (in place) or hard-linked (fresh).
 */
export async function writeOutputs(staging: Staging, outputs: readonly Output[]): Promise<{ manifest: Manifest; changed: string[] }> {
  // A handful of changed files (a preview rebuild, whose server waits to tell open pages): plain
  // system calls answer sooner than the thread pool.
  if (staging.mode === 'in-place') return writeOutputsSync(staging, outputs);
  const manifest: Manifest = {};
  const copies = outputs.filter((output) => typeof output.contents !== 'string');
  const copyPrints = await mapLimit(copies, WRITE_CONCURRENCY, fingerprint);
  copies.forEach((output, index) => (manifest[output.path] = copyPrints[index]!));
  for (const output of outputs) if (typeof output.contents === 'string') manifest[output.path] = textFingerprint(output);
  const changed = outputs.filter((output) => staging.previous?.[output.path] !== manifest[output.path]);
  const changedSet = new Set(changed);
  await makeFolders(staging.root, outputs);
  await mapLimit(outputs, WRITE_CONCURRENCY, async (output) => {
    const target = path.join(staging.root, output.path);
    try {
      if (changedSet.has(output)) await writeOne(target, output);
      else if (!(await linkUnchanged(path.join(staging.destination, output.path), target))) {
        // Unchanged, but gone from the destination since: written again, and counted as such.
        await writeOne(target, output);
        changed.push(output);
      }
    } catch (error) {
      throw aimedAt(error, output, staging.destination);
    }
  });
  return { manifest, changed: changed.map((output) => output.path) };
}

/** writeOutputs with plain system calls, for build worker threads (see readSourceSync). */
export function writeOutputsSync(staging: Staging, outputs: readonly Output[]): { manifest: Manifest; changed: string[] } {
  const manifest: Manifest = {};
  const changed: string[] = [];
  const made = new Set<string>();
  // In place, changed files go to a scratch folder and are moved into place once all are written.
  const scratch = staging.mode === 'in-place' ? mkdtempSync(path.join(staging.root, IN_PLACE_SCRATCH)) : null;
  const written: string[] = [];
  try {
    for (const output of outputs) {
      try {
        const { print, bytes } = fingerprintAndBytesSync(output);
        manifest[output.path] = print;
        const unchanged = staging.previous?.[output.path] === print;
        if (!unchanged) changed.push(output.path);
        if (scratch !== null) {
          if (!unchanged) writeOneSync(path.join(scratch, String(written.push(output.path) - 1)), output, bytes);
          continue;
        }
        const target = path.join(staging.root, output.path);
        const folder = path.dirname(target);
        if (!made.has(folder)) {
          mkdirSync(folder, { recursive: true });
          made.add(folder);
        }
        if (!unchanged) writeOneSync(target, output, bytes);
        else if (!linkUnchangedSync(path.join(staging.destination, output.path), target)) {
          // Unchanged, but gone from the destination since: written again, and counted as such.
          writeOneSync(target, output, bytes);
          changed.push(output.path);
        }
      } catch (error) {
        throw aimedAt(error, output, staging.destination);
      }
    }
    if (scratch !== null) moveIntoPlaceSync(staging.root, scratch, written, staging.previous);
  } finally {
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
  return { manifest, changed };
}

/**
 * Keeps the previous build's file at `outputPath` as this build's, without its contents being
 * made again (the caller knows they would be the same): hard-linked into a fresh folder, left
 * alone in place. Returns its fingerprint, or null when the previous build has no such file and
 * the page must be made after all.
 */
export function keepUnchangedSync(staging: Staging, outputPath: string): string | null {
  const print = staging.previous?.[outputPath];
  if (print === undefined) return null;
  if (staging.mode === 'in-place') return print;
  const target = path.join(staging.root, outputPath);
  mkdirSync(path.dirname(target), { recursive: true });
  return linkUnchangedSync(path.join(staging.destination, outputPath), target) ? print : null;
}

function fingerprintSync(output: Output): string {
  if (typeof output.contents === 'string') return textFingerprint(output);
  const stat = statSync(output.contents.copyFrom);
  return `copy:${stat.size}:${Math.floor(stat.mtimeMs)}`;
}

/**
 * An output's fingerprint, and the bytes of a text output when they were made for it: a page is
 * then encoded once, for its hash and its file, not once for each.
 */
function fingerprintAndBytesSync(output: Output): { print: string; bytes?: Buffer } {
  if (typeof output.contents !== 'string') return { print: fingerprintSync(output) };
  const known = textFingerprints.get(output);
  if (known !== undefined) return { print: known };
  const bytes = utf8Bytes(output.contents);
  const print = sha1(bytes);
  textFingerprints.set(output, print);
  return { print, bytes };
}

/**
 * Text as UTF-8. Most pages are plain ASCII, whose Latin-1 bytes are the same and are made by a
 * plain copy: for the index pages of a 10,000-post blog (15 MB) about 5 ms instead of 10-25.
 */
function utf8Bytes(text: string): Buffer {
  return Buffer.byteLength(text) === text.length ? Buffer.from(text, 'latin1') : Buffer.from(text);
}

function writeOneSync(target: string, output: Output, bytes?: Buffer): void {
  if (bytes !== undefined) writeFileSync(target, bytes);
  else if (typeof output.contents === 'string') writeFileSync(target, output.contents);
  else copyFileSync(output.contents.copyFrom, target);
}

function linkUnchangedSync(old: string, target: string): boolean {
  try {
    linkSync(old, target);
    return true;
  } catch {
    return false;
  }
}

/** Hard-links an unchanged file from the old site; false when that is not possible. */
async function linkUnchanged(old: string, target: string): Promise<boolean> {
  try {
    await fs.link(old, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finishes a write: swaps the fresh folder in (or removes files the new build no longer has,
 * in place) and reports what changed. `manifest` is every output of the build.
 */
export async function finishWrite(staging: Staging, manifest: Manifest, changed: readonly string[]): Promise<WriteResult> {
  let leftOver: WriteResult['leftOver'];
  const removed = staging.previous ? Object.keys(staging.previous).filter((old) => !(old in manifest)) : [];
  if (staging.mode === 'in-place') {
    // An old file may be gone already: its folder became a new file, or it became a new folder.
    const gone = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTDIR' && error.code !== 'EISDIR' && error.code !== 'ERR_FS_EISDIR') throw error;
    };
    await mapLimit(removed, WRITE_CONCURRENCY, (file) => fs.rm(path.join(staging.root, file), { force: true }).catch(gone));
    await removeEmptyFolders(staging.root, removed);
  } else {
    const old = staging.root.replace('.quire-new-', '.quire-old-');
    const hadOld = await exists(staging.destination);
    if (hadOld) await fs.rename(staging.destination, old);
    try {
      await fs.rename(staging.root, staging.destination);
    } catch (error) {
      // The last good site goes back where it was; the new one is given up (abortWrite).
      if (hadOld) await fs.rename(old, staging.destination);
      throw error;
    }
    // Only a hidden folder is left behind if this is interrupted or refused; the new site is
    // already in place.
    if (hadOld) leftOver = await fs.rm(old, { recursive: true, force: true }).then(() => undefined, (error: unknown) => ({ folder: old, reason: refusal(error) }));
  }
  const total = Object.keys(manifest).length;
  const changedCount = staging.previous ? changed.length : total;
  const result = { written: changedCount, unchanged: total - changedCount, removed: removed.length, changedPaths: [...(staging.previous ? changed : Object.keys(manifest)), ...removed] };
  return leftOver ? { ...result, leftOver } : result;
}

/** Gives up a write: a fresh folder is removed, the destination keeps the previous site. */
export async function abortWrite(staging: Staging): Promise<void> {
  if (staging.mode === 'fresh') await fs.rm(staging.root, { recursive: true, force: true });
}

/** Writes a whole site in one go (see Staging for the two modes). */
export async function writeSite(
  destination: string,
  outputs: readonly Output[],
  previous: Manifest | null,
  mode: 'fresh' | 'in-place' = 'fresh',
): Promise<{ result: WriteResult; manifest: Manifest }> {
  const staging = await beginWrite(destination, previous, mode);
  try {
    const { manifest, changed } = await writeOutputs(staging, outputs);
    return { result: await finishWrite(staging, manifest, changed), manifest };
  } catch (error) {
    await abortWrite(staging);
    throw error;
  }
}

/** Where in-place writes keep their files until all are written (inside the destination: same file system). */
const IN_PLACE_SCRATCH = '.quire-in-place-';

/**
 * What must go before the changed outputs at `outputPaths` can be moved into place under `root`:
 * an old output where a folder of theirs now goes (a permalink that gained its slash), or an old
 * output folder where one of them now goes as a file (one that lost it). Only what the last build
 * wrote (`previous`) is ever removed; anything else in the way (a file of the user's, or a name
 * that differs only in case on a file system that ignores case) fails the write before any file
 * moves. Checked for all of them first, so a write either moves every file or none.
 */
function wayFor(root: string, outputPaths: readonly string[], previous: Manifest | null): string[] {
  const wasOutput = (relative: string) => previous?.[relative] !== undefined;
  const wasOutputFolder = (relative: string) => previous !== null && Object.keys(previous).some((old) => old.startsWith(`${relative}/`));
  const inTheWay = new Set<string>();
  for (const outputPath of outputPaths) {
    const parts = outputPath.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const relative = parts.slice(0, depth).join('/');
      const found = lstatSync(path.join(root, relative), { throwIfNoEntry: false });
      if (found === undefined) break;
      const mustBeFolder = depth < parts.length;
      const isFolder = found.isDirectory() || (found.isSymbolicLink() && statSync(path.join(root, relative), { throwIfNoEntry: false })?.isDirectory() === true);
      if (mustBeFolder ? isFolder : !found.isDirectory()) continue;
      const removable = mustBeFolder ? found.isFile() && wasOutput(relative) : found.isDirectory() && wasOutputFolder(relative);
      if (!removable) throw new Error(`cannot write ${outputPath}: ${relative} is in the way and the last build did not make it`);
      inTheWay.add(relative);
      break;
    }
  }
  return [...inTheWay];
}

/** Moves the files written into `scratch` (named by their index) to their outputs under `root`. */
function moveIntoPlaceSync(root: string, scratch: string, outputPaths: readonly string[], previous: Manifest | null): void {
  for (const relative of wayFor(root, outputPaths, previous)) rmSync(path.join(root, relative), { recursive: true, force: true });
  // What has moved so far, so that a file the system refuses puts every earlier one back: the
  // site is left as it was, not half rebuilt.
  const moved: Array<{ target: string; index: number; hadOld: boolean }> = [];
  outputPaths.forEach((outputPath, index) => {
    const target = path.join(root, outputPath);
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      // The old file goes into the scratch folder (and away with it) before the new one takes its
      // place: on ext4, renaming a file over another writes the new one out to disk at once
      // (auto_da_alloc), about 10 ms for the index pages of a 10,000-post blog. For that moment the
      // page is missing; the reload the server sends comes after every file is in place.
      const hadOld = moveAside(target, aside(scratch, index));
      try {
        renameSync(path.join(scratch, String(index)), target);
      } catch (error) {
        if (hadOld) renameSync(aside(scratch, index), target);
        throw error;
      }
      moved.push({ target, index, hadOld });
    } catch (error) {
      for (const done of moved.reverse()) putBack(scratch, done);
      // The scratch file's name means nothing to the user; the page's place does.
      throw Object.assign(error as Error, { path: target });
    }
  });
}

function aside(scratch: string, index: number): string {
  return path.join(scratch, `old-${index}`);
}

/** Undoes one move of moveIntoPlaceSync, as far as the system allows. */
function putBack(scratch: string, { target, index, hadOld }: { target: string; index: number; hadOld: boolean }): void {
  try {
    renameSync(target, path.join(scratch, String(index)));
    if (hadOld) renameSync(aside(scratch, index), target);
  } catch {
    // Left as the move made it; the error already being thrown says which file failed.
  }
}

/** Renames `file` to `to`; false when there was no such file. */
function moveAside(file: string, to: string): boolean {
  try {
    renameSync(file, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return false;
  }
}

/**
 * A file system refusal met while writing `output`, told in the site's terms: a copy whose source
 * cannot be read names that source; anything else names the output's place in the destination,
 * not the staging or scratch folder it was being written in.
 */
function aimedAt(error: unknown, output: Output, destination: string): unknown {
  if (!(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== 'string') return error;
  const source = typeof output.contents === 'string' ? null : output.contents.copyFrom;
  if (source !== null && !readable(source)) return Object.assign(error, { path: source });
  const place = path.join(destination, output.path);
  return Object.assign(error, { path: (error as NodeJS.ErrnoException).syscall === 'mkdir' ? path.dirname(place) : place });
}

function readable(file: string): boolean {
  try {
    closeSync(openSync(file, 'r'));
    return true;
  } catch {
    return false;
  }
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

/**
 * Why the system refused, in words (see fileSystemProblem); null for other errors, whose messages
 * would mislead (removing a folder holding an immutable file fails as "not a directory").
 */
function refusal(error: unknown): string | null {
  const problem = fileSystemProblem(error, (absolute) => absolute);
  return problem ? `${problem.file} ${problem.message}` : null;
}
