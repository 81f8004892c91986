/**
 * `_data/` files as Jekyll 4.3's DataReader reads them into `site.data`: YAML (.yml .yaml),
 * JSON, CSV and TSV (with a header row: a list of row maps), folders as nested maps
 * (`_data/authors/jane.yml` -> `site.data.authors.jane`).
 */
import { InputError, codeFrame } from '../errors.js';
import { parseYaml, YamlError, yamlInputError } from './yaml.js';

/** One `_data/` file. */
export interface DataFile {
  /** Path below the data folder, `/`-separated (`authors/jane.yml`). */
  readonly path: string;
  readonly text: string;
}

/** Jekyll's `csv_reader:` / `tsv_reader:` settings. */
export interface CsvReaderConfig {
  /** Read the first row as column names (default true); false gives lists of fields. */
  readonly headers?: boolean;
  /** Ruby CSV converters: `integer`, `float`, `numeric` (both) turn number-looking fields into numbers. */
  readonly csv_converters?: readonly string[];
}

export interface DataOptions {
  /** The data folder as written in errors (`data_dir`, default `_data`). */
  readonly dataDir?: string;
  readonly csv_reader?: CsvReaderConfig;
  readonly tsv_reader?: CsvReaderConfig;
}

type DataTree = Record<string, unknown>;

/** DataReader's glob order: `*.{yaml,yml,json,csv,tsv}` expands per extension, then folders. */
const EXTENSION_ORDER = ['.yaml', '.yml', '.json', '.csv', '.tsv'];

/**
 * Builds `site.data` from the data files. Within a folder Jekyll reads files extension by
 * extension (yaml, yml, json, csv, tsv; each sorted), then sub-folders, so a later one wins a
 * shared key (`a.yml` over `a.yaml`, folder `a/` over `a.json`). Keys are Jekyll's sanitized file
 * names (`jane.doe.yml` -> `janedoe`, `my file.yml` -> `my_file`). Files of other types are
 * ignored. Throws InputError naming the file and line of a YAML, JSON or CSV mistake.
 */
export function siteData(files: Iterable<DataFile>, options: DataOptions = {}): DataTree {
  const dataDir = (options.dataDir ?? '_data').replace(/\/+$/, '');
  const root: DataTree = {};
  // Maps made for folders, as opposed to maps read from a file of the same key (which they replace).
  const folders = new Set<DataTree>();
  const ordered = [...files].filter((file) => EXTENSION_ORDER.includes(extensionOf(file.path))).sort((a, b) => compareDataPaths(a.path, b.path));
  for (const file of ordered) {
    const parts = file.path.split('/');
    if (parts.some((part) => part.startsWith('.'))) continue;
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      const key = dataKey(part);
      let tree = folder[key] as DataTree;
      if (!folders.has(tree)) {
        tree = {};
        folders.add(tree);
        folder[key] = tree;
      }
      folder = tree;
    }
    const name = parts[parts.length - 1]!;
    folder[dataKey(name.slice(0, name.lastIndexOf('.')))] = readDataFile(file, `${dataDir}/${file.path}`, options);
  }
  return root;
}

function extensionOf(filePath: string): string {
  const name = filePath.slice(filePath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot);
}

/** Folder by folder: files (by extension order, then name) before sub-folders. */
function compareDataPaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; ; i++) {
    const lastA = i === pa.length - 1;
    const lastB = i === pb.length - 1;
    if (lastA && lastB) {
      const byExtension = EXTENSION_ORDER.indexOf(extensionOf(a)) - EXTENSION_ORDER.indexOf(extensionOf(b));
      return byExtension !== 0 ? byExtension : compareText(pa[i]!, pb[i]!);
    }
    if (lastA !== lastB) return lastA ? -1 : 1;
    if (pa[i] !== pb[i]) return compareText(pa[i]!, pb[i]!);
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * DataReader#sanitize_filename: drops characters other than ASCII letters, digits, `_`, `-` and
 * whitespace, and whitespace at the edges of words, then turns whitespace runs into `_`.
 */
export function dataKey(name: string): string {
  return name.replace(/[^A-Za-z0-9_ \t\r\n\f\v-]+|(?<=^|\b[ \t\r\n\f\v])[ \t\r\n\f\v]+(?=$|[ \t\r\n\f\v]?\b)/g, '').replace(/[ \t\r\n\f\v]+/g, '_');
}

function readDataFile(file: DataFile, displayPath: string, options: DataOptions): unknown {
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  switch (extensionOf(file.path)) {
    case '.csv':
      return tableRows(text, ',', options.csv_reader, displayPath);
    case '.tsv':
      return tableRows(text, '\t', options.tsv_reader, displayPath);
    case '.json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return yamlData(text, displayPath); // Jekyll reads JSON with its YAML parser
      }
    default:
      return yamlData(text, displayPath);
  }
}

function yamlData(text: string, file: string): unknown {
  try {
    return parseYaml(text) ?? null;
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw yamlInputError(error, text, file, 'data file');
  }
}

/** CSV.read(path, headers: true).map(&:to_hash), or the plain rows with `headers: false`. */
function tableRows(text: string, separator: string, config: CsvReaderConfig | undefined, file: string): unknown[] {
  let rows: Array<Array<string | null>>;
  try {
    rows = parseCsv(text, separator);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new InputError({ file, line: error.line, message: `data file is not valid ${separator === ',' ? 'CSV' : 'TSV'}: ${error.message}`, frame: codeFrame(text, error.line) });
  }
  const convert = fieldConverter(config?.csv_converters ?? []);
  if (config?.headers === false) return rows.map((row) => row.map(convert));
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return body.map((row) => {
    const record: Record<string, unknown> = {};
    const width = Math.max(header.length, row.length);
    for (let i = 0; i < width; i++) {
      // CSV::Row#to_hash keeps the first of repeated headers; a missing header is nil ("").
      const key = header[i] ?? '';
      if (!Object.hasOwn(record, key)) record[key] = convert(row[i] ?? null);
    }
    return record;
  });
}

/** Ruby CSV's `integer`, `float` and `numeric` converters; other names are ignored. */
function fieldConverter(names: readonly string[]): (field: string | null) => unknown {
  const integer = names.some((name) => name === 'integer' || name === 'numeric' || name === 'all');
  const float = names.some((name) => name === 'float' || name === 'numeric' || name === 'all');
  if (!integer && !float) return (field) => field;
  return (field) => {
    if (field === null) return field;
    if (integer && /^[+-]?\d+(?:_\d+)*$/.test(field)) return Number(field.replaceAll('_', ''));
    if (float && /^[+-]?(?:\d+(?:_\d+)*)?(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+)?$/.test(field) && /\d/.test(field) && !/^[+-]?\./.test(field)) {
      return Number(field.replaceAll('_', ''));
    }
    return field;
  };
}

/** A CSV mistake Ruby's CSV refuses, with the line its row starts on. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * RFC 4180 fields as Ruby's CSV reads them: `"` quotes (doubled inside), separators and line
 * breaks inside quotes kept, rows ending at `\r\n`, `\n` or `\r`. An empty unquoted field is
 * null (Ruby's nil), an empty quoted one "". A blank line is a row with no fields. Throws
 * CsvError for a quote inside an unquoted field, text after a closing quote, or an unclosed quote.
 */
export function parseCsv(text: string, separator = ','): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let line = 1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const rowLine = line;
    const row: Array<string | null> = [];
    // A blank line is a row without fields.
    if (text[i] === '\n' || text[i] === '\r') {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rows.push(row);
      continue;
    }
    for (;;) {
      let field: string | null;
      if (text[i] === '"') {
        let value = '';
        i++;
        for (;;) {
          if (i >= length) throw new CsvError(`Unclosed quoted field in line ${rowLine}.`, rowLine);
          const char = text[i]!;
          if (char === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (char === '\n') line++;
          value += char;
          i++;
        }
        field = value;
        if (i < length && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvError(`Any value after quoted field isn't allowed in line ${rowLine}.`, rowLine);
        }
      } else {
        const start = i;
        while (i < length && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') throw new CsvError(`Illegal quoting in line ${rowLine}.`, rowLine);
          i++;
        }
        field = i === start ? null : text.slice(start, i);
      }
      row.push(field);
      if (i < length && text[i] === separator) {
        i++;
        continue;
      }
      break;
    }
    if (i < length) {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    }
    rows.push(row);
  }
  return rows;
}
