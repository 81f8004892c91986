import { createRequire } from 'node:module';
import MarkdownIt from 'markdown-it';
import type { HLJSApi } from 'highlight.js';
import { kramdownFootnotes } from './footnotes.js';
import { kramdownHeadingIds } from './heading-ids.js';
import { textileNotes } from './textile-notes.js';
import { taskLists } from './task-lists.js';
import { kramdownTypography } from './typography.js';
import { kramdownHtmlBlocks } from './html-blocks.js';
import { kramdownMath } from './math.js';

/**
 * The one configured markdown-it, with what kramdown users expect from Jekyll: raw HTML, smart
 * quotes, kramdown's dashes, ellipses and guillemets, tables, fenced code highlighted at build time, heading ids, task lists and `[^1]` footnotes,
 * plus Textile-style notes (`fn1.`, `[1]`, `p1.` reference lists).
 */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true, typographer: true, linkify: false });
  // markdown-it would wrap a highlighter's output in <pre><code>; Rouge's shape needs the whole block.
  md.renderer.rules.fence = (tokens, index) => highlightBlock(md, tokens[index]!.content, md.utils.unescapeAll(tokens[index]!.info));
  // kramdown hands indented code to Rouge too, as plain text in the same wrapper.
  md.renderer.rules.code_block = (tokens, index) => highlightBlock(md, tokens[index]!.content, '');
  // Jekyll marks inline code the way Rouge does; themes style `code.highlighter-rouge`.
  md.renderer.rules.code_inline = (tokens, index) =>
    `<code class="language-plaintext highlighter-rouge">${md.utils.escapeHtml(tokens[index]!.content)}</code>`;
  // kramdown numbers every ordered list from 1, whatever its first item says, and strikes with <del>.
  md.renderer.rules.ordered_list_open = (tokens, index, options, _env, self) => {
    tokens[index]!.attrs = tokens[index]!.attrs?.filter(([name]) => name !== 'start') ?? null;
    return self.renderToken(tokens, index, options);
  };
  md.renderer.rules.s_open = () => '<del>';
  md.renderer.rules.s_close = () => '</del>';
  md.use(kramdownTypography).use(kramdownHtmlBlocks).use(kramdownMath).use(kramdownFootnotes).use(textileNotes).use(kramdownHeadingIds).use(taskLists);
  // markdown-it parses, punycodes and re-encodes every link target; a plain ASCII URL comes back
  // as it went in, so it skips that round trip (most links are such; a tenth of the markup time).
  const normalizeLink = md.normalizeLink.bind(md);
  md.normalizeLink = (url) => (PLAIN_URL.test(url) ? url : normalizeLink(url));
  return md;
}

/**
 * Link targets markdown-it's normalizeLink returns unchanged: an http(s) URL with a plain host, or
 * a path, query or fragment, made only of characters it never encodes (no `%`, space or non-ASCII).
 * Anything else (ports, user parts, other schemes, long hosts) takes the full path.
 */
const PLAIN_CHARS = "[A-Za-z0-9\\-._~:/?#!$&'()*+,;=]*";
export const PLAIN_URL = new RegExp(
  `^(?:https?://[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,3}(?:[/?#]${PLAIN_CHARS})?|(?:/(?!/)|[?#])${PLAIN_CHARS}|[A-Za-z0-9\\-._~]+(?:[/?#]${PLAIN_CHARS})?)$`,
  'i',
);

/**
 * Fenced code in the markup Rouge gives under Jekyll (`div.language-x.highlighter-rouge`), so
 * Jekyll themes' CSS keeps working; the token classes are highlight.js's.
 */
function highlightBlock(md: MarkdownIt, code: string, language: string): string {
  const name = language.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const languageClass = name === '' ? 'plaintext' : md.utils.escapeHtml(name);
  return `<div class="language-${languageClass} highlighter-rouge"><div class="highlight"><pre class="highlight"><code>${highlightCode(code, name)}</code></pre></div></div>\n`;
}

/**
 * Code as highlighted HTML (highlight.js token spans) for a language name, or just escaped when
 * the language is unknown or empty, as Rouge falls back to plain text. Shared by fenced code and
 * Liquid's `{% highlight %}`.
 */
export function highlightCode(code: string, language: string): string {
  const name = language.toLowerCase();
  if (name !== '' && knowsLanguage(name)) return highlightJs().highlight(code, { language: name, ignoreIllegals: true }).value;
  return escapeHtml(code);
}

const require = createRequire(import.meta.url);
let hljs: HLJSApi | null = null;
let everyLanguage = false;

/**
 * highlight.js with its common languages (about 40: shell, JavaScript, Python, Ruby, HTML, YAML,
 * and their usual names), loaded at the first highlighted block, with the languages their
 * grammars embed. All of its 190 languages cost each build thread about 60 ms to load, the common
 * ones 20, so the rest wait for a post that names one of them (see knowsLanguage).
 */
function highlightJs(): HLJSApi {
  if (hljs === null) {
    hljs = require('highlight.js/lib/common') as HLJSApi;
    // A grammar's embedded language that is not loaded comes out as plain text (Perl's
    // `__DATA__` sections are Mojolicious templates): load those too, so a block highlights the
    // same before and after the other languages load.
    for (const name of embeddedLanguages(hljs).filter((embedded) => hljs!.getLanguage(embedded) === undefined)) {
      hljs.registerLanguage(name, require(`highlight.js/lib/languages/${name}`) as Parameters<HLJSApi['registerLanguage']>[1]);
    }
  }
  return hljs;
}

/** The languages the loaded grammars embed (their modes' `subLanguage`), by name. */
function embeddedLanguages(api: HLJSApi): string[] {
  const names = new Set<string>();
  const seen = new Set<object>();
  const visit = (mode: unknown): void => {
    if (mode === null || typeof mode !== 'object' || seen.has(mode)) return;
    seen.add(mode);
    const { subLanguage, contains, variants, starts } = mode as { subLanguage?: string | string[]; contains?: unknown[]; variants?: unknown[]; starts?: unknown };
    for (const name of subLanguage === undefined ? [] : [subLanguage].flat()) names.add(name);
    for (const child of [...(contains ?? []), ...(variants ?? []), starts]) visit(child);
  };
  for (const language of api.listLanguages()) visit(api.getLanguage(language));
  return [...names];
}

/**
 * Whether highlight.js has a language of this name, loading its other languages the first time a
 * name is not among the common ones. Both bundles register into the same highlight.js, so a
 * language highlights the same whichever loaded it.
 */
function knowsLanguage(name: string): boolean {
  if (highlightJs().getLanguage(name) !== undefined) return true;
  if (everyLanguage) return false;
  require('highlight.js');
  everyLanguage = true;
  return highlightJs().getLanguage(name) !== undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char]!);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
