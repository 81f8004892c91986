/**
 * `site.data` from `_data/` files, against what Jekyll 4.3.1 built from the same files
 * (data.expected.json, recorded by record.mjs: `{{ site.data | jsonify }}`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvError, dataKey, parseCsv, siteData } from '../../src/content/data.js';
import { isDataFile } from '../../src/content/pages.js';
import { InputError } from '../../src/errors.js';

const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, 'data.expected.json'), 'utf8')) as { tree: Record<string, string>; data: Record<string, unknown> };

/** The data files of the recorded tree, as the builder would pass them (only files Jekyll reads). */
const files = Object.entries(recorded.tree)
  .filter(([file]) => file.startsWith('_data/') && isDataFile(file.slice('_data/'.length)))
  .map(([file, text]) => ({ path: file.slice('_data/'.length), text }));

/** What jsonify prints, so values compare as Jekyll's JSON. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('siteData against Jekyll 4.3.1', () => {
  const data = siteData(files);

  it('builds the same tree, key for key and in the same order', () => {
    const expected = structuredClone(recorded.data) as Record<string, Record<string, unknown>>;
    // Known difference: Jekyll prints an unquoted YAML time as a Ruby Time ("+0000" added);
    // Quire keeps the text as written (YamlTimestamp), which date filters read the same way.
    expect(asJson(data.dates)).toEqual({ ...expected.dates, when: '2024-03-01 10:00:00' });
    delete expected.dates;
    const { dates: _, ...rest } = asJson(data) as Record<string, unknown>;
    expect(rest).toEqual(expected);
    expect(Object.keys(data)).toEqual(Object.keys(recorded.data));
    expect(Object.keys((data.quirks as object[])[0]!)).toEqual(['x', '', 'y']);
  });

  it('reads CSV and TSV rows as maps: nil for empty fields, quotes and line breaks kept', () => {
    expect(data.people).toEqual([
      { name: 'Doe, Jane', role: 'editor', email: 'jane@example.com' },
      { name: 'He said "hi"', role: null, email: null },
      { name: 'Solo', role: null, email: null },
    ]);
    expect(data.table).toEqual([{ a: '1', b: 'x\ty' }, { a: null, b: null }, { a: '3', b: '4' }]);
  });
});

describe('siteData', () => {
  it('nests folders and sanitizes names as DataReader does', () => {
    expect(siteData([{ path: 'authors/jane.yml', text: 'name: Jane' }, { path: 'a b/c.d.json', text: '[1]' }])).toEqual({ authors: { jane: { name: 'Jane' } }, a_b: { cd: [1] } });
  });

  it('reads JSON that only YAML accepts, as Jekyll reads JSON with its YAML parser', () => {
    expect(siteData([{ path: 'x.json', text: "{a: 1, 'b': [2]} # comment" }])).toEqual({ x: { a: 1, b: [2] } });
  });

  it('honours csv_reader: headers false and numeric converters', () => {
    const csv = [{ path: 'n.csv', text: 'a,b\n1,2.5\nx,\n' }];
    expect(siteData(csv, { csv_reader: { headers: false } })).toEqual({ n: [['a', 'b'], ['1', '2.5'], ['x', null]] });
    expect(siteData(csv, { csv_reader: { csv_converters: ['numeric'] } })).toEqual({ n: [{ a: 1, b: 2.5 }, { a: 'x', b: null }] });
    expect(siteData(csv, { csv_reader: { csv_converters: ['integer'] } })).toEqual({ n: [{ a: 1, b: '2.5' }, { a: 'x', b: null }] });
  });

  it('drops a byte-order mark before the header', () => {
    expect(siteData([{ path: 'bom.csv', text: '\uFEFFa,b\n1,2\n' }])).toEqual({ bom: [{ a: '1', b: '2' }] });
  });

  it('names the file and line of a mistake', () => {
    const yaml = (() => {
      try {
        siteData([{ path: 'nav.yml', text: 'a: 1\nb: [unclosed\n' }]);
      } catch (error) {
        return error as InputError;
      }
    })();
    expect(yaml).toBeInstanceOf(InputError);
    expect(yaml).toMatchObject({ file: '_data/nav.yml' });
    expect(yaml!.line).toBeGreaterThanOrEqual(2);
    expect(() => siteData([{ path: 'p.csv', text: 'a,b\n1,2\n"open,3\n' }], { dataDir: 'data' })).toThrow(
      expect.objectContaining({ file: 'data/p.csv', line: 3, message: 'data file is not valid CSV: Unclosed quoted field in line 3.' }),
    );
  });
});

describe('parseCsv (Ruby CSV’s rules)', () => {
  it('reads quoted fields, doubled quotes, separators and line breaks inside quotes', () => {
    expect(parseCsv('a,"b,c","d ""e""","f\ng"\r\n')).toEqual([['a', 'b,c', 'd "e"', 'f\ng']]);
  });

  it('tells empty (nil) from quoted empty ("") fields, and keeps a trailing empty field', () => {
    expect(parseCsv('a,,"",\n')).toEqual([['a', null, '', null]]);
  });

  it('makes a blank line a row without fields and needs no final line break', () => {
    expect(parseCsv('a\n\nb')).toEqual([['a'], [], ['b']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('refuses what Ruby’s CSV refuses, naming the line', () => {
    expect(() => parseCsv('a,b\nx"y,2\n')).toThrow(new CsvError('Illegal quoting in line 2.', 2));
    expect(() => parseCsv('a,b\n"x"y,2\n')).toThrow("Any value after quoted field isn't allowed in line 2.");
    expect(() => parseCsv('a\n"unclosed\n')).toThrow('Unclosed quoted field in line 2.');
  });

  it('splits TSV on tabs with the same quoting', () => {
    expect(parseCsv('a\t"b\tc"\n', '\t')).toEqual([['a', 'b\tc']]);
  });
});

describe('dataKey', () => {
  it('matches DataReader#sanitize_filename (checked with Ruby)', () => {
    expect(dataKey('jane.doe')).toBe('janedoe');
    expect(dataKey(' my  file name ')).toBe('my_file_name_');
    expect(dataKey('café-ünï')).toBe('caf-n');
    expect(dataKey('a  b')).toBe('a_b');
    expect(dataKey('a (b) c')).toBe('a_b_c');
    expect(dataKey('john-smith')).toBe('john-smith');
  });
});
