/** The Textile-notes plugin must never throw, whatever Markdown a post holds. */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { createMarkdown, PLAIN_URL } from '../../src/markup/markdown.js';
import { textileNotes } from '../../src/markup/textile-notes.js';
import { anyText } from './arbitraries.js';

/** Pieces that steer markdown-it and the plugin into their corners. */
const PIECES = [
  'fn1. ', 'fn01. ', 'fn2.', ' fn3.  ', 'fn12345678901234567890. ', 'p1. ', 'p7. ', '  p65. ', 'p1.', '[1]', '[2]', '[01]', '\\[1]', '[1](x)', '[1]: http://x',
  '[^1]', '[^1]: note', '![alt [1]](i.png)', '[see [1]](u)', '`[1]`', '```\n', '~~~', '    code', '\n', '\n\n', '\r\n', '---', '***', '===', '> ', '- ', '1. ',
  '* ', '# ', '## ', '| a | b |\n|---|---|\n', '<div>', '</div>', '<!--', '-->', '*', '_', '[', ']', '(', ')', '<', '>', '&', '&#0;', '\t', '\0', '\ud83d',
  'text', ' ', '{#id}', '{:.class}',
];
const markdown = fc.oneof(
  fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: anyText }), { maxLength: 40 }).map((parts) => parts.join('')),
  anyText,
);
const env = fc.oneof(fc.constant({}), fc.record({ docId: fc.oneof(fc.string(), fc.integer()) }), fc.constant({ textileNotes: 'stale' }));

describe('textile notes on random Markdown', () => {
  const bare = new MarkdownIt().use(textileNotes);
  const full = createMarkdown();

  it('renders without throwing, alone and with the rest of Quire\'s Markdown', () => {
    fc.assert(
      fc.property(markdown, env, (text, environment) => {
        expect(typeof bare.render(text, { ...environment })).toBe('string');
        expect(typeof full.render(text, { ...environment })).toBe('string');
        expect(typeof bare.renderInline(text, { ...environment })).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('gives each note id at most once per document', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        const html = full.render(text, {});
        const ids = [...html.matchAll(/ id="(tfn(?:ref)?-[^"]*)"/g)].map((match) => match[1]);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('link targets that skip markdown-it\'s normalizeLink', () => {
  const stock = new MarkdownIt();
  const urlChar = fc.constantFrom(...'abcXYZ09-._~:/?#!$&\'()*+,;=@%[] ä'.split(''));
  const candidate = fc
    .tuple(fc.constantFrom('', 'http://', 'https://', 'HTTP://', 'mailto:', '//', 'ftp://', 'javascript:', '/', '#', 'a@', 'http://a.b', 'https://x.example:80'), fc.array(urlChar, { maxLength: 30 }))
    .map(([scheme, chars]) => scheme + chars.join(''));

  it('are only those it would return unchanged', () => {
    fc.assert(
      fc.property(candidate, (url) => {
        if (PLAIN_URL.test(url)) expect(stock.normalizeLink(url)).toBe(url);
      }),
      { numRuns: 20000 },
    );
  });

  it('include the usual links of a blog', () => {
    for (const url of ['https://example.org/will-611', 'http://www.w3.org/TR/html5/#x', '/posts/a-title/', '#fn1', 'page.html', '../up/', '?q=1&r=2']) {
      expect(PLAIN_URL.test(url)).toBe(true);
      expect(stock.normalizeLink(url)).toBe(url);
    }
  });

  it('leave other targets to it: links render as stock markdown-it renders them', () => {
    const full = createMarkdown();
    const url = fc.oneof(candidate, fc.string({ maxLength: 20 }), fc.constantFrom('http://bücher.example/ä', 'a b', '100%', 'x%41', '[v6]', 'http://[::1]/'));
    fc.assert(
      fc.property(url, (target) => {
        expect(full.normalizeLink(target)).toBe(stock.normalizeLink(target));
      }),
      { numRuns: 3000 },
    );
  });
});
