/**
 * The order of a collection's documents in `site.<label>` and `collection.docs`, as Jekyll 4.3's
 * Collection#sort_docs! gives it:
 *
 * - `order:` lists file names below the collection's folder; those come first, in that order,
 *   and every other document after them in the default order (names that match nothing are
 *   ignored);
 * - else `sort_by:` names a front matter key: documents with it by its value, those without it
 *   after them, ties (and values Ruby cannot compare, such as a number and a word) in the
 *   default order;
 * - the default order is by date (undated documents have the build's time), then by path.
 */
import { parseDateValue } from '../dates.js';
import { YamlTimestamp } from '../content/yaml.js';
import type { Instant } from '../types.js';

/** What a document contributes to its place in the order. */
export interface OrderedDocument {
  readonly relativePath: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly date?: Instant;
}

/** A collection's `order:` and `sort_by:` settings. */
export interface CollectionOrder {
  readonly order?: readonly string[];
  readonly sortBy?: string;
}

/** The documents of one collection, whose folder is `_<label>`, in Jekyll's order (a new array). */
export function sortDocuments<T extends OrderedDocument>(documents: readonly T[], label: string, settings: CollectionOrder, timeZone: string): T[] {
  const byDefault = [...documents].sort(defaultOrder);
  if (settings.order) {
    const byPath = new Map(byDefault.map((document) => [document.relativePath, document]));
    const first: T[] = [];
    for (const name of settings.order) {
      const document = byPath.get(`_${label}/${name}`);
      if (document === undefined) continue;
      first.push(document);
      byPath.delete(document.relativePath);
    }
    return [...first, ...byPath.values()];
  }
  const key = settings.sortBy;
  if (key === undefined) return byDefault;
  const withKey = byDefault.filter((document) => hasValue(document.data[key]));
  const without = byDefault.filter((document) => !hasValue(document.data[key]));
  // A stable sort of the default order keeps it for ties.
  withKey.sort((a, b) => rubyCompare(a.data[key], b.data[key], timeZone) ?? 0);
  return [...withKey, ...without];
}

function defaultOrder(a: OrderedDocument, b: OrderedDocument): number {
  return (a.date?.epochMs ?? 0) - (b.date?.epochMs ?? 0) || (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0);
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Ruby's <=> for front matter values; null where Ruby gives nil (values of different kinds). */
function rubyCompare(a: unknown, b: unknown, timeZone: string): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : null;
  if (a instanceof YamlTimestamp && b instanceof YamlTimestamp) {
    const [x, y] = [parseDateValue(a, timeZone), parseDateValue(b, timeZone)];
    return 'error' in x || 'error' in y ? null : x.epochMs - y.epochMs;
  }
  return null;
}
