import yaml from 'js-yaml';
import { InputError, codeFrame } from '../errors.js';

/**
 * YAML as data only: the core schema, js-yaml 4 never runs code from tags. Dates stay the text the
 * writer typed (unquoted ones as YamlTimestamp), so `dates.ts` alone decides their timezone.
 * Merge keys (`<<: *defaults`) stay allowed because real Jekyll configs use them.
 */
/**
 * An unquoted YAML timestamp, kept as the text typed. Jekyll (through Psych) reads unquoted and
 * quoted dates differently (`2024-03-20 10:05:30` unquoted is UTC, quoted is site time), so the
 * date rules need to know which it was. Prints as its text in templates.
 */
export class YamlTimestamp {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

/**
 * Front matter as data that keeps its meaning through structured clone (to and from build
 * workers) and v8 serialization (the post cache), which both drop classes: each YamlTimestamp
 * becomes a tagged object, which revivedData makes a YamlTimestamp again.
 */
export function portableData<T>(value: T): T {
  return mapTimestamps(value, 'to portable') as T;
}

export function revivedData<T>(value: T): T {
  return mapTimestamps(value, 'revive') as T;
}

const TIMESTAMP_TAG = '$quireYamlTimestamp';

/** Copies `value`, replacing timestamps by tagged objects, or tagged objects by timestamps. */
function mapTimestamps(value: unknown, way: 'to portable' | 'revive'): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof YamlTimestamp) return way === 'to portable' ? { [TIMESTAMP_TAG]: value.text } : value;
  if (Array.isArray(value)) return value.map((item) => mapTimestamps(item, way));
  const record = value as Record<string, unknown>;
  if (way === 'revive' && typeof record[TIMESTAMP_TAG] === 'string' && Object.keys(record).length === 1) return new YamlTimestamp(record[TIMESTAMP_TAG]);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = mapTimestamps(record[key], way);
  return copy;
}

/** YAML 1.1's timestamp pattern: a date, optionally with a time and an offset. */
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

const timestampType = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && TIMESTAMP.test(data),
  construct: (data: string) => new YamlTimestamp(data),
  instanceOf: YamlTimestamp,
  represent: (value: object) => (value as YamlTimestamp).text,
});

// js-yaml 4 exports its built-in types at run time; @types/js-yaml does not declare them.
const { merge } = (yaml as unknown as { types: Record<string, yaml.Type> }).types;
const DATA_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [timestampType, merge!] });

/**
 * Aliases share one object in memory, but templates and JSON walk them as copies: a "billion
 * laughs" document is small to parse and endless to walk. Data whose walked size exceeds this
 * many values is refused.
 */
const MAX_EXPANDED_VALUES = 100_000;

export class YamlError extends Error {
  constructor(
    message: string,
    /** 0-based line within the YAML text, when known. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'YamlError';
  }
}

/** Parses YAML text as plain data, or throws YamlError with the position of the mistake. */
export function parseYaml(text: string): unknown {
  try {
    const data = yaml.load(text, { schema: DATA_SCHEMA, json: true });
    if (text.includes('*') && expandedSize(data, new Map()) > MAX_EXPANDED_VALUES) {
      throw new YamlError(`the YAML aliases (*name) expand to more than ${MAX_EXPANDED_VALUES.toLocaleString('en')} values; this looks like a "billion laughs" bomb`);
    }
    return data;
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const mark = error.mark as { line?: number; column?: number } | undefined;
      throw new YamlError(error.reason || error.message, mark?.line, mark?.column);
    }
    throw error;
  }
}

/** How many values walking `value` visits, counting shared (aliased) parts each time. */
function expandedSize(value: unknown, memo: Map<object, number>): number {
  if (value === null || typeof value !== 'object') return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  memo.set(value, Infinity); // a cycle walks forever
  let size = 1;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    size += expandedSize(child, memo);
    if (size > MAX_EXPANDED_VALUES) break;
  }
  memo.set(value, size);
  return size;
}

/**
 * A YAML mistake in `file` (`what`: "front matter", "configuration", "data file") as an InputError
 * with its line, frame and a hint. `text` is the whole file, in which js-yaml's lines count from the
 * first (front matter's YAML starts right after the opening `---`, on line 1 too).
 */
export function yamlInputError(error: YamlError, text: string, file: string, what: string): InputError {
  let line = error.line === undefined ? undefined : error.line + 1;
  let column = error.column === undefined ? undefined : error.column + 1;
  const lines = text.split(/\r?\n/);
  let message = `${what} is not valid YAML: ${error.message}`;
  let hint = 'check the quoting and indentation on that line';
  // js-yaml notices an unclosed `[`, `{` or quote where the YAML ends; point at where it opened.
  const unclosed = UNCLOSED.exec(error.message)?.[0];
  const opener = line !== undefined && unclosed !== undefined ? unclosedOpener(lines, line, column ?? 1, unclosed === 'quoted scalar') : undefined;
  if (opener !== undefined && opener.line < line!) {
    ({ line, column } = opener);
    // Where the reader gave up is said as what it is, so its line is not taken for the mistake's.
    message = `${what} is not valid YAML: the ${opener.what} opened here is never closed (the YAML reader looked for its end as far as line ${error.line! + 1})`;
    hint = `close it with ${opener.closer} on this line, or put the whole value in quotes`;
  } else if (line !== undefined && /^\t/.test(lines[line - 1] ?? '')) {
    hint = 'YAML does not allow tabs for indentation; indent with spaces';
  } else if (line !== undefined && /^\s*[^\s#'"][^:#]*:\s+[^'"\s].*?:(\s|$)/.test(lines[line - 1] ?? '')) {
    hint = 'a value that contains ": " must be in quotes, like title: "Part 2: the sequel"';
  }
  return new InputError({ file, line, column, message, hint, frame: line === undefined ? undefined : codeFrame(text, line, column) });
}

/** js-yaml's messages for a flow collection or quoted scalar that runs on past where it should end. */
const UNCLOSED = /flow collection|quoted scalar/;

const CLOSERS: Record<string, string> = { '[': '`]`', '{': '`}`', '"': '`"`', "'": "`'`" };
const NAMES: Record<string, string> = { '[': '`[`', '{': '`{`', '"': 'quote `"`', "'": "quote `'`" };

/**
 * The outermost `[`/`{` or quote still open at (`endLine`, `endColumn`) (1-based, file lines; a
 * front matter's opening `---` opens nothing), found by a small scan of YAML's flow syntax: quotes and brackets
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
  for (let l = 1; l <= endLine && l <= lines.length; l++) {
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

