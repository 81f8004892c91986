import { describe, expect, it } from 'vitest';
import { createMarkdown } from '../../src/markup/markdown.js';

describe("kramdown's typographic symbols", () => {
  const md = createMarkdown();

  it('turns guillemets inside link text, and text markdown-it scans ahead through, into « and »', () => {
    // As Jekyll 4.3.1 writes them. markdown-it looks for the end of a link's text in silent mode:
    // the rule must move on there too (it threw "inline rule didn't increment state.pos").
    expect(md.render('[a <<b>> c](/x)')).toBe('<p><a href="/x">a «b» c</a></p>\n');
    expect(md.render('[<</div>')).toBe('<p>[«/div&gt;</p>\n');
  });

  it('leaves code, and the address of an autolink, as written', () => {
    expect(md.render('`a -- b...` <https://example.com/a--b...>')).toBe(
      '<p><code class="language-plaintext highlighter-rouge">a -- b...</code> <a href="https://example.com/a--b...">https://example.com/a--b...</a></p>\n',
    );
  });
});
