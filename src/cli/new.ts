import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { InputError, formatProblem } from '../errors.js';
import { slugify } from '../site/slugify.js';
import { dayOf } from '../dates.js';
import { currentInstant, frontMatterDate } from '../scaffold/clock.js';
import { postFile } from '../scaffold/site.js';
import { parseCommandArgs, UsageError } from './args.js';
import { paint } from './output.js';

export const newHelp = `Usage: quire new "Post title" [options]

Starts a post: posts/YYYY-MM-DD-post-title.md, dated today in the site's timezone (timezone: in
_config.yml, or this machine's zone), with its title, layout: post, categories: [] and a
commented coordinates line to place it on the map. An existing file is never overwritten.

Options:
      --draft             start a draft instead: _drafts/post-title.md, without a date; it
                          stays out of the site until you move it to posts/ (preview drafts
                          with \`quire serve --drafts\`)
  -s, --source DIR        the site folder (default: .)
      --config FILE       read this file instead of _config.yml
      --trace             show the stack trace of an internal error
  -h, --help              show this help

Examples:
  quire new "Why this blog has a map"
  quire new "Half-formed idea" --draft
  quire new "Notes from the road" --source ~/blog
`;

export const newOptions = {
  draft: { type: 'boolean' },
  source: { type: 'string', short: 's' },
  config: { type: 'string' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * File names (and so URLs) from long titles stop at about 100 bytes, at a word: a file system
 * refuses names over 255 bytes, and a URL that long helps no one. The title itself is kept whole.
 */
const SLUG_BYTES = 100;

function shortened(slug: string): string {
  if (Buffer.byteLength(slug) <= SLUG_BYTES) return slug;
  // By characters, not UTF-16 units: half an emoji is no character at all.
  const characters = Array.from(slug);
  while (Buffer.byteLength(characters.join('')) > SLUG_BYTES) characters.pop();
  const cut = characters.join('');
  const word = cut.lastIndexOf('-');
  return (word > 0 ? cut.slice(0, word) : cut).replace(/-+$/, '');
}

/** What any site has, Quire's or Jekyll's. */
const SITE_MARKERS = ['_config.yml', '_config.yaml', 'posts', '_posts', '_drafts', 'templates', '_layouts'];

/** `quire new "Title"`: write a new post (or draft) file and print its path. */
export async function newCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, newOptions, 'new', { arguments: true });
  if (values.help) {
    process.stdout.write(newHelp);
    return 0;
  }
  // `quire new My first post` works as well as `quire new "My first post"`.
  const title = positionals.join(' ').trim();
  if (title === '') throw new UsageError('`quire new` needs the title of the post, e.g. `quire new "My first post"`; see `quire new --help`');
  const slug = shortened(slugify(title, 'default'));
  if (slug === '') throw new UsageError(`"${title}" has no letters or digits to name the file after; use a title with some`);

  const source = path.resolve(values.source ?? '.');
  // A post written into any folder would start a stray posts/ there, as Hugo knows to refuse.
  if (values.config === undefined && !SITE_MARKERS.some((marker) => existsSync(path.join(source, marker)))) {
    const where = values.source === undefined ? 'This folder' : (path.relative(process.cwd(), source) || source);
    throw new UsageError(`${where} does not look like a site (it has no _config.yml, posts/ or _posts/); start one with \`quire init <folder>\`, or give your site's folder with --source`);
  }
  let config: Config;
  try {
    config = loadConfig(source, { configFile: values.config });
  } catch (error) {
    // Not a build, so not main's "Build failed" report: just the problem with the config.
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`${paint(process.stderr, 'red', 'error')} ${formatProblem(error.toProblem())}\n`);
    return 1;
  }
  let relative: string;
  let text: string;
  if (values.draft) {
    relative = `_drafts/${slug}.md`;
    text = postFile(title);
  } else {
    const now = currentInstant(config.timezone);
    // Quire reads posts/; a Jekyll site that only has _posts/ keeps using it.
    const folder = !existsSync(path.join(source, 'posts')) && existsSync(path.join(source, '_posts')) ? '_posts' : 'posts';
    relative = `${folder}/${dayOf(now)}-${slug}.md`;
    text = postFile(title, frontMatterDate(now));
  }

  const file = path.join(source, relative);
  const shown = path.relative(process.cwd(), file) || file;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx`: fail rather than replace a file that is already there, even one made a moment ago.
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    process.stderr.write(`${paint(process.stderr, 'red', 'error')} ${shown} already exists, so nothing was written; edit that file, or choose another title\n`);
    return 1;
  }
  process.stdout.write(`${paint(process.stdout, 'green', 'Created')} ${shown}\n`);
  return 0;
}
