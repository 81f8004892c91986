import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { splitFrontMatter } from '../../src/content/frontmatter.js';
import { excerptSource } from '../../src/markup/excerpt.js';
import { createMarkdown } from '../../src/markup/markdown.js';
import { markupOf } from '../../src/pipeline.js';
import { QUIRE_ROOT } from '../../src/package-root.js';
import type { Post } from '../../src/types.js';

const md = createMarkdown();
const config = resolveConfig('/site', { timezone: 'UTC' });

function postOf(body: string): Post {
  return { body, format: 'markdown', data: {} } as unknown as Post;
}

/** What Jekyll does: the excerpt text rendered on its own. */
function slowExcerpt(body: string): string {
  const source = excerptSource(body, config.excerpt_separator);
  return source === null ? '' : md.render(source, {});
}

describe('excerpts', () => {
  it.each([
    ['a plain first paragraph', 'First *paragraph* with a [link](https://x.example).\n\nSecond.'],
    ['a footnote reference, whose definition is appended', 'Has a note.[^1]\n\nMore.\n\n[^1]: The note.'],
    ['a reference link defined further down', 'See [the docs][docs].\n\nMore.\n\n[docs]: https://docs.example'],
    ['a Textile note reference', 'As shown [1].\n\nfn1. The note.'],
    ['a heading first', '# Title\n\nBody.'],
    ['a list first', '- one\n- two\n\nAfter.'],
    ['a fenced block with a blank line', '```\na\n\nb\n```\n\nAfter.'],
    ['a paragraph over two lines', 'Line one\nline two "quoted".\n\nNext.'],
    ['leading blank lines', '\n\n  Indented start.\n\nNext.'],
  ])('are what Jekyll renders for %s', (_, body) => {
    expect(markupOf(md, postOf(body), config).excerptHtml).toBe(slowExcerpt(body));
  });

  it('match Jekyll\'s rendering for every example post', () => {
    const folder = path.join(QUIRE_ROOT, 'posts');
    for (const name of readdirSync(folder)) {
      const { body, data } = splitFrontMatter(readFileSync(path.join(folder, name), 'utf8'), name);
      if (typeof data.excerpt === 'string') continue;
      expect(markupOf(md, postOf(body), config).excerptHtml, name).toBe(slowExcerpt(body));
    }
  });
});
