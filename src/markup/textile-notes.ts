/**
 * Textile-style notes inside Markdown posts (a markdown-it plugin).
 *
 * Grammar. N is one or more ASCII digits, kept as written ("01" is not "1").
 * "Lines" are the source lines of one paragraph; a paragraph ends at a blank line.
 *
 *   definition-line = [spaces] "fn" N "." spaces text
 *   reference-line  = [spaces] "p"  N "." spaces text
 *   note-reference  = "[" N "]"
 *
 * Footnote definitions. A top-level paragraph whose FIRST line is a
 * definition-line is a definitions paragraph. Every definition-line in it starts
 * note N; any other line continues the note above it, so a note runs to the next
 * definition-line or to the end of the paragraph. The text is inline Markdown.
 * Adjacent definitions paragraphs render, where they stand, as one list:
 *
 *   <div class="footnotes footnotes-textile"><ol class="footnotes-list">
 *   <li class="footnote-item" id="tfn-N" value="N">text[ backref]</li>
 *   </ol></div>
 *
 * backref = <a href="#tfnref-N" class="footnote-backref" aria-label="Back to reference N">↩</a>,
 * present only when the note is referenced. The first definition of N owns the
 * number; a later duplicate is still listed, but without an id.
 *
 * Note references. `[N]` in inline text becomes
 *   <sup class="footnote-ref" id="tfnref-N"><a href="#tfn-N">N</a></sup>
 * when note N is defined anywhere in the same document. Later references to the
 * same note get ids tfnref-N-2, tfnref-N-3, ...; the backref points to the first.
 * `[N]` stays literal text when N is not defined, inside code spans and code
 * blocks, inside link text, inside image alt text, when it is itself a link
 * (`[N](url)`, or `[N]` with a `[N]: url` definition), and when escaped (`\[N]`).
 *
 * Reference blocks. A top-level paragraph in which EVERY line is a
 * reference-line lists works cited; N there is a page locator (p1 = page 1),
 * not a note number, and may repeat. Adjacent such paragraphs render as one list:
 *
 *   <section class="references"><h2 class="references-title">References</h2><ol class="references-list">
 *   <li class="reference"><span class="reference-locator">p.&nbsp;N</span> text</li>
 *   </ol></section>
 *
 * Posts usually put a thematic break (`---`) before the block; it is not
 * required and is left in place as <hr>. The section starts with its own
 * "References" heading. A paragraph mixing reference-lines with other lines, or a
 * `pN.` in mid-line, stays an ordinary paragraph.
 *
 * Scope. Only top-level paragraphs are considered: not list items, blockquotes,
 * tables, headings (`fn1. x` underlined by `---` is a setext heading), code or
 * HTML blocks. With a string `env.docId`, ids become tfn-<docId>-N and
 * tfnref-<docId>-N, like markdown-it-footnote does for its own ids. The `tfn`
 * prefix keeps these ids apart from markdown-it-footnote's `fn…`/`fnref…`.
 */
import type MarkdownIt from 'markdown-it';
import type { RendererRule, StateCore, StateInline, Token } from 'markdown-it';

const DEFINITION_LINE = /^[ \t]*fn(\d+)\.[ \t]+(?=\S)/;
const REFERENCE_LINE = /^[ \t]*p(\d+)\.[ \t]+(?=\S)/;
/** Cheap whole-source test so posts without notes skip the token walk. */
const MAYBE_NOTES = /^[ \t]*(?:fn|p)\d+\.[ \t]/m;

const ENV_KEY = 'textileNotes';
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Per-document parse state, kept in `env` so the inline rule can see it. */
interface NotesState {
  /** Note numbers defined in the document. */
  defined: Set<string>;
  /** References numbered so far, per note. */
  referenceCounts: Map<string, number>;
  /** '' or `${docId}-`, inserted after the tfn/tfnref prefix. */
  idScope: string;
}

type BlockKind = 'notes' | 'references';

/** One note (definitions paragraph) or one cited work (reference block). */
interface Item {
  /** Note number or page locator. */
  number: string;
  text: string;
  firstLine: number;
  lineCount: number;
}

interface MatchedParagraph {
  kind: BlockKind;
  items: Item[];
  map: [number, number] | null;
}

interface NoteMeta {
  number: string;
  /** null for a duplicate definition, which must not repeat the id. */
  noteId: string | null;
  /** Set after inline parsing when the note is referenced. */
  backrefId?: string;
}

interface ReferenceMeta {
  number: string;
  noteId: string;
  /** Set after inline parsing; unset only if that pass never saw the token. */
  refId?: string;
}

export function textileNotes(md: MarkdownIt): void {
  md.core.ruler.after('block', 'textile_notes', collectNotes);
  // After 'link' so real links (`[1](url)`, `[1]` with `[1]: url`) win.
  md.inline.ruler.after('link', 'textile_note_ref', noteReference);
  // Last, so footnote content moved by markdown-it-footnote is numbered too.
  md.core.ruler.push('textile_note_ids', numberReferences);

  const rules = md.renderer.rules;
  const escape = md.utils.escapeHtml;
  rules.textile_notes_open = () => '<div class="footnotes footnotes-textile">\n<ol class="footnotes-list">\n';
  rules.textile_notes_close = () => '</ol>\n</div>\n';
  rules.textile_note_open = renderNoteOpen(escape);
  rules.textile_note_close = renderNoteClose(escape);
  rules.textile_note_ref = renderReference(escape);
  // A heading of its own, so a screen reader's list of headings offers the references too.
  rules.textile_references_open = () => '<section class="references">\n<h2 class="references-title">References</h2>\n<ol class="references-list">\n';
  rules.textile_references_close = () => '</ol>\n</section>\n';
  rules.textile_reference_open = (tokens, idx) =>
    `<li class="reference"><span class="reference-locator">p.&nbsp;${tokens[idx].meta.number}</span> `;
  rules.textile_reference_close = () => '</li>\n';
}

// ---------------------------------------------------------------------------
// Block phase: turn matching paragraphs into note / reference tokens.

function collectNotes(state: StateCore): void {
  const env = state.env as Record<string, unknown> | undefined;
  if (env === null || typeof env !== 'object') return;
  // Always reset: callers may reuse one env object for many documents.
  delete env[ENV_KEY];
  if (state.inlineMode || !MAYBE_NOTES.test(state.src)) return;

  const notes: NotesState = { defined: new Set(), referenceCounts: new Map(), idScope: idScope(env) };
  const rewritten = rewriteParagraphs(state, notes);
  if (rewritten) state.tokens = rewritten;
  if (notes.defined.size > 0) env[ENV_KEY] = notes;
}

function idScope(env: Record<string, unknown>): string {
  return typeof env.docId === 'string' ? `${env.docId}-` : '';
}

/** Returns the new token list, or null when no paragraph matched. */
function rewriteParagraphs(state: StateCore, notes: NotesState): Token[] | null {
  const tokens = state.tokens;
  const out: Token[] = [];
  let changed = false;
  let i = 0;
  while (i < tokens.length) {
    const first = matchParagraph(tokens, i);
    if (!first) {
      out.push(tokens[i]);
      i += 1;
      continue;
    }
    const run = [first];
    i += 3;
    for (let next = matchParagraph(tokens, i); next?.kind === first.kind; next = matchParagraph(tokens, i)) {
      run.push(next);
      i += 3;
    }
    out.push(...emitRun(state, run, notes));
    changed = true;
  }
  return changed ? out : null;
}

/** Matches the paragraph_open / inline / paragraph_close triple at `i`. */
function matchParagraph(tokens: Token[], i: number): MatchedParagraph | null {
  const open = tokens[i];
  if (open?.type !== 'paragraph_open' || open.level !== 0 || open.hidden) return null;
  const inline = tokens[i + 1];
  if (inline?.type !== 'inline' || tokens[i + 2]?.type !== 'paragraph_close') return null;

  const lines = inline.content.split('\n');
  const map = open.map ? [open.map[0], open.map[1]] as [number, number] : null;
  const definitions = parseDefinitions(lines);
  if (definitions) return { kind: 'notes', items: definitions, map };
  const references = parseReferenceLines(lines);
  if (references) return { kind: 'references', items: references, map };
  return null;
}

/** A note runs from its definition-line to the next one or the paragraph end. */
function parseDefinitions(lines: string[]): Item[] | null {
  if (!DEFINITION_LINE.test(lines[0])) return null;
  const items: Item[] = [];
  lines.forEach((line, index) => {
    const match = DEFINITION_LINE.exec(line);
    if (match) {
      items.push({ number: match[1], text: line.slice(match[0].length), firstLine: index, lineCount: 1 });
    } else {
      const current = items[items.length - 1];
      current.text += `\n${line}`;
      current.lineCount += 1;
    }
  });
  return items;
}

/** Every line must be a reference-line, or the paragraph is ordinary prose. */
function parseReferenceLines(lines: string[]): Item[] | null {
  const items: Item[] = [];
  for (const [index, line] of lines.entries()) {
    const match = REFERENCE_LINE.exec(line);
    if (!match) return null;
    items.push({ number: match[1], text: line.slice(match[0].length), firstLine: index, lineCount: 1 });
  }
  return items;
}

function emitRun(state: StateCore, run: MatchedParagraph[], notes: NotesState): Token[] {
  const kind = run[0].kind;
  const group = kind === 'notes'
    ? { type: 'textile_notes', tag: 'div', item: 'textile_note' }
    : { type: 'textile_references', tag: 'section', item: 'textile_reference' };
  const runMap = spanOf(run);
  const out = [blockToken(state, `${group.type}_open`, group.tag, 1, 0, runMap)];
  for (const paragraph of run) {
    for (const item of paragraph.items) {
      const map = itemMap(paragraph.map, item);
      const meta = kind === 'notes' ? defineNote(notes, item.number) : { number: item.number };
      out.push(
        withMeta(blockToken(state, `${group.item}_open`, 'li', 1, 1, map), meta),
        inlineToken(state, item.text, map),
        withMeta(blockToken(state, `${group.item}_close`, 'li', -1, 1, null), meta),
      );
    }
  }
  out.push(blockToken(state, `${group.type}_close`, group.tag, -1, 0, null));
  return out;
}

/** The first definition of a number owns it; duplicates get no id. */
function defineNote(notes: NotesState, number: string): NoteMeta {
  if (notes.defined.has(number)) return { number, noteId: null };
  notes.defined.add(number);
  return { number, noteId: noteId(notes, number) };
}

function noteId(notes: NotesState, number: string): string {
  return `tfn-${notes.idScope}${number}`;
}

function referenceId(notes: NotesState, number: string, occurrence: number): string {
  const base = `tfnref-${notes.idScope}${number}`;
  return occurrence === 1 ? base : `${base}-${occurrence}`;
}

function spanOf(run: MatchedParagraph[]): [number, number] | null {
  const first = run[0].map;
  const last = run[run.length - 1].map;
  return first && last ? [first[0], last[1]] : null;
}

function itemMap(paragraphMap: [number, number] | null, item: Item): [number, number] | null {
  if (!paragraphMap) return null;
  const start = paragraphMap[0] + item.firstLine;
  return [start, start + item.lineCount];
}

function blockToken(
  state: StateCore,
  type: string,
  tag: string,
  nesting: 1 | -1,
  level: number,
  map: [number, number] | null,
): Token {
  const token = new state.Token(type, tag, nesting);
  token.block = true;
  token.level = level;
  token.map = map;
  return token;
}

/** The core 'inline' rule parses every `inline` token, these included. */
function inlineToken(state: StateCore, content: string, map: [number, number] | null): Token {
  const token = new state.Token('inline', '', 0);
  token.block = true;
  token.level = 2;
  token.content = content;
  token.map = map;
  token.children = [];
  return token;
}

function withMeta(token: Token, meta: object): Token {
  token.meta = meta;
  return token;
}

// ---------------------------------------------------------------------------
// Inline phase: `[N]` for a defined note N.

function noteReference(state: StateInline, silent: boolean): boolean {
  // Declining in silent mode keeps `[see [1]](url)` a link: markdown-it's
  // link-label scan treats a consumed inner `[` as a nested link and gives up.
  if (silent || state.src.charCodeAt(state.pos) !== OPEN_BRACKET) return false;
  if ((state as StateInline & { linkLevel: number }).linkLevel > 0) return false;
  const notes = notesOf(state.env);
  if (!notes) return false;

  const number = bracketedDigits(state.src, state.pos, state.posMax);
  if (number === null || !notes.defined.has(number)) return false;

  const token = state.push('textile_note_ref', '', 0);
  token.meta = { number, noteId: noteId(notes, number) } satisfies ReferenceMeta;
  token.content = `[${number}]`;
  state.pos += number.length + 2;
  return true;
}

/** The digits of `[digits]` starting at `start`, or null. */
function bracketedDigits(src: string, start: number, max: number): string | null {
  let end = start + 1;
  while (end < max && isDigit(src.charCodeAt(end))) end += 1;
  if (end === start + 1 || end >= max || src.charCodeAt(end) !== CLOSE_BRACKET) return null;
  return src.slice(start + 1, end);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function notesOf(env: unknown): NotesState | undefined {
  if (env === null || typeof env !== 'object') return undefined;
  return (env as Record<string, NotesState | undefined>)[ENV_KEY];
}

// ---------------------------------------------------------------------------
// After inline parsing: give references ids in document order, then backrefs.

function numberReferences(state: StateCore): void {
  const notes = notesOf(state.env);
  if (!notes) return;
  const noteCloses: Token[] = [];
  for (const token of state.tokens) {
    if (token.type === 'textile_note_close') noteCloses.push(token);
    else if (token.type === 'inline' && token.children) numberInline(token.children, notes);
  }
  for (const close of noteCloses) {
    const meta = close.meta as NoteMeta;
    if (meta.noteId !== null && notes.referenceCounts.has(meta.number)) {
      meta.backrefId = referenceId(notes, meta.number, 1);
    }
  }
}

function numberInline(children: Token[], notes: NotesState): void {
  for (const child of children) {
    if (child.type === 'textile_note_ref') {
      const meta = child.meta as ReferenceMeta;
      const occurrence = (notes.referenceCounts.get(meta.number) ?? 0) + 1;
      notes.referenceCounts.set(meta.number, occurrence);
      meta.refId = referenceId(notes, meta.number, occurrence);
    } else if (child.type === 'image' && child.children) {
      revertToText(child.children);
    }
  }
}

/** Alt text is plain text: a reference there could never be a link target. */
function revertToText(tokens: Token[]): void {
  for (const token of tokens) {
    if (token.type === 'textile_note_ref') {
      token.type = 'text';
      token.meta = null;
    } else if (token.type === 'image' && token.children) {
      revertToText(token.children);
    }
  }
}

// ---------------------------------------------------------------------------
// Renderers.

type Escape = (text: string) => string;

function renderNoteOpen(escape: Escape): RendererRule {
  return (tokens, idx) => {
    const { number, noteId: id } = tokens[idx].meta as NoteMeta;
    const idAttribute = id === null ? '' : ` id="${escape(id)}"`;
    return `<li class="footnote-item"${idAttribute} value="${number}">`;
  };
}

function renderNoteClose(escape: Escape): RendererRule {
  return (tokens, idx) => {
    const { number, backrefId } = tokens[idx].meta as NoteMeta;
    const backref = backrefId === undefined
      ? ''
      : ` <a href="#${escape(backrefId)}" class="footnote-backref" aria-label="Back to reference ${number}">↩</a>`;
    return `${backref}</li>\n`;
  };
}

function renderReference(escape: Escape): RendererRule {
  return (tokens, idx) => {
    const { number, noteId: id, refId } = tokens[idx].meta as ReferenceMeta;
    const idAttribute = refId === undefined ? '' : ` id="${escape(refId)}"`;
    return `<sup class="footnote-ref"${idAttribute}><a href="#${escape(id)}">${number}</a></sup>`;
  };
}
