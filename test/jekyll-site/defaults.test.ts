/**
 * Front matter defaults against what Jekyll 4.3.1 gave each page and post of the same tree
 * (defaults.expected.json, recorded by record.mjs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDefaults, frontMatterDefaults } from '../../src/content/defaults.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
import { parseYaml } from '../../src/content/yaml.js';
import { buildWholeSite } from '../../src/parallel/build.js';
import { loadConfig } from '../../src/config.js';
import { writeSite } from '../helpers/site.js';

const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, 'defaults.expected.json'), 'utf8')) as {
  config: string;
  tree: Record<string, string>;
  files: Array<Record<string, unknown> & { path: string }>;
};
const defaults = (parseYaml(recorded.config) as { defaults: unknown }).defaults;

describe('front matter defaults against Jekyll 4.3.1', () => {
  it.each(recorded.files.map((file) => [file.path, file] as const))('%s', (file, expected) => {
    const { data } = splitFrontMatter(recorded.tree[file]!, file);
    const type = file.startsWith('_posts/') ? 'posts' : 'pages';
    const merged = applyDefaults(data, defaults, file, type);
    const { path: _, ...keys } = expected;
    for (const [key, value] of Object.entries(keys)) expect(merged[key] ?? null, key).toEqual(value);
  });
});

describe('applyDefaults', () => {
  it('lets a file\'s own date win over a default date, both YAML timestamps (not merged as maps)', () => {
    const defaultsWithDate = parseYaml('- scope: { path: "" }\n  values: { date: 2020-01-01 }\n');
    const { data } = splitFrontMatter('---\ndate: 2024-03-20 10:00:00\n---\n', '_posts/2024-03-20-a.md');
    const merged = applyDefaults(data, defaultsWithDate, '_posts/2024-03-20-a.md', 'posts');
    expect(merged.date).toBe(data.date);
    expect(String(merged.date)).toBe('2024-03-20 10:00:00');
  });
});

describe('frontMatterDefaults', () => {
  it('lets a longer scope path win, then a scope with a type, compared with the last winner (so order matters, as in Jekyll)', () => {
    const a = { scope: { path: 'a' }, values: { x: 'a', y: 'a' } };
    const aPages = { scope: { path: 'a', type: 'pages' }, values: { y: 'a-pages' } };
    const ab = { scope: { path: 'a/b' }, values: { x: 'ab' } };
    expect(frontMatterDefaults([a, aPages, ab], 'a/b/c.md', 'pages')).toEqual({ x: 'ab', y: 'a-pages' });
    // After a/b has won, neither shorter set takes precedence: both only fill in missing keys.
    expect(frontMatterDefaults([ab, a, aPages], 'a/b/c.md', 'pages')).toEqual({ x: 'ab', y: 'a' });
    expect(frontMatterDefaults([a, aPages, ab], 'a/c.md', 'posts')).toEqual({ x: 'a', y: 'a' });
  });

  it('ignores what is not a list of { scope, values } sets', () => {
    expect(frontMatterDefaults(undefined, 'a.md', 'pages')).toEqual({});
    expect(frontMatterDefaults({ scope: {} }, 'a.md', 'pages')).toEqual({});
    expect(frontMatterDefaults([{ scope: { path: '' } }, 'x', { values: { a: 1 } }], 'a.md', 'pages')).toEqual({ a: 1 });
  });

  it('matches globs folder by folder', () => {
    const sets = [{ scope: { path: 'docs/**/*.md' }, values: { doc: true } }, { scope: { path: '/assets/*' }, values: { asset: true } }];
    expect(frontMatterDefaults(sets, 'docs/a/b/c.md', 'pages')).toEqual({ doc: true });
    expect(frontMatterDefaults(sets, 'docs/c.md', 'pages')).toEqual({ doc: true });
    expect(frontMatterDefaults(sets, 'docs/c.html', 'pages')).toEqual({});
    expect(frontMatterDefaults(sets, 'assets/img/a.png', 'static')).toEqual({ asset: true });
  });
});

describe('defaults in a Quire site', () => {
  it('apply to its posts as in a Jekyll site: the same URL as Jekyll 4.3.1 gave (/deflt/2024/01/01/a.html), on both threads', async () => {
    const site = writeSite({
      '_config.yml': 'defaults:\n  - scope: {path: "", type: posts}\n    values: {categories: [deflt], author: DefAuthor}\n',
      'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx\n',
      'posts/2024-01-02-b.md': '---\ntitle: B\ncategories: [own]\n---\ny\n',
    });
    const result = await buildWholeSite(loadConfig(site), { previous: null, fresh: true, maxThreads: 2 });
    expect(result.write.changedPaths).toEqual(expect.arrayContaining(['deflt/2024/01/01/a.html', 'own/2024/01/02/b.html']));
    expect(readFileSync(path.join(site, '_site', 'deflt', '2024', '01', '01', 'a.html'), 'utf8')).toContain('<meta name="author" content="DefAuthor">');
  });
});
