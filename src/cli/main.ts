#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BuildFailed, fileSystemProblem, formatProblem, InputError, PortInUseError, shownFrom } from '../errors.js';
import { QUIRE_ROOT } from '../package-root.js';
import { UsageError, closest } from './args.js';
import { printProblems, paint } from './output.js';

// Each command's code is loaded when it runs: `quire build` then never loads the preview server,
// the link checker or, for a site that is not a Jekyll site, Liquid, and starts sooner.
const COMMANDS: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  init: { summary: 'start a new blog in an empty folder', run: async (argv) => (await import('./init.js')).initCommand(argv) },
  new: { summary: 'start a post dated today (or a draft) from its title', run: async (argv) => (await import('./new.js')).newCommand(argv) },
  build: { summary: 'build the site into _site/', run: async (argv) => (await import('./build.js')).buildCommand(argv) },
  serve: { summary: 'build, serve on 127.0.0.1:4000 and rebuild on every save', run: async (argv) => (await import('./serve.js')).serveCommand(argv) },
  check: { summary: 'check the built site for broken links', run: async (argv) => (await import('./check.js')).checkCommand(argv) },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(QUIRE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const list = Object.entries(COMMANDS)
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
    .join('\n');
  return `Quire ${version()}: a fast, Jekyll-compatible blog generator

Usage: quire <command> [options]

Commands:
${list}

Options:
  -h, --help     show help (also: quire <command> --help)
  -v, --version  show the version

Examples:
  quire init my-blog
  quire new "My first post"
  quire serve --open
  quire build --production
  quire build --drafts --destination /tmp/preview
`;
}

/** Runs the command line and returns the exit code; user mistakes print without a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (name === '-v' || name === '--version') {
    process.stdout.write(`quire ${version()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) {
      const guess = closest(name, Object.keys(COMMANDS));
      throw new UsageError(`unknown command "${name}"${guess ? ` (did you mean \`quire ${guess}\`?)` : ''}; see \`quire --help\``);
    }
    return await command.run(rest);
  } catch (error) {
    // Only these commands build; the others' problems are not a failed build.
    const building = name === 'build' || name === 'serve' || (name === 'check' && rest.includes('--build'));
    return reportFailure(error, rest.includes('--trace'), building);
  }
}

/**
 * Reports what stopped a command. A build's own problems are reported by its command; one that
 * gets here stopped it before anything was built (its settings, say), so nothing was written.
 */
function reportFailure(error: unknown, trace: boolean, building: boolean): number {
  // A file the system refused, shown as the user would type its path from here.
  const refused = fileSystemProblem(error, shownFrom(process.cwd()));
  if (error instanceof BuildFailed) {
    printProblems(error.problems, process.stderr, building ? 'nothing written' : null);
  } else if (error instanceof InputError) {
    printProblems([error.toProblem()], process.stderr, building ? 'nothing written' : null);
  } else if (error instanceof UsageError || error instanceof PortInUseError) {
    process.stderr.write(`${paint(process.stderr, 'red', 'error')} ${error.message}\n`);
    return 2;
  } else if (refused !== null) {
    // Not a mistake in the site's text, so not "Build failed": any command can meet it.
    process.stderr.write(`${paint(process.stderr, 'red', 'error')} ${formatProblem(refused)}\n`);
    if (trace && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${paint(process.stderr, 'red', 'internal error')} ${message}\n`);
    if (trace && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('Run again with --trace to see where it happened, and please report it.\n');
  }
  return 1;
}

// Output piped into a reader that stops early (`quire init x | head -1`) has nothing more to say.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
