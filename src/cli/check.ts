import path from 'node:path';
import { buildInMemory } from '../build.js';
import { loadConfig } from '../config.js';
import { InputError, formatProblem } from '../errors.js';
import { checkLinks, groupByPage, type BrokenLink } from '../check/links.js';
import { readBuiltSite, siteFromOutputs } from '../check/site.js';
import { parseCommandArgs, resolvePath } from './args.js';
import { paint, printWarning } from './output.js';

export const checkHelp = `Usage: quire check [options]

Checks the built site for broken internal links: every link, image (src and srcset),
stylesheet, script and feed link must point at a file in the site, and every #fragment
at an element id on its page. Links to other sites are not fetched.

By default it reads the site a previous \`quire build\` wrote to _site/ (or --destination).
With --build it builds the site in memory first and checks that; nothing is written.

Options:
  -s, --source DIR        the site folder (default: .)
  -d, --destination DIR   the built site to check (default: _site, or destination: in _config.yml)
      --config FILE       read this file instead of _config.yml
  -b, --baseurl PATH      the path the site was built for (quire build --baseurl), over baseurl:
      --build             build in memory first and check the result instead of the folder
      --drafts            with --build: include posts from _drafts/ (and drafts/)
      --future            with --build: include posts dated in the future
      --unpublished       with --build: include posts marked published: false
      --trace             show the stack trace of an internal error
  -h, --help              show this help

Exit status: 0 when every link resolves, 1 when some are broken (or the build fails).

Examples:
  quire build && quire check
  quire check --build
  quire check --destination /tmp/blog-site
`;

export const checkOptions = {
  source: { type: 'string', short: 's' },
  destination: { type: 'string', short: 'd' },
  config: { type: 'string' },
  baseurl: { type: 'string', short: 'b' },
  build: { type: 'boolean' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  unpublished: { type: 'boolean' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A broken link found on at least this many pages is reported once, as a template's. */
const MANY_PAGES = 5;

/** `quire check`: report broken internal links, grouped by page; exit 1 if there are any. */
export async function checkCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, checkOptions, 'check');
  if (values.help) {
    process.stdout.write(checkHelp);
    return 0;
  }
  const started = performance.now();
  const config = loadConfig(path.resolve(values.source ?? '.'), {
    destination: values.destination === undefined ? undefined : resolvePath(values.destination),
    configFile: values.config,
    baseurl: values.baseurl,
    drafts: values.drafts,
    future: values.future,
    unpublished: values.unpublished,
  });
  let site;
  let shownRoot: string;
  if (values.build) {
    const result = await buildInMemory(config);
    for (const warning of result.warnings) printWarning(warning);
    site = await siteFromOutputs(result.outputs);
    shownRoot = '';
  } else {
    try {
      site = await readBuiltSite(config.destination);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      process.stderr.write(`${paint(process.stderr, 'red', 'error')} ${formatProblem(error.toProblem())}\n`);
      return 1;
    }
    shownRoot = path.relative(process.cwd(), config.destination) || '.';
  }
  const report = checkLinks(site.pages, site.files, { url: config.url, baseurl: config.baseurl });
  const out = process.stdout;
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const checked = `checked ${plural(report.links, 'link')} on ${plural(report.pages, 'page')} in ${seconds} s`;
  if (report.broken.length === 0) {
    out.write(`${paint(out, 'green', 'No broken links')}: ${checked}\n`);
    return 0;
  }
  out.write(formatReport(report.broken, shownRoot, (colour, text) => paint(out, colour, text)));
  const pages = new Set(report.broken.map((link) => link.page)).size;
  out.write(`${paint(out, 'red', `${plural(report.broken.length, 'broken link')} on ${plural(pages, 'page')}`)} (${checked})\n`);
  return 1;
}

type Painter = (colour: 'red' | 'dim' | 'bold' | 'cyan', text: string) => string;

/**
 * The broken links as text: first those found on many pages (a template's), once each, then the
 * rest grouped under the page that has them.
 */
export function formatReport(broken: readonly BrokenLink[], root: string, paint: Painter = (_, text) => text): string {
  const shown = (page: string) => (root === '' ? page : path.posix.join(root.split(path.sep).join('/'), page));
  const byLink = new Map<string, BrokenLink[]>();
  for (const link of broken) {
    const key = `${link.where}\0${link.url}\0${link.reason}`;
    const list = byLink.get(key);
    if (list) list.push(link);
    else byLink.set(key, [link]);
  }
  const common = [...byLink.values()].filter((links) => new Set(links.map((link) => link.page)).size >= MANY_PAGES);
  const commonLinks = new Set(common.flat());
  let text = '';
  if (common.length > 0) {
    text += `${paint('bold', 'Broken on many pages')} (probably in a template):\n`;
    for (const links of common) {
      const first = links[0]!;
      const pages = [...new Set(links.map((link) => link.page))];
      const examples = links.slice(0, 3).map((link) => `${shown(link.page)}:${link.line}`).join(', ');
      text += `  ${describe(first, paint)}\n    on ${pages.length} pages: ${examples}${pages.length > 3 ? ', ...' : ''}\n`;
    }
    text += '\n';
  }
  const pages = [...groupByPage(broken.filter((link) => !commonLinks.has(link)))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [page, links] of pages) {
    text += `${paint('bold', shown(page))}\n`;
    for (const link of links) text += `  ${paint('dim', `line ${link.line}`.padEnd(9))} ${describe(link, paint)}\n`;
    text += '\n';
  }
  return text;
}

function describe(link: BrokenLink, paint: Painter): string {
  const [element, attribute] = link.where.split(' ');
  return `${paint('cyan', `<${element} ${attribute}="${link.url}">`)} ${link.reason}`;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;
}
