import { formatProblem } from '../errors.js';
import type { BuildProblem } from '../types.js';

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

const codes = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1, cyan: 36 } as const;

export function paint(stream: NodeJS.WriteStream, colour: keyof typeof codes, text: string): string {
  return useColor(stream) ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

/** What a failed build left in the destination: the previous site, or nothing (there was none). */
export type FailedBuild = 'previous site kept' | 'nothing written';

/**
 * Prints every problem, each with its file, line and code frame, and how many there were: of a
 * failed build (saying what it left), or of another command (`failed` null).
 */
export function printProblems(problems: readonly BuildProblem[], stream: NodeJS.WriteStream = process.stderr, failed: FailedBuild | null = 'previous site kept'): void {
  for (const problem of problems) {
    stream.write(`${paint(stream, 'red', 'error')} ${formatProblem(problem)}\n\n`);
  }
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}.`;
  if (failed === null) stream.write(`${paint(stream, 'red', count)}\n`);
  else stream.write(`${paint(stream, 'red', `Build failed: ${count}`)} ${failed === 'previous site kept' ? 'The previous site was left as it was.' : 'Nothing was written.'}\n`);
}

export function printWarning(message: string, stream: NodeJS.WriteStream = process.stderr): void {
  stream.write(`${paint(stream, 'yellow', 'warning')} ${message}\n`);
}
