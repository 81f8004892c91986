import { existsSync } from 'node:fs';
import path from 'node:path';
import { createBuilder, type Builder, type BuildResult, type FirstPages } from '../build.js';
import { loadConfig, type Config, type ConfigOverrides } from '../config.js';
import { siteWarnings } from '../jekyll/files.js';
import { BuildFailed, InputError, fileSystemProblem, formatProblem, shownFrom } from '../errors.js';
import { nestedPostFolders } from '../content/load.js';
import { readBuildState, saveBuildState } from '../output/state.js';
import type { Manifest } from '../output/write.js';
import type { BuildProblem } from '../types.js';
import { PreviewServer } from './server.js';
import { mergeBatches, watchSite, type ChangeBatch } from './watch.js';

export interface PreviewOptions {
  readonly source: string;
  readonly overrides: ConfigOverrides;
  readonly host: string;
  readonly port: number;
  readonly tryNextPorts: boolean;
  /** Where progress goes (the terminal, or a test's collector). */
  readonly log: (line: string) => void;
  /** Where a failed build's problems go, and whether the destination holds a site (served meanwhile) or nothing. */
  readonly logProblems: (problems: readonly BuildProblem[], left: 'previous site kept' | 'nothing written') => void;
}

/** A running preview: build, serve, watch, rebuild. */
export interface Preview {
  readonly url: string;
  readonly server: PreviewServer;
  /** Resolves after every batch seen so far has been rebuilt (for tests and the benchmark). */
  idle(): Promise<void>;
  /** Listen to each finished rebuild (for tests and the benchmark). */
  onRebuild(listener: (event: RebuildEvent) => void): void;
  close(): Promise<void>;
}

export interface RebuildEvent {
  readonly ok: boolean;
  readonly milliseconds: number;
  readonly changedOutputs: readonly string[];
  /** The pages open in browsers, written before the rest of the rebuild (which follows). */
  readonly partial?: boolean;
}

/**
 * Starts `quire serve`: one full build, then the server, then the watcher. Each batch of changes
 * rebuilds through the same incremental builder and writes only changed files; the server is told
 * which pages changed. A failed build keeps the last good site served and shows the problems.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  /** The configuration (its warnings said) and a builder for it: at start, and when it changes. */
  const setUp = () => {
    const loaded = loadConfig(options.source, options.overrides);
    for (const warning of siteWarnings(loaded)) options.log(`warning ${warning}`);
    return { config: loaded, builder: createBuilder(loaded, { keepFragments: true, startFromPostCache: true }) };
  };
  let { config, builder } = setUp();
  const listeners: Array<(event: RebuildEvent) => void> = [];

  // A site that does not build yet is still served (its last good build, if any) and watched,
  // with its problems over every page until a save fixes them; the next build is a whole one.
  const previous = await readBuildState(config);
  let unbuilt: readonly BuildProblem[] | null = null;
  let files = previous?.manifest ?? {};
  // Warnings already said: a rebuild says only new ones (a post saved with no date in its name).
  let shownWarnings = new Set<string>();
  try {
    const first = await builder.buildAndWrite(undefined, { previousManifest: previous?.manifest ?? null });
    // No stamps: the site changes while serving, so the next `quire build` must not skip its work.
    await saveBuildState(config, { manifest: first.manifest!, stamps: null });
    for (const warning of first.warnings) options.log(`warning ${warning}`);
    shownWarnings = new Set(first.warnings);
    files = first.manifest!;
  } catch (error) {
    unbuilt = problemsOf(error, config.source);
    if (unbuilt === null) throw error;
    options.logProblems(unbuilt, siteLeft(config));
  }

  const server = new PreviewServer({ root: config.destination, baseurl: config.baseurl, host: options.host, port: options.port, tryNextPorts: options.tryNextPorts });
  server.setFiles(files);
  if (unbuilt !== null) server.notifyProblems(unbuilt.map(formatProblem));
  await server.listen();

  // A `_config.yml` that could not be read: every rebuild reads it again (and fails, showing why)
  // until it can, rather than building with the settings it had before.
  let configUnread = false;
  // After a failed rebuild, the next writes nothing early: it would most likely fail as well, and
  // the open page would show the change, then go back.
  let lastFailed = false;
  let queue: Promise<void> = Promise.resolve();
  // Batches that come while a rebuild runs wait, merged, and are rebuilt together after it: a
  // stream of saves to a big site does not pile up one rebuild per save.
  let waiting: ChangeBatch | null = null;
  const rebuild = (batch: ChangeBatch) => {
    if (waiting !== null) {
      waiting = mergeBatches(waiting, batch);
      return;
    }
    waiting = batch;
    queue = queue.then(() => {
      const next = waiting!;
      waiting = null;
      return runRebuild(next);
    });
  };

  async function runRebuild(batch: ChangeBatch): Promise<void> {
    const started = performance.now();
    let firstPages: FirstPages | null = null;
    try {
      const newConfig = batch.configChanged || configUnread;
      // A new builder knows nothing of what the last one wrote: it is told, so files whose bytes
      // did not change (stylesheets, most pages after a new description) are not written again.
      let written: Manifest | null = null;
      if (newConfig) {
        const before = config;
        try {
          ({ config, builder } = setUp());
          configUnread = false;
        } catch (error) {
          configUnread = true;
          throw error;
        }
        if (config.destination === before.destination && unbuilt === null) written = files;
        // The watcher leaves the output folder out (a Jekyll site's may sit inside its source),
        // so it watches again when the folder moves; the new one starts before the old one stops.
        if (config.destination !== before.destination) {
          const old = watcher;
          watcher = await startWatching();
          await old.close();
        }
      }
      const full = newConfig || batch.rescan || unbuilt !== null;
      // The pages open in browsers first: the writer sees the page they look at change before
      // the index pages that list it are rendered again.
      if (!full && !lastFailed) {
        const first = await builder.writePagesFirst(batch.paths, server.openPages());
        firstPages = first;
        if (first.changed.length > 0) {
          server.updateFiles(Object.fromEntries(first.changed.map((file) => [file, first.manifest[file]!])));
          server.notifyChanged(first.changed);
          for (const listener of listeners) listener({ ok: true, milliseconds: performance.now() - started, changedOutputs: first.changed, partial: true });
          // Let the event go out before the rest of the rebuild keeps this thread busy.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      // A preview rebuild touches few files: write them in place rather than copying the site.
      // Until a build succeeds, the destination holds what the last `quire build` or serve wrote,
      // or less (files may have gone since): the whole site is written afresh, unchanged files linked.
      const writing: Parameters<Builder['buildAndWrite']>[1] = unbuilt !== null ? { previousManifest: (await readBuildState(config))?.manifest ?? null } : { mode: 'in-place', previousManifest: written };
      const result: BuildResult = await builder.buildAndWrite(full ? undefined : batch.paths, writing);
      unbuilt = null;
      lastFailed = false;
      const before = server.url;
      server.moveTo(config.destination, config.baseurl);
      if (server.url !== before) options.log(`Now serving ${server.url}`);
      files = result.manifest!;
      server.setFiles(files);
      const changedOutputs = result.write!.changedPaths;
      server.notifyChanged(changedOutputs);
      const milliseconds = performance.now() - started;
      options.log(`Rebuilt in ${milliseconds.toFixed(0)} ms: ${result.rendered} pages rendered, ${result.write!.written} files written, ${result.write!.removed} removed`);
      for (const warning of result.warnings) if (!shownWarnings.has(warning)) options.log(`warning ${warning}`);
      shownWarnings = new Set(result.warnings);
      for (const listener of listeners) listener({ ok: true, milliseconds, changedOutputs });
      void saveBuildState(config, { manifest: result.manifest!, stamps: null }).catch(() => undefined);
    } catch (error) {
      // A file of the site went away while it was being built from (an editor saving through a
      // temporary file): not a mistake. The pages written first go back, and the site is read again.
      if (vanishedDuringBuild(error, config)) {
        const restored = firstPages?.undo() ?? [];
        if (restored.length > 0) {
          server.setFiles(firstPages!.manifest);
          server.notifyChanged(restored);
        }
        rebuild({ paths: new Set(), rescan: true, configChanged: false });
        return;
      }
      // Beyond the site's mistakes and files the system refused, a bug in Quire: say so, keep serving, keep watching.
      const problems = problemsOf(error, config.source) ?? [{ file: '(quire)', message: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }];
      options.logProblems(problems, siteLeft(config));
      // The pages written first go back to what the last good build made: the site stays whole.
      lastFailed = true;
      const restored = firstPages?.undo() ?? [];
      if (restored.length > 0) {
        server.setFiles(firstPages!.manifest);
        server.notifyChanged(restored);
      }
      server.notifyProblems(problems.map(formatProblem));
      for (const listener of listeners) listener({ ok: false, milliseconds: performance.now() - started, changedOutputs: [] });
    }
  }

  const startWatching = async () =>
    watchSite(config, await nestedPostFolders(config), rebuild, {
      onUnwatchable: (problem) => options.log(`warning ${formatProblem(problem)}`),
      configFile: options.overrides.configFile,
    });
  let watcher = await startWatching();
  let url = server.url;
  return {
    /** Where the site is served; it follows a `baseurl` changed in `_config.yml`. */
    get url() {
      if (server.listening) url = server.url;
      return url;
    },
    server,
    idle: () => queue,
    onRebuild: (listener) => listeners.push(listener),
    async close() {
      await watcher.close();
      await queue.catch(() => undefined);
      await server.close();
    },
  };
}

/** A file of the site (not of its output) that was there when the rebuild began and is not now. */
function vanishedDuringBuild(error: unknown, config: Config): boolean {
  const { code, path: file } = error as NodeJS.ErrnoException;
  if (code !== 'ENOENT' || typeof file !== 'string') return false;
  const absolute = path.resolve(file);
  const within = (folder: string) => absolute.startsWith(path.resolve(folder) + path.sep);
  return within(config.source) && !within(config.destination) && !existsSync(absolute);
}

function siteLeft(config: Config): 'previous site kept' | 'nothing written' {
  return existsSync(config.destination) ? 'previous site kept' : 'nothing written';
}

function problemsOf(error: unknown, source: string): readonly BuildProblem[] | null {
  if (error instanceof BuildFailed) return error.problems;
  if (error instanceof InputError) return [error.toProblem()];
  const refused = fileSystemProblem(error, shownFrom(source));
  return refused === null ? null : [refused];
}

