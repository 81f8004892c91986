import nunjucks from 'nunjucks';
import { InputError } from '../errors.js';
import type { TemplateSet } from './templates.js';
import { templateError } from './templates.js';

/** Variables every template sees, Jekyll's names: `site`, `page`, `paginator`. */
export interface PageContext {
  readonly site: Record<string, unknown>;
  readonly page: Record<string, unknown>;
  readonly paginator?: Record<string, unknown>;
  /** The coordinate map (Quire's own; Jekyll has none): points, legend, unplaced posts. */
  readonly map?: unknown;
}

/** Jekyll stops a layout chain that loops; so do we, with a clear message. */
const MAX_LAYOUT_DEPTH = 20;

/**
 * Renders `content` through the layout `layout` and its parents (each layout's own front matter
 * may name a `layout`, as in Jekyll). `layout` null returns the content unchanged.
 * `file` names the page being rendered, for error messages.
 */
export function renderWithLayouts(
  set: TemplateSet,
  layout: string | null,
  context: PageContext,
  content: string,
  file: string,
  layoutLine?: number,
): string {
  let html = content;
  let name = layout;
  const seen: string[] = [];
  // Each layout sees the front matter of the layouts below it over its own, as in Jekyll: the
  // base layout reads a post layout's `body_class`.
  let layoutData: Record<string, unknown> = {};
  while (name !== null) {
    const template = set.layoutTemplate(name);
    if (!template) {
      const known = [...set.templates.keys()].filter((key) => !key.includes('/')).map((key) => key.replace(/\.[^.]+$/, ''));
      // The page named the first layout; each later one is named by the layout before it.
      const parent = seen.length > 0 ? set.templates.get(seen[seen.length - 1]!) : undefined;
      throw new InputError({
        file: parent?.file ?? file,
        line: parent ? undefined : layoutLine,
        message: `unknown layout "${name}"`,
        hint: `add templates/${name}.njk, or use one of: ${[...new Set(known)].sort().join(', ')}`,
      });
    }
    if (seen.length >= MAX_LAYOUT_DEPTH || seen.includes(template.name)) {
      throw new InputError({ file: template.file, message: `layouts form a loop: ${[...seen, template.name].join(' -> ')}` });
    }
    seen.push(template.name);
    try {
      layoutData = { ...template.data, ...layoutData };
      html = set.env.render(template.name, { ...context, content: new nunjucks.runtime.SafeString(html), layout: layoutData });
    } catch (error) {
      throw templateError(error, set, file, 'rendering');
    }
    name = typeof template.data.layout === 'string' && template.data.layout !== '' ? template.data.layout : null;
  }
  return html;
}
