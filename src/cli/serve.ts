import { spawn } from 'node:child_process';
import path from 'node:path';
import { startPreview } from '../dev/preview.js';
import { parseCommandArgs, UsageError, resolvePath } from './args.js';
import { paint, printProblems, printWarning } from './output.js';

export const serveHelp = `Usage: quire serve [options]

Builds the site, serves it at http://127.0.0.1:4000/ and rebuilds what changed whenever you save
a post, a template or a file in public/. Open pages reload by themselves; build errors show in
the terminal and over the page while the last good site keeps being served.

Options:
  -s, --source DIR        the site folder (default: .)
  -d, --destination DIR   where the site is written (default: _site, or destination: in _config.yml)
      --config FILE       read this file instead of _config.yml
  -b, --baseurl PATH      serve the site under this path, over baseurl: in _config.yml
  -H, --host HOST         the address to listen on (default: 127.0.0.1, this machine only)
  -P, --port PORT         the port (default: 4000, or the next free one)
      --drafts            include posts from _drafts/ (and drafts/)
      --future            include posts dated in the future
      --unpublished       include posts marked published: false
  -o, --open              open the site in your browser
      --trace             show the stack trace of an internal error
  -h, --help              show this help

Examples:
  quire serve
  quire serve --drafts --open
  quire serve --host 0.0.0.0 --port 8080   # reachable from other machines on your network
`;

export const serveOptions = {
  source: { type: 'string', short: 's' },
  destination: { type: 'string', short: 'd' },
  config: { type: 'string' },
  baseurl: { type: 'string', short: 'b' },
  host: { type: 'string', short: 'H' },
  port: { type: 'string', short: 'P' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  unpublished: { type: 'boolean' },
  open: { type: 'boolean', short: 'o' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `quire serve`: build, serve on 127.0.0.1:4000, watch and rebuild until Ctrl-C. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, serveOptions, 'serve');
  if (values.help) {
    process.stdout.write(serveHelp);
    return 0;
  }
  const port = values.port === undefined ? 4000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const preview = await startPreview({
    source: path.resolve(values.source ?? '.'),
    overrides: {
      destination: values.destination === undefined ? undefined : resolvePath(values.destination),
      configFile: values.config,
      baseurl: values.baseurl,
      drafts: values.drafts,
      future: values.future,
      unpublished: values.unpublished,
    },
    host: values.host ?? '127.0.0.1',
    port,
    tryNextPorts: values.port === undefined,
    log: (line) => (line.startsWith('warning ') ? printWarning(line.slice(8)) : process.stdout.write(`${line}\n`)),
    logProblems: (problems, left) => printProblems(problems, process.stderr, left),
  });
  if (preview.server.port !== port && port !== 0) process.stdout.write(`Port ${port} is in use, so Quire took ${preview.server.port}.\n`);
  process.stdout.write(`${paint(process.stdout, 'green', 'Serving')} ${preview.url}  (Ctrl-C to stop)\n`);
  if (values.open) openBrowser(preview.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await preview.close();
  return 0;
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => printWarning(`could not open a browser; open ${url} yourself`));
  child.unref();
}
