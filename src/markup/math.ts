import type MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';

/**
 * kramdown's math (Jekyll's default math engine, MathJax): `$$...$$` as a paragraph of its own is
 * display math, written `\[...\]`; anywhere else in text it is inline math, `\(...\)`. What is
 * between the dollars is kept as written (escaped for HTML only), so `*`, `_` and `\\` reach
 * MathJax instead of becoming emphasis or escapes. Single dollars (`$5`) stay text.
 */
export function kramdownMath(md: MarkdownIt): void {
  md.block.ruler.before('paragraph', 'kramdown_math_block', mathBlock);
  // Before `escape` and `emphasis`, which would take the TeX's backslashes and stars.
  md.inline.ruler.before('escape', 'kramdown_math_inline', mathInline);
  md.renderer.rules.math_block = (tokens, index) => `\\[${md.utils.escapeHtml(tokens[index]!.content)}\\]\n`;
  md.renderer.rules.math_inline = (tokens, index) => `\\(${md.utils.escapeHtml(tokens[index]!.content)}\\)`;
}

const DOLLAR = 0x24;

/**
 * A block that starts with `$$` and whose last line ends with `$$`, followed by a blank line (or
 * the end of its container): kramdown's display math.
 */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  if (state.src.charCodeAt(start) !== DOLLAR || state.src.charCodeAt(start + 1) !== DOLLAR) return false;
  let last = startLine;
  for (; last < endLine && !state.isEmpty(last); last++) {
    const lineEnd = trimmedEnd(state.src, state.bMarks[last]!, state.eMarks[last]!);
    const closes = state.src.slice(lineEnd - 2, lineEnd) === '$$' && lineEnd - 2 >= (last === startLine ? start + 2 : 0);
    if (!closes) continue;
    if (last + 1 < endLine && !state.isEmpty(last + 1)) return false;
    if (silent) return true;
    const token = state.push('math_block', 'math', 0);
    token.block = true;
    token.map = [startLine, last + 1];
    token.content = state.src.slice(start + 2, lineEnd - 2).trim();
    state.line = last + 1;
    return true;
  }
  return false;
}

/** `$$...$$` within text (across the lines of a paragraph, too): kramdown's inline math. */
function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== DOLLAR || src.charCodeAt(pos + 1) !== DOLLAR) return false;
  const end = src.indexOf('$$', pos + 2);
  if (end === -1) return false;
  if (!silent) state.push('math_inline', 'math', 0).content = src.slice(pos + 2, end).trim();
  state.pos = end + 2;
  return true;
}

/** Where the text of a line ends, trailing spaces and tabs left out. */
function trimmedEnd(src: string, lineStart: number, lineEnd: number): number {
  let end = lineEnd;
  while (end > lineStart && (src[end - 1] === ' ' || src[end - 1] === '\t')) end--;
  return end;
}
