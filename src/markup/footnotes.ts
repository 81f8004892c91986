import type MarkdownIt from 'markdown-it';
import footnoteModule from 'markdown-it-footnote';
import type { PluginSimple } from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/** @types/markdown-it-footnote lags markdown-it 14's types; the plugin itself works with it. */
const footnote = footnoteModule as unknown as PluginSimple;

interface FootnoteMeta {
  readonly id: number;
  readonly subId?: number;
  readonly label?: string;
}

/**
 * `[^1]` footnotes through markdown-it-footnote, written out in kramdown's markup (ids `fn:label`
 * and `fnref:label`, `role` attributes, `&#8617;` back links), so links into footnotes and theme
 * CSS written for Jekyll keep working.
 */
export function kramdownFootnotes(md: MarkdownIt): void {
  md.use(footnote);
  const rules = md.renderer.rules;
  const name = (token: Token) => {
    const meta = token.meta as FootnoteMeta;
    return md.utils.escapeHtml(meta.label ?? String(meta.id + 1));
  };
  const refSuffix = (token: Token) => {
    const subId = (token.meta as FootnoteMeta).subId ?? 0;
    return subId > 0 ? `:${subId}` : '';
  };
  rules.footnote_ref = (tokens, index) => {
    const token = tokens[index]!;
    const number = (token.meta as FootnoteMeta).id + 1;
    return `<sup id="fnref:${name(token)}${refSuffix(token)}" role="doc-noteref"><a href="#fn:${name(token)}" class="footnote" rel="footnote">${number}</a></sup>`;
  };
  rules.footnote_block_open = () => '<div class="footnotes" role="doc-endnotes">\n<ol>\n';
  rules.footnote_block_close = () => '</ol>\n</div>\n';
  rules.footnote_open = (tokens, index) => `<li id="fn:${name(tokens[index]!)}" role="doc-endnote">\n`;
  rules.footnote_close = () => '</li>\n';
  rules.footnote_anchor = (tokens, index) => {
    const token = tokens[index]!;
    const subId = (token.meta as FootnoteMeta).subId ?? 0;
    const mark = subId > 0 ? `&#8617;<sup>${subId + 1}</sup>` : '&#8617;';
    // kramdown puts a no-break space before each link back, so the arrow never wraps alone.
    return `\u00a0<a href="#fnref:${name(token)}${refSuffix(token)}" class="reversefootnote" role="doc-backlink">${mark}</a>`;
  };
}
