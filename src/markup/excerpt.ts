/**
 * Jekyll's excerpt source: the text before the first `excerpt_separator` (by default the first
 * blank line, i.e. the first paragraph), followed by the post's link reference definitions so that
 * `[text][ref]` links in the excerpt still resolve, as Jekyll does. Null when front matter sets
 * `excerpt:` itself, or the separator is empty. `cut` may change the text before the separator
 * when there is more after it.
 */
export function excerptSource(body: string, separator: string, cut: (head: string) => string = (head) => head): string | null {
  if (separator === '') return null;
  const start = body.search(/\S/);
  if (start === -1) return '';
  const end = body.indexOf(separator, start);
  // `cut` mends a head the separator cut short (Jekyll closes Liquid blocks left open).
  const head = end === -1 ? body.slice(start) : cut(body.slice(start, end));
  const references = linkReferenceDefinitions(body);
  return references.length === 0 ? head : `${head}\n\n${references.join('\n')}`;
}

const LINK_DEFINITION = /^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$/gm;

function linkReferenceDefinitions(body: string): string[] {
  if (!body.includes(']:')) return [];
  return body.match(LINK_DEFINITION) ?? [];
}
