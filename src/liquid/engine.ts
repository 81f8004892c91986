/**
 * Liquid as Jekyll 4.3 runs it, on liquidjs: `_layouts/` and `_includes/` served from memory,
 * lenient variables and filters (Jekyll's `liquid:` defaults), Jekyll's filters (the same
 * functions Quire's Nunjucks templates use), Liquid's standard filters, and Jekyll's tags
 * (see tags.ts). Nothing here reads the disk: the builder passes every file in.
 */
import nunjucks from 'nunjucks';
import { YamlTimestamp } from '../content/yaml.js';
import { parseDateValue } from '../dates.js';
import { TemplateDate } from '../render/views.js';
import MarkdownIt from 'markdown-it';
import { Context, defaultOperators, Liquid, LiquidError, type Operators, type Template } from 'liquidjs';
import type { Config } from '../config.js';
import { InputError, codeFrame } from '../errors.js';
import { deepMerge, isMap } from '../content/defaults.js';
import { createMarkdown } from '../markup/markdown.js';
import { jekyllFilters } from '../render/filters.js';
import type { LinkResolver } from './links.js';
import { FACTS, registerJekyllTags, type RenderFacts } from './tags.js';
import { fromLiquid, registerRubyListFilters } from './list-filters.js';
import { rubyInspect } from './inspect.js';
import { registerRubyTextFilters } from './text-filters.js';

export { engineFor } from '../render/engine-for.js';

/** A `_layouts/` file: `_layouts/default.html` is the layout `default`. */
export interface LiquidLayout {
  /** The text after the front matter. */
  readonly body: string;
  /** The front matter (`layout:` names the parent layout). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Site-relative path, for errors (`_layouts/default.html`). */
  readonly file: string;
  /** 1-based line of `file` on which `body` starts (after the front matter); 1 when absent. */
  readonly bodyLine?: number;
}

export interface LiquidEngineOptions {
  readonly config: Config;
  /** Layouts by name: the path below `_layouts/` without its extension (`default`, `blog/post`). */
  readonly layouts: ReadonlyMap<string, LiquidLayout>;
  /** `_includes/` files by their path below `_includes/` (`footer.html`, `social/icons.html`), raw text. */
  readonly includes: ReadonlyMap<string, string>;
  /** Finds what `{% link %}` and `{% post_url %}` name (see createLinkResolver); without it they fail. */
  readonly links?: LinkResolver;
  /** Reads a site file for `{% include_relative %}` (site-relative path), or undefined when absent. */
  readonly readFile?: (relativePath: string) => string | undefined;
  /** The markdown converter behind `markdownify`; a fresh createMarkdown() when absent. */
  readonly markdown?: MarkdownIt;
}

/** The variables a page renders with, as Jekyll names them. */
export interface LiquidPageContext {
  readonly site: Readonly<Record<string, unknown>>;
  readonly page: Readonly<Record<string, unknown>>;
  /** jekyll-paginate's paginator, on the pages it paginates; nil elsewhere. */
  readonly paginator?: Readonly<Record<string, unknown>> | null;
  /** Site-relative path of the post or page (Jekyll's `page.path`): errors name it, include_relative starts from its folder. */
  readonly file: string;
  /** `site.related_posts` while a post renders (Jekyll sets it for posts, nil elsewhere). */
  readonly relatedPosts?: readonly unknown[];
}

export interface ContentOptions {
  /** 1-based line of `file` on which the text starts (the body line after front matter). */
  readonly line?: number;
  /** The page's first layout: Jekyll lets the content read its front matter as `layout`. */
  readonly layout?: string | null;
  /** True when markdown converts the result (keeps `{% highlight %}` blocks whole for markdown-it). */
  readonly markdown?: boolean;
}

export interface LayoutResult {
  readonly html: string;
  /** Jekyll's "Build Warning: Layout 'x' requested in y does not exist." */
  readonly warnings: readonly string[];
}

export interface LiquidEngine {
  /**
   * Renders the Liquid in a post's or page's text (before markdown), as Jekyll does. Text without
   * `{{` or `{%` comes back unchanged. Throws InputError naming the file and line.
   */
  renderLiquidInContent(text: string, context: LiquidPageContext, options?: ContentOptions): string;
  /**
   * Places `content` (the converted HTML) in the layout `layout` and its parents, each seeing
   * `content`, `page`, `site`, `layout` (its own front matter merged under its children's) and
   * `paginator`. A missing layout renders nothing around the content and warns, as in Jekyll;
   * `null`, `""` and `"none"` mean no layout. Throws InputError naming the layout file and line.
   */
  renderWithLayouts(content: string, layout: string | null | undefined, context: LiquidPageContext): LayoutResult;
  /** True when a layout of that name exists. */
  hasLayout(name: string): boolean;
}

/** Jekyll's `jekyll.version`, what Liquid templates see of the generator. */
export const JEKYLL_VERSION = '4.3.1';

/** Jekyll stops when a layout chain loops; a very long chain is a mistake as well. */
const MAX_LAYOUT_DEPTH = 100;

/** Jekyll's Utils.has_liquid_construct?. */
export function hasLiquid(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/**
 * Whether Jekyll renders a page's or post's text with Liquid: unless its front matter says
 * `render_with_liquid: false`, and only when the text has `{{` or `{%`.
 */
export function rendersWithLiquid(text: string, data: Readonly<Record<string, unknown>>): boolean {
  return data.render_with_liquid !== false && hasLiquid(text);
}

/** Ruby's `contains`: a hash contains its keys (`site.data.authors contains page.author`). */
const JEKYLL_OPERATORS: Operators = {
  ...defaultOperators,
  contains: function* (left: unknown, right: unknown): Generator<unknown, boolean, unknown> {
    const value = fromLiquid(left);
    if (isMap(value)) return Object.hasOwn(value, String(fromLiquid(yield right) ?? ''));
    return (yield* (defaultOperators.contains as (l: unknown, r: unknown) => Generator<unknown, boolean, unknown>)(left, right)) as boolean;
  },
};

/** Builds an engine for one set of layouts and includes (rebuild it when they change). */
export function createLiquidEngine(options: LiquidEngineOptions): LiquidEngine {
  const { config } = options;
  const liquid = new Liquid({
    operators: JEKYLL_OPERATORS,
    // Built-in file tags (render, layout) look here instead of the disk.
    templates: Object.fromEntries(options.includes),
    strictFilters: false,
    strictVariables: false,
    jsTruthy: false,
    ownPropertyOnly: true,
    cache: false,
    dynamicPartials: true,
    jekyllInclude: true,
    jekyllWhere: true,
  });
  const toLiquid = liquidValues(options.config.timezone);
  /** Lines to add to a token's line to get the file's line, per file name given to parse. */
  const lineOffsets = new Map<string, number>();
  const includeCache = new Map<string, Template[] | null>();
  /** include_relative reads any site file, which may change while the engine lives: kept by text. */
  const relativeCache = new Map<string, { text: string; templates: Template[] }>();
  const layoutCache = new Map<LiquidLayout, Template[]>();

  registerJekyllFilters(liquid, config, options.markdown);
  registerJekyllTags(liquid, {
    config,
    links: options.links,
    includesDir: '_includes',
    include(file) {
      return cached(includeCache, file, () => {
        const text = options.includes.get(file);
        return text === undefined ? undefined : parse(text, `_includes/${file}`, 1);
      });
    },
    relativeFile(file) {
      const text = options.readFile?.(file);
      if (text === undefined) return undefined;
      const known = relativeCache.get(file);
      if (known?.text === text) return known.templates;
      const templates = parse(text, file, 1);
      relativeCache.set(file, { text, templates });
      return templates;
    },
  });

  function parse(text: string, file: string, line: number): Template[] {
    lineOffsets.set(file, line - 1);
    return liquid.parse(text, file);
  }

  function layoutTemplates(layout: LiquidLayout): Template[] {
    let templates = layoutCache.get(layout);
    if (!templates) {
      try {
        templates = parse(layout.body, layout.file, layout.bodyLine ?? 1);
      } catch (error) {
        throw liquidProblem(error, layout.file, lineOffsets);
      }
      layoutCache.set(layout, templates);
    }
    return templates;
  }

  function render(templates: Template[], scope: Record<string, unknown>, facts: RenderFacts, file: string): string {
    const ctx = new Context(scope, liquid.options, { sync: true }, { liquid });
    ctx.setRegister(FACTS, facts);
    try {
      return String(liquid.renderSync(templates, ctx));
    } catch (error) {
      throw liquidProblem(error, file, lineOffsets);
    }
  }

  function baseScope(context: LiquidPageContext): Record<string, unknown> {
    const site = toLiquid.site(context.site) as Record<string, unknown>;
    return {
      site: context.relatedPosts ? { ...site, related_posts: toLiquid.value(context.relatedPosts, context.site) } : site,
      page: toLiquid.value(context.page, context.site),
      paginator: context.paginator ? toLiquid.value(context.paginator, context.site) : null,
      jekyll: { version: JEKYLL_VERSION, environment: config.environment },
      highlighter_prefix: '',
      highlighter_suffix: '',
    };
  }

  function layoutNamed(name: string | null | undefined): LiquidLayout | undefined {
    return name === null || name === undefined || name === '' || name === 'none' ? undefined : options.layouts.get(String(name));
  }

  return {
    renderLiquidInContent(text, context, contentOptions = {}) {
      if (!hasLiquid(text)) return text;
      let templates: Template[];
      try {
        templates = parse(text, context.file, contentOptions.line ?? 1);
      } catch (error) {
        throw liquidProblem(error, context.file, lineOffsets);
      }
      const first = layoutNamed(contentOptions.layout);
      const scope = { ...baseScope(context), layout: first ? toLiquid.value(first.data, context.site) : null };
      return render(templates, scope, { pagePath: context.file, markdown: contentOptions.markdown === true }, context.file);
    },

    renderWithLayouts(content, layout, context) {
      const warnings: string[] = [];
      let current = layoutNamed(layout);
      if (!current && layout !== null && layout !== undefined && layout !== '' && layout !== 'none') {
        warnings.push(`Layout '${layout}' requested in ${context.file} does not exist.`);
      }
      const base = baseScope(context);
      const facts: RenderFacts = { pagePath: context.file, markdown: false };
      const used = new Set<LiquidLayout>();
      let layoutData: Record<string, unknown> = {};
      let html = content;
      while (current && used.size < MAX_LAYOUT_DEPTH) {
        used.add(current);
        layoutData = deepMerge(toLiquid.value(current.data, context.site) as Record<string, unknown>, layoutData);
        html = render(layoutTemplates(current), { ...base, content: html, layout: layoutData }, facts, current.file);
        const parent = current.data.layout;
        const next = typeof parent === 'string' || typeof parent === 'number' ? options.layouts.get(String(parent)) : undefined;
        // Jekyll stops quietly at a missing parent or at a layout already used (a loop).
        if (!next || used.has(next)) break;
        current = next;
      }
      return { html, warnings };
    },

    hasLayout(name) {
      return options.layouts.has(name);
    },
  };
}

function cached(cache: Map<string, Template[] | null>, key: string, load: () => Template[] | undefined): Template[] | undefined {
  if (cache.has(key)) return cache.get(key) ?? undefined;
  const value = load() ?? null;
  cache.set(key, value);
  return value ?? undefined;
}

/**
 * Converts template views to what Liquid compares and prints as Jekyll does: Nunjucks' safe
 * strings become plain strings (so `==`, `contains`, `empty` work on `content` and `excerpt`).
 * Plain objects and arrays are copied (cycles such as `next`/`previous` kept); a front matter
 * time (`updated: 2024-04-02 09:30`) becomes the Time Psych gives Ruby, which prints
 * `2024-04-02 09:30:00 +0200`; other objects (dates) pass through.
 *
 * Copies are shared while the same `site` object is passed, so a site's posts are copied once
 * per build, not once per page: build a new `site` object for each build and do not change it
 * (or anything in it) after the first render. The page itself is copied on every call, so a
 * page object may gain `content` between its content and layout renders.
 */
export function liquidValues(timeZone = 'UTC'): { site(site: object): unknown; value(value: unknown, site: object): unknown } {
  const memos = new WeakMap<object, WeakMap<object, unknown>>();
  const memoFor = (site: object) => {
    let memo = memos.get(site);
    if (!memo) memos.set(site, (memo = new WeakMap()));
    return memo;
  };
  // Without recursion: posts link to each other through `next` and `previous`, so a site of
  // 10,000 posts is a chain 10,000 deep, too deep for the call stack.
  const convert = (value: unknown, memo: WeakMap<object, unknown>): unknown => {
    const toFill: Array<[source: object, copy: unknown[] | Record<string, unknown>]> = [];
    const copyOf = (item: unknown): unknown => {
      if (item instanceof nunjucks.runtime.SafeString) return String(item);
      if (item instanceof YamlTimestamp) return rubyTime(item, timeZone);
      if (item === null || typeof item !== 'object') return item;
      const known = memo.get(item);
      if (known !== undefined) return known;
      if (!Array.isArray(item) && !isMap(item)) return item;
      const copy = Array.isArray(item) ? [] : {};
      // Printed, a hash shows Ruby's inspect, as in Jekyll.
      if (!Array.isArray(copy)) Object.defineProperty(copy, 'toString', { value: printedHash, enumerable: false });
      memo.set(item, copy);
      toFill.push([item, copy]);
      return copy;
    };
    const result = copyOf(value);
    for (let next = toFill.pop(); next; next = toFill.pop()) {
      const [source, copy] = next;
      if (Array.isArray(copy)) for (const item of source as unknown[]) copy.push(copyOf(item));
      else for (const [key, item] of Object.entries(source)) copy[key] = copyOf(item);
    }
    return result;
  };
  return {
    site: (site) => convert(site, memoFor(site)),
    // The top level is copied afresh; what it shares with the site (posts, pages) is not.
    value(value, site) {
      const memo = memoFor(site);
      if (!isMap(value)) return convert(value, memo);
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = convert(item, memo);
      return copy;
    },
  };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function printedHash(this: object): string {
  return rubyInspect(this);
}

/**
 * A YAML time that prints as Ruby prints the Time Psych made of it (`2024-04-01 04:00:00 -0400`,
 * its written offset kept); filters still read it as the YAML it was (the date filters' rules
 * differ for a Time and for text). A date alone prints as written, as a Ruby Date does.
 */
class RubyTimestamp extends YamlTimestamp {
  constructor(
    text: string,
    private readonly shown: string,
  ) {
    super(text);
  }

  override toString(): string {
    return this.shown;
  }
}

function rubyTime(timestamp: YamlTimestamp, timeZone: string): YamlTimestamp {
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(timestamp.text.trim())) return timestamp;
  const instant = parseDateValue(timestamp, timeZone, { display: 'written' });
  return 'error' in instant ? timestamp : new RubyTimestamp(timestamp.text, String(TemplateDate.of(instant)));
}

/** Jekyll's filters (render/filters.ts) plus markdownify and smartify; Liquid's standard ones stay. */
function registerJekyllFilters(liquid: Liquid, config: Config, markdown: MarkdownIt | undefined): void {
  for (const [name, filter] of Object.entries(jekyllFilters(config))) {
    liquid.registerFilter(name, (...args: unknown[]) => plain(filter(...args.map(fromLiquid))));
  }
  registerRubyListFilters(liquid);
  // Jekyll's inspect escapes what it gives for HTML (xml_escape).
  liquid.registerFilter('inspect', (value: unknown) => rubyInspect(fromLiquid(value)).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!));
  registerRubyTextFilters(liquid);
  let md = markdown;
  // nil and empty (liquidjs's drops for them) are no text.
  const text = (value: unknown) => String(fromLiquid(value) ?? '');
  // kramdown writes a newline for no text at all.
  liquid.registerFilter('markdownify', (value: unknown) => (md ??= createMarkdown()).render(text(value)) || '\n');
}


/** Nunjucks' safe strings (jsonify, xml_escape) are plain strings in Liquid. */
function plain(value: unknown): unknown {
  return value instanceof nunjucks.runtime.SafeString ? String(value) : value;
}

/** JavaScript's words for an include that includes itself, said in the site's terms. */
export function endlessIncludes(message: string): string {
  return /Maximum call stack size exceeded/.test(message) ? 'this include never ends: it includes itself, directly or through other includes (or a file includes itself with include_relative)' : message;
}

/**
 * A liquidjs error as an InputError with the file and line where it happened (the innermost
 * include or layout), a code frame, and liquidjs' position suffix removed from the message.
 */
export function liquidProblem(error: unknown, fallbackFile: string, lineOffsets: ReadonlyMap<string, number> = new Map()): InputError {
  if (error instanceof InputError) return error;
  if (!LiquidError.is(error)) return new InputError({ file: fallbackFile, message: `Liquid error: ${(error as Error).message ?? String(error)}` });
  const liquidError = error as LiquidError & { originalError?: Error };
  const original = liquidError.originalError;
  if (original instanceof InputError) return original;
  const token = liquidError.token;
  const file = token?.file ?? fallbackFile;
  const raw = original?.message ?? liquidError.message;
  const message = endlessIncludes(raw.replace(/(, file:.*?)?, line:\d+, col:\d+$/s, ''));
  if (!token) return new InputError({ file, message: `Liquid error: ${message}` });
  const [tokenLine, column] = token.getPosition();
  const offset = lineOffsets.get(file) ?? 0;
  const frame = codeFrame(token.input, tokenLine, column, 2, offset + 1);
  return new InputError({ file, line: tokenLine + offset, column, message: `Liquid error: ${message}`, frame });
}
