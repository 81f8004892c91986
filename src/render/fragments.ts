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
 * edit then costs one list item each, not 10,000. Elsewhere the tag just renders its content, so
 * templates can use it everywhere.
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

/** A kept part: its text, and the parts rendered inside it (the items of a block of a list). */
interface Part {
  readonly text: string;
  readonly inner: readonly string[];
}

const NO_PARTS: ReadonlySet<string> = new Set();

/**
 * Kept parts, by the pages that use them. Each page's latest render names the parts it used; a
 * part stays while some page's latest render used it, so an edit that re-renders a few pages drops
 * exactly the parts those pages stopped using (a block of 100 list items is tens of KB), and a
 * rebuild that renders no index page keeps all of theirs. A part found inside another counts as
 * used with it: the items of a reused block stay, ready for when one of them changes. Parts are
 * kept only while a page is being rendered (see renderingPage).
 */
export class PartStore {
  private readonly parts = new Map<string, Part>();
  /** How many pages' latest renders used each part. */
  private readonly users = new Map<string, number>();
  private readonly partsOfPage = new Map<string, ReadonlySet<string>>();
  /** The parts the page being rendered has used so far; null between pages. */
  private using: Set<string> | null = null;

  get rendering(): boolean {
    return this.using !== null;
  }

  get(key: string): string | undefined {
    const part = this.parts.get(key);
    if (part !== undefined) this.use(key, part);
    return part?.text;
  }

  set(key: string, text: string, inner: readonly string[]): void {
    const part = { text, inner };
    this.parts.set(key, part);
    this.use(key, part);
  }

  /** Renders one page, and keeps the parts it used in place of those its last render used. */
  renderPage<T>(page: string, render: () => T): T {
    const outer = this.using;
    const used = new Set<string>();
    this.using = used;
    try {
      const result = render();
      this.replacePartsOf(page, used);
      return result;
    } finally {
      this.using = outer;
      // A failed render keeps the page's previous parts; parts only it made are not kept.
      for (const key of used) if (!this.users.has(key)) this.parts.delete(key);
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

  private use(key: string, part: Part): void {
    if (this.using === null || this.using.has(key)) return;
    this.using.add(key);
    for (const innerKey of part.inner) {
      const inner = this.parts.get(innerKey);
      if (inner !== undefined) this.use(innerKey, inner);
    }
  }

  private replacePartsOf(page: string, used: ReadonlySet<string>): void {
    const before = this.partsOfPage.get(page) ?? NO_PARTS;
    for (const key of used) if (!before.has(key)) this.users.set(key, (this.users.get(key) ?? 0) + 1);
    for (const key of before) {
      if (used.has(key)) continue;
      const left = this.users.get(key)! - 1;
      if (left > 0) {
        this.users.set(key, left);
      } else {
        this.users.delete(key);
        this.parts.delete(key);
      }
    }
    if (used.size > 0) this.partsOfPage.set(page, used);
    else this.partsOfPage.delete(page);
  }
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
  /** For each part being rendered, outermost first: the keys of the parts found inside it. */
  private readonly renderingInner: string[][] = [];

  constructor(readonly keep: boolean) {}

  parse(parser: Parser, nodes: ParserNodes): unknown {
    const token = parser.nextToken();
    const args = parser.parseSignature(null, true);
    // Each tag is its own family of parts, whatever its keys.
    args.children.unshift(new nodes.Literal(token.lineno, token.colno, `tag${this.tagCount++}`));
    parser.advanceAfterBlockEnd(token.value);
    const body = parser.parseUntilBlocks('endcached');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  run(_context: unknown, tag: string, ...rest: unknown[]): nunjucks.runtime.SafeString {
    const body = rest.pop() as () => string;
    if (!this.keep || !this.parts.rendering) return new nunjucks.runtime.SafeString(body());
    const key = `${tag}\0${rest.map(keyPart).join('\0')}`;
    this.renderingInner.at(-1)?.push(key);
    let part = this.parts.get(key);
    if (part === undefined) {
      const inner: string[] = [];
      this.renderingInner.push(inner);
      try {
        part = body();
      } finally {
        this.renderingInner.pop();
      }
      this.parts.set(key, part, inner);
    }
    return new nunjucks.runtime.SafeString(part);
  }
}
