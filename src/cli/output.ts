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

/**
 * Prints every problem, each with its file, line and code frame, and how many there were: of a
 * failed build (which left the previous site alone), or of another command (`building` false).
 */
export function printProblems(problems: readonly BuildProblem[], stream: NodeJS.WriteStream = process.stderr, building = true): void {
  for (const problem of problems) {
    stream.write(`${paint(stream, 'red', 'error')} ${formatProblem(problem)}\n\n`);
  }
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}.`;
  stream.write(building ? `${paint(stream, 'red', `Build failed: ${count}`)} The previous site was left as it was.\n` : `${paint(stream, 'red', count)}\n`);
}

export function printWarning(message: string, stream: NodeJS.WriteStream = process.stderr): void {
  stream.write(`${paint(stream, 'yellow', 'warning')} ${message}\n`);
}
