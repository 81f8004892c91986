/** Shared fast-check generators for the property tests: hostile text, paths and front matter. */
import fc from 'fast-check';
import yaml from 'js-yaml';

/** Any UTF-16 text, lone surrogates included. */
export const anyText = fc.string({ unit: 'binary', maxLength: 40 });

/** Short pieces that mean something to a URL, a path, YAML or Markdown. */
const TRICKY = [
  '/', '//', '.', '..', '../', './', '\\', '\\..\\', '%2e%2e', '%2E%2E/', '%2f', '%5c', '%00', '\0', '%', '%zz', '%C3%A9', '?', '#', ':', '::',
  ' ', '\t', '\n', '\r\n', '~', 'C:', 'c:\\', '-', '_', '*', '&', '"', "'", '<', '>', 'é', 'ß', 'İ', 'Σ', '日本', '😀', '\u0301', '\ud800', '\u200b',
  'http:', 'a:b', '@', '[', ']', '{', '}', '|', '^', '`', 'con', 'index.html', '.html', '.md', 'x',
];
export const trickyText = fc.oneof(
  anyText,
  fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join('')),
);

/** Permalink templates: placeholders, literals and tricky pieces. */
export const PLACEHOLDER_NAMES = [
  'year', 'month', 'day', 'hour', 'minute', 'second', 'i_day', 'i_month', 'short_month', 'long_month', 'short_year', 'w_year', 'week', 'w_day',
  'short_day', 'long_day', 'y_day', 'title', 'slug', 'name', 'categories', 'slugified_categories', 'output_ext', 'path', 'collection', 'nope',
];
export const permalinkTemplate = fc.oneof(
  fc.constantFrom('date', 'pretty', 'ordinal', 'weekdate', 'none', '/:title/', '/:categories/:title:output_ext', '', '/', '..', '/../:title'),
  fc
    .array(fc.oneof(fc.constantFrom(...PLACEHOLDER_NAMES).map((name) => `:${name}`), fc.constantFrom(...TRICKY), fc.string({ maxLength: 4 })), {
      maxLength: 10,
    })
    .map((parts) => parts.join('')),
);

/** Date-ish strings, valid and not: month 13, day 45, odd offsets, years far away. */
export const dateText = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: -20, max: 12000 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.option(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))),
      fc.constantFrom('', 'Z', ' +01:00', '-0500', ' +99:99', ' UTC', '+1'),
    )
    .map(([y, m, d, time, zone]) => {
      const base = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      return time === null ? base : `${base} ${time.map((n) => String(n).padStart(2, '0')).join(':')}${zone}`;
    }),
  trickyText,
);

/** A YAML value as it may be written for a key: any JSON, text, a date, lists of those. */
const scalar = fc.oneof(trickyText, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), dateText);
export const yamlValue = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('toString', 'valueOf', 'toJSON', '__proto__', 'constructor', 'name'), trickyText), scalar, { maxKeys: 3 }) },
);

const KEYS = ['title', 'date', 'categories', 'category', 'tags', 'tag', 'slug', 'permalink', 'published', 'layout', 'coordinates', 'excerpt', 'excerpt_separator', 'toString', '__proto__', 'constructor', 'valueOf'];

/** Front matter YAML made by dumping generated data (so most of it parses), or written raw (so some does not). */
export const frontMatterYaml = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), trickyText), yamlValue, { maxKeys: 6 }).map((data) => {
      try {
        return yaml.dump(data, { skipInvalid: true });
      } catch {
        return '';
      }
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.tuple(fc.constantFrom(...KEYS), fc.oneof(dateText, trickyText, fc.constantFrom('[1.2, 0]', 'north', '[.nan, 0]', '0.5', '[0.2, 0.3]', '[a', '{', '*x', '&x y', '&x [*x]', '&x {a: *x}', '{toString: 1}', '!!js/function f', '!!binary aGk=', '!!set {a}', '|', '>', '- a'))),
        { maxLength: 6 },
      )
      .map((pairs) => pairs.map(([key, value]) => `${key}: ${value}`).join('\n')),
  },
  { weight: 1, arbitrary: trickyText },
);

/** A whole post file: maybe front matter (maybe unclosed), then a body. */
export const postText = fc.oneof(
  fc.tuple(frontMatterYaml, trickyText, fc.constantFrom('---\n', '---\r\n', '--- \n', '\ufeff---\n'), fc.constantFrom('\n---\n', '\n---', '\r\n---\r\n', '\n', '\n...\n', '\n----\n')).map(
    ([front, body, open, close]) => `${open}${front}${close}${body}`,
  ),
  trickyText,
  fc.constant(''),
);

/** Post file paths: dated or not, odd slugs and extensions, folders and categories. */
export const postPath = fc
  .tuple(
    fc.constantFrom('posts/', '_posts/', 'news/_posts/', '_drafts/', 'posts/a b/', 'x/y/_posts/'),
    fc.oneof(
      { weight: 2, arbitrary: dateText.map((date) => `${date.replace(/[ :]/g, '-')}-`) },
      { weight: 1, arbitrary: fc.constant('') },
      { weight: 6, arbitrary: fc.constantFrom('2024-01-01-', '1999-12-31-', '24-1-1-', '2024-02-30-') },
    ),
    trickyText.map((name) => name.replace(/[/\0]/g, '')),
    fc.oneof({ weight: 4, arbitrary: fc.constant('.md') }, { weight: 1, arbitrary: fc.constantFrom('.markdown', '.html', '.htm', '.MD', '.', '', '..md') }),
  )
  .map(([folder, date, slug, ext]) => `${folder}${date}${slug}${ext}`);

/**
 * The properties every output path must have: relative, inside the destination, on Linux and on
 * Windows alike. A backslash inside a segment is allowed: Jekyll 4.3 writes a category "a\b" to
 * a folder named "a\b" (recorded in test/site/permalinks.test.ts), and Windows reads it as two
 * folders - still inside the destination - so the segments are checked split both ways.
 */
export function unsafeOutputPath(outputPath: string): string | null {
  if (outputPath === '') return 'is empty';
  if (outputPath.startsWith('/') || outputPath.startsWith('\\')) return 'starts with a separator';
  if (outputPath.includes('\0')) return 'contains NUL';
  if (/^[A-Za-z]:/.test(outputPath)) return 'starts with a drive letter';
  const segments = outputPath.split('/');
  if (segments.includes('.')) return 'has a . segment';
  if (segments.includes('')) return 'has an empty segment';
  if (outputPath.split(/[\\/]/).includes('..')) return 'has a .. segment';
  return null;
}
