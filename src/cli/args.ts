import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command-line mistake: printed with a suggestion, never with a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `argv` with node's own parser; an unknown flag becomes a UsageError that suggests the
 * closest known one ("did you mean --drafts?"). Only commands that take `arguments` accept words
 * that are not options: `quire build ~/blog` would otherwise build the current folder instead.
 */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, command: string, takes: { arguments: boolean } = { arguments: false }) {
  const parsed = parse(argv, options, command);
  const [first] = parsed.positionals;
  if (!takes.arguments && first !== undefined) {
    const instead = 'source' in options ? `; for the site in ${first}, use --source ${/\s/.test(first) ? JSON.stringify(first) : first}` : '';
    throw new UsageError(`\`quire ${command}\` takes options only, not "${first}"${instead}; see \`quire ${command} --help\``);
  }
  return parsed;
}

function parse<T extends Options>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const known = Object.keys(options).map((name) => `--${name}`);
      const guess = closest(unknown.split('=')[0]!, known);
      throw new UsageError(`unknown option ${unknown} for \`quire ${command}\`${guess ? ` (did you mean ${guess}?)` : ''}; see \`quire ${command} --help\``);
    }
    throw new UsageError(`${message.replace(/\. To specify.*$/s, '')}; see \`quire ${command} --help\``);
  }
}

/** The candidate within a small edit distance of `word`, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A path given on the command line, from here; `~/x` (quoted, so the shell left it) is in the home folder, as Jekyll reads it. */
export function resolvePath(given: string): string {
  return path.resolve(given.replace(/^~(?=\/|$)/, os.homedir()));
}
