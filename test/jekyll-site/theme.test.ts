/**
 * test/fixtures/jekyll-theme (a blog in a minima-shaped theme: chained layouts, includes with
 * parameters, data files, pages in folders, an HTML and a markdown post) built with Quire's
 * Jekyll pieces (pipeline.ts), against every file Jekyll 4.3.1 wrote for it
 * (jekyll-theme.expected.json, recorded by record.mjs).
 *
 * Compared byte for byte, except: the `{% seo %}` block (Quire writes its theme's tags, see
 * test/liquid/seo.test.ts), the plugin-generated feed.xml (Quire writes its own feed), and
 * whitespace between tags in pages whose text is markdown (kramdown and markdown-it space blocks
 * differently).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildJekyllSite } from './pipeline.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'jekyll-theme');
const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, 'jekyll-theme.expected.json'), 'utf8')) as { warnings: string[]; outputs: Record<string, string | null> };

/** Files Jekyll's plugins generate and Quire makes its own way. */
const PLUGIN_OUTPUTS = ['feed.xml'];
/** Outputs with markdown in them (whitespace between tags not compared). */
const MARKDOWN_OUTPUTS = new Set(['about.html', '2024/03/10/second-post.html']);

const JEKYLL_SEO = /<!-- Begin Jekyll SEO tag v[\d.]+ -->\n[\s\S]*?<!-- End Jekyll SEO tag -->\n/;
const QUIRE_SEO = /<title>[\s\S]*?<\/script>\n/;

function normalize(html: string, seo: RegExp, file: string): string {
  const withoutSeo = html.replace(seo, '{% seo %}');
  return MARKDOWN_OUTPUTS.has(file) ? withoutSeo.replace(/>\s+</g, '><').replace(/\s+$/, '') : withoutSeo;
}

describe('a minima-shaped Jekyll site, against Jekyll 4.3.1', () => {
  const built = buildJekyllSite(FIXTURE, { epochMs: Date.UTC(2025, 0, 1), offsetMinutes: 0 });

  it('writes the same files', () => {
    expect([...built.outputs.keys()].sort()).toEqual(Object.keys(recorded.outputs).filter((file) => !PLUGIN_OUTPUTS.includes(file)));
    expect(built.warnings).toEqual(recorded.warnings);
  });

  const compared = Object.entries(recorded.outputs).filter((entry): entry is [string, string] => !PLUGIN_OUTPUTS.includes(entry[0]) && entry[1] !== null);
  it.each(compared)('%s', (file, expected) => {
    const output = built.outputs.get(file)!;
    if ('copyFrom' in output) {
      expect(readFileSync(output.copyFrom, 'utf8')).toBe(expected);
      return;
    }
    expect(normalize(output.text, QUIRE_SEO, file)).toBe(normalize(expected, JEKYLL_SEO, file));
  });

  it('writes the SEO tags of Quire’s theme where Jekyll wrote jekyll-seo-tag’s', () => {
    const output = built.outputs.get('about.html') as { text: string };
    expect(output.text).toContain('<title>About | Theme Fixture</title>\n<meta name="generator" content="Quire">');
    expect(output.text).toContain('<link rel="canonical" href="https://example.org/fixture/about.html">');
  });
});
