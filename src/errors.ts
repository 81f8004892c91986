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
