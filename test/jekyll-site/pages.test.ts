/**
 * Which files of a Jekyll site are pages, static files or skipped, and each page's URL, against
 * what Jekyll 4.3.1 did with the same tree (file-rules.expected.json, recorded by record.mjs)
 * and with the conformance sites' about.md pages.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { classifyJekyllFiles, fnmatch, hasYamlHeader, isDataFile, layoutName, pageUrl, pageVariables } from '../../src/content/pages.js';
import { PermalinkError } from '../../src/site/permalinks.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';

interface FileRules {
  config: { exclude: string[]; include: string[] };
  tree: Record<string, string>;
  static: string[];
  styles: Record<string, { pages: Record<string, string>; files: string[] }>;
}

const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, 'file-rules.expected.json'), 'utf8')) as FileRules;
/** The config as Quire reads it: Jekyll's default excludes added to the site's. */
const config = resolveConfig('/site', recorded.config);
const tree = new Map(Object.entries(recorded.tree));
const classified = classifyJekyllFiles(tree.keys(), config, (file) => hasYamlHeader(tree.get(file)!));

describe('classifyJekyllFiles on a tree Jekyll 4.3.1 read', () => {
  const pagesOf = (style: string) => Object.keys(recorded.styles[style]!.pages).sort();

  it('finds the pages Jekyll rendered (urls.json lists site.pages)', () => {
    expect([...classified.pages].sort()).toEqual(pagesOf('date'));
  });

  it('finds the static files Jekyll copied', () => {
    expect([...classified.staticFiles].sort()).toEqual(recorded.static);
  });

  it('lists layouts, includes and data apart, and posts and drafts nowhere', () => {
    expect(classified.layouts).toEqual(['_layouts/default.html']);
    expect(classified.includes).toEqual(['_includes/x.html']);
    expect(classified.data).toEqual(['_data/d.yml']);
    const everywhere = [...classified.pages, ...classified.staticFiles];
    expect(everywhere.filter((file) => file.includes('_posts/') || file.includes('_drafts/'))).toEqual([]);
  });

  it('skips the default excludes even when the site sets its own', () => {
    for (const skipped of ['Gemfile', 'Gemfile.lock', 'node_modules/pkg/index.js', 'vendor/bundle/x.rb']) {
      expect([...classified.pages, ...classified.staticFiles]).not.toContain(skipped);
    }
    expect(classified.staticFiles).toContain('vendor/other/x.js');
  });

  it('matches exclude entries as Jekyll does: globs across folders, plain prefixes', () => {
    const rules = { exclude: ['README', '*.txt', 'docs/secret.md', 'build/'], include: [] };
    const { staticFiles } = classifyJekyllFiles(
      ['README.md', 'README-dir/a.md', 'a/b/notes.txt', 'docs/secret.md.bak', 'docs/public.md', 'build/x.js', 'builder/y.js'],
      rules,
      () => false,
    );
    expect(staticFiles).toEqual(['docs/public.md', 'builder/y.js']);
  });

  it('skips the destination folder when it sits in the source', () => {
    const { staticFiles } = classifyJekyllFiles(['out/index.html', 'output.css', 'a.css'], { exclude: [], include: [], destination: 'out' }, () => false);
    expect(staticFiles).toEqual(['output.css', 'a.css']);
  });
});

describe('pageUrl on the same tree, under each permalink style Jekyll 4.3.1 built', () => {
  for (const [style, expected] of Object.entries(recorded.styles)) {
    it(`permalink: ${style}`, () => {
      const urls: Record<string, string> = {};
      const outputs = new Set<string>();
      for (const page of classified.pages) {
        const { data } = splitFrontMatter(tree.get(page)!, page);
        const location = pageUrl(page, data, style);
        urls[page] = location.url;
        outputs.add(location.outputPath);
      }
      expect(urls).toEqual(expected.pages);
      for (const file of classified.staticFiles) outputs.add(file);
      // Everything Jekyll wrote is a page or a static file, except the two posts.
      const rest = expected.files.filter((file) => !outputs.has(file));
      expect(rest).toHaveLength(2);
      expect([...outputs].filter((file) => !expected.files.includes(file))).toEqual([]);
    });
  }
});

describe('pageUrl', () => {
  it('matches the about.md pages of the conformance sites', () => {
    const root = path.join(import.meta.dirname, '..', 'conformance');
    for (const file of readdirSync(path.join(root, 'expected')).filter((name) => name.startsWith('permalink-'))) {
      const expected = JSON.parse(readFileSync(path.join(root, 'expected', file), 'utf8')) as { fixture: string; files: string[] };
      const site = path.join(root, expected.fixture);
      const permalink = /^permalink: (.*)$/m.exec(readFileSync(path.join(site, '_config.yml'), 'utf8'))?.[1];
      for (const page of readdirSync(site).filter((name) => name.endsWith('.md'))) {
        expect(expected.files, `${expected.fixture}/${page}`).toContain(pageUrl(page, {}, permalink).outputPath);
      }
    }
  });

  it('tells how the text is converted and which extension it gets', () => {
    expect(pageUrl('about.md', {}, 'date')).toEqual({ url: '/about.html', outputPath: 'about.html', outputExt: '.html', converter: 'markdown' });
    expect(pageUrl('notes/x.mkd', {}, 'date').converter).toBe('markdown');
    expect(pageUrl('notes/x.txt', {}, 'date')).toEqual({ url: '/notes/x.txt', outputPath: 'notes/x.txt', outputExt: '.txt', converter: 'none' });
    expect(pageUrl('css/main.scss', {}, 'pretty')).toEqual({ url: '/css/main.css', outputPath: 'css/main.css', outputExt: '.css', converter: 'sass' });
    expect(pageUrl('notes/x.rst', {}, 'date', ['rst'])).toMatchObject({ url: '/notes/x.html', converter: 'markdown' });
  });

  it('takes an empty permalink as the site root, and refuses one that climbs out', () => {
    expect(pageUrl('x.md', { permalink: '' }, 'date')).toMatchObject({ url: '/', outputPath: 'index.html' });
    expect(() => pageUrl('x.md', { permalink: '/a/%2e%2e/%2e%2e/b.html' }, 'date')).toThrow(PermalinkError);
  });
});

describe('helpers', () => {
  it('detects front matter as Jekyll’s has_yaml_header? does', () => {
    expect(hasYamlHeader('---\ntitle: x\n---\n')).toBe(true);
    expect(hasYamlHeader('--- \r\nx: 1\n---\n')).toBe(true);
    expect(hasYamlHeader('---\n---\n')).toBe(true);
    expect(hasYamlHeader('\uFEFF---\n---\n')).toBe(true);
    expect(hasYamlHeader('----\n')).toBe(false);
    expect(hasYamlHeader('--- x\n')).toBe(false);
    expect(hasYamlHeader('text\n---\n')).toBe(false);
    expect(hasYamlHeader('---')).toBe(false);
  });

  it('matches globs as Ruby’s File.fnmatch without flags', () => {
    expect(fnmatch('/*.md', '/.hidden.md')).toBe(true);
    expect(fnmatch('/*.md', '/a/b.md')).toBe(true);
    expect(fnmatch('/**/x', '/x')).toBe(false);
    expect(fnmatch('/[ab]', '/a')).toBe(true);
    expect(fnmatch('/[!ab]', '/a')).toBe(false);
    expect(fnmatch('/{a,b}', '/a')).toBe(false);
    expect(fnmatch('/a?c', '/a/c')).toBe(true);
  });

  it('names layouts and recognises data files', () => {
    expect(layoutName('default.html')).toBe('default');
    expect(layoutName('blog/post.liquid')).toBe('blog/post');
    expect(layoutName('x.min.html')).toBe('x.min');
    expect(isDataFile('authors/jane.yml')).toBe(true);
    expect(isDataFile('nav.YML')).toBe(false);
    expect(isDataFile('.hidden/x.yml')).toBe(false);
    expect(isDataFile('notes.txt')).toBe(false);
  });

  it('gives a page Jekyll’s own variables over its front matter', () => {
    expect(pageVariables('blog/about.md', { title: 'About', url: 'ignored' }, { url: '/blog/about.html' })).toEqual({
      title: 'About',
      url: '/blog/about.html',
      path: 'blog/about.md',
      name: 'about.md',
      dir: '/blog/',
    });
    expect(pageVariables('blog/index.html', {}, { url: '/blog/' }).dir).toBe('/blog/');
  });

  it('classifies a real folder listing', () => {
    const site = path.join(import.meta.dirname, '..', 'conformance', 'sites', 'permalink-pretty');
    const files = (readdirSync(site, { recursive: true, withFileTypes: true }) as Array<import('node:fs').Dirent & { parentPath: string }>)
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(site, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort();
    const result = classifyJekyllFiles(files, resolveConfig(site, {}), (file) => hasYamlHeader(readFileSync(path.join(site, file), 'utf8')));
    expect(result.pages).toEqual(['about.md', 'site.json']);
    expect(result.staticFiles).toEqual([]);
    expect(result.layouts).toEqual(['_layouts/default.html', '_layouts/post.html']);
  });
});
