import MarkdownIt from 'markdown-it';
import nunjucks from 'nunjucks';
import {
  dateToLongString,
  dateToRfc822,
  dateToString,
  dateToXmlschema,
  instantAt,
  nowInstant,
  offsetMinutesAt,
  parseDateValue,
  strftime,
} from '../dates.js';
import type { Config } from '../config.js';
import { BoundedMemo } from '../memo.js';
import type { Instant } from '../types.js';
import { slugify } from '../site/slugify.js';
import { YamlTimestamp } from '../content/yaml.js';
import { kramdownTypography } from '../markup/typography.js';

type Filter = (...args: any[]) => unknown;

/**
 * Jekyll's common Liquid filters, for Nunjucks templates. Each behaves as its Jekyll namesake,
 * so a template moved from Liquid needs only its syntax changed.
 */
export function jekyllFilters(config: Config): Record<string, Filter> {
  const toInstant = (value: unknown): Instant | null => instantOf(value, config.timezone);
  const withDate =
    (format: (instant: Instant, ...rest: any[]) => string) =>
    (value: unknown, ...rest: unknown[]) => {
      const instant = toInstant(value);
      return instant ? format(instant, ...rest) : value;
    };
  return {
    date: (value: unknown, format: unknown) => {
      // Liquid's date gives back its input for an empty format, and reads text of digits as seconds since 1970.
      if (format === '') return value;
      const time = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      // Liquid's date keeps an offset written in a string (Time.parse without localtime).
      const instant = rubyDateOnly(time) ?? instantOf(time, config.timezone, 'written');
      if (!instant) return value;
      const zone = rubyZone(time, instant, config.timezone);
      return typeof format === 'string' ? strftime(instant, format, zone) : strftime(instant, '%Y-%m-%d %H:%M:%S %z');
    },
    date_to_xmlschema: withDate(dateToXmlschema),
    date_to_rfc822: withDate(dateToRfc822),
    date_to_string: withDate(dateToString),
    date_to_long_string: withDate(dateToLongString),
    // Jekyll returns nil for nil, which prints nothing.
    relative_url: (value: unknown) => (value === null || value === undefined ? null : relativeUrl(config.baseurl, value)),
    absolute_url: (value: unknown) => (value === null || value === undefined ? null : absoluteUrl(config.url, config.baseurl, value)),
    // Marked safe so autoescaping does not escape it a second time.
    xml_escape: (value: unknown) => new nunjucks.runtime.SafeString(value === null || value === undefined ? '' : escapeXml(String(value))),
    cgi_escape: (value: unknown) => encodeURIComponent(String(value ?? '')).replace(/%20/g, '+').replace(/[!'()*]/g, percentEncode),
    // Addressable::URI.normalize_component: reserved characters kept, existing escapes not doubled.
    uri_escape: (value: unknown) => normalizeComponent(String(value ?? ''), URI_KEEP),
    slugify: (value: unknown, mode?: string, cased?: boolean) => slugify(value, (mode as Parameters<typeof slugify>[1]) ?? 'default', cased === true),
    where: (items: unknown, key: string, value: unknown) => asArray(items).filter((item) => matches(property(item, key), value)),
    group_by: (items: unknown, key: string) => groupBy(asArray(items), key),
    number_of_words: (value: unknown, mode?: unknown) => numberOfWords(textOf(value), mode),
    strip_html: (value: unknown) => stripHtml(textOf(value)),
    truncatewords: (value: unknown, count: unknown = 15, omission: unknown = '...') => truncateWords(value, count, omission),
    jsonify: (value: unknown) => new nunjucks.runtime.SafeString(JSON.stringify(value ?? null, jsonReplacer)),
    array_to_sentence_string: (items: unknown, connector = 'and') => sentence(asArray(items).map(String), connector),
    normalize_whitespace: (value: unknown) => normalizeWhitespace(textOf(value)),
    strip_newlines: (value: unknown) => textOf(value).replace(/\r?\n/g, ''),
    newline_to_br: (value: unknown) => textOf(value).replace(/\r?\n/g, '<br />\n'),
    size: (value: unknown) => (Array.isArray(value) || typeof value === 'string' ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0),
    now_date: () => nowInstant(config.timezone),
    // kramdown's SmartyPants: its quotes, dashes, ellipses and guillemets, as the posts get them.
    // The result is HTML (an `&` in the text comes out `&amp;`), so it is not escaped again.
    smartify: (value: unknown) => new nunjucks.runtime.SafeString(value === null || value === undefined ? '' : smartify(String(value))),
  };
}

let smartypants: MarkdownIt | undefined;

function smartify(text: string): string {
  smartypants ??= new MarkdownIt('zero', { typographer: true, html: true }).use(kramdownTypography).enable(['replacements', 'smartquotes', 'html_inline', 'entity']);
  return smartypants.renderInline(text);
}

/** Reads a date from a template value: our dates, JS Dates, strings in site time, or "now". */
function instantOf(value: unknown, timeZone: string, display: 'site' | 'written' = 'site'): Instant | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'object' && 'epochMs' in value && 'offsetMinutes' in value) return value as Instant;
  if (value === 'now' || value === 'today') return nowInstant(timeZone);
  if (typeof value === 'number') return instantAt(value * 1000, timeZone);
  const parsed = parseDateValue(value instanceof YamlTimestamp || value instanceof Date ? value : String(value), timeZone, { source: 'string', display });
  return 'error' in parsed ? null : parsed;
}

/** A URL with a scheme, which relative_url and absolute_url leave alone (Addressable's `absolute?`). */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Jekyll's relative_url: baseurl + the input with a leading slash (an empty input adds nothing),
 * URLs with a scheme left alone, then percent-encoded as Addressable's `normalize` does for the
 * path, query and fragment (`/a b/café/` -> `/a%20b/caf%C3%A9/`). Dot segments are not removed.
 */
export function relativeUrl(baseurl: string, value: unknown): string {
  const input = String(value ?? '');
  if (HAS_SCHEME.test(input)) return input;
  const joined = `${baseurl}${input === '' || input.startsWith('/') ? input : `/${input}`}`;
  return normalizeRelativeUrl(joined);
}

/** Jekyll's absolute_url: site url + relative_url (or just relative_url without a site url). */
export function absoluteUrl(url: string, baseurl: string, value: unknown): string {
  const relative = relativeUrl(baseurl, value);
  if (HAS_SCHEME.test(relative) || url === '') return relative;
  // Addressable gives an http(s) URL with an empty path the path "/".
  return `${url}${relative === '' ? '/' : relative}`;
}

// Addressable's character classes (RFC 3986): what normalize_component leaves unencoded.
const URI_KEEP = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/;
const PCHAR_KEEP = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;
const QUERY_KEEP = /[A-Za-z0-9\-._~!$'()*+,=:@/?]/;
const FRAGMENT_KEEP = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

/** A path made only of characters Addressable keeps as they are: the usual case, left alone. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/** Splits a relative URL as RFC 3986's regex does and normalizes each part's escaping. */
function normalizeRelativeUrl(url: string): string {
  if (PLAIN_PATH.test(url)) return url; // every page links with relative_url: keep this cheap
  // The same few URLs with spaces or accents recur on every page (category links): normalise each once.
  return normalizedUrls.get(url);
}

const normalizedUrls = new BoundedMemo(50_000, normalizeUrlParts);

function normalizeUrlParts(url: string): string {
  const m = /^([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(url)!;
  const path = m[1]!.split('/').map((segment) => normalizeComponent(segment, PCHAR_KEEP)).join('/');
  // A query is normalized pair by pair, keeping %2B (a "+" that is not a space) encoded.
  const query = m[2] === undefined ? '' : m[2].split('&').map((pair) => normalizeComponent(pair, QUERY_KEEP, '+')).join('&');
  const fragment = m[3] === undefined ? '' : normalizeComponent(m[3], FRAGMENT_KEEP);
  return path + (query === '' ? '' : `?${query}`) + (fragment === '' ? '' : `#${fragment}`);
}

/**
 * Addressable::URI.normalize_component: decodes every %XX (except those of `leaveEncoded`),
 * NFC-normalizes valid UTF-8, then percent-encodes (upper-case hex) every byte outside `keep`.
 */
export function normalizeComponent(text: string, keep: RegExp, leaveEncoded = ''): string {
  if (!text.includes('%') && [...text].every((char) => keep.test(char))) return text;
  const leave = new Set([...leaveEncoded].map((char) => char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')));
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-f]{2}$/i.test(hex) && !leave.has(hex.toUpperCase())) {
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i)!);
    bytes.push(...encoder.encode(char));
    i += char.length;
  }
  let decoded = Uint8Array.from(bytes);
  try {
    decoded = encoder.encode(new TextDecoder('utf-8', { fatal: true }).decode(decoded).normalize('NFC'));
  } catch {
    // Not UTF-8 once decoded: Addressable skips the normalization.
  }
  let out = '';
  for (let i = 0; i < decoded.length; i++) {
    const char = String.fromCharCode(decoded[i]!);
    const keptEscape = char === '%' && leave.has(String.fromCharCode(decoded[i + 1] ?? 0, decoded[i + 2] ?? 0).toUpperCase());
    out += decoded[i]! < 0x80 && (keep.test(char) || keptEscape) ? char : percentEncode(char);
  }
  return out;
}

/** A date-only YAML value is a Ruby Date: Liquid's `date` formats it as UTC midnight (+0000). */
function rubyDateOnly(value: unknown): Instant | null {
  const m = value instanceof YamlTimestamp ? /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value.text.trim()) : null;
  return m ? { epochMs: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])), offsetMinutes: 0 } : null;
}

/** An offset written after a time of day: what makes Ruby's Time a UTC or fixed-offset time. */
const WRITTEN_OFFSET = /\d:\d\d(?::\d\d(?:\.\d*)?)?\s*(Z|UTC|GMT|[-+]\d{1,2}(?::?\d\d)?)$/i;

/**
 * The zone whose name Liquid's `date` prints for %Z (Ruby's Time#zone), or undefined for none.
 * Psych makes `Z` a UTC time and any other written offset a fixed-offset time (no zone name);
 * Time.parse makes UTC designators UTC and keeps the local zone when the offset is the local one.
 * Times without a written offset are local, in the site zone.
 */
function rubyZone(value: unknown, instant: Instant, timeZone: string): string | undefined {
  if (rubyDateOnly(value)) return undefined;
  if (!(value instanceof YamlTimestamp) && typeof value !== 'string') return timeZone;
  const offset = WRITTEN_OFFSET.exec((value instanceof YamlTimestamp ? value.text : String(value)).trim())?.[1];
  if (offset === undefined) return timeZone;
  if (value instanceof YamlTimestamp) return offset === 'Z' ? 'UTC' : undefined;
  if (/^(?:Z|UTC|-00(?::?00)?)$/i.test(offset)) return 'UTC';
  return instant.offsetMinutes === offsetMinutesAt(instant.epochMs, timeZone) ? timeZone : undefined;
}

/** Ruby's `\s` and String#split whitespace: ASCII only (no-break spaces are not spaces). */
const RUBY_SPACES = /[ \t\n\v\f\r]+/g;

/** Jekyll's normalize_whitespace: runs of Ruby's ASCII whitespace become one space, ends trimmed of one. */
export function normalizeWhitespace(value: string): string {
  return value.replace(RUBY_SPACES, ' ').replace(/^ | $/g, '');
}

/** Jekyll's number_of_words: whitespace-separated words; "cjk" counts each CJK character, "auto" too when there are any. */
function numberOfWords(text: string, mode: unknown): number {
  const plain = () => text.split(RUBY_SPACES).filter(Boolean).length;
  const cjk = text.match(/[\p{sc=Han}\p{sc=Katakana}\p{sc=Hiragana}\p{sc=Hangul}]/gu)?.length ?? 0;
  const others = () => text.match(/[^\p{sc=Han}\p{sc=Katakana}\p{sc=Hiragana}\p{sc=Hangul} \t\n\v\f\r]+/gu)?.length ?? 0;
  if (mode === 'cjk') return cjk + others();
  if (mode === 'auto') return cjk === 0 ? plain() : cjk + others();
  return plain();
}

/**
 * Liquid 5's truncatewords: at most `count` (at least 1) whitespace-separated words joined by one
 * space, then `omission`; a text with no more words than that comes back unchanged. nil stays nil.
 */
function truncateWords(value: unknown, count: unknown, omission: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  const limit = Math.max(Math.trunc(Number(count)) || 0, 1);
  const words = text.split(RUBY_SPACES).filter(Boolean);
  if (words.length <= limit) return text;
  return words.slice(0, limit).join(' ') + textOf(omission);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Characters XML 1.0 cannot contain at all, even escaped: C0 controls other than tab, newline
 * and carriage return, unpaired surrogates, U+FFFE and U+FFFF. One of them makes a whole feed
 * unreadable to a strict parser, so xml_escape drops them (Jekyll's copies them through).
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (char) => XML_ENTITIES[char]!);
}

function percentEncode(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Liquid's strip_html: one pass dropping script and style elements and comments (whichever
 * starts first; case-sensitive, as Liquid's regexes are), then a pass dropping tags.
 */
export function stripHtml(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>|<!--[\s\S]*?-->|<style[\s\S]*?<\/style>/g, '').replace(/<[\s\S]*?>/g, '');
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') return Object.values(value);
  return [value];
}

function property(item: unknown, key: string): unknown {
  return item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;
}

/** `where` matches a value, or membership when the property is a list (as Jekyll's does). */
function matches(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => String(item) === String(expected));
  return String(actual ?? '') === String(expected ?? '');
}

function groupBy(items: unknown[], key: string): Array<{ name: string; items: unknown[]; size: number }> {
  const groups = new Map<string, unknown[]>();
  for (const item of items) {
    const name = String(property(item, key) ?? '');
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name)!.push(item);
  }
  return [...groups].map(([name, grouped]) => ({ name, items: grouped, size: grouped.length }));
}

function sentence(items: string[], connector: string): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} ${connector} ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, ${connector} ${items[items.length - 1]}`;
}

/** Posts link to each other (next/previous); JSON output cuts those cycles. */
function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  // A post's neighbours and nearby posts point back at it: they are written as their URLs.
  if (key === 'next' || key === 'previous') return value && typeof value === 'object' ? (value as { url?: unknown }).url ?? null : value;
  if (key === 'nearby' && Array.isArray(value)) return value.map((near: unknown) => (near && typeof near === 'object' ? ((near as { url?: unknown }).url ?? null) : near));
  if (value instanceof nunjucks.runtime.SafeString) return String(value);
  return value;
}
