/**
 * Which template language a file is written in (kept apart from the Liquid engine, so Quire's own
 * builds never load liquidjs to ask).
 *
 * - Quire's own templates (`templates/**`, and any `*.njk` file) are Nunjucks.
 * - Everything else a build renders is Liquid, as in Jekyll: `_layouts/**`, `_includes/**`, and
 *   the text of posts and pages (which Jekyll runs through Liquid before markdown).
 */
export function engineFor(file: string): 'liquid' | 'nunjucks' {
  const normalized = file.replaceAll('\\', '/').replace(/^\.\//, '');
  return normalized.startsWith('templates/') || normalized.endsWith('.njk') ? 'nunjucks' : 'liquid';
}
