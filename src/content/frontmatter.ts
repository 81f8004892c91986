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
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(source, MATTER_OPTIONS as unknown as Parameters<typeof matter>[1]);
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
  const body = parsed.content;
  const consumed = source.length - body.length;
  return { hasFrontMatter: true, data: data as Record<string, unknown>, body, bodyLine: countLines(source, consumed) + 1 };
}

function frontMatterError(error: unknown, source: string, file: string): InputError {
  if (error instanceof YamlError) {
    // The YAML text starts right after the opening `---`, on line 1 of the file.
    const line = error.line === undefined ? undefined : error.line + 1;
    const column = error.column === undefined ? undefined : error.column + 1;
    const tabs = line !== undefined && /^\t/.test(source.split(/\r?\n/)[line - 1] ?? '');
    return new InputError({
      file,
      line,
      column,
      message: `front matter is not valid YAML: ${error.message}`,
      hint: tabs ? 'YAML does not allow tabs for indentation; indent with spaces' : 'check the quoting and indentation on that line',
      frame: line === undefined ? undefined : codeFrame(source, line, column),
    });
  }
  return new InputError({ file, message: `front matter could not be read: ${(error as Error).message}` });
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
