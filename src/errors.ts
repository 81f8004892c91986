import nodePath from 'node:path';
import type { BuildProblem } from './types.js';

/**
 * A mistake in the user's input (front matter, config, templates). Carries everything needed to
 * print a helpful message; the CLI prints it without a stack trace.
 */
export class InputError extends Error implements BuildProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
  readonly frame?: string;

  constructor(problem: BuildProblem) {
    super(problem.message);
    this.name = 'InputError';
    this.file = problem.file;
    this.line = problem.line;
    this.column = problem.column;
    this.hint = problem.hint;
    this.frame = problem.frame;
  }

  /** A plain object, safe to send between threads. */
  toProblem(): BuildProblem {
    return { file: this.file, line: this.line, column: this.column, message: this.message, hint: this.hint, frame: this.frame };
  }
}

/** Several problems found in one build; the build reports all of them at once. */
export class BuildFailed extends Error {
  constructor(readonly problems: readonly BuildProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} stopped the build`);
    this.name = 'BuildFailed';
  }
}

/** Turns anything thrown while handling `file` into a BuildProblem, keeping InputError details. */
export function toProblem(error: unknown, file: string): BuildProblem {
  if (error instanceof InputError) return error.toProblem();
  const message = error instanceof Error ? error.message : String(error);
  return { file, message };
}

/**
 * A few lines of `text` around `line` (1-based), with a marker under `column`, like compilers print.
 * `firstLine` is the number the file gives the text's first line (a template's body starts after
 * its front matter), so the numbers shown are the file's and the marker sits under the column.
 */
export function codeFrame(text: string, line: number, column?: number, context = 2, firstLine = 1): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const shift = firstLine - 1;
  const width = String(last + shift).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? '>' : ' ';
    out.push(`${marker} ${String(n + shift).padStart(width)} | ${lines[n - 1] ?? ''}`);
    if (n === line && column !== undefined && column > 0) {
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(column - 1)}^`);
    }
  }
  return out.join('\n');
}

/** "file:line:column: message" plus hint and frame, as printed to the terminal. */
export function formatProblem(problem: BuildProblem): string {
  let where = problem.file;
  if (problem.line !== undefined) where += `:${problem.line}`;
  if (problem.line !== undefined && problem.column !== undefined) where += `:${problem.column}`;
  let text = `${where}: ${problem.message}`;
  if (problem.frame) text += `\n${problem.frame}`;
  if (problem.hint) text += `\n  hint: ${problem.hint}`;
  return text;
}

/** `quire serve` was given a port something else listens on: the user chooses another. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`port ${port} on ${host} is already in use (another \`quire serve\` or \`jekyll serve\`?); choose another with --port`);
    this.name = 'PortInUseError';
  }
}

/**
 * What the file system refused, in words: the codes a user can do something about (permissions,
 * a full or read-only disk, too long a name), as opposed to a bug in Quire.
 */
const FILE_SYSTEM_REFUSALS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EIO: 'input/output error (a failing disk or network drive?)',
  ENAMETOOLONG: 'the file name is too long',
};

/** What was being done to the file, by the system call that failed. */
const FILE_SYSTEM_ACTIONS: Readonly<Record<string, string>> = {
  copyfile: 'cannot be copied into the site',
  open: 'cannot be opened',
  read: 'cannot be read',
  write: 'cannot be written',
  mkdir: 'cannot be made as a folder',
  mkdtemp: 'cannot be made as a folder',
  rename: 'cannot be moved into place',
  link: 'cannot be linked',
  unlink: 'cannot be removed',
  rmdir: 'cannot be removed',
  rm: 'cannot be removed',
  scandir: 'cannot be listed',
  watch: 'cannot be watched for changes',
  stat: 'cannot be looked at',
  lstat: 'cannot be looked at',
};

/**
 * A file the file system would not read or write (a static file without read permission, a
 * destination on a full disk), as a problem of that file saying what went wrong, or null when
 * `error` is not such a refusal. The CLI and `serve` report it without a stack trace: the user
 * can fix it, and it is no bug to report. `showPath` turns an absolute path into the one to show.
 */
export function fileSystemProblem(error: unknown, showPath: (absolute: string) => string): BuildProblem | null {
  if (!(error instanceof Error)) return null;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  if (code === undefined || path === undefined || !Object.hasOwn(FILE_SYSTEM_REFUSALS, code)) return null;
  return { file: showPath(path), message: `${FILE_SYSTEM_ACTIONS[syscall ?? ''] ?? 'cannot be used'}: ${FILE_SYSTEM_REFUSALS[code]} (${code})` };
}

/**
 * How problems show a path: relative to `base` (the site's source, or the working folder) and
 * `/`-separated when it is inside it, as given otherwise.
 */
export function shownFrom(base: string): (absolute: string) => string {
  return (absolute) => {
    const relative = nodePath.relative(base, absolute);
    return relative !== '' && !relative.startsWith('..') && !nodePath.isAbsolute(relative) ? relative.split(nodePath.sep).join('/') : absolute;
  };
}
