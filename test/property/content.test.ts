/**
 * Whatever a writer puts in a post file, reading it either gives a post (or a reason to skip it)
 * or throws an InputError that names the file - never a TypeError or a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
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

describe('readPost on any file name, front matter and body', () => {
  it('gives a post with a safe output path, a skip or a warning, or throws an InputError', () => {
    fc.assert(
      fc.property(postPath, postText, permalinkTemplate, fc.boolean(), (relativePath, text, permalink, future) => {
        const config = resolveConfig('/site', { timezone: 'UTC', permalink, future, show_drafts: true });
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
