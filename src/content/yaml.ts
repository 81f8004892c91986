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

/** A YAML mistake in `file` (`what`: "configuration", "data file") as an InputError with its line and frame. */
export function yamlInputError(error: YamlError, text: string, file: string, what: string): InputError {
  const line = error.line === undefined ? undefined : error.line + 1;
  const column = error.column === undefined ? undefined : error.column + 1;
  return new InputError({
    file,
    line,
    column,
    message: `${what} is not valid YAML: ${error.message}`,
    frame: line === undefined ? undefined : codeFrame(text, line, column),
  });
}
