import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { QUIRE_ROOT } from '../package-root.js';
import { isValidTimeZone, systemTimeZone } from '../dates.js';
import { listFiles } from '../content/files.js';
import { slugify } from '../site/slugify.js';
import { dayOf } from '../dates.js';
import { currentInstant, frontMatterDate } from '../scaffold/clock.js';
import { mergeWithExisting, scaffoldFiles, WELCOME_SLUG } from '../scaffold/site.js';
import { parseCommandArgs, UsageError } from './args.js';
import { paint } from './output.js';

export const initHelp = `Usage: quire init [DIR] [options]

Starts a new blog in DIR (default: the current folder), which must be empty or not exist yet:
_config.yml with every setting explained, the default theme (templates/, public/) to make your
own, a welcome post dated today, package.json, .gitignore, a README and a GitHub Actions
workflow that publishes the blog on GitHub Pages.

Options:
      --title TEXT        the blog's title (default: from the folder's name)
      --timezone ZONE     the IANA zone posts are dated in (default: this machine's zone)
  -f, --force             write into a folder that is not empty: your .gitignore and package.json
                          get Quire's lines added, your README.md stays, other scaffold files that
                          exist are overwritten, and nothing is deleted
      --trace             show the stack trace of an internal error
  -h, --help              show this help

Examples:
  quire init my-blog
  quire init my-blog --title "Second Thoughts" --timezone Europe/London
  quire init . --force                  # add Quire to a folder that already has files
`;

export const initOptions = {
  title: { type: 'string' },
  timezone: { type: 'string' },
  force: { type: 'boolean', short: 'f' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What a folder may hold and still count as empty: a fresh `git init` or clone, OS litter. */
const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db']);

/** `quire init [DIR]`: scaffold a new blog and print what to do next. */
export async function initCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, initOptions, 'init', { arguments: true });
  if (values.help) {
    process.stdout.write(initHelp);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`\`quire init\` takes one folder, not ${positionals.length} (${positionals.join(', ')}); quote a path with spaces`);
  const target = path.resolve(positionals[0] ?? '.');
  const shown = path.relative(process.cwd(), target) || '.';

  const timezone = values.timezone ?? systemTimeZone();
  if (!isValidTimeZone(timezone)) throw new UsageError(`--timezone ${timezone} is not a time zone this system knows; use an IANA name such as Europe/Berlin or America/Los_Angeles`);

  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UsageError(`${shown} is a file, not a folder; choose a new folder for the blog`);
    const present = readdirSync(target).filter((name) => !IGNORABLE.has(name));
    if (present.length > 0 && !values.force) {
      const listed = present.slice(0, 5).join(', ') + (present.length > 5 ? `, and ${present.length - 5} more` : '');
      throw new UsageError(
        `${shown === '.' ? 'the current folder' : shown} is not empty (${listed}); choose a new folder, or run again with --force to add the blog's files there (.gitignore and package.json get Quire's lines added, README.md stays, other files with the same names are overwritten, nothing is deleted)`,
      );
    }
  }

  const now = currentInstant(timezone);
  const name = path.basename(target);
  const files = scaffoldFiles({
    title: values.title ?? titleFromFolder(name),
    timezone,
    day: dayOf(now),
    date: frontMatterDate(now),
    packageName: slugify(name, 'ascii') || 'my-blog',
    quireVersion: quireVersion(),
  });

  const written: string[] = [];
  const replaced: string[] = [];
  const kept: string[] = [];
  const write = (relative: string, put: (file: string) => void) => {
    const file = path.join(target, relative);
    if (existsSync(file)) replaced.push(relative);
    mkdirSync(path.dirname(file), { recursive: true });
    put(file);
    written.push(relative);
  };
  for (const folder of ['templates', 'public']) {
    for (const relative of await listFiles(QUIRE_ROOT, folder)) write(relative, (file) => copyFileSync(path.join(QUIRE_ROOT, relative), file));
  }
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(target, relative);
    // The folder's own .gitignore, package.json and README.md are added to or kept, never lost.
    const outcome = existsSync(file) ? mergeWithExisting(relative, text, readFileSync(file, 'utf8')) : 'replace';
    if (outcome === 'keep') kept.push(relative);
    else if (outcome === 'replace') write(relative, (into) => writeFileSync(into, text));
    else {
      writeFileSync(file, outcome.merged);
      written.push(relative);
      kept.push(`${relative} (Quire's lines added)`);
      if (outcome.otherScripts?.length) kept.push(`script${outcome.otherScripts.length === 1 ? '' : 's'} ${outcome.otherScripts.join(', ')}`);
    }
  }

  const out = process.stdout;
  out.write(`${paint(out, 'green', 'Created')} a new blog in ${shown}: ${written.length} files\n`);
  if (replaced.length > 0) {
    const listed = replaced.slice(0, 8).join(', ') + (replaced.length > 8 ? `, and ${replaced.length - 8} more` : '');
    out.write(`Replaced ${replaced.length} existing file${replaced.length === 1 ? '' : 's'}: ${listed}\n`);
  }
  if (kept.length > 0) out.write(`Kept your ${kept.join(', ')}\n`);
  const cd = shown === '.' ? '' : `  cd ${/\s/.test(shown) ? JSON.stringify(shown) : shown}\n`;
  out.write(`
Next steps:
${cd}  npm install                  # installs Quire; commit package-lock.json
  npm run serve                # preview at http://127.0.0.1:4000/ while you write
  npx quire new "My first post"

Your first post is posts/${dayOf(now)}-${WELCOME_SLUG}.md. Set \`url\` in _config.yml before you
publish (and \`baseurl\` for a site served under a path, except on GitHub Pages, whose workflow
gives it); README.md explains publishing.
`);
  return 0;
}


/** "second-thoughts" -> "Second Thoughts", "My Blog 2" -> "My Blog 2"; a name without letters or digits gives "My Blog". */
function titleFromFolder(name: string): string {
  // A dot before a digit is a version's ("v2.0"), not a separator.
  const words = name.split(/(?:[-_\s]|\.(?!\d))+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return 'My Blog';
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

function quireVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(QUIRE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
