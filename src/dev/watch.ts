import { statSync } from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';
import { isIgnored } from '../content/files.js';
import { searchedForNestedPosts } from '../content/load.js';
import { isJekyllSite } from '../jekyll/files.js';
import type { Config } from '../config.js';
import { fileSystemProblem, shownFrom } from '../errors.js';
import type { BuildProblem } from '../types.js';

/** One batch of changes, after a burst of file events has settled. */
export interface ChangeBatch {
  /** Changed, added or removed files, relative to the source, `/`-separated. */
  readonly paths: ReadonlySet<string>;
  /** A folder appeared or vanished: rescan instead of trusting single-file events. */
  readonly rescan: boolean;
  /** `_config.yml` changed: everything must be rebuilt with the new configuration. */
  readonly configChanged: boolean;
}

export interface WatchOptions {
  /** After a lone event (none came in the `recentMs` before it), wait this long for another. */
  readonly loneMs?: number;
  /** How long before an event another one makes it part of a burst. */
  readonly recentMs?: number;
  /** In a burst, wait this long without events before rebuilding. */
  readonly quietMs?: number;
  /** But never wait longer than this after the first event of a burst. */
  readonly maxWaitMs?: number;
  /** A file or folder that could not be watched (see watchProblem); the others still are. */
  readonly onUnwatchable?: (problem: BuildProblem) => void;
  /** The settings file (`--config`), if not the source's `_config.yml`; it may lie outside the source. */
  readonly configFile?: string;
}

/** chokidar ignores a second change event for one file within this many milliseconds. */
const CHOKIDAR_CHANGE_THROTTLE_MS = 50;

/** Size and modification time, enough to tell that a file was written again. */
function statKey(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** The inputs a preview of a Quire site watches, relative to the site source. */
export const WATCHED = ['posts', '_posts', '_drafts', 'drafts', 'templates', 'public', '_layouts', '_includes', '_data', '_config.yml'];

/** Folders a preview of a Jekyll site never watches (it watches everything else but the output). */
const UNWATCHED = ['.git', '.hg', '.svn', '.quire-cache', '.jekyll-cache', '.sass-cache', 'node_modules'];

/**
 * Watches the site's inputs with chokidar and reports bursts of changes as batches (a
 * `git checkout` of 200 files is one or two rebuilds, not 200). Editors that save through a temporary
 * file and a rename show up as a change of the real file; their temporary and backup files are
 * ignored. Returns the watcher once it is ready.
 */
export async function watchSite(config: Config, extraFolders: readonly string[], onBatch: (batch: ChangeBatch) => void, options: WatchOptions = {}): Promise<SiteWatcher> {
  const loneMs = options.loneMs ?? 3;
  const recentMs = options.recentMs ?? 100;
  const quietMs = options.quietMs ?? 20;
  const maxWaitMs = options.maxWaitMs ?? 300;
  let paths = new Set<string>();
  let rescan = false;
  let configChanged = false;
  let quietTimer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let lastEventAt = -Infinity;

  const flush = () => {
    clearTimeout(quietTimer);
    quietTimer = undefined;
    const batch = { paths, rescan, configChanged };
    paths = new Set();
    rescan = false;
    configChanged = false;
    onBatch(batch);
  };
  // A save after a quiet spell is rebuilt almost at once. Events that follow others closely (a
  // checkout, a save through a temporary file, a tool writing many files) can come a few
  // milliseconds apart: they are rebuilt together once they stop coming, apart from a first
  // event that came alone for `loneMs`, which is already on its way.
  const schedule = () => {
    const now = Date.now();
    const lone = now - lastEventAt > recentMs;
    lastEventAt = now;
    if (quietTimer === undefined) firstEventAt = now;
    clearTimeout(quietTimer);
    const wait = Math.max(0, Math.min(lone ? loneMs : quietMs, firstEventAt + maxWaitMs - now));
    quietTimer = setTimeout(flush, wait);
  };

  // One watched root with a filter, rather than one path per folder: chokidar 5 reports `ready`
  // early when some of several paths do not exist yet, and folders created later are caught too.
  // A Jekyll site's pages and static files may be anywhere: watch the whole source but its output.
  // A Quire site's inputs are its own folders, and `<folder>/_posts/` in the folders a build
  // searches for them (see searchedForNestedPosts), which are watched for one appearing.
  const roots = [...WATCHED, ...extraFolders];
  const everything = isJekyllSite(config);
  const destination = path.relative(config.source, config.destination).split(path.sep).join('/');
  const unwatched = [...UNWATCHED, ...(destination === '' || destination.startsWith('..') || path.isAbsolute(destination) ? [] : [destination])];
  const under = (relative: string, root: string) => relative === root || relative.startsWith(`${root}/`);
  const inNestedPosts = (relative: string) => {
    const parts = relative.split('/');
    const at = parts.indexOf('_posts');
    return at > 0 && searchedForNestedPosts(parts.slice(0, at).join('/'), config);
  };
  const isInput = (relative: string) => roots.some((root) => under(relative, root)) || inNestedPosts(relative);
  const settings = path.resolve(options.configFile ?? path.join(config.source, '_config.yml'));
  const outside = path.relative(config.source, settings).startsWith('..');
  const watcher = watch(outside ? [config.source, settings] : config.source, {
    ignoreInitial: true,
    ignored: (file: string) => {
      if (path.resolve(file) === settings) return false;
      const relative = path.relative(config.source, file).split(path.sep).join('/');
      if (relative === '') return false;
      if (relative.startsWith('..') || isIgnored(path.basename(file))) return true;
      if (everything) return unwatched.some((root) => under(relative, root));
      return !(isInput(relative) || roots.some((root) => root.startsWith(`${relative}/`)) || searchedForNestedPosts(relative, config));
    },
  });
  const onEvent = (event: string, file: string) => {
    const relative = path.relative(config.source, file).split(path.sep).join('/');
    if (path.resolve(file) === settings) configChanged = true;
    else if (event === 'addDir' || event === 'unlinkDir') rescan = true;
    // A file beside the inputs (a README.md, package.json) is watched only as its folder is.
    else if (everything || isInput(relative)) paths.add(relative);
    else return;
    if (event === 'add' || event === 'change') recheckLater(file);
    schedule();
  };

  // chokidar drops a change that comes within 50 ms of the previous one to the same file, so
  // the last save of a quick burst could go unseen. Look at each changed file again once that
  // window has passed, and count it as changed if it moved on since.
  const rechecks = new Map<string, NodeJS.Timeout>();
  const recheckLater = (file: string) => {
    clearTimeout(rechecks.get(file));
    const seen = statKey(file);
    rechecks.set(
      file,
      setTimeout(() => {
        rechecks.delete(file);
        if (statKey(file) !== seen) onEvent('change', file);
      }, CHOKIDAR_CHANGE_THROTTLE_MS + 30),
    );
  };
  watcher.on('all', onEvent);
  // chokidar reports a path it cannot watch as an error event, which would otherwise stop the
  // preview: say so once, and keep watching the rest. Past the system's limit on watched files
  // every further path fails alike, and one warning says it.
  const reported = new Set<string>();
  watcher.on('error', (error) => {
    const problem = watchProblem(error, config.source);
    const key = (error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'ENOSPC' : `${problem.file}\0${problem.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    options.onUnwatchable?.(problem);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      await watcher.close();
      for (const timer of rechecks.values()) clearTimeout(timer);
      clearTimeout(quietTimer);
    },
  };
}

/**
 * Why a path cannot be watched, for a warning: no permission to read it, or (ENOSPC while
 * watching) the system's limit on watched files, which a big site can reach on Linux.
 */
export function watchProblem(error: unknown, source: string): BuildProblem {
  const shown = shownFrom(source);
  const { code, path: file } = error as NodeJS.ErrnoException;
  if (code === 'ENOSPC' && file !== undefined) {
    return { file: shown(file), message: 'cannot be watched for changes, nor can any file after it: the system\'s limit on watched files is reached', hint: 'raise it, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`, and start `quire serve` again' };
  }
  const refused = fileSystemProblem(error, shown);
  if (refused !== null) return { ...refused, message: `${refused.message}; changes to it are not seen` };
  return { file: '(watcher)', message: error instanceof Error ? error.message : String(error) };
}

/** Two batches as one, for changes that came while the first was being rebuilt. */
export function mergeBatches(first: ChangeBatch, second: ChangeBatch): ChangeBatch {
  return { paths: new Set([...first.paths, ...second.paths]), rescan: first.rescan || second.rescan, configChanged: first.configChanged || second.configChanged };
}

/** A running watch; close it to stop reporting changes. */
export interface SiteWatcher {
  close(): Promise<void>;
}
