/**
 * `{% seo %}` against what jekyll-seo-tag 2.8.0 wrote (Jekyll 4.3.1) on every page of
 * test/fixtures/jekyll-seo (every setting the plugin reads: author data, Twitter, Facebook,
 * verifications, logo, social links, canonical_url, image details, seo: front matter) and of
 * jekyll-seo-untitled (a site with no title, url or description). Recorded by record.mjs seo.
 *
 * Compared tag by tag, in order, except: the generator tag and the plugin's comments, `/>` (void
 * elements are written `>` here), `<`, `>` and `"` escaped in a value (jekyll-seo-tag writes an
 * author's name or an image's alt as it is, which can end the tag early), and the JSON-LD,
 * compared as data.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
import { FIXED_NOW } from '../helpers/site.js';

const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, 'jekyll-seo.expected.json'), 'utf8')) as { sites: Record<string, Record<string, string>> };
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

/** The tags of a `{% seo %}` block, one per line, and its JSON-LD as data. */
function tags(block: string): { lines: string[]; jsonLd: unknown } {
  const script = /<script type="application\/ld\+json">\s*([\s\S]*?)<\/script>/.exec(block);
  const lines = block
    .replace(/<script[\s\S]*<\/script>/, '')
    .split('\n')
    .map((line) => line.trim().replace(/\s*\/>$/, '>').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"'))
    .filter((line) => line !== '' && !line.startsWith('<!--') && !line.includes('name="generator"'));
  return { lines, jsonLd: script ? JSON.parse(script[1]!) : null };
}

describe.each(Object.keys(recorded.sites))('{% seo %} on %s, against jekyll-seo-tag 2.8.0', (site) => {
  const built = buildInMemory(loadConfig(path.join(FIXTURES, site)), { now: FIXED_NOW });

  it.each(Object.keys(recorded.sites[site]!))('%s', async (file) => {
    const output = (await built).outputs.find((candidate) => candidate.path === file);
    const block = /<!--seo-->([\s\S]*?)<!--\/seo-->/.exec(String(output?.contents ?? ''))?.[1] ?? '';
    expect(tags(block)).toEqual(tags(recorded.sites[site]![file]!));
  });
});
