/**
 * List filters as Ruby's Liquid and Jekyll define them, where liquidjs's differ (see
 * registerRubyListFilters), and the conversion of liquidjs's `nil` for filters written for plain
 * values.
 */
import { Context, Drop, filters as liquidFilters, isTruthy, Liquid, Value } from 'liquidjs';
import { isMap } from '../content/defaults.js';

/** liquidjs's `nil` and `empty` literals as the values they stand for; other values as they are. */
export function fromLiquid(value: unknown): unknown {
  if (!(value instanceof Drop)) return value;
  const plainValue: unknown = value.valueOf();
  return plainValue === null || plainValue === '' ? plainValue : value;
}

/**
 * List filters as Ruby's Liquid and Jekyll define them, where liquidjs differs: Jekyll's `sort`
 * (a hash sorts into [key, value] pairs, by key, as `site.tags | sort` relies on; items without
 * the property come first unless told "last"); `uniq` and `compact` flatten nested lists first
 * (`site.posts | map: "tags" | uniq`); `group_by_exp` groups carry their `size`; `where_exp` keeps
 * the items for which the expression is truthy, not only `true`; `split: " "` splits at runs of
 * whitespace, as Ruby's String#split does (themes' compress.html and word counts rely on it), and
 * `split: ""` into characters; `size` counts characters (an emoji is one), `first` and `last` take
 * nothing of a text and a [key, value] pair of a hash; `pop` and `shift` take a count.
 */
export function registerRubyListFilters(liquid: Liquid): void {
  liquid.registerFilter('split', function (this: FilterContext, input: unknown, pattern: unknown) {
    if (String(fromLiquid(pattern) ?? '') === '') return Array.from(String(fromLiquid(input) ?? ''));
    const words = (liquidFilters.split as unknown as (this: FilterContext, ...args: unknown[]) => string[]).call(this, input, pattern);
    // Ruby's whitespace is ASCII's: a no-break space stays inside a word.
    return String(pattern) === ' ' ? words.join(' ').split(/[ \t\n\v\f\r]+/).filter((word) => word !== '') : words;
  });
  liquid.registerFilter('size', function (this: FilterContext, input: unknown) {
    const value = fromLiquid(input);
    if (typeof value === 'string') return Array.from(value).length;
    // A hash counts its keys (`site.tags | size`).
    if (isMap(value)) return Object.keys(value).length;
    return (liquidFilters.size as unknown as (this: FilterContext, value: unknown) => number).call(this, input);
  });
  for (const [name, end] of [['first', 0], ['last', -1]] as const) {
    liquid.registerFilter(name, (input: unknown) => {
      const value = fromLiquid(input);
      if (Array.isArray(value)) return value.at(end);
      if (isMap(value)) return Object.entries(value).at(end);
      return undefined;
    });
  }
  liquid.registerFilter('pop', (input: unknown, count: unknown = 1) => {
    const value = fromLiquid(input);
    return Array.isArray(value) ? value.slice(0, Math.max(0, value.length - Number(count))) : value;
  });
  liquid.registerFilter('shift', (input: unknown, count: unknown = 1) => {
    const value = fromLiquid(input);
    return Array.isArray(value) ? value.slice(Number(count)) : value;
  });
  liquid.registerFilter('sort', (input: unknown, property?: unknown, nils: unknown = 'first') => {
    const value = fromLiquid(input);
    if (value === null || value === undefined) throw new Error('Cannot sort a null object.');
    if (isMap(value)) return Object.entries(value).sort(([a], [b]) => rubyCompare(a, b));
    const items = Array.isArray(value) ? [...value] : [value];
    const key = fromLiquid(property);
    if (key === null || key === undefined || key === '') return items.sort(rubyCompare);
    if (nils !== 'first' && nils !== 'last') throw new Error(`Invalid nils order: '${String(nils)}' is not a valid nils order. It must be 'first' or 'last'.`);
    const order = nils === 'first' ? -1 : 1;
    return items
      .map((item) => [itemProperty(item, String(key)), item] as const)
      .sort(([a], [b]) => (a !== null && b === null ? -order : a === null && b !== null ? order : rubyCompare(a, b)))
      .map(([, item]) => item);
  });
  liquid.registerFilter('uniq', (input: unknown, property?: unknown) => {
    const items = flatList(input);
    const key = fromLiquid(property);
    const seen = new Set<unknown>();
    return items.filter((item) => {
      const identity = key === null || key === undefined ? item : itemProperty(item, String(key));
      if (seen.has(identity)) return false;
      seen.add(identity);
      return true;
    });
  });
  liquid.registerFilter('compact', (input: unknown, property?: unknown) => {
    const key = fromLiquid(property);
    return flatList(input).filter((item) => (key === null || key === undefined ? item : itemProperty(item, String(key))) != null);
  });
  liquid.registerFilter('group_by_exp', function* (this: FilterContext, input: unknown, itemName: unknown, expression: unknown) {
    const groups = (yield* (liquidFilters.group_by_exp as unknown as (this: FilterContext, ...args: unknown[]) => Generator<unknown, Array<{ name: unknown; items: unknown[] }>>).call(this, input, itemName, expression)) as Array<{ name: unknown; items: unknown[] }>;
    return groups.map((group) => ({ ...group, size: group.items.length }));
  });
  liquid.registerFilter('where_exp', function* (this: FilterContext, input: unknown, itemName: unknown, expression: unknown) {
    const value = fromLiquid(input);
    const items = Array.isArray(value) ? value : isMap(value) ? Object.values(value) : [];
    const condition = new Value(String(expression), this.liquid);
    const kept: unknown[] = [];
    for (const item of items) {
      this.context.push({ [String(itemName)]: item });
      const result: unknown = yield condition.value(this.context);
      this.context.pop();
      if (isTruthy(result, this.context)) kept.push(item);
    }
    return kept;
  });
}

/** What a filter function sees as `this` (liquidjs's FilterImpl, reduced to what is used here). */
interface FilterContext {
  readonly context: Context;
  readonly liquid: Liquid;
}

/** Liquid's InputIterator: a list flattened, a hash as a list of itself, anything else as a list of one. */
function flatList(input: unknown): unknown[] {
  const value = fromLiquid(input);
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.flat(Infinity) : [value];
}

/** Jekyll's item_property: a (dotted) key of a hash or drop, nil when absent. */
function itemProperty(item: unknown, key: string): unknown {
  let value: unknown = item;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined ? null : value;
}

/** Ruby's <=>, with Jekyll's fallback to comparing as text when the two cannot be compared. */
function rubyCompare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = typeof a === 'string' && typeof b === 'string' ? [a, b] : [String(a ?? ''), String(b ?? '')];
  return x < y ? -1 : x > y ? 1 : 0;
}
