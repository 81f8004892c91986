/** The slugger takes anything and never throws; its default slugs are safe in a URL path segment. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugify } from '../../src/site/slugify.js';
import { anyText, trickyText } from './arbitraries.js';

const text = fc.oneof(anyText, trickyText, fc.string({ unit: 'grapheme', maxLength: 30 }));
const mode = fc.oneof(fc.constantFrom('none', 'raw', 'default', 'pretty', 'ascii', 'latin', undefined), fc.string({ maxLength: 6 }));

describe('slugify', () => {
  it('never throws, on any value and mode', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.anything({ withNullPrototype: true, withToStringTag: true })), mode, fc.boolean(), (value, slugMode, cased) => {
        expect(typeof slugify(value, slugMode, cased)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a map that hides toString as an object instead of throwing', () => {
    expect(slugify({ toString: 1 })).toBe('object-object');
    expect(slugify(Object.create(null))).toBe('object-object');
  });

  it('in default mode gives no "/", "?", "#" or whitespace, and no hyphen at either end', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (value, cased) => {
        const slug = slugify(value, 'default', cased);
        expect(slug).not.toMatch(/[/?#\s]/u);
        expect(slug).not.toMatch(/^-|-$/);
        expect(slugify(slug, 'default', cased)).toBe(slug); // slugs are stable
      }),
      { numRuns: 3000 },
    );
  });

  it('in pretty and ascii mode also keeps "/", "?" and "#" out', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('pretty', 'ascii', 'latin'), (value, slugMode) => {
        expect(slugify(value, slugMode)).not.toMatch(/[/?#\s]/u);
      }),
      { numRuns: 2000 },
    );
  });
});
