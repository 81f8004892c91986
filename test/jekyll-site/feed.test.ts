import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
// @ts-expect-error: a plain .mjs helper shared with the recorder
import { feedFields } from './feed-fields.mjs';

const here = import.meta.dirname;

describe('feed.xml of a Jekyll site, against what jekyll-feed wrote', () => {
  // jekyll-theme: a minima-shaped blog; jekyll-seo: authors from _data and as maps (email, uri),
  // descriptions as summaries, images, and same-day posts cut at posts_limit.
  it.each(['jekyll-theme', 'jekyll-seo'])('%s: the same feed id, links, title, author, and the same entries with the same ids, links, dates, authors, categories, summaries and images', async (name) => {
    const expected = JSON.parse(readFileSync(path.join(here, `${name}.feed.expected.json`), 'utf8'));
    const source = path.join(here, '../fixtures', name);
    const { outputs } = await buildInMemory(loadConfig(source, { destination: '/nonexistent-quire-test-output' }));
    const feed = outputs.find((output) => output.path === 'feed.xml')!;
    const { jekyll, plugin, fixture, ...want } = expected;
    expect(feedFields(feed.contents as string)).toEqual(want);
    expect([jekyll, plugin, fixture]).toEqual(['jekyll 4.3.1', expect.any(String), `test/fixtures/${name}`]);
  });
});
