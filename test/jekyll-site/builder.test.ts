/**
 * Jekyll sites through Quire's real builder (createBuilder / buildInMemory, which `quire serve`
 * uses and `quire build` falls back to for Jekyll sites), against what Jekyll 4.3.1 wrote for
 * them: test/fixtures/jekyll-theme (jekyll-theme.expected.json) and every site of
 * test/conformance (test/conformance/expected). theme.test.ts checks the same fixture through
 * the reference harness (pipeline.ts); this checks the wiring.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory, type BuildResult } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
import type { Output } from '../../src/types.js';
import { configLikeJekyll, conformanceCases, type ExpectedCase } from '../conformance/cases.js';

const ROOT = path.join(import.meta.dirname, '..');
const NOW = { epochMs: Date.UTC(2025, 0, 1), offsetMinutes: 0 };

function textOf(output: Output | undefined): string {
  if (!output) throw new Error('no such output');
  return typeof output.contents === 'string' ? output.contents : readFileSync(output.contents.copyFrom, 'utf8');
}

function byPath(result: BuildResult): Map<string, Output> {
  return new Map(result.outputs.map((output) => [output.path, output]));
}

/** What Quire adds to a Jekyll site: its generated pages and its theme's files. */
function isQuireOwn(output: Output): boolean {
  return output.origin.startsWith('(generated) ') || output.origin.startsWith('(theme) ');
}

describe('test/fixtures/jekyll-theme through the builder, against Jekyll 4.3.1', () => {
  const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, 'jekyll-theme.expected.json'), 'utf8')) as { warnings: string[]; outputs: Record<string, string | null> };
  const FIXTURE = path.join(ROOT, 'fixtures', 'jekyll-theme');
  const built = buildInMemory(loadConfig(FIXTURE), { now: NOW });
  built.catch(() => undefined); // each test awaits it and reports a failure itself
  /** Jekyll's plugins made these; Quire makes its own. */
  const PLUGIN_OUTPUTS = ['feed.xml'];
  const MARKDOWN_OUTPUTS = new Set(['about.html', '2024/03/10/second-post.html']);
  const JEKYLL_SEO = /<!-- Begin Jekyll SEO tag v[\d.]+ -->\n[\s\S]*?<!-- End Jekyll SEO tag -->\n/;
  const QUIRE_SEO = /<title>[\s\S]*?<\/script>\n/;
  const normalize = (html: string, seo: RegExp, file: string) => {
    const withoutSeo = html.replace(seo, '{% seo %}');
    return MARKDOWN_OUTPUTS.has(file) ? withoutSeo.replace(/>\s+</g, '><').replace(/\s+$/, '') : withoutSeo;
  };

  it('writes every file Jekyll wrote, and besides them only Quire’s generated pages and theme files', async () => {
    const outputs = byPath(await built);
    for (const file of Object.keys(recorded.outputs)) expect(outputs.has(file), file).toBe(true);
    const extra = [...outputs.values()].filter((output) => !(output.path in recorded.outputs));
    expect(extra.filter((output) => !isQuireOwn(output)).map((output) => output.path)).toEqual([]);
    // The site's own index.html replaces Quire's home page; Quire writes the feed jekyll-feed would.
    expect(outputs.get('index.html')!.origin).toBe('index.html');
    expect(outputs.get('feed.xml')!.origin).toBe('(generated) /feed.xml');
    expect(outputs.has('map/index.html')).toBe(true);
    expect((await built).warnings).toEqual(recorded.warnings);
  });

  it.each(Object.entries(recorded.outputs).filter((entry): entry is [string, string] => !PLUGIN_OUTPUTS.includes(entry[0]) && entry[1] !== null))('%s', async (file, expected) => {
    const output = byPath(await built).get(file);
    expect(normalize(textOf(output), QUIRE_SEO, file)).toBe(normalize(expected, JEKYLL_SEO, file));
  });
});

// ---------------------------------------------------------------------------------------------
// test/conformance sites
// ---------------------------------------------------------------------------------------------

const cases = conformanceCases();

/**
 * Tags and whitespace differ between kramdown and markdown-it, and highlighted code between Rouge
 * and highlight.js (token spans, `"` escaped or not); the words must not.
 */
function words(html: string): string {
  return html
    .replace(/<\/?span[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#8617;|↩︎?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Posts whose HTML still differs from Jekyll's in words, each with the reason; the test checks
 * they really do differ, so a fix shows up as a failure asking to remove the entry.
 */
const KNOWN_WORD_DIFFERENCES: Record<string, string> = {
  '_posts/2024-01-04-typography.md': "markdown-it's smart quotes leave a leading apostrophe ('90s) and inch marks (5'10\") straight",
};

/** The filters page's one known difference (see test/liquid/filters-conformance.test.ts). */
const KNOWN_FILTER_DIFFERENCES = ['yaml 2024-03-10 | date: "%a %b %e %-d %j %U %W %y %Y %B %b %H %I %p %M %S %z %Z"'];

describe.each(cases)('conformance site through the builder: $case', (expected) => {
  const config = configLikeJekyll(expected);
  const built = buildInMemory(config);
  built.catch(() => undefined);

  it('writes every file Jekyll wrote, and besides them only Quire’s generated pages and theme files', async () => {
    const outputs = byPath(await built);
    for (const file of expected.files) expect(outputs.has(file), file).toBe(true);
    const extra = [...outputs.values()].filter((output) => !expected.files.includes(output.path) && !isQuireOwn(output));
    expect(extra.map((output) => output.path)).toEqual([]);
  });

  it('renders each post with its Liquid layout, page variables and content as Jekyll did', async () => {
    const outputs = byPath(await built);
    for (const want of expected.posts) {
      const html = textOf(outputs.get(want.output_path));
      const data = JSON.parse(/<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
      const { source, excerpt, output_path: _output, ...fields } = want;
      void _output;
      expect({ source, ...Object.fromEntries(Object.keys(fields).map((key) => [key, data[key]])) }).toEqual({ source, ...fields });
      const content = /<!--content-start-->([\s\S]*?)<!--content-end-->/.exec(html)![1]!;
      if (source in KNOWN_WORD_DIFFERENCES) {
        expect(words(content), KNOWN_WORD_DIFFERENCES[source]).not.toEqual(words(expected.pages[source]!));
        continue;
      }
      expect({ source, excerpt: words(String(data.excerpt)) }).toEqual({ source, excerpt: words(excerpt) });
      expect({ source, content: words(content) }).toEqual({ source, content: words(expected.pages[source]!) });
    }
  });

  it('renders the site’s own pages (site.json, urls.json, filters.json) as Jekyll did', async () => {
    const outputs = byPath(await built);
    if (expected.site) expect(JSON.parse(textOf(outputs.get('site.json')))).toEqual(expected.site);
    if (expected.urls) expect(JSON.parse(textOf(outputs.get('urls.json')))).toEqual(expected.urls);
    if (expected.filters) {
      const rendered = JSON.parse(textOf(outputs.get('filters.json'))) as Record<string, unknown>;
      expect(Object.keys(rendered)).toEqual(Object.keys(expected.filters));
      for (const [key, value] of Object.entries(expected.filters)) {
        if (KNOWN_FILTER_DIFFERENCES.includes(key)) expect(rendered[key], key).not.toEqual(value);
        else expect(rendered[key], key).toEqual(value);
      }
    }
  });
});
