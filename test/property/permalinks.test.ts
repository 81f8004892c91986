/**
 * For any post the permalink builder accepts, the output path is a safe relative path inside the
 * destination; anything else is a PermalinkError (which readPost turns into an InputError).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandPermalinkStyle, outputPathFor, PermalinkError, permalinkFor, postLocation, type PermalinkInput } from '../../src/site/permalinks.js';
import { permalinkTemplate, trickyText, unsafeOutputPath } from './arbitraries.js';

/** Dates from year 0 to 9999 at any offset a zone can have. */
const instant = fc.record({
  epochMs: fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_000 }),
  offsetMinutes: fc.integer({ min: -12 * 60, max: 14 * 60 }),
});

const input: fc.Arbitrary<PermalinkInput> = fc.record(
  {
    date: instant,
    categories: fc.array(trickyText, { maxLength: 3 }),
    basename: trickyText,
    slug: fc.option(trickyText, { nil: undefined }),
    title: fc.option(trickyText, { nil: undefined }),
    // What readPost passes; a front-matter permalink's own extension (any ".x") is covered by outputExtFor.
    outputExt: fc.constantFrom('.html', '.htm', '.xml', '.'),
    collection: fc.option(fc.constantFrom('posts', '..', 'a/b', ''), { nil: undefined }),
    path: fc.option(trickyText.map((name) => `_posts/${name}.md`), { nil: undefined }),
  },
  { requiredKeys: ['date', 'categories', 'basename', 'outputExt'] },
);

/** The result of `fn`, or null when it threw a PermalinkError; other errors fail the property. */
function orPermalinkError<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PermalinkError) return null;
    throw error;
  }
}

describe('permalinks for any post', () => {
  it('postLocation gives a safe output path or throws PermalinkError', () => {
    fc.assert(
      fc.property(input, permalinkTemplate, fc.option(permalinkTemplate, { nil: undefined }), (post, site, frontMatter) => {
        const location = orPermalinkError(() => postLocation(post, expandPermalinkStyle(site), frontMatter));
        if (location === null) return;
        expect(unsafeOutputPath(location.outputPath)).toBeNull();
        expect(location.url.startsWith('/')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('permalinkFor + outputPathFor give a safe output path or throw PermalinkError', () => {
    fc.assert(
      fc.property(input, permalinkTemplate, fc.constantFrom('.html', '.xml'), (post, template, ext) => {
        const outputPath = orPermalinkError(() => outputPathFor(permalinkFor(post, template), ext));
        if (outputPath !== null) expect(unsafeOutputPath(outputPath)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('outputPathFor on any URL gives a safe path or throws PermalinkError', () => {
    fc.assert(
      fc.property(fc.oneof(trickyText, trickyText.map((text) => `/${text}`), fc.webUrl().map((url) => new URL(url).pathname)), fc.constantFrom('.html', '.xml'), (url, ext) => {
        const outputPath = orPermalinkError(() => outputPathFor(url, ext));
        if (outputPath !== null) expect(unsafeOutputPath(outputPath)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });
});

describe('cases the properties found', () => {
  it('refuses a URL that names the destination itself (`permalink: /:title.` with an empty slug)', () => {
    const post: PermalinkInput = { date: { epochMs: 0, offsetMinutes: 0 }, categories: [], basename: 'a', slug: '', outputExt: '.html' };
    expect(() => postLocation(post, expandPermalinkStyle('date'), '/:title.')).toThrow(/names the site folder itself/);
    expect(() => outputPathFor('/.', '.')).toThrow(PermalinkError);
  });
});
