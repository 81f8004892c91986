import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';
import type { PluginSimple } from 'markdown-it';
import markdownItFootnote from 'markdown-it-footnote';
import { textileNotes } from '../../src/markup/textile-notes.js';

// @types/markdown-it-footnote 3 is written against markdown-it's CommonJS types.
const footnote = markdownItFootnote as unknown as PluginSimple;

const SEED_POST = fileURLToPath(
  new URL('../../posts/2024-03-20-large-language-models-have-passed-the-self-replicating-red-line.md', import.meta.url),
);

/** The options the site uses. */
function site(): MarkdownIt {
  return new MarkdownIt({ typographer: true, html: true, linkify: false }).use(footnote).use(textileNotes);
}

function render(source: string, env: Record<string, unknown> = {}): string {
  return site().render(source, env);
}

function all(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((match) => match[1]);
}

/** Every in-page link lands on exactly one element. */
function expectLinksResolve(html: string): void {
  const ids = all(html, /\sid="([^"]*)"/g);
  expect(new Set(ids).size, `duplicate ids in ${ids.join(', ')}`).toBe(ids.length);
  for (const target of all(html, /\shref="#([^"]*)"/g)) {
    expect(ids, `href="#${target}" has no target`).toContain(target);
  }
}

function textileRefs(html: string): string[] {
  return all(html, /<sup class="footnote-ref"[^>]*><a href="#(tfn-[^"]*)">/g);
}

describe('reference blocks in the seed post', () => {
  const { content } = matter(readFileSync(SEED_POST, 'utf8'));
  const html = render(content);
  const section = html.slice(html.indexOf('<section class="references">'));

  it('renders the four pN. lines as one reference list after the kept <hr>', () => {
    expect(html.match(/<section class="references">/g)).toHaveLength(1);
    expect(html).toMatch(/<hr>\n<section class="references">\n<h2 class="references-title">References<\/h2>\n<ol class="references-list">\n<li class="reference">/);
    expect(section.match(/<li class="reference">/g)).toHaveLength(4);
    expect(section).toMatch(/<\/ol>\n<\/section>\n$/);
  });

  it('keeps the page locators, in order, with repeats', () => {
    expect(all(section, /<span class="reference-locator">p\.&nbsp;(\d+)<\/span>/g)).toEqual(['1', '1', '7', '65']);
  });

  it('renders inline markup in the citations', () => {
    expect(section).toContain(
      '<li class="reference"><span class="reference-locator">p.&nbsp;1</span> '
        + '<em>Consensus Statement On Red Lines In Artificial Intelligence</em> (IDAIS, March 2024)</li>',
    );
    expect(section).toContain('‘Core Views on AI Safety: When, Why, What, and How’, <em>Anthropic</em>, 2023</li>');
    expect(section).toContain(
      '<span class="reference-locator">p.&nbsp;65</span> Sparrow, Robert, ‘Killer Robots’, '
        + '<em>Journal of Applied Philosophy</em>, 24.1 (2007)</li>',
    );
  });

  it('leaves no pN. text or paragraph behind and the body untouched', () => {
    expect(html).not.toMatch(/\bp\d+\./);
    expect(html).toContain('<p>A central issue in AI Ethics is autonomy.');
    expect(html).toMatch(/without transcending ourselves\.<\/p>\n<hr>\n<section class="references">/);
  });
});

describe('reference blocks', () => {
  it('are recognised without a preceding thematic break', () => {
    const html = render('Intro.\n\np3. _Book_, 1999\np4. Other, 2001\n');
    expect(html).toBe(
      '<p>Intro.</p>\n<section class="references">\n<h2 class="references-title">References</h2>\n<ol class="references-list">\n'
        + '<li class="reference"><span class="reference-locator">p.&nbsp;3</span> <em>Book</em>, 1999</li>\n'
        + '<li class="reference"><span class="reference-locator">p.&nbsp;4</span> Other, 2001</li>\n'
        + '</ol>\n</section>\n',
    );
  });

  it('split into separate lists when prose stands between them', () => {
    const html = render('p1. A\n\nSome prose.\n\np2. B\n');
    expect(html.match(/<section class="references">/g)).toHaveLength(2);
    expect(html).toContain('<p>Some prose.</p>');
  });

  it('leave pN. in mid-paragraph alone', () => {
    expect(render('See p1. of the book for details.\n')).toBe('<p>See p1. of the book for details.</p>\n');
  });

  it('leave a pN. paragraph mixed with ordinary lines alone', () => {
    expect(render('p1. A citation\nbut this line is prose\n')).toBe('<p>p1. A citation\nbut this line is prose</p>\n');
    expect(render('Prose first\np1. A citation\n')).toBe('<p>Prose first\np1. A citation</p>\n');
  });

  it('leave pN. in code, blockquotes and lists alone', () => {
    expect(render('```\np1. code\n```\n')).toBe('<pre><code>p1. code\n</code></pre>\n');
    expect(render('    p1. indented code\n')).toBe('<pre><code>p1. indented code\n</code></pre>\n');
    expect(render('> p1. quoted\n')).toBe('<blockquote>\n<p>p1. quoted</p>\n</blockquote>\n');
    expect(render('- p1. item\n')).toBe('<ul>\n<li>p1. item</li>\n</ul>\n');
  });

  it('need text after the locator', () => {
    expect(render('p1.\n')).toBe('<p>p1.</p>\n');
    expect(render('p1.5 million\n')).toBe('<p>p1.5 million</p>\n');
    expect(render('pp1. x\n')).toBe('<p>pp1. x</p>\n');
  });
});

describe('footnote definitions and references', () => {
  const source = [
    'A claim[1], another[2] and the first again[1].',
    '',
    'fn1. First _note_ with a [link](https://example.com/a?b=1&c=2) and `code`.',
    'fn2. Second *note*',
    'continues here.',
    '',
  ].join('\n');
  const html = render(source);

  it('turns [N] into a numbered reference linking to note N', () => {
    expect(html).toContain(
      '<p>A claim<sup class="footnote-ref" id="tfnref-1"><a href="#tfn-1">1</a></sup>, '
        + 'another<sup class="footnote-ref" id="tfnref-2"><a href="#tfn-2">2</a></sup> and the first '
        + 'again<sup class="footnote-ref" id="tfnref-1-2"><a href="#tfn-1">1</a></sup>.</p>',
    );
  });

  it('renders consecutive definition lines as separate notes with inline markup and back links', () => {
    expect(html).toContain(
      '<div class="footnotes footnotes-textile">\n<ol class="footnotes-list">\n'
        + '<li class="footnote-item" id="tfn-1" value="1">First <em>note</em> with a '
        + '<a href="https://example.com/a?b=1&amp;c=2">link</a> and <code>code</code>. '
        + '<a href="#tfnref-1" class="footnote-backref" aria-label="Back to reference 1">↩</a></li>\n'
        + '<li class="footnote-item" id="tfn-2" value="2">Second <em>note</em>\ncontinues here. '
        + '<a href="#tfnref-2" class="footnote-backref" aria-label="Back to reference 2">↩</a></li>\n'
        + '</ol>\n</div>\n',
    );
  });

  it('produces only links that resolve', () => {
    expectLinksResolve(html);
  });

  it('collects blank-line separated definitions into one list where they stand', () => {
    const out = render('Before[7].\n\nfn7. Seven\n\nfn9. Nine\n\nAfter[9].\n');
    expect(out.match(/<div class="footnotes footnotes-textile">/g)).toHaveLength(1);
    expect(out.indexOf('<div class="footnotes')).toBeLessThan(out.indexOf('<p>After'));
    expect(all(out, /<li class="footnote-item" id="(tfn-\d+)"/g)).toEqual(['tfn-7', 'tfn-9']);
    expectLinksResolve(out);
  });

  it('resolves references that come after the definition', () => {
    const out = render('fn3. Early note\n\nLate reference[3].\n');
    expect(textileRefs(out)).toEqual(['tfn-3']);
    expect(out).toContain('<a href="#tfnref-3" class="footnote-backref"');
    expectLinksResolve(out);
  });

  it('omits the back link of a note nobody references', () => {
    const out = render('No reference here.\n\nfn1. Lonely note\n');
    expect(out).toContain('<li class="footnote-item" id="tfn-1" value="1">Lonely note</li>');
    expect(out).not.toContain('footnote-backref');
  });

  it('lists a duplicate definition without repeating its id', () => {
    const out = render('Ref[1].\n\nfn1. First\nfn1. Again\n');
    expect(out).toContain('<li class="footnote-item" value="1">Again</li>');
    expectLinksResolve(out);
  });

  it('leaves [N] literal when note N is not defined', () => {
    expect(render('Only [1] and [2] here.\n')).toBe('<p>Only [1] and [2] here.</p>\n');
    const out = render('Defined[1], undefined[3].\n\nfn1. One\n');
    expect(out).toContain('undefined[3].</p>');
    expect(textileRefs(out)).toEqual(['tfn-1']);
  });

  it('leaves [N] alone in code spans, fenced code and indented code', () => {
    const out = render('Real[1] and `[1]` here.\n\n```\n[1]\n```\n\n    [1] indented\n\nfn1. One\n');
    expect(out).toContain('<code>[1]</code>');
    expect(out).toContain('<pre><code>[1]\n</code></pre>');
    expect(out).toContain('<pre><code>[1] indented\n</code></pre>');
    expect(textileRefs(out)).toEqual(['tfn-1']);
  });

  it('leaves [N] alone when it is a link, inside link text, in alt text or escaped', () => {
    const out = render([
      'Inline link [1](http://x.test), link text [see [1]](http://y.test),',
      'defined label [2], image ![figure [1]](f.png), escaped \\[1], raw <a href="#z">[1]</a>.',
      '',
      '[2]: http://z.test',
      '',
      'fn1. One',
      'fn2. Two',
      '',
    ].join('\n'));
    expect(out).toContain('<a href="http://x.test">1</a>');
    expect(out).toContain('<a href="http://y.test">see [1]</a>');
    expect(out).toContain('<a href="http://z.test">2</a>');
    expect(out).toContain('<img src="f.png" alt="figure [1]">');
    expect(out).toContain('escaped [1]');
    expect(out).toContain('<a href="#z">[1]</a>');
    expect(textileRefs(out)).toEqual([]);
    expect(out).not.toContain('footnote-backref');
  });

  it('does not recognise fnN. in mid-paragraph or outside top-level paragraphs', () => {
    expect(render('Text with fn1. inside [1].\n')).toBe('<p>Text with fn1. inside [1].</p>\n');
    expect(render('> fn1. quoted [1]\n')).toBe('<blockquote>\n<p>fn1. quoted [1]</p>\n</blockquote>\n');
    expect(render('fn1. heading\n---\n')).toBe('<h2>fn1. heading</h2>\n');
  });

  it('finds references in headings, lists, quotes and tables', () => {
    const out = render('# Title[1]\n\n- item[1]\n\n> quote[1]\n\n| a |\n|---|\n| cell[1] |\n\nfn1. One\n');
    expect(textileRefs(out)).toHaveLength(4);
    expect(all(out, /<sup class="footnote-ref" id="([^"]*)"/g)).toEqual(['tfnref-1', 'tfnref-1-2', 'tfnref-1-3', 'tfnref-1-4']);
    expectLinksResolve(out);
  });

  it('starts afresh for each document even when the env object is reused', () => {
    const md = site();
    const env = {};
    md.render('Ref[1].\n\nfn1. One\n', env);
    expect(md.render('Stale[1]?\n', env)).toBe('<p>Stale[1]?</p>\n');
  });

  it('applies typographer replacements inside notes and references', () => {
    const out = render('Ref[1].\n\nfn1. "Quoted" -- text...\n\np2. \'Title\' (c) 2020\n');
    expect(out).toContain('“Quoted” – text…');
    expect(out).toContain('<span class="reference-locator">p.&nbsp;2</span> ‘Title’ © 2020</li>');
  });
});

describe('escaping', () => {
  it('escapes markup in note text when raw HTML is off', () => {
    const md = new MarkdownIt({ html: false }).use(textileNotes);
    const out = md.render('Ref[1].\n\nfn1. <script>alert(1)</script> & more\n\np2. <b>bold?</b>\n');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(out).toContain('<span class="reference-locator">p.&nbsp;2</span> &lt;b&gt;bold?&lt;/b&gt;</li>');
    expect(out).not.toContain('<script>');
  });

  it('passes inline HTML through with html: true, as markdown-it does, but never in numbers', () => {
    const out = render('Ref[1].\n\nfn1. <script>alert(1)</script>\n');
    expect(out).toContain('<li class="footnote-item" id="tfn-1" value="1"><script>alert(1)</script>');
  });

  it('only accepts digits as note numbers and locators', () => {
    const source = 'fn1<b>. x\n\np<i>1. y\n\n[1"><script>]\n\nfn1. z\n';
    const out = render(source);
    expect(out).toContain('<p>fn1<b>. x</p>');
    expect(out).toContain('<p>p<i>1. y</p>');
    expect(out).toContain('<p>[1&quot;&gt;<script>]</p>');
    expect(textileRefs(out)).toEqual([]);
    expect(out).not.toContain('reference-locator');
  });

  it('escapes a docId in ids and keeps them apart from markdown-it-footnote', () => {
    const out = render('A[1] b[^1].\n\n[^1]: md note\n\nfn1. textile note\n', { docId: 'x"y' });
    expect(out).toContain('<sup class="footnote-ref" id="tfnref-x&quot;y-1"><a href="#tfn-x&quot;y-1">1</a></sup>');
    expect(out).toContain('id="tfn-x&quot;y-1"');
  });
});

describe('coexistence with markdown-it-footnote', () => {
  const source = [
    'Textile[1] and markdown[^1] and inline^[inline note cites [2]] notes.',
    '',
    '[^1]: Markdown note citing textile [1].',
    '',
    'fn1. Textile _one_.',
    'fn2. Textile two, see [1].',
    '',
    '---',
    'p12. _Cited Work_ (2020)',
    '',
  ].join('\n');
  const html = render(source);

  it('renders both kinds of footnotes', () => {
    expect(html).toContain('<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>');
    expect(html).toContain('<section class="footnotes">');
    expect(html).toContain('<li id="fn1" class="footnote-item"><p>Markdown note citing textile <sup class="footnote-ref" id="');
    expect(html).toContain('<li id="fn2" class="footnote-item"><p>inline note cites <sup class="footnote-ref" id="');
    expect(html).toContain('<div class="footnotes footnotes-textile">');
    expect(html).toContain('<span class="reference-locator">p.&nbsp;12</span> <em>Cited Work</em> (2020)</li>');
  });

  it('numbers textile references in rendered order, markdown footnote content included', () => {
    // Body, then the textile notes where they stand, then markdown-it-footnote's list at the end.
    expect(all(html, /<sup class="footnote-ref" id="(tfnref-[^"]*)"/g)).toEqual([
      'tfnref-1', 'tfnref-1-2', 'tfnref-1-3', 'tfnref-2',
    ]);
  });

  it('keeps every id unique and every in-page link resolvable', () => {
    expectLinksResolve(html);
  });
});

describe('robustness', () => {
  const fragments = [
    'fn1. ', 'fn2. ', 'fn01. ', 'p1. ', 'p7. ', '[1]', '[2]', '[01]', '[^1]', '[^1]: ', '^[', ']', '[', '](u)',
    '![', '\n', '\n\n', '---\n', '> ', '- ', '1. ', '    ', '`', '```\n', '_', '*', '<b>', '</b>', '<a href="#q">',
    '</a>', '"', 'text', ' ', '|', '|---|\n', '[1]: http://x\n', '\\', '# ',
  ];
  const markdownish = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(''));
  const anyText = fc.oneof(markdownish, fc.string({ unit: 'binary', maxLength: 200 }));

  it('never throws and never emits a textile link without a target', () => {
    fc.assert(
      fc.property(anyText, (source) => {
        const html = render(source);
        const ids = all(html, /\sid="(tfn[^"]*)"/g);
        expect(new Set(ids).size).toBe(ids.length);
        for (const target of all(html, /\shref="#(tfn[^"]*)"/g)) expect(ids).toContain(target);
      }),
      { numRuns: 500 },
    );
  });

  it('changes nothing in documents without definitions or reference lines', () => {
    const plain = new MarkdownIt({ typographer: true, html: true, linkify: false }).use(footnote);
    const withoutNotes = markdownish.filter((source) => !/(?:fn|p)\d+\.[ \t]+\S/.test(source));
    fc.assert(
      fc.property(withoutNotes, (source) => {
        expect(render(source)).toBe(plain.render(source, {}));
      }),
      { numRuns: 300 },
    );
  });

  it('works with parseInline / renderInline', () => {
    expect(site().renderInline('fn1. x [1]')).toBe('fn1. x [1]');
  });
});
