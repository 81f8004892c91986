/**
 * Ruby's `inspect`, which Liquid's `inspect` filter gives and which printing a hash shows
 * (`{"name"=>"Jane Doe", "tags"=>["a", "b"]}`, Ruby 3.1's form): themes print `site.author` or a
 * data entry and get this text in Jekyll.
 */
import { YamlTimestamp } from '../content/yaml.js';

export function rubyInspect(value: unknown, seen: Set<unknown> = new Set()): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return rubyString(value);
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? rubyNumber(value) : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof YamlTimestamp) return String(value);
  if (typeof value !== 'object') return rubyString(String(value));
  if (seen.has(value)) return Array.isArray(value) ? '[...]' : '{...}';
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item) => rubyInspect(item, seen)).join(', ')}]`;
    const prototype = Object.getPrototypeOf(value);
    // A date, or another value with a text of its own, shows that text (as Time#inspect does).
    if (prototype !== Object.prototype && prototype !== null) return String(value);
    return `{${Object.entries(value).map(([key, item]) => `${rubyString(key)}=>${rubyInspect(item, seen)}`).join(', ')}}`;
  } finally {
    seen.delete(value);
  }
}

function rubyNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(value);
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\u0007': '\\a', '\u001b': '\\e' };

function rubyString(text: string): string {
  const body = text.replace(/["\\\n\t\r\f\v\b\u0007\u001b]|[\u0000-\u001f\u007f]|#(?=[{$@])/g, (char) => {
    if (char === '#') return '\\#';
    return ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  });
  return `"${body}"`;
}
