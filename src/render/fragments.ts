import nunjucks from 'nunjucks';

/**
 * `{% cached post, show_excerpts %} ... {% endcached %}`: a part of a template rendered once per
 * distinct set of keys and reused while the templates stay the same, like Hugo's `partialCached`.
 * The keys must name everything the part shows: a post (or any object) counts as the same key
 * until Quire changes it in place, as it does when a post's title, excerpt or HTML is edited
 * during `quire serve`; strings and numbers count by value; an array by its items, so a long list
 * can cache blocks of items around the cached items (see templates/partials/post-list.njk), and
 * an edit re-renders one block of the list instead of walking every item.
 *
 * Only the builder behind `quire serve` keeps parts between builds, for the pages that use them
 * (see PartStore): re-rendering the home page, archive and map of a 10,000-post blog after a title
 * edit then costs one list item each, not 10,000. Elsewhere the tag renders its content, so
 * templates can use it everywhere: an outermost tag as one flat string (see `flattened`; the many
 * small strings of a block of 100 list items then die young, instead of living as long as the
 * page and burdening the garbage collector: index pages render about 20% faster), and a tag
 * inside another compiles to its plain content, with no call per use.
 */
export function addFragmentCache(env: nunjucks.Environment, keep: boolean): void {
  env.addExtension('cached', new CachedExtension(keep));
}

/**
 * Marks an object as changed in place, so parts keyed by it are rendered again. Views call it
 * when they are refreshed from an edited post.
 */
export function touch(value: object): void {
  versions.set(value, nextVersion++);
}

const versions = new WeakMap<object, number>();
let nextVersion = 0;

function keyPart(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  // Length-prefixed, so no text can pass for two parts or for an array's separators.
  if (typeof value !== 'object' && typeof value !== 'function') {
    const text = String(value);
    return `${typeof value}:${text.length}:${text}`;
  }
  // By its items: a block of a list (`posts | batch(100)`) is a new array in every build.
  if (Array.isArray(value)) return `[${value.map(keyPart).join(',')}]`;
  let version = versions.get(value);
  if (version === undefined) {
    version = nextVersion++;
    versions.set(value, version);
  }
  return `#${version}`;
}

/** A kept part: its text, the parts used inside it (a block's list items), and how many pages and parts use it. */
interface Part {
  readonly text: string;
  readonly inner: readonly string[];
  users: number;
}

const NO_PARTS: ReadonlySet<string> = new Set();

/**
 * Kept parts, by the pages that use them. Each page's latest render names the parts it used
 * directly; each part names those used inside it. A part stays while a page or another part uses
 * it, so an edit that re-renders a few pages drops exactly the parts they stopped using (the old
 * block of 100 list items, tens of KB, and the old item), the items of a reused block stay ready
 * for when one of them changes, and a rebuild that renders no index page keeps all of theirs.
 * Parts are kept only while a page is being rendered (see renderingPage).
 */
export class PartStore {
  private readonly parts = new Map<string, Part>();
  private readonly partsOfPage = new Map<string, ReadonlySet<string>>();
  /** While a page renders: the parts it uses directly, and those made for it. */
  private page: { readonly direct: Set<string>; readonly made: string[] } | null = null;
  /** The parts being rendered, outermost first, each with the parts used inside it so far. */
  private readonly inside: Array<{ readonly key: string; readonly inner: string[] }> = [];

  get rendering(): boolean {
    return this.page !== null;
  }

  /** The part kept for `key`, or the one `render` makes, kept from now on. Only while a page renders. */
  part(key: string, render: () => string): string {
    // Asked for within its own rendering (a recursive macro whose keys do not say how deep): not kept.
    if (this.inside.some((frame) => frame.key === key)) return render();
    const outer = this.inside.at(-1);
    if (outer) outer.inner.push(key);
    else this.page!.direct.add(key);
    const kept = this.parts.get(key);
    if (kept !== undefined) return kept.text;
    const frame = { key, inner: [] as string[] };
    this.inside.push(frame);
    let text: string;
    try {
      text = render();
    } finally {
      this.inside.pop();
    }
    for (const innerKey of frame.inner) this.parts.get(innerKey)!.users++;
    text = flattened(text);
    this.parts.set(key, { text, inner: frame.inner, users: 0 });
    this.page!.made.push(key);
    return text;
  }

  /** Renders one page, and keeps the parts it used in place of those its last render used. */
  renderPage<T>(page: string, render: () => T): T {
    if (this.page !== null) return render();
    const current = { direct: new Set<string>(), made: [] as string[] };
    this.page = current;
    try {
      const result = render();
      this.replacePartsOf(page, current.direct);
      return result;
    } finally {
      this.page = null;
      // A failed render keeps the page's previous parts; those made for it alone go.
      for (const key of current.made) {
        const part = this.parts.get(key);
        if (part?.users === 0) this.drop(key, part);
      }
    }
  }

  /** Forgets the pages the site no longer has, and the parts only they used. */
  keepPages(pages: { has(page: string): boolean }): void {
    for (const page of [...this.partsOfPage.keys()]) if (!pages.has(page)) this.replacePartsOf(page, NO_PARTS);
  }

  /** How many parts are kept. */
  get size(): number {
    return this.parts.size;
  }

  private replacePartsOf(page: string, direct: ReadonlySet<string>): void {
    const before = this.partsOfPage.get(page) ?? NO_PARTS;
    for (const key of direct) if (!before.has(key)) this.parts.get(key)!.users++;
    for (const key of before) if (!direct.has(key)) this.release(key);
    if (direct.size > 0) this.partsOfPage.set(page, direct);
    else this.partsOfPage.delete(page);
  }

  private release(key: string): void {
    const part = this.parts.get(key)!;
    if (--part.users === 0) this.drop(key, part);
  }

  private drop(key: string, part: Part): void {
    this.parts.delete(key);
    for (const inner of part.inner) this.release(inner);
  }
}

let flattenedCount = 0;

/**
 * `text` as one piece of memory. Nunjucks builds a part from many small strings, which V8 keeps
 * as a tree of pieces; a page holding the part would walk that tree again every time it is hashed
 * or written (about 50 ms for the index pages of a 10,000-post blog after each title edit). Turning
 * a string into a number makes V8 copy it into one piece; the count keeps the call from being
 * optimised away.
 */
function flattened(text: string): string {
  if (Number.isNaN(Number(text))) flattenedCount++;
  return text;
}

function partsOf(env: nunjucks.Environment): PartStore | null {
  const extension: unknown = env.getExtension('cached');
  return extension instanceof CachedExtension && extension.keep ? extension.parts : null;
}

/** Renders the page at `page` (its output path) with the environment's kept parts (see PartStore). */
export function renderingPage<T>(env: nunjucks.Environment, page: string, render: () => T): T {
  const parts = partsOf(env);
  return parts ? parts.renderPage(page, render) : render();
}

/** After a whole build: drops the parts of pages the site no longer has. */
export function keepPartsOfPages(env: nunjucks.Environment, pages: { has(page: string): boolean }): void {
  partsOf(env)?.keepPages(pages);
}

/** Node types of the Nunjucks parser, which its typings leave out. */
interface ParserNodes {
  Literal: new (line: number, column: number, value: string) => unknown;
  CallExtension: new (extension: object, method: string, args: unknown, contentArgs: unknown[]) => unknown;
}

interface Parser {
  nextToken(): { value: string; lineno: number; colno: number };
  parseSignature(throwErrors: null, noParens: boolean): { children: unknown[] };
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
}

class CachedExtension {
  readonly tags = ['cached'];
  readonly parts = new PartStore();
  private tagCount = 0;
  /** How many `cached` tags the parser is inside. */
  private parsing = 0;

  constructor(readonly keep: boolean) {}

  parse(parser: Parser, nodes: ParserNodes): unknown {
    const token = parser.nextToken();
    const args = parser.parseSignature(null, true);
    // Each tag is its own family of parts, whatever its keys.
    args.children.unshift(new nodes.Literal(token.lineno, token.colno, `tag${this.tagCount++}`));
    parser.advanceAfterBlockEnd(token.value);
    const inner = this.parsing > 0;
    this.parsing++;
    let body: unknown;
    try {
      body = parser.parseUntilBlocks('endcached');
    } finally {
      this.parsing--;
    }
    parser.advanceAfterBlockEnd();
    // Not kept, an inner tag (a list item within its block) is its content, with no call per use:
    // a whole build of a 10,000-post blog passes through such tags some 65,000 times.
    if (!this.keep && inner) return body;
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  run(_context: unknown, tag: string, ...rest: unknown[]): nunjucks.runtime.SafeString {
    const body = rest.pop() as () => string;
    if (!this.parts.rendering) return new nunjucks.runtime.SafeString(flattened(body()));
    const key = `${tag}\0${rest.map(keyPart).join('\0')}`;
    return new nunjucks.runtime.SafeString(this.parts.part(key, body));
  }
}
