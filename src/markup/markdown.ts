import MarkdownIt from 'markdown-it';
import hljs from 'highlight.js';
import { kramdownFootnotes } from './footnotes.js';
import { kramdownHeadingIds } from './heading-ids.js';
import { textileNotes } from './textile-notes.js';

/**
 * The one configured markdown-it, with what kramdown users expect from Jekyll: raw HTML, smart
 * quotes and dashes, tables, fenced code highlighted at build time, heading ids and `[^1]` footnotes,
 * plus Textile-style notes (`fn1.`, `[1]`, `p1.` reference lists).
 */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true, typographer: true, linkify: false });
  // markdown-it would wrap a highlighter's output in <pre><code>; Rouge's shape needs the whole block.
  md.renderer.rules.fence = (tokens, index) => highlightBlock(md, tokens[index]!.content, md.utils.unescapeAll(tokens[index]!.info));
  // Jekyll marks inline code the way Rouge does; themes style `code.highlighter-rouge`.
  md.renderer.rules.code_inline = (tokens, index) =>
    `<code class="language-plaintext highlighter-rouge">${md.utils.escapeHtml(tokens[index]!.content)}</code>`;
  md.use(kramdownFootnotes).use(textileNotes).use(kramdownHeadingIds);
  return md;
}

/**
 * Fenced code in the markup Rouge gives under Jekyll (`div.language-x.highlighter-rouge`), so
 * Jekyll themes' CSS keeps working; the token classes are highlight.js's.
 */
function highlightBlock(md: MarkdownIt, code: string, language: string): string {
  const name = language.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const known = name !== '' && hljs.getLanguage(name) !== undefined;
  const inner = known ? hljs.highlight(code, { language: name, ignoreIllegals: true }).value : md.utils.escapeHtml(code);
  const languageClass = name === '' ? 'plaintext' : md.utils.escapeHtml(name);
  return `<div class="language-${languageClass} highlighter-rouge"><div class="highlight"><pre class="highlight"><code>${inner}</code></pre></div></div>\n`;
}
