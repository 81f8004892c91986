/**
 * Jekyll's Liquid tags for liquidjs, as Jekyll 4.3 and its common plugins define them:
 * include / include_relative (jekyll/tags/include.rb), link, post_url, highlight, and the
 * plugin tags seo (jekyll-seo-tag), feed_meta (jekyll-feed) and include_cached
 * (jekyll-include-cache, which renders like include).
 */
import path from 'node:path';
import { Tag, TypeGuards, Value, type Context, type Emitter, type Liquid, type Parser, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import type { Config } from '../config.js';
import { relativeUrl } from '../render/filters.js';
import { highlightCode } from '../markup/markdown.js';
import { PostNameError, type LinkResolver } from './links.js';
import { feedMeta, seoTags } from '../render/seo.js';

/** What the tags need from the engine; one per engine. */
export interface TagHost {
  readonly config: Config;
  readonly links: LinkResolver | undefined;
  /** Parsed templates of an `_includes/` file (path below `_includes/`), or undefined when absent. */
  include(file: string): Template[] | undefined;
  /** Every `_includes/` path, for "could not locate" messages. */
  readonly includesDir: string;
  /** Parsed templates of a site file for include_relative (site-relative path), or undefined. */
  relativeFile(file: string): Template[] | undefined;
}

/** Per-render facts the tags read: registered on the liquidjs Context as `quire`. */
export interface RenderFacts {
  /** Site-relative path of the page being rendered (Jekyll's `page.path`). */
  readonly pagePath: string;
  /** Rendering a markdown file's text before markdown: `{% highlight %}` keeps its blank lines inside its HTML block. */
  readonly markdown: boolean;
}

export const FACTS = 'quire';

// include.rb's patterns.
const VALID_SYNTAX = /([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))/g;
const VARIABLE_SYNTAX = /(?<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?<params>.*)/s;
const FULL_VALID_SYNTAX = new RegExp(`^\\s*(?:${VALID_SYNTAX.source}(?=\\s|$)\\s*)*$`);
const VALID_FILENAME_CHARS = /^[\w/.\-()+~#@]+$/;
const INVALID_SEQUENCES = /[./]{2,}/;

/** Registers Jekyll's tags on `liquid`, reading files and URLs through `host`. */
export function registerJekyllTags(liquid: Liquid, host: TagHost): void {
  liquid.registerTag('include', includeTag(host, 'include'));
  liquid.registerTag('include_cached', includeTag(host, 'include_cached'));
  liquid.registerTag('include_relative', includeTag(host, 'include_relative'));
  liquid.registerTag('link', linkTag(host));
  liquid.registerTag('post_url', postUrlTag(host));
  liquid.registerTag('highlight', HighlightTag);
  liquid.registerTag('seo', seoTag(host));
  liquid.registerTag('feed_meta', feedMetaTag(host));
}

function factsOf(ctx: Context): RenderFacts {
  return ctx.getRegister<RenderFacts>(FACTS) ?? { pagePath: '', markdown: false };
}

/** `{% include file.html key="value" key2=variable %}` and `{% include {{ name }} %}`. */
function includeTag(host: TagHost, tagName: string) {
  return class IncludeTag extends Tag {
    private readonly file: string;
    private readonly fileTemplates: Template[] | undefined;
    private readonly params: Array<{ name: string; literal?: string; value?: Value }> | undefined;

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
      super(token, remainTokens, liquid);
      const markup = token.args.trim();
      const variable = VARIABLE_SYNTAX.exec(markup);
      let params: string | undefined;
      if (variable) {
        this.file = variable.groups!.variable!.trim();
        params = variable.groups!.params!.trim();
        this.fileTemplates = parser.parse(this.file, token.file);
      } else {
        const split = /^(\S*)(?:\s+([\s\S]*))?$/.exec(markup)!;
        this.file = split[1]!;
        params = split[2];
        this.fileTemplates = undefined;
      }
      if (params !== undefined && params !== '') {
        if (!FULL_VALID_SYNTAX.test(params)) {
          throw new Error(`Invalid syntax for include tag: ${params} - valid syntax: {% ${tagName} file.ext param='value' param2='value' %}`);
        }
        this.params = [...params.matchAll(VALID_SYNTAX)].map((match) => {
          const [, name, doubleQuoted, singleQuoted, expression] = match;
          if (doubleQuoted !== undefined) return { name: name!, literal: doubleQuoted.replaceAll('\\"', '"') };
          if (singleQuoted !== undefined) return { name: name!, literal: singleQuoted.replaceAll("\\'", "'") };
          return { name: name!, value: new Value(expression!, liquid) };
        });
      }
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const file = this.fileTemplates ? String(yield this.liquid.renderer.renderTemplates(this.fileTemplates, ctx)) : this.file;
      if (INVALID_SEQUENCES.test(file) || !VALID_FILENAME_CHARS.test(file)) {
        throw new Error(`Invalid syntax for include tag. File contains invalid characters or sequences: ${file}`);
      }
      let templates: Template[] | undefined;
      if (tagName === 'include_relative') {
        const folder = path.posix.dirname(factsOf(ctx).pagePath);
        const sitePath = path.posix.join(folder, file);
        templates = host.relativeFile(sitePath);
        if (!templates) throw new Error(`Could not locate the included file '${file}' in any of ["${folder === '.' ? '' : folder}"]. Ensure it exists in one of those directories.`);
      } else {
        templates = host.include(file.replace(/^\/+/, ''));
        if (!templates) throw new Error(`Could not locate the included file '${file}' in any of ["${host.includesDir}"]. Ensure it exists in one of those directories.`);
      }
      let scope: Record<string, unknown> = {};
      if (this.params) {
        const include: Record<string, unknown> = {};
        for (const param of this.params) include[param.name] = param.value ? yield param.value.value(ctx, false) : param.literal;
        scope = { include };
      }
      ctx.push(scope);
      try {
        yield this.liquid.renderer.renderTemplates(templates, ctx, emitter);
      } finally {
        ctx.pop();
      }
    }
  };
}

/** `{% link path/to/file.md %}`: the file's URL with baseurl; the path may hold `{{ }}`. */
function linkTag(host: TagHost) {
  return class LinkTag extends Tag {
    private readonly templates: Template[];

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
      super(token, remainTokens, liquid);
      this.templates = parser.parse(token.args.trim(), token.file);
    }

    *render(ctx: Context): Generator<unknown, string, unknown> {
      const relativePath = String(yield this.liquid.renderer.renderTemplates(this.templates, ctx));
      const url = host.links?.link(relativePath);
      if (url === undefined) {
        throw new Error(`Could not find document '${relativePath}' in tag 'link'. Make sure the document exists and the path is correct.`);
      }
      return relativeUrl(host.config.baseurl, url);
    }
  };
}

/** `{% post_url 2024-01-01-slug %}`: the post's URL with baseurl. */
function postUrlTag(host: TagHost) {
  return class PostUrlTag extends Tag {
    private readonly postName: string;

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      this.postName = token.args.trim();
      if (!/^(.+\/)*(\d+-\d+-\d+)-(.*)$/s.test(this.postName.replace(/^\//, ''))) {
        throw new Error(`Could not parse name of post "${this.postName}" in tag 'post_url'. Make sure the post exists and the name is correct.`);
      }
    }

    render(): string {
      let url: string | undefined;
      try {
        url = host.links?.postUrl(this.postName);
      } catch (error) {
        if (error instanceof PostNameError) throw new Error(`Could not parse name of post "${this.postName}" in tag 'post_url': ${error.message}`);
        throw error;
      }
      if (url === undefined) throw new Error(`Could not find post "${this.postName}" in tag 'post_url'. Make sure the post exists and the name is correct.`);
      return relativeUrl(host.config.baseurl, url);
    }
  };
}

/** highlight.rb's markup: a language, then options (`linenos`, `key=value`, `key="1 2"`). */
const HIGHLIGHT_SYNTAX = /^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$/;

/**
 * `{% highlight lang [linenos] %}code{% endhighlight %}`: Rouge's markup (`figure.highlight`,
 * `code.language-x[data-lang]`, a `rouge-table` with `linenos`), highlight.js's token classes.
 * Liquid inside is rendered, as in Jekyll 4.3.
 */
class HighlightTag extends Tag {
  private readonly language: string;
  private readonly lineNumbers: boolean;
  private readonly templates: Template[] = [];

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid);
    const markup = HIGHLIGHT_SYNTAX.exec(token.args.trim());
    if (!markup) {
      throw new Error(`Syntax Error in tag 'highlight' while parsing the following markup: ${token.args.trim()} - valid syntax: highlight <lang> [linenos]`);
    }
    this.language = markup[1]!.toLowerCase();
    this.lineNumbers = /(?:^|\s)linenos(?:=|\s|$)/.test(markup[2]!);
    while (remainTokens.length > 0) {
      const next = remainTokens.shift()!;
      if (TypeGuards.isTagToken(next) && next.name === 'endhighlight') return;
      this.templates.push(parser.parseToken(next, remainTokens));
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }

  *render(ctx: Context): Generator<unknown, string, unknown> {
    const rendered = String(yield this.liquid.renderer.renderTemplates(this.templates, ctx));
    const code = rendered.replace(/^[\n\r]+|[\n\r]+$/g, '');
    const highlighted = highlightCode(code, this.language);
    const body = this.lineNumbers ? lineNumberTable(highlighted, code) : highlighted;
    const html = `<figure class="highlight"><pre><code class="language-${this.language.replaceAll('+', '-')}" data-lang="${this.language}">${body.replace(/\n$/, '')}</code></pre></figure>`;
    return factsOf(ctx).markdown ? keepInOneHtmlBlock(html) : html;
  }
}

/** Rouge's HTMLTable formatter: a gutter of line numbers beside the code. */
function lineNumberTable(highlighted: string, code: string): string {
  const lines = code.split('\n').length;
  const numbers = Array.from({ length: lines }, (_, index) => `${index + 1}\n`).join('');
  return `<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">${numbers}</pre></td><td class="code"><pre>${highlighted}\n</pre></td></tr></tbody></table>`;
}

/**
 * kramdown keeps a `<figure>` block whole up to its end tag; markdown-it ends an HTML block at
 * a blank line and would read the rest of the code as markdown. An empty span on each blank line
 * keeps the block whole and shows the same.
 */
function keepInOneHtmlBlock(html: string): string {
  return html.replace(/\n(?=[ \t]*(?:\n|$))/g, '\n<span></span>');
}

/** jekyll-seo-tag's `{% seo %}`, with `title=false` honoured. */
function seoTag(host: TagHost) {
  return class SeoTag extends Tag {
    private readonly showTitle: boolean;

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      this.showTitle = !/\btitle\s*=\s*false\b/.test(token.args);
    }

    *render(ctx: Context): Generator<unknown, string, unknown> {
      const page = ((yield ctx._get(['page'])) ?? {}) as Record<string, unknown>;
      const site = ((yield ctx._get(['site'])) ?? {}) as Record<string, unknown>;
      const paginator = ((yield ctx._get(['paginator'])) ?? null) as Record<string, unknown> | null;
      return seoTags(page, site, host.config, { title: this.showTitle, paginator });
    }
  };
}

/** jekyll-feed's `{% feed_meta %}`. */
function feedMetaTag(host: TagHost) {
  return class FeedMetaTag extends Tag {
    render(): string {
      return feedMeta(host.config);
    }
  };
}
