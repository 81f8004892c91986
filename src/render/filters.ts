import nunjucks from 'nunjucks';
import {
  dateToLongString,
  dateToRfc822,
  dateToString,
  dateToXmlschema,
  instantAt,
  nowInstant,
  parseDateValue,
  strftime,
} from '../dates.js';
import type { Config } from '../config.js';
import type { Instant } from '../types.js';
import { slugify } from '../site/slugify.js';
import { YamlTimestamp } from '../content/yaml.js';

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
      // Liquid's date keeps an offset written in a string (Time.parse without localtime).
      const instant = instantOf(value, config.timezone, 'written');
      if (!instant) return value;
      return typeof format === 'string' && format !== '' ? strftime(instant, format, config.timezone) : strftime(instant, '%Y-%m-%d %H:%M:%S %z');
    },
    date_to_xmlschema: withDate(dateToXmlschema),
    date_to_rfc822: withDate(dateToRfc822),
    date_to_string: withDate(dateToString),
    date_to_long_string: withDate(dateToLongString),
    relative_url: (value: unknown) => relativeUrl(config.baseurl, value),
    absolute_url: (value: unknown) => absoluteUrl(config.url, config.baseurl, value),
    // Marked safe so autoescaping does not escape it a second time.
    xml_escape: (value: unknown) => new nunjucks.runtime.SafeString(value === null || value === undefined ? '' : escapeXml(String(value))),
    cgi_escape: (value: unknown) => encodeURIComponent(String(value ?? '')).replace(/%20/g, '+').replace(/[!'()*]/g, percentEncode),
    uri_escape: (value: unknown) => encodeURI(String(value ?? '')),
    slugify: (value: unknown, mode?: string, cased?: boolean) => slugify(value, (mode as Parameters<typeof slugify>[1]) ?? 'default', cased === true),
    where: (items: unknown, key: string, value: unknown) => asArray(items).filter((item) => matches(property(item, key), value)),
    group_by: (items: unknown, key: string) => groupBy(asArray(items), key),
    number_of_words: (value: unknown) => {
      const words = textOf(value).trim().split(/\s+/).filter(Boolean);
      return words.length;
    },
    strip_html: (value: unknown) => stripHtml(textOf(value)),
    truncatewords: (value: unknown, count = 15, omission = '...') => {
      const words = textOf(value).trim().split(/\s+/).filter(Boolean);
      return words.length > count ? `${words.slice(0, Math.max(count, 1)).join(' ')}${omission}` : words.join(' ');
    },
    jsonify: (value: unknown) => new nunjucks.runtime.SafeString(JSON.stringify(value ?? null, jsonReplacer)),
    array_to_sentence_string: (items: unknown, connector = 'and') => sentence(asArray(items).map(String), connector),
    normalize_whitespace: (value: unknown) => textOf(value).replace(/\s+/g, ' '),
    strip_newlines: (value: unknown) => textOf(value).replace(/\r?\n/g, ''),
    newline_to_br: (value: unknown) => textOf(value).replace(/\r?\n/g, '<br />\n'),
    size: (value: unknown) => (Array.isArray(value) || typeof value === 'string' ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0),
    now_date: () => nowInstant(config.timezone),
  };
}

/** Reads a date from a template value: our dates, JS Dates, strings in site time, or "now". */
function instantOf(value: unknown, timeZone: string, display: 'site' | 'written' = 'site'): Instant | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'object' && 'epochMs' in value && 'offsetMinutes' in value) return value as Instant;
  if (value === 'now' || value === 'today') return nowInstant(timeZone);
  if (typeof value === 'number') return instantAt(value * 1000, timeZone);
  const parsed =
    value instanceof YamlTimestamp
      ? parseDateValue(value.text, timeZone, { source: 'yaml', display })
      : parseDateValue(value instanceof Date ? value : String(value), timeZone, { source: 'string', display });
  return 'error' in parsed ? null : parsed;
}

/** Jekyll's relative_url: baseurl + path, one slash between, absolute URLs left alone. */
export function relativeUrl(baseurl: string, value: unknown): string {
  const input = String(value ?? '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(input) || input.startsWith('//')) return input;
  const pathPart = input.startsWith('/') ? input : `/${input}`;
  const joined = `${baseurl}${pathPart}`;
  return joined === '' ? '/' : joined;
}

/** Jekyll's absolute_url: site url + relative_url. */
export function absoluteUrl(url: string, baseurl: string, value: unknown): string {
  const relative = relativeUrl(baseurl, value);
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative) || relative.startsWith('//')) return relative;
  return `${url}${relative}`;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ENTITIES[char]!);
}

function percentEncode(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Jekyll's strip_html: drops tags, comments, and script/style contents. */
export function stripHtml(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]*>/g, '');
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
  if (key === 'next' || key === 'previous') return value && typeof value === 'object' ? (value as { url?: unknown }).url ?? null : value;
  if (value instanceof nunjucks.runtime.SafeString) return String(value);
  return value;
}
