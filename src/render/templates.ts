import nunjucks from 'nunjucks';
import { InputError, codeFrame } from '../errors.js';
import { splitFrontMatter } from '../content/frontmatter.js';
import type { Source } from '../types.js';

/** A template file with its own front matter (a layout may name its parent `layout`). */
export interface Template {
  /** Name relative to `templates/`, e.g. `post.njk` or `partials/map.njk`. */
  readonly name: string;
  /** Site-relative path, for error messages (`templates/post.njk`). */
  readonly file: string;
  readonly body: string;
  readonly bodyLine: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The templates a site renders with: the site's own, falling back to Quire's default theme. */
export interface TemplateSet {
  readonly env: nunjucks.Environment;
  readonly templates: ReadonlyMap<string, Template>;
  /** The template file for a layout name (`post` -> `post.njk`), or undefined. */
  layoutTemplate(layout: string): Template | undefined;
}

const LAYOUT_EXTENSIONS = ['.njk', '.html', '.xml', ''];

/**
 * Reads templates from layout Sources. `siteTemplates` win over `themeTemplates` of the same name,
 * as a Jekyll site's `_layouts` win over its theme gem's. Errors in front matter throw InputError.
 */
export function createTemplateSet(
  siteTemplates: readonly Source[],
  themeTemplates: readonly Source[],
  configure: (env: nunjucks.Environment) => void,
): TemplateSet {
  const templates = new Map<string, Template>();
  for (const source of [...themeTemplates, ...siteTemplates]) {
    // `templates/post.njk` (and a Jekyll site's `_layouts/post.njk`) is the template `post.njk`.
    const name = source.relativePath.replace(/^(templates|_layouts)\//, '');
    const { data, body, bodyLine } = splitFrontMatter(source.text ?? '', source.relativePath);
    templates.set(name, { name, file: source.relativePath, body, bodyLine, data });
  }
  const loader = new MemoryLoader(templates);
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: false });
  configure(env);
  const set: TemplateSet = {
    env,
    templates,
    layoutTemplate(layout: string) {
      for (const extension of LAYOUT_EXTENSIONS) {
        const template = templates.get(layout + extension);
        if (template) return template;
      }
      return undefined;
    },
  };
  compileAll(set);
  return set;
}

/**
 * Compiles every template up front. Nunjucks reports a syntax error in an included template from
 * an async callback during a synchronous render, where it cannot be caught; compiling first turns
 * it into an ordinary error with the template's name and line, and compiles each template once.
 */
function compileAll(set: TemplateSet): void {
  const problems: InputError[] = [];
  for (const name of set.templates.keys()) {
    try {
      set.env.getTemplate(name, true);
    } catch (error) {
      problems.push(templateError(error, set, set.templates.get(name)!.file, 'compiling'));
    }
  }
  if (problems.length > 0) throw new TemplateProblems(problems);
}

/** Every template that failed to compile. */
export class TemplateProblems extends Error {
  constructor(readonly problems: readonly InputError[]) {
    super(problems.map((problem) => problem.message).join('; '));
    this.name = 'TemplateProblems';
  }
}

/** Serves templates from memory: the text after each template's front matter. */
class MemoryLoader extends nunjucks.Loader implements nunjucks.ILoader {
  constructor(private readonly templates: ReadonlyMap<string, Template>) {
    super();
  }

  getSource(name: string): nunjucks.LoaderSource {
    const template = this.templates.get(name);
    if (!template) throw new Error(`template not found: ${name}`);
    return { src: template.body, path: template.name, noCache: false };
  }
}

/** Most template mistakes in a theme moved from Jekyll are Liquid syntax; say what Nunjucks wants. */
const TEMPLATE_HINT =
  'templates in templates/ are Nunjucks: filters take arguments in parentheses (`date("%Y")`, not `date: "%Y"`), ' +
  'blocks end with {% endif %}/{% endfor %}, and `a contains b` is `b in a`';

/**
 * Turns a nunjucks error into an InputError naming the template file and line. Nunjucks puts
 * "(name) [Line n, Column m]" in its messages; that is the only place it reports positions. Its
 * parser counts them from 1, but errors thrown while rendering carry the compiled template's own
 * positions, counted from 0 (`when` says which the error is), and a position of 0 is left out:
 * "(name) [Line n]" is column 0, a bare "(name)" line 0.
 */
export function templateError(error: unknown, set: TemplateSet, fallbackFile: string, when: 'compiling' | 'rendering'): InputError {
  const text = error instanceof Error ? error.message : String(error);
  const position = /\(([^)\s]+)\)(?:\s*\n?\s*\[Line (\d+)(?:, Column (\d+))?\])?/g;
  const where = [...text.matchAll(position)].find((match) => set.templates.has(match[1]!));
  const message = text
    .replace(position, (match, name: string) => (set.templates.has(name) ? '' : match))
    .replace(/^\s*(?:Template render error:\s*)?(?:Error:\s*)?/i, '')
    .trim();
  const template = where ? set.templates.get(where[1]!) : undefined;
  if (!template || !where) return new InputError({ file: fallbackFile, message: `template error: ${message}` });
  // Within the text after the front matter.
  const [, , lineText, columnText] = where;
  const bodyLine = when === 'rendering' ? Number(lineText ?? 0) + 1 : lineText === undefined ? undefined : Number(lineText);
  const column = when === 'rendering' ? (columnText !== undefined ? Number(columnText) + 1 : lineText !== undefined ? 1 : undefined) : columnText === undefined ? undefined : Number(columnText);
  if (bodyLine === undefined) return new InputError({ file: template.file, message: `template error: ${message}`, hint: TEMPLATE_HINT });
  const line = bodyLine + template.bodyLine - 1;
  const frame = codeFrame(template.body, bodyLine, column, 2, template.bodyLine);
  return new InputError({ file: template.file, line, column, message: `template error: ${message}`, frame, hint: TEMPLATE_HINT });
}
