import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/**
 * Gives every heading an `id` by the rules of Jekyll's default markdown (kramdown with its GFM
 * parser), so links like `/post.html#my-heading` that worked under Jekyll keep working:
 *   1. take the heading's text after typography (so `--` is already an en dash), lowercased;
 *   2. drop every character that is not a letter, digit, mark, `_`, `-` or space (any script);
 *   3. turn each space into a dash (so `C++ & Rust` gives `c--rust`);
 *   4. a repeated id gets `-1`, `-2`, ... appended; an empty one becomes `section`.
 * A trailing `{#custom-id}` in the heading (kramdown's attribute syntax) sets the id instead and
 * is removed from the text. A heading that already has an id keeps it.
 */
export function kramdownHeadingIds(md: MarkdownIt): void {
  md.core.ruler.push('kramdown_heading_ids', (state) => {
    const used = new Map<string, number>();
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.type !== 'heading_open' || token.attrGet('id') !== null) continue;
      const inline = tokens[i + 1];
      const custom = takeCustomId(inline);
      if (custom !== null) {
        token.attrSet('id', custom);
        continue;
      }
      const base = gfmHeadingId(headingText(inline));
      const count = used.get(base);
      used.set(base, (count ?? -1) + 1);
      token.attrSet('id', count === undefined ? base : `${base}-${count + 1}`);
    }
  });
}

const CUSTOM_ID = /^\{#([A-Za-z][\w:.-]*)\}\s*$/;

/** Reads and removes a trailing `{#id}` from the heading's last text token. */
function takeCustomId(inline: Token | undefined): string | null {
  const last = inline?.children?.[inline.children.length - 1];
  if (!last || last.type !== 'text') return null;
  // Found from its `{#`, not by a pattern with leading spaces, which would take quadratic time
  // over a long run of spaces.
  const at = last.content.lastIndexOf('{#');
  const match = at === -1 ? null : CUSTOM_ID.exec(last.content.slice(at));
  if (!match) return null;
  last.content = last.content.slice(0, at).trimEnd();
  return match[1]!;
}

/** The heading's plain text, as kramdown sees it: text, code and math, without markup. */
function headingText(inline: Token | undefined): string {
  if (!inline?.children) return inline?.content ?? '';
  let text = '';
  for (const child of inline.children) {
    if (child.type === 'text' || child.type === 'code_inline' || child.type === 'math_inline') text += child.content;
  }
  return text;
}

/** kramdown-parser-gfm's id for a heading text (rules 1-3 above). */
export function gfmHeadingId(text: string): string {
  const id = text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
  return id === '' ? 'section' : id;
}
