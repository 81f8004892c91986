/** Heading ids as kramdown gives them, with a written `{#id}` taking the place of the made one. */
import { describe, expect, it } from 'vitest';
import { createMarkdown } from '../../src/markup/markdown.js';

describe('heading ids', () => {
  const md = createMarkdown();

  it('takes a written {#id}, and leaves the text before it without its spaces', () => {
    expect(md.render('## Setting up {#setup}\n')).toBe('<h2 id="setup">Setting up</h2>\n');
    expect(md.render('## Not an id {#1x}\n')).toBe('<h2 id="not-an-id-1x">Not an id {#1x}</h2>\n');
  });

  it('reads a heading with a long run of spaces as fast as any (a pattern with leading spaces took minutes)', () => {
    const spaces = ' '.repeat(100_000);
    expect(md.render(`## x${spaces}{#cid}\n`)).toBe('<h2 id="cid">x</h2>\n');
    expect(md.render(`# a${spaces}b\n`)).toMatch(/^<h1 id="a-{100000}b">a {100000}b<\/h1>\n$/);
  });
});
