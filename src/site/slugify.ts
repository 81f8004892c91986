/**
 * Jekyll 4.3's Utils.slugify, character for character.
 */

export type SlugifyMode = 'none' | 'raw' | 'default' | 'pretty' | 'ascii' | 'latin';

/** The modes Jekyll knows; any other mode (including 'none') returns the text, only downcased. */
const SLUGIFY_MODES: ReadonlySet<string> = new Set(['raw', 'default', 'pretty', 'ascii', 'latin']);

/** Runs of characters each mode does not keep; each run becomes one hyphen. */
function replaceablePattern(mode: string): RegExp {
  switch (mode) {
    case 'raw':
      return /[ \t\n\v\f\r]+/g; // Ruby's \s is ASCII only
    case 'pretty':
      return /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu; // these read well in URLs, legal on ext4 and NTFS
    case 'ascii':
      return /[^A-Za-z0-9]+/g;
    default:
      return /[^\p{M}\p{L}\p{Nd}]+/gu; // 'default' and 'latin'
  }
}

/**
 * Jekyll's `slugify(string, mode:, cased:)`:
 * - null/undefined -> '' (Jekyll returns nil);
 * - unknown modes and 'none' return the text, downcased unless `cased`;
 * - 'latin' first transliterates like I18n.transliterate (accents dropped, other non-ASCII -> '?');
 * - runs of characters the mode does not keep become one '-';
 * - one leading and one trailing '-' are removed (Ruby's `gsub!(/^-|-$/, "")`);
 * - the result is downcased unless `cased`.
 * Numbers and booleans are read as their text (Jekyll would raise on them).
 */
export function slugify(text: unknown, mode: SlugifyMode | string = 'default', cased = false): string {
  if (text === null || text === undefined) return '';
  const input = typeof text === 'string' ? text : textOf(text);
  if (!SLUGIFY_MODES.has(mode)) return cased ? input : rubyDowncase(input);
  const source = mode === 'latin' ? transliterateLatin(input) : input;
  const hyphenated = source.replace(replaceablePattern(mode), '-');
  const trimmed = stripOneEdgeHyphen(hyphenated);
  return cased ? trimmed : rubyDowncase(trimmed);
}

/** The text of a template value; a map whose `toString` key hides the method reads as "[object Object]". */
function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Ruby's `gsub!(/^-|-$/, "")` on a single line: removes at most one hyphen at each end
 * ("--a--" -> "-a-" in raw mode, where existing hyphens are kept).
 */
function stripOneEdgeHyphen(slug: string): string {
  let result = slug;
  if (result.startsWith('-')) result = result.slice(1);
  if (result.endsWith('-')) result = result.slice(0, -1);
  return result;
}

/** Ruby's String#downcase: full Unicode, but no final-sigma rule ("ΟΔΟΣ" -> "οδοσ"). */
export function rubyDowncase(text: string): string {
  return text.replace(/Σ/g, 'σ').toLowerCase();
}

/**
 * I18n's default approximations (i18n gem, HashTransliterator) for Latin-1 and Latin
 * Extended-A, as "source characters" -> one replacement each. Characters missing here that are
 * not ASCII become "?", as I18n.transliterate does.
 */
const APPROXIMATION_GROUPS: ReadonlyArray<readonly [string, string]> = [
  ['ÀÁÂÃÄÅĀĂĄ', 'A'], ['àáâãäåāăą', 'a'], ['Æ', 'AE'], ['æ', 'ae'],
  ['ÇĆĈĊČ', 'C'], ['çćĉċč', 'c'], ['ÐĎĐ', 'D'], ['ðďđ', 'd'],
  ['ÈÉÊËĒĔĖĘĚ', 'E'], ['èéêëēĕėęě', 'e'], ['ĜĞĠĢ', 'G'], ['ĝğġģ', 'g'],
  ['ĤĦ', 'H'], ['ĥħ', 'h'], ['ÌÍÎÏĨĪĬĮİ', 'I'], ['ìíîïĩīĭįı', 'i'],
  ['Ĳ', 'IJ'], ['ĳ', 'ij'], ['Ĵ', 'J'], ['ĵ', 'j'], ['Ķ', 'K'], ['ķĸ', 'k'],
  ['ĹĻĽĿŁ', 'L'], ['ĺļľŀł', 'l'], ['ÑŃŅŇ', 'N'], ['ñńņň', 'n'], ['ŉ', "'n"],
  ['Ŋ', 'NG'], ['ŋ', 'ng'], ['ÒÓÔÕÖØŌŎŐ', 'O'], ['òóôõöøōŏő', 'o'], ['Œ', 'OE'], ['œ', 'oe'],
  ['ŔŖŘ', 'R'], ['ŕŗř', 'r'], ['ŚŜŞŠ', 'S'], ['śŝşš', 's'], ['ß', 'ss'],
  ['ŢŤŦ', 'T'], ['ţťŧ', 't'], ['Þ', 'Th'], ['þ', 'th'],
  ['ÙÚÛÜŨŪŬŮŰŲ', 'U'], ['ùúûüũūŭůűų', 'u'], ['Ŵ', 'W'], ['ŵ', 'w'], ['×', 'x'],
  ['ÝŶŸ', 'Y'], ['ýÿŷ', 'y'], ['ŹŻŽ', 'Z'], ['źżž', 'z'],
];

let approximations: Map<string, string> | undefined;

function approximationTable(): Map<string, string> {
  if (approximations === undefined) {
    approximations = new Map();
    for (const [sources, replacement] of APPROXIMATION_GROUPS) {
      for (const character of sources) approximations.set(character, replacement);
    }
  }
  return approximations;
}

/** I18n.transliterate with the default (English) rules: one code point at a time. */
export function transliterateLatin(text: string): string {
  const table = approximationTable();
  return text.replace(/[^\x00-\x7f]/gu, (character) => table.get(character) ?? '?');
}
