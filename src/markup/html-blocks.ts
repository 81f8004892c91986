import type MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';

/**
 * HTML in markdown where kramdown and CommonMark part ways, as Jekyll's posts were written for
 * kramdown:
 * - a line that starts with a span element (`<img>`, `<a>`, `<br>`, `<span>`...) is text of a
 *   paragraph, so the markdown on the lines below it (`*A caption*`, a link) is rendered, and
 *   the image sits in a `<p>`;
 * - an HTML block ends where its element closes (`</div>`, `</figure>`, a lone `<hr>`), not at
 *   the next blank line, so markdown written straight below it is rendered too.
 * A block never reaches further than markdown-it's would: a blank line still ends it, so markdown
 * inside an element, after a blank line, stays markdown.
 */
export function kramdownHtmlBlocks(md: MarkdownIt): void {
  const htmlBlock = htmlBlockRule(md);
  md.block.ruler.at('html_block', (state, startLine, endLine, silent) => {
    const start = state.bMarks[startLine]! + state.tShift[startLine]!;
    const tag = FIRST_TAG.exec(state.src.slice(start, state.eMarks[startLine]));
    const name = tag?.[2]!.toLowerCase();
    if (name !== undefined && SPAN_ELEMENTS.has(name) && state.sCount[startLine]! - state.blkIndent < 4) return false;
    if (!htmlBlock(state, startLine, endLine, silent)) return false;
    if (silent || name === undefined || RAW_TEXT_ELEMENTS.has(name)) return true;
    const end = elementEnd(state, startLine, state.line, name, tag![1] === '/');
    if (end < state.line) {
      const token = state.tokens[state.tokens.length - 1]!;
      token.map = [startLine, end];
      token.content = state.getLines(startLine, end, state.blkIndent, true);
      state.line = end;
    }
    return true;
  }, { alt: ['paragraph', 'reference', 'blockquote'] });
}

/** markdown-it's own html_block rule, as its block ruler holds it (the Ruler has no getter by name). */
function htmlBlockRule(md: MarkdownIt): (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean {
  const rules = (md.block.ruler as unknown as { __rules__: Array<{ name: string; fn: (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean }> }).__rules__;
  return rules.find((rule) => rule.name === 'html_block')!.fn;
}

/** The tag a line starts with: `/` for a closing tag, and its name. */
const FIRST_TAG = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/;

/** kramdown's span-level elements (Kramdown::Parser::Html::Constants::HTML_SPAN_ELEMENTS). */
const SPAN_ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'b', 'big', 'bdo', 'br', 'button', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins', 'kbd', 'label', 'mark',
  'q', 'rb', 'rbc', 'rp', 'rt', 'rtc', 'ruby', 's', 'samp', 'select', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'textarea', 'time', 'tt', 'u', 'var',
]);

/** Elements whose blocks markdown-it already ends at their closing tag. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'pre', 'style', 'textarea']);

/** Elements without content or closing tag. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * The line after the one where the element opened on `startLine` closes (the element's opening
 * and closing tags counted line by line, nested ones included), or `stop` when it does not close
 * before it. A closing tag or a void element ends on its own line.
 */
function elementEnd(state: StateBlock, startLine: number, stop: number, name: string, closing: boolean): number {
  if (closing || VOID_ELEMENTS.has(name)) return startLine + 1;
  const opening = new RegExp(`<${name}(?=[\\s/>]|$)`, 'gi');
  const closingTag = new RegExp(`</${name}\\s*>`, 'gi');
  let depth = 0;
  for (let line = startLine; line < stop; line++) {
    const text = state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
    depth += (text.match(opening)?.length ?? 0) - (text.match(closingTag)?.length ?? 0);
    if (depth <= 0) return line + 1;
  }
  return stop;
}
