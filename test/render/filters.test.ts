/**
 * Quire's Jekyll filters (src/render/filters.ts) against what real Jekyll 4.3.1 printed for the
 * same inputs: test/conformance/sites/filters/filters.json is a Liquid page whose lines read
 * `"<key>": {{ page.<input> | <filter chain> | jsonify }}`, and test/conformance/expected/filters.json
 * holds what Jekyll rendered for each key (see test/conformance/README.md). The inputs are the
 * page's front matter, read by Quire's own front-matter parser, so YAML timestamps reach the
 * filters the way they reach templates.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
import { jekyllFilters } from '../../src/render/filters.js';

const CONFORMANCE = path.join(import.meta.dirname, '..', 'conformance');
const FIXTURE = path.join(CONFORMANCE, 'sites', 'filters');

const recorded = (JSON.parse(readFileSync(path.join(CONFORMANCE, 'expected', 'filters.json'), 'utf8')) as { filters: Record<string, unknown> }).filters;
const page = splitFrontMatter(readFileSync(path.join(FIXTURE, 'filters.json'), 'utf8'), 'filters.json');
/** The fixture's own _config.yml: timezone America/New_York. */
const config = loadConfig(FIXTURE);
const filters = jekyllFilters(config);

interface Step {
  readonly name: string;
  readonly args: unknown[];
}

interface FilterCase {
  readonly key: string;
  /** `page.<name>` in the fixture, or a Liquid literal such as `42`. */
  readonly input: string;
  readonly chain: readonly Step[];
}

/** One line of the fixture: `"key": {{ input | f: "a", 1 | g | jsonify }},`. */
const LINE = /^\s*("(?:[^"\\]|\\.)*"): \{\{ (.+) \| jsonify \}\},?$/;

function parseCases(body: string): FilterCase[] {
  const cases: FilterCase[] = [];
  for (const line of body.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [input, ...steps] = m[2]!.split(' | ');
    cases.push({
      key: JSON.parse(m[1]!) as string,
      input: input!,
      chain: steps.map((step) => {
        const [, name, args] = /^(\w+)(?:: (.*))?$/.exec(step)!;
        // Liquid arguments here are double-quoted strings and numbers: JSON syntax.
        return { name: name!, args: args === undefined ? [] : (JSON.parse(`[${args}]`) as unknown[]) };
      }),
    });
  }
  return cases;
}

const cases = parseCases(page.body);

function inputOf(source: string): unknown {
  return source.startsWith('page.') ? page.data[source.slice('page.'.length)] : JSON.parse(source);
}

/** Runs a chain through Quire's filters; SafeStrings (jsonify, xml_escape) compare as their text. */
function run(c: FilterCase): unknown {
  let value = inputOf(c.input);
  for (const step of c.chain) value = filters[step.name]!(value, ...step.args);
  return value instanceof nunjucks.runtime.SafeString ? String(value) : value;
}

/** Liquid filters in the fixture that Quire does not provide as Jekyll filters (templates use Nunjucks' own). */
const NOT_IMPLEMENTED = new Set(['truncate', 'url_encode', 'escape', 'escape_once', 'markdownify', 'strip']);

/**
 * Cases where Quire still prints something else than Jekyll, each with the reason. The test
 * checks they really differ, so a fix shows up as a failure asking to remove the entry.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'yaml 2024-03-10 | date: "%a %b %e %-d %j %U %W %y %Y %B %b %H %I %p %M %S %z %Z"':
    'a date-only YAML value is a Ruby Date, whose strftime prints %Z as "+00:00"; Quire formats it as a UTC-midnight time with no zone name, so %Z is empty (every other directive matches)',
};

const implemented = cases.filter((c) => c.chain.every((step) => !NOT_IMPLEMENTED.has(step.name)));

describe('the recorded filter data', () => {
  it('has one fixture line for every recorded key, and the reverse', () => {
    expect(cases.map((c) => c.key).sort()).toEqual(Object.keys(recorded).sort());
  });

  it('covers every Jekyll filter Quire implements', () => {
    const compared = new Set(implemented.flatMap((c) => c.chain.map((step) => step.name)));
    const expectedCoverage = [
      'date_to_xmlschema', 'date_to_rfc822', 'date_to_string', 'date_to_long_string', 'date', 'slugify',
      'xml_escape', 'cgi_escape', 'uri_escape', 'number_of_words', 'strip_html', 'truncatewords',
      'normalize_whitespace', 'strip_newlines', 'newline_to_br', 'jsonify', 'array_to_sentence_string', 'smartify',
    ];
    for (const name of expectedCoverage) {
      expect(filters, name).toHaveProperty(name);
      expect(compared.has(name), `${name} is compared with Jekyll`).toBe(true);
    }
    // Every mode of slugify and both date_to_*string styles are exercised.
    const argsOf = (name: string) => implemented.flatMap((c) => c.chain.filter((s) => s.name === name).map((s) => JSON.stringify(s.args)));
    expect(new Set(argsOf('slugify'))).toEqual(new Set(['[]', '["raw"]', '["default"]', '["pretty"]', '["ascii"]', '["latin"]', '["none"]']));
    expect(new Set(argsOf('date_to_long_string'))).toEqual(new Set(['[]', '["ordinal"]', '["ordinal","US"]']));
    expect(new Set(argsOf('number_of_words'))).toEqual(new Set(['[]', '["cjk"]', '["auto"]']));
  });

  it.each([...NOT_IMPLEMENTED])('leaves %s to Nunjucks (not a Quire Jekyll filter; compare it here once added)', (name) => {
    expect(cases.some((c) => c.chain.some((step) => step.name === name))).toBe(true);
    expect(filters).not.toHaveProperty(name);
  });
});

describe('Quire filters against Jekyll 4.3.1 (site timezone America/New_York)', () => {
  const matching = implemented.filter((c) => !(c.key in KNOWN_DIFFERENCES));
  const differing = implemented.filter((c) => c.key in KNOWN_DIFFERENCES);

  it.each(matching.map((c) => [c.key, c] as const))('%s', (key, c) => {
    expect(run(c)).toEqual(recorded[key]);
  });

  it.each(differing.map((c) => [c.key, c] as const))('known difference: %s', (key, c) => {
    expect(run(c), KNOWN_DIFFERENCES[key]).not.toEqual(recorded[key]);
  });

  it('lists no known difference that is not a recorded case', () => {
    for (const key of Object.keys(KNOWN_DIFFERENCES)) expect(differing.map((c) => c.key)).toContain(key);
  });
});

/**
 * Rules read from the sources of Liquid 5 (truncatewords, strip_html), Jekyll 4.3 and
 * Addressable 2.8 (uri_escape = Addressable::URI.normalize_component), for inputs the recording
 * does not have. Ruby's whitespace (\s, String#split) is ASCII only.
 */
describe('filter rules beyond the recorded inputs', () => {
  it.each([
    ['truncatewords leaves a short text as written', 'truncatewords', ['a  b\tc', 5], 'a  b\tc'],
    ['truncatewords joins the kept words with one space', 'truncatewords', ['  a \n b  c d', 2], 'a b...'],
    ['truncatewords keeps at least one word', 'truncatewords', ['one two three', 0], 'one...'],
    ['truncatewords reads a numeric string count', 'truncatewords', ['one two three', '2'], 'one two...'],
    ['truncatewords of nil is nil', 'truncatewords', [null, 3], null],
    ['truncatewords does not split at a no-break space', 'truncatewords', ['a\u00a0b c', 1], 'a\u00a0b...'],
    ['number_of_words does not split at a no-break space', 'number_of_words', ['a\u00a0b c'], 2],
    ['number_of_words "auto" without CJK counts words', 'number_of_words', ['just three words', 'auto'], 3],
    ['number_of_words "cjk" counts kana and hangul singly', 'number_of_words', ['ひらがな한글 x', 'cjk'], 7],
    ['normalize_whitespace trims only ASCII whitespace', 'normalize_whitespace', ['\u00a0 a \n\t b \u00a0', ], '\u00a0 a b \u00a0'],
    ['strip_html takes the block that starts first', 'strip_html', ['<!-- <script> -->text</script>', ], 'text'],
    ['strip_html removes tags spanning lines', 'strip_html', ['a<p\nclass="x">b</p>', ], 'ab'],
    ['strip_html block patterns are case-sensitive, as in Liquid', 'strip_html', ['<SCRIPT>x()</SCRIPT>y', ], 'x()y'],
    ['uri_escape does not escape an escape again', 'uri_escape', ['/a%20b/caf%C3%A9/'], '/a%20b/caf%C3%A9/'],
    ['uri_escape escapes a lone percent sign', 'uri_escape', ['100% sure'], '100%25%20sure'],
    ['uri_escape writes control characters with two hex digits', 'uri_escape', ['a\tb c\u0001'], 'a%09b%20c%01'],
    ['uri_escape composes decomposed accents (NFC)', 'uri_escape', ['e\u0301'], '%C3%A9'],
    ['uri_escape keeps a byte that is not UTF-8 escaped', 'uri_escape', ['%e9t%C3'], '%E9t%C3'],
    ['uri_escape escapes quotes, angle brackets and backslashes', 'uri_escape', ['"<a\\b>"'], '%22%3Ca%5Cb%3E%22'],
    ['cgi_escape escapes reserved characters, space as +', 'cgi_escape', ["!'()* ~"], '%21%27%28%29%2A+~'],
    ['xml_escape of nil is empty', 'xml_escape', [null], ''],
  ] as const)('%s', (_name, filter, args, expected) => {
    const result = filters[filter]!(...args);
    expect(result instanceof nunjucks.runtime.SafeString ? String(result) : result).toEqual(expected);
  });

  it('date prints %Z as Ruby does for each kind of written time', () => {
    const zone = (value: unknown) => filters.date!(value, '%H:%M %z %Z');
    const yaml = (text: string) => splitFrontMatter(`---\nd: ${text}\n---\n`, 'x.md').data.d;
    expect(zone(yaml('2024-01-05 09:03:07 +0000'))).toBe('09:03 +0000 '); // Psych: fixed offset, no zone
    expect(zone(yaml('2024-01-05 09:03:07Z'))).toBe('09:03 +0000 UTC'); // Psych: Time.utc
    expect(zone(yaml('2024-01-05 09:03:07'))).toBe('04:03 -0500 EST'); // Psych: local time
    expect(zone('2024-01-05 09:03:07 UTC')).toBe('09:03 +0000 UTC'); // Time.parse: UTC designator
    expect(zone('2024-01-05 09:03:07 -05:00')).toBe('09:03 -0500 EST'); // Time.parse: the local offset stays local
    expect(zone('2024-07-05 09:03:07 -05:00')).toBe('09:03 -0500 '); // not New York's offset in July
    expect(zone('2024-07-05 09:03:07')).toBe('09:03 -0400 EDT');
  });

  it('uri_escape leaves only RFC 3986 reserved/unreserved characters and escapes, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const once = String(filters.uri_escape!(text));
        expect(once).toMatch(/^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$/);
        expect(filters.uri_escape!(once)).toBe(once);
      }),
    );
  });
});

describe('relative_url and absolute_url against Jekyll', () => {
  interface BaseurlUrls {
    relative_url: Record<string, string>;
    absolute_url: Record<string, string>;
    nil: { relative_url: null; absolute_url: null };
  }
  const baseurl = JSON.parse(readFileSync(path.join(CONFORMANCE, 'expected', 'baseurl.json'), 'utf8')) as { urls: BaseurlUrls };
  const blog = jekyllFilters(loadConfig(path.join(CONFORMANCE, 'sites', 'baseurl')));
  const inputOfKey = (key: string) => (key === '(empty)' ? '' : key);

  it('reads the baseurl fixture config as Jekyll did', () => {
    const blogConfig = loadConfig(path.join(CONFORMANCE, 'sites', 'baseurl'));
    expect({ baseurl: blogConfig.baseurl, url: blogConfig.url }).toEqual({ baseurl: '/blog', url: 'https://example.com' });
  });

  it.each(Object.entries(baseurl.urls.relative_url))('relative_url %j', (key, expected) => {
    expect(blog.relative_url!(inputOfKey(key))).toBe(expected);
  });

  it.each(Object.entries(baseurl.urls.absolute_url))('absolute_url %j', (key, expected) => {
    expect(blog.absolute_url!(inputOfKey(key))).toBe(expected);
  });

  it('returns nil for nil', () => {
    expect(blog.relative_url!(undefined)).toBe(baseurl.urls.nil.relative_url);
    expect(blog.absolute_url!(null)).toBe(baseurl.urls.nil.absolute_url);
  });

  // Not recorded: Addressable's normalize rules for the parts of a URL (see the sources named above).
  it.each([
    ['/search?q=a%2Bb&x=y z', '/blog/search?q=a%2Bb&x=y%20z'], // an escaped "+" stays escaped in a query
    ['/a%2fb/100%/', '/blog/a%2Fb/100%25/'], // an escaped "/" stays in its path segment; a lone "%" is escaped
    ['/x?#', '/blog/x'], // empty query and fragment are dropped
    ['/caf%C3%A9/caf\u0065\u0301/', '/blog/caf%C3%A9/caf%C3%A9/'], // NFC, and no double escaping
  ])('relative_url %j is %j', (input, expected) => {
    expect(blog.relative_url!(input)).toBe(expected);
  });

  // Every post of every recorded site: page.url | relative_url and | absolute_url as Jekyll printed them.
  const postUrls = readdirSync(path.join(CONFORMANCE, 'expected'))
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const data = JSON.parse(readFileSync(path.join(CONFORMANCE, 'expected', file), 'utf8')) as {
        case: string;
        fixture: string;
        posts: Array<{ url: string; relative_url: string; absolute_url: string }>;
      };
      return data.posts.map((post) => [data.case, data.fixture, post] as const);
    });

  it.each(postUrls)('%s: %j', (_case, fixture, post) => {
    const site = jekyllFilters(loadConfig(path.join(CONFORMANCE, fixture)));
    expect({ relative: site.relative_url!(post.url), absolute: site.absolute_url!(post.url) }).toEqual({ relative: post.relative_url, absolute: post.absolute_url });
  });
});
