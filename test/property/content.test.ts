/**
 * Whatever a writer puts in a post file, reading it either gives a post (or a reason to skip it)
 * or throws an InputError that names the file - never a TypeError or a crash.
 */
import fc from 'fast-check';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
import { parseYaml } from '../../src/content/yaml.js';
import { readPost } from '../../src/content/post.js';
import { InputError } from '../../src/errors.js';
import type { Source } from '../../src/types.js';
import { FIXED_NOW } from '../helpers/site.js';
import { permalinkTemplate, postPath, postText, unsafeOutputPath } from './arbitraries.js';

const RUNS = { numRuns: 1500 };

/** Runs `fn`; an InputError naming `file` is a fine outcome, anything else thrown fails the property. */
function onlyInputErrors<T>(file: string, fn: () => T): T | InputError {
  try {
    return fn();
  } catch (error) {
    if (error instanceof InputError) {
      expect(error.file).toBe(file);
      expect(error.message.length).toBeGreaterThan(0);
      if (error.line !== undefined) expect(error.line).toBeGreaterThanOrEqual(1);
      return error;
    }
    throw error;
  }
}

describe('splitFrontMatter on any text', () => {
  it('returns data and body, or throws an InputError naming the file', () => {
    fc.assert(
      fc.property(postText, (text) => {
        const result = onlyInputErrors('posts/x.md', () => splitFrontMatter(text, 'posts/x.md'));
        if (result instanceof InputError) return;
        expect(typeof result.body).toBe('string');
        expect(result.data !== null && typeof result.data === 'object' && !Array.isArray(result.data)).toBe(true);
        expect(result.bodyLine).toBeGreaterThanOrEqual(1);
        // The body is the end of the file.
        expect(text.endsWith(result.body) || text.replace(/^\ufeff/, '').endsWith(result.body)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('splitFrontMatter gives what gray-matter gives for the whole file', () => {
  it('though gray-matter only sees the front matter, for the same data and body (Jekyll\'s closing line aside)', () => {
    const closing = fc.constantFrom('---', '--- ', '----', '---x', '---\r');
    const line = fc.oneof(fc.constantFrom('title: A', 'n: 1', 'tags: [a, b]', '# note', '', '---', 'x: "---"'), fc.string({ maxLength: 12 }));
    const text = fc
      .tuple(fc.array(line, { maxLength: 5 }), closing, fc.constantFrom('\n', '\r\n', '\n\n', '', '\r\n\r\n'), fc.string({ maxLength: 40 }))
      .map(([lines, close, gap, body]) => `---\n${lines.join('\n')}\n${close}${gap}${body}`);
    fc.assert(
      fc.property(text, (file) => {
        let whole: ReturnType<typeof matter>;
        try {
          whole = matter(file, { engines: { yaml: (yaml: string) => parseYaml(yaml) as object } } as unknown as Parameters<typeof matter>[1]);
        } catch {
          return; // bad YAML: splitFrontMatter's errors have tests of their own
        }
        let split: ReturnType<typeof splitFrontMatter>;
        try {
          split = splitFrontMatter(file, 'posts/x.md');
        } catch (error) {
          // Quire also refuses front matter whose data is not a map, or that no `---` line closes.
          expect(error).toBeInstanceOf(InputError);
          return;
        }
        // Spaces after the closing `---` close it too, as in Jekyll; gray-matter gives them to the body.
        expect([whole.content, whole.content.replace(/^[ \t]+(\r?\n)?/, '')]).toContain(split.body);
        expect(split.data).toEqual(whole.data);
      }),
      RUNS,
    );
  });
});

describe('readPost on any file name, front matter and body', () => {
  it('gives a post with a safe output path, a skip or a warning, or throws an InputError', () => {
    fc.assert(
      fc.property(postPath, postText, permalinkTemplate, fc.boolean(), (relativePath, text, permalink, future) => {
        // A permalink pattern Jekyll cannot expand is the configuration's mistake, named there.
        const config = onlyInputErrors('_config.yml', () => resolveConfig('/site', { timezone: 'UTC', permalink, future, show_drafts: true }));
        if (config instanceof InputError) return;
        const source: Source = {
          kind: relativePath.includes('_drafts/') ? 'draft' : 'post',
          relativePath,
          absolutePath: `/site/${relativePath}`,
          text,
          mtimeMs: FIXED_NOW.epochMs,
        };
        const result = onlyInputErrors(relativePath, () => readPost(source, config, FIXED_NOW));
        if (result instanceof InputError) return;
        if ('post' in result) {
          const { post } = result;
          expect(unsafeOutputPath(post.outputPath)).toBeNull();
          expect(post.url.startsWith('/')).toBe(true);
          expect(typeof post.title).toBe('string');
          expect(Number.isFinite(post.date.epochMs)).toBe(true);
          if (post.coordinates !== null) for (const n of post.coordinates) expect(n >= 0 && n <= 1).toBe(true);
        } else if ('warning' in result) {
          expect(result.warning).toContain(relativePath);
        } else {
          expect(['unpublished', 'future']).toContain(result.skipped);
        }
      }),
      RUNS,
    );
  });

  it('reads an empty file as a post with no front matter, as Jekyll does', () => {
    const config = resolveConfig('/site', { timezone: 'UTC' });
    const result = readPost({ kind: 'post', relativePath: 'posts/2024-01-01-empty.md', absolutePath: '/site/posts/2024-01-01-empty.md', text: '' }, config, FIXED_NOW);
    expect(result).toMatchObject({ post: { title: 'Empty', body: '', outputPath: '2024/01/01/empty.html' } });
  });
});
