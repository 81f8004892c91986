import path from 'node:path';
import { build } from '../build.js';
import { loadConfig } from '../config.js';
import { readManifest, saveManifest } from '../output/manifest.js';
import { parseCommandArgs } from './args.js';
import { paint, printWarning } from './output.js';

export const buildHelp = `Usage: quire build [options]

Builds the site in the current folder (or --source) into _site/ (or --destination).

Options:
  -s, --source DIR        the site folder (default: .)
  -d, --destination DIR   where the site is written (default: _site, or destination: in _config.yml)
      --config FILE       read this file instead of _config.yml
      --drafts            include posts from _drafts/ (and drafts/)
      --future            include posts dated in the future
      --unpublished       include posts marked published: false
      --production        a production build (same as QUIRE_ENV=production)
      --trace             show the stack trace of an internal error
  -h, --help              show this help

Examples:
  quire build
  quire build --source ~/blog --destination /tmp/blog-site
  quire build --drafts --future
`;

export const buildOptions = {
  source: { type: 'string', short: 's' },
  destination: { type: 'string', short: 'd' },
  config: { type: 'string' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  unpublished: { type: 'boolean' },
  production: { type: 'boolean' },
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
  const source = path.resolve(values.source ?? '.');
  const config = loadConfig(source, {
    destination: values.destination === undefined ? undefined : path.resolve(values.destination),
    configFile: values.config,
    drafts: values.drafts,
    future: values.future,
    unpublished: values.unpublished,
    environment: values.production ? 'production' : undefined,
  });
  const previousManifest = await readManifest(config.source, config.destination);
  const result = await build(config, { previousManifest });
  await saveManifest(config.source, config.destination, result.manifest!);
  for (const warning of result.warnings) printWarning(warning);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const pages = result.outputs.filter((output) => typeof output.contents === 'string').length;
  const write = result.write!;
  process.stdout.write(
    `${paint(process.stdout, 'green', 'Built')} ${result.site.posts.length} posts, ${pages} pages into ${path.relative(process.cwd(), config.destination) || '.'}: ` +
      `${write.written} files written, ${write.unchanged} unchanged, ${write.removed} removed in ${seconds} s\n`,
  );
  return 0;
}
