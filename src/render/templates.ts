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
  // `dev`: errors thrown while rendering keep their line and column (see templateError).
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: false, dev: true });
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
  compileAll(set, new Set(siteTemplates.map((source) => source.relativePath)));
  return set;
}

/**
 * Compiles every template up front, and checks the site's own for filters Nunjucks does not have.
 * Nunjucks reports a syntax error in an included template from an async callback during a
 * synchronous render, where it cannot be caught; compiling first turns it into an ordinary error
 * with the template's name and line, and compiles each template once.
 */
function compileAll(set: TemplateSet, siteFiles: ReadonlySet<string>): void {
  const problems: InputError[] = [];
  for (const [name, template] of set.templates) {
    try {
      set.env.getTemplate(name, true);
    } catch (error) {
      problems.push(templateError(error, set, template.file, 'compiling'));
      continue;
    }
    // The theme's own templates use only the filters Quire has.
    if (siteFiles.has(template.file)) problems.push(...unknownFilters(set.env, template));
  }
  if (problems.length > 0) throw new TemplateProblems(problems);
}

/** A node of Nunjucks' parse tree, which its typings leave out. */
interface ParsedNode {
  readonly typename: string;
  readonly lineno: number;
  readonly colno: number;
  readonly name?: { readonly value?: unknown };
  readonly [field: string]: unknown;
}

/**
 * Filters a template uses that the environment does not have. Nunjucks finds them only while
 * rendering, and then places the error at the last function call before it, often lines away.
 */
function unknownFilters(env: nunjucks.Environment, template: Template): InputError[] {
  const { parser } = nunjucks as unknown as { parser: { parse(source: string, extensions: unknown[]): ParsedNode } };
  const { extensionsList } = env as unknown as { extensionsList: unknown[] };
  const known = (name: string) => Object.hasOwn((env as unknown as { filters: object }).filters, name);
  const problems: InputError[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const parsed = node as ParsedNode;
    if (typeof parsed.typename !== 'string') return;
    if ((parsed.typename === 'Filter' || parsed.typename === 'FilterAsync') && typeof parsed.name?.value === 'string' && !known(parsed.name.value)) {
      const line = parsed.lineno + 1;
      const column = parsed.colno + 1;
      problems.push(
        new InputError({
          file: template.file,
          line: line + template.bodyLine - 1,
          column,
          message: `template error: there is no filter "${parsed.name.value}"`,
          frame: codeFrame(template.body, line, column, 2, template.bodyLine),
          hint: TEMPLATE_HINT,
        }),
      );
    }
    for (const [field, value] of Object.entries(parsed)) if (field !== 'name' && typeof value === 'object') visit(value);
  };
  visit(parser.parse(template.body, extensionsList));
  return problems;
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
 * Turns a nunjucks error into an InputError naming the template file and line. Nunjucks starts its
 * messages with the templates the error passed through, outermost first, each as "(name)", and
 * puts the position next to the one where it happened: "(post.njk)\n  Template render error:
 * (partials/x.njk) [Line 2, Column 7]\n  Error: ...". Its parser counts positions from 1, but
 * errors thrown while rendering carry the compiled template's positions, counted from 0 (`when`
 * says which the error is), and a position of 0 is left out of the message: "[Line n]" is column
 * 0, and a bare innermost "(name)" has its line 0 only on the error itself.
 */
export function templateError(error: unknown, set: TemplateSet, fallbackFile: string, when: 'compiling' | 'rendering'): InputError {
  const split = splitTemplateMessage(error instanceof Error ? error.message : String(error));
  const chain = split.chain;
  // A template that includes itself runs out of stack: say so in the site's terms.
  let message = /Maximum call stack size exceeded/.test(split.message) ? 'this template never ends: it includes (or extends) itself, directly or through other templates' : split.message;
  const blamed = chain.find((header) => header.line !== undefined) ?? chain[chain.length - 1];
  const template = blamed && set.templates.get(blamed.name);
  if (!blamed || !template) return new InputError({ file: fallbackFile, message: `template error: ${message}` });
  let position: { line: number; column?: number } | undefined;
  if (when === 'compiling') {
    if (blamed.line !== undefined) position = { line: blamed.line, column: blamed.column };
  } else if (blamed.line !== undefined) {
    position = { line: blamed.line + 1, column: (blamed.column ?? 0) + 1 };
  } else {
    const { lineno, colno } = error as { lineno?: unknown; colno?: unknown };
    if (typeof lineno === 'number') position = { line: lineno + 1, column: typeof colno === 'number' ? colno + 1 : undefined };
  }
  // Nunjucks places a missing template at the last output before the tag that names it, and an
  // unclosed block nowhere (it reaches the end of the file looking for the end tag).
  const unclosed = unclosedBlockTag(template.body, message);
  if (unclosed) message = `${message}: this {% ${unclosed.name} %} is never closed with {% end${unclosed.name} %}`;
  position = missingTemplateTag(template.body, message) ?? unclosed ?? position;
  if (!position) return new InputError({ file: template.file, message: `template error: ${message}`, hint: TEMPLATE_HINT });
  // Within the text after the front matter.
  const line = position.line + template.bodyLine - 1;
  const frame = codeFrame(template.body, position.line, position.column, 2, template.bodyLine);
  return new InputError({ file: template.file, line, column: position.column, message: `template error: ${message}`, frame, hint: TEMPLATE_HINT });
}

/** Where the tag naming a missing template is (`{% include "x.njk" %}`), when the body names it once. */
function missingTemplateTag(body: string, message: string): { line: number; column: number } | undefined {
  const missing = /template not found: (\S+)/.exec(message)?.[1];
  if (missing === undefined) return undefined;
  const tags = [...body.matchAll(/\{%-?\s*(?:include|import|from|extends)\s+(["'])(.*?)\1/g)].filter((tag) => tag[2] === missing);
  if (tags.length !== 1) return undefined;
  const before = body.slice(0, tags[0]!.index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: tags[0]!.index! - lineStart + 1 };
}

/** Nunjucks' tags that take an end tag (`set` only without `=`), and Quire's `cached` (see fragments.ts). */
const BLOCK_TAGS = new Set(['if', 'for', 'asyncEach', 'asyncAll', 'block', 'macro', 'call', 'filter', 'raw', 'verbatim', 'set', 'cached']);

/**
 * Where the block tag is (`{% if ... %}`) that the parser reached the end of the file looking for
 * the end of: the innermost one left open (of the kind the message names, when it names one).
 */
function unclosedBlockTag(body: string, message: string): { line: number; column: number; name: string } | undefined {
  if (!/(?:got|unexpected) end of file/.test(message)) return undefined;
  const named = /expected (?:[\w ,]*?\bor )?end(\w+)\b/.exec(message)?.[1];
  const open: Array<{ name: string; at: number }> = [];
  for (const tag of body.matchAll(/\{%-?\s*(\w+)([^%]*)/g)) {
    const name = tag[1]!;
    if (BLOCK_TAGS.has(name) && !(name === 'set' && tag[2]!.includes('='))) open.push({ name, at: tag.index! });
    else if (name.startsWith('end') && BLOCK_TAGS.has(name.slice(3))) {
      const last = open.map((entry) => entry.name).lastIndexOf(name.slice(3));
      if (last !== -1) open.splice(last);
    }
  }
  const unclosed = named === undefined ? open.at(-1) : open.filter((entry) => entry.name === named).at(-1);
  if (unclosed === undefined) return undefined;
  const before = body.slice(0, unclosed.at);
  return { line: before.split('\n').length, column: unclosed.at - before.lastIndexOf('\n'), name: unclosed.name };
}

/** The "(name) [Line n, Column m]" headers at the start of a nunjucks message, and what follows them. */
function splitTemplateMessage(text: string): { chain: Array<{ name: string; line?: number; column?: number }>; message: string } {
  const header = /^\s*(?:Template render error:\s*)?\(([^)\s]+)\)(?:[ \t]*\[Line (\d+)(?:, Column (\d+))?\])?/;
  const chain: Array<{ name: string; line?: number; column?: number }> = [];
  let rest = text;
  for (let match = header.exec(rest); match; match = header.exec(rest)) {
    chain.push({ name: match[1]!, line: match[2] === undefined ? undefined : Number(match[2]), column: match[3] === undefined ? undefined : Number(match[3]) });
    rest = rest.slice(match[0].length);
  }
  return { chain, message: rest.replace(/^\s*(?:Template render error:\s*)?(?:Error:\s*)?/i, '').trim() };
}
