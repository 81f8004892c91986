import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildWholeSite, type BuildSummary } from '../parallel/build.js';
import { loadConfig, type Config } from '../config.js';
import { siteWarnings } from '../jekyll/files.js';
import { listSources } from '../content/load.js';
import { readBuildState, saveBuildState } from '../output/state.js';
import { parseCommandArgs, UsageError, resolvePath } from './args.js';
import { paint, printProblems, printWarning } from './output.js';
import { BuildFailed, InputError } from '../errors.js';

export const buildHelp = `Usage: quire build [options]

Builds the site in the current folder (or --source) into _site/ (or --destination).

Options:
  -s, --source DIR        the site folder (default: .)
  -d, --destination DIR   where the site is written (default: _site, or destination: in _config.yml)
      --config FILE       read this file instead of _config.yml
  -b, --baseurl PATH      serve the site under this path, over baseurl: in _config.yml
      --drafts            include posts from _drafts/ (and drafts/)
      --future            include posts dated in the future
      --unpublished       include posts marked published: false
      --production        a production build (same as QUIRE_ENV=production)
      --fresh             build everything again, trusting nothing from .quire-cache
      --threads N         build on N threads (default: one per core); 1 uses the least memory
      --trace             show the stack trace of an internal error
  -h, --help              show this help

Examples:
  quire build
  quire build --source ~/blog --destination /tmp/blog-site
  quire build --drafts --future
  quire build --production          # what you publish: no preview-only scripts, site.environment is "production"
`;

export const buildOptions = {
  source: { type: 'string', short: 's' },
  destination: { type: 'string', short: 'd' },
  config: { type: 'string' },
  baseurl: { type: 'string', short: 'b' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  unpublished: { type: 'boolean' },
  production: { type: 'boolean' },
  fresh: { type: 'boolean' },
  threads: { type: 'string' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `quire build`: build once, print one summary line. */
export async function buildCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, buildOptions, 'build');
  if (values.help) {
    process.stdout.write(buildHelp);
    return 0;
  }
  const started = performance.now();
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new UsageError(`--threads must be a whole number of at least 1, not "${values.threads}"`);
  const source = path.resolve(values.source ?? '.');
  const config = loadConfig(source, {
    destination: values.destination === undefined ? undefined : resolvePath(values.destination),
    configFile: values.config,
    baseurl: values.baseurl,
    drafts: values.drafts,
    future: values.future,
    unpublished: values.unpublished,
    environment: values.production ? 'production' : undefined,
  });
  for (const warning of siteWarnings(config)) printWarning(warning);
  if (config.environment === 'production' && config.url === '') {
    printWarning('`url` is not set in _config.yml, so this production build\'s feed, sitemap and canonical links are paths, which feed readers and search engines do not take; set it to the site\'s address, like `url: "https://example.org"`');
  }
  const progress = showProgress(process.stderr, () => countPosts(config));
  const hadSite = existsSync(config.destination);
  let result: BuildSummary;
  try {
    result = await buildWholeSite(config, { previous: values.fresh ? null : await readBuildState(config), fresh: values.fresh, maxThreads: threads });
    if (!result.upToDate) await saveBuildState(config, result.state);
  } catch (error) {
    if (!(error instanceof BuildFailed || error instanceof InputError)) throw error;
    progress.stop();
    // On a first build there was no previous site to leave as it was.
    printProblems(error instanceof BuildFailed ? error.problems : [error.toProblem()], process.stderr, hadSite ? 'previous site kept' : 'nothing written');
    return 1;
  } finally {
    progress.stop();
  }
  for (const warning of result.warnings) printWarning(warning);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const write = result.write;
  if (result.upToDate) {
    process.stdout.write(`${paint(process.stdout, 'green', 'Up to date:')} nothing changed since the last build of ${path.relative(process.cwd(), config.destination) || '.'} (${seconds} s)\n`);
    return 0;
  }
  process.stdout.write(
    `${paint(process.stdout, 'green', 'Built')} ${plural(result.posts, 'post')}, ${plural(result.pages, 'page')} into ${path.relative(process.cwd(), config.destination) || '.'}: ` +
      `${plural(write.written, 'file')} written, ${write.unchanged} unchanged, ${write.removed} removed in ${seconds} s\n`,
  );
  if (write.leftOver) {
    const { folder, reason } = write.leftOver;
    printWarning(`the previous site, moved to ${path.relative(process.cwd(), folder) || folder} when the new one took its place, could not be removed${reason ? ` (${reason})` : ''}; the next build tries again, or delete it yourself`);
  }
  return 0;
}

/**
 * A build that is still running after `delayMs` says so on one terminal line, rewritten in place
 * with `\r` ("Building... 1200 posts (3 s)") and erased when `stop()` is called. Nothing at all
 * is written when `stream` is not a terminal, so logs and pipes stay clean. The line is redrawn
 * each second, whenever the build lets the event loop run.
 */
export function showProgress(
  stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>,
  count: () => Promise<number>,
  delayMs = 1000,
): { stop(): void } {
  if (!stream.isTTY) return { stop() {} };
  const started = performance.now();
  let posts: number | undefined;
  let shown = 0;
  let interval: NodeJS.Timeout | undefined;
  let stopped = false;
  const draw = () => {
    if (stopped) return;
    const seconds = Math.floor((performance.now() - started) / 1000);
    const line = `Building...${posts === undefined ? '' : ` ${posts} post${posts === 1 ? '' : 's'}`} (${seconds} s)`;
    stream.write(`\r${line}${' '.repeat(Math.max(0, shown - line.length))}`);
    shown = line.length;
  };
  const timer = setTimeout(() => {
    draw();
    count().then(
      (n) => {
        posts = n;
        draw();
      },
      () => {},
    );
    interval = setInterval(draw, 1000);
    interval.unref();
  }, delayMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (interval) clearInterval(interval);
      if (shown > 0) stream.write(`\r${' '.repeat(shown)}\r`);
    },
  };
}

/** The post files the build reads (drafts too when shown), counted from the folders alone. */
async function countPosts(config: Config): Promise<number> {
  return (await listSources(config)).filter((entry) => entry.kind === 'post' || entry.kind === 'draft').length;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
