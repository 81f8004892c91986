import matter from 'gray-matter';
import { InputError, codeFrame } from '../errors.js';
import { parseYaml, YamlError, yamlInputError } from './yaml.js';

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
  const cut = source.indexOf('\n---', 3);
  // A line like `---x` before the closing `---` would end it there; in Jekyll it is bad YAML.
  const cutLine = source.slice(cut + 1, source.indexOf('\n', cut + 1) === -1 ? undefined : source.indexOf('\n', cut + 1)).replace(/\r$/, '');
  if (!/^---[ \t]*$/.test(cutLine)) {
    const line = countLines(source, cut + 1) + 1;
    throw new InputError({
      file,
      line,
      message: `front matter: the line \`${cutLine}\` starts like the closing \`---\` but goes on, so it is neither a key nor the end of the front matter`,
      hint: 'end the front matter with a line of just `---`, or write this line as a `key: value`',
      frame: codeFrame(source, line),
    });
  }
  // To the end of the closing line: spaces after its `---` are not the body's.
  const head = source.slice(0, cut + 1 + cutLine.length);
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
  // The YAML text starts right after the opening `---`, on line 1 of the file.
  if (error instanceof YamlError) return yamlInputError(error, source, file, 'front matter');
  return new InputError({ file, message: `front matter could not be read: ${(error as Error).message}` });
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
