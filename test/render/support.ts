/** Shared by the render tests: build a real site from files, and read XML strictly. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildInMemory } from '../../src/build.js';
import { resolveConfig } from '../../src/config.js';
import type { SitePost } from '../../src/site/collections.js';
import { FIXED_NOW, writeSite } from '../helpers/site.js';

export interface BuiltSite {
  readonly posts: readonly SitePost[];
  readonly paths: readonly string[];
  /** The text of one output; throws naming the outputs there are when it is missing. */
  text(path: string): string;
}

/** Writes `files` to a temporary folder and builds it in memory with the given `_config.yml` keys. */
export async function buildSite(files: Record<string, string>, config: Record<string, unknown> = {}): Promise<BuiltSite> {
  const root = writeSite(files);
  const { site, outputs } = await buildInMemory(resolveConfig(root, { timezone: 'UTC', ...config }), { now: FIXED_NOW });
  const byPath = new Map(outputs.map((output) => [output.path, output.contents]));
  return {
    posts: site.posts,
    paths: [...byPath.keys()],
    text(path: string) {
      const contents = byPath.get(path);
      if (typeof contents !== 'string') throw new Error(`no text output ${path}; have ${[...byPath.keys()].join(', ')}`);
      return contents;
    },
  };
}

/** A post file: front matter from `data` (as JSON, which YAML reads), then the body. */
export function postFile(data: Record<string, unknown>, body: string): string {
  const lines = Object.entries(data).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/**
 * Why `xml` is not well-formed XML 1.0, or [] when it is. fast-xml-parser's validator checks
 * nesting and syntax; it lets through a few things strict parsers (libxml2, expat, browsers)
 * reject, so those are checked here: undefined entity references, `<` in attribute values,
 * characters XML cannot contain, and more than one root element.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const validation = XMLValidator.validate(xml);
  if (validation !== true) problems.push(`${validation.err.code} at ${validation.err.line}:${validation.err.col}: ${validation.err.msg}`);
  for (const m of xml.matchAll(/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)[^\s]{0,10}/g)) problems.push(`undefined entity or bare "&": ${m[0]}`);
  for (const m of xml.matchAll(/=\s*("[^"]*"|'[^']*')/g)) if (m[1]!.includes('<')) problems.push(`"<" in attribute value ${m[1]}`);
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u.exec(xml);
  if (bad) problems.push(`character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
  const roots = Object.keys(new XMLParser({ ignoreDeclaration: true }).parse(xml) as object);
  if (roots.length !== 1) problems.push(`expected one root element, found ${roots.length}: ${roots.join(', ')}`);
  return problems;
}

/** An XML element as fast-xml-parser gives it here: attributes as `@name`, text as `#text`. */
export type XmlNode = { '#text'?: string } & { [key: string]: unknown };

/**
 * Parses XML keeping text exactly (no trimming, no number conversion) and making the named
 * elements arrays, so a test can count them.
 */
export function parseXml(xml: string, arrays: readonly string[]): Record<string, XmlNode> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    ignoreDeclaration: true,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    alwaysCreateTextNode: true,
    isArray: (name) => arrays.includes(name),
  });
  return parser.parse(xml) as Record<string, XmlNode>;
}

/** The child elements `name` of `node` (an array, as parseXml was told). */
export function children(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

/** The text of an element. */
export function textOf(node: XmlNode | undefined): string | undefined {
  return node?.['#text'];
}

/** RFC 3339 date-time, as Atom (RFC 4287 3.3) and sitemaps (W3C datetime with time) use it. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The output file a URL of the site points to (the baseurl removed, escapes decoded, index.html added). */
export function outputPathOf(url: string, siteUrl: string): string {
  if (!url.startsWith(siteUrl)) throw new Error(`${url} is not under ${siteUrl}`);
  const pathname = decodeURIComponent(new URL(url).pathname.slice(new URL(siteUrl).pathname.replace(/\/$/, '').length));
  return (pathname.endsWith('/') ? `${pathname}index.html` : pathname).replace(/^\//, '');
}
