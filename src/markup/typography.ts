import type MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';

/**
 * kramdown's typographic symbols in place of markdown-it's replacements: `---` an em dash, `--` an
 * en dash (anywhere, as in `--start`), `...` an ellipsis, and `<<`/`>>` guillemets (a space inside
 * them becomes a no-break space). Nothing else: markdown-it would also turn `(c)`, `(tm)`, `+-`,
 * `..`, `,,` and `!!!!` into other text, changing the words of a post and the ids of its headings.
 * Smart quotes stay markdown-it's.
 */
export function kramdownTypography(md: MarkdownIt): void {
  md.core.ruler.at('replacements', replaceSymbols);
  // Before html_inline, which would read `<<name>>` as the tag `<name>` and drop the word.
  md.inline.ruler.before('html_inline', 'kramdown_guillemets', guillemets);
}

const DASHES_AND_DOTS = /---|--|\.\.\./;

function replaceSymbols(state: StateCore): void {
  if (!state.md.options.typographer) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !DASHES_AND_DOTS.test(block.content)) continue;
    // The text of an autolink (`<http://a--b.example>`) is its address, kept as written.
    let insideAutolink = false;
    for (const token of block.children ?? []) {
      if (token.type === 'link_open' && token.info === 'auto') insideAutolink = true;
      else if (token.type === 'link_close' && token.info === 'auto') insideAutolink = false;
      else if (token.type === 'text' && !insideAutolink) token.content = token.content.replace(/---/g, '\u2014').replace(/--/g, '\u2013').replace(/\.\.\./g, '\u2026');
    }
  }
}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;

function guillemets(state: StateInline, silent: boolean): boolean {
  if (!state.md.options.typographer) return false;
  const { src, pos } = state;
  const first = src.charCodeAt(pos);
  if ((first !== LESS_THAN && first !== GREATER_THAN) || src.charCodeAt(pos + 1) !== first) return false;
  // In silent mode (markdown-it looking for where a link's text ends) only the position moves.
  if (first === LESS_THAN) {
    const spaced = src[pos + 2] === ' ';
    if (!silent) state.pending += spaced ? '\u00ab\u00a0' : '\u00ab';
    state.pos += spaced ? 3 : 2;
  } else {
    // ` >>`: the space before is already pending text.
    if (!silent) {
      if (state.pending.endsWith(' ')) state.pending = `${state.pending.slice(0, -1)}\u00a0`;
      state.pending += '\u00bb';
    }
    state.pos += 2;
  }
  return true;
}
