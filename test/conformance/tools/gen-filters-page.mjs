#!/usr/bin/env node
// Writes test/conformance/sites/filters/filters.json: a Jekyll page whose
// front matter holds the filter inputs and whose Liquid body prints a JSON
// object { "<input> | <filter>": <Jekyll's output> }.
//
// The generated page is committed; re-run this only when changing the
// list below, then re-record with `node test/conformance/record.mjs filters`.
//
// Inputs live in front matter (as YAML double-quoted scalars, which accept
// JSON string syntax) so no Liquid string quoting is involved.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sites', 'filters', 'filters.json');

// --- inputs -----------------------------------------------------------------

// Dates written as YAML timestamps (parsed by YAML into Ruby Time/Date).
const yamlDates = {
  d_utc: '2024-01-05 09:03:07 +0000',
  d_minus7: '2024-07-04 18:30:00 -0700',
  d_dateonly: '2024-03-10',
  d_naive: '2024-12-31 23:59:59',
  d_iso: '2024-11-03T01:30:00-04:00',
};
// Dates given as quoted strings (parsed by the filters themselves).
const stringDates = {
  ds_naive: '2024-02-29 14:05:00',
  ds_offset: '2024-06-01 08:00:00 +0200',
  ds_dateonly: '2024-01-01',
};

const slugInputs = [
  'Hello, World!',
  '  spaces  ',
  'Ünïcödé Straße',
  'C++ & Rust',
  'already-slugged',
  'under_score',
  'dots.and.more',
  'emoji 🎉 here',
  'Mixed CASE',
  '--leading and trailing--',
  '日本語 テキスト',
  "it's \"quoted\" (parens) [brackets] a/b\\c",
  'tab\there, new\nline',
  "~tilde! $dollar @at 'apos' =equals; +plus",
];

const misc = {
  html: '<p>Hello <b>World</b> &amp; <i>friends</i></p><script>alert(1)</script><!-- comment -->',
  br: 'line one<br/>line two<br>three',
  xml: `<a href="x?a=1&b=2">Tom & Jerry's "show"</a>`,
  words: 'Hello, world!  This is   a test.\nNew line here.',
  cjk: '日本語のテキスト and some English words 한국어',
  long: 'one two three four five six seven',
  cgi: 'foo, bar; baz? a b&c=d/é+~',
  uri: '/a b/é?x=1&y=[2]#frag with space',
  smart: `"Quotes" -- and 'apostrophes' --- it's ... done`,
  md: 'Some *markdown* with `code` and a [link](https://example.com).',
  ws: '  lots \n\t of   whitespace  ',
  script: '</script><b>"quoted" & \\ backslash</b> ünï 🎉',
  nl: 'a\nb\r\nc',
  entity: 'already &amp; escaped & not <b>',
};

const frontMatter = {
  layout: null,
  ...Object.fromEntries(Object.entries(yamlDates).map(([k, v]) => [k, { raw: v }])),
  ...stringDates,
  ...Object.fromEntries(slugInputs.map((s, i) => [`s${i}`, s])),
  ...misc,
};

// --- entries ----------------------------------------------------------------

const entries = []; // [key, liquid expression]
const add = (key, expr) => entries.push([key, expr]);

const dateFilters = [
  'date_to_xmlschema',
  'date_to_string',
  'date_to_string: "ordinal"',
  'date_to_string: "ordinal", "US"',
  'date_to_long_string',
  'date_to_long_string: "ordinal"',
  'date_to_long_string: "ordinal", "US"',
  'date_to_rfc822',
  'date: "%a %b %e %-d %j %U %W %y %Y %B %b %H %I %p %M %S %z %Z"',
  'date: "%-m/%-d/%Y %l:%M %P %s"',
  'date: "%Y-%m-%d %H:%M:%S %z"',
];
for (const [k, v] of Object.entries(yamlDates)) {
  for (const f of dateFilters) add(`yaml ${v} | ${f}`, `page.${k} | ${f}`);
}
for (const [k, v] of Object.entries(stringDates)) {
  for (const f of dateFilters) add(`string "${v}" | ${f}`, `page.${k} | ${f}`);
}

const slugModes = [null, 'raw', 'default', 'pretty', 'ascii', 'latin', 'none'];
slugInputs.forEach((s, i) => {
  for (const m of slugModes) {
    const f = m === null ? 'slugify' : `slugify: "${m}"`;
    add(`${s} | ${f}`, `page.s${i} | ${f}`);
  }
});

const miscFilters = [
  ['xml', 'xml_escape'],
  ['entity', 'xml_escape'],
  ['html', 'strip_html'],
  ['br', 'strip_html'],
  ['words', 'number_of_words'],
  ['cjk', 'number_of_words'],
  ['cjk', 'number_of_words: "cjk"'],
  ['cjk', 'number_of_words: "auto"'],
  ['long', 'truncatewords: 3'],
  ['long', 'truncatewords: 3, "…"'],
  ['long', 'truncatewords: 10'],
  ['long', 'truncate: 12'],
  ['cgi', 'cgi_escape'],
  ['uri', 'cgi_escape'],
  ['cgi', 'uri_escape'],
  ['uri', 'uri_escape'],
  ['uri', 'url_encode'],
  ['uri', 'escape'],
  ['entity', 'escape'],
  ['entity', 'escape_once'],
  ['smart', 'smartify'],
  ['md', 'markdownify'],
  ['ws', 'normalize_whitespace'],
  ['ws', 'strip'],
  ['nl', 'newline_to_br'],
  ['nl', 'strip_newlines'],
  ['script', 'jsonify'],
];
for (const [k, f] of miscFilters) add(`${misc[k]} | ${f}`, `page.${k} | ${f}`);

// jsonify on non-strings
add(`yaml ${yamlDates.d_utc} | jsonify`, 'page.d_utc | jsonify');
add('slug inputs 0..2 (an array) | jsonify', 'page.slugs | jsonify');
add('nil | jsonify', 'page.nothing | jsonify');
add('42 | jsonify', '42 | jsonify');
add('3.5 | jsonify', '3.5 | jsonify');
add('true | jsonify', 'true | jsonify');
add('slug inputs 0..2 | array_to_sentence_string', 'page.slugs | array_to_sentence_string');
add('slug inputs 0..2 | array_to_sentence_string: "or"', 'page.slugs | array_to_sentence_string: "or"');

frontMatter.slugs = slugInputs.slice(0, 3);

// --- write ------------------------------------------------------------------

// YAML: the date inputs must be *unquoted* timestamps so YAML types them.
const yamlLines = [];
for (const [k, v] of Object.entries(frontMatter)) {
  if (k === 'layout') continue;
  if (v && typeof v === 'object' && 'raw' in v) yamlLines.push(`${k}: ${v.raw}`);
  else if (Array.isArray(v)) yamlLines.push(`${k}: [${v.map((s) => JSON.stringify(s)).join(', ')}]`);
  else yamlLines.push(`${k}: ${JSON.stringify(v)}`);
}

const body = entries
  .map(([key, expr], i) => {
    // The filter chain's result is passed through one more jsonify so the page
    // is valid JSON; for chains that end in jsonify the recorded value is
    // therefore the JSON text that jsonify produced, as a string.
    const out = `{{ ${expr} | jsonify }}`;
    return `  ${JSON.stringify(key)}: ${out}${i === entries.length - 1 ? '' : ','}`;
  })
  .join('\n');

const text = `---\n# Generated by test/conformance/tools/gen-filters-page.mjs; edit that, not this.\n${yamlLines.join('\n')}\n---\n{\n${body}\n}\n`;
fs.writeFileSync(OUT, text);
console.log(`wrote ${OUT} (${entries.length} entries)`);
