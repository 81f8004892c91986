import matter from 'gray-matter';
import { InputError, codeFrame } from '../errors.js';
import { parseYaml, YamlError } from './yaml.js';

/** A file split into its front matter and the text after it. */
export interface FrontMatterSplit {
  /** False when the file does not start with `---`. */
  readonly hasFrontMatter: boolean;
  readonly data: Record<string, unknown>;
  readonly body: string;
  /** 1-based line of the file on which `body` starts. */
  readonly bodyLine: number;
}

const refuseCode = (language: string) => () => {
  throw new YamlError(`front matter in ${language} is code, and Quire never runs code from a post; use YAML`);
};

const MATTER_OPTIONS = {
  engines: {
    yaml: (text: string) => parseYaml(text) as object,
    javascript: refuseCode('JavaScript'),
    js: refuseCode('JavaScript'),
    coffee: refuseCode('CoffeeScript'),
    coffeescript: refuseCode('CoffeeScript'),
  },
} as const;

/**
 * Splits front matter from a file's text with gray-matter, as Jekyll reads it: a first line of
 * `---`, YAML, and a closing `---`. Errors name the file, line and column and show the lines.
 */
export function splitFrontMatter(text: string, file: string): FrontMatterSplit {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors on Windows add a BOM
  if (!/^---[ \t]*\r?\n/.test(source)) {
    return { hasFrontMatter: false, data: {}, body: source, bodyLine: 1 };
  }
  if (!/\r?\n---[ \t]*(\r?\n|$)/.test(source.slice(3))) {
    throw new InputError({
      file,
      line: 1,
      message: 'front matter is not closed: the file starts with `---` but no line `---` ends it',
      hint: 'add a line with just `---` after the last front matter key',
      frame: codeFrame(source, 1),
    });
  }
  // gray-matter ends the front matter at the first line starting with `---`. It is handed only the
  // text up to there: it copies and hashes all it is given, and the body is no concern of its.
  const head = source.slice(0, source.indexOf('\n---', 3) + 4);
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(head, MATTER_OPTIONS as unknown as Parameters<typeof matter>[1]);
  } catch (error) {
    throw frontMatterError(error, source, file);
  }
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError({
      file,
      line: 2,
      message: 'front matter must be a map of `key: value` lines',
      frame: codeFrame(source, 2),
    });
  }
  // What follows the closing `---`, less the rest of its line break, as gray-matter would give it.
  let body = source.slice(head.length);
  if (body[0] === '\r') body = body.slice(1);
  if (body[0] === '\n') body = body.slice(1);
  const consumed = source.length - body.length;
  return { hasFrontMatter: true, data: data as Record<string, unknown>, body, bodyLine: countLines(source, consumed) + 1 };
}

function frontMatterError(error: unknown, source: string, file: string): InputError {
  if (error instanceof YamlError) {
    // The YAML text starts right after the opening `---`, on line 1 of the file.
    let line = error.line === undefined ? undefined : error.line + 1;
    let column = error.column === undefined ? undefined : error.column + 1;
    const lines = source.split(/\r?\n/);
    let message = `front matter is not valid YAML: ${error.message}`;
    let hint = 'check the quoting and indentation on that line';
    // js-yaml notices an unclosed `[`, `{` or quote where the YAML ends; point at where it opened.
    const unclosed = UNCLOSED.exec(error.message)?.[0];
    const opener = line !== undefined && unclosed !== undefined ? unclosedOpener(lines, line, column ?? 1, unclosed === 'quoted scalar') : undefined;
    if (opener !== undefined && opener.line < line!) {
      ({ line, column } = opener);
      message = `front matter is not valid YAML: the ${opener.what} opened here is never closed (${error.message} on line ${error.line! + 1})`;
      hint = `close it with ${opener.closer} on this line, or put the whole value in quotes`;
    } else if (line !== undefined && /^\t/.test(lines[line - 1] ?? '')) {
      hint = 'YAML does not allow tabs for indentation; indent with spaces';
    } else if (line !== undefined && /^\s*[^\s#'"][^:#]*:\s+[^'"\s].*?:(\s|$)/.test(lines[line - 1] ?? '')) {
      hint = 'a value that contains ": " must be in quotes, like title: "Part 2: the sequel"';
    }
    return new InputError({ file, line, column, message, hint, frame: line === undefined ? undefined : codeFrame(source, line, column) });
  }
  return new InputError({ file, message: `front matter could not be read: ${(error as Error).message}` });
}

/** js-yaml's messages for a flow collection or quoted scalar that runs on past where it should end. */
const UNCLOSED = /flow collection|quoted scalar/;

const CLOSERS: Record<string, string> = { '[': '`]`', '{': '`}`', '"': '`"`', "'": "`'`" };
const NAMES: Record<string, string> = { '[': '`[`', '{': '`{`', '"': 'quote `"`', "'": "quote `'`" };

/**
 * The outermost `[`/`{` or quote still open at (`endLine`, `endColumn`) (1-based, file lines;
 * the YAML starts on line 2), found by a small scan of YAML's flow syntax: quotes and brackets
 * only open where a value may start, `#` after a space starts a comment. An open quote comes
 * first when js-yaml complained about a quoted scalar. Undefined when the scan finds nothing open.
 */
function unclosedOpener(
  lines: readonly string[],
  endLine: number,
  endColumn: number,
  quoteFirst: boolean,
): { line: number; column: number; what: string; closer: string } | undefined {
  const open: Array<{ char: string; line: number; column: number }> = [];
  let quote: { char: string; line: number; column: number } | null = null;
  for (let l = 2; l <= endLine && l <= lines.length; l++) {
    const text = lines[l - 1]!;
    const end = l === endLine ? Math.min(text.length, endColumn - 1) : text.length;
    let valueMayStart = true; // at the start of a line (a key or `- item`) or after `:`, `-`, `[`, `{`, `,`
    for (let i = 0; i < end; i++) {
      const c = text[i]!;
      if (quote !== null) {
        if (quote.char === '"' && c === '\\') i++;
        else if (c === quote.char && quote.char === "'" && text[i + 1] === "'") i++;
        else if (c === quote.char) {
          quote = null;
          valueMayStart = false;
        }
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if (valueMayStart && (c === '"' || c === "'")) quote = { char: c, line: l, column: i + 1 };
      else if (valueMayStart && (c === '[' || c === '{')) open.push({ char: c, line: l, column: i + 1 });
      else if ((c === ']' || c === '}') && open.length > 0) {
        open.pop();
        valueMayStart = false;
      } else if (c === ',' && open.length > 0) valueMayStart = true;
      else if ((c === ':' || c === '-' || c === '?') && (i + 1 >= text.length || text[i + 1] === ' ' || text[i + 1] === '\t' || open.length > 0)) valueMayStart = true;
      else valueMayStart = false;
    }
  }
  const first = quoteFirst ? (quote ?? open[0]) : (open[0] ?? quote);
  return first ? { line: first.line, column: first.column, what: NAMES[first.char]!, closer: CLOSERS[first.char]! } : undefined;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
