/**
 * Liquid's text and number filters as Ruby's Liquid 5 writes them, where liquidjs's differ: HTML
 * escaping with `&quot;` (and `escape_once` leaving entities alone), URL encoding as CGI.escape does
 * (`'()*!` encoded) and decoding that keeps a stray `%`, and arithmetic on Ruby's numbers (text read
 * by its leading integer, whole numbers dividing as whole numbers, and no floating-point noise:
 * `0.1 | plus: 0.2` is 0.3, as Ruby's BigDecimal gives it).
 */
import type { Liquid } from 'liquidjs';
import { fromLiquid } from './list-filters.js';

export function registerRubyTextFilters(liquid: Liquid): void {
  liquid.registerFilter('escape', (input: unknown) => textOf(input)?.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!));
  // Liquid's HTML_ESCAPE_ONCE_REGEXP: what is already an entity (`&quot;`, `&#39;`) stays.
  liquid.registerFilter('escape_once', (input: unknown) => textOf(input)?.replace(/["><']|&(?!([a-zA-Z]+|(#\d+));)/g, (character) => HTML_ESCAPES[character]!));
  liquid.registerFilter('url_encode', (input: unknown) =>
    textOf(input)?.replace(/[^ ]+/g, (part) => encodeURIComponent(part).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)).replaceAll(' ', '+'),
  );
  // Runs of %XX are bytes of UTF-8; anything else (a lone `%`) is left as it is.
  liquid.registerFilter('url_decode', (input: unknown) =>
    textOf(input)
      ?.replaceAll('+', ' ')
      .replace(/(?:%[0-9a-fA-F]{2})+/g, (bytes) => Buffer.from(bytes.replaceAll('%', ''), 'hex').toString('utf8')),
  );

  liquid.registerFilter('plus', (value: unknown, other: unknown) => decimal(rubyNumber(value), rubyNumber(other), (a, b) => a + b, Math.max));
  liquid.registerFilter('minus', (value: unknown, other: unknown) => decimal(rubyNumber(value), rubyNumber(other), (a, b) => a - b, Math.max));
  liquid.registerFilter('times', (value: unknown, other: unknown) => decimal(rubyNumber(value), rubyNumber(other), (a, b) => a * b, (a, b) => a + b));
  // Ruby's integer arithmetic: 7 | divided_by: 2 is 3 ("minutes to read" templates rely on it),
  // but 7 | divided_by: 2.0 is 3.5. JavaScript has no 2.0, so a divisor written as a decimal in
  // the template counts as a float (one from a variable holding 2.0 cannot be told from 2).
  liquid.registerFilter('divided_by', function (this: { token?: { args?: readonly unknown[] } }, value: unknown, divisor: unknown) {
    const [a, b] = [rubyNumber(value), rubyNumber(divisor)];
    if (b === 0) throw new Error('divided by 0');
    return Number.isInteger(a) && Number.isInteger(b) && !writtenAsDecimal(this.token?.args?.[0]) && !isDecimalText(value) ? Math.floor(a / b) : a / b;
  });
  liquid.registerFilter('modulo', (value: unknown, divisor: unknown) => {
    const [a, b] = [rubyNumber(value), rubyNumber(divisor)];
    if (b === 0) throw new Error('divided by 0');
    return decimal(a, b, (x, y) => x - y * Math.floor(x / y), Math.max);
  });
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A filter's input as text; nil stays nil (it prints as nothing). */
function textOf(input: unknown): string | undefined {
  const value = fromLiquid(input);
  return value === null || value === undefined ? undefined : String(value);
}

/** Whether a filter argument is a number literal written with a decimal point (`2.0`). */
function writtenAsDecimal(argument: unknown): boolean {
  const text = (argument as { getText?: () => string } | undefined)?.getText?.();
  return typeof text === 'string' && /^-?\d+\.\d+$/.test(text);
}

/** Text Ruby reads as a decimal (`"7.0"`), which divides as a float. */
function isDecimalText(value: unknown): boolean {
  return typeof value === 'string' && /^\s*-?\d+\.\d+\s*$/.test(value);
}

/** Liquid's Utils.to_number: numbers stay, "7" is 7, "7.5" is 7.5, other text is its leading integer (`_` allowed) or 0. */
function rubyNumber(input: unknown): number {
  const value = fromLiquid(input);
  if (typeof value === 'number') return value;
  const text = String(value ?? '').trim();
  if (/^-?\d+\.\d+$/.test(text)) return Number(text);
  const integer = /^[+-]?\d[\d_]*/.exec(text);
  return integer ? Number(integer[0].replaceAll('_', '')) : 0;
}

/**
 * `operation` on a and b as Ruby's Liquid does it, in decimals (BigDecimal): the result has the
 * decimal places `places` gives from the operands' (the larger for a sum, both together for a
 * product), so binary floating point's noise goes (0.1 + 0.2 is 0.3, 4.35 × 100 is 435).
 */
function decimal(a: number, b: number, operation: (a: number, b: number) => number, places: (a: number, b: number) => number): number {
  const result = operation(a, b);
  if (Number.isInteger(result) || !Number.isFinite(result)) return result;
  const digits = places(decimalPlaces(a), decimalPlaces(b));
  return digits > 15 ? result : Number(result.toFixed(digits));
}

/** How many decimal places a number is written with (16 when it is written with an exponent). */
function decimalPlaces(value: number): number {
  const text = String(value);
  if (text.includes('e')) return 16;
  return text.split('.')[1]?.length ?? 0;
}
