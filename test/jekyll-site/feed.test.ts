import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
// @ts-expect-error: a plain .mjs helper shared with the recorder
import { feedFields } from './feed-fields.mjs';

const here = import.meta.dirname;
const expected = JSON.parse(readFileSync(path.join(here, 'jekyll-theme.feed.expected.json'), 'utf8'));

describe('feed.xml of a Jekyll site, against what jekyll-feed wrote', () => {
  it('has the same feed id, links, title, author, and the same entries with the same ids, links, dates, authors, categories and summaries', async () => {
    const source = path.join(here, '../fixtures/jekyll-theme');
    const { outputs } = await buildInMemory(loadConfig(source, { destination: '/nonexistent-quire-test-output' }));
    const feed = outputs.find((output) => output.path === 'feed.xml')!;
    const { jekyll, plugin, fixture, ...want } = expected;
    expect(feedFields(feed.contents as string)).toEqual(want);
    expect([jekyll, plugin, fixture]).toEqual(['jekyll 4.3.1', expect.any(String), 'test/fixtures/jekyll-theme']);
  });
});
